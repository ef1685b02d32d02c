"""The report: the data model every output format reads: the gate's verdict and the run's counts.

A run's report is written as its filings are checked, so that memory stays flat however many there are:
- `Context` is what rendering one filing may read (the gate, the rule catalogue, the dates, colour). It is
  settled before the first filing is checked and is the same in every worker process.
- Each format renders each filing's part from its `FilingResult` (checking/result.py) and the `Context` (in
  the worker that checked it: formats/__init__.py, `Renderer`), and the parts are kept on disk until the
  run ends (writer.py).
- `Report` is what is left of the run for the report's header and footer: counts gathered from each
  filing's `FilingSummary` (never its findings), the review notes and the expired waivers.
The words the human formats make of these numbers are in wording.py; what they show of a rule, in
catalogue.py. Output is deterministic: no timestamps (dates come from the command line or today's date,
passed in), no terminal-width dependence, stable ordering.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..checking.findings import SEVERITIES, Finding, Waiver
from ..checking.result import FilingResult, internal
from ..errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, Problem
from ..language.records import Rule, Severity
from ..validation.formitems import item_key, top_item
from .catalogue import Catalogue, RuleEntry

FailOn = Literal[Severity, "never"]
"""The least severe finding that fails the run (`--fail-on`), or `never`."""
GATES: tuple[FailOn, ...] = ("error", "warning", "info", "never")
REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Gate:
    """Which findings fail the run: at or above `fail_on`, not waived, and (with --fail-on-new) new. A Form
    item the description leaves unaccounted fails it too, unless `incomplete_ok` (--allow-incomplete, for
    work in progress); with --fail-on-new, so does a rule the baseline assessed that cannot assess now."""

    fail_on: FailOn = "error"
    only_new: bool = False
    incomplete_ok: bool = False
    fail_on_from: str | None = None  # the configuration file that set fail_on (None: --fail-on, or its default)
    only_new_from: str | None = None  # the configuration file that set fail_on_new (None: --fail-on-new)

    def blocks(self, finding: Finding) -> bool:
        if self.fail_on == "never" or finding.waived:
            return False
        if self.only_new and finding.baseline != "new":
            return False
        return SEVERITIES.index(finding.severity) <= SEVERITIES.index(self.fail_on)

    def blocks_incomplete(self) -> bool:
        """Whether a Form item left unaccounted fails the run."""
        return not self.incomplete_ok and self.fail_on != "never"

    def describe(self) -> str:
        """The gate as it was set: `--fail-on error --fail-on-new` from the command line (or the default),
        `fail_on never from .precomment.yaml` from a configuration file's key."""
        said = [f"fail_on {self.fail_on} from {self.fail_on_from}" if self.fail_on_from else f"--fail-on {self.fail_on}"]
        if self.only_new:
            said.append(f"fail_on_new from {self.only_new_from}" if self.only_new_from else "--fail-on-new")
        if self.incomplete_ok:
            said.append("--allow-incomplete")
        return (", " if self.fail_on_from or self.only_new_from else " ").join(said)


TABLE_WIDTH = 120
"""The table format's width in columns when it is not written to a terminal (a file, a pipe, CI logs): fixed,
so that the same input gives the same bytes anywhere. On a terminal the table fits the terminal's width."""


@dataclass(frozen=True)
class Context:
    """What rendering one filing may read: known before any filing is checked, the same in every worker."""

    gate: Gate = field(default_factory=Gate)
    catalogue: Catalogue = field(default_factory=Catalogue)  # what a report may show of the run's rules
    today: datetime.date = field(default_factory=datetime.date.today)
    letter_date: datetime.date | None = None  # the date of the staff letter the response answers
    baseline: str | None = None  # the baseline report's path, when one was given
    color: bool = False  # ANSI colour in the table format (a terminal, and NO_COLOR unset)
    width: int = TABLE_WIDTH  # the table format's width: the terminal's, on a terminal

    def rule(self, rule_id: str) -> RuleEntry | None:
        return self.catalogue.get(rule_id)


@dataclass(frozen=True, slots=True)
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
    """What a report's header and footer need of one filing: what a worker sends back besides its parts."""

    source: str
    filer: dict[str, Any]
    problems: tuple[Problem, ...]  # why it could not be checked (empty when it was)
    by_item: tuple[tuple[str, tuple[Counts, ...]], ...]  # top-level Form item -> counts per severity, Form order
    fixed: int  # baseline findings gone from it
    fired: frozenset[str]  # ids of the rules behind its findings and fixed findings
    outcomes: tuple[int, ...] = (0, 0, 0, 0)  # rules fired, passed, not applicable, not assessed (OUTCOMES)
    unaccounted: tuple[str, ...] = ()  # Form items neither described nor declared
    coverage_drop: tuple[str, ...] = ()  # rules the baseline assessed that could not assess now
    unassessed: int = 0  # baseline findings whose rule could not assess now

    @classmethod
    def of(cls, result: FilingResult, gate: Gate) -> FilingSummary:
        groups: dict[str, list[Finding]] = {}
        for finding in result.findings:
            groups.setdefault(top_item(finding.form_item), []).append(finding)
        by_item = tuple((item, tuple(Counts.of([f for f in findings if f.severity == s], gate) for s in SEVERITIES))
                        for item, findings in sorted(groups.items(), key=lambda pair: item_key(pair[0])))
        coverage = result.coverage
        return cls(result.source, dict(result.filer), tuple(result.problems), by_item, len(result.fixed),
                   frozenset(f.rule_id for f in result.findings + result.fixed),
                   tuple(coverage.tally().values()) if coverage else (0, 0, 0, 0),
                   tuple(coverage.unaccounted()) if coverage else (), tuple(result.coverage_drop),
                   len(result.unassessed))

    @property
    def checked(self) -> bool:
        return not self.problems


