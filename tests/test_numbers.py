"""Numbers as a user may write them: a whole number written with a fraction (2009.0) where the schema
says integer means exactly that integer, to both evaluators, in every report and fingerprint."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FILINGS, IIJ, ROOT
from documents import load_text
from precomment.checking.examples import example_document
from precomment.checking.pipeline import Checker
from precomment.errors import InputError
from precomment.language.derive import Call, Const, Derivation, Deriver, TooLarge
from precomment.language.records import Rule
from precomment.language.rulebook import load_rules
from precomment.sources.document import Document
from precomment.sources.load import load_file
from precomment.validation.fact_model import FILING_SCHEMA
from precomment.validation.validate import problems_in

WHOLE_NUMBER_EXPECTED = re.compile(r"expected a whole number( or [a-z ]+)?, got the number ")


def bundled_documents() -> list[tuple[Document, Rule | None]]:
    """Every bundled filing (checked with every rule) and every rule example (checked with its rule), as the
    checker reads them."""
    documents: list[tuple[Document, Rule | None]] = [(load_file(path), None) for path in sorted(FILINGS.glob("*.yaml"))]
    documents += [(example_document(rule, example), rule) for rule in load_rules().rules for example in rule.examples]
    return documents


CASES = bundled_documents()
DOCUMENTS = [document for document, _ in CASES]


def integers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every int (not bool) in `data`, in document order."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in integers(value, path + (key,))]
    if isinstance(data, list):
        return [found for index, value in enumerate(data) for found in integers(value, path + (index,))]
    return [path] if isinstance(data, int) and not isinstance(data, bool) else []


def replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A deep copy of `data` with the value at `path` replaced by `new`."""
    data = copy.deepcopy(data)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return data


def pointer(path: tuple[Any, ...]) -> str:
    return "".join(f"/{step}" for step in path)


def integer_places(document: Document) -> list[tuple[Any, ...]]:
    """The paths of the document's integers that the filing schema types as integer: those that, written
    with half added (2009.5), the user is told must be whole numbers."""
    paths = integers(document.data)
    halves = copy.deepcopy(document.data)
    for path in paths:
        parent = halves
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] += 0.5
    refused = {p.pointer for p in problems_in(Document(document.source, halves, document.positions), FILING_SCHEMA)
               if p.code == "wrong-type" and WHOLE_NUMBER_EXPECTED.match(p.message)}
    return [path for path in paths if pointer(path) in refused]


def findings(checker: Checker, document: Document, engine: str, rule: Rule | None = None) -> list[dict[str, Any]]:
    """The findings of every rule, or with `rule` of that rule alone (as its examples are checked)."""
    found = checker.findings(document, engine) if rule is None else checker.rule_findings(rule, document, engine)
    return [finding.to_dict() for finding in found]


@pytest.mark.parametrize("document, rule", CASES, ids=[d.source.replace(str(ROOT) + "/", "") for d, _ in CASES])
def test_each_integer_written_as_a_float_changes_nothing(checker, document, rule):
    """Every integer the schema types as integer, written as a float (2009 -> 2009.0): both evaluators give
    exactly the findings of the document as written (texts, pages, fingerprints). All are floated at once
    (one check per evaluator, not one per integer: the drafts have hundreds); when that changes anything,
    the integers are floated one at a time to name the first that does."""
    expected = findings(checker, Document(document.source, copy.deepcopy(document.data), document.positions),
                        "oracle", rule)
    paths = integer_places(document)
    floated = copy.deepcopy(document.data)
    for path in paths:
        parent = floated
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = float(parent[path[-1]])
    for engine in ("durable", "oracle"):
        if findings(checker, Document(document.source, floated, document.positions), engine, rule) != expected:
            for path in paths:
                one = Document(document.source, replaced(document.data, path, float(_at(document.data, path))),
                               document.positions)
                assert findings(checker, one, engine, rule) == expected, f"{engine}, {pointer(path)} as a float"
            pytest.fail(f"{engine}: floating every integer at once changes the findings, though none alone does")


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def test_the_sweep_covers_years_pages_and_share_counts():
    """The schema's integers (years, pages, share counts) are all found, so the sweep is not vacuous."""
    iij = load_file(ROOT / IIJ)
    places = integer_places(iij)
    assert {"fiscal_year", "from_year", "to_year", "page", "shares", "shares_outstanding"} <= {p[-1] for p in places}
    # A balance is a number, not an integer: written 12000000.0, it stays what it is.
    assert ("item5", "liquidity", "balance_sheet_lines", 0, "amounts", 0, "amount") not in places
    assert sum(len(integer_places(d)) for d in DOCUMENTS) > 400


