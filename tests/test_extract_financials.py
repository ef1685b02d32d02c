"""The financial statements read from the document: the primary statements, the amounts the rules compare and
the document-only consistency checks, measured on Loncor (HTML) and Muestra (Inline XBRL) against values
written by reading them (tests/data/real/*.financials.yaml), and on small hand-written documents."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LONCOR, MUESTRA
from precomment.documents.model import FilingDocument
from precomment.documents.read import read_bytes, read_document
from precomment.extraction import consistency, financials, statements
from precomment.extraction.assemble import set_at
from precomment.extraction.values import Context, Value

DATA = Path(__file__).parent / "data" / "real"
DOCUMENTS = {
    "loncor": LONCOR,
    "muestra": MUESTRA,
}
GROUPS = {
    "statements": ("/financial_statements/primary_statements",),
    "amounts": ("/filer/unit", "/filer/reporting_currency", "/financial_statements/balance_sheet",
                "/financial_statements/goodwill", "/financial_statements/leases",
                "/financial_statements/revenue_recognition", "/item5/capital_resources"),
    "inconsistencies": ("/document/inconsistencies",),
}

KNOWN_MISSES = {("muestra", "inconsistencies"): 2}
"""Expected leaves the extractors do not find: Muestra's reference to the wrong note (subject and kind)."""


def _describe(document: FilingDocument, basis: str | None = None) -> dict[str, Any]:
    description: dict[str, Any] = {}
    context = Context(basis_of_accounting=basis)
    for extractor in (statements.extract, financials.extract, consistency.extract):
        for found in extractor(document, context):
            if isinstance(found, Value):
                set_at(description, found.pointer, found.value)
    return description


def _leaves(data: Any, pointer: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _leaves(value, f"{pointer}/{key}").items()}
    if isinstance(data, list):
        return {k: v for index, value in enumerate(data) for k, v in _leaves(value, f"{pointer}/{index}").items()}
    return {pointer: data}


def score(expected: dict[str, Any], read: dict[str, Any], prefixes: tuple[str, ...]) -> tuple[int, int, int]:
    """(right, written, expected) over the leaves under `prefixes`; an inconsistency's description (prose) is
    not scored."""
    def keep(pointer: str) -> bool:
        return pointer.startswith(prefixes) and not pointer.endswith("/description")
    want = {k: v for k, v in _leaves(expected).items() if keep(k)}
    got = {k: v for k, v in _leaves(read).items() if keep(k)}
    right = sum(1 for k, v in got.items() if k in want and want[k] == v)
    return right, len(got), len(want)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_real_documents_against_values_read_by_hand(name: str) -> None:
    expected = yaml.safe_load((DATA / f"{name}.financials.yaml").read_text(encoding="utf-8"))
    read = _describe(read_document(str(DOCUMENTS[name])))
    for group, prefixes in GROUPS.items():
        right, written, wanted = score(expected, read, prefixes)
        print(f"{name} {group}: precision {right}/{written}, recall {right}/{wanted}")
        assert right == written, (group, _leaves(read))
        assert wanted - right == KNOWN_MISSES.get((name, group), 0), (group, _leaves(read))


# --- statements from HTML tables -----------------------------------------------------------------------------

STATEMENTS_HTML = """<html><body>
<p>Index: Consolidated Balance Sheets F-2</p>
<div style="page-break-after: always"></div>
<p><b>ACME LTD. CONSOLIDATED BALANCE SHEETS</b></p>
<p><b>Consolidated Balance Sheets</b></p>
<p>(in thousands of euros)</p>
<table>
<tr><td></td><td>Note</td><td>December 31, 2021</td><td>December 31, 2020</td></tr>
<tr><td>Cash</td><td>4</td><td>1,000</td><td>900</td></tr>
<tr><td>Receivables</td><td></td><td>500</td><td>400</td></tr>
<tr><td>Total current assets</td><td></td><td>1,500</td><td>1,300</td></tr>
<tr><td>Total current liabilities</td><td></td><td>(2,000</td><td>)</td></tr>
<tr><td>Total assets</td><td></td><td>9,000</td><td>8,000</td></tr>
</table>
<p>F-2</p>
<div style="page-break-after: always"></div>
<p><b>Consolidated Statements of Operations and Comprehensive Income</b></p>
<table>
<tr><td></td><td>2021</td><td>2020</td><td>2019</td></tr>
<tr><td>Revenue</td><td>10</td><td>9</td><td>8</td></tr>
<tr><td>Costs</td><td>(5)</td><td>(4)</td><td>(3)</td></tr>
<tr><td>Net income</td><td>5</td><td>5</td><td>5</td></tr>
<tr><td>Other comprehensive income</td><td>1</td><td>1</td><td>1</td></tr>
</table>
<p>F-3</p>
</body></html>"""


