"""The schemas themselves: valid, strict (unknown keys are errors), and self-describing."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from precomment.model import KEY_SEPARATOR, fact_model
from precomment.resources import load_schema

SCHEMAS = ["filing.schema.json", "rule.schema.json", "report.schema.json"]


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def objects(node, path="#"):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from objects(value, f"{path}/{i}")


def test_filing_schema_is_strict_and_every_field_is_described():
    schema = load_schema("filing.schema.json")
    defs = schema["$defs"]
    for path, node in objects(schema):
        assert node.get("additionalProperties") is False, f"{path} accepts unknown keys"
        for name, prop in node["properties"].items():
            target = defs[prop["$ref"].rsplit("/", 1)[-1]] if "$ref" in prop else prop
            assert prop.get("description") or target.get("description"), f"{path}/{name} has no description"
            assert not name.startswith("_") and KEY_SEPARATOR not in name, f"{path}/{name} clashes with fact keys"
            assert name not in ("id", "sid", "parent"), f"{path}/{name} clashes with fact meta fields"


def test_fact_labels_name_required_fields():
    for fact_type in fact_model().types.values():
        for field in re.findall(r"\{([a-z_.]+)\}", fact_type.label):
            assert fact_type.fields[field].required, f"{fact_type.name} label uses optional {field}"


def test_no_fact_type_nears_durable_rules_property_limit():
    # durable-rules accepts at most 255 properties per fact; a fact has its fields plus 6 meta keys
    # and its derived values.
    for fact_type in fact_model().types.values():
        assert len(fact_type.fields) + 6 < 128, fact_type.name
