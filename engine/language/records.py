"""Rule records: what a loaded, checked rule is. Every later stage reads these, never the YAML."""
from __future__ import annotations

import datetime
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .conditions import Pattern
from .derive import Derivation, Deriver


@dataclass(frozen=True)
class Authority:
    cite: str
    quote: str | None = None
    url: str | None = None
    current: str | None = None
    verify: str | None = None


@dataclass(frozen=True)
class Precedent:
    """A published staff comment the rule's comment follows: the letter (a slug, `<company>-<yyyy-mm-dd>`), the
    comment's number in it and, for a letter not bundled here, the company, the letter's date and its EDGAR
    address."""
    letter: str
    comment: int
    company: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        """How every report names it: `iij-2009-09-30, comment 4`, or with the company and date when given."""
        named = f"{self.company}, letter of {self.date}" if self.company and self.date else self.letter
        return f"{named}, comment {self.comment}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields given, without the empty optional ones."""
        return {key: value for key, value in asdict(self).items() if value is not None}


Severity = Literal["error", "warning", "info"]
"""How serious a rule's finding is, most serious first (findings.SEVERITIES); `--fail-on` gates on it."""
EffectiveBasis = Literal["fiscal_year_end", "fiscal_year_start", "filing_date"]
"""Which of the filer's dates an `effective` date is compared with."""

# basis: (the filings it applies to, how the filer's date is named, a short form)
_BASES: dict[EffectiveBasis, tuple[str, str, str]] = {
    "fiscal_year_end": ("fiscal years ending", "fiscal year ended", "FY ending"),
    "fiscal_year_start": ("fiscal years beginning", "fiscal year began", "FY beginning"),
    "filing_date": ("filings made", "filed", "filed"),
}


@dataclass(frozen=True)
class Effective:
    """When a requirement began to apply: fiscal years ending or beginning on or after `start`, or
    filings made on or after it."""

    start: datetime.date
    basis: EffectiveBasis
    source: str
    verify: str | None = None

    def describe(self) -> str:
        return f"{_BASES[self.basis][0]} on or after {self.start.isoformat()} ({self.source})"

    def short(self) -> str:
        return f"{_BASES[self.basis][2]} >= {self.start.isoformat()}"

    def not_yet(self, filer: Mapping[str, Any]) -> str | None:
        """Why the requirement does not apply to this filer's filing, or None when it does (or when the
        filing does not give the date compared: never skip a rule on a guess)."""
        compared = _compared_date(filer, self.basis)
        if compared is None or compared >= self.start:
            return None
        return f"{_BASES[self.basis][1]} {compared.isoformat()}; applies to {self.describe()}"


def _compared_date(filer: Mapping[str, Any], basis: EffectiveBasis) -> datetime.date | None:
    key = "filing_date" if basis == "filing_date" else "fiscal_year_end"
    try:
        value = datetime.date.fromisoformat(str(filer[key]))
    except (KeyError, ValueError):
        return None
    if basis != "fiscal_year_start":
        return value
    # A fiscal year begins the day after the previous one ended (a 29 February end falls back to the 28th).
    if value.year == datetime.MINYEAR:  # the previous year is not representable: the year began on 1 January 1
        return datetime.date.min
    previous_end = value.replace(year=value.year - 1, day=min(value.day, 28 if value.month == 2 else value.day))
    return previous_end + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Example:
    name: str
    kind: str  # fail | pass
    filing: Mapping[str, Any]
    findings: tuple[str, ...]
    line: int
    pointer: str  # of the example's filing within the rule file


class Examples:
    """A rule's examples, read as a tuple is (in order, with `len`), kept pickled until first read: the rule
    cache loads every rule with each check, which reads no example, and they were 40% of its unpickling
    (BENCHMARKS.md, 'Start-up'). A pickle of Examples holds one inner pickle (bytes), as Positions does."""

    __slots__ = ("_items", "_packed")

    def __init__(self, items: Iterable[Example] = (), packed: bytes | None = None) -> None:
        self._items: tuple[Example, ...] | None = None if packed is not None else tuple(items)
        self._packed = packed

    def _all(self) -> tuple[Example, ...]:
        if self._items is None:
            assert self._packed is not None
            items: tuple[Example, ...] = pickle.loads(self._packed)  # written by __reduce__, in the trusted cache
            self._items, self._packed = items, None
        return self._items

    def __reduce__(self) -> tuple[Any, ...]:
        packed = self._packed if self._packed is not None else pickle.dumps(self._items, pickle.HIGHEST_PROTOCOL)
        return type(self), ((), packed)

    def __iter__(self) -> Iterator[Example]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"Examples({self._all()!r})"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    form_item: str
    severity: Severity
    description: str
    authorities: tuple[Authority, ...]
    precedents: tuple[Precedent, ...]
    params: Mapping[str, Any]
    patterns: tuple[Pattern, ...]
    subject: str
    anchor: str | None
    page: tuple[str, str] | None  # (alias, fact key) of a page field: the finding's page when the fact has it
    comment: str
    remedy: str  # what to change in the filing
    record: str  # what to record in the filing's description once it is changed, naming its fields
    comment_parts: tuple[Any, ...] = field(compare=False)
    remedy_parts: tuple[Any, ...] = field(compare=False)
    record_parts: tuple[Any, ...] = field(compare=False)
    examples: Examples = field(compare=False)
    derivations: tuple[Derivation, ...] = field(compare=False)
    effective: Effective | None = None
    requirements: tuple[str, ...] = ()  # the requirements register's ids of the paragraphs the rule enforces
    aliases: tuple[str, ...] = ()  # former ids: a waiver or baseline naming one matches this rule's findings
    source: str = ""
    line: int = 0
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of a part of the rule file (or of its nearest enclosing part)."""
        while pointer not in self.positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.positions.get(pointer, (self.line, 1))


@dataclass
class RuleSet:
    rules: tuple[Rule, ...]
    derivations: tuple[Derivation, ...]
    compiled: Any = field(default=None, compare=False, repr=False)
    """The rules compiled for durable-rules, when the rule cache holds them (the evaluation stage fills and
    reads it: durable_rules.compile.precompile); kept only while the rules are the ones compiled."""

    def deriver(self) -> Deriver:
        return Deriver(list(self.derivations))
