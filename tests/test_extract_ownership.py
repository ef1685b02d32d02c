"""Items 6.E and 7.A read from the document: the ownership tables of Loncor's 20-F (against values written by
reading it) and small hand-written tables for each way a table can mislead (merged and multi-row headers, an
options column, "*" for less than 1%, "Nil", a residency table, a "no 5% holder" statement, the cover's share
count)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LONCOR
from precomment.documents.read import read_bytes, read_document
from precomment.extraction import ownership
from precomment.extraction.assemble import extract as assemble
from precomment.extraction.assemble import set_at
from precomment.extraction.values import Context, NotFound, Value

EXPECTED = Path(__file__).parent / "data" / "real" / "loncor.ownership.yaml"


def run(html: str, context: Context | None = None) -> tuple[dict[str, Any], dict[str, Value], dict[str, NotFound]]:
    """The description the extractor writes for a snippet, its values and what it looked for in vain."""
    document = read_bytes(f"<html><body>{html}</body></html>".encode(), "x.htm")
    found = list(ownership.extract(document, context or Context()))
    description: dict[str, Any] = {}
    values = {item.pointer: item for item in found if isinstance(item, Value)}
    for value in values.values():
        set_at(description, value.pointer, value.value)
    missing = {item.pointer: item for item in found if isinstance(item, NotFound)}
    return description, values, missing


def section_6e(table: str, intro: str = "", after: str = "") -> str:
    return (f"<p><b>Item 6.E. Share Ownership</b></p><p>{intro}</p>{table}{after}"
            "<p><b>Item 7. Major Shareholders and Related Party Transactions</b></p>")


def section_7a(body: str, cover: str = "") -> str:
    return (f"<p>{cover}</p><p><b>Item 7. Major Shareholders and Related Party Transactions</b></p>"
            f"<p><b>A. Major Shareholders</b></p>{body}<p><b>B. Related Party Transactions</b></p><p>None.</p>")


def table(*rows: str) -> str:
    return "<table>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>"


def tds(*cells: str) -> str:
    return "".join(f"<td>{cell}</td>" for cell in cells)


# --- Loncor --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loncor() -> Any:
    return read_document(str(LONCOR))


def _holders(description: dict[str, Any], section: str) -> list[dict[str, Any]]:
    item, group = section.split("/")
    return list(description.get(item, {}).get(group, {}).get("holders", []))


def precision_recall(expected: list[dict[str, Any]], got: list[dict[str, Any]], key: str) -> tuple[float, float]:
    """Per field: right values over values written (precision) and over values expected (recall), holders
    matched by name."""
    expected_by_name = {holder["name"]: holder for holder in expected}
    written = [holder for holder in got if key in holder]
    right = sum(1 for holder in written
                if holder["name"] in expected_by_name and expected_by_name[holder["name"]].get(key) == holder[key])
    wanted = sum(1 for holder in expected if key in holder)
    return (right / len(written) if written else 1.0), (right / wanted if wanted else 1.0)


@pytest.mark.parametrize("section", ["item6/share_ownership", "item7/major_shareholders"])
def test_loncor_holders_exact(loncor: Any, section: str) -> None:
    """Through the assembler (the sections extractor finds nothing in this branch: the fallback headings)."""
    expected = yaml.safe_load(EXPECTED.read_text())
    description = assemble(loncor).description
    got, want = _holders(description, section), _holders(expected, section)
    assert [holder["name"] for holder in got] == [holder["name"] for holder in want]
    for key in ("name", "shares", "percent_of_class", "page", "position", "role"):
        assert precision_recall(want, got, key) == (1.0, 1.0), key
    assert got == want


def test_loncor_section_fields(loncor: Any) -> None:
    expected = yaml.safe_load(EXPECTED.read_text())
    description = assemble(loncor).description
    for item, group in (("item6", "share_ownership"), ("item7", "major_shareholders")):
        got = {key: value for key, value in description[item][group].items() if key != "holders"}
        want = {key: str(value) if key == "as_of" else value
                for key, value in expected[item][group].items() if key != "holders"}
        assert got == want


def test_loncor_provenance_and_notes(loncor: Any) -> None:
    values = {item.pointer: item for item in ownership.extract(loncor, Context()) if isinstance(item, Value)}
    colson = values["/item6/share_ownership/holders/0/shares"]
    assert colson.value == 0 and "nil" in colson.note and colson.provenance is not None
    assert colson.provenance.page == "57"
    block = loncor.blocks[colson.provenance.block]
    assert block.text[colson.provenance.start:colson.provenance.end] == "Nil"
    kondrat = values["/item7/major_shareholders/holders/0/shares"]
    assert kondrat.provenance is not None
    assert loncor.blocks[kondrat.provenance.block].text[kondrat.provenance.start:kondrat.provenance.end] == "74,300,818"
    role = values["/item6/share_ownership/holders/2/role"]
    assert role.confidence == "draft" and role.note and role.provenance and role.provenance.page == "49"
    as_of = values["/item7/major_shareholders/as_of"]
    assert as_of.provenance and "March 21, 2016" in loncor.blocks[as_of.provenance.block].text[
        as_of.provenance.start:as_of.provenance.end]


def test_loncor_cover_shares_not_copied(loncor: Any) -> None:
    missing = [item.pointer for item in ownership.extract(loncor, Context()) if isinstance(item, NotFound)]
    assert "/item6/share_ownership/shares_outstanding" in missing
    assert "/item7/major_shareholders/shares_outstanding" in missing


def test_loncor_sections_from_context(loncor: Any) -> None:
    """When the sections extractor gives the ranges, they are used (here: 7.A given as the 6.E range)."""
    six_e = ownership.find_section(loncor, "6.E")
    seven_a = ownership.find_section(loncor, "7.A")
    assert six_e and seven_a and six_e[0] < seven_a[0]
    assert loncor.blocks[six_e[0]].page == "57" and loncor.blocks[seven_a[0]].page == "59"
    values = {item.pointer: item.value for item in ownership.extract(loncor, Context(items={"6.E": seven_a}))
              if isinstance(item, Value)}
    assert values["/item6/share_ownership/holders/1/name"] == "Newmont Canada FN Holdings ULC"
    assert values["/item7/major_shareholders/holders/1/name"] == "Newmont Canada FN Holdings ULC"


# --- sections --------------------------------------------------------------------------------------------------

def test_context_range_used_when_heading_unrecognisable() -> None:
    html = ("<p><b>Holdings of our officers</b></p>" + table(tds("Name", "Shares"), tds("Ann Lee", "1,000"))
            + "<p><b>Item 7. Major Shareholders</b></p>")
    description, _, missing = run(html)
    assert "item6" not in description and "/item6/share_ownership" in missing
    described, _, _ = run(html, Context(items={"6.E": (0, 2)}))
    assert described["item6"]["share_ownership"]["holders"][0] == {"name": "Ann Lee", "shares": 1000}


def test_fallback_skips_table_of_contents() -> None:
    contents = ("<p>Item 6.E. Share Ownership</p><p>Item 7.A. Major Shareholders</p>"
                "<p>Item 6.E Share Ownership 57</p>")
    body = section_6e(table(tds("Name", "Shares"), tds("Ann Lee", "1,000")))
    description, values, _ = run(contents + body)
    assert description["item6"]["share_ownership"]["holders"] == [{"name": "Ann Lee", "shares": 1000}]
    name = values["/item6/share_ownership/holders/0/name"]
    assert name.provenance is not None and name.provenance.block > 3


# --- hard tables -----------------------------------------------------------------------------------------------

def test_multi_row_merged_header_with_positions() -> None:
    rows = table(
        '<th rowspan="2">Name</th><th rowspan="2">Position</th><th colspan="2">Shares Beneficially Owned</th>',
        "<th>Number</th><th>Percent</th>",
        tds("Ann Lee (1)", "Chief Executive Officer", "1,234,567(2)", "12.5%(3)"),
        tds("Bo Chan", "Independent Director", "10,000", "0.1"),
        tds("Cy Diaz", "Director", "5,000", "0.05%"),
        tds("All directors and officers as a group (3 persons)", "", "1,249,567", "12.65%"))
    description, values, _ = run(section_6e(rows, "The table below is given as of March 31, 2016."))
    block = description["item6"]["share_ownership"]
    assert block["as_of"] == "2016-03-31"
    assert block["holders"] == [
        {"name": "Ann Lee", "shares": 1234567, "percent_of_class": 12.5, "position": "Chief Executive Officer",
         "role": "senior_management"},
        {"name": "Bo Chan", "shares": 10000, "percent_of_class": 0.1, "position": "Independent Director",
         "role": "outside_director"},
        {"name": "Cy Diaz", "shares": 5000, "percent_of_class": 0.05, "position": "Director", "role": "director"},
    ]
    assert values["/item6/share_ownership/holders/0/position"].confidence == "read"
    role = values["/item6/share_ownership/holders/0/role"]
    assert role.confidence == "draft" and "confirm" in role.note


def test_options_and_warrants_columns_not_shares() -> None:
    rows = table(tds("Name", "Options", "Warrants", "Common Shares", "%"),
                 tds("Ann Lee", "500,000", "250,000", "100,000", "1.2"),
                 tds("Bo Chan", "200,000", "-", "-", "-"))
    description, values, _ = run(section_6e(rows))
    holders = description["item6"]["share_ownership"]["holders"]
    assert [(h["name"], h["shares"]) for h in holders] == [("Ann Lee", 100000), ("Bo Chan", 0)]
    assert holders[0]["options"] == [{"amount": 500000}]
    assert holders[1]["options"] == [{"amount": 200000}]
    assert "nil" in values["/item6/share_ownership/holders/1/shares"].note


def test_options_column_first_shares_after() -> None:
    """Options to the left of shares under one "Shares" banner: still the options column."""
    rows = table('<th rowspan="2">Name</th><th colspan="2">Shares</th>',
                 "<th>Options to purchase shares</th><th>Shares held</th>",
                 tds("Ann Lee", "75,000", "3,000"))
    description, _, _ = run(section_6e(rows))
    assert description["item6"]["share_ownership"]["holders"] == [
        {"name": "Ann Lee", "shares": 3000, "options": [{"amount": 75000}]}]


def test_star_footnote_less_than_one_percent() -> None:
    rows = table(tds("Name", "Shares", "Percent of class"), tds("Ann Lee", "2,000", "*"),
                 tds("Bo Chan", "9,000,000", "45.0%"))
    description, values, missing = run(section_6e(rows, after="<p>* Less than 1% of the outstanding shares.</p>"))
    holders = description["item6"]["share_ownership"]["holders"]
    assert holders[0] == {"name": "Ann Lee", "shares": 2000, "less_than_one_percent": True}
    assert holders[1]["percent_of_class"] == 45.0
    assert "less than 1%" in values["/item6/share_ownership/holders/0/less_than_one_percent"].note
    unexplained, _, missing = run(section_6e(rows))
    assert "less_than_one_percent" not in unexplained["item6"]["share_ownership"]["holders"][0]
    assert "/item6/share_ownership/holders/0/percent_of_class" in missing


def test_less_than_one_percent_printed() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Ann Lee", "2,000", "Less than 1%"))
    description, _, _ = run(section_6e(rows))
    assert description["item6"]["share_ownership"]["holders"][0] == {
        "name": "Ann Lee", "shares": 2000, "less_than_one_percent": True}


def test_nil_only_where_printed() -> None:
    rows = table(tds("Name", "Shares", "Percentage"), tds("Ann Lee", "Nil", "Nil"),
                 tds("Bo Chan", "&#8212;", "&#8212;"), tds("Cy Diaz", "n/a", "3.0"))
    description, values, missing = run(section_6e(rows))
    holders = description["item6"]["share_ownership"]["holders"]
    assert holders[0] == {"name": "Ann Lee", "shares": 0, "percent_of_class": 0.0}
    assert holders[1] == {"name": "Bo Chan", "shares": 0, "percent_of_class": 0.0}
    assert holders[2] == {"name": "Cy Diaz", "percent_of_class": 3.0}  # "n/a" is not nil: left out
    assert "/item6/share_ownership/holders/2/shares" in missing
    assert "prints nil" in values["/item6/share_ownership/holders/0/percent_of_class"].note


def test_percent_sign_in_its_own_column() -> None:
    rows = table('<td>Name</td><td>Shares</td><td colspan="2">Percent</td>',
                 tds("Ann Lee", "1,000", "7.5", "%"))
    description, _, _ = run(section_6e(rows))
    assert description["item6"]["share_ownership"]["holders"] == [
        {"name": "Ann Lee", "shares": 1000, "percent_of_class": 7.5}]


def test_residency_table_not_holders() -> None:
    residency = table(tds("Country", "Number of holders of record", "Shares held", "%"),
                      tds("United States", "84", "13,500,000", "8.9%"), tds("Canada", "1,200", "120,000,000", "80.1%"))
    description, _, missing = run(section_7a("<p>Our shareholders by residence:</p>" + residency))
    assert "holders" not in description.get("item7", {}).get("major_shareholders", {})
    assert "/item7/major_shareholders/holders" in missing


def test_no_five_percent_holder_statement() -> None:
    sentence = "To the knowledge of the Company, no person beneficially owns more than 5% of our common shares."
    description, values, _ = run(section_7a(f"<p>We are widely held. {sentence}</p>"))
    assert description["item7"]["major_shareholders"]["holders"] == []
    value = values["/item7/major_shareholders/holders"]
    assert value.confidence == "read" and value.provenance is not None
    # the provenance is that sentence, in the block it is in
    document = read_bytes(f"<html><body>{section_7a(f'<p>We are widely held. {sentence}</p>')}</body></html>".encode(),
                          "x.htm")
    assert document.blocks[value.provenance.block].text[value.provenance.start:value.provenance.end] == sentence


def test_no_five_percent_statement_not_for_six_e() -> None:
    html = section_6e("<p>No director or officer holds more than 5% of our shares.</p>")
    description, _, missing = run(html)
    assert "holders" not in description.get("item6", {}).get("share_ownership", {})
    assert "/item6/share_ownership/holders" in missing


def test_other_than_holders_sentence_is_not_none() -> None:
    html = section_7a("<p>Other than Ann Lee, no person owns more than 5% of our shares.</p>")
    description, _, missing = run(html)
    assert "holders" not in description.get("item7", {}).get("major_shareholders", {})
    assert "/item7/major_shareholders/holders" in missing


def test_cover_shares_not_copied_and_section_shares_read() -> None:
    cover = "As of March 31, 2016, 151,284,589 common shares were outstanding."
    rows = table(tds("Name of Shareholder", "Number of Shares", "Percentage"),
                 tds("Big Fund L.P.(1)", "20,000,000(2)", "13.2%"))
    without = section_7a("<p>The following hold 5% or more of our common shares as at March 21, 2016.</p>" + rows,
                         cover)
    description, _, missing = run(without)
    block = description["item7"]["major_shareholders"]
    assert "shares_outstanding" not in block and "/item7/major_shareholders/shares_outstanding" in missing
    assert block["as_of"] == "2016-03-21" and block["class"] == "common shares"
    assert block["holders"] == [{"name": "Big Fund L.P.", "shares": 20000000, "percent_of_class": 13.2}]
    stated = section_7a(rows + "<p>(1) Percentages are based on 151,000,000 common shares outstanding on "
                        "March 21, 2016.</p>", cover)
    described, values, _ = run(stated)
    assert described["item7"]["major_shareholders"]["shares_outstanding"] == 151000000
    assert described["item7"]["major_shareholders"]["as_of"] == "2016-03-21"


def test_us_record_holders() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Big Fund", "20,000,000", "13.2%"))
    html = section_7a(rows + "<p>As of March 21, 2016, there were 84 holders of record of our common shares in the "
                      "United States, holding 8.94% of the outstanding common shares.</p>")
    description, _, _ = run(html)
    block = description["item7"]["major_shareholders"]
    assert block["us_record_holders"] == 84 and block["us_portion_percent"] == 8.94


def test_group_heading_rows_give_roles() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Directors", "", ""), tds("Ann Lee", "1,000", "1.0"),
                 tds("Executive Officers", "", ""), tds("Bo Chan", "500", "0.5"))
    description, values, _ = run(section_6e(rows))
    holders = description["item6"]["share_ownership"]["holders"]
    assert [(h["name"], h["role"]) for h in holders] == [("Ann Lee", "director"), ("Bo Chan", "senior_management")]
    assert "position" not in holders[0]
    assert values["/item6/share_ownership/holders/0/role"].confidence == "draft"


def test_role_of() -> None:
    assert ownership.role_of("President, Chief Executive Officer and a director") == "director"
    assert ownership.role_of("Non-Executive Chairman") == "outside_director"
    assert ownership.role_of("General Manager, DRC") == "senior_management"
    assert ownership.role_of("Managing Director and CEO") == "senior_management"
    assert ownership.role_of("Statutory Auditor") == "corporate_auditor"
    assert ownership.role_of("Consultant") is None


def test_voting_power_column_and_same_voting_rights() -> None:
    rows = table('<th rowspan="2">Shareholder</th><th colspan="2">Ordinary shares</th><th rowspan="2">% of total voting power</th>',
                 "<th>Number</th><th>%</th>", tds("Big Fund L.P.", "20,000,000", "13.2", "40.0"))
    html = section_7a(rows + "<p>None of our major shareholders has voting rights different from other holders.</p>"
                      "<p>We are not controlled by any person.</p>")
    description, values, _ = run(html)
    block = description["item7"]["major_shareholders"]
    assert block["holders"] == [{"name": "Big Fund L.P.", "shares": 20000000, "percent_of_class": 13.2,
                                 "voting_percent": 40.0, "voting_rights_differ": False}]
    assert block["controlling_person"] == "none"
    assert values["/item7/major_shareholders/controlling_person"].provenance is not None


def test_date_in_header_and_outstanding_stated_after() -> None:
    rows = table(tds("Name", "Shares owned as of April 15, 2016", "Percent"), tds("Big Fund", "2,000,000", "10 per cent"))
    html = section_7a("<p>Our major shareholders:</p>" + rows
                      + "<p>The outstanding ordinary shares were 20,000,000 on that date.</p>")
    description, _, _ = run(html)
    block = description["item7"]["major_shareholders"]
    assert block["as_of"] == "2016-04-15" and block["shares_outstanding"] == 20000000
    assert block["holders"] == [{"name": "Big Fund", "shares": 2000000, "percent_of_class": 10.0}]


def test_rights_within_60_days_column_not_shares() -> None:
    rows = table(tds("Name", "Shares owned", "Shares acquirable within 60 days", "Percent"),
                 tds("Ann Lee", "10,000", "5,000", "1.5%"))
    html = section_6e(rows, "As of March 31, 2016. Shares include those the holder may acquire within 60 days.")
    description, values, _ = run(html)
    block = description["item6"]["share_ownership"]
    assert block["holders"] == [{"name": "Ann Lee", "shares": 10000, "rights_within_60_days": 5000,
                                 "percent_of_class": 1.5}]
    assert block["includes_rights_within_60_days"] is True
    assert values["/item6/share_ownership/includes_rights_within_60_days"].confidence == "draft"


def test_table_continued_after_page_break() -> None:
    first = table(tds("Name", "Shares", "%"), tds("Ann Lee", "1,000", "1.0"))
    second = table(tds("Bo Chan", "2,000", "2.0"))
    html = section_6e(first + '<p>12</p><hr style="page-break-after: always">' + second)
    description, values, _ = run(html)
    assert [h["name"] for h in description["item6"]["share_ownership"]["holders"]] == ["Ann Lee", "Bo Chan"]
    first_block = values["/item6/share_ownership/holders/0/shares"].provenance
    second = values["/item6/share_ownership/holders/1/shares"].provenance
    assert first_block is not None and second is not None and second.block > first_block.block
    assert (second.start, second.end) == (8, 13)  # "2,000" in "Bo Chan\t2,000\t2.0"


def test_name_and_position_in_one_column() -> None:
    rows = table(tds("Name and Position", "Common Shares", "Shares issuable upon exercise of options", "%"),
                 tds("Ann Lee, Chairman and Chief Executive Officer", "40,000", "60,000", "2.0"),
                 tds("Bo Chan (2)", "1,000", "Nil", "*"))
    html = section_6e(rows, after="<p>* Represents less than one percent.</p>")
    description, _, missing = run(html)
    holders = description["item6"]["share_ownership"]["holders"]
    assert holders[0] == {"name": "Ann Lee", "position": "Chairman and Chief Executive Officer", "role": "director",
                          "shares": 40000, "percent_of_class": 2.0, "options": [{"amount": 60000}]}
    assert holders[1] == {"name": "Bo Chan", "shares": 1000, "less_than_one_percent": True, "options": []}
    assert "/item6/share_ownership/holders/1/role" in missing


def test_contents_lines_without_page_numbers_skipped_and_plain_subheadings_end_section() -> None:
    """Contents entries (short lines, no full stop) are passed over; a plain-text "B. Related Party
    Transactions" still ends the 7.A section (its "no 5% holder" sentence is not 7.A's)."""
    contents = "<p>A. Major Shareholders</p><p>B. Related Party Transactions</p><p>C. Interests of Experts</p>"
    body = ("<p>A. Major Shareholders</p>"
            + table(tds("Name", "Shares", "%"), tds("Big Fund", "2,000,000", "10.0"))
            + "<p>B. Related Party Transactions</p>"
            "<p>No person holding more than 5% of our shares had any transaction with us in 2015.</p>")
    description, values, _ = run(contents + body)
    assert description["item7"]["major_shareholders"]["holders"] == [
        {"name": "Big Fund", "shares": 2000000, "percent_of_class": 10.0}]
    name = values["/item7/major_shareholders/holders/0/name"].provenance
    assert name is not None and name.block == 4
    only_sentence = contents + "<p>A. Major Shareholders</p><p>We have no major shareholders we know of.</p>" \
        "<p>B. Related Party Transactions</p><p>No person holding more than 5% of our shares dealt with us.</p>"
    described, _, missing = run(only_sentence)
    assert "holders" not in described.get("item7", {}).get("major_shareholders", {})
    assert "/item7/major_shareholders/holders" in missing


