"""A fast yes/no check of a document against one of precomment's own JSON Schemas.

jsonschema explains every error well (validate.py relies on that) but costs half of a large filing's
check, and its import alone is a sixth of a one-filing CLI run. Most documents are valid, so validate.py
asks this module first: when it answers True the document is valid and jsonschema is never imported;
when it answers False, jsonschema runs and says why.

The one promise: `conforms(...)` is True only if jsonschema (Draft 2020-12, with the date format
checked) finds no error. It supports exactly the keywords our schemas use, each implemented as jsonschema
defines it; a schema with any other keyword is refused when compiled (a test compiles every bundled
schema whole; `conforms` compiles each property's part as a document first has it, and answers False on
such a keyword found then), and where exactness would cost more than it saves (uniqueItems over anything but text) it
answers False and lets jsonschema decide. tests/test_fastcheck.py compares both on random valid and
damaged filings.

It also makes each whole-number float where the schema says integer an int (`whole_numbers`): JSON Schema
accepts 2009.0 as the integer 2009, so everything after validation must read it as 2009.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache
from typing import Any, TypeGuard

from ..resources import load_schema

Check = Callable[[Any], bool]
Mend = Callable[[Any], Any]
"""Returns its value with each whole-number float where the schema says integer made an int; mappings and
lists are changed in place (and returned), so a value needing no change costs no copy."""

ANNOTATIONS = {"description", "title", "$schema", "$id", "$comment", "default", "examples", "x-fact", "x-label",
               "$defs", "deprecated", "x-form-item", "x-key", "x-absent", "x-informational"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def conforms(data: Any, schema_name: str) -> bool:
    try:
        return _compiled(schema_name)(data)
    except UnsupportedSchema:  # a part compiled only now (`_properties`) uses a keyword not implemented here
        return False


@cache
def _compiled(schema_name: str) -> Check:
    """The schema's predicate; a schema using a keyword not implemented here always defers to jsonschema
    (tests/test_fastcheck.py requires every bundled schema to compile)."""
    try:
        return compile_schema(load_schema(schema_name), lazy=True)
    except UnsupportedSchema:
        return lambda value: False


def whole_numbers(data: Any, schema_name: str) -> Any:
    """`data` with every whole-number float where the schema says integer made an int (2009.0 -> 2009),
    mappings and lists changed in place.

    JSON Schema calls 2009.0 an integer, so a year written that way is valid; but Python, durable-rules'
    JSON reader and every report tell 2009.0 from 2009 (a join of 2009.0 to 2010 - 1 failed in durable-rules
    only; "fiscal 2008.0" reached a comment). Made an int here, the value is the integer the schema promised
    to every later stage. A number the schema calls a number (an amount, a percentage) keeps its written
    form; a fraction where it says integer (2009.5) is refused by validation, and left alone here."""
    mend = _mender(schema_name)
    return data if mend is None else mend(data)


@cache
def _mender(schema_name: str) -> Mend | None:
    """The schema's mender, or None where it says integer nowhere (or uses a keyword not implemented here)."""
    schema = load_schema(schema_name)
    try:
        return _Mender(_Compiler(schema.get("$defs", {}))).compile(schema)
    except UnsupportedSchema:
        return None


class UnsupportedSchema(ValueError):
    """The schema uses something this module does not implement exactly."""


def compile_schema(schema: dict[str, Any], lazy: bool = False) -> Check:
    """The schema's predicate. `lazy`: a listed property's check is compiled when a mapping first has that
    key (`_properties`), so an unsupported keyword below it is found only then (`conforms` defers to
    jsonschema); otherwise all of it now (the tests compile every bundled schema so)."""
    return _Compiler(schema.get("$defs", {}), lazy).compile(schema)


class _Compiler:
    """Schema -> predicate. `$ref`s to `#/$defs/NAME` are compiled once each and may be recursive."""

    def __init__(self, defs: dict[str, Any], lazy: bool = False) -> None:
        self.defs = defs
        self.lazy = lazy
        self.done: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        if not target.startswith("#/$defs/") or target[len("#/$defs/"):] not in self.defs:
            raise UnsupportedSchema(f"unsupported $ref {target!r}")
        name = target[len("#/$defs/"):]
        if name not in self.done:
            self.done[name] = lambda value: False  # a placeholder while a recursive definition compiles
            compiled = self.compile(self.defs[name])
            self.done[name] = compiled
        return lambda value: self.done[name](value)

    def compile(self, schema: dict[str, Any]) -> Check:
        unknown = set(schema) - ANNOTATIONS - set(_KEYWORDS)
        if unknown:
            raise UnsupportedSchema(f"fastcheck does not implement {sorted(unknown)}")
        found = [_KEYWORDS[keyword](self, schema) for keyword in _KEYWORDS if keyword in schema]
        return _all_of([check for check in found if check is not None])