def test_statements_and_amounts_from_html_tables() -> None:
    document = read_bytes(STATEMENTS_HTML.encode(), "x.htm")
    found = statements.find_statements(document)
    assert [(s.title, s.kind, s.periods) for s in found] == [
        ("Consolidated Balance Sheets", "balance_sheet", 2),
        ("Consolidated Statements of Operations and Comprehensive Income", "income_and_comprehensive_income", 3)]
    read = _describe(document)
    assert read["financial_statements"]["primary_statements"]["statements"][0]["page"] == "F-2"
    assert read["financial_statements"]["primary_statements"]["statements"][1]["page"] == "F-3"
    assert read["filer"] == {"unit": "thousands", "reporting_currency": "EUR"}
    assert read["financial_statements"]["balance_sheet"] == {
        "page": "F-2", "total_current_assets": 1500, "total_current_liabilities": -2000}
    assert "item5" not in read  # no working capital printed: none computed from the balance sheet


def test_no_statement_no_values() -> None:
    document = read_bytes(b"<html><body><p>Consolidated Balance Sheets</p><p>Nothing here.</p></body></html>",
                          "x.htm")
    assert _describe(document) == {"document": {"inconsistencies": []}}  # the checks ran and found nothing


# --- Inline XBRL: amounts, duplicates, calculations ------------------------------------------------------------

IX = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:iso4217="http://www.xbrl.org/2003/iso4217"
 xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
 xmlns:us-gaap="http://fasb.org/us-gaap/2021" xmlns:dei="http://xbrl.sec.gov/dei/2021">
<body><div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="fy">2021-12-31</ix:nonNumeric></ix:hidden>
<ix:references><link:schemaRef xlink:type="simple" xlink:href="acme.xsd"/></ix:references>
<ix:resources>
<xbrli:context id="fy"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier></xbrli:entity>
<xbrli:period><xbrli:startDate>2021-01-01</xbrli:startDate><xbrli:endDate>2021-12-31</xbrli:endDate></xbrli:period>
</xbrli:context>
<xbrli:context id="fye"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier></xbrli:entity>
<xbrli:period><xbrli:instant>2021-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:unit id="jpy"><xbrli:measure>iso4217:JPY</xbrli:measure></xbrli:unit>
</ix:resources></ix:header></div>
<p>CONSOLIDATED BALANCE SHEET</p>
<table>
<tr><td></td><td>As of December 31, 2021</td></tr>
<tr><td>Cash</td><td><ix:nonFraction name="us-gaap:Cash" contextRef="fye" unitRef="jpy" decimals="-6" scale="6"
 format="ixt:num-dot-decimal">700</ix:nonFraction></td></tr>
<tr><td>Receivables</td><td><ix:nonFraction name="us-gaap:AccountsReceivableNetCurrent" contextRef="fye" unitRef="jpy"
 decimals="-6" scale="6" format="ixt:num-dot-decimal">400</ix:nonFraction></td></tr>
<tr><td>Total current assets</td><td><ix:nonFraction name="us-gaap:AssetsCurrent" contextRef="fye" unitRef="jpy"
 decimals="-6" scale="6" format="ixt:num-dot-decimal">1,200</ix:nonFraction></td></tr>
<tr><td>Total current liabilities</td><td><ix:nonFraction name="us-gaap:LiabilitiesCurrent" contextRef="fye"
 unitRef="jpy" decimals="-6" scale="6" format="ixt:num-dot-decimal">800</ix:nonFraction></td></tr>
