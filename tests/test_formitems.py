"""The captions of Form 20-F's items and their lettered parts (engine/validation/formitems.py), as reports
head their findings: every report groups findings under "Item N. Caption" headings, in the Form's order."""
from __future__ import annotations

import pytest
from precomment.validation.formitems import PARTS, TITLES, caption, part_caption, top_item

LANTERNFISH = "filings/lanternfish-fy2024-20f.yaml"


def test_a_report_heads_each_item_with_its_caption_in_the_order_of_the_form(cli):
    """Numbers in numeric order (9 before 10), a lettered item after its number (4, 4A, 5; 16A ... 16K)."""
    code, out, err = cli("check", LANTERNFISH, "--no-config")
    assert (code, err) == (1, "")
    headings = [line for line in out.split("\nCoverage: ")[0].splitlines() if line.startswith("Item ")]
    assert headings == [
        "Item 3. Key Information",
        "Item 4. Information on the Company",
        "Item 4A. Unresolved Staff Comments",
        "Item 5. Operating and Financial Review and Prospects",
        "Item 6. Directors, Senior Management and Employees",
        "Item 7. Major Shareholders and Related Party Transactions",
        "Item 8. Financial Information",
        "Item 9. The Offer and Listing",
        "Item 10. Additional Information",
        "Item 11. Quantitative and Qualitative Disclosures About Market Risk",
        "Item 12. Description of Securities Other than Equity Securities",
        "Item 13. Defaults, Dividend Arrearages and Delinquencies",
        "Item 14. Material Modifications to the Rights of Security Holders and Use of Proceeds",
        "Item 15. Controls and Procedures",
        "Item 16A. Audit Committee Financial Expert",
        "Item 16B. Code of Ethics",
        "Item 16C. Principal Accountant Fees and Services",
        "Item 16D. Exemptions from the Listing Standards for Audit Committees",
        "Item 16E. Purchases of Equity Securities by the Issuer and Affiliated Purchasers",
        "Item 16F. Change in Registrant's Certifying Accountant",
        "Item 16G. Corporate Governance",
        "Item 16H. Mine Safety Disclosure",
        "Item 16I. Disclosure Regarding Foreign Jurisdictions that Prevent Inspections",
        "Item 16K. Cybersecurity",
        "Item 18. Financial Statements",
        "Item 19. Exhibits",
    ]


@pytest.mark.parametrize("form_item, item", [
    ("6", "6"), ("6.E", "6"), ("6.E.1", "6"), ("4A", "4A"), ("16I", "16I"), ("16K.A", "16K"), ("10.B.3", "10"),
    ("Exhibit 99", "Exhibit 99"),  # not a Form item: kept as written, never guessed
])
def test_a_form_item_belongs_to_its_top_level_item(form_item, item):
    assert top_item(form_item) == item


@pytest.mark.parametrize("form_item, expected", [
    ("6.E.1", "Item 6. Directors, Senior Management and Employees"),
    ("4A", "Item 4A. Unresolved Staff Comments"),
    ("16I", "Item 16I. Disclosure Regarding Foreign Jurisdictions that Prevent Inspections"),
    ("17", "Item 17. Financial Statements"),
    ("18.A", "Item 18. Financial Statements"),
    ("20", "Item 20"),          # an item the Form does not have: its number alone, no invented title
])
def test_an_item_caption_is_the_form_s_heading_or_the_bare_number(form_item, expected):
    assert caption(form_item) == expected


@pytest.mark.parametrize("form_item, expected", [
    ("4.D", "Property, Plants and Equipment"),
    ("8.A.7", "Consolidated Statements and Other Financial Information"),
    ("12.D.3", "American Depositary Shares"),
    ("3.A", None),    # now [Reserved]: left out rather than guessed
    ("5.F", None),    # renumbered in 2020
    ("19", None),     # no lettered part
    ("16K", None),
    ("6", None),
])
def test_a_part_caption_is_given_only_where_the_form_s_caption_is_certain(form_item, expected):
    assert part_caption(form_item) == expected


def test_every_part_belongs_to_an_item_with_a_title():
    assert sorted({top_item(part) for part in PARTS} - set(TITLES)) == []
