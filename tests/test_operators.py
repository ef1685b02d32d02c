"""One operator table per stage, and the rule schema's syntax, name the same operators and agree.

The language's table (language/operators.py) gives each operator's meaning and where it applies; the
durable-rules adapter's (compile.DURABLE_FORMS) its form there; the rule schema its syntax. An operator
added to one and not the others would be refused by the schema, unknown to the parser or uncompilable:
these tests say which table lacks it."""
from __future__ import annotations

import pytest
from conftest import ROOT
from precomment.evaluation.durable_rules.compile import DURABLE_FORMS
from precomment.language.conditions import AllOf, Ref, holds
from precomment.language.conditions import Test as FieldTest
from precomment.language.operators import COMPARISONS, OPERATORS
from precomment.resources import load_schema

SCHEMA_TESTS = load_schema("rule.schema.json")["$defs"]["test"]["properties"]
SCHEMA_OPERAND = {  # what the schema's syntax for an operand says of it
    "flag": {"const": True},
    "constant": {"$ref": "#/$defs/const_value"},
    "join": {"$ref": "#/$defs/value"},
}


def test_the_schema_the_language_and_durable_rules_name_the_same_operators_in_the_same_order():
    assert list(SCHEMA_TESTS) == list(OPERATORS) == list(DURABLE_FORMS)


@pytest.mark.parametrize("name", list(OPERATORS))
def test_the_schema_spells_the_operand_the_language_takes(name):
    operator, syntax = OPERATORS[name], SCHEMA_TESTS[name]
    if operator.operand == "flag":
        assert syntax["const"] is True
    elif operator.operand == "constants":
        assert syntax["type"] == "array"
    elif operator.operand == "pattern":
        assert syntax["type"] == "string"
    else:  # a constant, or a {ref} join where the language allows one
        assert syntax["$ref"] == SCHEMA_OPERAND["join" if operator.joins else "constant"]["$ref"]


def test_comparisons_are_the_ordering_operators():
    assert COMPARISONS == ("lt", "lte", "gt", "gte")


@pytest.mark.parametrize(("op", "value", "on_five", "on_missing"), [
    ("exists", None, True, False),
    ("missing", None, False, True),
    ("equals", 5, True, False),
    ("not_equals", 5, False, True),
    ("lt", 6, True, False),
    ("lte", 5, True, False),
    ("gt", 5, False, False),
    ("gte", 5, True, False),
    ("in", (4, 5), True, False),
    ("not_in", (4, 5), False, True),
    ("matches", "5", False, False),  # text only: a number never matches
])
def test_each_operator_means_what_the_rule_format_says(op, value, on_five, on_missing):
    condition = AllOf((FieldTest("x", op, value),))
    assert (holds(condition, {"x": 5}, {}), holds(condition, {}, {})) == (on_five, on_missing)


def test_a_join_to_a_missing_field_never_holds():
    condition = AllOf((FieldTest("x", "equals", Ref("other", "y")),))
    assert holds(condition, {"x": 5}, {"other": {"y": 5}})
    assert not holds(condition, {"x": 5}, {"other": {}})


@pytest.mark.parametrize(("op", "value", "form", "width"), [
    ("exists", None, {"$ex": {"x": 1}}, 1),
    ("not_equals", 5, {"$or": [{"$nex": {"x": 1}}, {"$neq": {"x": 5}}]}, 2),
    ("lte", {"p1": "y"}, {"$lte": {"x": {"p1": "y"}}}, 1),
    ("in", (4, 5), {"$or": [{"x": 4}, {"x": 5}]}, 2),
    ("not_in", (4, 5), {"$or": [{"$nex": {"x": 1}}, {"$and": [{"$neq": {"x": 4}}, {"$neq": {"x": 5}}]}]}, 3),
])
def test_durable_rules_forms_and_widths(op, value, form, width):
    assert (DURABLE_FORMS[op].form("x", value), DURABLE_FORMS[op].width(value)) == (form, width)


def test_the_rule_format_documents_every_operator():
    text = (ROOT / "docs" / "rule-format.md").read_text(encoding="utf-8")
    table = text[text.index("### Field tests"):text.index("### Joins")]
    assert [name for name in OPERATORS if f"`{name}" not in table] == []
