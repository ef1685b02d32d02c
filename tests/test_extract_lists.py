"""The list extractors: Item 3.D risk factor captions and the Item 19 exhibit index, as the user sees them
(values, pages, read or draft), on Loncor's 20-F and on small hand-written documents in each style, with the
section given by the sections extractor and found by the extractor itself."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import LONCOR
from precomment.documents.model import FilingDocument
from precomment.documents.read import read_bytes, read_document
from precomment.extraction import exhibits, risk_factors
from precomment.extraction.assemble import set_at
from precomment.extraction.values import Context, Found, NotFound, Value
from precomment.resources import load_schema

EXPECTED = Path(__file__).parent / "data" / "real"
BREAK = '<hr style="page-break-after:always">'



def read(body: str) -> FilingDocument:
    return read_bytes(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode(), "x.htm")


def page(number: str) -> str:
    """A sheet's foot: its printed number, then the page break."""
    return f'<p align="center">{number}</p>{BREAK}'


def values(found: list[Found]) -> dict[str, Value]:
    return {item.pointer: item for item in found if isinstance(item, Value)}


def described(found: list[Found]) -> dict[str, Any]:
    description: dict[str, Any] = {}
    for item in found:
        if isinstance(item, Value):
            assert set_at(description, item.pointer, item.value), item.pointer
    return description


def missing(found: list[Found]) -> set[str]:
    return {item.pointer for item in found if isinstance(item, NotFound)}


@cache
def loncor() -> FilingDocument:
    return read_document(str(LONCOR))


