"""Stage 7, report: the checked filings, the gate's verdict, and what every output format reads.

A run's report is written as its filings are checked, so that memory stays flat however many there are:
- `Context` is what rendering one filing may read (the gate, the rules, the dates, colour). It is settled
  before the first filing is checked and is the same in every worker process.
- Each format renders each filing's part from its `FilingResult` and the `Context` (in the worker that
  checked it), and the parts are kept on disk until the run ends (formats/__init__.py, output.py).
- `Report` is what is left of the run for the report's header and footer: a `FilingSummary` (counts, no
  findings) per filing, the review notes and the expired waivers.
Output is deterministic: no timestamps (dates come from the command line or today's date, passed in), no
terminal-width dependence, stable ordering.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Sequence

from .errors import Problem
from .findings import SEVERITIES, Finding, Waiver, item_key
from .formitems import top_item
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


@dataclass(frozen=True)
class Context:
    """What rendering one filing may read: known before any filing is checked, the same in every worker."""

    gate: Gate = field(default_factory=Gate)
    rules: tuple[Rule, ...] = ()
    today: datetime.date = field(default_factory=datetime.date.today)
    letter_date: datetime.date | None = None  # the date of the staff letter the response answers
    baseline: str | None = None  # the baseline report's path, when one was given
    color: bool = False  # ANSI colour in the table format (a terminal, and NO_COLOR unset)

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def rule(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)


@dataclass(frozen=True)
class Counts:
    """The counting columns of every summary: findings, how many are waived, fail the gate, are new."""

    findings: int = 0
    waived: int = 0
    failing: int = 0
    new: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.findings + other.findings, self.waived + other.waived, self.failing + other.failing,
                      self.new + other.new)

    @classmethod
    def of(cls, findings: Iterable[Finding], gate: Gate) -> Counts:
        found = waived = failing = new = 0
        for finding in findings:
            found += 1
            waived += finding.waived
            failing += gate.blocks(finding)
            new += finding.baseline == "new"
        return cls(found, waived, failing, new)


def total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class FilingSummary:
    """What a report's header and footer need of one filing: a few hundred bytes, kept for every filing."""

    source: str
    filer: dict[str, Any]
    problems: tuple[Problem, ...]  # why it could not be checked (empty when it was)
    by_item: tuple[tuple[str, tuple[Counts, ...]], ...]  # top-level Form item -> counts per severity, Form order
    fixed: int  # baseline findings gone from it
    fired: frozenset[str]  # ids of the rules behind its findings and fixed findings
    not_applicable: frozenset[str]  # ids of the rules not yet in force for it

    @classmethod
    def of(cls, result: FilingResult, gate: Gate) -> FilingSummary:
        groups: dict[str, list[Finding]] = {}
        for finding in result.findings:
            groups.setdefault(top_item(finding.form_item), []).append(finding)
        by_item = tuple((item, tuple(Counts.of([f for f in findings if f.severity == s], gate) for s in SEVERITIES))
                        for item, findings in sorted(groups.items(), key=lambda pair: item_key(pair[0])))
        return cls(result.source, dict(result.filer), tuple(result.problems), by_item, len(result.fixed),
                   frozenset(f.rule_id for f in result.findings + result.fixed), frozenset(result.not_applicable))

    @property
    def checked(self) -> bool:
        return not self.problems

    def by_severity(self) -> dict[str, Counts]:
        return {severity: total(counts[index] for _, counts in self.by_item)
                for index, severity in enumerate(SEVERITIES)}

    def tally(self) -> Counts:
        return total(count for _, counts in self.by_item for count in counts)


@dataclass
class Report:
    """One run, as its header and footer see it: a summary per filing, the review's notes, and the context.

    The findings themselves are not here: each filing's part of a report was rendered when it was checked.
    `Report.of(results, ...)` summarises results held in memory (a single check, tests, benchmarks)."""

    filings: list[FilingSummary]
    context: Context = field(default_factory=Context)
    notes: list[Problem] = field(default_factory=list)  # waiver warnings and errors
    expired: list[Waiver] = field(default_factory=list)

    @classmethod
    def of(cls, results: Sequence[FilingResult], gate: Gate = Gate(), rules: tuple[Rule, ...] = (),
           notes: Sequence[Problem] = (), expired: Sequence[Waiver] = (), **context: Any) -> Report:
        return cls([FilingSummary.of(result, gate) for result in results], Context(gate, rules, **context),
                   list(notes), list(expired))

    # The context's fields, which headers and footers read as often as parts do.
    gate = property(lambda self: self.context.gate)
    rules = property(lambda self: self.context.rules)
    today = property(lambda self: self.context.today)
    letter_date = property(lambda self: self.context.letter_date)
    baseline = property(lambda self: self.context.baseline)
    color = property(lambda self: self.context.color)

    def rule(self, rule_id: str) -> Rule | None:
        return self.context.rule(rule_id)

    @property
    def checked(self) -> list[FilingSummary]:
        return [f for f in self.filings if f.checked]

    @property
    def invalid(self) -> list[FilingSummary]:
        return [f for f in self.filings if not f.checked]

    def by_severity(self) -> dict[str, Counts]:
        sums = {severity: Counts() for severity in SEVERITIES}
        for filing in self.filings:
            for severity, counts in filing.by_severity().items():
                sums[severity] += counts
        return sums

    def tally(self) -> Counts:
        return total(self.by_severity().values())

    def fixed(self) -> int:
        return sum(filing.fixed for filing in self.filings)

    def failed(self) -> bool:
        """The gate's verdict, bad input aside: a blocking finding, or an expired waiver while the gate is on."""
        return bool(self.tally().failing) or (bool(self.expired) and self.gate.fail_on != "never")


def counts(findings: list[Finding]) -> dict[str, int]:
    tally = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        tally[finding.severity] += 1
    return tally


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    """The last line of every human report: the tally, and what failed the gate (or that it passed)."""
    by_severity = report.by_severity()
    tally = total(by_severity.values())
    text = (f"{plural(tally.findings, 'finding')} in {plural(len(report.checked), 'filing')} "
            f"({by_severity['error'].findings} error, {by_severity['warning'].findings} warning, "
            f"{by_severity['info'].findings} info)")
    if tally.waived:
        text += f", {tally.waived} waived"
    if report.baseline is not None:
        text += (f"; against the baseline: {tally.new} new, {tally.findings - tally.new} still open, "
                 f"{report.fixed()} fixed")
    if report.invalid:
        return text + f"; {plural(len(report.invalid), 'file')} could not be checked. Failed: bad input."
    gate = report.gate
    if gate.fail_on == "never":
        return text + ". Gate: off (--fail-on never)."
    reasons = []
    if tally.failing:
        scope = "new finding" if gate.only_new else "finding"
        reasons.append(f"{plural(tally.failing, scope)} at or above {gate.fail_on}")
    if report.expired:
        reasons.append(plural(len(report.expired), "expired waiver"))
    if reasons:
        return text + f". Gate {gate.describe()}: FAILED by " + " and ".join(reasons) + "."
    return text + f". Gate {gate.describe()}: passed."


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"source": problem.source, "line": problem.line, "column": problem.column, "pointer": problem.pointer,
            "code": problem.code, "message": problem.message, "hint": problem.hint}
