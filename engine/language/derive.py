"""Derived values: what durable-rules cannot compute (sums, ratios, year-over-year changes, counts).

A rule declares each derived value (`derive:`); it is computed here, in Python, before evaluation, and
stored on the facts under `derived.<name>`, so both evaluators see exactly the same numbers. A value
whose inputs are missing is itself missing (never zero), so a rule cannot fire on an invented figure.
A value too large for a float (a change from 5e-324, in percent) is never stored as infinity: it stops
the document with `TooLarge`, which names the fact and the figures (facts/build.py makes it bad input).
"""
from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..validation.fact_model import FieldKind
from .conditions import AllOf, Ref, Test, holds, walk_tests

ROUND_DIGITS = 6
"""Every computed number is rounded to 6 decimals, so 0.1 + 0.2 style noise never reaches a threshold."""


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class FieldRef:
    """A field of the fact being derived on, or of an ancestor (`ups` parent hops)."""

    ups: int
    key: str


@dataclass(frozen=True)
class Call:
    op: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Aggregate:
    """count / sum / lookup over facts of `fact_type` satisfying `where` (`this` names the subject fact)."""

    op: str
    fact_type: str
    where: AllOf
    key: str | None = None


Expr = Const | FieldRef | Call | Aggregate


@dataclass(frozen=True)
class Derivation:
    name: str
    on: str
    expr: Expr
    kind: FieldKind  # integer, number, string, date or boolean

    @property
    def key(self) -> str:
        return f"derived__{self.name}"


MISSING = None


class TooLarge(ArithmeticError):
    """A derived value would be too large for a float: infinite, which no comparison, report or JSON
    number could use. Inputs are finite (the loader refuses .inf), so only a computation gets here, from
    figures no filing prints (a division by 5e-324)."""

    def __init__(self, op: str, args: tuple[Any, ...]) -> None:
        super().__init__(f"{op}{args!r} is too large for a float")
        self.op = op
        self.operands = args
        self.derivation: Derivation | None = None  # which value, and on which fact, once known
        self.fact: dict[str, Any] | None = None

    def computation(self) -> str:
        """The computation in words: "the change from 5e-324 to 15000000, in percent"."""
        numbers = [_figure(a) for a in self.operands]
        if len(numbers) != 2:
            return f"the sum of {len(numbers)} figures"
        a, b = numbers
        return {"subtract": f"{a} minus {b}", "multiply": f"{a} times {b}", "divide": f"{a} divided by {b}",
                "percent": f"{a} as a percentage of {b}", "change_percent": f"the change from {b} to {a}, in percent",
                }.get(self.op, f"the sum of {a} and {b}")

    def culprit(self) -> tuple[str, str]:
        """The operand furthest from the figures a filing prints, by order of magnitude, as a message writes
        it, and whether it is too "small" or too "large" to be one of them."""
        sizes = [(abs(math.log10(abs(a))), a) for a in self.operands if a]
        _, number = max(sizes, key=lambda pair: pair[0])
        return _figure(number), "small" if abs(number) < 1 else "large"


def _figure(number: int | float) -> str:
    """A number for a message: as Python writes it, or its order of magnitude for an integer too long to
    read (or to write: Python refuses to write an int of over 4,300 digits)."""
    if isinstance(number, float) or abs(number) < 10**21:
        return repr(number)
    return f"{'-' if number < 0 else ''}about 10^{int(abs(number).bit_length() * math.log10(2))}"


def _numbers(args: list[Any]) -> bool:
    return all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)


def _round(value: float) -> float:
    rounded = round(value, ROUND_DIGITS)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


def _compute(op: str, args: list[Any]) -> Any:
    """ARITHMETIC[op] on numbers, rounded; MISSING where undefined (a division by zero). Raises TooLarge
    where the result is no finite float: an infinite one, or a quotient of integers too large for one."""
    try:
        result = ARITHMETIC[op](*args)
    except OverflowError:
        raise TooLarge(op, tuple(args)) from None
    if isinstance(result, float) and not math.isfinite(result):
        raise TooLarge(op, tuple(args))
    return MISSING if result is None else _round(result)


