"""The fact model: which parts of a filing description become facts, and the typed fields of each.

It is read from the filing schema itself (objects annotated `x-fact`), so the schema stays the single
description of the format. Nested plain objects are flattened into their fact: the rule path
`dependence_analysis.quantified` is stored under the key `dependence_analysis__quantified`.

A fact type whose facts sit in an array declares its natural key (`x-key`: the field, or list of fields,
that tells one item from its siblings, e.g. an exhibit's number), so that a finding is identified by what
its subject is rather than by its position in the list (facts/keys.py).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
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


LABEL_FIELD = re.compile(r"\{([a-z_.]+)\}")
"""A field named in a fact type's x-label: `Exhibit {number}` names `number`."""


FieldKind = Literal["string", "integer", "number", "amount", "year", "boolean", "date", "page", "array"]
"""What a field holds, as rules see it: the filing schema's JSON type, refined by its `$defs` (`page`, `year`,
`amount`: a number in the filer's reporting currency and unit) and its `format` (`date`). A Literal, not an
enum: kinds are compared and printed as the words they are."""
FIELD_KINDS: tuple[FieldKind, ...] = get_args(FieldKind)
_REFINED: dict[str, FieldKind] = {"page": "page", "year": "year", "amount": "amount"}
"""The filing schema's `$defs` whose fields are a kind of their own, not their JSON type."""

Absence = Literal["unanswered", "not-disclosed", "none"]
"""What a field left out of a description means (the filing schema's `x-absent` on each field that is not
required): `unanswered`, the preparer has not said (a judgement, or a fact only the preparer knows), so a
rule that depends on it is not assessed; `not-disclosed`, the filing does not give the value, which a rule
may ask for; `none`, a list with nothing in it. docs/filing-format.md explains each to preparers."""
ABSENCES: tuple[Absence, ...] = get_args(Absence)
ABSENCE_MEANINGS: dict[Absence, str] = {
    "unanswered": "the preparer has not answered; the rules that depend on it are not assessed for that fact",
    "not-disclosed": "the filing does not give it",
    "none": "there are none (as [])",
}
"""What leaving a field out means, in the words docs/fact-types.md and questionnaires show beside it."""


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
    absent: Absence | None = None  # what leaving it out means; None for a required field
    informational: str | None = None  # why no rule reads it (the schema's `x-informational`)

    @property
    def unanswered_when_absent(self) -> bool:
        """Whether leaving the field out leaves a question open: rules reading it cannot decide (coverage)."""
        return self.absent == "unanswered"


@dataclass(frozen=True)
class Section:
    """A part of a description that answers one Form item or lettered part (the schema's `x-form-item`):
    described, declared not applicable or omitted, or left unaccounted; what coverage is counted in."""

    pointer: str  # /item16/mine_safety
    form_item: str  # 16H

    @property
    def path(self) -> str:
        """The section as a preparer writes it: `item16.mine_safety`."""
        return self.pointer.strip("/").replace("/", ".")

    def contains(self, pointer: str) -> bool:
        """Whether a fact pointer (or a schema pointer with `*`) lies in this section."""
        return pointer == self.pointer or pointer.startswith(self.pointer + "/")

    def described(self, data: Any) -> bool:
        """Whether a description describes this section: a mapping with anything in it, or a list (an empty
        list says there is none). A missing key, or `{}`, describes nothing."""
        for token in self.pointer.strip("/").split("/"):
            data = data.get(token) if isinstance(data, dict) else None
        return isinstance(data, list) or (isinstance(data, dict) and bool(data))


@dataclass
class FactType:
    name: str
    label: str
    description: str
    pointers: list[str]  # where such facts occur, e.g. /item6/share_ownership/holders/*
    parents: list[str | None]  # the fact type enclosing each occurrence (None: top level)
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)  # the sections its occurrences lie in (none: the cover)
    key: tuple[str, ...] = ()  # x-key: the fields that name one item of its array (none: not in an array)


@dataclass
class PlanNode:
    """How to walk one schema node of a document: what to make of it, and of its children."""

    kind: str  # fact | container | fact_array | field | nested
    fact_type: str | None = None
    children: dict[str, PlanNode] = field(default_factory=dict)
    item: PlanNode | None = None
    path: str = ""  # the field path, for `field` nodes and the prefix of `nested` ones
    field_kind: FieldKind | None = None  # of a `field` node
    key: tuple[str, ...] = ()  # of a `fact` node in an array: its type's x-key


@dataclass
class FactModel:
    types: dict[str, FactType]
    plan: PlanNode
    sections: tuple[Section, ...] = ()  # in schema order

    def kind_of(self, fact_type: str, key: str) -> FieldKind | None:
        """The kind of the field stored under `key` in facts of `fact_type` (None if unknown)."""
        spec = self.types[fact_type].fields.get(key.replace(KEY_SEPARATOR, "."))
        return spec.kind if spec else None

    def field(self, fact_type: str, path: str) -> FieldSpec | None:
        if path in PSEUDO_FIELDS:
            return FieldSpec(path, "string", path == "id" or None not in self.types[fact_type].parents)
        return self.types[fact_type].fields.get(path)

    def written_at(self, fact_type: str, path: str) -> list[str]:
        """Where a field of a fact type is written in a filing description, as a rule's `record` names it:
        `item6.share_ownership.holders[].percent_of_class`, one path per place the fact type occurs."""
        return [f"{description_path(pointer)}.{path}" for pointer in self.types[fact_type].pointers]

    @cached_property
    def description_paths(self) -> frozenset[str]:
        """Every path of a filing description that a rule's `record` may name: each field of each fact,
        where it is written (`written_at`), and the objects and arrays that hold it (`item19.exhibits`,
        `item19.exhibits[]`, `item4.business.suppliers[].dependence_analysis`)."""
        paths: set[str] = set()
        for fact_type in self.types.values():
            for pointer in fact_type.pointers:
                paths |= _with_holders(description_path(pointer))
                for path in fact_type.fields:
                    paths |= _with_holders(f"{description_path(pointer)}.{path}")
        return frozenset(paths)


