"""The Form's items as the document heads them: where each item and lettered sub-item begins and ends, the
page it begins on, which items the Form requires that have no heading, and whether the pages are numbered.

Headings come in many dresses: "Item 3. Key Information", "ITEM 3 - KEY INFORMATION", "Item 16.A." and
"Item 16A.", "D. Risk Factors" under Item 3, a heading set in a one-row table ("Item 2." | "Offer Statistics"),
bold or not. What they share is a short block that begins with the designation and goes on with a capitalised
caption; that is what is looked for. A cross-reference ("see Item 5 of this report") does not begin a block, or
goes on in lower case, and is not taken.

The table of contents lists the same items with page numbers. Its entries are skipped (a multi-row table, or
a line that ends in a page number), and it is read on the side to check the pages found: a heading whose page
differs from the contents' says so in its note.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..documents.model import Block, FilingDocument
from ..validation.formitems import ADDED_LATER, TITLES, item_key
from .values import Context, Found, NotFound, Provenance, Value, page_value

PAGE_SECTIONS = ("3", "4A", "11", "13", "14", "15", "19")
"""Items whose section in the description has a `page` (the schema's `itemN.page`)."""

LAST_LETTER = {"3": "D", "4": "D", "5": "G", "6": "F", "7": "C", "8": "B", "9": "F", "10": "J", "12": "D"}
"""The items with lettered sub-items and their last letter, generous enough for the Form's older versions
(Item 5.F and 5.G before 2020): a letter past it is not a sub-item heading but something else."""

MIN_HEADINGS_FOR_MISSING = 10
"""Missing items are listed only for a document that heads at least this many items: one that heads three
has not been read as a sequence of items at all, and a list of twenty missing items would be noise."""

MIN_UNNUMBERED_SHEETS = 5
"""Body sheets printing no number needed to say the pages are not numbered (fewer may be the reader's miss)."""

MIN_BODY_SHEETS = 3
"""Fewer body sheets than this (a document without page breaks) cannot tell numbered pages from unnumbered."""

MAX_HEADING_CHARS = 200
MAX_CAPTION_CHARS = 150

_ITEM = re.compile(r"^\s*item\s*(\d{1,2})(?:(\.?)\s?([A-K])(?![A-Za-z]))?\s*[.:\-\u2013\u2014]*\s*(.*)$", re.I)
_SUB = re.compile(r"^\s*([A-K])\s?[.)]\s*(\S.*)$")
_NUMBERED_SUB = re.compile(r"^\s*(\d{1,2})\s?\.\s?([A-K])(?![A-Za-z])\s?[.)]?\s*(\S.*)$")
_TOC_TAIL = re.compile(r"(?:\.{2,}|\s)\s*(?:\d{1,4}|[A-Z]-\s?\d{1,4})\s*$")
_PRINTED_PAGE = re.compile(r"^\s*(?:page\s+)?[-\u2013\u2014]?\s*(?:[A-Z]{1,2}\s?-\s?\d{1,4}|\d{1,4}|[ivxlc]{1,7})\s*"
                           r"[-\u2013\u2014]?\s*(?:of\s+\S+)?\s*$", re.I)
_SIGNATURES = re.compile(r"^\s*signatures?\s*$", re.I)


@dataclass(frozen=True)
class Heading:
    item: str  # "3", "3.D", "4A", "16G"
    caption: str
    block: int




def heading_text(block: Block) -> str | None:
    """The text of a block that could be a heading: a short paragraph, or a table with one row of text (its
    cells joined, each merged cell once); None for anything longer."""
    if block.kind == "table":
        if block.table is None:
            return None
        rows = [row for row in block.table.rows if any(cell.text.strip() for cell in row)]
        if len(rows) != 1:
            return None
        text = " ".join(cell.text.strip() for cell in rows[0] if cell.text.strip() and not cell.spanned)
    else:
        text = block.text.strip()
    return text if 0 < len(text) <= MAX_HEADING_CHARS else None


def _clean_caption(caption: str, item: str) -> str:
    """The caption without what repeats the designation ("Item 16.B. Code of Ethics", "H. Mine Safety") and
    without closing punctuation."""
    caption = caption.strip()
    caption = re.sub(r"^item\s*\d{1,2}\.?\s?[A-K]?(?![A-Za-z])\.?\s*", "", caption, flags=re.I)
    letter = item[-1] if item[-1].isalpha() else None
    if letter:
        caption = re.sub(rf"^{letter}\s?[.)]\s+", "", caption)
    caption = caption.strip()
    if not caption.lower().endswith("etc."):
        caption = caption.rstrip(".:;").strip()
    return caption


def _designation(number: str, dot: str, letter: str | None, caption: str) -> tuple[str, bool] | None:
    """(designation, is a top-level item) for "Item <number><dot><letter>", or None for what is not an item."""
    n = str(int(number))
    if letter is None:
        return (n, True) if n in TITLES or n == "16" else None
    letter = letter.upper()
    if n == "16":
        return (f"16{letter}", True) if f"16{letter}" in TITLES else None
    if n == "4" and letter == "A" and ("unresolved" in caption.lower() or (not dot and "history" not in caption.lower())):
        return "4A", True
    if n in LAST_LETTER and letter <= LAST_LETTER[n]:
        return f"{n}.{letter}", False
    return None


def _is_toc_line(caption: str) -> bool:
    return bool(_TOC_TAIL.search(caption)) and not caption.strip().isdigit()


def _caption_ok(caption: str) -> bool:
    return 0 < len(caption) <= MAX_CAPTION_CHARS and (caption[0].isupper() or caption[0] in "[(\"'\u201c")


def _next_caption(document: FilingDocument, index: int) -> str:
    """The caption of a heading printed alone ("Item 3."), taken from the next short block."""
    if index + 1 < len(document.blocks):
        text = heading_text(document.blocks[index + 1])
        if text and _caption_ok(text) and not _ITEM.match(text):
            return text
    return ""


def _candidates(document: FilingDocument) -> list[tuple[Heading, bool, str | None]]:
    """Every block that reads as an item heading: (heading, top-level, the item a "3.D"-style sub-item names),
    and the lettered headings without "Item" ("D. Risk Factors"), whose item is decided by where they are."""
    found: list[tuple[Heading, bool, str | None]] = []
    for block in document.blocks:
        text = heading_text(block)
        if text is None:
            continue
        match = _ITEM.match(text)
        if match:
            number, dot, letter, rest = match.groups()
            caption = rest.strip()
            if not caption:
                caption = _next_caption(document, block.index)
            if caption and (_is_toc_line(caption) or not _caption_ok(caption)):
                continue
            designation = _designation(number, dot, letter, caption)
            if designation is None:
                continue
            item, top = designation
            found.append((Heading(item, _clean_caption(caption, item), block.index), top, None))
            continue
        numbered = _NUMBERED_SUB.match(text)
        if numbered and _caption_ok(numbered.group(3)) and not _is_toc_line(numbered.group(3)):
            item = f"{int(numbered.group(1))}.{numbered.group(2)}"
            found.append((Heading(item, _clean_caption(numbered.group(3), item), block.index), False, item))
            continue
        lettered = _SUB.match(text)
        if lettered and _caption_ok(lettered.group(2)) and not _is_toc_line(lettered.group(2)):
            letter = lettered.group(1)
            found.append((Heading(letter, _clean_caption(lettered.group(2), letter), block.index), False, None))
    return found


def _ordered(tops: list[Heading]) -> list[Heading]:
    """The longest run of top-level headings in the Form's order, preferring later ones: the body's headings
    rather than a contents list that repeats them, and never a stray out-of-order line."""
    keys = [item_key(heading.item) for heading in tops]
    count = len(tops)
    longest = [1] * count
    for i in range(count - 1, -1, -1):
        for j in range(i + 1, count):
            if keys[j] > keys[i] and longest[j] + 1 > longest[i]:
                longest[i] = longest[j] + 1
    if not tops:
        return []
    best = max(longest)
    i = max(index for index in range(count) if longest[index] == best)
    chosen = [tops[i]]
    while longest[i] > 1:
        i = max(j for j in range(i + 1, count) if keys[j] > keys[i] and longest[j] == longest[i] - 1)
        chosen.append(tops[i])
    return chosen


def find_headings(document: FilingDocument) -> list[Heading]:
    """The item and sub-item headings of the body, in document order."""
    candidates = _candidates(document)
    tops: list[Heading] = []
    for heading, is_top, _ in candidates:  # a heading repeated with nothing between (a running head): the first
        if is_top and not (tops and tops[-1].item == heading.item):
            tops.append(heading)
    tops = _ordered(tops)
    starts = [heading.block for heading in tops] + [len(document.blocks)]
    result: list[Heading] = list(tops)
    for position, top in enumerate(tops):
        last = ""
        for heading, is_top, named in candidates:
            if is_top or not starts[position] < heading.block < starts[position + 1]:
                continue
            if top.item not in LAST_LETTER:
                continue
            letter = heading.item[-1]
            if named is not None and named.split(".")[0] != top.item:
                continue
            if "." in heading.item and heading.item.split(".")[0] != top.item:
                continue
            if letter <= last or letter > LAST_LETTER[top.item]:
                continue
            last = letter
            result.append(Heading(f"{top.item}.{letter}", heading.caption, heading.block))
    return sorted(result, key=lambda heading: heading.block)


def _end_of_last(document: FilingDocument, start: int) -> int:
    """Where the last item's section ends: at the signatures, else at the end of the document."""
    for block in document.blocks[start + 1:]:
        if block.kind == "text" and _SIGNATURES.match(block.text):
            return block.index
    return len(document.blocks)


def sections_of(document: FilingDocument, headings: list[Heading]) -> dict[str, tuple[int, int]]:
    tops = [heading for heading in headings if "." not in heading.item]
    ranges: dict[str, tuple[int, int]] = {}
    for position, top in enumerate(tops):
        end = tops[position + 1].block if position + 1 < len(tops) else _end_of_last(document, top.block)
        ranges[top.item] = (top.block, end)
        subs = [heading for heading in headings if heading.item.startswith(top.item + ".")]
        for index, sub in enumerate(subs):
            ranges[sub.item] = (sub.block, subs[index + 1].block if index + 1 < len(subs) else end)
    return ranges


def find_sections(document: FilingDocument) -> dict[str, tuple[int, int]]:
    """Form item -> [first, end) block range of its section (heading included): a sub-item's ends at the next
    sub-item or item heading, an item's at the next item heading (the last one's at the signatures)."""
    return sections_of(document, find_headings(document))


def contents_pages(document: FilingDocument) -> dict[str, str]:
    """Item -> page as the table of contents prints it (tables with three or more item rows), to check against."""
    pages: dict[str, str] = {}
    for block in document.blocks:
        if block.kind != "table" or block.table is None or len(re.findall(r"(?im)^\s*item\s*\d", block.text)) < 3:
            continue
        current = ""
        for row in block.table.texts():
            cells = [cell.strip() for cell in row if cell.strip()]
            if len(cells) < 2:
                continue
            page = cells[-1]
            match = _ITEM.match(cells[0])
            if match:
                number, dot, letter, _rest = match.groups()
                designation = _designation(number, dot, letter, " ".join(cells[1:]))
                if designation:
                    current = designation[0] if designation[1] else current
                    pages.setdefault(designation[0], page)
                continue
            sub = re.match(r"^([A-K])\.?$", cells[0])
            if sub and current in LAST_LETTER:
                pages.setdefault(f"{current}.{sub.group(1)}", page)
    return pages


def _toc_sheets(document: FilingDocument) -> set[int]:
    return {block.sheet for block in document.blocks
            if block.kind == "table" and len(re.findall(r"(?im)^\s*item\s*\d", block.text)) >= 3}


def _prints_number(document: FilingDocument, sheet_index: int) -> bool:
    """Whether a sheet prints a page number: the reader found one, or one of its first or last two short
    paragraphs is one ("12", "- 12 -", "F-3", "Page F-3 of F-26": forms the reader may not take)."""
    sheet = document.sheets[sheet_index]
    if sheet.printed is not None:
        return True
    blocks = document.blocks[sheet.first_block:sheet.end_block]
    edge = blocks[:2] + blocks[-2:]
    return any(block.kind == "text" and len(block.text) <= 30 and _PRINTED_PAGE.match(block.text) for block in edge)


def pages_numbered(document: FilingDocument, headings: list[Heading]) -> Found:
    """Whether every body sheet prints a page number.

    The body is every sheet after the table of contents (or, without one, from the first item heading on);
    the cover and contents are left out, as they often print none or roman numbers. A sheet counts as
    numbered when the reader found its number or when a short paragraph at its top or bottom is one. True when
    every body sheet is numbered; False only when at least MIN_UNNUMBERED_SHEETS print none (a sheet or two
    without a number is more likely a number printed in a way not recognised than an unnumbered document);
    nothing when in between, or when the document has fewer than MIN_BODY_SHEETS body sheets to judge by. A
    whole report (MIN_HEADINGS_FOR_MISSING item headings or more) with no page break at all is one unnumbered
    page: False."""
    pointer = "/document/pages_numbered"
    toc = _toc_sheets(document)
    if headings:  # a cross-reference index after the body lists items too: only a list before the body counts
        toc = {sheet for sheet in toc if sheet < document.blocks[headings[0].block].sheet}
    if toc:
        first = max(toc) + 1
    elif headings:
        first = document.blocks[headings[0].block].sheet
    else:
        first = 1
    body = [sheet.number for sheet in document.sheets if sheet.number >= max(first, 1)]
    if len(document.sheets) == 1 and len(headings) >= MIN_HEADINGS_FOR_MISSING and document.sheets[0].printed is None:
        # one long page: no page break anywhere in a whole report (its item headings found), nor a number
        return Value(pointer, False, "read", None, "the document has no page breaks and prints no page numbers: "
                     "it is one unnumbered page")
    if len(body) < MIN_BODY_SHEETS:
        return NotFound(pointer, "enough page breaks to tell whether every page prints a number")
    unnumbered = [number for number in body if not _prints_number(document, number)]
    if not unnumbered:
        return Value(pointer, True, "read", None, f"all {len(body)} body sheets print a page number")
    if len(unnumbered) >= MIN_UNNUMBERED_SHEETS:
        return Value(pointer, False, "read", None,
                     f"{len(unnumbered)} of {len(body)} body sheets print no page number "
                     f"(sheets {unnumbered[0] + 1} to {unnumbered[-1] + 1}, counted from 1)")
    return NotFound(pointer, f"a page number on every body sheet ({len(unnumbered)} print none, too few to "
                             "say the document is unnumbered)")


def _iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def required_items(fiscal_year_end: str | None, filing_date: str | None) -> list[str]:
    """The top-level items the Form requires of a report for that year and filing date: every item, less those
    added later (ADDED_LATER) whose start the report's dates do not reach, or whose dates are not known."""
    year_end = _iso(fiscal_year_end)
    filed = _iso(filing_date)
    items = [item for item in TITLES if item != "18"]
    required = []
    for item in items:
        if item in ADDED_LATER:
            start, basis, _source = ADDED_LATER[item]
            since = date.fromisoformat(start)
            if basis == "filing_date":
                when = filed
            elif basis == "fiscal_year_start":
                when = _year_start(year_end)
            else:
                when = year_end
            if when is None or when < since:
                continue
        required.append(item)
    return sorted(required, key=item_key)


def _year_start(year_end: date | None) -> date | None:
    if year_end is None:
        return None
    try:
        return year_end.replace(year=year_end.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return year_end.replace(year=year_end.year - 1, day=28) + timedelta(days=1)


def missing_items(headings: list[Heading], fiscal_year_end: str | None, filing_date: str | None) -> Iterator[Found]:
    """The required items with no heading; Item 17 and Item 18 are one requirement (a filer gives either)."""
    found = {heading.item for heading in headings}
    tops = {item for item in found if "." not in item}
    if len(tops) < MIN_HEADINGS_FOR_MISSING:
        yield NotFound("/document/missing_items",
                       f"at least {MIN_HEADINGS_FOR_MISSING} item headings, to tell which items are missing "
                       f"({len(tops)} found)")
        return
    if "18" in tops:
        tops.add("17")
    missing = [item for item in required_items(fiscal_year_end, filing_date) if item not in tops]
    dates = f"fiscal year ended {fiscal_year_end or 'unknown'}, filed {filing_date or 'unknown'}"
    if not missing:
        yield Value("/document/missing_items", [], "read", None,
                    f"every item the Form requires ({dates}) has a heading")
        return
    for index, item in enumerate(missing):
        note = f"no heading for Item {item} among {len(tops)} item headings ({dates})"
        if item == "17":
            item, note = "18", note + "; Item 17 or Item 18 would do"
        yield Value(f"/document/missing_items/{index}/item", item, "read", None, note)
        caption = TITLES[item]
        yield Value(f"/document/missing_items/{index}/caption", caption, "read", None, note)


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    headings = find_headings(document)
    toc = contents_pages(document)
    for index, heading in enumerate(headings):
        block = document.blocks[heading.block]
        where = Provenance.of(block)
        page = page_value(block.page)
        note = ""
        printed = toc.get(heading.item)
        if printed is not None and block.page is not None and printed != block.page:
            note = f"the table of contents gives page {printed}; the heading is on page {block.page}"
        yield Value(f"/document/items/{index}/item", heading.item, "read", where, note)
        yield Value(f"/document/items/{index}/caption", heading.caption, "read", where)
        if page is not None:
            yield Value(f"/document/items/{index}/page", page, "read", where, note)
    if not headings:
        yield NotFound("/document/items", "Form item headings (\"Item 3. Key Information\")")
    yield pages_numbered(document, headings)
    fiscal_year_end, filing_date = _dates(document, context)
    yield from missing_items(headings, fiscal_year_end, filing_date)
    by_item = {heading.item: heading for heading in headings}
    for item in PAGE_SECTIONS:
        section = by_item.get(item)
        if section is None:
            continue
        block = document.blocks[section.block]
        page = page_value(block.page)
        if page is not None:
            yield Value(f"/item{item}/page", page, "read", Provenance.of(block))


def _dates(document: FilingDocument, context: Context) -> tuple[str | None, str | None]:
    """The report's fiscal year end and filing date: from the context when the cover was read before, else read
    from the cover here (the sections run first)."""
    from . import cover

    year_end = context.fiscal_year_end or cover.fiscal_year_end(document)
    filed = context.filing_date or cover.filing_date(document)
    return year_end, filed
