"""The JSON report: every finding record per filing with the gate's verdict; schemas/report.schema.json."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..report import REPORT_FORMAT_VERSION, FilingResult, Report, counts, problem_json


def render(report: Report) -> str:
    findings = report.findings
    document = {
        "format_version": REPORT_FORMAT_VERSION,
        "tool": {"name": "precomment", "version": __version__},
        "rules": len(report.rules),
        "gate": {"fail_on": report.gate.fail_on, "only_new": report.gate.only_new, "failed": report.failed(),
                 "failing_findings": len(report.failing()), "expired_waivers": len(report.expired)},
        "summary": {"filings": len(report.results), "findings": len(findings), "by_severity": counts(findings),
                    "waived": sum(1 for f in findings if f.waived),
                    "baseline": _baseline_summary(report)},
        "review_notes": [dict(problem_json(note), level=note.level) for note in report.notes],
        "filings": [_filing(result) for result in report.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _baseline_summary(report: Report) -> dict[str, Any] | None:
    if report.baseline is None:
        return None
    findings = report.findings
    new = sum(1 for f in findings if f.baseline == "new")
    return {"report": report.baseline, "new": new, "open": len(findings) - new,
            "fixed": sum(len(r.fixed) for r in report.results)}


def _filing(result: FilingResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "status": "invalid" if result.problems else "checked",
        "filer": result.filer,
        "findings": [f.to_dict() for f in result.findings],
        "fixed": [f.to_dict() for f in result.fixed],
        "rules_not_applicable": [{"rule": rule_id, "reason": reason} for rule_id, reason in result.not_applicable.items()],
        "errors": [problem_json(p) for p in result.problems],
    }
