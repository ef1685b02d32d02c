"""Facts: flatten a validated filing description into typed facts with unique ids.

Each object the schema marks `x-fact` becomes one flat dict: its scalar fields (nested plain objects
flattened to `a__b` keys), `id` (its JSON pointer, unique in the document: durable-rules' identity)
and `_id` (the same, for rules to read; see fact_model.PSEUDO_FIELDS), `_type`, `_parent` (the pointer
of the enclosing fact) and `_page` (its own page, or the nearest enclosing one, unless it says the
filing discusses it elsewhere: `ELSEWHERE`). Pages are normalised to strings. Derived values are then added
(language/derive.py). Each fact's key (keys.py: what its subject is, e.g. `item19.exhibits[4.4]`, where its
pointer says where it is) is kept beside the facts, by pointer, for the findings: rules never read it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import InputError, Problem
from ..language.derive import Deriver, TooLarge
from ..language.template import format_value
from ..sources.document import Document, escape_pointer_token
from ..validation.fact_model import LABEL_FIELD, FactModel, FieldKind, PlanNode, fact_key, fact_model
from . import keys as finding_keys

ELSEWHERE = ("mentioned_in", "described_in")
"""Fields by which a fact says where else the filing discusses it ("Item 6.B, Compensation", "Note 14"). Such
a fact is listed under one section but printed in another, so the page of the section it is listed under is
not its page: without a page of its own it has none, and a comment says "[page not given]" rather than cite
a page of another item."""


def elsewhere(fact: Mapping[str, Any]) -> bool:
    """Whether a fact (or the object it is made of) says the filing discusses it elsewhere (`ELSEWHERE`)."""
    return any(isinstance(fact.get(name), str) for name in ELSEWHERE)


@dataclass
class FactSet:
    """One document's facts, in document order, with lookup by id."""

    document: Document
    facts: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]

    model: FactModel
    keys: dict[str, str]  # each fact's key (keys.py), by its pointer (id)

    def label(self, fact: Mapping[str, Any]) -> str:
        """The fact's display name, from its type's x-label (e.g. "Exhibit {number}")."""
        fact_type = fact["_type"]
        pattern = self.model.types[fact_type].label
        return LABEL_FIELD.sub(lambda m: self.format(fact_type, fact_key(m.group(1)), fact.get(fact_key(m.group(1)))),
                                pattern)

    def format(self, fact_type: str, key: str, value: Any) -> str:
        return "?" if value is None else format_value(value, self.model.kind_of(fact_type, key))


def build_facts(document: Document, deriver: Deriver | None = None, model: FactModel | None = None) -> FactSet:
    """The facts of a document that already passed validation."""
    model = model or fact_model()
    facts: list[dict[str, Any]] = []
    keys: dict[str, str] = {}
    _walk_container(document.data, model.plan, _Place("", "", None, None), facts, keys)
    by_id = {fact["id"]: fact for fact in facts}
    if deriver is not None:
        try:
            deriver.apply(facts, by_id)
        except TooLarge as error:
            raise InputError([_too_large(document, error)]) from None
    return FactSet(document, facts, by_id, model, keys)


def _too_large(document: Document, error: TooLarge) -> Problem:
    """A derived value too large to compute, at the fact it is derived on: figures a filing never prints
    (5e-324) are bad input, like a fraction where a whole number is expected."""
    assert error.derivation is not None and error.fact is not None
    number, size = error.culprit()
    return document.problem(error.fact["id"], "overflow",
                            f"the value {error.derivation.name} derived here is too large to compute: "
                            f"{error.computation()}",
                            f"check the figures it is computed from: {number} is too {size} to be a figure "
                            "of a filing")


class _Place(NamedTuple):
    """Where the walk is: the value's pointer and key, the enclosing fact's pointer and the page in force."""

    pointer: str
    key: str
    parent: str | None
    page: str | None

    def child(self, name: str) -> _Place:
        return _Place(f"{self.pointer}/{escape_pointer_token(name)}", finding_keys.child(self.key, name),
                      self.parent, self.page)


def _walk_container(value: Any, plan: PlanNode, place: _Place, facts: list[dict[str, Any]],
                    keys: dict[str, str]) -> None:
    if not isinstance(value, dict):
        return
    for name, child_plan in plan.children.items():
        if name in value:
            _walk(value[name], child_plan, place.child(name), facts, keys)


def _walk(value: Any, plan: PlanNode, place: _Place, facts: list[dict[str, Any]], keys: dict[str, str]) -> None:
    if plan.kind == "container":
        _walk_container(value, plan, place, facts, keys)
    elif plan.kind == "fact_array":
        assert plan.item is not None  # a fact_array node always has its items' plan
        item_keys = finding_keys.item_keys(place.key, value, plan.item.key)
        for index, (item, key) in enumerate(zip(value, item_keys)):
            _walk(item, plan.item, _Place(f"{place.pointer}/{index}", key, place.parent, place.page), facts, keys)
    elif plan.kind == "fact":
        _make_fact(value, plan, place, facts, keys)


def _make_fact(value: dict[str, Any], plan: PlanNode, place: _Place, facts: list[dict[str, Any]],
               keys: dict[str, str]) -> None:
    pointer = place.pointer
    fact: dict[str, Any] = {"id": pointer, "_id": pointer, "_type": plan.fact_type}
    if place.parent is not None:
        fact["_parent"] = place.parent
    own_page = value.get("page")
    fact["_page"] = str(own_page) if own_page is not None else None if elsewhere(value) else place.page
    if fact["_page"] is None:
        del fact["_page"]
    facts.append(fact)
    keys[pointer] = place.key
    _fill(fact, value, plan, _Place(pointer, place.key, pointer, fact.get("_page")), facts, keys)


def _fill(fact: dict[str, Any], value: dict[str, Any], plan: PlanNode, place: _Place, facts: list[dict[str, Any]],
          keys: dict[str, str]) -> None:
    for name, child_plan in plan.children.items():
        if name not in value:
            continue
        child = value[name]
        if child_plan.kind == "field":
            fact[fact_key(child_plan.path)] = _normalise(child, child_plan.field_kind)
        elif child_plan.kind == "nested":
            _fill(fact, child, child_plan, place.child(name), facts, keys)
        else:
            _walk(child, child_plan, place.child(name), facts, keys)


def _normalise(value: Any, kind: FieldKind | None) -> Any:
    if kind == "page":
        return str(value)
    if kind == "array":
        return list(value)
    return value