def test_name_wrapped_over_its_own_row() -> None:
    rows = table(tds("Name of Shareholder", "Shares", "%"), tds("Newmont Canada FN Holdings ULC (3)", "", ""),
                 tds("", "14,550,000", "9.61%"), tds("Big Fund", "2,000,000", "1.3%"))
    description, _, _ = run(section_7a(rows))
    assert description["item7"]["major_shareholders"]["holders"] == [
        {"name": "Newmont Canada FN Holdings ULC", "shares": 14550000, "percent_of_class": 9.61},
        {"name": "Big Fund", "shares": 2000000, "percent_of_class": 1.3}]


COMBINED = table(
    '<th rowspan="2">Name</th><th colspan="2">Ordinary Shares Beneficially Owned</th>',
    "<th>Number</th><th>%</th>",
    tds("Directors and Executive Officers:", "", ""),
    tds("Ann Lee(1)", "9,000,000", "6.0"),
    tds("Bo Chan", "120,000", "*"),
    tds("All directors and executive officers as a group", "9,120,000", "6.1"),
    tds("Principal Shareholders:", "", ""),
    tds("Big Fund L.P.(2)", "30,000,000", "20.0"),
    tds("Ann Lee(1)", "9,000,000", "6.0"))
COMBINED_NOTES = ("<p>* Less than 1% of our outstanding ordinary shares.</p>"
                  "<p>(1) Percentages are based on 150,000,000 ordinary shares outstanding as of March 31, 2018.</p>")


