"""Render a filing description (filings/*.yaml) as a Form 20-F document, the way filer agents set one, and
say exactly what a perfect extractor should read back from that rendering.

Layouts (`LAYOUTS`):
- "a": EDGAR agent HTML of the 2010s: uppercase <P>/<B>/<TABLE>, item headings in two-cell tables
  ("Item 3." | "Key Information"; "Item 16.A."), `<HR style="page-break-after: always">` between sheets, the
  page number centred at the foot of each sheet, cover check boxes as "[ X ]".
- "b": Workiva-like XHTML: `<div style="page-break-after:always">` between sheets, bold uppercase item
  headings (`ITEM 16.A. AUDIT COMMITTEE FINANCIAL EXPERT`), "Page 12" at the top right of each sheet, ☒/☐
  boxes, tables with spacer columns, risk factor captions as bold italic paragraphs.
- "c": plain HTML: <h2>/<h3> headings, risk factor captions as bold lead sentences, no page breaks and no
  page numbers (so no pages are expected and `pages_numbered` is false).
- "d": Word (.docx, python-docx): Heading 1/2 styles, page breaks, the page number as the last paragraph
  of each page, risk factor captions as bold lead sentences.
- "e": "b" as Inline XBRL: the cover's `dei:` facts (document type, registrant, period end, file number,
  emerging growth company box; filer category, accounting standard and CIK hidden) and the balance sheet's
  current asset and liability lines tagged (us-gaap or ifrs-full, scaled, with their contexts).

What is rendered: the cover (name, form, fiscal year end, file number, jurisdiction, well-known seasoned
issuer, filer status and emerging growth company boxes, basis of accounting), a table of contents, a heading
for every Form item the description accounts for (its sections, `omitted` and `not_applicable`; the last two
as "Not applicable." sections) with the lettered sub-items of each, the Item 3.D risk factor captions, the
Item 5.A revenue and expense lines, the Items 6.E and 7.A ownership tables, the sanctioned countries of
Item 4 in a sentence each, the Item 19 exhibit index and the primary statements (titles, year columns, the
balance sheet's current asset and liability totals) on F-pages. Everything else is generic filler.

Pages: where the description gives a page (an item's section, a risk factor, a statement) the renderer adds
filler sheets so it lands there when it can (not before the page already reached, not past the next heading's
own page); otherwise it lands where it falls. `render` returns the bytes and the expected description: what
was rendered, with the pages as rendered.

Entry point: `python tests/render.py filings/lanternfish-fy2024-20f.yaml --layout a -o out.htm`.
"""
from __future__ import annotations

import argparse
import datetime
import html
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from precomment.resources import load_schema
from precomment.validation.formitems import ADDED_LATER, PARTS, TITLES, item_key, top_item

LAYOUTS = ("a", "b", "c", "d", "e")
SUFFIXES = {"a": ".htm", "b": ".htm", "c": ".html", "d": ".docx", "e": ".htm"}
FORMATS = {"a": "html", "b": "html", "c": "html", "d": "docx", "e": "ixbrl"}


def style_of(layout: str) -> str:
    """The layout whose look a layout has: "e" is "b" tagged as Inline XBRL."""
    return "b" if layout == "e" else layout

COUNTRY_NAMES = {
    "KY": "Cayman Islands", "GB": "United Kingdom", "BM": "Bermuda", "JP": "Japan", "NL": "The Netherlands",
    "CN": "People's Republic of China", "HK": "Hong Kong", "CA": "Canada", "DE": "Germany", "FR": "France",
    "IL": "Israel", "LU": "Luxembourg", "IE": "Ireland", "SG": "Singapore", "VG": "British Virgin Islands",
}
"""Jurisdictions printed on the cover by name (a code not here: the jurisdiction line is left out)."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

FILLER = (
    "The discussion in this section is general and should be read together with the rest of this annual report.",
    "Management reviews the matters described here regularly and updates its approach as circumstances change.",
    "We describe below the principal arrangements in place during the fiscal year covered by this report.",
    "This section summarises information that is set out in more detail elsewhere in this annual report.",
    "Our board of directors oversees these matters with the support of the relevant committees.",
    "The information below is given as of the end of the fiscal year unless another date is stated.",
    "We continue to monitor developments in this area and may revise our practices in future periods.",
    "Investors should consider this information together with the financial statements included herein.",
)
"""Generic sentences that fill sections and pages: no figures, no names, no countries."""


# ---------------------------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Fact:
    """An Inline XBRL tag on printed text (layout "e" only): `part` of a paragraph's text (all of a cell's or a
    box's), tagged as `concept` in context "duration" (the fiscal year), "instant" (its end) or "prior" (the
    year before's end)."""

    concept: str
    part: str = ""
    context: str = "duration"
    numeric: bool = False
    format: str | None = None
    scale: int = 0


@dataclass
class Heading:
    item: str  # Form item designation: "3", "3.D", "16A"
    top: bool  # an item heading, else a lettered sub-item
    caption: str  # the Form's caption, before a layout sets its case


@dataclass
class Para:
    text: str
    lead: str = ""  # a bold lead sentence (a risk factor's caption) before `text`
    bold: bool = False
    centered: bool = False
    big: bool = False
    fact: Fact | None = None


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # columns of figures (set right-aligned)
    toc: bool = False
    above: list[str] | None = None  # a first header row, for a heading split over two lines
    marks: dict[int, str] = field(default_factory=dict)  # row -> footnote mark, set superscript after its last cell
    facts: dict[tuple[int, int], Fact] = field(default_factory=dict)  # (row, column) -> its tag


@dataclass
class Checks:
    """A row of check boxes: (label, checked)."""

    boxes: list[tuple[str, bool]]
    facts: dict[int, Fact] = field(default_factory=dict)  # box -> its tag


Block = Heading | Para | Grid | Checks


@dataclass
class Sheet:
    label: str | None  # printed page number; None for a sheet that prints none (the cover)
    blocks: list[Block] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- pages