def _days_between(a: str, b: str) -> int | None:
    try:
        return (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days
    except (TypeError, ValueError):
        return None


ARITHMETIC: dict[str, Callable[..., Any]] = {
    "add": lambda *a: sum(a),
    "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: None if b == 0 else a / b,
    "percent": lambda a, b: None if b == 0 else a / b * 100,
    "change_percent": lambda new, old: None if old == 0 else (new - old) / abs(old) * 100,
    "abs": abs,
    "min": min,
    "max": max,
}
ARITY = {"subtract": 2, "multiply": 2, "divide": 2, "percent": 2, "change_percent": 2, "abs": 1,
         "days_between": 2}


class _Index:
    """Candidates for one Aggregate, indexed on its `equals: {ref: this.x}` tests so lookups stay linear.

    When `where` reads the receiving fact only through those tests, every receiving fact with the same
    values there gets the same result, so it is computed once per group: a `lookup` of legal proceedings
    by kind for a thousand risk factors of one topic scans that kind's proceedings once, not a thousand
    times. Results live as long as the index: one derivation (see Deriver.derive).
    """

    def __init__(self, aggregate: Aggregate, candidates: Iterable[dict[str, Any]]) -> None:
        self.pairs = [(t.key, t.value.key) for t in aggregate.where.items
                      if isinstance(t, Test) and t.op == "equals" and isinstance(t.value, Ref)
                      and t.value.alias == "this"]
        self.groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for fact in candidates:
            values = tuple(fact.get(key) for key, _ in self.pairs)
            if None not in values:
                self.groups.setdefault(values, []).append(fact)
        joined = {t.value.key for t in walk_tests(aggregate.where) if isinstance(t.value, Ref)}
        self.shared = joined <= {key for _, key in self.pairs}
        self.results: dict[tuple[Any, ...], Any] = {}

    def value(self, aggregate: Aggregate, this: dict[str, Any]) -> Any:
        """The aggregate for `this`: computed on its group, or the result of an earlier fact of the same key.

        The cache key holds each value's type as well, so 1, 1.0 and True (one group, as dict keys are
        equal) never share a result even where a test could tell them apart."""
        values = tuple(this.get(key) for _, key in self.pairs)  # with a None, no group: no candidates
        if not self.shared:
            return _aggregate(aggregate, self.groups.get(values, []), this)
        key = tuple((type(v), v) for v in values)
        if key not in self.results:
            self.results[key] = _aggregate(aggregate, self.groups.get(values, []), this)
        return self.results[key]


class Deriver:
    """Computes every declared derivation over one document's facts, in dependency order."""

    def __init__(self, derivations: list[Derivation]) -> None:
        self.derivations = derivations

    def apply(self, facts: list[dict[str, Any]], by_id: Mapping[str, dict[str, Any]]) -> None:
        by_type = facts_by_type(facts)
        for derivation in self.derivations:
            self.derive(derivation, by_type, by_id)

    def derive(self, derivation: Derivation, by_type: Mapping[str, list[dict[str, Any]]],
               by_id: Mapping[str, dict[str, Any]]) -> None:
        """One derivation on every fact of its type, in document order.

        Its aggregates' indexes (and cached results) are made here and dropped after: what they read was
        computed by earlier derivations (dependency order, cycles refused) and nothing changes it while
        this one runs."""
        indexes: dict[int, _Index] = {}
        for fact in by_type.get(derivation.on, ()):
            try:
                value = self.evaluate(derivation.expr, fact, by_type, by_id, indexes)
            except TooLarge as error:
                error.derivation, error.fact = derivation, fact
                raise
            if value is not MISSING:
                fact[derivation.key] = value

    def evaluate(self, expr: Expr, fact: dict[str, Any], by_type: Mapping[str, list[dict[str, Any]]],
                 by_id: Mapping[str, dict[str, Any]], indexes: dict[int, _Index]) -> Any:
        if isinstance(expr, Const):
            return expr.value
        if isinstance(expr, FieldRef):
            target: Mapping[str, Any] | None = fact
            for _ in range(expr.ups):
                target = by_id.get(target.get("_parent", "")) if target else None
            return target.get(expr.key) if target else MISSING
        if isinstance(expr, Aggregate):
            index = indexes.get(id(expr))
            if index is None:
                index = indexes[id(expr)] = _Index(expr, by_type.get(expr.fact_type, ()))
            return index.value(expr, fact)
        args = [self.evaluate(arg, fact, by_type, by_id, indexes) for arg in expr.args]
        if expr.op == "coalesce":
            return next((a for a in args if a is not MISSING), MISSING)
        if any(a is MISSING for a in args):
            return MISSING
        if expr.op == "days_between":
            return _days_between(*args)
        return _compute(expr.op, args) if _numbers(args) else MISSING


def facts_by_type(facts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The facts of each type, in document order: each derivation and index then reads only its own type."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for fact in facts:
        by_type.setdefault(fact["_type"], []).append(fact)
    return by_type


def _aggregate(expr: Aggregate, candidates: list[dict[str, Any]], this: dict[str, Any]) -> Any:
    bindings = {"this": this}
    if expr.op == "lookup":  # the first matching candidate that has the field: later ones cannot change it
        key = expr.key
        return next((c[key] for c in candidates if key in c and holds(expr.where, c, bindings)), MISSING)
    matching = [c for c in candidates if holds(expr.where, c, bindings)]
    if expr.op == "count":
        return len(matching)
    values = [c[expr.key] for c in matching if expr.key in c]  # sum
    return _compute("add", values) if values else 0