<tr><td>Total assets</td><td>5,000</td></tr>
</table>
<p>In Item 5 the cash is <ix:nonFraction name="us-gaap:Cash" contextRef="fye" unitRef="jpy" decimals="-6" scale="6"
 format="ixt:num-dot-decimal">750</ix:nonFraction> million.</p>
</body></html>"""

SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:link="http://www.xbrl.org/2003/linkbase"
 xmlns:xlink="http://www.w3.org/1999/xlink"><xs:annotation><xs:appinfo>
<link:linkbaseRef xlink:type="simple" xlink:role="http://www.xbrl.org/2003/role/calculationLinkbaseRef"
 xlink:href="acme_cal.xml"/></xs:appinfo></xs:annotation></xs:schema>"""

CALCULATION = """<?xml version="1.0" encoding="UTF-8"?>
<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">
<link:calculationLink xlink:type="extended" xlink:role="http://acme/role/BalanceSheet">
<link:loc xlink:type="locator" xlink:href="https://xbrl.fasb.org/us-gaap.xsd#us-gaap_AssetsCurrent" xlink:label="t"/>
<link:loc xlink:type="locator" xlink:href="https://xbrl.fasb.org/us-gaap.xsd#us-gaap_Cash" xlink:label="a"/>
<link:loc xlink:type="locator" xlink:href="https://xbrl.fasb.org/us-gaap.xsd#us-gaap_AccountsReceivableNetCurrent"
 xlink:label="b"/>
<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item"
 xlink:from="t" xlink:to="a" weight="1"/>
<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item"
 xlink:from="t" xlink:to="b" weight="1"/>
</link:calculationLink></link:linkbase>"""


def test_tagged_amounts_in_the_filers_unit(tmp_path: Path) -> None:
    document = read_bytes(IX.encode(), str(tmp_path / "acme.htm"))
    read = _describe(document, basis="US GAAP")
    assert read["filer"] == {"unit": "millions", "reporting_currency": "JPY"}
    assert read["financial_statements"]["balance_sheet"] == {"total_current_assets": 1200,
                                                             "total_current_liabilities": 800}
    assert "item5" not in read
    found = list(financials.extract(document, Context(basis_of_accounting="US GAAP")))
    total = next(f for f in found if isinstance(f, Value) and f.pointer.endswith("total_current_assets"))
    assert total.provenance is not None and total.provenance.fact == "us-gaap:AssetsCurrent"


def test_amounts_read_from_tags_only(tmp_path: Path) -> None:
    context = ('<xbrli:context id="pye"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier>'
               '</xbrli:entity><xbrli:period><xbrli:instant>2020-12-31</xbrli:instant></xbrli:period></xbrli:context>')
    rows = "".join(
        f'<tr><td>{name}</td><td><ix:nonFraction name="us-gaap:{name}" contextRef="{ref}" unitRef="jpy" '
        f'decimals="-6" scale="6">{value}</ix:nonFraction></td></tr>'
        for name, ref, value in (("ContractWithCustomerLiability", "fye", "30"),
                                 ("ContractWithCustomerLiability", "pye", "20"),
                                 ("OperatingLeaseLiability", "fye", "50"), ("FinanceLeaseLiability", "fye", "5")))
    text = IX.replace("</ix:resources>", context + "</ix:resources>").replace("<tr><td>Total assets", rows +
                                                                                "<tr><td>Total assets")
    read = _describe(read_bytes(text.encode(), "x.htm"), basis="US GAAP")
    assert read["financial_statements"]["revenue_recognition"] == {"contract_liabilities_opening": 20,
                                                                   "contract_liabilities_closing": 30}
    assert read["financial_statements"]["leases"] == {"lease_liabilities": 55}
    assert "goodwill" not in read["financial_statements"]  # no goodwill tagged: total equity not wanted


