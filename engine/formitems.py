"""The captions of Form 20-F's items, as the staff writes them in letter headings ("Item 6. Directors, ...")."""
from __future__ import annotations

import re

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

_TOP = re.compile(r"^(\d+[A-K]?)")


def top_item(form_item: str) -> str:
    """The item a rule's `form_item` belongs to: "6.E.1" -> "6", "16I" -> "16I"."""
    match = _TOP.match(form_item)
    return match.group(1) if match else form_item


def caption(form_item: str) -> str:
    """`Item 6. Directors, Senior Management and Employees`, or `Item X` for an item we have no title for."""
    item = top_item(form_item)
    title = TITLES.get(item)
    return f"Item {item}. {title}" if title else f"Item {item}"