def description_path(pointer: str) -> str:
    """A fact's pointer pattern as a description path: /item19/exhibits/* -> item19.exhibits[]."""
    return pointer.strip("/").replace("/*", "[]").replace("/", ".")


def _with_holders(path: str) -> set[str]:
    """A path and every path that holds it: item6.share_ownership.holders[] -> item6, item6.share_ownership,
    item6.share_ownership.holders and the path itself."""
    names = path.split(".")
    paths = {".".join(names[:end]) for end in range(1, len(names) + 1)}
    return paths | {held.removesuffix("[]") for held in paths}


def resolve_ref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its `$ref` to `$defs` followed: the definition, with the node's own keywords over it
    (its description, its x- annotations) and `x-def` naming the definition (`page`, `year`)."""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        merged = dict(defs[name])
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        merged.setdefault("x-def", name)
        node = merged
    return node


def filing_node(node: Mapping[str, Any]) -> dict[str, Any]:
    """A node of the filing schema with its `$ref` followed (`resolve_ref` over the filing schema's `$defs`)."""
    return resolve_ref(dict(node), load_schema(FILING_SCHEMA)["$defs"])


class _SchemaWalker:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.types: dict[str, FactType] = {}
        self.sections: list[Section] = []

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        return resolve_ref(node, self.defs)

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

    def absence(self, node: dict[str, Any], path: str) -> Absence | None:
        value = node.get("x-absent")
        for known in ABSENCES:  # narrows the schema's word to the meaning it names
            if value == known:
                return known
        if value is not None:
            raise ValueError(f"field {path!r} of the filing schema has x-absent {value!r}, not one of {ABSENCES}")
        return None

    def object_plan(self, node: dict[str, Any], pointer: str, parent: str | None,
                    fact: FactType | None, prefix: str, required: bool) -> dict[str, PlanNode]:
        children: dict[str, PlanNode] = {}
        needed = set(node.get("required", ()))
        for name, raw in node.get("properties", {}).items():
            sub = self.resolve(raw)
            child_pointer = f"{pointer}/{name}"
            path = f"{prefix}{name}"
            if "x-form-item" in sub:
                self.sections.append(Section(child_pointer, sub["x-form-item"]))
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
                if not item.key:
                    raise ValueError(f"fact type {item.fact_type!r} sits in an array ({child_pointer}) and declares "
                                     "no x-key, the fields that tell one item from another")
                children[name] = PlanNode("fact_array", item=item)
            elif fact is not None:
                kind = self.field_kind(sub)
                items = self.resolve(sub.get("items", {})) if kind == "array" else {}
                fact.fields[path] = FieldSpec(path, kind, is_required, sub.get("description", ""),
                                              tuple(sub["enum"]) if "enum" in sub else None,
                                              tuple(items["enum"]) if "enum" in items else None,
                                              self.absence(sub, path), sub.get("x-informational"))
                children[name] = PlanNode("field", path=path, field_kind=kind)
        return children

    def fact_plan(self, node: dict[str, Any], pointer: str, parent: str | None) -> PlanNode:
        """A fact type, registered in document order; one defined once in the schema may occur in
        several places (known_trend)."""
        name = node["x-fact"]
        declared = node.get("x-key", ())
        key = (declared,) if isinstance(declared, str) else tuple(declared)
        fact = FactType(name, node.get("x-label", name), node.get("description", ""), [pointer], [parent], key=key)
        known = self.types.setdefault(name, fact)
        children = self.object_plan(node, pointer, parent, fact, "", True)
        for path in key:
            spec = fact.fields.get(path)
            if spec is None or spec.kind == "array":
                raise ValueError(f"fact type {name!r}: its x-key names {path!r}, which is not one of its single-valued fields")
        if known is not fact:
            if known.fields != fact.fields or known.key != fact.key:
                raise ValueError(f"fact type {name!r} is declared twice in the filing schema with different fields")
            known.pointers.append(pointer)
            known.parents.append(parent)
        return PlanNode("fact", fact_type=name, children=children, key=key)


def _prefixes(pointer: str) -> list[str]:
    """A pointer and each pointer above it, the shortest first: /a/b -> /a, /a/b (Section.contains)."""
    tokens = pointer.split("/")
    return ["/".join(tokens[:end]) for end in range(2, len(tokens) + 1)]


@cache
def fact_model() -> FactModel:
    """The fact model of the bundled filing schema, built once per process."""
    schema = load_schema(FILING_SCHEMA)
    walker = _SchemaWalker(schema)
    root = PlanNode("container", children=walker.object_plan(schema, "", None, None, "", False))
    by_pointer: dict[str, list[Section]] = {}
    for section in walker.sections:
        by_pointer.setdefault(section.pointer, []).append(section)
    for fact in walker.types.values():  # the sections containing a pointer are those at one of its prefixes
        fact.sections = [section for pointer in fact.pointers for prefix in _prefixes(pointer)
                         for section in by_pointer.get(prefix, ())]
    return FactModel(walker.types, root, tuple(walker.sections))
