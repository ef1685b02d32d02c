"""Facts: flatten a validated filing description into typed facts with unique ids.

Each object the schema marks `x-fact` becomes one flat dict: its scalar fields (nested plain objects
flattened to `a__b` keys), `id` (its JSON pointer, unique in the document: durable-rules' identity)
and `_id` (the same, for rules to read; see fact_model.PSEUDO_FIELDS), `_type`, `_parent` (the pointer
of the enclosing fact) and `_page` (its own page, or the nearest enclosing one, unless it says the
filing discusses it elsewhere: `ELSEWHERE`). Pages are normalised to strings. Derived values are then added (language/derive.py).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, Problem
from ..language.derive import Deriver, TooLarge
from ..language.template import format_value
from ..sources.document import Document, escape_pointer_token
from ..validation.fact_model import FactModel, FieldKind, PlanNode, fact_key, fact_model

_LABEL_FIELD = re.compile(r"\{([a-z_.]+)\}")
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

    def label(self, fact: Mapping[str, Any]) -> str:
        """The fact's display name, from its type's x-label (e.g. "Exhibit {number}")."""
        fact_type = fact["_type"]
        pattern = self.model.types[fact_type].label
        return _LABEL_FIELD.sub(lambda m: self.format(fact_type, fact_key(m.group(1)), fact.get(fact_key(m.group(1)))),
                                pattern)

    def format(self, fact_type: str, key: str, value: Any) -> str:
        return "?" if value is None else format_value(value, self.model.kind_of(fact_type, key))


def build_facts(document: Document, deriver: Deriver | None = None, model: FactModel | None = None) -> FactSet:
    """The facts of a document that already passed validation."""
    model = model or fact_model()
    facts: list[dict[str, Any]] = []
    _walk_container(document.data, model.plan, "", None, None, facts)
    by_id = {fact["id"]: fact for fact in facts}
    if deriver is not None:
        try:
            deriver.apply(facts, by_id)
        except TooLarge as error:
            raise InputError([_too_large(document, error)]) from None
    return FactSet(document, facts, by_id, model)


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


def _walk_container(value: Any, plan: PlanNode, pointer: str, parent: str | None, page: str | None,
                    facts: list[dict[str, Any]]) -> None:
    if not isinstance(value, dict):
        return
    for name, child_plan in plan.children.items():
        if name in value:
            _walk(value[name], child_plan, f"{pointer}/{escape_pointer_token(name)}", parent, page, facts)


def _walk(value: Any, plan: PlanNode, pointer: str, parent: str | None, page: str | None,
          facts: list[dict[str, Any]]) -> None:
    if plan.kind == "container":
        _walk_container(value, plan, pointer, parent, page, facts)
    elif plan.kind == "fact_array":
        assert plan.item is not None  # a fact_array node always has its items' plan
        for index, item in enumerate(value):
            _walk(item, plan.item, f"{pointer}/{index}", parent, page, facts)
    elif plan.kind == "fact":
        _make_fact(value, plan, pointer, parent, page, facts)


def _make_fact(value: dict[str, Any], plan: PlanNode, pointer: str, parent: str | None, page: str | None,
               facts: list[dict[str, Any]]) -> None:
    fact: dict[str, Any] = {"id": pointer, "_id": pointer, "_type": plan.fact_type}
    if parent is not None:
        fact["_parent"] = parent
    own_page = value.get("page")
    fact["_page"] = str(own_page) if own_page is not None else None if elsewhere(value) else page
    if fact["_page"] is None:
        del fact["_page"]
    facts.append(fact)
    _fill(fact, value, plan, pointer, fact.get("_page"), facts)


def _fill(fact: dict[str, Any], value: dict[str, Any], plan: PlanNode, pointer: str, page: str | None,
          facts: list[dict[str, Any]]) -> None:
    for name, child_plan in plan.children.items():
        if name not in value:
            continue
        child = value[name]
        child_pointer = f"{pointer}/{escape_pointer_token(name)}"
        if child_plan.kind == "field":
            fact[fact_key(child_plan.path)] = _normalise(child, child_plan.field_kind)
        elif child_plan.kind == "nested":
            _fill(fact, child, child_plan, child_pointer, page, facts)
        else:
            _walk(child, child_plan, child_pointer, fact["id"], page, facts)


def _normalise(value: Any, kind: FieldKind | None) -> Any:
    if kind == "page":
        return str(value)
    if kind == "array":
        return list(value)
    return value
