"""The rule catalogue: what a report shows of the rules of a run, and nothing else of them.

Reports read each filing's findings (checking/findings.py), which carry what a finding shows of its rule.
Two formats also describe the rules themselves: SARIF lists every rule of the run for a dashboard's help
panel, and HTML describes the rules behind its findings. They read a `RuleEntry` per rule, made once from
the loaded rules (`Catalogue.of`, before the first filing is checked), never a `Rule` with its conditions,
templates and examples: the entry is all a report may know of a rule, and it is small and picklable, so a
worker process gets it with the run's context.

`in_force` and `form_order` are also what `precomment rules` prints and sorts by (commands/ruletools.py),
so the rule listing and the reports agree on both.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..language.records import Authority, Precedent, Rule, Severity
from ..validation.formitems import item_key


def in_force(rule: Rule) -> str:
    """When the rule applies, as a phrase: "applies to fiscal years ending on or after ..."."""
    return f"applies to {rule.effective.describe()}" if rule.effective else "applies to every filing"


def form_order(form_item: str, rule_id: str) -> tuple[object, ...]:
    """The sort key of a rule in Form order: by top-level item (3, 4, 4A, 5 ... 16K, 17 ...), then id."""
    return (item_key(form_item.split(".")[0]), rule_id)


@dataclass(frozen=True)
class RuleEntry:
    """One rule as a report shows it: its identity, where it sits in the Form, what it says and on whose
    authority, and when it applies."""

    id: str
    name: str
    title: str
    form_item: str
    severity: Severity
    description: str
    comment: str  # the likely comment's template, as written in the rule file
    remedy: str  # the remedy's template, likewise: what to change in the filing
    record: str  # the record's template, likewise: what to record in the description then
    authorities: tuple[Authority, ...]
    precedents: tuple[Precedent, ...]
    in_force: str  # `in_force(rule)`: "applies to every filing", or since when
    dated: bool  # whether the rule has an `effective` date (`in_force` then names it)

    @classmethod
    def of(cls, rule: Rule) -> RuleEntry:
        return cls(rule.id, rule.name, rule.title, rule.form_item, rule.severity, rule.description, rule.comment,
                   rule.remedy, rule.record, rule.authorities, rule.precedents, in_force(rule), rule.effective is not None)


@dataclass(frozen=True)
class Catalogue:
    """The run's rules as reports see them: in the rule set's order, and found by id."""

    entries: tuple[RuleEntry, ...] = ()

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Catalogue:
        return cls(tuple(RuleEntry.of(rule) for rule in rules))

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def _by_id(self) -> dict[str, RuleEntry]:
        return {entry.id: entry for entry in self.entries}

    def get(self, rule_id: str) -> RuleEntry | None:
        return self._by_id.get(rule_id)

    @cached_property
    def in_form_order(self) -> tuple[RuleEntry, ...]:
        """The entries in Form order (`form_order`), as `precomment rules list` lists them."""
        return tuple(sorted(self.entries, key=lambda entry: form_order(entry.form_item, entry.id)))

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each rule's place in `in_form_order`, from 0: a SARIF result's `ruleIndex`."""
        return {entry.id: position for position, entry in enumerate(self.in_form_order)}