def test_combined_table_in_7a_shared_with_6e() -> None:
    html = ("<p><b>Item 6.E. Share Ownership</b></p><p>See Item 7.A. Major Shareholders for our directors' holdings.</p>"
            + section_7a("<p>The following table sets forth the beneficial ownership of our ordinary shares as of "
                         "March 31, 2018.</p>" + COMBINED + COMBINED_NOTES))
    description, values, missing = run(html)
    six, seven = description["item6"]["share_ownership"], description["item7"]["major_shareholders"]
    assert six["holders"] == [{"name": "Ann Lee", "shares": 9000000, "percent_of_class": 6.0},
                              {"name": "Bo Chan", "shares": 120000, "less_than_one_percent": True}]
    assert "/item6/share_ownership/holders/0/role" in missing  # "Directors and Executive Officers": either
    assert "Item 7.A" in values["/item6/share_ownership/holders/0/name"].note
    assert seven["holders"] == [{"name": "Ann Lee", "shares": 9000000, "percent_of_class": 6.0},
                                {"name": "Big Fund L.P.", "shares": 30000000, "percent_of_class": 20.0}]
    for block in (six, seven):
        assert block["as_of"] == "2018-03-31" and block["shares_outstanding"] == 150000000
        assert block["class"] == "ordinary shares"


