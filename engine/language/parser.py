"""The rule parser: one rule document to a checked Rule, every problem located in the file.

It checks each rule against the fact model: fact types and fields exist, constants have the field's
type, joins are ones durable-rules can evaluate safely, patterns are in the dialect both evaluators
agree on, and every placeholder can be filled.
"""
from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import Problem
from ..sources.document import Document, escape_pointer_token
from ..validation.fact_model import FactModel, FieldSpec, fact_key
from . import regex, template
from .conditions import (
    COMPARISONS,
    AllOf,
    AnyOf,
    Condition,
    Pattern,
    Ref,
    Test,
    guaranteed_keys,
)
from .derive import ARITY, Aggregate, Call, Const, Derivation, Expr, FieldRef
from .records import Authority, Effective, Example, Precedent, Rule

RESERVED_ALIASES = {"this", "param"}
NUMERIC = ("integer", "number", "year")


@dataclass
class _Alias:
    fact_type: str
    guaranteed: set[str]


class RuleParser:
    """Parses one rule document; collects problems rather than stopping at the first."""

    def __init__(self, doc: Document, model: FactModel) -> None:
        self.doc = doc
        self.model = model
        self.data: dict[str, Any] = doc.data
        self.problems: list[Problem] = []
        self.derived: dict[tuple[str, str], Derivation] = {}
        self.unresolved: set[tuple[str, str]] = set()  # declared derivations that could not be computed
        self.params: dict[str, Any] = {k: v["value"] for k, v in self.data.get("params", {}).items()}

    # -- reporting -------------------------------------------------------------------------------
    def fail(self, pointer: str, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(self.doc.problem(pointer, code, message, hint))

    def suggest(self, word: str, choices: Iterable[str]) -> str | None:
        close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
        return f"did you mean {close[0]!r}?" if close else None

    # -- derivations -----------------------------------------------------------------------------
    def parse_derivation(self, name: str) -> tuple[Derivation, str] | None:
        spec = self.data["derive"][name]
        pointer = f"/derive/{escape_pointer_token(name)}"
        if not self.known_type(spec["on"], f"{pointer}/on"):
            return None
        parsed = self.expr(spec["value"], f"{pointer}/value", spec["on"])
        if parsed is None:
            return None
        expr, kind = parsed
        return Derivation(name, spec["on"], expr, kind), pointer

    def expr(self, node: Any, pointer: str, on: str) -> tuple[Expr, str] | None:
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return Const(node), "integer" if isinstance(node, int) else "number"
        if "param" in node:
            value = self.param(node["param"], pointer)
            return (Const(value), "number") if value is not None else None
        if "field" in node:
            return self.field_expr(node["field"], pointer, on)
        op, arg = next(iter(node.items()))
        if op in ("count", "sum", "lookup"):
            return self.aggregate(op, arg, f"{pointer}/{op}", on)
        if op in ARITY and len(arg) != ARITY[op]:
            self.fail(f"{pointer}/{op}", "derive-arity", f"{op} takes {ARITY[op]} argument(s), not {len(arg)}")
            return None
        args = [self.expr(a, f"{pointer}/{op}/{i}", on) for i, a in enumerate(arg)]
        if any(a is None for a in args):
            return None
        wanted = ("date",) if op == "days_between" else None if op == "coalesce" else NUMERIC
        for i, (_, kind) in enumerate(args):
            if wanted and kind not in wanted:
                self.fail(f"{pointer}/{op}/{i}", "derive-type", f"{op} needs {' or '.join(wanted)} values, not {kind}")
                return None
        kind = "integer" if op == "days_between" else args[0][1] if op == "coalesce" else "number"
        return Call(op, tuple(a[0] for a in args)), kind

    def field_expr(self, path: str, pointer: str, on: str) -> tuple[Expr, str] | None:
        names = path.split(".")
        ups = 0
        fact_type: str | None = on
        while names[0] == "parent" and len(names) > 1:
            fact_type = self.parent_type(fact_type, f"{pointer}/field")
            if fact_type is None:
                return None
            ups += 1
            names.pop(0)
        spec = self.field(fact_type, ".".join(names), f"{pointer}/field")
        return (FieldRef(ups, fact_key(spec.path)), spec.kind) if spec else None

    def aggregate(self, op: str, spec: Mapping[str, Any], pointer: str, on: str) -> tuple[Expr, str] | None:
        fact_type = spec["fact"]
        if not self.known_type(fact_type, f"{pointer}/fact"):
            return None
        scope = {"this": _Alias(on, set())}
        mark = len(self.problems)
        where = self.where(spec.get("where", {}), f"{pointer}/where", fact_type, scope, in_derivation=True)
        if len(self.problems) > mark:
            return None
        key = None
        kind = "integer"
        if op != "count":
            field_spec = self.field(fact_type, spec["field"], f"{pointer}/field")
            if field_spec is None:
                return None
            if op == "sum" and field_spec.kind not in NUMERIC:
                self.fail(f"{pointer}/field", "derive-type", f"sum needs a numeric field; {spec['field']} is {field_spec.kind}")
                return None
            key = fact_key(field_spec.path)
            kind = "number" if op == "sum" else field_spec.kind
        return Aggregate(op, fact_type, where, key), kind

    # -- the rule --------------------------------------------------------------------------------
    def parse_rule(self) -> Rule | None:
        data = self.data
        scope: dict[str, _Alias] = {}
        patterns = tuple(p for p in (self.pattern(node, f"/when/{i}", scope) for i, node in enumerate(data["when"])) if p)
        if data["subject"] not in scope:
            self.fail("/subject", "unknown-alias", f"subject {data['subject']!r} is not the alias of a pattern in `when`",
                      self.suggest(data["subject"], scope))
        if "anchor" in data:
            self.known_type(data["anchor"], "/anchor")
        parts = {}
        for key in ("comment", "remedy"):
            parts[key] = self.template(data[key], f"/{key}", scope)
        examples = tuple(self.example(kind, i, ex) for kind in ("fail", "pass")
                         for i, ex in enumerate(data["examples"][kind]))
        if self.problems:
            return None
        own = tuple(self.derived[(spec["on"], name)] for name, spec in data.get("derive", {}).items())
        line = self.doc.locate("")[0] if self.doc.locate("") else 1
        return Rule(
            id=data["id"], name=data["name"], title=data["title"], form_item=data["form_item"],
            severity=data["severity"], description=data.get("description", "").strip(),
            authorities=tuple(Authority(**a) for a in data["authorities"]),
            precedents=tuple(Precedent(**p) for p in data["precedents"]),
            params=dict(self.params), patterns=patterns, subject=data["subject"],
            anchor=data.get("anchor"),
            comment=" ".join(data["comment"].split()), remedy=" ".join(data["remedy"].split()),
            comment_parts=tuple(parts["comment"]), remedy_parts=tuple(parts["remedy"]),
            examples=examples, derivations=own, effective=_effective(data.get("effective")),
            source=self.doc.source, line=line,
            positions=self.doc.positions)

    def example(self, kind: str, index: int, node: Mapping[str, Any]) -> Example:
        pointer = f"/examples/{kind}/{index}"
        line = (self.doc.locate(pointer) or (0, 0))[0]
        return Example(node["name"], kind, node["filing"], tuple(node.get("findings", ())), line, f"{pointer}/filing")

    def pattern(self, node: Mapping[str, Any], pointer: str, scope: dict[str, _Alias]) -> Pattern | None:
        absent = "absent" in node
        body = node["absent"] if absent else node
        base = f"{pointer}/absent" if absent else pointer
        fact_type = body["fact"]
        if not self.known_type(fact_type, f"{base}/fact"):
            return None
        where = self.where(body.get("where", {}), f"{base}/where", fact_type, scope)
        if absent:
            return Pattern(fact_type, where, absent=True)
        alias = node["as"]
        if alias in scope or alias in RESERVED_ALIASES:
            self.fail(f"{pointer}/as", "bad-alias", f"alias {alias!r} is already used or reserved",
                      "give each pattern its own name; `this` and `param` are reserved")
            return None
        required = {fact_key(p) for p, spec in self.model.types[fact_type].fields.items() if spec.required}
        parent = self.model.field(fact_type, "parent")
        scope[alias] = _Alias(fact_type, required | guaranteed_keys(where) | {fact_key("id")}
                              | ({"_parent"} if parent and parent.required else set()))
        return Pattern(fact_type, where, alias=alias)

    def known_type(self, fact_type: str, pointer: str) -> bool:
        if fact_type in self.model.types:
            return True
        self.fail(pointer, "unknown-fact", f"unknown fact type {fact_type!r}",
                  self.suggest(fact_type, self.model.types) or "see docs/filing-format.md for the fact types")
        return False

    def parent_type(self, fact_type: str, pointer: str) -> str | None:
        parents = set(self.model.types[fact_type].parents)
        if len(parents) == 1 and None not in parents:
            return parents.pop()
        self.fail(pointer, "ambiguous-parent", f"a {fact_type} fact has no single enclosing fact type "
                  f"({', '.join(sorted(str(p) for p in parents))})")
        return None

    def field(self, fact_type: str, path: str, pointer: str) -> FieldSpec | None:
        if path.startswith("derived."):
            derivation = self.derived.get((fact_type, path[len("derived."):]))
            if derivation:
                return FieldSpec(path, derivation.kind, False, "derived value")
        spec = self.model.field(fact_type, path)
        if spec is None and (fact_type, path[len("derived."):]) in self.unresolved:
            self.fail(pointer, "derive-cycle", f"{path} is declared but cannot be computed: it depends, directly "
                      "or through other derived values, on itself or on a derivation that fails",
                      "derived values must form a chain without loops")
        elif spec is None:
            names = list(self.model.types[fact_type].fields) + ["id", "parent"]
            names += [f"derived.{name}" for (on, name) in self.derived if on == fact_type]
            self.fail(pointer, "unknown-field", f"{path!r} is not a field of a {fact_type} fact",
                      self.suggest(path, names) or "fields: " + ", ".join(sorted(names)))
        return spec

    def param(self, name: str, pointer: str) -> Any:
        if name in self.params:
            return self.params[name]
        self.fail(pointer, "unknown-param", f"no parameter {name!r} is declared in `params`",
                  self.suggest(name, self.params))
        return None

    # -- conditions ------------------------------------------------------------------------------
    def where(self, node: Mapping[str, Any], pointer: str, fact_type: str, scope: Mapping[str, _Alias],
              in_derivation: bool = False, in_any: bool = False) -> AllOf:
        items: list[Condition] = []
        for key, spec in node.items():
            sub = f"{pointer}/{escape_pointer_token(key)}"
            if key in ("any_of", "all_of"):
                inner = in_any or key == "any_of"
                groups = tuple(self.where(w, f"{sub}/{i}", fact_type, scope, in_derivation, inner)
                               for i, w in enumerate(spec))
                items.append(AnyOf(groups) if key == "any_of" else AllOf(groups))
                continue
            field_spec = self.field(fact_type, key, sub)
            if field_spec is None:
                continue
            for op, raw in spec.items():
                test = self.test(field_spec, op, raw, f"{sub}/{op}", scope, in_derivation, in_any)
                if test is not None:
                    items.append(test)
        return AllOf(tuple(items))

    def test(self, spec: FieldSpec, op: str, raw: Any, pointer: str, scope: Mapping[str, _Alias],
             in_derivation: bool, in_any: bool = False) -> Test | None:
        key = fact_key(spec.path)
        if op in ("exists", "missing"):
            return Test(key, op)
        if isinstance(raw, dict) and "ref" in raw:
            ref = self.ref(raw["ref"], spec, op, f"{pointer}/ref", scope, in_derivation, in_any)
            return Test(key, op, ref) if ref else None
        if isinstance(raw, dict) and "param" in raw:
            raw = self.param(raw["param"], f"{pointer}/param")
            if raw is None:
                return None
        if op in ("in", "not_in"):
            values = tuple(self.constant(spec, v, f"{pointer}/{i}") for i, v in enumerate(raw))
            return Test(key, op, values) if None not in values else None
        if op == "matches":
            return self.matches(spec, key, raw, pointer)
        if op in COMPARISONS and spec.kind not in NUMERIC + ("date",):
            self.fail(pointer, "bad-operator", f"{op} compares numbers or dates; {spec.path} is {spec.kind}",
                      "use equals, in or matches")
            return None
        value = self.constant(spec, raw, pointer)
        return Test(key, op, value) if value is not None else None

    def constant(self, spec: FieldSpec, value: Any, pointer: str) -> Any:
        kind = spec.kind
        if kind == "page" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        ok = {
            "integer": isinstance(value, (int, float)) and not isinstance(value, bool),
            "year": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "string": isinstance(value, str),
            "page": isinstance(value, str),
            "date": isinstance(value, str) and _is_date(value),
        }.get(kind, False)
        if not ok:
            self.fail(pointer, "wrong-type", f"{spec.path} is {_kind_name(kind)}; {value!r} can never match it",
                      "write dates as YYYY-MM-DD" if kind == "date" else None)
            return None
        if spec.enum and value not in spec.enum:
            self.fail(pointer, "bad-value", f"{value!r} is not a value {spec.path} can take",
                      self.suggest(str(value), map(str, spec.enum)) or "values: " + ", ".join(map(str, spec.enum)))
            return None
        return value

    def matches(self, spec: FieldSpec, key: str, pattern: str, pointer: str) -> Test | None:
        if spec.kind not in ("string", "date", "page"):
            self.fail(pointer, "bad-operator", f"matches applies to text; {spec.path} is {spec.kind}")
            return None
        try:
            regex.check(pattern)
        except regex.PatternError as error:
            where = f"at character {error.offset + 1} of" if error.offset is not None else "in"
            self.fail(pointer, "bad-pattern", f"{error} ({where} {pattern!r})", error.hint)
            return None
        return Test(key, "matches", pattern)

    def ref(self, text: str, spec: FieldSpec, op: str, pointer: str, scope: Mapping[str, _Alias],
            in_derivation: bool, in_any: bool = False) -> Ref | None:
        alias, path = text.split(".", 1)
        if op not in ("equals",) + COMPARISONS:
            self.fail(pointer, "bad-join", f"{op} cannot take a {{ref}}", "joins use equals (or lt/lte/gt/gte)")
            return None
        if alias not in scope:
            self.fail(pointer, "unknown-alias", f"{alias!r} is not the alias of an earlier pattern",
                      self.suggest(alias, scope) or "a join may only refer to patterns above it")
            return None
        target = scope[alias]
        other = self.field(target.fact_type, path, pointer)
        if other is None:
            return None
        if _family(other.kind) != _family(spec.kind):
            self.fail(pointer, "wrong-type", f"{spec.path} ({spec.kind}) is joined to {text} ({other.kind}); they never match")
            return None
        other_key = fact_key(other.path)
        if op != "equals" and not in_derivation and other_key not in target.guaranteed:
            self.fail(pointer, "unsafe-join", f"{op} against {text}, which may be missing, aborts durable-rules "
                      "(error 311)", f"test `{path}: {{exists: true}}` in the pattern for {alias!r}")
            return None
        if in_any and not in_derivation and other_key not in target.guaranteed:
            # Outside any_of a join to a missing field simply fails; inside one, durable-rules aborts.
            self.fail(pointer, "unsafe-join", f"a join inside any_of against {text}, which may be missing, aborts "
                      "durable-rules (error 311)",
                      f"test `{path}: {{exists: true}}` in the pattern for {alias!r}, or split the rule")
            return None
        return Ref(alias, other_key)

    # -- texts -----------------------------------------------------------------------------------
    def template(self, text: str, pointer: str, scope: Mapping[str, _Alias]) -> list[Any]:
        try:
            parts = template.parse(text)
        except template.TemplateError as error:
            self.fail(pointer, "bad-placeholder", f"{error} (at character {error.offset + 1})")
            return []
        for part in parts:
            if isinstance(part, template.Placeholder):
                self.placeholder(part, pointer, scope)
        return parts

    def placeholder(self, part: template.Placeholder, pointer: str, scope: Mapping[str, _Alias]) -> None:
        shown = "{" + ".".join((part.alias,) + part.path) + "}"
        if part.alias == "param":
            self.param(part.path[0], pointer)
            return
        if part.alias not in scope:
            self.fail(pointer, "unknown-alias", f"placeholder {shown} names no pattern alias",
                      self.suggest(part.alias, scope))
            return
        fact_type = scope[part.alias].fact_type
        path = list(part.path)
        climbed = False
        while path[0] == "parent" and len(path) > 1:
            fact_type = self.parent_type(fact_type, pointer)
            if fact_type is None:
                return
            path.pop(0)
            climbed = True
        if path in (["label"], ["page"]):
            return
        spec = self.field(fact_type, ".".join(path), pointer)
        if spec is None:
            return
        guaranteed = spec.required or (not climbed and fact_key(spec.path) in scope[part.alias].guaranteed)
        if not guaranteed and part.fallback is None:
            self.fail(pointer, "placeholder-may-be-missing", f"placeholder {shown} may be missing in a match",
                      f"give a fallback, {{{'.'.join((part.alias,) + part.path)}|...}}, or test the field in the pattern")


def _effective(node: Mapping[str, Any] | None) -> Effective | None:
    if node is None:
        return None
    return Effective(datetime.date.fromisoformat(node["from"]), node["basis"], node["source"], node.get("verify"))


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
        return len(text) == 10
    except ValueError:
        return False


def _family(kind: str) -> str:
    return "number" if kind in NUMERIC else "text" if kind in ("string", "page") else kind


def _kind_name(kind: str) -> str:
    return {"integer": "a whole number", "number": "a number", "year": "a fiscal year", "boolean": "true or false", "string": "text",
            "date": "a date", "page": "a page", "array": "a list"}.get(kind, kind)
