"""The sections, cover and sanctions extractors: what a preparer sees on Loncor's real 20-F (items and pages,
cover values, against expected values written by reading the document) and on small hand-written snippets
for each heading and check box style."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LONCOR
from precomment.documents.model import Block, FilingDocument, Period, Sheet, TaggedFact
from precomment.documents.read import read_bytes, read_document
from precomment.extraction import cover, sanctions, sections
from precomment.extraction.assemble import set_at
from precomment.extraction.values import Context, Found, NotFound, Value

EXPECTED = Path(__file__).parent / "data" / "real"


def described(found: list[Found]) -> dict[str, Any]:
    description: dict[str, Any] = {}
    for item in found:
        if isinstance(item, Value):
            set_at(description, item.pointer, item.value)
    return description


def html(body: str) -> FilingDocument:
    return read_bytes(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode(), "x.htm")


def run(extractor: Any, document: FilingDocument, context: Context | None = None) -> list[Found]:
    return list(extractor(document, context or Context()))


def values(found: list[Found]) -> dict[str, Any]:
    return {item.pointer: item.value for item in found if isinstance(item, Value)}


# --- Loncor ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loncor() -> FilingDocument:
    return read_document(str(LONCOR))


def test_loncor_items_and_pages_as_read(loncor: FilingDocument) -> None:
    expected = yaml.safe_load((EXPECTED / "loncor.items.yaml").read_text())
    got = described(run(sections.extract, loncor))
    assert got["document"]["items"] == expected["document"]["items"]
    assert got["document"]["pages_numbered"] is True
    assert got["document"]["missing_items"] == []
    for key in ("item3", "item4A", "item11", "item13", "item14", "item15", "item19"):
        assert got[key] == expected[key], key


def test_loncor_sections_skip_the_contents_and_end_at_the_signatures(loncor: FilingDocument) -> None:
    ranges = sections.find_sections(loncor)
    start, end = ranges["3.D"]
    assert loncor.blocks[start].text.startswith("D.") and loncor.blocks[start].page == "4"
    assert ranges["3"][1] == ranges["4"][0] == end
    assert loncor.blocks[ranges["19"][1]].text == "SIGNATURES"
    assert all(loncor.blocks[start].sheet >= 4 for start, _ in ranges.values())  # none in the contents (iii-iv)


def test_loncor_cover(loncor: FilingDocument) -> None:
    expected = yaml.safe_load((EXPECTED / "loncor.cover.yaml").read_text())
    found = run(cover.extract, loncor)
    assert described(found) == expected
    missing = {item.pointer for item in found if isinstance(item, NotFound)}
    assert missing == {"/filer/cik", "/filer/emerging_growth_company"}
    drafts = {item.pointer for item in found if isinstance(item, Value) and item.confidence == "draft"}
    assert drafts == {"/filer/filing_date", "/filer/country_of_incorporation"}


def test_loncor_sanctions(loncor: FilingDocument) -> None:
    expected = yaml.safe_load((EXPECTED / "loncor.sanctions.yaml").read_text())
    found = run(sanctions.extract, loncor, Context(fiscal_year_end="2015-12-31", filing_date="2016-03-30"))
    assert described(found) == expected == {"document": {"sanctioned_country_mentions": []}}
    assert [item.pointer for item in found] == ["/document/sanctioned_country_mentions"]  # a NotFound


# --- heading styles ----------------------------------------------------------------------------------------------

def items_of(document: FilingDocument) -> list[tuple[str, str]]:
    headings = sections.find_headings(document)
    return [(heading.item, heading.caption) for heading in headings]


@pytest.mark.parametrize("heading, item, caption", [
    ("<p>Item 3. Key Information</p>", "3", "Key Information"),
    ("<p><b>ITEM 3 - KEY INFORMATION</b></p>", "3", "KEY INFORMATION"),
    ("<p>ITEM 3: KEY INFORMATION</p>", "3", "KEY INFORMATION"),
    ("<p>Item 16.A. Audit Committee Financial Expert</p>", "16A", "Audit Committee Financial Expert"),
    ("<p>Item 16A. Audit Committee Financial Expert</p>", "16A", "Audit Committee Financial Expert"),
    ("<p>ITEM 4A. UNRESOLVED STAFF COMMENTS</p>", "4A", "UNRESOLVED STAFF COMMENTS"),
    ("<table><tr><td>Item 2.</td><td>Offer Statistics and Expected Timetable</td></tr></table>", "2",
     "Offer Statistics and Expected Timetable"),
    ("<p>Item 16.B.</p><p>Code of Ethics</p>", "16B", "Code of Ethics"),
])
def test_heading_styles(heading: str, item: str, caption: str) -> None:
    assert items_of(html(heading)) == [(item, caption)]


def test_lettered_sub_items_under_their_item_and_in_order() -> None:
    document = html("<p>Item 3. Key Information</p><p>A. [Reserved]</p><p>Some text.</p>"
                    "<table><tr><td>D.</td><td>Risk Factors</td></tr></table><p>B. Not a heading after D</p>"
                    "<p>Item 4. Information on the Company</p><p>4.B Business Overview</p>"
                    "<p>Item 19. Exhibits</p><p>A. Not a sub-item of 19</p>")
    assert items_of(document) == [("3", "Key Information"), ("3.A", "[Reserved]"), ("3.D", "Risk Factors"),
                                  ("4", "Information on the Company"), ("4.B", "Business Overview"), ("19", "Exhibits")]
    ranges = sections.find_sections(document)
    assert ranges["3.D"][1] == ranges["4"][0] == ranges["3"][1]


def test_contents_entries_and_cross_references_are_not_headings() -> None:
    document = html("<p>Item 3. Key Information ........ 5</p><p>Item 4. Information on the Company 9</p>"
                    "<p>Item 5 of this report discusses it.</p>"
                    "<p>Item 3. Key Information</p><p>See also</p><p>Item 4. Information on the Company</p>")
    headings = sections.find_headings(document)
    assert [(h.item, h.block) for h in headings] == [("3", 3), ("4", 5)]


def test_a_repeated_list_of_items_keeps_the_body_one() -> None:
    listing = "".join(f"<p>Item {n}. Caption {word}</p>" for n, word in ((1, "One"), (2, "Two"), (3, "Three")))
    document = html(listing + listing.replace("Caption", "Body"))
    assert [caption for _, caption in items_of(document)] == ["Body One", "Body Two", "Body Three"]


# --- missing items -------------------------------------------------------------------------------------------------

FULL = ["1", "2", "3", "4", "4A", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
        "16A", "16B", "16C", "16D", "16E", "16F", "16G", "16H", "18", "19"]


def with_items(items: list[str]) -> FilingDocument:
    cover_page = "<p>FORM 20-F</p><p>For the fiscal year ended December 31, 2015</p>"
    return html(cover_page + "".join(f"<p>Item {item}. Caption</p>" for item in items))


def test_a_document_without_item_16g_misses_it() -> None:
    found = values(run(sections.extract, with_items([item for item in FULL if item != "16G"])))
    assert found["/document/missing_items/0/item"] == "16G"
    assert found["/document/missing_items/0/caption"] == "Corporate Governance"
    assert "/document/missing_items/1/item" not in found


def test_items_added_later_are_not_required_of_an_earlier_report() -> None:
    found = values(run(sections.extract, with_items(FULL)))
    assert found["/document/missing_items"] == []  # 16I, 16J, 16K came after fiscal 2015
    later = values(run(sections.extract, with_items(FULL), Context(fiscal_year_end="2024-12-31",
                                                                    filing_date="2025-04-01")))
    assert [later[f"/document/missing_items/{i}/item"] for i in range(3)] == ["16I", "16J", "16K"]


def test_item_17_stands_for_18() -> None:
    found = values(run(sections.extract, with_items([item if item != "18" else "17" for item in FULL])))
    assert found["/document/missing_items"] == []


def test_three_headings_are_not_enough_to_list_missing_items() -> None:
    found = run(sections.extract, with_items(["3", "4", "5"]))
    assert not any(item.pointer.startswith("/document/missing_items") for item in found if isinstance(item, Value))
    assert any(item.pointer == "/document/missing_items" for item in found if isinstance(item, NotFound))


# --- numbered pages ---------------------------------------------------------------------------------------------

BREAK = '<p style="page-break-before: always"></p>'


def test_pages_numbered_true_false_and_too_few() -> None:
    numbered = html(BREAK.join(f"<p>Item {n}. Caption</p><p>{n}</p>" for n in range(1, 8)))
    assert values(run(sections.extract, numbered))["/document/pages_numbered"] is True
    unnumbered = html(BREAK.join(f"<p>Item {n}. Caption</p><p>Some text.</p>" for n in range(1, 8)))
    assert values(run(sections.extract, unnumbered))["/document/pages_numbered"] is False
    one_sheet = html("<p>Item 1. Caption</p><p>Item 2. Caption</p>")
    found = run(sections.extract, one_sheet)
    assert "/document/pages_numbered" not in values(found)
    whole_report_on_one_page = html("".join(f"<p>Item {n}. Caption</p><p>Some text.</p>" for n in range(1, 13)))
    assert values(run(sections.extract, whole_report_on_one_page))["/document/pages_numbered"] is False


# --- check boxes and the cover -----------------------------------------------------------------------------------

@pytest.mark.parametrize("boxes, status", [
    ("<p>Large accelerated filer [ ] Accelerated filer [ ] Non-accelerated filer [ X ]</p>", "non_accelerated_filer"),
    ("<p>Large accelerated filer \u2612 Accelerated filer \u2610 Non-accelerated filer \u2610</p>",
     "large_accelerated_filer"),
    ("<table><tr><td>Large accelerated filer</td><td></td><td>Accelerated filer</td><td>x</td>"
     "<td>Non-accelerated filer</td><td></td></tr></table>", "accelerated_filer"),
    ("<p>\u2610 Large accelerated filer \u2612 Accelerated filer \u2610 Non-accelerated filer</p>", "accelerated_filer"),
])
def test_filer_status_boxes(boxes: str, status: str) -> None:
    document = html("<p>FORM 20-F</p><p>Indicate by check mark whether the registrant is a large accelerated filer, "
                    "an accelerated filer, or a non-accelerated filer.</p>" + boxes)
    assert values(run(cover.extract, document))["/filer/filer_status"] == status


@pytest.mark.parametrize("line, expected", [
    ("Yes [ ] No [ X ]", False), ("Yes \u2612 No \u2610", True), ("\u2610 Yes \u2612 No", False),
])
def test_wksi_yes_no(line: str, expected: bool) -> None:
    document = html("<p>Indicate by check mark if the registrant is a well-known seasoned issuer, as defined in "
                    f"Rule 405 of the Securities Act. {line}</p><p>Indicate by check mark if not required. Yes \u2612 "
                    "No \u2610</p>")
    assert values(run(cover.extract, document))["/filer/wksi"] is expected


def test_basis_and_emerging_growth_boxes() -> None:
    document = html(
        "<p>Large accelerated filer \u2610 Accelerated filer \u2610 Non-accelerated filer \u2612 "
        "Emerging growth company \u2612</p>"
        "<p>If an emerging growth company that prepares its financial statements in accordance with U.S. GAAP, "
        "indicate by check mark if the registrant has elected not to use the extended transition period. \u2610</p>"
        "<p>Indicate by check mark which basis of accounting the registrant has used:</p>"
        "<p>U.S. GAAP \u2610 International Financial Reporting Standards as issued by the International "
        "Accounting Standards Board \u2610 Other \u2612</p>"
        "<p>If \u201cOther\u201d has been checked, indicate which item. Item 17 \u2610 Item 18 \u2612</p>")
    found = values(run(cover.extract, document))
    assert found["/filer/basis_of_accounting"] == "other"
    assert found["/filer/emerging_growth_company"] is True
    unchecked = html("<p>Large accelerated filer \u2610 Non-accelerated filer \u2612 Emerging growth company \u2610</p>")
    assert values(run(cover.extract, unchecked))["/filer/emerging_growth_company"] is False


def test_cover_text_fields() -> None:
    document = html("<p>FORM 20-F/A</p><p>(Amendment No. 1)</p><p>For the fiscal year ended 31 March 2024</p>"
                    "<p>Commission file number 333-98061-99</p><p>Acme Holdings Ltd</p>"
                    "<p>(Exact name of Registrant as specified in its charter)</p>"
                    "<p>Cayman Islands</p><p>(Jurisdiction of incorporation or organization)</p>"
                    "<p>As filed with the Securities and Exchange Commission on July 15, 2024</p>")
    found = run(cover.extract, document)
    assert described(found)["filer"] == {
        "name": "Acme Holdings Ltd", "form": "20-F/A", "fiscal_year_end": "2024-03-31",
        "file_number": "333-98061-99", "country_of_incorporation": "KY", "filing_date": "2024-07-15"}
    assert all(item.confidence == "read" for item in found if isinstance(item, Value))


def fact(concept: str, value: str, block: int = 0) -> TaggedFact:
    return TaggedFact(concept, value, False, "c1", Period(start="2023-01-01", end="2023-12-31"), (), None, None, 0,
                      block, 1, f"f-{concept.split(':')[1]}")


def test_dei_facts_come_first() -> None:
    blocks = [Block(0, "text", "MUESTRA AIRLINES (printed)", 0, None, 1)]
    document = FilingDocument("x.htm", "ixbrl", blocks, [Sheet(0, None, 0, 1)], facts=[
        fact("dei:EntityRegistrantName", "Muestra Airlines S.A."), fact("dei:DocumentType", "20-F"),
        fact("dei:DocumentPeriodEndDate", "2023-12-31"), fact("dei:EntityCentralIndexKey", "0001234567"),
        fact("dei:EntityFilerCategory", "Large Accelerated Filer"), fact("dei:EntityFileNumber", "001-12345"),
        fact("dei:EntityIncorporationStateCountryCode", "E9"), fact("dei:EntityEmergingGrowthCompany", "false"),
        fact("dei:EntityWellKnownSeasonedIssuer", "Yes"), fact("dei:DocumentAccountingStandard", "IFRS")])
    found = run(cover.extract, document)
    assert described(found)["filer"] == {
        "name": "Muestra Airlines S.A.", "form": "20-F", "fiscal_year_end": "2023-12-31", "cik": "1234567",
        "filer_status": "large_accelerated_filer", "file_number": "001-12345", "country_of_incorporation": "KY",
        "emerging_growth_company": False, "wksi": True, "basis_of_accounting": "IFRS"}
    name = next(item for item in found if isinstance(item, Value) and item.pointer == "/filer/name")
    assert name.provenance is not None and name.provenance.fact == "dei:EntityRegistrantName (f-EntityRegistrantName)"
    document.facts.append(fact("dei:DocumentAmendmentFlag", "true"))
    assert values(run(cover.extract, document))["/filer/form"] == "20-F/A"


# --- sanctioned countries ---------------------------------------------------------------------------------------------

def test_sanctioned_mentions_first_each_with_sentence_and_page() -> None:
    document = html("<p>Intro.</p>" + BREAK + "<p>We have no Iranian customers. We sell in Syria too.</p><p>5</p>"
                    + BREAK + "<p>Iran again. Our office on Sudan Street, South Sudan and Cuban cigars.</p><p>6</p>")
    found = values(run(sanctions.extract, document, Context(fiscal_year_end="2023-12-31")))
    assert found["/document/sanctioned_country_mentions/0/country"] == "Iran"
    assert found["/document/sanctioned_country_mentions/0/text"] == "We have no Iranian customers."
    assert found["/document/sanctioned_country_mentions/0/page"] == 5
    assert found["/document/sanctioned_country_mentions/1/country"] == "Syria"
    assert found["/document/sanctioned_country_mentions/2/country"] == "Cuba"
    assert found["/document/sanctioned_country_mentions/2/page"] == 6
    assert "/document/sanctioned_country_mentions/3/country" not in found  # Sudan no longer counts in 2023


def test_sudan_counts_before_its_removal_and_words_must_be_whole() -> None:
    document = html("<p>Our agent in Khartoum, Sudan, and the Sudanese market.</p><p>Tiranic syriacs cubane.</p>")
    found = values(run(sanctions.extract, document, Context(fiscal_year_end="2015-12-31")))
    assert found["/document/sanctioned_country_mentions/0/country"] == "Sudan"
    assert "/document/sanctioned_country_mentions/1/country" not in found
    assert run(sanctions.extract, html("<p>Tiranic syriacs cubane.</p>"))[0].pointer == \
        "/document/sanctioned_country_mentions"


def test_every_listed_country_is_dated_and_sourced() -> None:
    for entry in sanctions.SANCTIONED:
        assert entry.source and entry.since and (entry.until is None or entry.until > entry.since)
    assert {entry.country for entry in sanctions.listed_on("2016-03-30")} >= {"Cuba", "Iran", "North Korea", "Syria",
                                                                              "Sudan", "Crimea"}


def test_a_heading_off_the_contents_page_says_so() -> None:
    contents = ("<table><tr><td>ITEM 1.</td><td>IDENTITY</td><td>1</td></tr><tr><td>ITEM 2.</td><td>OFFER</td>"
                "<td>1</td></tr><tr><td>ITEM 3.</td><td>KEY INFORMATION</td><td>2</td></tr></table>")
    body = "<p>Item 1. Identity</p><p>Item 2. Offer</p><p>1</p>" + BREAK + "<p>Text.</p><p>2</p>" + BREAK + \
        "<p>Item 3. Key Information</p><p>3</p>"
    found = [item for item in run(sections.extract, html(contents + BREAK + body)) if isinstance(item, Value)]
    page = next(item for item in found if item.pointer == "/document/items/2/page")
    assert page.value == 3 and "table of contents gives page 2" in page.note
    assert next(item for item in found if item.pointer == "/item3/page").value == 3


def test_reserved_item_16_and_entity_boxes() -> None:
    document = read_bytes(b"<html><body><p>Item 15. Controls and Procedures</p><p>ITEM 16. [RESERVED]</p>"
                          b"<p>ITEM 16A. AUDIT COMMITTEE FINANCIAL EXPERT</p>"
                          b"<p>Large accelerated filer &#9744; Accelerated filer &#9746;</p></body></html>", "x.htm")
    assert items_of(document) == [("15", "Controls and Procedures"), ("16", "[RESERVED]"),
                                  ("16A", "AUDIT COMMITTEE FINANCIAL EXPERT")]
    assert values(run(cover.extract, document))["/filer/filer_status"] == "accelerated_filer"


def test_a_running_head_repeating_the_item_keeps_its_first_heading() -> None:
    document = html("<p>Item 3. Key Information</p><p>Text.</p>" + BREAK + "<p>Item 3. Key Information</p>"
                    "<p>More text.</p>" + BREAK + "<p>Item 4. Information on the Company</p>")
    assert sections.find_sections(document)["3"] == (0, 4)