def test_combined_table_in_6e_shared_with_7a() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Ann Lee", "9,000,000", "6.0"), tds("Bo Chan", "120,000", "0.1"))
    html = (section_6e(rows, "As of March 31, 2018:")
            + "<p><b>A. Major Shareholders</b></p><p>See Item 6.E. Share Ownership above for our major shareholders.</p>"
            "<p><b>B. Related Party Transactions</b></p>")
    description, _, _ = run(html)
    assert [h["name"] for h in description["item6"]["share_ownership"]["holders"]] == ["Ann Lee", "Bo Chan"]
    assert description["item7"]["major_shareholders"]["holders"] == [
        {"name": "Ann Lee", "shares": 9000000, "percent_of_class": 6.0}]


def test_edgar_style_spacer_cells_and_superscripts() -> None:
    """Workiva-style markup: a banner over three columns, "%" in a cell of its own, superscript marks."""
    rows = table(
        '<td><p style="font-weight:bold">Name of Beneficial Owner</p></td>'
        '<td colspan="3"><p>Ordinary Shares Beneficially Owned</p></td><td></td>',
        '<td></td><td><p>Number</p></td><td>&#160;</td><td colspan="2"><p>%</p></td>',
        "<td>Ann Lee<sup>1</sup></td><td>1,234,567<sup>(2)</sup></td><td></td><td>12.3</td><td>%</td>",
        "<td>Big Fund L.P.<sup>2,3</sup></td><td>900,000<sup>4</sup></td><td></td><td>9.0</td><td>%</td>")
    description, _, _ = run(section_7a(rows))
    assert description["item7"]["major_shareholders"]["holders"] == [
        {"name": "Ann Lee", "shares": 1234567, "percent_of_class": 12.3},
        {"name": "Big Fund L.P.", "shares": 900000, "percent_of_class": 9.0}]


