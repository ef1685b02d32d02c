"""Derived values: what durable-rules cannot compute (sums, ratios, year-over-year changes, counts).

A rule declares each derived value (`derive:`); it is computed here, in Python, before evaluation, and
stored on the facts under `derived.<name>`, so both evaluators see exactly the same numbers. A value
whose inputs are missing is itself missing (never zero), so a rule cannot fire on an invented figure.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Union

from .conditions import AllOf, Ref, Test, holds

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
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Aggregate:
    """count / sum / lookup over facts of `fact_type` satisfying `where` (`this` names the subject fact)."""

    op: str
    fact_type: str
    where: AllOf
    key: str | None = None


Expr = Union[Const, FieldRef, Call, Aggregate]


@dataclass(frozen=True)
class Derivation:
    name: str
    on: str
    expr: Expr
    kind: str  # integer | number | string | date | boolean

    @property
    def key(self) -> str:
        return f"derived__{self.name}"


MISSING = None


def _numbers(args: list[Any]) -> bool:
    return all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)


def _round(value: float) -> float:
    rounded = round(value, ROUND_DIGITS)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


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
    """Candidates for one Aggregate, indexed on its `equals: {ref: this.x}` tests so lookups stay linear."""

    def __init__(self, aggregate: Aggregate, facts: list[dict[str, Any]]) -> None:
        self.pairs = [(t.key, t.value.key) for t in aggregate.where.items
                      if isinstance(t, Test) and t.op == "equals" and isinstance(t.value, Ref)
                      and t.value.alias == "this"]
        self.groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for fact in facts:
            if fact["_type"] != aggregate.fact_type:
                continue
            values = tuple(fact.get(key) for key, _ in self.pairs)
            if None not in values:
                self.groups.setdefault(values, []).append(fact)

    def candidates(self, this: Mapping[str, Any]) -> list[dict[str, Any]]:
        values = tuple(this.get(key) for _, key in self.pairs)
        return [] if None in values else self.groups.get(values, [])


class Deriver:
    """Computes every declared derivation over one document's facts, in dependency order."""

    def __init__(self, derivations: list[Derivation]) -> None:
        self.derivations = derivations

    def apply(self, facts: list[dict[str, Any]], by_id: Mapping[str, dict[str, Any]]) -> None:
        indexes: dict[int, _Index] = {}
        for derivation in self.derivations:
            for fact in facts:
                if fact["_type"] != derivation.on:
                    continue
                value = self.evaluate(derivation.expr, fact, facts, by_id, indexes)
                if value is not MISSING:
                    fact[derivation.key] = value

    def evaluate(self, expr: Expr, fact: dict[str, Any], facts: list[dict[str, Any]],
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
                index = indexes[id(expr)] = _Index(expr, facts)
            return _aggregate(expr, index.candidates(fact), fact)
        args = [self.evaluate(arg, fact, facts, by_id, indexes) for arg in expr.args]
        if expr.op == "coalesce":
            return next((a for a in args if a is not MISSING), MISSING)
        if any(a is MISSING for a in args):
            return MISSING
        if expr.op == "days_between":
            return _days_between(*args)
        if not _numbers(args):
            return MISSING
        result = ARITHMETIC[expr.op](*args)
        return MISSING if result is None else _round(result)


def _aggregate(expr: Aggregate, candidates: list[dict[str, Any]], this: dict[str, Any]) -> Any:
    bindings = {"this": this}
    matching = [c for c in candidates if holds(expr.where, c, bindings)]
    if expr.op == "count":
        return len(matching)
    values = [c[expr.key] for c in matching if expr.key in c]
    if expr.op == "sum":
        return _round(sum(values)) if values else 0
    return values[0] if values else MISSING
