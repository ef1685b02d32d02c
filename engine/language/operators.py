"""The `when` operators of the rule language: one table of what each means and where it applies.

An operator is defined here once for the language: its meaning on a fact (conditions.holds, so the
oracle and derivations), the operand it takes, whether it may join, and the field kinds it applies to
(the rule parser). Its durable-rules form and width belong to the adapter, in a table of their own
(evaluation/durable_rules/compile.py, DURABLE_FORMS), which a later stage may key by this one; the
rule schema spells each operator's syntax (schemas/rule.schema.json, $defs/test). tests/test_operators.py
fails when the three name different operators, or when the schema's syntax and this table disagree.

Adding an operator: a row here, a row in DURABLE_FORMS, a property in the schema's `test`, and a line in
docs/rule-format.md.
"""
from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..validation.fact_model import FieldKind
from . import regex

OperatorName = Literal["exists", "missing", "equals", "not_equals", "in", "not_in", "matches", "lt", "lte", "gt", "gte"]
"""A field test of the rule language (the keys under a field in `when`); the rule schema admits no other."""

Operand = Literal["flag", "constant", "constants", "pattern"]
"""What follows the operator's name: `true`; one value (or a {ref} or {param}); a list; a pattern."""

ORDERED: frozenset[FieldKind] = frozenset({"integer", "number", "amount", "year", "date"})
TEXT: frozenset[FieldKind] = frozenset({"string", "date", "page"})


@dataclass(frozen=True)
class Operator:
    """One operator of the rule language.

    `when_missing` is the test's outcome on a fact without the field; `present(value, expected)` its outcome on
    a fact with it. `kinds` are the field kinds it applies to (None: every kind); another is refused
    with "<name> <refusal>; <path> is <kind>" and `hint`, when the rule loads."""

    name: OperatorName
    when_missing: bool
    present: Callable[[Any, Any], bool]
    operand: Operand
    joins: bool = False
    kinds: frozenset[FieldKind] | None = None
    refusal: str = ""
    hint: str | None = None

    @property
    def requires_field(self) -> bool:
        """Whether a fact passing the test certainly has the field (what a later join may rely on)."""
        return not self.when_missing


def _matches(value: Any, pattern: str) -> bool:
    """An automaton, linear in the value: no pattern can make it backtrack."""
    return isinstance(value, str) and regex.matcher(pattern).matches(value)


def _comparison(name: OperatorName, compare: Callable[[Any, Any], bool]) -> Operator:
    """lt, lte, gt, gte: present and ordered against a constant or a join; numbers, fiscal years and dates."""
    return Operator(name, False, compare, "constant", joins=True, kinds=ORDERED,
                    refusal="compares numbers or dates", hint="use equals, in or matches")


_TABLE = (
    Operator("exists", False, lambda value, expected: True, "flag"),
    Operator("missing", True, lambda value, expected: False, "flag"),
    Operator("equals", False, operator.eq, "constant", joins=True),
    Operator("not_equals", True, operator.ne, "constant"),
    _comparison("lt", operator.lt),
    _comparison("lte", operator.le),
    _comparison("gt", operator.gt),
    _comparison("gte", operator.ge),
    Operator("in", False, lambda value, expected: value in expected, "constants"),
    Operator("not_in", True, lambda value, expected: value not in expected, "constants"),
    Operator("matches", False, _matches, "pattern", kinds=TEXT, refusal="applies to text"),
)

OPERATORS: dict[OperatorName, Operator] = {op.name: op for op in _TABLE}
"""Every operator by name, in the order the rule schema and docs/rule-format.md list them."""

COMPARISONS: tuple[OperatorName, ...] = tuple(name for name, op in OPERATORS.items() if op.kinds == ORDERED)
"""The operators that order values (lt, lte, gt, gte)."""
