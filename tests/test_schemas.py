"""The schemas themselves: valid, strict (unknown keys are errors), and self-describing."""
from __future__ import annotations

import re

import pytest
from conftest import IIJ, ROOT
from jsonschema import Draft202012Validator
from precomment.resources import load_schema, schema_path
from precomment.validation.fact_model import KEY_SEPARATOR, fact_model
from precomment.validation.validate import _first_sentence, problems_in

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


ALL_SCHEMAS = sorted(path.name for path in schema_path("").glob("*.schema.json"))
ABBREVIATED = re.compile(r"(\b(e\.g|i\.e|etc|cf|vs|No|Inc|Ltd)|\b([A-Za-z]\.){1,}[A-Za-z])\.$")


def descriptions(node):
    """Every `description` in a schema."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for key, value in node.items():
            if key != "description":
                yield from descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from descriptions(value)


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_description_gives_a_hint_of_whole_sentences(name):
    """Hints quote a description's first sentence: it must end where a sentence ends, never at "e.g."
    ("Rule ids that are not run, e.g."), "U.S." or inside brackets or quotes."""
    for text in descriptions(load_schema(name)):
        hint = _first_sentence(text)
        rest = text.strip()[len(hint):]
        assert text.strip().startswith(hint) and hint, text
        assert not ABBREVIATED.search(hint), f"cut at an abbreviation: {hint!r}"
        assert hint.count("(") == hint.count(")") and hint.count('"') % 2 == 0, f"cut inside brackets: {hint!r}"
        assert not rest or re.match(r"\s+[\"'(]?[A-Z0-9]", rest), f"the next sentence does not start: {rest!r}"


@pytest.mark.parametrize("text, sentence", [
    ("Rule ids that are not run, e.g. PC-19-002.", "Rule ids that are not run, e.g. PC-19-002."),
    ("The U.S. exchange on which it is listed. Leave it out otherwise.", "The U.S. exchange on which it is listed."),
    ("Unit of the amounts (e.g. thousands of yen). Amounts are as printed.",
     "Unit of the amounts (e.g. thousands of yen)."),
    ('What it is, e.g. "routers. Switches". More.', 'What it is, e.g. "routers. Switches".'),
    ("The rule id of the finding, e.g. PC-6-001. More.", "The rule id of the finding, e.g. PC-6-001."),
    ("The listing, i.e. NYSE or Nasdaq. More.", "The listing, i.e. NYSE or Nasdaq."),
    ("Its registration, No. 333-98061. More.", "Its registration, No. 333-98061."),
    ("A subsidiary such as IIJ Ltd. Or its parent. More.", "A subsidiary such as IIJ Ltd. Or its parent."),
])
def test_the_first_sentence_ends_at_a_sentence_end(text, sentence):
    assert _first_sentence(text) == sentence


def test_a_missing_key_hint_keeps_an_acronym_in_capitals():
    from precomment.sources.document import Document
    problems = problems_in(Document("report.json", {"format_version": 1, "filings": [{"findings": [{}]}]}),
                           "report.schema.json")
    hints = {p.message: p.hint for p in problems}
    assert hints["required key 'pointer' is missing"] == "add 'pointer': JSON pointer of the subject in the filing description."
    assert hints["required key 'rule_id' is missing"] == "add 'rule_id': stable rule id."


def iij_with_file_number(directory, number: str) -> str:
    """The IIJ description with its Commission file number as given, written under `directory`."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    path = directory / "draft.yaml"
    path.write_text(re.sub(r"^  file_number: .*$", f"  file_number: {number!r}", text, count=1, flags=re.M),
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("number", [
    "000-30204",  # IIJ, as EDGAR lists it
    "1-14426", "0-26046", "1-4471",  # printed on cover pages without the prefix's leading zeros
    "001-36743", "333-123456",  # a six-digit serial
    "333-98061-99",  # a co-registrant's suffix
])
def test_a_commission_file_number_as_edgar_or_a_cover_page_prints_it_is_accepted(cli, tmp_path, number):
    path = iij_with_file_number(tmp_path, number)
    assert cli("validate", path) == (0, f"{path}: valid\n", "")


@pytest.mark.parametrize("number", ["30204", "000-", "0000-30204", "000-302", "000-3020456", "333-98061-9",
                                    "333-98061-999", "000 30204", "File No. 000-30204"])
def test_a_commission_file_number_in_no_form_edgar_uses_is_refused_in_its_place(cli, tmp_path, number):
    path = iij_with_file_number(tmp_path, number)
    status, out, err = cli("validate", path)
    assert (status, out) == (2, "")
    assert err.startswith(f"{path}:13:16: error [bad-value] at /filer/file_number: {number!r} does not match ")
    assert "hint: Commission file number as EDGAR lists it or a cover page prints it" in err
