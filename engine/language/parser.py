"""The rule parser: one rule document to a checked Rule, every problem located in the file.

It checks each rule against the fact model: fact types and fields exist, constants have the field's
type, joins are ones durable-rules can evaluate safely, patterns are in the dialect both evaluators
agree on, and every placeholder can be filled. Each check is a generator that yields the problems it
finds and returns what it parsed (`Checked`), so a parser holds no list of problems for others to edit:
parse_rule and parse_derivation return theirs, and a caller that discards a failed attempt's problems
(resolution.py, retrying a derived value) simply does not keep them.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Generator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..errors import Problem, did_you_mean
from ..sources.document import Document, escape_pointer_token
from ..validation.fact_model import FactModel, FieldKind, FieldSpec, fact_key
from ..validation.kinds import kind_phrase
from . import regex, template
from .conditions import (
    AbsentPattern,
    AllOf,
    AnyOf,
    Condition,
    Pattern,
    PositivePattern,
    Ref,
    Test,
    guaranteed_keys,
)
from .derive import ARITY, Aggregate, Call, Const, Derivation, Expr, FieldRef
from .operators import OPERATORS, OperatorName
from .records import Authority, Effective, Example, Examples, Precedent, Rule
from .template import Placeholder

RESERVED_ALIASES = {"this", "param"}
RECORDED_FIELD = re.compile(r"`([^`]*)`")
"""A field of the filing description named in a rule's `record`: `item19.exhibits[].number`."""
NUMERIC: tuple[FieldKind, ...] = ("integer", "number", "amount", "year")

T = TypeVar("T")
Checked = Generator[Problem, None, T]
"""A check: it yields each problem it finds, in the order found, and returns what it parsed (None, or
False, when it could not). `value = yield from check` passes the problems on to the caller's caller."""


def run(check: Checked[T]) -> tuple[T, list[Problem]]:
    """What a check parsed, and the problems it found."""
    problems: list[Problem] = []
    while True:
        try:
            problems.append(next(check))
        except StopIteration as done:
            return done.value, problems


@dataclass(frozen=True)
class _Alias:
    fact_type: str
    guaranteed: set[str]


@dataclass(frozen=True)
class _Context:
    """What a `where` is parsed against: the type of the facts it tests, the patterns above it by alias
    (for joins), and where it sits: inside a derivation's aggregate (whose joins durable-rules never
    evaluates) or inside an any_of (where a join to a missing field aborts durable-rules)."""

    fact_type: str
    scope: Mapping[str, _Alias]
    in_derivation: bool = False
    in_any: bool = False


