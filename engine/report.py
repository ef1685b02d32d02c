"""Stage 7, report: the checked filings, the gate's verdict, and what every output format reads.

`Report` holds the results of one run; each format in formats/ is a function `render(report) -> str`
that reads only Finding records and this module. Output is deterministic: no timestamps (dates come from
the command line or today's date, passed in), no terminal-width dependence, stable ordering.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .findings import SEVERITIES, Finding, Waiver
from .rule_records import Rule

GATES = ("error", "warning", "info", "never")
REPORT_FORMAT_VERSION = 1


@dataclass
class FilingResult:
    """What happened to one input file: its findings, or the problems that stopped it."""

    source: str
    filer: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # rule id -> why it is not yet in force
    fixed: list[Finding] = field(default_factory=list)  # baseline findings that are gone (with --baseline)


@dataclass(frozen=True)
class Gate:
    """Which findings fail the run: at or above `fail_on`, not waived, and (with --fail-on-new) new."""

    fail_on: str = "error"
    only_new: bool = False

    def blocks(self, finding: Finding) -> bool:
        if self.fail_on == "never" or finding.waived:
            return False
        if self.only_new and finding.baseline != "new":
            return False
        return SEVERITIES.index(finding.severity) <= SEVERITIES.index(self.fail_on)

    def describe(self) -> str:
        return f"--fail-on {self.fail_on}" + (" --fail-on-new" if self.only_new else "")


@dataclass
class Report:
    """One run: results per filing, the gate, the rules in force (for their metadata) and review notes."""

    results: list[FilingResult]
    gate: Gate
    rules: tuple[Rule, ...] = ()
    notes: list[Problem] = field(default_factory=list)  # waiver warnings and errors
    expired: list[Waiver] = field(default_factory=list)
    today: datetime.date = field(default_factory=datetime.date.today)
    letter_date: datetime.date | None = None  # the date of the staff letter the response answers
    baseline: str | None = None  # the baseline report's path, when one was given
    color: bool = False  # ANSI colour in the table format (a terminal, and NO_COLOR unset)

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings]

    @property
    def checked(self) -> list[FilingResult]:
        return [r for r in self.results if not r.problems]

    @property
    def invalid(self) -> list[FilingResult]:
        return [r for r in self.results if r.problems]

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def failing(self) -> list[Finding]:
        return [f for f in self.findings if self.gate.blocks(f)]

    def failed(self) -> bool:
        """The gate's verdict, bad input aside: a blocking finding, or an expired waiver while the gate is on."""
        return bool(self.failing()) or (bool(self.expired) and self.gate.fail_on != "never")


def counts(findings: list[Finding]) -> dict[str, int]:
    tally = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        tally[finding.severity] += 1
    return tally


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    """The last line of every human report: the tally, and what failed the gate (or that it passed)."""
    findings = report.findings
    tally = counts(findings)
    text = (f"{plural(len(findings), 'finding')} in {plural(len(report.checked), 'filing')} "
            f"({tally['error']} error, {tally['warning']} warning, {tally['info']} info)")
    waived = sum(1 for f in findings if f.waived)
    if waived:
        text += f", {waived} waived"
    if report.baseline is not None:
        new = sum(1 for f in findings if f.baseline == "new")
        fixed = sum(len(r.fixed) for r in report.results)
        text += f"; against the baseline: {new} new, {len(findings) - new} still open, {fixed} fixed"
    if report.invalid:
        return text + f"; {plural(len(report.invalid), 'file')} could not be checked. Failed: bad input."
    gate = report.gate
    if gate.fail_on == "never":
        return text + ". Gate: off (--fail-on never)."
    failing = report.failing()
    reasons = []
    if failing:
        scope = "new finding" if gate.only_new else "finding"
        reasons.append(f"{plural(len(failing), scope)} at or above {gate.fail_on}")
    if report.expired:
        reasons.append(plural(len(report.expired), "expired waiver"))
    if reasons:
        return text + f". Gate {gate.describe()}: FAILED by " + " and ".join(reasons) + "."
    return text + f". Gate {gate.describe()}: passed."


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"source": problem.source, "line": problem.line, "column": problem.column, "pointer": problem.pointer,
            "code": problem.code, "message": problem.message, "hint": problem.hint}
