"""Conditions: the parsed form of a rule's `when`, and their meaning in plain Python.

`holds` defines what a condition means, from each operator's meaning (operators.py). The oracle evaluates
rules with it, derivations filter facts with it, and compile.py must produce durable-rules conditions that
agree (tests hold the two to identical findings). Field paths are stored as fact keys (see
fact_model.fact_key).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .operators import OPERATORS, OperatorName

Fact = Mapping[str, Any]


@dataclass(frozen=True)
class Ref:
    """The value of a field of an earlier pattern's fact (a join)."""

    alias: str
    key: str


@dataclass(frozen=True)
class Test:
    """One field test: `op` names an operators.OPERATORS entry. `value` is a constant, a tuple of constants
    (in / not_in), a pattern (matches), a Ref, or None (exists / missing)."""

    key: str
    op: OperatorName
    value: Any = None


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


Condition = Test | AllOf | AnyOf


@dataclass(frozen=True)
class PositivePattern:
    """A fact of `fact_type` satisfying `where`, bound to `alias` for later patterns, joins and texts."""

    fact_type: str
    where: AllOf
    alias: str


@dataclass(frozen=True)
class AbsentPattern:
    """No (other) fact of `fact_type` satisfies `where`. It binds nothing, so it has no alias: a type of
    its own keeps code from reading the alias of a pattern that has none."""

    fact_type: str
    where: AllOf


Pattern = PositivePattern | AbsentPattern


Bindings = Mapping[str, Fact]

_MISSING = object()


def holds(condition: Condition, fact: Fact, bindings: Bindings) -> bool:
    """Whether `fact` satisfies `condition`, with Refs resolved against `bindings`."""
    if isinstance(condition, Test):
        return _test(condition, fact, bindings)
    if isinstance(condition, AllOf):
        return all(holds(item, fact, bindings) for item in condition.items)
    return any(holds(item, fact, bindings) for item in condition.items)


def _test(test: Test, fact: Fact, bindings: Bindings) -> bool:
    """The operator's meaning (operators.py): its outcome for a missing field, else for the field's value
    against the expected one; a join to a missing field never holds."""
    operator = OPERATORS[test.op]
    value = fact.get(test.key, _MISSING)
    if value is _MISSING:
        return operator.when_missing
    expected = test.value
    if isinstance(expected, Ref):
        expected = bindings[expected.alias].get(expected.key, _MISSING)
        if expected is _MISSING:
            return False
    return operator.present(value, expected)


def decided(condition: Condition, fact: Fact, open_question: Callable[[str], bool]) -> bool | None:
    """Whether `fact` satisfies `condition` as far as its answers decide it: True or False, or None when the
    outcome turns on a field the fact leaves out that `open_question(key)` says is a question not answered
    (Kleene's three-valued logic: False and unknown is False, True or unknown is True). A join (Ref) is taken
    to hold when the field is present: which fact it joins to is the evaluators' business. Coverage uses it;
    the evaluators never do."""
    if isinstance(condition, Test):
        if condition.key not in fact:
            return None if open_question(condition.key) else (
                False if isinstance(condition.value, Ref) else OPERATORS[condition.op].when_missing)
        return True if isinstance(condition.value, Ref) else _test(condition, fact, {})
    outcomes = [decided(item, fact, open_question) for item in condition.items]
    if isinstance(condition, AllOf):
        return False if False in outcomes else (None if None in outcomes else True)
    return True if True in outcomes else (None if None in outcomes else False)


def walk_tests(condition: Condition) -> Iterator[Test]:
    """Every Test in a condition, depth first."""
    if isinstance(condition, Test):
        yield condition
    else:
        for item in condition.items:
            yield from walk_tests(item)


def guaranteed_keys(where: AllOf) -> set[str]:
    """Keys a matching fact certainly has: those tested positively at the top level of `where`."""
    keys: set[str] = set()
    for item in where.items:
        if isinstance(item, Test) and OPERATORS[item.op].requires_field:
            keys.add(item.key)
        elif isinstance(item, AllOf):
            keys |= guaranteed_keys(item)
    return keys