def write_with(tmp_path: Path, old: str, new: str) -> str:
    """The IIJ description with one piece of text replaced, written beside nothing else."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "iij.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_year_written_2008_0_reports_fiscal_2008(cli, tmp_path, fmt):
    """The report of a description with `fiscal_year: 2008.0` is the report of `fiscal_year: 2008`: no
    finding lost, none invented, no "2008.0" anywhere, the same fingerprints."""
    as_float = write_with(tmp_path, "{fiscal_year: 2008, amount: 15000000}", "{fiscal_year: 2008.0, amount: 15000000}")
    code, out, err = cli("check", as_float, "--format", fmt)
    expected_code, expected, _ = cli("check", IIJ, "--format", fmt)
    assert (code, err) == (expected_code, "")
    assert "2008.0" not in out
    assert out == expected.replace(IIJ, as_float).replace(str(ROOT / IIJ), as_float)


def test_a_share_count_written_as_a_float_is_checked_for_consistency(cli, tmp_path):
    """`shares: 12000.0` is 12,000 shares: a percentage that contradicts it is refused as for 12000."""
    for shares in ("12000", "12000.0"):
        path = write_with(tmp_path, "{name: Koichi Suzuki, shares: 12000, percent_of_class: 5.85}",
                          f"{{name: Koichi Suzuki, shares: {shares}, percent_of_class: 9}}")
        code, out, err = cli("validate", path)
        column = 59 + len(shares)  # where percent_of_class's value starts
        assert (code, err) == (2, f"{path}:139:{column}: error [inconsistent] at /item7/major_shareholders/holders/1/"
                                  "percent_of_class: percent_of_class 9 does not agree with 12,000 shares of 205,000 "
                                  "outstanding (5.85%)\n  hint: correct the percentage, the shares or "
                                  "shares_outstanding (a difference of up to 1 point is accepted as rounding)\n"), shares


def test_a_fraction_where_the_schema_says_integer_is_still_refused(cli, tmp_path):
    path = write_with(tmp_path, "{fiscal_year: 2008, amount: 15000000}", "{fiscal_year: 2008.5, amount: 15000000}")
    code, out, err = cli("validate", path)
    assert code == 2
    assert err.endswith("error [wrong-type] at /item5/liquidity/balance_sheet_lines/0/amounts/1/fiscal_year: "
                        "expected a whole number, got the number 2008.5\n"
                        "  hint: write a whole number, without a fractional part\n")


def test_only_what_the_schema_calls_integer_becomes_an_int():
    """A year and a page written 2007.0 and 54.0 become 2007 and 54 once validated; an amount the schema
    calls a number keeps the form it was written in."""
    document = load_file(ROOT / IIJ)
    table = document.data["item7"]["major_shareholders"]
    table["page"] = 54.0
    amounts = document.data["item5"]["liquidity"]["balance_sheet_lines"][0]["amounts"]
    amounts[0]["fiscal_year"], amounts[0]["amount"] = 2007.0, 12000000.0
    assert problems_in(document, FILING_SCHEMA) == []
    assert [(type(v), v) for v in (table["page"], amounts[0]["fiscal_year"], amounts[0]["amount"])] == [
        (int, 54), (int, 2007), (float, 12000000.0)]


def test_a_tiny_amount_that_would_make_a_derived_percentage_infinite_is_bad_input(cli, tmp_path):
    """A prior balance of 5.0e-324 makes the change in percent too large for a float: the description is
    refused at the entry whose value cannot be computed (exit 2), never an internal error, and a filing
    checked beside it still gets its report."""
    path = write_with(tmp_path, "{fiscal_year: 2007, amount: 12000000}", "{fiscal_year: 2007, amount: 5.0e-324}")
    code, out, err = cli("check", path, IIJ, "--format", "json")
    assert code == 2
    assert err == (f"{path}:111:13: error [overflow] at /item5/liquidity/balance_sheet_lines/0/amounts/1: the value "
                   "balance_change_percent derived here is too large to compute: the change from 5e-324 to "
                   "15000000, in percent\n"
                   "  hint: check the figures it is computed from: 5e-324 is too small to be a figure of a filing\n")
    report = json.loads(out)
    assert [f["status"] for f in report["filings"]] == ["invalid", "checked"]
    assert len(report["filings"][1]["findings"]) == 45


@pytest.mark.parametrize("expr, computation", [
    (Call("divide", (Const(10**400), Const(3))), "about 10^400 divided by 3"),
    (Call("multiply", (Const(1e200), Const(1e200))), "1e+200 times 1e+200"),
    (Call("percent", (Const(1), Const(5e-324))), "1 as a percentage of 5e-324"),
])
def test_a_derived_value_is_finite_or_too_large_never_infinite(expr, computation):
    """Every computation's result is checked, integer quotients included: no derived value is ever inf
    or nan, and none crashes (OverflowError) on the way."""
    facts = [{"id": "/filer", "_id": "/filer", "_type": "filer"}]
    with pytest.raises(TooLarge) as caught:
        Deriver([Derivation("x", "filer", expr, "number")]).apply(facts, {"/filer": facts[0]})
    assert caught.value.computation() == computation
    assert caught.value.fact is facts[0] and "derived__x" not in facts[0]


@pytest.mark.parametrize("source, value, literal", [
    ("t.yaml", "1" * 4301, "1" * 4301),                    # past Python's 4,300 digits: int() refuses it
    ("t.yaml", "0x" + "F" * 4000, "0x" + "F" * 4000),      # read, but too long for str() to write in a message
    ("t.yaml", "1" * 5000 + ":30", "1" * 5000 + ":30"),    # base 60
    ("t.yaml", "!!int '" + "1" * 101 + "'", "1" * 101),    # a tag does not make it shorter
    ("t.yaml", "1." + "5" * 99, "1." + "5" * 99),          # a float too: no figure is that long
    ("t.json", "-" + "1" * 4301, "-" + "1" * 4301),
])
def test_a_number_longer_than_100_characters_is_refused_where_it_stands(source, value, literal):
    text = f"a: {value}\n" if source == "t.yaml" else f'{{"a": {value}}}'
    with pytest.raises(InputError) as caught:
        load_text(text, source)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.pointer, problem.code) == (1, 4 if source == "t.yaml" else 7,
                                                                             "/a", "number-too-long")
    assert problem.message == (f"the number {literal[:20]}... is {len(literal):,} characters long; numbers are "
                               "read up to 100 characters")


@pytest.mark.parametrize("source, value", [("t.yaml", "1.0e+400"), ("t.json", "1e400"), ("t.json", "-1E+999")])
def test_a_number_too_large_for_a_float_is_said_to_be_too_large(source, value):
    """Written finite, read as infinity: the error says the number is too large, not that it is not finite."""
    text = f"a: {value}\n" if source == "t.yaml" else f'{{"a": {value}}}'
    with pytest.raises(InputError) as caught:
        load_text(text, source)
    assert caught.value.problems[0].render() == (
        f"{source}:1:{4 if source == 't.yaml' else 7}: error [number-too-large] at /a: {value} is too large to be "
        "read as a number (the largest is about 1.8e308)\n"
        "  hint: no figure of a filing is that large: check the number and its exponent")
