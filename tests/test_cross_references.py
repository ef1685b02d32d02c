"""A cross-reference to an item or part the document has no heading for is an inconsistency the document
shows by itself (consistency.missing_item_references): only where the reader found the document's headings,
and for a lettered part only where the document heads other parts of that item."""
from __future__ import annotations

import pytest
from precomment.documents.read import read_bytes
from precomment.extraction.assemble import extract


def with_reference(reference: str, headings: int = 12) -> list[str]:
    body = ""
    for number in range(1, headings + 1):
        if number == 5:
            body += ("<p><b>Item 5. Operating and Financial Review and Prospects</b></p><p><b>A. Operating Results</b>"
                     f"</p><p>{reference}</p><p><b>B. Liquidity and Capital Resources</b></p><p>More text.</p>")
        else:
            body += f"<p><b>Item {number}. Caption</b></p><p>Text.</p>"
    document = read_bytes(f"<html><body>{body}</body></html>".encode(), "x.htm")
    return [item["subject"] for item in extract(document).description["document"]["inconsistencies"]]


@pytest.mark.parametrize("reference, found", [
    ("See Item 5.D for our trend information.", ["Item 5.D (cross-reference)"]),  # parts of 5 headed, not D
    ("See Item 5.B for our liquidity.", []),
    ("This is discussed in Item 4A.", ["Item 4A (cross-reference)"]),  # Item 4A, not part 4.A
    ("See Item 16.C for the fees.", ["Item 16C (cross-reference)"]),  # 16.C is Item 16C
    ("as described in Item 8.A.7, we are party to no proceedings", []),  # Item 8 heads no parts: not checked
    ("See Item 3 above.", []),
])
def test_a_reference_to_an_item_or_part_without_a_heading(reference, found):
    assert with_reference(reference) == found


def test_a_document_whose_headings_were_not_found_is_not_judged():
    assert with_reference("See Item 5.D for our trend information.", headings=6) == []
