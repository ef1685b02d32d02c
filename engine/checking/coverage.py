"""Coverage: what a check could and could not look at, so that a clean report means "checked".

For one filing, every Form item is accounted for or not (`ItemCoverage`), and every rule in force gets one
outcome (`RuleCoverage`):
- fired: it has findings;
- passed: it looked at everything it reads and found nothing;
- not applicable: not in force for the filing's dates, not for this filer (a condition on the cover, such as
  the basis of accounting, does not hold), or a section it reads is declared not applicable;
- NOT ASSESSED: a section it reads is not described (or declared omitted), or a question it turns on is
  left unanswered (a field the schema marks `x-absent: unanswered`), with what it lacked.

What a rule reads comes from its conditions: the fact type of each pattern, and the sections of the filing
schema (`x-form-item`) those facts lie in. A rule that asks whether something is absent from a section
that is not described cannot know; its matches there are not findings, and coverage says why instead.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from ..evaluation.match import Match
from ..facts.build import FactSet
from ..language.conditions import AllOf, Condition, Pattern, PositivePattern, Test, decided, walk_tests
from ..language.reads import DERIVED
from ..language.records import Effective, EffectiveBasis, Rule
from ..sources.document import Document
from ..validation import formitems
from ..validation.fact_model import KEY_SEPARATOR, FactModel, Section
from ..validation.sanity import DECLARATIONS

Outcome = Literal["fired", "passed", "not-applicable", "not-assessed"]
"""What became of one rule on one filing."""
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
ASSESSED: frozenset[Outcome] = frozenset({"fired", "passed"})
"""The outcomes of a rule that looked at what it reads: a baseline compares what was assessed with these."""
ItemState = Literal["described", "not-applicable", "omitted", "unaccounted"]
"""How a description accounts for one Form item."""
FILER = "filer"
"""The cover page's fact type: always described (the schema requires it); conditions on it are the profile."""
_SUBJECTS_NAMED = 3
"""Subjects named in a not-assessed reason before "and N more"."""


@dataclass(frozen=True)
class ItemCoverage:
    """One Form item or lettered part and how the description accounts for it."""

    form_item: str
    state: ItemState
    reason: str  # the declared reason, or the sections that describe it, or what is missing

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.form_item, "state": self.state, "reason": self.reason}


@dataclass(frozen=True)
class RuleCoverage:
    """One rule's outcome on one filing, and why when it did not assess."""

    rule_id: str
    form_item: str
    outcome: Outcome
    reason: str = ""  # empty for fired and passed
    lacking: tuple[str, ...] = ()  # the sections (paths) or fields it lacked, for not-assessed

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "item": self.form_item, "outcome": self.outcome, "reason": self.reason,
                "lacking": list(self.lacking)}


@dataclass(frozen=True)
class Coverage:
    """A filing's coverage: its Form items, then its rules, each in Form order."""

    items: tuple[ItemCoverage, ...]
    rules: tuple[RuleCoverage, ...]

    def unaccounted(self) -> list[str]:
        """The Form items the description neither describes nor declares: they fail the default gate."""
        return [item.form_item for item in self.items if item.state == "unaccounted"]

    def tally(self) -> dict[Outcome, int]:
        counts = {outcome: 0 for outcome in OUTCOMES}
        for rule in self.rules:
            counts[rule.outcome] += 1
        return counts

    def assessed(self) -> frozenset[str]:
        """The rules that looked at what they read (fired or passed)."""
        return frozenset(r.rule_id for r in self.rules if r.outcome in ASSESSED)

    def to_dict(self) -> dict[str, Any]:
        return {"tally": dict(self.tally()), "unaccounted": self.unaccounted(),
                "items": [item.to_dict() for item in self.items], "rules": [rule.to_dict() for rule in self.rules]}


@dataclass(frozen=True)
class _SectionState:
    state: ItemState | Literal["not-described"]
    section: Section
    reason: str