def test_duplicate_facts_and_the_calculation_linkbase_beside_the_document(tmp_path: Path) -> None:
    (tmp_path / "acme.htm").write_text(IX, encoding="utf-8")
    (tmp_path / "acme.xsd").write_text(SCHEMA, encoding="utf-8")
    (tmp_path / "acme_cal.xml").write_text(CALCULATION, encoding="utf-8")
    document = read_document(str(tmp_path / "acme.htm"))
    read = _describe(document, basis="US GAAP")
    found = {(item["kind"], item["subject"]): item["description"] for item in read["document"]["inconsistencies"]}
    assert set(found) == {("amount_mismatch", "Cash 2021-12-31"), ("calculation", "AssetsCurrent 2021-12-31")}
    assert "700,000,000" in found[("amount_mismatch", "Cash 2021-12-31")]
    assert "750,000,000" in found[("amount_mismatch", "Cash 2021-12-31")]
    assert "add up to 1,100,000,000" in found[("calculation", "AssetsCurrent 2021-12-31")]


def test_no_linkbase_beside_the_document_no_calculation_check(tmp_path: Path) -> None:
    (tmp_path / "acme.htm").write_text(IX, encoding="utf-8")
    document = read_document(str(tmp_path / "acme.htm"))
    assert consistency.calculations(document) == []


def test_a_calculation_within_rounding_is_consistent(tmp_path: Path) -> None:
    rounded = IX.replace('decimals="-6" scale="6" format="ixt:num-dot-decimal">1,200',
                         'decimals="-8" scale="6" format="ixt:num-dot-decimal">1,100')
    (tmp_path / "acme.htm").write_text(rounded, encoding="utf-8")
    (tmp_path / "acme.xsd").write_text(SCHEMA, encoding="utf-8")
    (tmp_path / "acme_cal.xml").write_text(CALCULATION, encoding="utf-8")
    assert consistency.calculations(read_document(str(tmp_path / "acme.htm"))) == []


# --- notes and defined terms -------------------------------------------------------------------------------

NOTES_HTML = """<html><body>
<p>Acme Holdings Ltd. (the "Company") makes widgets. See Note 7 and Note 2 to the financial statements.</p>
<p>Our auditors are Smith &amp; Jones LLP ("Auditor").</p>
<p>NOTES TO THE CONSOLIDATED FINANCIAL STATEMENTS</p>
<p><b>1. GENERAL INFORMATION</b></p>
<p>Acme Holdings Ltd. ("Company") is a company. 2. This sentence is not a heading.</p>
<p><b>2. ACCOUNTING POLICIES</b></p>
<p>The Senior Notes 8.5% are due in 2030. Notes 1 to 3 form part of these statements.</p>
<p><b>3. CASH</b></p>
<p>Jones Partners AG ("Auditor") became auditor in the year.</p>
</body></html>"""


def test_missing_note_and_term_defined_twice() -> None:
    document = read_bytes(NOTES_HTML.encode(), "x.htm")
    assert sorted(consistency.notes_found(document)) == [1, 2, 3]
    read = _describe(document)
    items = read["document"]["inconsistencies"]
    assert [(item["subject"], item["kind"]) for item in items] == [("Note 7", "cross_reference"),
                                                                   ('"Auditor"', "defined_term")]
    assert "Jones Partners AG" in items[1]["description"] and "Smith & Jones LLP" in items[1]["description"]


def test_no_notes_found_no_reference_check() -> None:
    document = read_bytes(b"<html><body><p>See Note 7.</p></body></html>", "x.htm")
    assert consistency.missing_notes(document) == []


def test_continued_titles_units_notes_and_condensed_statements() -> None:
    table = ("<table><tr><td></td><td>2021</td><td>2020</td></tr>" +
             "".join(f"<tr><td>Line {n}</td><td>{n},000</td><td>{n},100</td></tr>" for n in range(1, 6)) + "</table>")
    html = (f"<html><body><p>CONSOLIDATED BALANCE SHEETS (In USD thousands, except share data)</p>{table}"
            f"<p>CONSOLIDATED BALANCE SHEETS (continued)</p>{table}"
            f"<p>Condensed Balance Sheets</p>{table}"
            f"<p>Consolidated Statements of Financial Condition</p>{table}</body></html>")
    document = read_bytes(html.encode(), "x.htm")
    found = statements.find_statements(document)
    assert [(s.title, len(s.tables)) for s in found] == [("CONSOLIDATED BALANCE SHEETS", 2),
                                                         ("Consolidated Statements of Financial Condition", 1)]
    assert financials._printed_unit(document, found) == ("thousands", "USD")