class Book:
    """Sheets being filled in order: the front matter (cover, contents), the numbered body (1, 2, ...) and
    the financial statements (F-1, F-2, ...)."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []
        self.part = "front"
        self.number = 0
        self._filler = 0

    def filler(self) -> str:
        self._filler += 1
        return FILLER[self._filler % len(FILLER)]

    def add(self, block: Block) -> None:
        self.sheets[-1].blocks.append(block)

    def new_sheet(self, label: str | None) -> None:
        self.sheets.append(Sheet(label))

    def start(self, part: str) -> None:
        self.part, self.number = part, 1
        self.new_sheet(self._label())

    def _label(self) -> str:
        return f"F-{self.number}" if self.part == "f" else str(self.number)

    def turn(self) -> None:
        if not self.sheets[-1].blocks:
            self.add(Para(self.filler()))
        self.number += 1
        self.new_sheet(self._label())

    def reach(self, desired: Any, limit: int | None) -> None:
        """Add sheets until the page printed is `desired`, if it is ahead and not past `limit`."""
        wanted = page_number(desired, self.part)
        if wanted is None or wanted <= self.number or (limit is not None and wanted > limit):
            return
        while self.number < wanted:
            self.turn()

    @property
    def page(self) -> str:
        return self.sheets[-1].label or ""


def page_number(page: Any, part: str) -> int | None:
    """A description's page as a number in `part`: 12 in the body, "F-4" as 4 in the financial statements."""
    if part == "body" and isinstance(page, int) and not isinstance(page, bool) and page > 0:
        return page
    if part == "f" and isinstance(page, str) and (found := re.fullmatch(r"F-(\d+)", page)):
        return int(found.group(1))
    return None


def page_value(label: str) -> int | str | None:
    """A printed page as the schema has it: "12" -> 12, "F-4" stays; a roman or no number -> None."""
    if label.isdigit():
        return int(label)
    return label if re.fullmatch(r"[A-Z]{1,2}-\d{1,4}", label) else None


# ---------------------------------------------------------------------------------------------- the plan


def _x_form_items() -> dict[str, dict[str, str]]:
    """Section of the description -> its sub-sections' Form items, from the schema's `x-form-item`."""
    schema = load_schema("filing.schema.json")
    found: dict[str, dict[str, str]] = {}
    for name, node in schema["properties"].items():
        children = node.get("properties") or {}
        found[name] = {child: str(spec["x-form-item"]) for child, spec in children.items()
                       if isinstance(spec, dict) and "x-form-item" in spec}
        if "x-form-item" in node:
            found[name][""] = str(node["x-form-item"])
    return found


def _top_of_section(name: str) -> str | None:
    found = re.fullmatch(r"item(\d+A?)", name)
    return found.group(1) if found and found.group(1) in TITLES else None


def accounted_for(data: dict[str, Any]) -> tuple[set[str], dict[str, int]]:
    """The Form items the description accounts for, and the body page it gives each (the least given)."""
    items: set[str] = set(data.get("not_applicable") or {}) | set(data.get("omitted") or {})
    pages: dict[str, int] = {}
    forms = _x_form_items()

    def note(item: str, page: Any) -> None:
        items.add(item)
        if isinstance(page, int) and not isinstance(page, bool):
            pages[item] = min(page, pages.get(item, page))

    for name, section in data.items():
        if not isinstance(section, dict):
            continue
        top = _top_of_section(name)
        if top is not None:
            note(top, section.get("page"))
        elif "" in forms.get(name, {}):
            note(forms[name][""], None)
        for child, item in forms.get(name, {}).items():
            if child and section.get(child) not in (None, [], {}):
                value = section[child]
                note(item, value.get("page") if isinstance(value, dict) else None)
    return items, pages


def _required(item: str, filer: dict[str, Any]) -> bool:
    """Whether the Form has `item` at the filing's date (items added later than the fiscal year are not)."""
    if item not in ADDED_LATER:
        return True
    start, basis, _source = ADDED_LATER[item]
    fye = str(filer.get("fiscal_year_end", ""))
    if basis == "filing_date":
        when = str(filer.get("filing_date") or fye)
    elif basis == "fiscal_year_start" and fye:
        end = datetime.date.fromisoformat(fye)
        when = (end.replace(year=end.year - 1) + datetime.timedelta(days=1)).isoformat()
    else:
        when = fye
    return when >= start


@dataclass
class Section:
    item: str
    top: bool
    caption: str
    desire: int | None
    limit: int | None = None


def plan(data: dict[str, Any]) -> list[Section]:
    """The headings, in the Form's order: every item accounted for; under each answered item, its lettered
    parts the Form has at the filing's date (or the description accounts for)."""
    accounted, pages = accounted_for(data)
    filer = data.get("filer") or {}
    skipped = set(data.get("not_applicable") or {}) | set(data.get("omitted") or {})
    tops = {top_item(item) for item in accounted}
    if "18" in tops:
        tops.add("17")
    sections: list[Section] = []
    for top in sorted(tops, key=item_key):
        parts = [] if top in skipped else sorted(
            (part for part in PARTS if part.startswith(top + ".")
             and (_required(part, filer) or any(a == part or a.startswith(part + ".") for a in accounted))),
            key=item_key)
        desire = pages.get(top)
        part_pages = [pages[part] for part in parts if part in pages]
        if desire is None and part_pages:
            desire = min(part_pages)
        sections.append(Section(top, True, TITLES[top], desire))
        sections.extend(Section(part, False, PARTS[part], pages.get(part)) for part in parts)
    limit: int | None = None
    for section in reversed(sections):  # the next heading's own page: no page is reached past it
        section.limit = limit
        if section.desire is not None:
            limit = section.desire
    return sections


# ---------------------------------------------------------------------------------------------- content


@dataclass
class Rendering:
    """What is laid out, and what a perfect extractor reads back from it."""

    layout: str
    data: dict[str, Any]
    book: Book = field(default_factory=Book)
    expected: dict[str, Any] = field(default_factory=dict)

    def at(self) -> int | str | None:
        return None if self.layout == "c" else page_value(self.book.page)

    def put(self, record: dict[str, Any], key: str = "page") -> dict[str, Any]:
        page = self.at()
        if page is not None:
            record[key] = page
        return record