class Declarations:
    """The Form items a description declares not applicable or omitted, and the state of each section."""

    def __init__(self, data: Mapping[str, Any], model: FactModel) -> None:
        self.data = data
        self.model = model
        self.declared: dict[str, tuple[ItemState, str]] = {}
        for kind in DECLARATIONS:
            block = data.get(kind)
            state: ItemState = "not-applicable" if kind == "not_applicable" else "omitted"
            for designation, reason in (block.items() if isinstance(block, dict) else ()):
                self.declared.setdefault(designation, (state, reason))
        self._sections = {section.pointer: self._section(section) for section in model.sections}

    def declaration(self, form_item: str) -> tuple[str, ItemState, str] | None:
        """The declaration covering a Form item: of the item itself or of an item it is part of."""
        for designation, (state, reason) in self.declared.items():
            if formitems.within(form_item, designation):
                return designation, state, reason
        return None

    def _section(self, section: Section) -> _SectionState:
        if section.described(self.data):
            return _SectionState("described", section, "")
        declared = self.declaration(section.form_item)
        if declared is not None:
            designation, state, reason = declared
            return _SectionState(state, section, f"Item {designation} is declared {_words(state)}: {reason}")
        if section.form_item == formitems.GENERAL:
            return _SectionState("not-described", section, f"{section.path} is not described (the reader writes it "
                                 "when precomment reads the filing document itself)")
        return _SectionState("not-described", section, f"{section.path} (Item {section.form_item}) is not described")

    def of_type(self, fact_type: str) -> _SectionState | None:
        """The state of the sections facts of a type lie in: described when any is (a type may occur in
        several: known trends in 5.A and 5.B); None for the cover, which is always described."""
        states = [self._sections[s.pointer] for s in self.model.types[fact_type].sections]
        if not states:
            return None
        for wanted in ("described", "not-applicable", "omitted"):
            found = next((s for s in states if s.state == wanted), None)
            if found is not None:
                return found
        return states[0]

    def items(self, read: Iterable[str], not_yet: Mapping[str, str]) -> tuple[ItemCoverage, ...]:
        """Every Form item (16A-16K for Item 16; 17 is answered with 18), and each lettered part in `read`
        (the parts the rules read), with how the description accounts for it. An item in `not_yet` (added to
        the Form after the filing's dates) is not applicable unless described."""
        wanted = [item for item in formitems.TITLES if item != "17"]
        wanted += sorted({part for part in read if "." in part and part not in wanted}, key=formitems.item_key)
        items = {item: self._item(item, not_yet.get(item)) for item in sorted(wanted, key=formitems.item_key)}
        # A part of an item left wholly unaccounted says nothing more than the item does.
        return tuple(coverage for item, coverage in items.items()
                     if not (coverage.state == "unaccounted" and "." in item
                             and items.get(formitems.top_item(item), coverage).state == "unaccounted"))

    def _item(self, form_item: str, not_yet: str | None) -> ItemCoverage:
        described = [s.path for s in self.model.sections
                     if formitems.within(s.form_item, form_item) and self._sections[s.pointer].state == "described"]
        if described:
            return ItemCoverage(form_item, "described", ", ".join(described))
        declared = self.declaration(form_item)
        if declared is not None:
            return ItemCoverage(form_item, declared[1], declared[2])
        parts = sorted((d for d in self.declared if formitems.within(d, form_item)), key=formitems.item_key)
        if parts:  # a declared part accounts for its item (Item 6 is more than precomment describes of it)
            state, _ = self.declared[parts[0]]
            return ItemCoverage(form_item, state, "; ".join(f"{p}: {self.declared[p][1]}" for p in parts))
        if not_yet is not None:
            return ItemCoverage(form_item, "not-applicable", f"not yet required: {not_yet}")
        where = [s.path for s in self.model.sections if formitems.within(s.form_item, form_item)]
        missing = f"describe {' or '.join(where)}, or declare it" if where else "declare it"
        return ItemCoverage(form_item, "unaccounted", f"not described and not declared: {missing}")


def _cover(facts: FactSet) -> Mapping[str, Any]:
    """The filer block as the description gives it (dates as written)."""
    data = facts.document.data
    filer = data.get("filer") if isinstance(data, dict) else None
    return filer if isinstance(filer, dict) else {}


def _words(state: str) -> str:
    return state.replace("-", " ")