def expected(group: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((EXPECTED / f"loncor.{group}.yaml").read_text(encoding="utf-8"))
    return loaded


def block_starting(document: FilingDocument, text: str) -> int:
    return next(block.index for block in document.blocks if block.text.replace("\t", " ").startswith(text))


# Loncor: measured against the expected values written by reading the filing.

@pytest.mark.parametrize("given", [False, True], ids=["found-itself", "context-given"])
def test_loncor_risk_factor_captions(given: bool) -> None:
    document = loncor()
    context = Context()
    if given:
        context.items["3.D"] = (block_starting(document, "D. Risk Factors"),
                                block_starting(document, "Item 4. Information on the Company"))
    found = list(risk_factors.extract(document, context))
    got = described(found)["item3"]["risk_factors"]
    want = expected("risk_factors")["item3"]["risk_factors"]
    assert len(got) == 31
    assert [factor["caption"] for factor in got] == [factor["caption"] for factor in want]
    assert [factor["page"] for factor in got] == [factor["page"] for factor in want]
    assert [factor.get("topic") for factor in got] == [factor.get("topic") for factor in want]
    first = values(found)["/item3/risk_factors/0/caption"]
    assert first.confidence == "read" and first.provenance is not None and first.provenance.page == "5"
    assert values(found)["/item3/risk_factors/21/topic"].confidence == "draft"
    assert got[16]["caption"].startswith("The Company’s business is subject to evolving corporate governance")
    assert not any(key in factor for factor in got for key in ("has_occurred", "worded_hypothetically"))


def test_loncor_context_bounds_the_captions() -> None:
    """Given a section, the extractor reads only it (the sections extractor's bounds win)."""
    document = loncor()
    start = block_starting(document, "D. Risk Factors")
    third = block_starting(document, "The Company’s properties are in the exploration stage")
    found = list(risk_factors.extract(document, Context(items={"3.D": (start, third)})))
    assert [factor["page"] for factor in described(found)["item3"]["risk_factors"]] == [5, 5]


@pytest.mark.parametrize("given", [False, True], ids=["found-itself", "context-given"])
def test_loncor_exhibit_index(given: bool) -> None:
    document = loncor()
    context = Context()
    if given:
        context.items["19"] = (block_starting(document, "Item 19. Exhibits"), block_starting(document, "SIGNATURES"))
    found = list(exhibits.extract(document, context))
    got = described(found)["item19"]["exhibits"]
    want = expected("exhibits")["item19"]["exhibits"]
    assert len(got) == 12
    for field in ("number", "title", "status", "page"):
        assert [exhibit[field] for exhibit in got] == [exhibit[field] for exhibit in want], field
    assert got[0] == {"number": "1.1", "title": "Company's articles of amalgamation",
                      "status": "incorporated_by_reference", "page": 82, "kind": "articles"}
    assert got[11]["title"] == "Sections 10 and 11 of the Ngayu Technical Report"  # its note mark (2) left out
    kinds = [(exhibit["number"], exhibit.get("kind")) for exhibit in got]
    assert kinds == [(exhibit["number"], exhibit["kind"] if exhibit["number"] != "1.3" else None) for exhibit in want]
    assert "/item19/exhibits/2/kind" in missing(found)  # a committee's charter: no kind the title makes plain
    by_pointer = values(found)
    assert by_pointer["/item19/exhibits/0/status"].confidence == "read"
    assert "Previously filed" in by_pointer["/item19/exhibits/0/status"].note
    assert by_pointer["/item19/exhibits/6/status"].confidence == "read"  # "filed as part of this Form 20-F"
    assert by_pointer["/item19/exhibits/8/status"].confidence == "draft"  # 13.1: furnished by rule
    assert all(by_pointer[f"/item19/exhibits/{i}/kind"].confidence == "draft" for i in (0, 4, 6, 10))
    assert not any("counterparty" in exhibit or "ordinary_course" in exhibit for exhibit in got)


# Risk factors in each style.

RISKS = (
    '<p>Annual report on Form 20-F</p>' + page("i")
    + '<table><tr><td>Item 3.D</td><td>Risk Factors</td><td>1</td></tr>'
      '<tr><td>Item 4</td><td>Information on the Company</td><td>3</td></tr></table>' + page("ii")
    + '<h2>Item 3. Key Information</h2><h3>D. Risk Factors</h3>'
      '<p>An investment in our shares involves risks.</p>'
      '<p><b>Summary of Risk Factors</b></p><p><b>&#8226; We depend on a few customers.</b></p>'
      '<p><b>Risks Related to Our Business</b></p>'
      '<p><b>We depend on a few customers.</b> If we lose one, our revenue falls. That would hurt us.</p>'
      '<p><i>We are subject to litigation in several countries.</i></p>'
      '<p>Claims are pending against us.</p>'
      '<p><i>"Our auditors said this. They said it in two sentences."</i></p>'
    + page("1")
    + '<p><b>Risks Relating to Our Shares</b></p>'
      '<p><b><u>Our share price may fluctuate as U.S. markets move.</u></b></p>'
      '<p>Prices move.</p>'
      '<p align="center"><b>Our Industry</b></p><p>Some risks are common to our industry.</p>'
      '<p><b>General</b></p><p><b>Fluctuations in currency exchange rates could reduce our results.</b></p>'
      '<p>Most of our costs are in euros.</p>'
    + page("2")
    + '<h2>Item 4. Information on the Company</h2><p><b>We make things.</b></p>' + page("3")
)


@pytest.mark.parametrize("given", [False, True], ids=["found-itself", "context-given"])
def test_risk_factor_styles(given: bool) -> None:
    document = read(RISKS)
    context = Context()
    if given:
        context.items["3.D"] = (block_starting(document, "D. Risk Factors"), block_starting(document, "Item 4."))
    found = list(risk_factors.extract(document, context))
    got = described(found)["item3"]["risk_factors"]
    assert got == [
        {"caption": "We depend on a few customers.", "page": 1},  # run-in bold: the bold sentence only
        {"caption": "We are subject to litigation in several countries.", "page": 1, "topic": "litigation"},
        {"caption": "Our share price may fluctuate as U.S. markets move.", "page": 2},
        {"caption": "Fluctuations in currency exchange rates could reduce our results.", "page": 2,
         "topic": "currency"},
    ]  # not the group headings, nor the italic quotation, nor the contents line, nor Item 4's bold line
    by_pointer = values(found)
    assert by_pointer["/item3/risk_factors/0/caption"].confidence == "draft"  # where the bold ends is a guess
    assert "first sentence" in by_pointer["/item3/risk_factors/0/caption"].note
    assert by_pointer["/item3/risk_factors/1/caption"].confidence == "read"
    assert by_pointer["/item3/risk_factors/1/topic"].note == 'the caption says "litigation"'


def test_risk_factors_on_unnumbered_pages_have_no_page() -> None:
    document = read('<p><b>RISK FACTORS</b></p><p><b>We may fail.</b></p><p>Body.</p>')
    found = list(risk_factors.extract(document, Context()))
    assert described(found) == {"item3": {"risk_factors": [{"caption": "We may fail."}]}}
    assert missing(found) == {"/item3/risk_factors/0/page"}


def test_no_risk_factors_heading_is_not_found_not_empty() -> None:
    found = list(risk_factors.extract(read("<p>Item 4. Information on the Company</p><p>Text.</p>"), Context()))
    assert described(found) == {}
    assert missing(found) == {"/item3/risk_factors"}
    headed = list(risk_factors.extract(read("<h3>Risk Factors</h3><p>None apply to us.</p>"), Context()))
    assert missing(headed) == {"/item3/risk_factors"}


# Exhibit indexes in each style.

TWO_COLUMNS = (
    '<table><tr><td>Item 19</td><td>Exhibits</td><td>80</td></tr></table>' + page("ii")
    + '<table><tr><td><b>Item 19.</b></td><td><b>Exhibits</b></td></tr></table>'
      '<p>The following exhibits are filed as part of this annual report:</p>'
      '<table><tr><th>Exhibit Number</th><th>Description</th></tr>'
      '<tr><td></td><td><b>Constating Documents</b></td></tr>'
      '<tr><td>1.1</td><td>Articles of Incorporation <sup>(1)</sup></td></tr>'
      '<tr><td>2.1</td><td>Deposit Agreement among the Registrant, Kingsgate Depositary Trust Company and holders '
      'of ADSs <sup>(2)</sup></td></tr>'
      '<tr><td>4.1</td><td>Employment Agreement between the Company and John Smith, dated March 1, 2015</td></tr>'
      '<tr><td>12.1</td><td>Certification of the Chief Executive Officer pursuant to Section 302 of the '
      'Sarbanes-Oxley Act of 2002</td></tr>'
      '<tr><td>13.1</td><td>Certification pursuant to 18 U.S.C. Section 1350</td></tr></table>'
      '<table><tr><td>(1)</td><td>Previously filed with our Form F-1 on May 2, 2010.</td></tr>'
      '<tr><td>(2)</td><td>Incorporated by reference to Exhibit 4.1 of our Form F-6.</td></tr></table>'
    + page("80")
    + '<p><b>SIGNATURES</b></p><table><tr><td>1.1</td><td>Not an exhibit</td></tr></table>' + page("81")
)


@pytest.mark.parametrize("given", [False, True], ids=["found-itself", "context-given"])
def test_exhibit_table_with_two_columns_and_notes(given: bool) -> None:
    document = read(TWO_COLUMNS)
    context = Context()
    if given:
        # Item 19 is the last Item: a section running to the document's end stops at the signatures
        context.items["19"] = (block_starting(document, "Item 19."), len(document.blocks))
    found = list(exhibits.extract(document, context))
    assert described(found)["item19"]["exhibits"] == [
        {"number": "1.1", "title": "Articles of Incorporation", "status": "incorporated_by_reference", "page": 80,
         "kind": "articles"},
        {"number": "2.1", "title": "Deposit Agreement among the Registrant, Kingsgate Depositary Trust Company and "
         "holders of ADSs", "status": "incorporated_by_reference", "page": 80, "kind": "instrument_defining_rights",
         "counterparty": "Kingsgate Depositary Trust Company"},
        {"number": "4.1", "title": "Employment Agreement between the Company and John Smith, dated March 1, 2015",
         "status": "filed", "page": 80, "kind": "management_or_compensation", "counterparty": "John Smith"},
        {"number": "12.1", "title": "Certification of the Chief Executive Officer pursuant to Section 302 of the "
         "Sarbanes-Oxley Act of 2002", "status": "filed", "page": 80, "kind": "certification"},
        {"number": "13.1", "title": "Certification pursuant to 18 U.S.C. Section 1350", "status": "furnished",
         "page": 80, "kind": "certification"},
    ]
    by_pointer = values(found)
    assert [by_pointer[f"/item19/exhibits/{i}/status"].confidence for i in range(5)] == \
        ["read", "read", "read", "read", "draft"]
    assert by_pointer["/item19/exhibits/2/counterparty"].confidence == "draft"
    assert by_pointer["/item19/exhibits/2/kind"].note.startswith("from the title")


def test_exhibit_table_with_a_status_column() -> None:
    document = read(
        '<h2>ITEM 19. EXHIBITS</h2>'
        '<table><tr><td>Exhibit</td><td>Description</td><td>Filing</td></tr>'
        '<tr><td>1.1</td><td>Memorandum and Articles of Association</td>'
        '<td>Incorporated by reference to Exhibit 3.1 to our Registration Statement on Form F-1</td></tr>'
        '<tr><td>4.5</td><td>Lease Agreement with Harbour Properties Ltd., dated June 1, 2023</td>'
        '<td>Filed herewith</td></tr>'
        '<tr><td>8.1</td><td>Subsidiaries of the Registrant</td><td>Filed herewith</td></tr>'
        '<tr><td>13.1*</td><td>Certification of the CEO under Section 906</td><td>Furnished herewith</td></tr>'
        '<tr><td>15.1</td><td>Consent of Grant &amp; Co. LLP</td><td>Filed herewith</td></tr>'
        '<tr><td>97.1</td><td>Policy on recovery of erroneously awarded compensation</td><td></td></tr>'
        '</table>' + page("95"))
    found = list(exhibits.extract(document, Context()))
    got = described(found)["item19"]["exhibits"]
    assert [(e["number"], e.get("status"), e.get("kind")) for e in got] == [
        ("1.1", "incorporated_by_reference", "articles"),
        ("4.5", "filed", "lease"),
        ("8.1", "filed", "subsidiaries"),
        ("13.1", "furnished", "certification"),
        ("15.1", "filed", "consent"),
        ("97.1", None, "clawback_policy"),
    ]
    assert got[1]["counterparty"] == "Harbour Properties Ltd."
    assert values(found)["/item19/exhibits/3/status"].confidence == "read"
    assert "/item19/exhibits/5/status" in missing(found)  # nothing says, and no rule decides it
    assert {e["page"] for e in got} == {95}


def test_exhibit_paragraphs_with_marks_and_references() -> None:
    document = read(
        '<p><b>Item 19. Exhibits</b></p>'
        '<p>1.1 Articles of Association of the Company (incorporated by reference to Exhibit 1.1 to our annual '
        'report on Form 20-F filed on April 30, 2020)</p>'
        '<p>4.1 Supply Agreement with Acme Components GmbH*</p>'
        '<p>Exhibit 11.1 - Code of Business Conduct and Ethics</p>'
        '<p>12.1 Certification of the Chief Executive Officer under Rule 13a-14(a)*</p>'
        '<p>13.1 Certification of the Chief Executive Officer under Rule 13a-14(b)**</p>'
        '<p>* Filed herewith.</p><p>** Furnished herewith.</p>'
        + page("101") + '<p>Item 20. Something else</p><p>2.1 Basis of preparation</p>')
    found = list(exhibits.extract(document, Context()))
    got = described(found)["item19"]["exhibits"]
    assert [(e["number"], e["title"], e.get("status")) for e in got] == [
        ("1.1", "Articles of Association of the Company", "incorporated_by_reference"),
        ("4.1", "Supply Agreement with Acme Components GmbH", "filed"),
        ("11.1", "Code of Business Conduct and Ethics", None),
        ("12.1", "Certification of the Chief Executive Officer under Rule 13a-14(a)", "filed"),
        ("13.1", "Certification of the Chief Executive Officer under Rule 13a-14(b)", "furnished"),
    ]
    assert [e.get("kind") for e in got] == [
        "articles", "supplier_agreement", "code_of_ethics", "certification", "certification"]
    assert got[1]["counterparty"] == "Acme Components GmbH"
    by_pointer = values(found)
    assert by_pointer["/item19/exhibits/0/status"].confidence == "read"
    assert by_pointer["/item19/exhibits/3/status"].note.startswith("note *:")
    assert by_pointer["/item19/exhibits/4/status"].confidence == "read"  # marked furnished
    title = by_pointer["/item19/exhibits/1/title"]
    assert title.provenance is not None and (title.provenance.start, title.provenance.end) == (4, 4 + len(title.value))


def test_exhibit_index_after_the_signatures() -> None:
    document = read(
        '<h2>Item 19. Exhibits</h2><p>See the Exhibit Index following the signature page.</p>' + page("60")
        + '<p><b>SIGNATURES</b></p><p>Signed.</p>' + page("61")
        + '<p><b>EXHIBIT INDEX</b></p><table><tr><td>8.1</td><td>List of subsidiaries</td></tr>'
          '<tr><td>12.1</td><td>Certification under Section 302</td></tr></table>' + page("62"))
    found = list(exhibits.extract(document, Context()))
    got = described(found)["item19"]["exhibits"]
    assert [(e["number"], e["page"], e.get("status")) for e in got] == [("8.1", 62, None), ("12.1", 62, "filed")]
    assert values(found)["/item19/exhibits/1/status"].confidence == "draft"


def test_no_exhibit_index_is_not_found() -> None:
    found = list(exhibits.extract(read("<p>Item 18. Financial Statements</p><p>See pages F-1.</p>"), Context()))
    assert described(found) == {}
    assert missing(found) == {"/item19/exhibits"}


def test_exhibit_table_with_incorporation_columns() -> None:
    """An index that says where each exhibit was filed in columns under "Incorporated by Reference", and marks
    the others under "Filed/Furnished Herewith"."""
    document = read(
        '<p>Item 19. Exhibits</p><table>'
        '<tr><td></td><td></td><td colspan="3">Incorporated by Reference</td><td></td></tr>'
        '<tr><td>Exhibit No.</td><td>Description</td><td>Form</td><td>Exhibit</td><td>Filing Date</td>'
        '<td>Filed/Furnished Herewith</td></tr>'
        '<tr><td>2.1</td><td>Specimen share certificate</td><td>F-1</td><td>4.1</td><td>2019-05-01</td><td></td></tr>'
        '<tr><td>4.2</td><td>Loan Agreement between the Company and Bank One</td><td></td><td></td><td></td>'
        '<td>X</td></tr>'
        '<tr><td>13.1</td><td>Section 906 Certification</td><td></td><td></td><td></td><td>X</td></tr>'
        '</table>' + page("77"))
    found = list(exhibits.extract(document, Context()))
    got = described(found)["item19"]["exhibits"]
    assert [(e["number"], e["status"], e["kind"]) for e in got] == [
        ("2.1", "incorporated_by_reference", "instrument_defining_rights"),
        ("4.2", "filed", "material_contract"),
        ("13.1", "furnished", "certification"),
    ]
    assert got[1]["counterparty"] == "Bank One"
    assert all(values(found)[f"/item19/exhibits/{i}/status"].confidence == "read" for i in range(3))


def test_the_item_heading_wins_over_a_bare_risk_factors_heading_elsewhere() -> None:
    document = read(
        '<p>Item 3. Key Information</p><p>D. Risk Factors</p><p><b>We may fail.</b></p><p>Body.</p>'
        '<p>Item 5. Operating and Financial Review</p><p><b>Risk Factors</b></p><p>See Item 3.D.</p>'
        + "".join(f"<p><b>Heading {n}.</b></p><p>Text.</p>" for n in range(8)) + '<p>Item 6. Directors</p>')
    found = list(risk_factors.extract(document, Context()))
    assert [factor["caption"] for factor in described(found)["item3"]["risk_factors"]] == ["We may fail."]


@pytest.mark.parametrize("heading", ["D. Risk Factors", "Item 3.D. \u2014 Risk Factors", "ITEM 3D RISK FACTORS",
                                     "3.D Risk Factors", "RISK FACTORS"])
def test_risk_factors_headings(heading: str) -> None:
    document = read(f"<p>Item 3. Key Information</p><p>{heading}</p><p><b>We may fail.</b></p><p>Body.</p>"
                    "<p>Item 4A. Unresolved Staff Comments</p><p><b>None.</b></p>")
    found = list(risk_factors.extract(document, Context()))
    assert described(found) == {"item3": {"risk_factors": [{"caption": "We may fail."}]}}


@pytest.mark.parametrize("heading", ["Item 19. Exhibits", "ITEM 19 \u2013 EXHIBITS", "Item 19.", "EXHIBITS"])
def test_exhibits_headings(heading: str) -> None:
    document = read(f"<p>{heading}</p><p>1.1 Articles of Association</p><p>Signatures</p><p>2.1 Not one</p>")
    found = list(exhibits.extract(document, Context()))
    assert [e["number"] for e in described(found)["item19"]["exhibits"]] == ["1.1"]


def test_loncor_lists_fit_the_schema() -> None:
    """What the two extractors write is valid where it goes (pages as numbers, numbers as the schema spells them)."""
    document = loncor()
    schema = load_schema("filing.schema.json")
    for extractor, section in ((risk_factors, "item3"), (exhibits, "item19")):
        part = described(list(extractor.extract(document, Context())))[section]
        jsonschema.validate(part, {**schema["properties"][section], "$defs": schema["$defs"]})
