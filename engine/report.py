"""Stage 7, report: render the checked filings as a table or as JSON. Only Finding records are read.

Output is deterministic: no timestamps, no terminal-width dependence, stable ordering.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tabulate import tabulate

from . import __version__
from .errors import Problem
from .findings import SEVERITIES, Finding

GATES = ("error", "warning", "info", "never")
REPORT_FORMAT_VERSION = 1
COMMENT_WIDTH = 64
SUBJECT_WIDTH = 24


@dataclass
class FilingResult:
    """What happened to one input file: its findings, or the problems that stopped it."""

    source: str
    filer: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # rule id -> why it is not yet in force


@dataclass(frozen=True)
class Gate:
    fail_on: str

    def blocks(self, finding: Finding) -> bool:
        if self.fail_on == "never":
            return False
        return SEVERITIES.index(finding.severity) <= SEVERITIES.index(self.fail_on)

    def failing(self, results: list[FilingResult]) -> list[Finding]:
        return [f for result in results for f in result.findings if self.blocks(f)]


def counts(results: list[FilingResult]) -> dict[str, int]:
    tally = {severity: 0 for severity in SEVERITIES}
    for result in results:
        for finding in result.findings:
            tally[finding.severity] += 1
    return tally


def summary_line(results: list[FilingResult], gate: Gate) -> str:
    tally = counts(results)
    total = sum(tally.values())
    checked = sum(1 for r in results if not r.problems)
    invalid = len(results) - checked
    parts = [f"{total} finding{'s' if total != 1 else ''} in {checked} filing{'s' if checked != 1 else ''}",
             f"({tally['error']} error, {tally['warning']} warning, {tally['info']} info)"]
    text = " ".join(parts)
    if invalid:
        text += f"; {invalid} file{'s' if invalid != 1 else ''} could not be checked"
    failing = gate.failing(results)
    if invalid:
        text += ". Failed: bad input."
    elif gate.fail_on == "never":
        text += ". Gate: off (--fail-on never)."
    elif failing:
        text += (f". Gate --fail-on {gate.fail_on}: FAILED by {len(failing)} finding{'s' if len(failing) != 1 else ''}"
                 f" at or above {gate.fail_on}.")
    else:
        text += f". Gate --fail-on {gate.fail_on}: passed."
    return text


def render_table(results: list[FilingResult], gate: Gate) -> str:
    blocks = []
    for result in results:
        if result.problems:
            blocks.append(f"{result.source}: not checked: {len(result.problems)} input error"
                          f"{'s' if len(result.problems) != 1 else ''} (reported on standard error)")
            continue
        blocks.append(_heading(result))
        if not result.findings:
            blocks.append("No findings.")
            continue
        rows = [[f.rule_id, f.severity, f.form_item, f.page or "", f.subject, f.comment] for f in result.findings]
        blocks.append(tabulate(rows, headers=["Rule", "Severity", "Item", "Page", "Subject", "Likely comment"],
                               tablefmt="grid", maxcolwidths=[None, None, None, None, SUBJECT_WIDTH, COMMENT_WIDTH],
                               disable_numparse=True))
    blocks.append(summary_line(results, gate))
    return "\n\n".join(blocks) + "\n"


def _heading(result: FilingResult) -> str:
    filer = result.filer
    details = [filer.get("name"), f"Form {filer['form']}" if filer.get("form") else None,
               f"fiscal year ended {filer['fiscal_year_end']}" if filer.get("fiscal_year_end") else None]
    return f"{result.source}: " + ", ".join(d for d in details if d)


def render_json(results: list[FilingResult], gate: Gate, rule_count: int) -> str:
    tally = counts(results)
    failing = gate.failing(results)
    report = {
        "format_version": REPORT_FORMAT_VERSION,
        "tool": {"name": "precomment", "version": __version__},
        "rules": rule_count,
        "gate": {"fail_on": gate.fail_on, "failed": bool(failing), "failing_findings": len(failing)},
        "summary": {"filings": len(results), "findings": sum(tally.values()), "by_severity": tally},
        "filings": [_filing_json(result) for result in results],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _filing_json(result: FilingResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "status": "invalid" if result.problems else "checked",
        "filer": result.filer,
        "findings": [f.to_dict() for f in result.findings],
        "rules_not_applicable": [{"rule": rule_id, "reason": reason} for rule_id, reason in result.not_applicable.items()],
        "errors": [problem_json(p) for p in result.problems],
    }


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"source": problem.source, "line": problem.line, "column": problem.column, "pointer": problem.pointer,
            "code": problem.code, "message": problem.message, "hint": problem.hint}