def test_a_note_set_differently_is_not_missing_and_a_company_suffix_is_one_name() -> None:
    html = ("<html><body><p>Acme Limited (the \"Company\") sells. See Note 4.</p>"
            "<p>NOTES TO THE FINANCIAL STATEMENTS</p><p><b>1. GENERAL</b></p><p><b>2. POLICIES</b></p>"
            "<p><b>3. CASH</b></p><p>(4) Leases</p><p>Acme Ltd. (\"Company\") leases.</p></body></html>")
    document = read_bytes(html.encode(), "x.htm")
    assert consistency.missing_notes(document) == []
    assert consistency.defined_terms(document) == []


def test_column_years_that_the_tags_contradict() -> None:
    wrong = read_bytes(IX.replace("As of December 31, 2021", "As of December 31, 2020").encode(), "x.htm")
    found = consistency.heading_years(wrong)
    assert [(item.subject, item.kind) for item in found] == [("CONSOLIDATED BALANCE SHEET: column years",
                                                              "amount_mismatch")]
    assert "headed 2020 but its amounts are tagged for 2021" in found[0].description
    march = IX.replace("<xbrli:instant>2021-12-31", "<xbrli:instant>2022-03-31").replace(
        "As of December 31, 2021", "Fiscal 2021")
    assert consistency.heading_years(read_bytes(march.encode(), "x.htm")) == []


def _amounts(*lines: str, years: tuple[str, ...] = ("2024", "2023")) -> str:
    head = "".join(f"<td>Year ended December 31, {year}</td>" for year in years)
    rows = "".join(f"<tr><td>{line}</td>" + "".join(f"<td>{n + 1},{y}00</td>" for y in range(len(years))) + "</tr>"
                   for n, line in enumerate(lines))
    return f"<table><tr><td></td>{head}</tr>{rows}</table>"


def test_titles_as_ifrs_filers_print_them_short_tables_and_no_index_or_item_5_heading() -> None:
    html = ("<html><body><p>ITEM 5. OPERATING AND FINANCIAL REVIEW AND PROSPECTS</p>"
            "<p>Consolidated Statements of Cash Flows</p>"
            + _amounts("Net cash from operating activities", "Net cash used in investing activities") +
            "<p>ITEM 18. FINANCIAL STATEMENTS</p><p>INDEX</p><p>Consolidated Income Statement F-3</p>"
            "<p>Consolidated Cash Flow Statement F-5</p>"
            "<p>Consolidated Income Statement</p>" + _amounts("Revenue", "Operating costs", "Profit for the year") +
            "<p>Consolidated Statement of Comprehensive Income</p>"
            + _amounts("Profit for the year", "Total comprehensive income") +
            "<p>Changes in Equity</p><p>" + "The statement below shows the movements in each reserve. " * 5 + "</p>"
            + _amounts("Balance at January 1", "Dividends", "Balance at December 31") +
            "<p>Consolidated Cash Flow Statement</p>" + _amounts("Net cash from operating activities",
                                                                 "Net cash used in investing activities",
                                                                 years=("2024", "2023", "2022")) +
            "</body></html>")
    document = read_bytes(html.encode(), "x.htm")
    context = Context(items={"5": (0, 3), "18": (3, len(document.blocks))})
    found = statements.find_statements(document, context)
    assert [(s.title, s.kind, s.periods) for s in found] == [
        ("Consolidated Income Statement", "income_statement", 2),
        ("Consolidated Statement of Comprehensive Income", "comprehensive_income", 2),
        ("Consolidated Cash Flow Statement", "cash_flows", 3)]  # changes in equity: running text before the table
    assert [s.title for s in statements.find_statements(document)][0] == "Consolidated Statements of Cash Flows"
    swallowed = Context(items={"5": (0, 3), "16J": (3, len(document.blocks))})  # no Item 17-19 heading found
    assert len(statements.find_statements(document, swallowed)) == 4


def _found(document: FilingDocument, context: Context, prefix: str) -> dict[str, Any]:
    read: dict[str, Any] = {}
    for found in financials.extract(document, context):
        if isinstance(found, Value) and found.pointer.startswith(prefix):
            set_at(read, found.pointer, found.value)
    return read


