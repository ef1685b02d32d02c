"""The fact model: which parts of a filing description become facts, and the typed fields of each.

It is read from the filing schema itself (objects annotated `x-fact`), so the schema stays the single
description of the format. Nested plain objects are flattened into their fact: the rule path
`dependence_analysis.quantified` is stored under the key `dependence_analysis__quantified`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, get_args

from ..resources import load_schema

FILING_SCHEMA = "filing.schema.json"
KEY_SEPARATOR = "__"
PSEUDO_FIELDS = {"id": "_id", "parent": "_parent"}
"""Fields every fact has besides its own: its JSON pointer, and its parent fact's pointer.

Rules read the pointer from `_id`, a copy, never from `id`: durable-rules keeps the string values of
`id` and `sid` pointing into the buffer of the call that asserted the fact, so a join reading a
stored fact's `id` compared freed memory and lost matches (6 of 30 shuffled runs on the IIJ filing).
"""


FieldKind = Literal["string", "integer", "number", "amount", "year", "boolean", "date", "page", "array"]
"""What a field holds, as rules see it: the filing schema's JSON type, refined by its `$defs` (`page`, `year`,
`amount`: a number in the filer's reporting currency and unit) and its `format` (`date`). A Literal, not an
enum: kinds are compared and printed as the words they are."""
FIELD_KINDS: tuple[FieldKind, ...] = get_args(FieldKind)
_REFINED: dict[str, FieldKind] = {"page": "page", "year": "year", "amount": "amount"}
"""The filing schema's `$defs` whose fields are a kind of their own, not their JSON type."""


def fact_key(path: str) -> str:
    """The key under which a rule path (`a.b`, `derived.x`, `parent`) is stored in a fact."""
    return PSEUDO_FIELDS.get(path) or path.replace(".", KEY_SEPARATOR)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a fact type, as rules see it."""

    path: str
    kind: FieldKind
    required: bool
    description: str = ""
    enum: tuple[Any, ...] | None = None
    items_enum: tuple[Any, ...] | None = None


@dataclass
class FactType:
    name: str
    label: str
    description: str
    pointers: list[str]  # where such facts occur, e.g. /item6/share_ownership/holders/*
    parents: list[str | None]  # the fact type enclosing each occurrence (None: top level)
    fields: dict[str, FieldSpec] = field(default_factory=dict)


@dataclass
class PlanNode:
    """How to walk one schema node of a document: what to make of it, and of its children."""

    kind: str  # fact | container | fact_array | field | nested
    fact_type: str | None = None
    children: dict[str, PlanNode] = field(default_factory=dict)
    item: PlanNode | None = None
    path: str = ""  # the field path, for `field` nodes and the prefix of `nested` ones
    field_kind: FieldKind | None = None  # of a `field` node


@dataclass
class FactModel:
    types: dict[str, FactType]
    plan: PlanNode

    def kind_of(self, fact_type: str, key: str) -> FieldKind | None:
        """The kind of the field stored under `key` in facts of `fact_type` (None if unknown)."""
        spec = self.types[fact_type].fields.get(key.replace(KEY_SEPARATOR, "."))
        return spec.kind if spec else None

    def field(self, fact_type: str, path: str) -> FieldSpec | None:
        if path in PSEUDO_FIELDS:
            return FieldSpec(path, "string", path == "id" or None not in self.types[fact_type].parents)
        return self.types[fact_type].fields.get(path)


class _SchemaWalker:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.types: dict[str, FactType] = {}

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            merged = dict(self.defs[name])
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            merged.setdefault("x-def", name)
            node = merged
        return node

    def field_kind(self, node: dict[str, Any]) -> FieldKind:
        if node.get("x-def") in _REFINED:
            return _REFINED[node["x-def"]]
        kind = node.get("type")
        if kind == "string" and node.get("format") == "date":
            return "date"
        if "const" in node:
            return "integer"
        for known in FIELD_KINDS:  # narrows the schema's word to the kind it names
            if kind == known:
                return known
        raise ValueError(f"a field of the filing schema has the type {kind!r}, which rules cannot test")

    def object_plan(self, node: dict[str, Any], pointer: str, parent: str | None,
                    fact: FactType | None, prefix: str, required: bool) -> dict[str, PlanNode]:
        children: dict[str, PlanNode] = {}
        needed = set(node.get("required", ()))
        for name, raw in node.get("properties", {}).items():
            sub = self.resolve(raw)
            child_pointer = f"{pointer}/{name}"
            path = f"{prefix}{name}"
            is_required = required and name in needed
            if sub.get("type") == "object" and "x-fact" in sub:
                children[name] = self.fact_plan(sub, child_pointer, fact.name if fact else parent)
            elif sub.get("type") == "object":
                if fact is None:
                    children[name] = PlanNode("container", children=self.object_plan(sub, child_pointer, parent, None, "", False))
                else:
                    nested = self.object_plan(sub, child_pointer, parent, fact, f"{path}.", is_required)
                    children[name] = PlanNode("nested", children=nested, path=path)
            elif sub.get("type") == "array" and "x-fact" in self.resolve(sub["items"]):
                item = self.fact_plan(self.resolve(sub["items"]), f"{child_pointer}/*", fact.name if fact else parent)
                children[name] = PlanNode("fact_array", item=item)
            elif fact is not None:
                kind = self.field_kind(sub)
                items = self.resolve(sub.get("items", {})) if kind == "array" else {}
                fact.fields[path] = FieldSpec(path, kind, is_required, sub.get("description", ""),
                                              tuple(sub["enum"]) if "enum" in sub else None,
                                              tuple(items["enum"]) if "enum" in items else None)
                children[name] = PlanNode("field", path=path, field_kind=kind)
        return children

    def fact_plan(self, node: dict[str, Any], pointer: str, parent: str | None) -> PlanNode:
        """A fact type, registered in document order; one defined once in the schema may occur in
        several places (known_trend)."""
        name = node["x-fact"]
        fact = FactType(name, node.get("x-label", name), node.get("description", ""), [pointer], [parent])
        known = self.types.setdefault(name, fact)
        children = self.object_plan(node, pointer, parent, fact, "", True)
        if known is not fact:
            if known.fields != fact.fields:
                raise ValueError(f"fact type {name!r} is declared twice in the filing schema with different fields")
            known.pointers.append(pointer)
            known.parents.append(parent)
        return PlanNode("fact", fact_type=name, children=children)


@cache
def fact_model() -> FactModel:
    """The fact model of the bundled filing schema, built once per process."""
    schema = load_schema(FILING_SCHEMA)
    walker = _SchemaWalker(schema)
    root = PlanNode("container", children=walker.object_plan(schema, "", None, None, "", False))
    return FactModel(walker.types, root)