def test_us_record_holders_country_first() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Big Fund", "20,000,000", "13.2%"))
    html = section_7a(rows + "<p>Our register shows 1,200 holders in all. In the United States there were 310 record "
                      "holders, holding 12.5% of our ordinary shares.</p>")
    description, _, _ = run(html)
    block = description["item7"]["major_shareholders"]
    assert block["us_record_holders"] == 310 and block["us_portion_percent"] == 12.5


def test_table_continued_with_header_repeated() -> None:
    first = table(tds("Name", "Shares", "%"), tds("Ann Lee", "1,000", "1.0"))
    second = table(tds("Name", "", "Shares", "%"), tds("Bo Chan", "(cont.)", "2,000", "2.0"))
    description, values, _ = run(section_6e(first + "<p>12</p>" + second))
    assert description["item6"]["share_ownership"]["holders"] == [
        {"name": "Ann Lee", "shares": 1000, "percent_of_class": 1.0},
        {"name": "Bo Chan", "shares": 2000, "percent_of_class": 2.0}]
    shares = values["/item6/share_ownership/holders/1/shares"].provenance
    document = read_bytes(f"<html><body>{section_6e(first + '<p>12</p>' + second)}</body></html>".encode(), "x.htm")
    assert shares is not None and document.blocks[shares.block].text[shares.start:shares.end] == "2,000"


def test_item_7_heading_only_when_no_7a_heading() -> None:
    rows = table(tds("Name", "Shares", "%"), tds("Big Fund", "2,000,000", "10.0"))
    intro = "<p>This item describes our major shareholders and the transactions we had with related parties.</p>"
    with_sub = ("<p><b>Item 7. Major Shareholders and Related Party Transactions</b></p>" + intro
                + "<p><b>A. Major Shareholders</b></p>" + rows + "<p><b>B. Related Party Transactions</b></p>")
    description, _, _ = run(with_sub)
    assert description["item7"]["major_shareholders"]["holders"][0]["name"] == "Big Fund"
    without = "<p><b>Item 7. Major Shareholders and Related Party Transactions</b></p>" + intro + rows \
        + "<p><b>Item 8. Financial Information</b></p>"
    described, _, _ = run(without)
    assert described["item7"]["major_shareholders"]["holders"][0]["name"] == "Big Fund"