def test_working_capital_as_printed_in_a_sentence_or_a_row_never_computed() -> None:
    balance = ("<p>CONSOLIDATED BALANCE SHEETS</p><p>(in thousands of U.S. dollars)</p>"
               "<table><tr><td></td><td>2021</td><td>2020</td></tr>"
               "<tr><td>Total current assets</td><td>1,500</td><td>1,300</td></tr>"
               "<tr><td>Total current liabilities</td><td>700</td><td>600</td></tr>"
               "<tr><td>Total assets</td><td>9,000</td><td>8,000</td></tr></table>")
    sentence = ("<p>As at December 31, 2020 we had working capital of $3.1 million. As at December 31, 2021 we had "
                "a working capital deficiency of US$2.5 million (2020: working capital of $3.1 million).</p>")
    context = Context(fiscal_year_end="2021-12-31")
    read = _found(read_bytes(f"<html><body>{sentence}</body></html>".encode(), "x.htm"), context, "/item5")
    assert read == {"item5": {"capital_resources": {"working_capital": -2500000}}}  # no unit found: as units
    thousands = f"<html><body>{balance}{sentence}</body></html>"
    read = _found(read_bytes(thousands.encode(), "x.htm"), context, "/item5")
    assert read == {"item5": {"capital_resources": {"working_capital": -2500}}}
    row = ("<p>Selected financial data (in millions of dollars)</p><table><tr><td></td><td>2021</td><td>2020</td></tr>"
           "<tr><td>Revenue</td><td>40</td><td>35</td></tr><tr><td>Working capital</td><td>1.2</td><td>0.9</td></tr>"
           "</table>")
    read = _found(read_bytes(f"<html><body>{balance}{row}</body></html>".encode(), "x.htm"), context, "/item5")
    assert read == {"item5": {"capital_resources": {"working_capital": 1200}}}
    assert _found(read_bytes(f"<html><body>{balance}</body></html>".encode(), "x.htm"), context, "/item5") == {}
    others = ("<p>Working capital was $4.0 million at December 31, 2020, compared with the year before. In 2021 the "
              "credit agreement required us to maintain working capital of $1.0 million.</p>")
    assert _found(read_bytes(f"<html><body>{others}</body></html>".encode(), "x.htm"), context, "/item5") == {}
    assert _found(read_bytes(f"<html><body>{sentence}</body></html>".encode(), "x.htm"), Context(
        fiscal_year_end="2022-12-31"), "/item5") == {}  # not the fiscal year's


ITEM_5A = """<html><body><p>ITEM 5. OPERATING AND FINANCIAL REVIEW AND PROSPECTS</p><p>A. Operating Results</p>
<p>Revenues</p><p>(in millions of yen)</p>
<table><tr><td></td><td>Fiscal 2009</td><td></td><td>Fiscal 2008</td><td></td><td>2009 vs 2008</td></tr>
<tr><td></td><td>Amount</td><td>%</td><td>Amount</td><td>%</td><td></td></tr>
<tr><td>Systems integration revenues</td><td>&#165;27,500</td><td>43.1%</td><td>&#165;31,000</td><td>47.0%</td>
<td>(11.3)%</td></tr>
<tr><td>Equipment sales</td><td>3,100</td><td>4.9%</td><td>4,300</td><td>6.5%</td><td>(27.9)%</td></tr>
<tr><td>Outsourcing services</td><td>100</td><td>0.2%</td><td>-</td><td></td><td></td></tr>
<tr><td>Total revenues</td><td>30,600</td><td>100.0%</td><td>35,300</td><td>100.0%</td><td>(13.3)%</td></tr>
<tr><td>Cost of revenues</td><td>(20,000)</td><td>65.4%</td><td>(22,000)</td><td>62.3%</td><td></td></tr>
<tr><td>Gross margin</td><td>10,600</td><td>34.6%</td><td>13,300</td><td>37.7%</td><td></td></tr>
</table>
<p>Operating expenses rose by \u00a5100 million.</p><p>Operating expenses (\u00a5 millions)</p>
<table><tr><td></td><td>2009</td><td>2008</td></tr>
<tr><td>Sales and marketing</td><td>1,000</td><td>900</td></tr>
<tr><td>Research and development</td><td>500</td><td>-</td></tr></table>
<p>Sales rose to 7 million units.</p><p>Revenues and expenses by quarter</p>
<table><tr><td></td><td>2009</td><td>2008</td></tr><tr><td>Service revenues</td><td>7</td><td>6</td></tr>
<tr><td>Costs of services</td><td>5</td><td>4</td></tr><tr><td>Japan</td><td>9</td><td>8</td></tr></table>
<p>Percentage of revenues</p>
<table><tr><td></td><td>2009</td><td>2008</td></tr><tr><td>Equipment sales</td><td>10</td><td>12</td></tr>
<tr><td>Other</td><td>90</td><td>88</td></tr></table>
<p>B. Liquidity and Capital Resources</p>
<table><tr><td></td><td>2009</td><td>2008</td></tr><tr><td>Net revenues</td><td>1</td><td>2</td></tr></table>
</body></html>"""