class RuleParser:
    """Parses one rule document against the fact model and the derived values known so far.

    `derived` holds every rule file's derived values parsed so far, by (fact type, name) (resolution.py
    fills it, and reads which look-ups missed); `stuck` names the derived values that could not be
    computed, and `failed` those of this document's own, each reported again by parse_rule to say why.
    """

    def __init__(self, doc: Document, model: FactModel,
                 derived: Mapping[tuple[str, str], Derivation] | None = None,
                 stuck: AbstractSet[tuple[str, str]] = frozenset(), failed: Sequence[str] = ()) -> None:
        self.doc = doc
        self.model = model
        self.data: dict[str, Any] = doc.data
        self.derived: Mapping[tuple[str, str], Derivation] = {} if derived is None else derived
        self.failed = tuple(failed)
        # A derived value that cannot be computed is named so only in a document that declares one.
        self.unresolved: AbstractSet[tuple[str, str]] = stuck if self.failed else frozenset()
        self.params: dict[str, Any] = {k: v["value"] for k, v in self.data.get("params", {}).items()}

    # -- reporting -------------------------------------------------------------------------------
    def problem(self, pointer: str, code: str, message: str, hint: str | None = None) -> Problem:
        return self.doc.problem(pointer, code, message, hint)

    # -- derivations -----------------------------------------------------------------------------
    def parse_derivation(self, name: str) -> tuple[tuple[Derivation, str] | None, list[Problem]]:
        """The document's derived value `name` and its pointer (None if it cannot be parsed), and why not."""
        return run(self._derivation(name))

    def _derivation(self, name: str) -> Checked[tuple[Derivation, str] | None]:
        spec = self.data["derive"][name]
        pointer = f"/derive/{escape_pointer_token(name)}"
        if not (yield from self.known_type(spec["on"], f"{pointer}/on")):
            return None
        parsed = yield from self.expr(spec["value"], f"{pointer}/value", spec["on"])
        if parsed is None:
            return None
        expr, kind = parsed
        return Derivation(name, spec["on"], expr, kind), pointer

    def expr(self, node: Any, pointer: str, on: str) -> Checked[tuple[Expr, FieldKind] | None]:
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return Const(node), "integer" if isinstance(node, int) else "number"
        if "param" in node:
            value = yield from self.param(node["param"], pointer)
            return (Const(value), "number") if value is not None else None
        if "field" in node:
            return (yield from self.field_expr(node["field"], pointer, on))
        op, arg = next(iter(node.items()))
        if op in ("count", "sum", "lookup"):
            return (yield from self.aggregate(op, arg, f"{pointer}/{op}", on))
        if op in ARITY and len(arg) != ARITY[op]:
            yield self.problem(f"{pointer}/{op}", "derive-arity", f"{op} takes {ARITY[op]} argument(s), not {len(arg)}")
            return None
        parsed = []
        for i, a in enumerate(arg):  # every argument, so that each one's problems are reported
            parsed.append((yield from self.expr(a, f"{pointer}/{op}/{i}", on)))
        args = [a for a in parsed if a is not None]
        if len(args) < len(parsed):
            return None
        wanted = ("date",) if op == "days_between" else None if op == "coalesce" else NUMERIC
        for i, (_, kind) in enumerate(args):
            if wanted and kind not in wanted:
                yield self.problem(f"{pointer}/{op}/{i}", "derive-type",
                                   f"{op} needs {' or '.join(wanted)} values, not {kind}")
                return None
        return Call(op, tuple(a[0] for a in args)), _result_kind(op, [kind for _, kind in args])

    def field_expr(self, path: str, pointer: str, on: str) -> Checked[tuple[Expr, FieldKind] | None]:
        names = path.split(".")
        ups = 0
        fact_type = on
        while names[0] == "parent" and len(names) > 1:
            parent = yield from self.parent_type(fact_type, f"{pointer}/field")
            if parent is None:
                return None
            fact_type = parent
            ups += 1
            names.pop(0)
        spec = yield from self.field(fact_type, ".".join(names), f"{pointer}/field")
        return (FieldRef(ups, fact_key(spec.path)), spec.kind) if spec else None

    def aggregate(self, op: str, spec: Mapping[str, Any], pointer: str, on: str) -> Checked[tuple[Expr, FieldKind] | None]:
        fact_type = spec["fact"]
        if not (yield from self.known_type(fact_type, f"{pointer}/fact")):
            return None
        context = _Context(fact_type, {"this": _Alias(on, set())}, in_derivation=True)
        where, problems = run(self.where(spec.get("where", {}), f"{pointer}/where", context))
        yield from problems
        if problems:
            return None
        key = None
        kind: FieldKind = "integer"
        if op != "count":
            field_spec = yield from self.field(fact_type, spec["field"], f"{pointer}/field")
            if field_spec is None:
                return None
            if op == "sum" and field_spec.kind not in NUMERIC:
                yield self.problem(f"{pointer}/field", "derive-type",
                                   f"sum needs a numeric field; {spec['field']} is {field_spec.kind}")
                return None
            key = fact_key(field_spec.path)
            kind = ("amount" if field_spec.kind == "amount" else "number") if op == "sum" else field_spec.kind
        return Aggregate(op, fact_type, where, key), kind

    # -- the rule --------------------------------------------------------------------------------
    def parse_rule(self) -> tuple[Rule | None, list[Problem]]:
        """The checked rule (None when it has problems), and its problems: first why each of the
        document's own derived values that could not be computed cannot be, then the rule's own."""
        problems = [problem for name in self.failed for problem in self.parse_derivation(name)[1]]
        checked, found = run(self._check_rule())
        problems += found
        if problems:
            return None, problems
        patterns, parts, page = checked
        data = self.data
        examples = Examples(self.example(kind, i, ex) for kind in ("fail", "pass")
                            for i, ex in enumerate(data["examples"][kind]))
        own = tuple(self.derived[(spec["on"], name)] for name, spec in data.get("derive", {}).items())
        located = self.doc.locate("")
        return Rule(
            id=data["id"], name=data["name"], title=data["title"], form_item=data["form_item"],
            severity=data["severity"], description=data.get("description", "").strip(),
            authorities=tuple(Authority(**a) for a in data["authorities"]),
            precedents=tuple(Precedent(**p) for p in data["precedents"]),
            params=dict(self.params), patterns=patterns, subject=data["subject"],
            anchor=data.get("anchor"), page=page,
            comment=" ".join(data["comment"].split()), remedy=" ".join(data["remedy"].split()),
            record=" ".join(data["record"].split()),
            comment_parts=tuple(parts["comment"]), remedy_parts=tuple(parts["remedy"]),
            record_parts=tuple(parts["record"]),
            examples=examples, derivations=own, effective=_effective(data.get("effective")),
            aliases=tuple(data.get("aliases", ())), requirements=tuple(data.get("requirements", ())),
            source=self.doc.source, line=located[0] if located else 1,
            positions=self.doc.positions), []

    def _check_rule(self) -> Checked[tuple[tuple[Pattern, ...], dict[str, list[Any]], tuple[str, str] | None]]:
        """The rule's patterns, in order; its comment's, remedy's and record's parts; its page field."""
        data = self.data
        scope: dict[str, _Alias] = {}
        patterns: list[Pattern] = []
        for i, node in enumerate(data["when"]):
            pattern = yield from self.pattern(node, f"/when/{i}", scope)
            if pattern:
                patterns.append(pattern)
        if data["subject"] not in scope:
            yield self.problem("/subject", "unknown-alias",
                               f"subject {data['subject']!r} is not the alias of a pattern in `when`",
                               did_you_mean(data["subject"], scope))
        if "anchor" in data:
            yield from self.known_type(data["anchor"], "/anchor")
        page = (yield from self.page_field(data["page"], scope)) if "page" in data else None
        parts = {}
        for key in ("comment", "remedy", "record"):
            parts[key] = yield from self.template(data[key], f"/{key}", scope)
        yield from self.recorded_fields(data["record"])
        return tuple(patterns), parts, page

    def page_field(self, text: str, scope: Mapping[str, _Alias]) -> Checked[tuple[str, str] | None]:
        """`page: alias.field`: a field of kind page of a pattern's fact, whose value is the finding's page."""
        alias, _, path = text.partition(".")
        if alias not in scope:
            yield self.problem("/page", "unknown-alias", f"{alias!r} is not the alias of a pattern in `when`",
                               did_you_mean(alias, scope))
            return None
        spec = yield from self.field(scope[alias].fact_type, path, "/page")
        if spec is None:
            return None
        if spec.kind != "page":
            yield self.problem("/page", "not-a-page", f"{text} is {kind_phrase(spec.kind)}, not a page",
                               "name a field whose kind is page, such as a section's page")
            return None
        return alias, fact_key(spec.path)

    def recorded_fields(self, text: str) -> Checked[None]:
        """The fields of the filing description that `record` names, in backticks: at least one, and each
        a real one (`item19.exhibits[].number`), so the text never sends a reader to a field that is not there."""
        named = RECORDED_FIELD.findall(text)
        if not named:
            yield self.problem("/record", "record-names-no-field",
                               "`record` names no field of the filing description",
                               "name each field to record in backticks, e.g. `item19.exhibits[].number`")
        known = self.model.description_paths
        for path in named:
            if path not in known:
                yield self.problem("/record", "record-unknown-field",
                                   f"`{path}` in `record` is not a field of the filing description",
                                   did_you_mean(path, known) or "see docs/fact-types.md for the fields and where each is written")

    def example(self, kind: str, index: int, node: Mapping[str, Any]) -> Example:
        pointer = f"/examples/{kind}/{index}"
        line = (self.doc.locate(pointer) or (0, 0))[0]
        return Example(node["name"], kind, node["filing"], tuple(node.get("findings", ())), line, f"{pointer}/filing")

    def pattern(self, node: Mapping[str, Any], pointer: str, scope: dict[str, _Alias]) -> Checked[Pattern | None]:
        """One pattern of `when`; a positive one's alias joins `scope`, for the patterns below it."""
        absent = "absent" in node
        body = node["absent"] if absent else node
        base = f"{pointer}/absent" if absent else pointer
        fact_type = body["fact"]
        if not (yield from self.known_type(fact_type, f"{base}/fact")):
            return None
        where = yield from self.where(body.get("where", {}), f"{base}/where", _Context(fact_type, scope))
        if absent:
            return AbsentPattern(fact_type, where)
        alias = node["as"]
        if alias in scope or alias in RESERVED_ALIASES:
            yield self.problem(f"{pointer}/as", "bad-alias", f"alias {alias!r} is already used or reserved",
                               "give each pattern its own name; `this` and `param` are reserved")
            return None
        required = {fact_key(p) for p, spec in self.model.types[fact_type].fields.items() if spec.required}
        parent = self.model.field(fact_type, "parent")
        scope[alias] = _Alias(fact_type, required | guaranteed_keys(where) | {fact_key("id")}
                              | ({"_parent"} if parent and parent.required else set()))
        return PositivePattern(fact_type, where, alias)

    def known_type(self, fact_type: str, pointer: str) -> Checked[bool]:
        if fact_type in self.model.types:
            return True
        yield self.problem(pointer, "unknown-fact", f"unknown fact type {fact_type!r}",
                           did_you_mean(fact_type, self.model.types) or "see docs/filing-format.md for the fact types")
        return False

    def parent_type(self, fact_type: str, pointer: str) -> Checked[str | None]:
        parents = set(self.model.types[fact_type].parents)
        if len(parents) == 1 and None not in parents:
            return parents.pop()
        yield self.problem(pointer, "ambiguous-parent", f"a {fact_type} fact has no single enclosing fact type "
                           f"({', '.join(sorted(str(p) for p in parents))})")
        return None

    def field(self, fact_type: str, path: str, pointer: str) -> Checked[FieldSpec | None]:
        if path.startswith("derived."):
            derivation = self.derived.get((fact_type, path[len("derived."):]))
            if derivation:
                return FieldSpec(path, derivation.kind, False, "derived value")
        spec = self.model.field(fact_type, path)
        if spec is None and (fact_type, path[len("derived."):]) in self.unresolved:
            yield self.problem(pointer, "derive-cycle", f"{path} is declared but cannot be computed: it depends, "
                               "directly or through other derived values, on itself or on a derivation that fails",
                               "derived values must form a chain without loops")
        elif spec is None:
            names = list(self.model.types[fact_type].fields) + ["id", "parent"]
            names += [f"derived.{name}" for (on, name) in self.derived if on == fact_type]
            yield self.problem(pointer, "unknown-field", f"{path!r} is not a field of a {fact_type} fact",
                               did_you_mean(path, names) or "fields: " + ", ".join(sorted(names)))
        return spec

    def param(self, name: str, pointer: str) -> Checked[Any]:
        if name in self.params:
            return self.params[name]
        yield self.problem(pointer, "unknown-param", f"no parameter {name!r} is declared in `params`",
                           did_you_mean(name, self.params))
        return None

    # -- conditions ------------------------------------------------------------------------------
    def where(self, node: Mapping[str, Any], pointer: str, context: _Context) -> Checked[AllOf]:
        items: list[Condition] = []
        for key, spec in node.items():
            sub = f"{pointer}/{escape_pointer_token(key)}"
            if key in ("any_of", "all_of"):
                inner = replace(context, in_any=context.in_any or key == "any_of")
                groups = []
                for i, w in enumerate(spec):
                    groups.append((yield from self.where(w, f"{sub}/{i}", inner)))
                items.append(AnyOf(tuple(groups)) if key == "any_of" else AllOf(tuple(groups)))
                continue
            field_spec = yield from self.field(context.fact_type, key, sub)
            if field_spec is None:
                continue
            for op, raw in spec.items():
                test = yield from self.test(field_spec, op, raw, f"{sub}/{op}", context)
                if test is not None:
                    items.append(test)
        return AllOf(tuple(items))

    def test(self, spec: FieldSpec, op: OperatorName, raw: Any, pointer: str, context: _Context) -> Checked[Test | None]:
        key = fact_key(spec.path)
        operator = OPERATORS[op]
        if operator.operand == "flag":
            return Test(key, op)
        if isinstance(raw, dict) and "ref" in raw:
            ref = yield from self.ref(raw["ref"], spec, op, f"{pointer}/ref", context)
            return Test(key, op, ref) if ref else None
        if isinstance(raw, dict) and "param" in raw:
            raw = yield from self.param(raw["param"], f"{pointer}/param")
            if raw is None:
                return None
        if operator.operand == "constants":
            values = []
            for i, v in enumerate(raw):  # every value, so that each one's problems are reported
                values.append((yield from self.constant(spec, v, f"{pointer}/{i}")))
            return Test(key, op, tuple(values)) if None not in values else None
        if operator.kinds is not None and spec.kind not in operator.kinds:
            yield self.problem(pointer, "bad-operator", f"{op} {operator.refusal}; {spec.path} is {spec.kind}",
                               operator.hint)
            return None
        if operator.operand == "pattern":
            return (yield from self.matches(key, raw, pointer))
        value = yield from self.constant(spec, raw, pointer)
        return Test(key, op, value) if value is not None else None

    def constant(self, spec: FieldSpec, value: Any, pointer: str) -> Checked[Any]:
        kind = spec.kind
        if kind == "page" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        ok = {
            "integer": isinstance(value, (int, float)) and not isinstance(value, bool),
            "year": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "amount": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "string": isinstance(value, str),
            "page": isinstance(value, str),
            "date": isinstance(value, str) and _is_date(value),
        }.get(kind, False)
        if not ok:
            yield self.problem(pointer, "wrong-type",
                               f"{spec.path} is {kind_phrase(kind)}; {value!r} can never match it",
                               "write dates as YYYY-MM-DD" if kind == "date" else None)
            return None
        if spec.enum and value not in spec.enum:
            yield self.problem(pointer, "bad-value", f"{value!r} is not a value {spec.path} can take",
                               did_you_mean(str(value), map(str, spec.enum))
                               or "values: " + ", ".join(map(str, spec.enum)))
            return None
        return value

    def matches(self, key: str, pattern: str, pointer: str) -> Checked[Test | None]:
        try:
            regex.check(pattern)
        except regex.PatternError as error:
            where = f"at character {error.offset + 1} of" if error.offset is not None else "in"
            yield self.problem(pointer, "bad-pattern", f"{error} ({where} {pattern!r})", error.hint)
            return None
        return Test(key, "matches", pattern)

    def ref(self, text: str, spec: FieldSpec, op: OperatorName, pointer: str, context: _Context) -> Checked[Ref | None]:
        alias, path = text.split(".", 1)
        scope = context.scope
        if not OPERATORS[op].joins:
            yield self.problem(pointer, "bad-join", f"{op} cannot take a {{ref}}",
                               "joins use equals (or lt/lte/gt/gte)")
            return None
        if alias not in scope:
            yield self.problem(pointer, "unknown-alias", f"{alias!r} is not the alias of an earlier pattern",
                               did_you_mean(alias, scope) or "a join may only refer to patterns above it")
            return None
        target = scope[alias]
        other = yield from self.field(target.fact_type, path, pointer)
        if other is None:
            return None
        if _family(other.kind) != _family(spec.kind):
            yield self.problem(pointer, "wrong-type",
                               f"{spec.path} ({spec.kind}) is joined to {text} ({other.kind}); they never match")
            return None
        other_key = fact_key(other.path)
        if op != "equals" and not context.in_derivation and other_key not in target.guaranteed:
            yield self.problem(pointer, "unsafe-join", f"{op} against {text}, which may be missing, aborts "
                               "durable-rules (error 311)",
                               f"test `{path}: {{exists: true}}` in the pattern for {alias!r}")
            return None
        if context.in_any and not context.in_derivation:
            # durable-rules evaluates a join under $or wrongly: beside another alternative it fired where the
            # join and the alternative both failed, and two joins missed a match (probed on every operator);
            # against a field that may be missing it aborts (error 311). The oracle is right; refuse the rule.
            yield self.problem(pointer, "unsafe-join", f"a join inside any_of (against {text}) is evaluated wrongly "
                               "by durable-rules: it can fire where no alternative holds, or miss a match",
                               "split the rule: one rule per alternative, each with its join outside any_of")
            return None
        return Ref(alias, other_key)

    # -- texts -----------------------------------------------------------------------------------
    def template(self, text: str, pointer: str, scope: Mapping[str, _Alias]) -> Checked[list[Any]]:
        try:
            parts = template.parse(text)
        except template.TemplateError as error:
            yield self.problem(pointer, "bad-placeholder", f"{error} (at character {error.offset + 1})")
            return []
        checked: list[Any] = []
        for part in parts:
            if isinstance(part, Placeholder):
                kind = yield from self.placeholder(part, pointer, scope)
                part = replace(part, kind=kind)
            checked.append(part)
        return checked

    def placeholder(self, part: Placeholder, pointer: str, scope: Mapping[str, _Alias]) -> Checked[FieldKind | None]:
        """Check a placeholder; the kind of the field it reads (None for a label, a page or a parameter)."""
        shown = "{" + ".".join((part.alias,) + part.path) + "}"
        if part.alias == "param":
            yield from self.param(part.path[0], pointer)
            return None
        if part.alias not in scope:
            yield self.problem(pointer, "unknown-alias", f"placeholder {shown} names no pattern alias",
                               did_you_mean(part.alias, scope))
            return None
        fact_type = scope[part.alias].fact_type
        path = list(part.path)
        climbed = False
        while path[0] == "parent" and len(path) > 1:
            parent = yield from self.parent_type(fact_type, pointer)
            if parent is None:
                return None
            fact_type = parent
            path.pop(0)
            climbed = True
        if path in (["label"], ["page"]):
            return None
        spec = yield from self.field(fact_type, ".".join(path), pointer)
        if spec is None:
            return None
        guaranteed = spec.required or (not climbed and fact_key(spec.path) in scope[part.alias].guaranteed)
        if not guaranteed and part.fallback is None:
            yield self.problem(pointer, "placeholder-may-be-missing", f"placeholder {shown} may be missing in a match",
                               f"give a fallback, {{{'.'.join((part.alias,) + part.path)}|...}}, or test the field "
                               "in the pattern")
        return spec.kind


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


_SAME_MEASURE = frozenset({"add", "subtract", "abs", "min", "max"})
"""Operations whose result is measured as their arguments are: amounts added, subtracted or compared are an
amount (in the filer's currency and unit); a product, a ratio or a percentage of amounts is a number."""


def _result_kind(op: str, kinds: list[FieldKind]) -> FieldKind:
    """The kind of a derived value computed by `op` from arguments of `kinds`."""
    if op == "days_between":
        return "integer"
    if op == "coalesce":
        return kinds[0]
    if op in _SAME_MEASURE and kinds and all(kind == "amount" for kind in kinds):
        return "amount"
    return "number"


def _family(kind: str) -> str:
    return "number" if kind in NUMERIC else "text" if kind in ("string", "page") else kind

