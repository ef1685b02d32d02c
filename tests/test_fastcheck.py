"""fastcheck answers "valid" only when jsonschema finds no error: compared on every bundled document,
every catalogue input, random valid filings and random damaged ones."""
from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import given
from precomment.errors import InputError
from precomment.resources import load_schema, schema_path
from precomment.sources.load import load_bytes, load_file
from precomment.validation import fastcheck
from precomment.validation.validate import _validator
from strategies import damaged_files, filings

SCHEMAS = sorted(p.name for p in schema_path("").glob("*.schema.json"))
assert len(SCHEMAS) == 6, SCHEMAS


def jsonschema_accepts(data, schema_name: str) -> bool:
    return next(_validator(schema_name).iter_errors(data), None) is None


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_bundled_schema_compiles(name):
    fastcheck.compile_schema(load_schema(name))


def test_an_unknown_keyword_defers_to_jsonschema():
    with pytest.raises(fastcheck.UnsupportedSchema, match="patternProperties"):
        fastcheck.compile_schema({"type": "object", "patternProperties": {"^x": {"type": "string"}}})


def test_an_unknown_keyword_met_late_by_a_lazy_compile_still_defers_to_jsonschema(monkeypatch):
    """`conforms` compiles a property's check when a document first has it: an unsupported keyword there is
    found only then, and the answer is still "ask jsonschema" (False), never an error or a wrong True."""
    schema = {"type": "object", "properties": {"plain": {"type": "string"},
                                               "odd": {"type": "object", "patternProperties": {"^x": {}}}}}
    monkeypatch.setattr(fastcheck, "load_schema", lambda name: schema)
    fastcheck._compiled.cache_clear()
    try:
        assert fastcheck.conforms({"plain": "text"}, "odd.schema.json") is True
        assert fastcheck.conforms({"plain": 1}, "odd.schema.json") is False
        assert fastcheck.conforms({"odd": {}}, "odd.schema.json") is False
        with pytest.raises(fastcheck.UnsupportedSchema):
            fastcheck.compile_schema(schema)  # compiled whole, it is refused at once
    finally:
        fastcheck._compiled.cache_clear()


@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_rule_files_agree(path):
    data = load_file(path).data
    assert fastcheck.conforms(data, "rule.schema.json") is jsonschema_accepts(data, "rule.schema.json") is True


def test_bundled_filings_and_the_catalogue_agree():
    paths = sorted((ROOT / "filings").glob("*.yaml")) + sorted((ROOT / "tests" / "bad").iterdir())
    decided = {True: 0, False: 0}
    for path in paths:
        if path.suffix == ".err":
            continue
        try:
            data = load_file(path).data
        except InputError:
            continue  # refused before validation
        expected = jsonschema_accepts(data, "filing.schema.json")
        assert fastcheck.conforms(data, "filing.schema.json") is expected, path.name
        decided[expected] += 1
    assert decided[True] >= 4 and decided[False] >= 20  # both answers are exercised


@pytest.mark.parametrize("value, valid", [
    (1, True), (1.0, True), (1.5, False), (True, False), ("1", False), (0, False), (100000, False),
    ("F-12", True), ("F12", False), (None, False),
])
def test_edges_of_types_bounds_and_one_of(value, valid):
    """A page is oneOf an integer 1..99999 or a lettered page: 1.0 is an integer, true is not."""
    data = {"filer": {"name": "X", "form": "20-F", "fiscal_year_end": "2024-12-31"},
            "item4": {"property": {"page": value}}}
    assert jsonschema_accepts(data, "filing.schema.json") is valid
    assert fastcheck.conforms(data, "filing.schema.json") is valid


@given(filings())
def test_random_valid_filings_agree(filing):
    assert fastcheck.conforms(filing, "filing.schema.json") is jsonschema_accepts(filing, "filing.schema.json")


@given(damaged_files())
def test_random_damaged_filings_agree(damaged):
    raw, source = damaged
    try:
        data = load_bytes(raw, source).data
    except InputError:
        return
    assert fastcheck.conforms(data, "filing.schema.json") is jsonschema_accepts(data, "filing.schema.json")
