"""The captions of Form 20-F's items, as the staff writes them in letter headings ("Item 6. Directors, ...")."""
from __future__ import annotations

import re
from functools import cache

TITLES = {
    "1": "Identity of Directors, Senior Management and Advisers",
    "2": "Offer Statistics and Expected Timetable",
    "3": "Key Information",
    "4": "Information on the Company",
    "4A": "Unresolved Staff Comments",
    "5": "Operating and Financial Review and Prospects",
    "6": "Directors, Senior Management and Employees",
    "7": "Major Shareholders and Related Party Transactions",
    "8": "Financial Information",
    "9": "The Offer and Listing",
    "10": "Additional Information",
    "11": "Quantitative and Qualitative Disclosures About Market Risk",
    "12": "Description of Securities Other than Equity Securities",
    "13": "Defaults, Dividend Arrearages and Delinquencies",
    "14": "Material Modifications to the Rights of Security Holders and Use of Proceeds",
    "15": "Controls and Procedures",
    "16A": "Audit Committee Financial Expert",
    "16B": "Code of Ethics",
    "16C": "Principal Accountant Fees and Services",
    "16D": "Exemptions from the Listing Standards for Audit Committees",
    "16E": "Purchases of Equity Securities by the Issuer and Affiliated Purchasers",
    "16F": "Change in Registrant's Certifying Accountant",
    "16G": "Corporate Governance",
    "16H": "Mine Safety Disclosure",
    "16I": "Disclosure Regarding Foreign Jurisdictions that Prevent Inspections",
    "16J": "Insider Trading Policies",
    "16K": "Cybersecurity",
    "17": "Financial Statements",
    "18": "Financial Statements",
    "19": "Exhibits",
}

ADDED_LATER: dict[str, tuple[str, str, str]] = {
    "5.E": ("2021-08-09", "fiscal_year_end", "Release 33-10890, Section II.F (Item 5.E as critical accounting "
                                              "estimates, from fiscal years ending on or after August 9, 2021)"),
    "6.F": ("2023-12-01", "filing_date", "Release 33-11126; the listing standards' recovery policies from "
                                         "1 December 2023 (C&DI 121H.01)"),
    "16F": ("2009-12-15", "fiscal_year_end", "Release 33-8959 (Foreign Issuer Reporting Enhancements), compliance dates"),
    "16G": ("2008-12-15", "fiscal_year_end", "Release 33-8959 (Foreign Issuer Reporting Enhancements), compliance dates"),
    "16H": ("2012-01-27", "filing_date", "Release 33-9286 (Mine Safety Disclosure), effective January 27, 2012"),
    "16I": ("2022-01-10", "filing_date", "Release 34-93701, effective January 10, 2022"),
    "16J": ("2023-04-01", "fiscal_year_start", "Release 33-11138, compliance dates"),
    "16K": ("2023-12-15", "fiscal_year_end", "Release 33-11216, compliance dates (fiscal years ending on or after "
                                             "December 15, 2023)"),
}
"""Items and parts added to Form 20-F (or given their present content) by amendment since 2008: (from, basis,
source), as the `effective` dates of the rules on them give them (tests/test_coverage.py holds the two to
the same dates). A filing from before an item was added need not account for it."""

_TOP = re.compile(r"^(\d+[A-K]?)")
_DESIGNATION = re.compile(r"^(\d{1,2}[A-K]?)(?:\.([A-Z])(?:\.(\d{1,2}))?)?$")


def top_item(form_item: str) -> str:
    """The item a rule's `form_item` belongs to: "6.E.1" -> "6", "16I" -> "16I"."""
    match = _TOP.match(form_item)
    return match.group(1) if match else form_item


GENERAL = "General"
"""What a rule about the filing as a whole is filed under (page numbering, a missing item heading): the
staff's letters put such comments first, under "General"."""


def named(form_item: str) -> str:
    """How a finding or rule names its Form item in running text: `Item 6.E`, or `General`."""
    return GENERAL if form_item == GENERAL else f"Item {form_item}"


def caption(form_item: str) -> str:
    """`Item 6. Directors, Senior Management and Employees`, or `Item X` for an item we have no title for;
    `General` for the filing as a whole."""
    if form_item == GENERAL:
        return GENERAL
    item = top_item(form_item)
    title = TITLES.get(item)
    return f"Item {item}. {title}" if title else f"Item {item}"