@dataclass
class ItemTally:
    """One top-level Form item over the run: counts per severity, and which filings have findings there."""

    by_severity: tuple[Counts, ...]
    filings: int  # how many filings have a finding under the item
    first: int  # the number (from 1) of the first of them


@dataclass
class Report:
    """One run, as its header and footer see it: running counts over the filings, the review's notes, and
    the context. Its size does not grow with the filings (only filings that could not be checked are kept,
    with their problems), so a run's memory stays flat however many filings it checks.

    `add` each filing's summary in filing order; `Report.of(results, ...)` does so for results held in
    memory (a single check, tests, benchmarks)."""

    context: Context = field(default_factory=Context)
    notes: list[Problem] = field(default_factory=list)  # waiver warnings and errors
    expired: list[Waiver] = field(default_factory=list)
    filings: int = 0
    invalid: list[FilingSummary] = field(default_factory=list)  # the filings that could not be checked
    first: FilingSummary | None = None  # the first filing (a one-filing report is titled by its filer)
    items: dict[str, ItemTally] = field(default_factory=dict)
    fixed: int = 0  # baseline findings gone, over all filings
    fired: set[str] = field(default_factory=set)  # rules behind the findings (fixed ones included)
    outcomes: tuple[int, ...] = (0, 0, 0, 0)  # over all filings: rules fired, passed, not applicable, not assessed
    unaccounted: dict[str, int] = field(default_factory=dict)  # Form item -> filings leaving it unaccounted
    incomplete: int = 0  # filings with an unaccounted Form item
    coverage_drop: int = 0  # (filing, rule) pairs the baseline assessed that could not assess now
    unassessed: int = 0  # baseline findings whose rule could not assess now

    @classmethod
    def of(cls, results: Sequence[FilingResult], gate: Gate = Gate(), rules: Iterable[Rule] = (),
           notes: Sequence[Problem] = (), expired: Sequence[Waiver] = (), **context: Any) -> Report:
        report = cls(Context(gate, Catalogue.of(rules), **context), list(notes), list(expired))
        for result in results:
            report.add(FilingSummary.of(result, gate))
        return report

    def add(self, filing: FilingSummary) -> None:
        """Count one more filing (they come in filing order)."""
        self.filings += 1
        if self.first is None:
            self.first = filing
        if filing.problems:
            self.invalid.append(filing)
        for item, by_severity in filing.by_item:
            known = self.items.get(item)
            if known is None:
                self.items[item] = ItemTally(by_severity, 1, self.filings)
            else:
                known.by_severity = tuple(a + b for a, b in zip(known.by_severity, by_severity))
                known.filings += 1
        self.fixed += filing.fixed
        self.fired |= filing.fired
        self.outcomes = tuple(a + b for a, b in zip(self.outcomes, filing.outcomes))
        for item in filing.unaccounted:
            self.unaccounted[item] = self.unaccounted.get(item, 0) + 1
        self.incomplete += bool(filing.unaccounted)
        self.coverage_drop += len(filing.coverage_drop)
        self.unassessed += filing.unassessed

    # The context's fields that headers and footers read.
    gate = property(lambda self: self.context.gate)
    catalogue = property(lambda self: self.context.catalogue)
    today = property(lambda self: self.context.today)
    baseline = property(lambda self: self.context.baseline)

    @property
    def checked(self) -> int:
        """How many filings were checked (the others could not be)."""
        return self.filings - len(self.invalid)

    @property
    def internal(self) -> int:
        """How many filings were not checked because precomment failed on them (the rest of `invalid` is bad input)."""
        return sum(1 for filing in self.invalid if internal(filing.problems))

    def by_severity(self) -> dict[str, Counts]:
        return {severity: total(item.by_severity[index] for item in self.items.values())
                for index, severity in enumerate(SEVERITIES)}

    def tally(self) -> Counts:
        return total(self.by_severity().values())

    def failed(self) -> bool:
        """The gate's verdict, bad input aside: a blocking finding; or, while the gate is on, an expired waiver,
        a Form item left unaccounted (unless --allow-incomplete), or with --fail-on-new a coverage drop."""
        if self.tally().failing:
            return True
        if self.gate.fail_on == "never":
            return False
        return bool(self.expired) or self.incomplete_fails() or (self.gate.only_new and bool(self.coverage_drop))

    def incomplete_fails(self) -> bool:
        """Whether unaccounted Form items fail this run's gate."""
        return bool(self.unaccounted) and self.gate.blocks_incomplete()

    def failure(self) -> str | None:
        """`internal error` or `bad input` when a filing could not be checked (an internal error first: a bug
        outweighs bad input), else None."""
        if not self.invalid:
            return None
        return "internal error" if self.internal else "bad input"

    def exit_code(self) -> int:
        """What `precomment check` exits with (errors.py): 3 when precomment failed on a filing, never hidden
        behind the gate or bad input; 2 when a filing could not be read; else the gate's 1 or 0."""
        if self.internal:
            return EXIT_INTERNAL
        if self.invalid:
            return EXIT_INPUT
        return EXIT_FINDINGS if self.failed() else EXIT_CLEAN


def counts(findings: list[Finding]) -> dict[Severity, int]:
    tally = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        tally[finding.severity] += 1
    return tally
