"""How each kind of value is named to a user: one table for every message and generated page.

A field's kind (fact_model.FieldSpec.kind) is a JSON Schema type, or one the filing schema refines
(`year`, `date`, `page`, `amount`). The schema check names JSON types when a value has the wrong one, the rule
parser names a field's kind when a constant can never match it, and the fact-type reference names it
in a table column: the three read this table, so a kind is never called two different things.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindName:
    """A kind's name in a sentence ("amount is a whole number") and in a table column ("whole number")."""

    phrase: str
    label: str


KIND_NAMES: dict[str, KindName] = {
    "integer": KindName("a whole number", "whole number"),
    "number": KindName("a number", "number"),
    "amount": KindName("an amount", "amount"),
    "year": KindName("a fiscal year", "fiscal year"),
    "boolean": KindName("true or false", "true / false"),
    "string": KindName("text", "text"),
    "date": KindName("a date", "date"),
    "page": KindName("a page", "page"),
    "array": KindName("a list", "list"),
    "object": KindName("a mapping of keys to values", "mapping"),
    "null": KindName("null", "null"),
}
"""Every kind a field or a JSON value can have. `object` and `null` are JSON types no field has."""


def kind_phrase(kind: str) -> str:
    """The kind as a sentence names it; an unknown kind by its own name, so a message never fails."""
    known = KIND_NAMES.get(kind)
    return known.phrase if known else kind


def kind_label(kind: str) -> str:
    """The kind as a table column names it; an unknown kind by its own name."""
    known = KIND_NAMES.get(kind)
    return known.label if known else kind