def test_revenue_and_expense_lines_of_item_5a_by_year_in_the_filers_unit() -> None:
    document = read_bytes(ITEM_5A.encode(), "x.htm")
    start = next(b.index for b in document.blocks if b.text.startswith("A. Operating"))
    end = next(b.index for b in document.blocks if b.text.startswith("B. Liquidity"))
    context = Context(items={"5": (0, len(document.blocks)), "5.A": (start, end), "5.B": (end, len(document.blocks))})
    lines = financials.operating_lines(document, context, "thousands")
    read: dict[str, Any] = {}
    for found in lines:
        if isinstance(found, Value):
            set_at(read, found.pointer, found.value)
    results = read["item5"]["operating_results"]
    assert results["revenue_lines"] == [
        {"name": "Systems integration revenues", "amounts": [{"fiscal_year": 2009, "amount": 27500000},
                                                             {"fiscal_year": 2008, "amount": 31000000}]},
        {"name": "Equipment sales", "amounts": [{"fiscal_year": 2009, "amount": 3100000},
                                                {"fiscal_year": 2008, "amount": 4300000}]},
        {"name": "Outsourcing services", "amounts": [{"fiscal_year": 2009, "amount": 100000}]},
        {"name": "Service revenues", "amounts": [{"fiscal_year": 2009, "amount": 7},
                                                 {"fiscal_year": 2008, "amount": 6}]}]
    assert results["expense_lines"] == [
        {"name": "Cost of revenues", "amounts": [{"fiscal_year": 2009, "amount": -20000000},
                                                 {"fiscal_year": 2008, "amount": -22000000}]},
        {"name": "Sales and marketing", "amounts": [{"fiscal_year": 2009, "amount": 1000000},
                                                    {"fiscal_year": 2008, "amount": 900000}]},
        {"name": "Research and development", "amounts": [{"fiscal_year": 2009, "amount": 500000}]},
        {"name": "Costs of services", "amounts": [{"fiscal_year": 2009, "amount": 5},
                                                  {"fiscal_year": 2008, "amount": 4}]}]


@pytest.mark.parametrize(("line", "expected"), [
    ("Consolidated Statement of Cash Flows", ("Consolidated Statement of Cash Flows", "cash_flows")),
    ("Consolidated Income Statement", ("Consolidated Income Statement", "income_statement")),
    ("Statements of Operations", ("Statements of Operations", "income_statement")),
    ("Consolidated Statements of Financial Position", ("Consolidated Statements of Financial Position",
                                                       "balance_sheet")),
    ("Changes in Equity", ("Changes in Equity", "changes_in_equity")),
    ("Consolidated Profit and Loss Account", ("Consolidated Profit and Loss Account", "income_statement")),
    ("Group Cash Flow Statements (continued)", ("Group Cash Flow Statements", "cash_flows")),
    ("Consolidated Statements of Cash Flows F-6", None),  # a line of the index
    ("Consolidated Income Statement 45", None),
    ("Consolidated statements of cash flows are presented on page F-6.", None),  # running text
    ("Condensed Balance Sheets", None),
])
def test_statement_titles(line: str, expected: tuple[str, str] | None) -> None:
    assert statements.statement_title(line) == expected