# The lettered parts of the items, as the staff heads a comment on one ("Business Overview, page 12").
# Only parts whose caption is the same in the 2009 Form and today's; Item 3.A (now [Reserved]) and the
# parts of Item 5 after E (renumbered in 2020) are left out rather than guessed.
PARTS = {
    "3.B": "Capitalization and Indebtedness",
    "3.C": "Reasons for the Offer and Use of Proceeds",
    "3.D": "Risk Factors",
    "4.A": "History and Development of the Company",
    "4.B": "Business Overview",
    "4.C": "Organizational Structure",
    "4.D": "Property, Plants and Equipment",
    "5.A": "Operating Results",
    "5.B": "Liquidity and Capital Resources",
    "5.C": "Research and Development, Patents and Licenses, etc.",
    "5.D": "Trend Information",
    "5.E": "Critical Accounting Estimates",
    "6.A": "Directors and Senior Management",
    "6.B": "Compensation",
    "6.C": "Board Practices",
    "6.D": "Employees",
    "6.E": "Share Ownership",
    "6.F": "Disclosure of a Registrant's Action to Recover Erroneously Awarded Compensation",
    "7.A": "Major Shareholders",
    "7.B": "Related Party Transactions",
    "7.C": "Interests of Experts and Counsel",
    "8.A": "Consolidated Statements and Other Financial Information",
    "8.B": "Significant Changes",
    "9.A": "Offer and Listing Details",
    "9.B": "Plan of Distribution",
    "9.C": "Markets",
    "9.D": "Selling Shareholders",
    "9.E": "Dilution",
    "9.F": "Expenses of the Issue",
    "10.A": "Share Capital",
    "10.B": "Memorandum and Articles of Association",
    "10.C": "Material Contracts",
    "10.D": "Exchange Controls",
    "10.E": "Taxation",
    "10.F": "Dividends and Paying Agents",
    "10.G": "Statement by Experts",
    "10.H": "Documents on Display",
    "10.I": "Subsidiary Information",
    "12.A": "Debt Securities",
    "12.B": "Warrants and Rights",
    "12.C": "Other Securities",
    "12.D": "American Depositary Shares",
}

_PART = re.compile(r"^(\d+[A-K]?\.[A-Z])")


def part_caption(form_item: str) -> str | None:
    """The caption of the lettered part an item belongs to: "4.D" -> "Property, Plants and Equipment",
    "8.A.7" -> the caption of 8.A; None for an item without a lettered part ("19", "16K")."""
    match = _PART.match(form_item)
    return PARTS.get(match.group(1)) if match else None


def known(designation: str) -> bool:
    """Whether `designation` names an item of Form 20-F ("13", "16F") or a lettered part of one ("6.E",
    "8.A.7"): what a description may declare not applicable or omitted."""
    match = _DESIGNATION.match(designation)
    if not match or match.group(1) not in TITLES:
        return False
    return match.group(2) is None or f"{match.group(1)}.{match.group(2)}" in PARTS


def within(form_item: str, designation: str) -> bool:
    """Whether `form_item` is `designation` or one of its parts: "6.E" is within "6", "8.A.7" within "8.A"."""
    return form_item == designation or form_item.startswith(designation + ".")


def designations() -> list[str]:
    """Every item and lettered part, in the Form's order: the names `known` accepts without a paragraph."""
    return sorted([*TITLES, *PARTS], key=item_key)


@cache
def item_key(designation: str) -> tuple[int, str, str, int]:
    """Where a designation comes in the Form, to sort by: 4 before 4.A before 4A; 8.A before 8.A.7 before 8.B.
    Cached: every check sorts its rules and findings by it, and a Form has a few hundred designations."""
    if designation == GENERAL:
        return (0, "", "", 0)  # before Item 1
    match = _DESIGNATION.match(designation)
    if match is None:
        return (999, designation, "", 0)
    number = re.match(r"\d+", match.group(1))
    assert number is not None
    return (int(number.group()), match.group(1)[number.end():], match.group(2) or "", int(match.group(3) or 0))