def _all_of(checks: list[Check]) -> Check:
    """A check holding when every one of `checks` does, trying them in order. Each value of a document
    passes through several (type, required, properties...): as plain `and`s up to four, they cost no
    generator per value, which was most of a 100,000-fact filing's validation (BENCHMARKS.md, 'Against
    Spectral')."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda v: a(v) and b(v)
    if len(checks) == 3:
        a, b, c = checks
        return lambda v: a(v) and b(v) and c(v)
    if len(checks) == 4:
        a, b, c, d = checks
        return lambda v: a(v) and b(v) and c(v) and d(v)

    def every(v: Any) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True
    return every


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    # Draft 2020-12: a number with a zero fractional part is an integer (1.0 is one).
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
}


def _equal(a: Any, b: Any) -> bool:
    """jsonschema's equality: booleans equal only booleans; 1 equals 1.0; containers compared item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _type(c: _Compiler, s: dict[str, Any]) -> Check:
    names = s["type"] if isinstance(s["type"], list) else [s["type"]]
    tests = [_TYPES[name] for name in names]
    return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))


def _enum(c: _Compiler, s: dict[str, Any]) -> Check:
    options = s["enum"]
    if all(isinstance(o, str) for o in options):
        texts = frozenset(options)
        return lambda v: isinstance(v, str) and v in texts
    return lambda v: any(_equal(v, o) for o in options)


def _const(c: _Compiler, s: dict[str, Any]) -> Check:
    expected = s["const"]
    return lambda v: _equal(v, expected)


def _pattern(c: _Compiler, s: dict[str, Any]) -> Check:
    search = re.compile(s["pattern"]).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _min_length(c: _Compiler, s: dict[str, Any]) -> Check:
    least = s["minLength"]
    return lambda v: not isinstance(v, str) or len(v) >= least


def _max_length(c: _Compiler, s: dict[str, Any]) -> Check:
    most = s["maxLength"]
    return lambda v: not isinstance(v, str) or len(v) <= most


def _bound(keyword: str, holds: Callable[[Any, Any], bool]) -> Callable[[_Compiler, dict[str, Any]], Check]:
    def make(c: _Compiler, s: dict[str, Any]) -> Check:
        limit = s[keyword]
        return lambda v: not _is_number(v) or holds(v, limit)
    return make


def _format(c: _Compiler, s: dict[str, Any]) -> Check | None:
    if s["format"] != "date":
        raise UnsupportedSchema(f"fastcheck does not implement format {s['format']!r}")
    return lambda v: not isinstance(v, str) or (_DATE.fullmatch(v) is not None and _is_date(v))


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _required(c: _Compiler, s: dict[str, Any]) -> Check:
    keys = s["required"]
    return lambda v: not isinstance(v, dict) or all(k in v for k in keys)


def _properties(c: _Compiler, s: dict[str, Any]) -> Check:
    """With a lazy compiler, a listed property's check is compiled when a mapping first has that key: a
    description holds a few of the filing schema's hundreds of fields, and compiling all of them cost a
    check of IIJ more than checking the whole description (BENCHMARKS.md, 'Start-up')."""
    listed: dict[str, Any] = s.get("properties", {})
    known: dict[str, Check] = {} if c.lazy else {key: c.compile(sub) for key, sub in listed.items()}
    extra = s.get("additionalProperties", True)
    if extra is True:
        other: Check | None = None
    elif extra is False:
        other = lambda v: False  # noqa: E731 - any key not listed is an error
    else:
        other = c.compile(extra)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            test = known.get(key)
            if test is None:
                test = known[key] = c.compile(listed[key]) if key in listed else other  # type: ignore[assignment]
            if test is not None and not test(item):
                return False
        return True
    return check


def _min_properties(c: _Compiler, s: dict[str, Any]) -> Check:
    least = s["minProperties"]
    return lambda v: not isinstance(v, dict) or len(v) >= least


def _max_properties(c: _Compiler, s: dict[str, Any]) -> Check:
    most = s["maxProperties"]
    return lambda v: not isinstance(v, dict) or len(v) <= most


def _property_names(c: _Compiler, s: dict[str, Any]) -> Check:
    test = c.compile(s["propertyNames"])
    return lambda v: not isinstance(v, dict) or all(test(key) for key in v)


def _additional(c: _Compiler, s: dict[str, Any]) -> Check | None:
    return None if "properties" in s else _properties(c, s)


def _items(c: _Compiler, s: dict[str, Any]) -> Check:
    test = c.compile(s["items"])

    def check(v: Any) -> bool:
        if isinstance(v, list):
            for item in v:
                if not test(item):
                    return False
        return True
    return check


def _min_items(c: _Compiler, s: dict[str, Any]) -> Check:
    least = s["minItems"]
    return lambda v: not isinstance(v, list) or len(v) >= least


