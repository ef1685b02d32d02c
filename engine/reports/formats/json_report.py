"""The JSON report: every finding record per filing with the gate's verdict; schemas/report.schema.json.

Written as `json.dumps(document, indent=2)` would write it, a filing at a time: each filing's object is
dumped on its own (in the worker that checked it) and indented to its place in the `filings` array
(common.json_document)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ... import __version__
from ...checking.coverage import OUTCOMES
from ...checking.result import FilingResult
from ...errors import Problem
from ...validation.formitems import item_key
from ..model import REPORT_FORMAT_VERSION, Context, Report
from . import Parts
from .common import json_document, json_item, slot

FILING_INDENT = " " * 4  # a filing object's depth in the document: top level, then the filings array


def part(result: FilingResult, number: int, context: Context) -> str:
    return json_item(_filing(result), FILING_INDENT)


def document(report: Report, parts: Parts) -> Iterable[str]:
    by_severity = report.by_severity()
    tally = report.tally()
    head = {
        "format_version": REPORT_FORMAT_VERSION,
        "tool": {"name": "precomment", "version": __version__},
        "rules": len(report.catalogue),
        "gate": {"fail_on": report.gate.fail_on, "only_new": report.gate.only_new, "failed": report.failed(),
                 "failing_findings": tally.failing, "expired_waivers": len(report.expired),
                 "allow_incomplete": report.gate.incomplete_ok, "unaccounted_items": sum(report.unaccounted.values()),
                 "coverage_drop": report.coverage_drop},
        "summary": {"filings": report.filings, "findings": tally.findings,
                    "by_severity": {severity: counts.findings for severity, counts in by_severity.items()},
                    "waived": tally.waived, "baseline": _baseline_summary(report),
                    "coverage": _coverage_summary(report)},
        "review_notes": [dict(problem_json(note), level=note.level) for note in report.notes],
        "filings": slot("filings"),
    }
    return json_document(head, {"filings": (report.filings > 0, parts)})


def _coverage_summary(report: Report) -> dict[str, Any]:
    summary: dict[str, Any] = dict(zip(OUTCOMES, report.outcomes))
    summary["unaccounted"] = {item: report.unaccounted[item] for item in sorted(report.unaccounted, key=item_key)}
    return summary


def _baseline_summary(report: Report) -> dict[str, Any] | None:
    if report.baseline is None:
        return None
    tally = report.tally()
    return {"report": report.baseline, "new": tally.new, "open": tally.findings - tally.new, "fixed": report.fixed,
            "not_assessed": report.unassessed}


def _filing(result: FilingResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "status": result.status,
        "filer": result.filer,
        "findings": [f.to_dict() for f in result.findings],
        "fixed": [f.to_dict() for f in result.fixed],
        "not_assessed_since_baseline": [f.to_dict() for f in result.unassessed],
        "coverage_drop": list(result.coverage_drop),
        "rules_not_applicable": [{"rule": rule_id, "reason": reason} for rule_id, reason in result.not_applicable.items()],
        "coverage": result.coverage.to_dict() if result.coverage is not None else None,
        "errors": [problem_json(p) for p in result.problems],
    }


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem as the JSON report writes it: where it is, its code, and what to do about it."""
    return {"source": problem.source, "line": problem.line, "column": problem.column, "pointer": problem.pointer,
            "code": problem.code, "message": problem.message, "hint": problem.hint}
