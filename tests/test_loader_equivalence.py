"""The YAML event builder (sources.yaml_events) against an independent reading of the same files: PyYAML's own
composer (its pure-Python parser, not libyaml) gives every node with its start mark, and its safe constructor
each scalar's value. For the bundled filings, every rule file and a generated 2,000-fact filing, the loaded
value (types included: int, float, bool, None, text) and the position of every value and every key must be
the ones that reading gives, pointer for pointer, with neither more nor fewer pointers. The builder resolves
and converts the common plain scalars itself (issue 18): a corpus of the forms it takes directly and of those
next to them it must leave to PyYAML checks each against PyYAML, in a mapping, in a list and at the top level,
with both parsers.
"""
from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from precomment.errors import InputError
from precomment.sources import yaml_events
from precomment.sources.document import Document, escape_pointer_token
from precomment.sources.load import load_bytes
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

FILES = sorted(ROOT.glob("filings/*.yaml")) + sorted((ROOT / "rules").rglob("*.yaml"))


def typed(value: Any) -> Any:
    """`value` with the type of every scalar spelt out: 1, 1.0 and True are equal in Python, not here."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def independent_reading(text: str) -> tuple[Any, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The value, value positions and key positions of `text` as PyYAML's composer and safe constructor see
    them; keys as text (the builder reads keys as YAML 1.2 does: `on:` is text), dates as ISO text (an
    impossible date stays as written)."""
    constructor = SafeConstructor()
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}

    def where(node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(node: Node, pointer: str) -> Any:
        values[pointer] = where(node)
        if isinstance(node, MappingNode):
            built: dict[str, Any] = {}
            for key_node, value_node in node.value:
                assert isinstance(key_node, ScalarNode)
                child = f"{pointer}/{escape_pointer_token(key_node.value)}"
                keys[child] = where(key_node)
                built[key_node.value] = walk(value_node, child)
            return built
        if isinstance(node, SequenceNode):
            return [walk(item, f"{pointer}/{index}") for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            return node.value  # YAML 1.1's `<<` and `=`, as values: their text (no constructor has them)
        try:
            value = constructor.construct_object(node)
        except ValueError:
            return node.value  # 2024-02-30
        return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    return walk(root, ""), values, keys


def assert_same_as_independent_reading(text: str, source: str) -> Document:
    """For a `.json` source the value is json's reading (JSON's scalars as JSON means them), the positions
    still PyYAML's (JSON is YAML)."""
    doc = load_bytes(text.encode("utf-8"), source)
    value, values, keys = independent_reading(text)
    if source.endswith(".json"):
        value = json.loads(text)
    assert typed(doc.data) == typed(value)
    assert dict(doc.positions.items()) == values
    assert dict(doc.key_positions.items()) == keys
    assert list(doc.positions) == list(values)  # document order, each pointer once
    for pointer, position in values.items():
        assert doc.locate(pointer) == position
        assert doc.locate(pointer, prefer_key=True) == keys.get(pointer, position)
    return doc


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_bundled_filings_and_rules_read_as_pyyaml_reads_them(path: Path) -> None:
    assert_same_as_independent_reading(path.read_text(encoding="utf-8"), str(path))


def test_a_generated_filing_reads_as_pyyaml_reads_it() -> None:
    text = generate.render(generate.generate(2000, 1, generate.Material()), 2000, 1)
    doc = assert_same_as_independent_reading(text, "synthetic-2000.yaml")
    assert len(list(doc.positions)) > 10_000
    assert_same_as_independent_reading(json.dumps(doc.data, indent=1, ensure_ascii=False), "synthetic-2000.json")


def test_the_files_cover_the_fast_paths() -> None:
    """The files above hold every kind of plain scalar the builder converts itself but null (no description
    or rule writes one: SCALARS has them), so the comparisons reach each of its fast paths."""
    seen: set[str] = set()
    for path in FILES[:12]:
        for event in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader):
            if isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
                seen.add(yaml.resolver.Resolver().resolve(ScalarNode, event.value, event.implicit).rsplit(":")[-1])
    assert {"str", "int", "float", "bool", "timestamp"} <= seen


SCALARS = [
    # text, plain and quoted, starting with a character a resolver is tried on
    "Tokyo", "yesterday", "No.", "offshore", "Online", "nullable", "~x", "<<x", "=x", "-x", "+-1", "+x", ".x",
    "'123'", '"1.5"', "'true'", '"2024-01-05"', '"caf\\u00e9"', "'it''s'", "Société Générale 株式会社", "x#y",
    # ints: decimal taken directly; underscores, bases, signs and leading zeros left to PyYAML (or refused)
    "0", "-0", "+0", "7", "-7", "+7", "123456789012345678901234567890", "1_000", "0o17", "0x1F", "0b101", "017",
    "-017", "1:30", "+1_0", "9" * 100, "9" * 101,
    # floats: a decimal point taken directly; exponents, underscores, base 60, infinities to PyYAML
    "1.5", "-1.5", "+1.5", "0.0", "-0.0", "00.5", "1.", "-1.", ".5", "-.5", "1.5e3", "1.5e+3", "1.5E-3", "1e3",
    "1_000.5", "1:30.5", ".inf", "-.Inf", ".nan", "1.5e+400", "9" * 99 + ".5", "9" * 100 + ".5",
    # booleans and nulls in every spelling YAML 1.1 has, and near misses
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
    "off", "Off", "OFF", "yEs", "tRUE", "y", "n", "~", "null", "Null", "NULL", "nULL", "",
    # dates and times: a date alone is its text; with a time PyYAML builds it (isoformat)
    "2024-01-05", "2024-02-30", "2024-13-01", "0000-01-01", "2024-1-5", "2024-01-05T10:20:30Z",
    "2024-01-05 10:20:30.5+09:00", "2024-01-05t10:20:30", "20240105",
    # the YAML 1.1 oddities read as text: `<<` and `=` as values
    "<<", "=",
]


REFUSED = "refused"  # (no type's name)


def expected(text: str, pointer: str, source: str = "t.yaml") -> Any:
    """What the builder must give for `text`, whose last scalar is the one tried (at `pointer`): PyYAML's
    reading (json's for a `.json` source), or the refusal of the builder's general path for that scalar,
    which reads it with PyYAML's resolver and constructors (or as JSON) as the builder did before it took
    common scalars itself."""
    value = json.loads(text) if source.endswith(".json") else independent_reading(text)[0]
    last = [event for event in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(event, yaml.ScalarEvent)][-1]
    try:
        yaml_events.Builder(source, source.endswith(".json")).scalar(last, pointer)
    except InputError as error:
        return REFUSED, [problem.render() for problem in error.problems]
    return typed(value)


@pytest.fixture(params=["pure-python", "libyaml"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml":
        if getattr(yaml, "CSafeLoader", None) is None:
            pytest.skip("PyYAML without libyaml")
        monkeypatch.setattr(yaml_events, "_PARSER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yaml_events, "_PARSER", yaml.SafeLoader)
    return str(request.param)


@pytest.mark.parametrize("scalar", SCALARS)
def test_each_scalar_reads_as_pyyaml_reads_it(scalar: str, parser: str) -> None:
    for text, pointer in ((f"k: {scalar}\n", "/k"), (f"- {scalar}\n", "/0"), (f"{scalar}\n", ""),
                          (f"a:\n  b: [1, {scalar}]\n", "/a/b/1")):
        if not text.strip():
            continue  # an empty file (tests/test_bad_input.py)
        read_as_independently(text, pointer, "t.yaml")


def read_as_independently(text: str, pointer: str, name: str) -> None:
    """`text` loads as the independent reading has it, or is refused with the same problems as the general
    path refuses it (a file that is only a null is refused as empty: tests/test_bad_input.py)."""
    want = expected(text, pointer, name)
    if want == ("NoneType", None):
        return
    if isinstance(want, tuple) and want[0] == REFUSED:
        with pytest.raises(InputError) as caught:
            load_bytes(text.encode("utf-8"), name)
        assert [problem.render() for problem in caught.value.problems] == want[1], text
    else:
        assert_same_as_independent_reading(text, name)


JSON_SCALARS = ["0", "-0", "7", "-7", "123456789012345678901234567890", "9" * 100, "9" * 101, "1.5", "-0.0", "1e3",
                "1E+3", "-1.5e-3", "0.1e1", "1e400", "-1e400", "true", "false", "null", '"text"', '"1"', '"true"',
                '"null"', '""', '"caf\\u00e9"']


@pytest.mark.parametrize("scalar", JSON_SCALARS)
def test_each_json_scalar_reads_as_json_reads_it(scalar: str, parser: str) -> None:
    for text, pointer in ((f'{{"k": {scalar}}}\n', "/k"), (f"[{scalar}]\n", "/0"), (f"{scalar}\n", ""),
                          (f'{{"a": {{"b": [1, {scalar}]}}}}\n', "/a/b/1")):
        read_as_independently(text, pointer, "t.json")