def _max_items(c: _Compiler, s: dict[str, Any]) -> Check:
    most = s["maxItems"]
    return lambda v: not isinstance(v, list) or len(v) <= most


def _unique(c: _Compiler, s: dict[str, Any]) -> Check | None:
    if not s["uniqueItems"]:
        return None
    # Exact for text (the only items our schemas make unique); anything else is left to jsonschema.
    return lambda v: not isinstance(v, list) or (all(isinstance(x, str) for x in v) and len(set(v)) == len(v))


def _one_of(c: _Compiler, s: dict[str, Any]) -> Check:
    branches = [c.compile(sub) for sub in s["oneOf"]]

    def check(v: Any) -> bool:
        held = 0
        for branch in branches:
            if branch(v):
                held += 1
                if held > 1:
                    return False
        return held == 1
    return check


def _ref(c: _Compiler, s: dict[str, Any]) -> Check:
    return c.ref(s["$ref"])


_KEYWORDS: dict[str, Callable[[_Compiler, dict[str, Any]], Check | None]] = {
    "$ref": _ref,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minimum": _bound("minimum", lambda v, b: v >= b),
    "maximum": _bound("maximum", lambda v, b: v <= b),
    "exclusiveMinimum": _bound("exclusiveMinimum", lambda v, b: v > b),
    "exclusiveMaximum": _bound("exclusiveMaximum", lambda v, b: v < b),
    "format": _format,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "minProperties": _min_properties,
    "maxProperties": _max_properties,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique,
    "oneOf": _one_of,
}


def _to_int(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class _Mender:
    """Schema -> Mend, or None for a part of the schema with no integer anywhere below it (most of a filing
    is text), so mending walks only the parts of a document that may hold an integer.

    It follows the schema as validation does: `properties` and `additionalProperties` into a mapping's
    values, `items` into a list's, `$ref` into its definition, and `oneOf` into the one branch the value
    conforms to (decided by the compiled check, so a page 54.0 is mended as `integer`, not as text)."""

    def __init__(self, checks: _Compiler) -> None:
        self.checks = checks
        self.done: dict[str, Mend | None] = {}

    def compile(self, schema: dict[str, Any]) -> Mend | None:
        parts = [part for part in (self.scalar(schema), self.ref(schema), self.mapping(schema), self.list(schema),
                                   self.one_of(schema)) if part is not None]
        if len(parts) < 2:
            return parts[0] if parts else None

        def mend(value: Any) -> Any:
            for part in parts:
                value = part(value)
            return value
        return mend

    def scalar(self, schema: dict[str, Any]) -> Mend | None:
        names = schema.get("type", ())
        names = [names] if isinstance(names, str) else names
        return _to_int if "integer" in names and "number" not in names else None

    def ref(self, schema: dict[str, Any]) -> Mend | None:
        """A definition's mender, compiled once; a recursive one's references to itself, met while it
        compiles, defer to what it turns out to be."""
        if "$ref" not in schema:
            return None
        self.checks.ref(schema["$ref"])  # refuses a reference the compiler cannot follow
        name = schema["$ref"][len("#/$defs/"):]
        if name not in self.done:
            self.done[name] = lambda value: (self.done[name] or _unchanged)(value)
            self.done[name] = self.compile(self.checks.defs[name])
        return self.done[name]

    def mapping(self, schema: dict[str, Any]) -> Mend | None:
        listed = schema.get("properties", {})
        known = {key: part for key, sub in listed.items() if (part := self.compile(sub)) is not None}
        extra = schema.get("additionalProperties", True)
        other = self.compile(extra) if isinstance(extra, dict) else None
        if not known and other is None:
            return None

        def mend(value: Any) -> Any:
            if isinstance(value, dict):
                for key, part in known.items():  # the schema's few keys that may hold an integer, not all
                    if key in value:
                        value[key] = part(value[key])
                if other is not None:
                    for key, item in value.items():
                        if key not in listed:
                            value[key] = other(item)  # (a key it has: the mapping's size never changes)
            return value
        return mend

    def list(self, schema: dict[str, Any]) -> Mend | None:
        part = self.compile(schema["items"]) if isinstance(schema.get("items"), dict) else None
        if part is None:
            return None

        def mend(value: Any) -> Any:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    value[index] = part(item)
            return value
        return mend

    def one_of(self, schema: dict[str, Any]) -> Mend | None:
        branches = [(self.checks.compile(sub), self.compile(sub)) for sub in schema.get("oneOf", ())]
        if all(part is None for _, part in branches):
            return None

        def mend(value: Any) -> Any:
            if not isinstance(value, (float, dict, list)):  # nothing to mend: spare the branches' checks
                return value
            holding = [part for holds, part in branches if holds(value)]
            return holding[0](value) if len(holding) == 1 and holding[0] is not None else value
        return mend


def _unchanged(value: Any) -> Any:
    return value