class Assessor:
    """The coverage of one rule set: what each rule reads is found once, each filing then costs a pass over
    the facts its rules read."""

    def __init__(self, rules: Iterable[Rule], model: FactModel) -> None:
        self.rules = tuple(rules)
        self.model = model
        self.read_items = frozenset(s.form_item for rule in self.rules for p in rule.patterns
                                    if p.fact_type in model.types for s in model.types[p.fact_type].sections)
        self.open_absent = False  # set per filing by `coverage`, with the document
        self.document: Document | None = None
        self.in_form_order = sorted(self.rules, key=lambda r: (formitems.item_key(r.form_item), r.id))
        self.added_later = {item: Effective(datetime.date.fromisoformat(start), cast(EffectiveBasis, basis), source)
                            for item, (start, basis, source) in formitems.ADDED_LATER.items()}

    def decided_matches(self, facts: FactSet, matches: list[Match]) -> list[Match]:
        """The matches that rest only on what the description says, for a description in which a field left
        out is an open question (`Document.absent_is_open`: one read from a filing document). A match that
        binds a fact whose pattern turns on a field left out rests on what the reader did not find, not on
        what the filing does not say: it is no finding, and its rule is reported not assessed instead."""
        rules = {rule.id: rule for rule in self.rules}
        kept = []
        for match in matches:
            bound = dict(match.bindings)
            patterns = [p for p in rules[match.rule_id].patterns if isinstance(p, PositivePattern) and p.alias in bound]
            if all(decided(p.where, fact, self._open_for(p.fact_type, fact, facts.document)) is not None
                   for p in patterns for fact in [facts.by_id[bound[p.alias]]]):
                kept.append(match)
        return kept

    def coverage(self, facts: FactSet, matches: Iterable[Match], not_in_force: Mapping[str, str]) -> Coverage:
        """The filing's coverage, from its facts, the matches of its rules and the rules not in force."""
        self.open_absent = facts.document.absent_is_open
        self.document = facts.document
        declarations = Declarations(facts.document.data if isinstance(facts.document.data, dict) else {}, self.model)
        by_type: dict[str, list[dict[str, Any]]] = {}
        for fact in facts.facts:
            by_type.setdefault(fact["_type"], []).append(fact)
        fired = {match.rule_id for match in matches}
        outcomes = tuple(self._rule(rule, rule.id in fired, not_in_force.get(rule.id), declarations, by_type, facts)
                         for rule in self.in_form_order)
        return Coverage(declarations.items(self.read_items, self._not_yet(_cover(facts))), outcomes)

    def _not_yet(self, filer: Mapping[str, Any]) -> dict[str, str]:
        """The Form items and parts added to the Form after this filing's dates (formitems.ADDED_LATER)."""
        reasons = {item: effective.not_yet(filer) for item, effective in self.added_later.items()}
        return {item: reason for item, reason in reasons.items() if reason}

    def _rule(self, rule: Rule, fired: bool, not_in_force: str | None, declarations: Declarations,
              by_type: Mapping[str, list[dict[str, Any]]], facts: FactSet) -> RuleCoverage:
        def outcome(kind: Outcome, reason: str = "", lacking: tuple[str, ...] = ()) -> RuleCoverage:
            return RuleCoverage(rule.id, rule.form_item, kind, reason, lacking)

        if not_in_force:
            return outcome("not-applicable", f"not in force: {not_in_force}")
        profile = self._profile(rule, by_type.get(FILER, []))
        if profile is not None:
            return outcome(*profile)
        sections = self._sections(rule, declarations)
        if sections is not None:
            return outcome(*sections)
        if fired:
            return outcome("fired")
        unanswered = self._unanswered(rule, by_type, facts)
        if unanswered:
            fields = tuple(sorted({field for _, field in unanswered}))
            return outcome("not-assessed", "not answered: " + _listed(unanswered), fields)
        return outcome("passed")

    def _profile(self, rule: Rule, filers: list[dict[str, Any]]) -> tuple[Outcome, str, tuple[str, ...]] | None:
        """Not applicable when a condition on the cover does not hold for this filer; not assessed when it
        turns on a cover question left unanswered."""
        for pattern in rule.patterns:
            if not isinstance(pattern, PositivePattern) or pattern.fact_type != FILER or not filers:
                continue
            open_question = self._open_for(FILER, filers[0], self.document)
            holds = decided(pattern.where, filers[0], open_question)
            if holds is False:
                return ("not-applicable", "not for this filer: applies where " + _condition(pattern.where), ())
            if holds is None:
                fields = tuple(sorted(f"filer.{_path(t.key)}" for t in _open_tests(pattern, filers[0], open_question)))
                return ("not-assessed", "not answered: " + ", ".join(fields), fields)
        return None

    def _sections(self, rule: Rule, declarations: Declarations) -> tuple[Outcome, str, tuple[str, ...]] | None:
        """Not applicable when a section its subjects come from is declared so; not assessed when a section it
        reads is not described or omitted (an absent pattern too: absence from a section nobody described
        is not absence)."""
        states = [(pattern, declarations.of_type(pattern.fact_type)) for pattern in rule.patterns
                  if pattern.fact_type in self.model.types]
        for pattern, state in states:
            if state is not None and isinstance(pattern, PositivePattern) and state.state == "not-applicable":
                return ("not-applicable", state.reason, ())
        lacking = [state for _, state in states if state is not None and state.state in ("omitted", "not-described")]
        if lacking:
            unique = list({state.section.path: state for state in lacking}.values())
            return ("not-assessed", "; ".join(state.reason for state in unique), tuple(s.section.path for s in unique))
        return None

    def _unanswered(self, rule: Rule, by_type: Mapping[str, list[dict[str, Any]]],
                    facts: FactSet) -> list[tuple[str, str]]:
        """(subject, field) for each fact a pattern of the rule cannot decide for want of an answer."""
        found: list[tuple[str, str]] = []
        for pattern in rule.patterns:
            if pattern.fact_type == FILER or pattern.fact_type not in self.model.types:
                continue
            questions = [(fact, self._open_for(pattern.fact_type, fact, self.document))
                         for fact in by_type.get(pattern.fact_type, [])]
            outcomes = [(fact, question, decided(pattern.where, fact, question)) for fact, question in questions]
            if not isinstance(pattern, PositivePattern) and any(holds is True for _, _, holds in outcomes):
                continue  # an absent pattern already answered by a fact that holds: the unknown ones cannot matter
            for fact, question, holds in outcomes:
                if holds is None:
                    found.extend((facts.label(fact), _written(fact["id"], t.key))
                                 for t in _open_tests(pattern, fact, question))
        return found

    def _open_for(self, fact_type: str, fact: Mapping[str, Any], document: Document | None) -> OpenQuestion:
        """Whether a key of this fact, left out, is an open question: one not answered (`x-absent: unanswered`),
        or, in a description read from a document (`Document.absent_is_open`), any field but a derived value
        that the answers do not say the filing does not give (`Document.left_open`)."""
        schema = self._open_question(fact_type)
        if document is None or not document.absent_is_open:
            return schema

        def open_question(key: str) -> bool:
            return schema(key) or (not key.startswith(DERIVED) and document.left_open(fact["id"], key))

        return open_question

    def _open_question(self, fact_type: str) -> OpenQuestion:
        """Whether a key of this type's facts, left out, is a question not answered (`x-absent: unanswered`)."""
        fields = self.model.types[fact_type].fields

        def open_question(key: str) -> bool:
            spec = fields.get(_path(key))
            return spec is not None and spec.unanswered_when_absent

        return open_question