def _amount(value: Any) -> str:
    number = Decimal(str(value))
    text = f"{abs(number):,}"
    return f"({text})" if number < 0 else text


def _date_text(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def cover(r: Rendering) -> None:
    filer = r.data.get("filer") or {}
    book, expected = r.book, r.expected.setdefault("filer", {})
    book.new_sheet(None)
    book.add(Para("UNITED STATES SECURITIES AND EXCHANGE COMMISSION", bold=True, centered=True, big=True))
    book.add(Para("Washington, D.C. 20549", centered=True))
    form = str(filer.get("form", "20-F"))
    book.add(Para(f"FORM {form}", bold=True, centered=True, big=True, fact=Fact("dei:DocumentType", form)))
    expected["form"] = form
    if form.endswith("/A"):
        book.add(Para("(Amendment No. 1)", centered=True))
    book.add(Checks([("REGISTRATION STATEMENT PURSUANT TO SECTION 12(b) OR (g) OF THE SECURITIES EXCHANGE ACT "
                      "OF 1934", False)]))
    book.add(Checks([("ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
                      True)]))
    fye = str(filer["fiscal_year_end"])
    book.add(Para(f"For the fiscal year ended {_date_text(fye)}", centered=True,
                  fact=Fact("dei:DocumentPeriodEndDate", _date_text(fye), format="ixt:date-monthname-day-year-en")))
    expected["fiscal_year_end"] = fye
    if filer.get("file_number"):
        book.add(Para(f"Commission file number {filer['file_number']}", centered=True,
                      fact=Fact("dei:EntityFileNumber", str(filer["file_number"]))))
        expected["file_number"] = filer["file_number"]
    book.add(Para(str(filer["name"]), bold=True, centered=True, big=True,
                  fact=Fact("dei:EntityRegistrantName", str(filer["name"]))))
    book.add(Para("(Exact name of Registrant as specified in its charter)", centered=True))
    expected["name"] = filer["name"]
    country = filer.get("country_of_incorporation")
    if country in COUNTRY_NAMES:
        book.add(Para(COUNTRY_NAMES[country], centered=True))
        book.add(Para("(Jurisdiction of incorporation or organization)", centered=True))
        expected["country_of_incorporation"] = country
    if isinstance(filer.get("wksi"), bool):
        book.add(Para("Indicate by check mark if the registrant is a well-known seasoned issuer, as defined in "
                      "Rule 405 of the Securities Act."))
        book.add(Checks([("Yes", filer["wksi"]), ("No", not filer["wksi"])]))
        expected["wksi"] = filer["wksi"]
    egc = filer.get("emerging_growth_company")
    book.add(Para("Indicate by check mark whether the registrant is a large accelerated filer, an accelerated "
                  "filer, " + ("a non-accelerated filer, or an emerging growth company." if isinstance(egc, bool)
                               else "or a non-accelerated filer.")))
    status = filer.get("filer_status")
    boxes = [("Large accelerated filer", status == "large_accelerated_filer"),
             ("Accelerated filer", status == "accelerated_filer"),
             ("Non-accelerated filer", status == "non_accelerated_filer")]
    checks = Checks(boxes)
    if isinstance(egc, bool):
        checks.facts[len(boxes)] = Fact("dei:EntityEmergingGrowthCompany", format=f"ixt:fixed-{str(egc).lower()}")
        boxes.append(("Emerging growth company", egc))
        expected["emerging_growth_company"] = egc
    book.add(checks)
    if status:
        expected["filer_status"] = status
    basis = filer.get("basis_of_accounting")
    book.add(Para("Indicate by check mark which basis of accounting the registrant has used to prepare the "
                  "financial statements included in this filing:"))
    book.add(Checks([("U.S. GAAP", basis == "US GAAP"),
                     ("International Financial Reporting Standards as issued by the International Accounting "
                      "Standards Board", basis == "IFRS"),
                     ("Other", basis == "other")]))
    if basis:
        expected["basis_of_accounting"] = basis


def heading_label(layout: str, item: str, top: bool) -> str:
    """How a layout numbers a heading: "Item 3.", "Item 16.A.", "ITEM 16.A.", "Item 16A.", "D."."""
    if not top:
        return item.split(".")[1] + "."
    number = item
    if layout in ("a", "b") and re.fullmatch(r"16[A-K]", item):
        number = f"16.{item[2]}"
    return f"{'ITEM' if layout == 'b' else 'Item'} {number}."


def heading_caption(layout: str, caption: str, top: bool) -> str:
    return caption.upper() if layout == "b" and top else caption


def risk_factors(r: Rendering, limit: int | None) -> None:
    found = []
    for factor in (r.data.get("item3") or {}).get("risk_factors") or []:
        r.book.reach(factor.get("page"), limit)
        r.book.add(Para(r.book.filler(), lead=str(factor["caption"])))
        # run in (layouts c and d), the caption is printed as a sentence: what a reader reads is that sentence
        caption = sentence(str(factor["caption"])) if r.layout in ("c", "d") else factor["caption"]
        found.append(r.put({"caption": caption}))
    if found:
        r.expected.setdefault("item3", {})["risk_factors"] = found


def sanctioned_countries(r: Rendering, limit: int | None) -> None:
    mentions: list[dict[str, Any]] = []
    for contact in (r.data.get("item4") or {}).get("sanctioned_country_contacts") or []:
        country = str(contact["country"])
        if any(m["country"] == country for m in mentions):
            continue
        r.book.reach(contact.get("page"), limit)
        text = f"During the fiscal year we had limited dealings with counterparties located in {country}."
        r.book.add(Para(text))
        mentions.append(r.put({"country": country, "text": text}))
    if mentions:
        r.expected.setdefault("document", {})["sanctioned_country_mentions"] = mentions


def _years(r: Rendering, count: int) -> list[int]:
    year = int(str(r.data["filer"]["fiscal_year_end"])[:4])
    return [year - offset for offset in range(count)]


def operating_lines(r: Rendering) -> None:
    results = (r.data.get("item5") or {}).get("operating_results") or {}
    unit = (r.data.get("filer") or {}).get("unit", "thousands")
    for kind, title in (("revenue_lines", "Revenues"), ("expense_lines", "Costs and expenses")):
        lines = [line for line in results.get(kind) or [] if line.get("amounts")]
        if not lines:
            continue
        years = sorted({int(a["fiscal_year"]) for line in lines for a in line["amounts"]}, reverse=True)
        r.book.add(Para(f"{title} ({'amounts in ' + unit if unit != 'units' else 'amounts'})", bold=True))
        rows, found = [], []
        for line in lines:
            by_year = {int(a["fiscal_year"]): a["amount"] for a in line["amounts"] if "amount" in a}
            rows.append([str(line["name"])] + [_amount(by_year[y]) if y in by_year else "" for y in years])
            found.append({"name": line["name"], "amounts": [{"fiscal_year": y, "amount": by_year[y]}
                                                            for y in sorted(by_year)]})
        r.book.add(Grid([""] + [str(y) for y in years], rows, numeric=set(range(1, len(years) + 1))))
        r.expected.setdefault("item5", {}).setdefault("operating_results", {})[kind] = found


def ownership(r: Rendering, section: str, part: str) -> None:
    source = ((r.data.get(section) or {}).get(part) or {}).get("holders") or []
    if not source:
        r.book.add(Para(r.book.filler()))
        return
    header = {"a": ["Name", "Shares Owned", "Outstanding Shares"],
              "b": ["Name of Beneficial Owner", "Shares Beneficially Owned", "% of Class"],
              "c": ["Name", "Shares", "Percent"], "d": ["Holder", "Number of shares", "Percent of class"]}[r.layout]
    above = ["", "Number of", "Percentage of"] if r.layout == "a" else None  # Loncor's heading over two rows
    r.book.add(Para("The following table sets out the beneficial ownership of our shares by the persons named "
                    "below."))
    rows, found, starred = [], [], False
    for holder in source:
        record: dict[str, Any] = {"name": holder["name"]}
        shares = holder.get("shares")
        if isinstance(shares, int):
            record["shares"] = shares
            shares_text = ("Nil" if r.layout == "a" else "0") if shares == 0 else _amount(shares)
        else:
            shares_text = ""
        if holder.get("percent_of_class") is not None:
            record["percent_of_class"] = holder["percent_of_class"]
            percent_text = f"{Decimal(str(holder['percent_of_class']))}%"
        elif holder.get("less_than_one_percent") is True:
            record["less_than_one_percent"] = True
            percent_text, starred = "*", True
        else:
            percent_text = ""
        rows.append([str(holder["name"]), shares_text, percent_text])
        found.append(r.put(record))
    r.book.add(Grid(header, rows, numeric={1, 2}, above=above))
    if starred:
        r.book.add(Para("* Less than 1% of the outstanding shares."))
    r.expected.setdefault(section, {}).setdefault(part, {})["holders"] = found


MARKS = {
    "a": {"incorporated_by_reference": "(1)", "filed": "(2)", "furnished": "(3)"},
    "b": {"filed": "*", "furnished": "**", "incorporated_by_reference": "†"},
    "c": {"filed": "*", "furnished": "**", "incorporated_by_reference": "***"},
    "d": {"filed": "(a)", "furnished": "(b)", "incorporated_by_reference": "(c)"},
}
NOTES = {"filed": "Filed herewith.", "furnished": "Furnished herewith.",
         "incorporated_by_reference": "Incorporated by reference to an earlier filing of the registrant with the "
                                      "SEC."}


def exhibits(r: Rendering) -> None:
    source = (r.data.get("item19") or {}).get("exhibits") or []
    if not source:
        r.book.add(Para(r.book.filler()))
        return
    r.book.add(Para("The following exhibits are filed as part of this annual report:"))
    marks, used, found = MARKS[r.layout], [], []
    rows: list[list[str]] = []
    grid = Grid(["Exhibit Number", "Description"], rows)
    for exhibit in source:
        status = exhibit.get("status")
        record: dict[str, Any] = {"number": exhibit["number"], "title": exhibit["title"]}
        if status in marks:
            grid.marks[len(rows)] = marks[status]
            record["status"] = status
            if status not in used:
                used.append(status)
        rows.append([str(exhibit["number"]), str(exhibit["title"])])
        found.append(r.put(record))
    r.book.add(grid)
    for status in sorted(used, key=lambda s: marks[s]):
        r.book.add(Para(f"{marks[status]} {NOTES[status]}"))
    r.expected.setdefault("item19", {})["exhibits"] = found


STATEMENT_LINES = {
    "balance_sheet": ["Cash and cash equivalents", "Property and equipment, net", "Total assets", "Total equity"],
    "income_statement": ["Operating costs", "Finance costs, net", "Income tax expense"],
    "comprehensive_income": ["Foreign currency translation adjustments", "Other comprehensive income, net of tax"],
    "income_and_comprehensive_income": ["Operating costs", "Finance costs, net",
                                        "Other comprehensive income, net of tax"],
    "changes_in_equity": ["Balance at beginning of year", "Share-based compensation", "Balance at end of year"],
    "cash_flows": ["Net cash from operating activities", "Net cash used in investing activities",
                   "Net cash from financing activities"],
}
BALANCE_AMOUNTS = (("other_current_assets", "Other current assets"), ("total_current_assets", "Total current assets"),
                   ("other_current_liabilities", "Other current liabilities"),
                   ("total_current_liabilities", "Total current liabilities"))


def statements(r: Rendering) -> None:
    """The primary statements on F-pages: each title, its year columns and a few lines."""
    source = ((r.data.get("financial_statements") or {}).get("primary_statements") or {}).get("statements") or []
    if not source:
        return
    r.book.start("f")
    r.book.add(Para("INDEX TO CONSOLIDATED FINANCIAL STATEMENTS", bold=True, centered=True))
    r.book.add(Para(r.book.filler()))
    desires = [page_number(s.get("page"), "f") for s in source]
    fye = datetime.date.fromisoformat(str(r.data["filer"]["fiscal_year_end"]))
    found = []
    for index, statement in enumerate(source):
        later = [d for d in desires[index + 1:] if d is not None]
        before = r.book.number
        r.book.reach(statement.get("page"), later[0] if later else None)
        shares_sheet = index > 0 and desires[index] is not None and desires[index] == desires[index - 1]
        if r.book.number == before and not shares_sheet:  # each statement on a sheet of its own, unless
            r.book.turn()  # the description puts two on one page
        kind = statement["kind"]
        periods = int(statement.get("periods_presented") or (2 if kind == "balance_sheet" else 3))
        years = _years(r, periods)
        columns = ([f"{MONTHS[fye.month - 1]} {fye.day}, {y}" for y in years] if kind == "balance_sheet"
                   else [f"Year ended {MONTHS[fye.month - 1]} {fye.day}, {y}" for y in years])
        rows = [[label] + [_amount(1000 * (7 + 3 * n + 2 * c)) for c in range(periods)]
                for n, label in enumerate(STATEMENT_LINES[kind])]
        grid = Grid([""] + columns, rows, numeric=set(range(1, periods + 1)))
        if kind == "balance_sheet":
            balance_amounts(r, grid, periods)
        r.book.add(Para(str(statement["title"]), bold=True, centered=True))
        r.book.add(grid)
        found.append(r.put({"title": statement["title"], "kind": kind, "periods_presented": periods}))
    r.expected.setdefault("financial_statements", {})["primary_statements"] = {"statements": found}


CONCEPTS = {
    "US GAAP": {"other_current_assets": "us-gaap:OtherAssetsCurrent", "total_current_assets": "us-gaap:AssetsCurrent",
                "other_current_liabilities": "us-gaap:OtherLiabilitiesCurrent",
                "total_current_liabilities": "us-gaap:LiabilitiesCurrent"},
    "IFRS": {"other_current_assets": "ifrs-full:OtherCurrentAssets", "total_current_assets": "ifrs-full:CurrentAssets",
             "other_current_liabilities": "ifrs-full:OtherCurrentLiabilities",
             "total_current_liabilities": "ifrs-full:CurrentLiabilities"},
}
"""The Inline XBRL concepts of the balance sheet lines rendered, by basis of accounting."""
SCALES = {"units": 0, "thousands": 3, "millions": 6, "billions": 9}


def balance_amounts(r: Rendering, grid: Grid, periods: int) -> None:
    """The description's current asset and liability totals as balance sheet lines (the year before's
    column made up), tagged by their concept in layout "e"."""
    source = (r.data.get("financial_statements") or {}).get("balance_sheet") or {}
    filer = r.data.get("filer") or {}
    concepts = CONCEPTS.get(str(filer.get("basis_of_accounting")), {})
    for name, label in BALANCE_AMOUNTS:
        value = source.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        row = len(grid.rows)
        grid.rows.append([label] + [_amount(value if c == 0 else value * 9 // 10) for c in range(periods)])
        if name in concepts:
            for c in range(min(periods, 2)):
                grid.facts[(row, c + 1)] = Fact(concepts[name], context="instant" if c == 0 else "prior",
                                                numeric=True, format="ixt:num-dot-decimal",
                                                scale=SCALES.get(str(filer.get("unit")), 0))
        r.expected.setdefault("financial_statements", {}).setdefault("balance_sheet", {})[name] = value


def content(r: Rendering, section: Section, skipped: dict[str, str]) -> None:
    """The body of one heading's section."""
    item = section.item
    if item in skipped:
        r.book.add(Para("Not applicable."))
        return
    if item == "3.D":
        r.book.add(Para(r.book.filler()))
        risk_factors(r, section.limit)
    elif item == "4.B":
        r.book.add(Para(r.book.filler()))
        sanctioned_countries(r, section.limit)
    elif item == "5.A":
        r.book.add(Para(r.book.filler()))
        operating_lines(r)
    elif item == "6.E":
        ownership(r, "item6", "share_ownership")
    elif item == "7.A":
        ownership(r, "item7", "major_shareholders")
    elif item == "17":
        r.book.add(Para("We have responded to Item 18 in lieu of responding to this item."))
    elif item == "18":
        r.book.add(Para("The financial statements are included at the end of this annual report."))
    elif item == "19":
        exhibits(r)
    elif not section.top or item in TITLES and not any(p.startswith(item + ".") for p in PARTS):
        r.book.add(Para(r.book.filler()))


def lay_out(data: dict[str, Any], layout: str) -> Rendering:
    """The sheets of a rendering, and its expected description."""
    r = Rendering(layout, data)
    cover(r)
    r.book.new_sheet("ii")
    contents = r.book.sheets[-1]
    r.book.start("body")
    r.book.add(Para("INTRODUCTION", bold=True))
    r.book.add(Para(r.book.filler()))
    skipped = {**(data.get("omitted") or {}), **(data.get("not_applicable") or {})}
    items: list[dict[str, Any]] = []
    toc: list[tuple[Section, str]] = []
    for section in plan(data):
        r.book.reach(section.desire, section.limit)
        r.book.add(Heading(section.item, section.top, section.caption))
        printed = heading_caption(layout, section.caption, section.top)
        items.append(r.put({"item": section.item, "caption": printed}))
        toc.append((section, r.book.page))
        content(r, section, skipped)
    r.book.add(Para("SIGNATURES", bold=True, centered=True))
    r.book.add(Para("The registrant hereby certifies that it meets all of the requirements for filing on Form "
                    "20-F and has duly caused this annual report to be signed on its behalf."))
    statements(r)
    contents.blocks = table_of_contents(layout, toc)
    document = r.expected.setdefault("document", {})
    document["format"] = FORMATS[layout]
    document["pages_numbered"] = layout != "c"
    document["items"] = items
    return r


def table_of_contents(layout: str, toc: list[tuple[Section, str]]) -> list[Block]:
    rows = []
    for section, page in toc:
        if not section.top and layout in ("c", "d"):
            continue
        label = heading_label(layout, section.item, section.top)
        caption = heading_caption(layout, section.caption, section.top)
        if section.top:
            rows.append([label, caption] + ([] if layout == "c" else [page]))
        else:
            rows.append(["", f"{label} {caption}"] + ([] if layout == "c" else [page]))
    header = ["", ""] + ([] if layout == "c" else ["Page"])
    return [Para("TABLE OF CONTENTS", bold=True, centered=True), Grid(header, rows, numeric={2}, toc=True)]


# ---------------------------------------------------------------------------------------------- HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def sentence(lead: str) -> str:
    """A lead sentence as printed before running text: ended by a full stop unless it has its own."""
    return lead if lead.rstrip().endswith((".", "?", "!")) else f"{lead}."


def _box(layout: str, checked: bool) -> str:
    if layout == "a":
        return "[ X ]" if checked else "[&nbsp; ]"
    return "\u2612" if checked else "\u2610"


def html_a(sheets: list[Sheet], title: str) -> str:
    table = ('<TABLE style="BORDER-COLLAPSE: collapse; FONT-SIZE: 10pt" cellSpacing=0 cellPadding=0 '
             'width="100%" border=0>')
    out = [f"<HTML>\n<HEAD>\n<TITLE>{_e(title)}: Form 20-F</TITLE>\n</HEAD>\n<BODY style=\"font-size:10pt;\">"]
    for number, sheet in enumerate(sheets):
        if number:
            out.append('<HR style="page-break-after: always" align=center width="100%" noShade SIZE=2>')
        out.append(f"<A name=page_{number + 1}></A>")
        for block in sheet.blocks:
            if isinstance(block, Heading):
                label = _e(heading_label("a", block.item, block.top))
                if block.top:
                    out.append(f"{table}\n<TR vAlign=top>\n<TD align=left><B>{label}</B></TD>\n"
                               f"<TD align=left width=\"90%\"><B>{_e(block.caption)}</B></TD></TR></TABLE>")
                else:
                    out.append(f"{table}\n<TR>\n<TD vAlign=top width=\"5%\"><B>{label}</B></TD>\n"
                               f"<TD><P align=justify><B>{_e(block.caption)}</B></P></TD></TR></TABLE>")
            elif isinstance(block, Para):
                if block.lead:
                    out.append(f"<P align=justify><B><I><U>{_e(block.lead)}</U></I></B></P>")
                text = _e(block.text)
                if block.big:
                    text = f"<FONT size=5>{text}</FONT>"
                if block.bold:
                    text = f"<B>{text}</B>"
                out.append(f"<P align={'center' if block.centered else 'justify'}>{text}</P>")
            elif isinstance(block, Checks):
                cells = "".join(f"<TD align=left>{_e(label)}&nbsp; {_box('a', checked)}</TD>"
                                for label, checked in block.boxes)
                out.append(f"{table}\n<TR vAlign=top>{cells}</TR></TABLE>")
            else:
                out.append(_grid_a(block, table))
        if sheet.label:
            out.append(f"<P align=center>{_e(sheet.label)}</P>")
    out.append("</BODY>\n</HTML>\n")
    return "\n".join(out)


def _grid_a(grid: Grid, table: str) -> str:
    lines = [table]
    if grid.above:
        lines.append("<TR vAlign=top>" + "".join(f"<TD noWrap align=center><B>{_e(h)}</B></TD>" if h else
                                                 "<TD>&nbsp;</TD>" for h in grid.above) + "</TR>")
    if any(grid.header):
        lines.append("<TR vAlign=top>" + "".join(f"<TD align=center><B><U>{_e(h)}</U></B></TD>" if h else
                                                 "<TD>&nbsp;</TD>" for h in grid.header) + "</TR>")
    for number, row in enumerate(grid.rows):
        mark = f" <SUP>{_e(grid.marks[number])}</SUP>" if number in grid.marks else ""
        lines.append("<TR vAlign=top>" + "".join(
            f"<TD align={'right' if c in grid.numeric else 'left'}>{_e(cell) if cell else '&nbsp;'}"
            f"{mark if c == len(row) - 1 else ''}</TD>" for c, cell in enumerate(row)) + "</TR>")
    lines.append("</TABLE>")
    return "\n".join(lines)


def html_b(sheets: list[Sheet], title: str) -> str:
    return _xhtml(sheets, title, None)


def html_e(sheets: list[Sheet], title: str, data: dict[str, Any]) -> str:
    return _xhtml(sheets, title, Inline(data))


def _xhtml(sheets: list[Sheet], title: str, ix: Inline | None) -> str:
    """Layout "b" (and "e", the same tagged as Inline XBRL when `ix` is given)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<html xmlns="http://www.w3.org/1999/xhtml"{ix.namespaces() if ix else ""}><head>'
           '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>', f"<title>{_e(title)}</title></head>",
           '<body style="font-family:\'Times New Roman\';font-size:10pt">']
    if ix:
        out.append(ix.header())
    for number, sheet in enumerate(sheets):
        if number:
            out.append('<div style="page-break-after:always"><hr style="border:0"/></div>')
        out.append("<div>")
        if sheet.label:
            out.append(f'<div style="text-align:right"><span style="font-size:8pt">Page {_e(sheet.label)}'
                       f"</span></div>")
        for block in sheet.blocks:
            if isinstance(block, Heading):
                label = heading_label("b", block.item, block.top)
                caption = heading_caption("b", block.caption, block.top)
                out.append(f'<p style="font-weight:bold;margin-top:12pt"><span>{_e(label)}</span>'
                           f"<span> {_e(caption)}</span></p>")
            elif isinstance(block, Para):
                style = ";".join(part for part in ("font-weight:bold" if block.bold else "",
                                                   "text-align:center" if block.centered else "text-align:justify",
                                                   "font-size:14pt" if block.big else "") if part)
                if block.lead:  # a risk factor's caption: a bold italic paragraph of its own
                    out.append(f'<p style="font-weight:bold;font-style:italic;text-align:justify">'
                               f"<span>{_e(block.lead)}</span></p>")
                text = ix.text(block.text, block.fact) if ix and block.fact else _e(block.text)
                out.append(f'<p style="{style}"><span>{text}</span></p>')
            elif isinstance(block, Checks):
                cells = []
                for n, (label, checked) in enumerate(block.boxes):
                    box = _box("b", checked)
                    fact = block.facts.get(n)
                    box = ix.text(box, Fact(fact.concept, box, fact.context, format=fact.format)) if ix and fact \
                        else box
                    cells.append(f'<td style="width:25%"><span>{_e(label)}</span><span> {box}</span></td>')
                out.append('<table style="width:100%;border-collapse:collapse"><tr>' + "".join(cells)
                           + "</tr></table>")
            else:
                out.append(_grid_b(block, ix))
        out.append("</div>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _grid_b(grid: Grid, ix: Inline | None) -> str:
    """A Workiva-style table: a spacer column after each column, figures in cells of their own."""
    def row(number: int | None, cells: list[str], bold: bool, mark: str = "") -> str:
        parts = []
        for c, cell in enumerate(cells):
            style = "font-weight:bold;" if bold else ""
            align = "right" if c in grid.numeric and not bold else ("center" if bold else "left")
            tail = f'<span style="vertical-align:super;font-size:6pt"> {_e(mark)}</span>' \
                if mark and c == len(cells) - 1 else ""
            fact = grid.facts.get((number, c)) if number is not None else None
            text = ix.amount(cell, fact) if ix and fact else _e(cell)
            parts.append(f'<td style="{style}text-align:{align};padding:0 2pt"><span>{text}</span>{tail}</td>'
                         f'<td style="width:1%"></td>')
        return "<tr>" + "".join(parts) + "</tr>"
    lines = ['<table style="width:100%;border-collapse:collapse">']
    if any(grid.header):
        lines.append(row(None, grid.header, True))
    lines.extend(row(n, cells, False, grid.marks.get(n, "")) for n, cells in enumerate(grid.rows))
    lines.append("</table>")
    return "\n".join(lines)


FILER_CATEGORIES = {"large_accelerated_filer": "Large Accelerated Filer", "accelerated_filer": "Accelerated Filer",
                    "non_accelerated_filer": "Non-accelerated Filer"}
ACCOUNTING_STANDARDS = {"US GAAP": "U.S. GAAP", "IFRS": "International Financial Reporting Standards",
                        "other": "Other"}
NAMESPACES = {
    "ix": "http://www.xbrl.org/2013/inlineXBRL", "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
    "xbrli": "http://www.xbrl.org/2003/instance", "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink", "iso4217": "http://www.xbrl.org/2003/iso4217",
    "dei": "http://xbrl.sec.gov/dei/2024", "us-gaap": "http://fasb.org/us-gaap/2024",
    "ifrs-full": "https://xbrl.ifrs.org/taxonomy/2024-03-27/ifrs-full",
}


class Inline:
    """The Inline XBRL of layout "e": the hidden header (contexts of the fiscal year, its end and the year
    before's end; the reporting currency; the cover facts that print nowhere) and the tags on printed text."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.filer = data.get("filer") or {}
        self.end = datetime.date.fromisoformat(str(self.filer["fiscal_year_end"]))

    @staticmethod
    def namespaces() -> str:
        return "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

    def _year_before(self, day: datetime.date) -> datetime.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    def header(self) -> str:
        cik = str(self.filer.get("cik") or "0000000000").zfill(10)
        entity = f'<xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">{cik}</xbrli:identifier></xbrli:entity>'
        start = self._year_before(self.end) + datetime.timedelta(days=1)
        contexts = [
            ("duration", f"<xbrli:startDate>{start.isoformat()}</xbrli:startDate><xbrli:endDate>{self.end.isoformat()}"
                         "</xbrli:endDate>"),
            ("instant", f"<xbrli:instant>{self.end.isoformat()}</xbrli:instant>"),
            ("prior", f"<xbrli:instant>{self._year_before(self.end).isoformat()}</xbrli:instant>"),
        ]
        hidden = []
        if self.filer.get("cik"):
            hidden.append(("dei:EntityCentralIndexKey", cik))
        if self.filer.get("filer_status") in FILER_CATEGORIES:
            hidden.append(("dei:EntityFilerCategory", FILER_CATEGORIES[self.filer["filer_status"]]))
        if self.filer.get("basis_of_accounting") in ACCOUNTING_STANDARDS:
            hidden.append(("dei:DocumentAccountingStandard", ACCOUNTING_STANDARDS[self.filer["basis_of_accounting"]]))
        hidden.append(("dei:AmendmentFlag", "true" if str(self.filer.get("form", "")).endswith("/A") else "false"))
        currency = str(self.filer.get("reporting_currency") or "USD")
        return "\n".join([
            '<div style="display:none"><ix:header><ix:hidden>',
            *(f'<ix:nonNumeric name="{name}" contextRef="c-duration">{_e(value)}</ix:nonNumeric>'
              for name, value in hidden),
            '</ix:hidden><ix:references><link:schemaRef xlink:type="simple" xlink:href="filing.xsd"/></ix:references>',
            "<ix:resources>",
            *(f'<xbrli:context id="c-{name}">{entity}<xbrli:period>{period}</xbrli:period></xbrli:context>'
              for name, period in contexts),
            f'<xbrli:unit id="u-currency"><xbrli:measure>iso4217:{_e(currency)}</xbrli:measure></xbrli:unit>',
            "</ix:resources></ix:header></div>"])

    def text(self, text: str, fact: Fact) -> str:
        """`text` escaped, its `fact.part` (all of it when empty) tagged as a nonNumeric fact."""
        part = fact.part or text
        at = text.find(part)
        if at < 0:
            return _e(text)
        form = f' format="{fact.format}"' if fact.format else ""
        tagged = (f'<ix:nonNumeric name="{fact.concept}" contextRef="c-{fact.context}"{form}>{_e(part)}'
                  "</ix:nonNumeric>")
        return _e(text[:at]) + tagged + _e(text[at + len(part):])

    def amount(self, text: str, fact: Fact) -> str:
        """A printed amount tagged as a nonFraction fact: "(1,234)" is negative, its parentheses left outside."""
        negative = text.startswith("(") and text.endswith(")")
        digits = text.strip("()")
        sign = ' sign="-"' if negative else ""
        tagged = (f'<ix:nonFraction name="{fact.concept}" contextRef="c-{fact.context}" unitRef="u-currency" '
                  f'decimals="{-fact.scale}" scale="{fact.scale}" format="{fact.format or "ixt:num-dot-decimal"}"'
                  f"{sign}>{_e(digits)}</ix:nonFraction>")
        return f"({tagged})" if negative else tagged


def html_c(sheets: list[Sheet], title: str) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{_e(title)}</title></head>",
           "<body>"]
    for sheet in sheets:
        for block in sheet.blocks:
            if isinstance(block, Heading):
                tag = "h2" if block.top else "h3"
                out.append(f"<{tag}>{_e(heading_label('c', block.item, block.top))} {_e(block.caption)}</{tag}>")
            elif isinstance(block, Para):
                text = _e(block.text)
                if block.big:
                    out.append(f"<h1>{text}</h1>")
                    continue
                if block.bold:
                    text = f"<strong>{text}</strong>"
                lead = f"<strong>{_e(sentence(block.lead))}</strong> " if block.lead else ""
                centred = ' style="text-align:center"' if block.centered else ""
                out.append(f"<p{centred}>{lead}{text}</p>")
            elif isinstance(block, Checks):
                out.append("<p>" + " ".join(f"{_e(label)} {_box('c', checked)}" for label, checked in block.boxes)
                           + "</p>")
            else:
                head = "".join(f"<th>{_e(h)}</th>" for h in block.header)
                body = "".join("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells[:-1])
                               + f"<td>{_e(cells[-1])}" + (f" <sup>{_e(block.marks[n])}</sup>" if n in block.marks
                                                          else "") + "</td></tr>"
                               for n, cells in enumerate(block.rows))
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- Word


def docx_d(sheets: list[Sheet], title: str) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = docx.Document()
    document.core_properties.title = title
    fixed = datetime.datetime(2020, 1, 1)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.last_modified_by = "render.py"
    for number, sheet in enumerate(sheets):
        for block in sheet.blocks:
            if isinstance(block, Heading):
                document.add_heading(f"{heading_label('d', block.item, block.top)} {block.caption}",
                                     level=1 if block.top else 2)
            elif isinstance(block, Para):
                paragraph = document.add_paragraph()
                if block.lead:
                    paragraph.add_run(sentence(block.lead) + " ").bold = True
                run = paragraph.add_run(block.text)
                run.bold = block.bold
                if block.centered:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif isinstance(block, Checks):
                document.add_paragraph("    ".join(f"{label} {_box('d', checked)}" for label, checked in block.boxes))
            else:
                rows = ([block.header] if any(block.header) else []) + block.rows
                table = document.add_table(rows=len(rows), cols=len(block.header))
                table.style = "Table Grid"
                offset = 1 if any(block.header) else 0
                for r, cells in enumerate(rows):
                    for c, cell in enumerate(cells):
                        table.cell(r, c).text = cell
                        if r < offset:
                            for run in table.cell(r, c).paragraphs[0].runs:
                                run.bold = True
                    if r - offset in block.marks:
                        table.cell(r, len(cells) - 1).paragraphs[0].add_run(" ")
                        table.cell(r, len(cells) - 1).paragraphs[0].add_run(block.marks[r - offset]).font.superscript \
                            = True
        last = document.add_paragraph(sheet.label or "")
        last.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if number < len(sheets) - 1:
            last.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(raw: bytes) -> bytes:
    """The same archive with every entry dated alike: the bytes depend on the description alone."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- entry points


WRITERS: dict[str, Callable[[list[Sheet], str], str]] = {"a": html_a, "b": html_b, "c": html_c}


def render(data: dict[str, Any], layout: str = "a") -> tuple[bytes, dict[str, Any]]:
    """The document (bytes of .htm/.html/.docx, by `SUFFIXES[layout]`) and the expected description."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    r = lay_out(data, style_of(layout))
    title = str((data.get("filer") or {}).get("name", "Form 20-F"))
    if layout == "d":
        raw = docx_d(r.book.sheets, title)
    elif layout == "e":
        raw = html_e(r.book.sheets, title, data).encode("utf-8")
        r.expected["document"]["format"] = FORMATS["e"]
        if (data.get("filer") or {}).get("cik"):  # tagged in the hidden cover facts
            r.expected["filer"]["cik"] = data["filer"]["cik"]
    else:
        raw = WRITERS[layout](r.book.sheets, title).encode("utf-8")
    return raw, r.expected


def load(path: str | Path) -> dict[str, Any]:
    """A description as the loader reads it (dates as ISO text)."""
    from precomment.sources.load import load_bytes

    data: dict[str, Any] = load_bytes(Path(path).read_bytes(), str(path)).data
    return data


def bundled() -> Iterator[Path]:
    yield from sorted((Path(__file__).resolve().parents[1] / "filings").glob("*.yaml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render a filing description as a Form 20-F document.")
    parser.add_argument("filing", help="a description, e.g. filings/lanternfish-fy2024-20f.yaml")
    parser.add_argument("--layout", choices=LAYOUTS, default="a")
    parser.add_argument("-o", "--output", help="where to write the document (default: stdout for HTML)")
    parser.add_argument("--expected", help="also write the expected description (YAML) here")
    args = parser.parse_args(argv)
    raw, expected = render(load(args.filing), args.layout)
    if args.output:
        Path(args.output).write_bytes(raw)
    elif args.layout == "d":
        parser.error("a .docx needs -o FILE")
    else:
        sys.stdout.buffer.write(raw)
    if args.expected:
        import yaml

        Path(args.expected).write_text(yaml.safe_dump(expected, sort_keys=False, allow_unicode=True),
                                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