OpenQuestion = Callable[[str], bool]


def _open_tests(pattern: Pattern, fact: Mapping[str, Any], open_question: OpenQuestion) -> list[Test]:
    return [t for t in walk_tests(pattern.where) if t.key not in fact and open_question(t.key)]


def _written(pointer: str, key: str) -> str:
    """A fact's field as a preparer writes it in the description: `item3.risk_factors[].has_occurred`."""
    steps = [("[]" if token.isdigit() else f".{token}") for token in pointer.strip("/").split("/")]
    return ("".join(steps) + "." + _path(key)).lstrip(".")


def _path(key: str) -> str:
    return key.replace(KEY_SEPARATOR, ".")


def _condition(condition: Condition, top: bool = True) -> str:
    """A condition on the cover in words: `filer.basis_of_accounting equals IFRS and (...)`."""
    if isinstance(condition, Test):
        return f"filer.{_path(condition.key)} {condition.op.replace('_', ' ')} {_operand(condition.value)}".rstrip()
    joiner = " and " if isinstance(condition, AllOf) else " or "
    text = joiner.join(_condition(item, False) for item in condition.items)
    return text if top or len(condition.items) < 2 else f"({text})"


def _operand(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "" if value is None else str(value)


def _listed(pairs: list[tuple[str, str]]) -> str:
    """`risk_factor.explained` of "Competition", "Suppliers" and 2 more."""
    by_field: dict[str, list[str]] = {}
    for subject, field in pairs:
        names = by_field.setdefault(field, [])
        if subject not in names:
            names.append(subject)
    parts = []
    for field, subjects in sorted(by_field.items()):
        shown = ", ".join(f'"{s}"' for s in subjects[:_SUBJECTS_NAMED])
        more = len(subjects) - _SUBJECTS_NAMED
        parts.append(f"{field} of {shown}" + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts)
