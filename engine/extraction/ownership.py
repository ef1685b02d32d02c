"""Items 6.E and 7.A: the share ownership of directors and officers, and the major shareholders, read from
their tables.

A table is read by its headers, never by column position: each column's header (all header rows joined, a
merged header cell counted over every column it covers) says whether it holds names, shares, percentages,
positions, options or something to leave alone (warrants, dates, a country). A holder table needs a name
column and a shares or percent column; a table whose label column is a country or a place (shareholders by
residency) is not one. Cell values are read as printed: footnote marks stripped ("1,234(2)"), "Nil" or a dash
read as 0 only where the table prints it (and said so in the note), "less than 1%" or a "*" the notes explain
as less than 1% read as `less_than_one_percent`. The date, class and shares outstanding come from the
section's own text around the table, never from the cover page. Positions and roles: from the table's
position column, else from the Item 6.A list of names and positions (a draft), else from a heading row within
the table ("Directors"); the role is always a draft. One table may serve both items (one section refers to
the other): its heading rows tell directors from 5% holders. Item 7.A's sentences are read too: that no one
holds 5% (holders: []), that voting rights do not differ, the U.S. record holders, that no one controls.

The sections come from `context.items`; when the sections extractor has not found them, the headings are
looked for here ("E. Share Ownership", "Item 7.A Major Shareholders"), past the table of contents.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..documents.model import Block, Cell, FilingDocument, Table
from .values import Context, Found, NotFound, Provenance, Value

SHARE_OWNERSHIP = "/item6/share_ownership"
MAJOR_SHAREHOLDERS = "/item7/major_shareholders"

_SEP = r"\s*[-\u2013\u2014:.]?\s*"
HEADINGS: dict[str, tuple[re.Pattern[str], ...]] = {
    "6.E": (re.compile(rf"^(?:(?:item\s*)?6\.?\s*)?(?:e\.?)?{_SEP}share\s+ownership\.?$", re.I),),
    "7.A": (re.compile(rf"^(?:(?:item\s*)?7\.?\s*)?(?:a\.?)?{_SEP}major\s+shareholders\.?$", re.I),
            re.compile(rf"^item\s*7\.?{_SEP}major\s+shareholders\s+and\s+related\s+party\s+transactions\.?$", re.I)),
}
"""A section's heading, whole (a heading is a short block of its own; a sentence naming it is not one)."""

ANY_HEADING = re.compile(r"^(?:item\s*\d{1,2}[a-z]?\b\.?|\d{1,2}\.\s?[a-h]\b\.?|[a-h]\.)\s*\S", re.I)
"""Any Form item or lettered sub-item heading: where a section found by its heading ends."""

MAX_SECTION_BLOCKS = 120

FOOTNOTE_MARKS = re.compile(
    r"(?:\s*(?:\(\s*(?:\d{1,2}|[a-z])\s*\)|\[\s*\d{1,2}\s*\]|\*+|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\u2020+|\u2021+))+$")
"""Footnote marks at the end of a cell: "(1)", "(a)", "[2]", "*", superscript digits, daggers (an upper-case
"(BVI)" is part of a name)."""
NIL = re.compile(r"^(?:nil|none|-+|\u2013|\u2014|\u2012)$", re.I)
INTEGER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$")
PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?|\.\d+)\s*(?:%|per\s*cent|percent)?$", re.I)
LESS_THAN_ONE = re.compile(r"^(?:less\s+than|<)\s*(?:1|one|0?\.\d+)\s*(?:%|per\s*cent|percent)?$", re.I)
STAR_NOTE = re.compile(r"\*+\s*[:\-\u2013\u2014]?\s*(?:\w+\s+){0,5}?less\s+than\s+(?:1|one)\s*(?:%|per\s*cent|percent)", re.I)

MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}
DATE = re.compile(r"\b(?:as\s+(?:of|at)|at|on|dated)\s+(?:([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
                  r"|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+),?\s+(\d{4}))", re.I)
SHARE_CLASS = re.compile(r"\b((?:class\s+[a-z]\s+)?(?:common|ordinary|subordinate\s+voting|multiple\s+voting|"
                         r"restricted\s+voting|preferred|preference)\s+(?:shares|stock))\b", re.I)
OUTSTANDING = re.compile(
    r"\b(\d{1,3}(?:,\d{3}){2,})\s+(?:[a-z]+\s+){0,3}?(?:shares|stock)(?:\s+of\s+(?:the\s+)?[A-Z][\w.]*)?"
    r"\s+(?:(?:that\s+)?(?:were|are|was)\s+)?(?:issued\s+and\s+)?outstanding\b"
    r"|\boutstanding\s+(?:[a-z]+\s+){0,2}?(?:shares|stock)\s+(?:of|was|were|is|totall?ing)\s+(\d{1,3}(?:,\d{3}){2,})\b", re.I)
"""A number of shares outstanding as a sentence states it: "based on 151,284,589 common shares outstanding",
"the outstanding shares were 20,000,000"."""
SAME_VOTING_RIGHTS = re.compile(r"\b(?:none|no|not)\b[^.]{0,200}\bvoting\s+rights\b[^.]{0,120}\bdiffer"
                                r"|\b(?:none|no|not)\b[^.]{0,200}\bdiffer\w*\s+voting\s+rights|\bsame\s+voting\s+rights", re.I)
NOT_CONTROLLED = re.compile(r"\bnot\b[^.]{0,60}\b(?:owned\s+or\s+)?controlled\b|\bno\s+(?:person|one|shareholder)\b"
                            r"[^.]{0,60}\bcontrols?\b", re.I)
WITHIN_60_DAYS = re.compile(r"within\s+(?:60|sixty)\s+days", re.I)
US_RECORD = re.compile(r"\b(\d[\d,]*)\s+(?:registered\s+)?(?:(?:share)?holders\s+of\s+record|record\s+(?:share)?holders)\b"
                       r"((?:[^.]|\.(?=\d)){0,200})", re.I)
"""A number of record holders and the rest of its sentence (where the United States and their portion are)."""
UNITED_STATES = re.compile(r"United\s+States|\bU\.\s?S\.", re.I)
NO_MAJOR_HOLDER = re.compile(
    r"\b(?:no\s+(?:person|one|shareholder|entity|individual|other\s+person)s?|not\s+aware\s+of\s+any|there\s+(?:is|are)\s+no)"
    r"\b[^.]{0,200}?\b(?:5|five)\s*(?:%|per\s*cent|percent)", re.I)
SENTENCE = re.compile(r"[^.;]+(?:\.(?!\d)|;|$)")
GROUP_ROW = re.compile(r"\bas\s+a\s+group\b|^total\b|^all\s+(?:directors|officers)", re.I)

DIRECTOR_GROUP = re.compile(r"director|officer|management|executive", re.I)
MAJOR_GROUP = re.compile(r"principal|major|significant|5\s*%|five\s+per|other\s+shareholders|^shareholders", re.I)
"""Heading rows within a table shared by Items 6.E and 7.A: "Directors and Executive Officers", "Principal
Shareholders"."""

GEOGRAPHY = re.compile(r"countr|residen|jurisdiction|location|region|geograph|domicile|province|state\b", re.I)
RECORD_HOLDERS = re.compile(r"holders\s+of\s+record|record\s+holders|number\s+of\s+(?:share)?holders", re.I)

COLUMN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("exercise_price", re.compile(r"exercise\s+price|strike|\bprice\b", re.I)),
    ("expiration", re.compile(r"expir", re.I)),
    ("voting", re.compile(r"voting\s+(?:power|rights)|\bvotes\b", re.I)),
    ("percent", re.compile(r"%|percent|per\s+cent", re.I)),
    ("rights", re.compile(r"within\s+(?:60|sixty)\s+days|acquirable|right\s+to\s+acquire|\brights\b", re.I)),
    ("options", re.compile(r"option|issuable|underlying|upon\s+exercise", re.I)),
    ("warrants", re.compile(r"warrant", re.I)),
    ("class", re.compile(r"title\s+of\s+class|^class$", re.I)),
    ("position", re.compile(r"position|title|office|role|capacity|relationship", re.I)),
    ("other", re.compile(r"\bsince\b|\bage\b|\bdate\b|\bterm\b", re.I)),
    ("name", re.compile(r"\bname\b", re.I)),
    ("shares", re.compile(r"number|amount|shares|ordinary|common|owned|held|beneficial|stock", re.I)),
    ("name", re.compile(r"holder|owner|director|officer|person|identity", re.I)),
)
"""A column's kind by its header, first match wins: the more specific words first ("Percentage of Common
Shares" is a percent column, "Options to acquire shares" an options column, "Shares acquirable within 60
days" a rights column, none of them a shares column)."""


@dataclass
class Columns:
    """Which columns hold what, by header kind (a merged header makes several columns of one kind)."""

    headers: list[str]
    kinds: dict[str, list[int]] = field(default_factory=dict)
    name_with_position: bool = False  # one "Name and Position" column: "Ann Lee, Chief Executive Officer"

    def of(self, kind: str) -> list[int]:
        return self.kinds.get(kind, [])


@dataclass
class Holder:
    name: str
    block: Block  # the table it is in (a table continued past a page break is a second block)
    row: int
    shares: int | None = None
    shares_nil: bool = False
    percent: Decimal | None = None
    percent_nil: bool = False
    less_than_one: bool = False
    position: str | None = None
    group: str | None = None  # a heading row above it in the table ("Directors", "Executive Officers")
    options: int | None = None
    options_nil: bool = False
    exercise_price: Decimal | None = None
    rights: int | None = None
    voting: Decimal | None = None
    cells: dict[str, int] = field(default_factory=dict)  # field -> column it was read from


@dataclass
class HolderTable:
    block: Block
    columns: Columns
    holders: list[Holder]
    header_rows: int


@dataclass
class Reading:
    """A section as read: its blocks, its holder table (if any), the text before the table and its notes."""

    item: str
    blocks: list[Block]
    table: HolderTable | None
    intro: list[Block]
    notes: list[Block]

    def refers_to(self, pattern: str) -> bool:
        return any(re.search(pattern, block.text, re.I) for block in self.blocks[1:] if block.kind == "text")


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    six, seven = _reading(document, context, "6.E"), _reading(document, context, "7.A")
    yield from _share_ownership(document, six, seven)
    yield from _major_shareholders(seven, six)


def _reading(document: FilingDocument, context: Context, item: str) -> Reading | None:
    blocks = section_blocks(document, context, item)
    if not blocks:
        return None
    table, intro, notes = _find_table(blocks)
    return Reading(item, blocks, table, intro, notes)


def directors_of(table: HolderTable) -> list[Holder] | None:
    """A combined table's directors and officers: the rows under a "Directors and Officers" heading row
    (None when the table has no such heading rows: then it cannot tell)."""
    if not any(holder.group and _is_director_group(holder.group) for holder in table.holders):
        return None
    return [holder for holder in table.holders if holder.group and _is_director_group(holder.group)]


def majors_of(table: HolderTable) -> list[Holder]:
    """A combined table's 5% holders: all its rows, unless heading rows set directors apart; then the rows
    under the other headings, and any director who holds 5% or more."""
    if not any(holder.group and _is_director_group(holder.group) for holder in table.holders):
        return table.holders
    return _once([holder for holder in table.holders
                  if not (holder.group and _is_director_group(holder.group))
                  or (holder.percent is not None and holder.percent >= 5)])


def _once(holders: list[Holder]) -> list[Holder]:
    """Each name once (a director listed again among the principal shareholders), at its first row: the
    description keys holders by name."""
    seen: set[str] = set()
    kept = []
    for holder in holders:
        if _name_key(holder.name) not in seen:
            seen.add(_name_key(holder.name))
            kept.append(holder)
    return kept


def _is_director_group(group: str) -> bool:
    return bool(DIRECTOR_GROUP.search(group)) and not MAJOR_GROUP.search(group)


# --- sections -------------------------------------------------------------------------------------------------

def section_blocks(document: FilingDocument, context: Context, item: str) -> list[Block]:
    """The section's blocks: from the sections extractor when it found the item, else by its heading here."""
    if item in context.items:
        return context.item_blocks(document, item)
    found = find_section(document, item)
    return document.blocks[found[0]:found[1]] if found else []


def find_section(document: FilingDocument, item: str) -> tuple[int, int] | None:
    """[start, end) of the item's section found by its heading: the first heading that has a body (entries of
    a table of contents are either in one large table, end with a page number, or follow one another)."""
    for pattern in HEADINGS[item]:  # the sub-item's own heading first, the item's ("Item 7. Major ...") after
        for block in document.blocks:
            text = _heading_text(block)
            if text is None or not pattern.match(text):
                continue
            end = _section_end(document, block.index)
            if end > block.index + 1 and _has_body(document.blocks[block.index + 1:min(end, block.index + 4)]):
                return block.index, end
    return None


def _has_body(following: list[Block]) -> bool:
    """A section's first blocks hold a sentence or a table of several rows; a contents entry's hold more
    entries (short lines, no full stop)."""
    return any((block.kind == "text" and (len(block.text) > 100 or (len(block.text) > 30 and block.text.endswith("."))))
               or (block.kind == "table" and block.table is not None and len(block.table.rows) > 1)
               for block in following)


def _heading_text(block: Block) -> str | None:
    """The block's text if it can be a heading: a short paragraph, or a one-row table of a few cells (EDGAR
    sets "E. | Share Ownership" as a table); never a paragraph ending with a page number (a contents line)."""
    if block.kind == "table":
        if block.table is None or len(block.table.rows) != 1 or len(block.table.rows[0]) > 3:
            return None
        text = " ".join(cell.text for cell in block.table.rows[0] if cell.text and not cell.spanned)
    else:
        text = block.text
    text = re.sub(r"\s+", " ", text).strip()
    if not text or len(text) > 120 or re.search(r"(?:\.{3,}|\s)\d{1,3}$", text):
        return None
    return text


def _section_end(document: FilingDocument, start: int) -> int:
    for index in range(start + 1, min(len(document.blocks), start + MAX_SECTION_BLOCKS)):
        text = _heading_text(document.blocks[index])
        if text is not None and ANY_HEADING.match(text) and _is_heading_like(document.blocks[index], text):
            return index
    return min(len(document.blocks), start + MAX_SECTION_BLOCKS)


def _is_heading_like(block: Block, text: str) -> bool:
    """An item heading rather than a short line that happens to start "A." (a name, an enumerated clause)."""
    if block.kind == "table" or block.style.bold or block.style.heading_level or text.lower().startswith("item"):
        return True
    words = [word for word in re.findall(r"[A-Za-z]+", text) if len(word) > 3]
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(text) <= 80 and not text.endswith(".") and bool(words) and capitalised * 2 >= len(words)


# --- tables ----------------------------------------------------------------------------------------------------

def read_holder_table(block: Block) -> HolderTable | None:
    """The holders of an ownership table, columns mapped by header; None when the table is not one."""
    table = block.table
    if table is None:
        return None
    header_rows = _header_row_count(table)
    if header_rows == 0:
        return None
    columns = map_columns(table, header_rows)
    if not columns.of("name") or not (columns.of("shares") or columns.of("percent")):
        return None
    if _is_residency(table, header_rows, columns):
        return None
    holders = _holders(block, header_rows, columns)
    if not holders:
        return None
    return HolderTable(block, columns, holders, header_rows)


def _header_row_count(table: Table) -> int:
    """Rows above the first row of data: a row labelled by text with a figure (or nil) in another cell (or a
    name on a row of its own, its figures on the next); heading rows of the body ("Directors") are not header."""
    for index, row in enumerate(table.rows):
        first = _first_data_row(table, index, row)
        if first is not None:
            while first > 1 and _label_only(table.rows[first - 1]):
                first -= 1
            return first
    return 0


def _first_data_row(table: Table, index: int, row: tuple[Cell, ...]) -> int | None:
    texts = [cell.text for cell in row]
    label = next((text for text in texts if text), "")
    if not texts[0] and index > 1 and _is_value(label) and _label_only(table.rows[index - 1]):
        return index - 1
    if not label or _is_value(label):
        return None
    return index if any(_is_value(text) for text in texts[texts.index(label) + 1:]) else None


def _label_only(row: tuple[Cell, ...]) -> bool:
    return bool(row[0].text) and not any(cell.text for cell in row[1:])


def _is_value(text: str) -> bool:
    stripped = strip_marks(text)
    return bool(INTEGER.match(stripped.replace("$", "").strip()) or PERCENT.match(stripped) or NIL.match(stripped)
                or LESS_THAN_ONE.match(stripped) or text.strip() == "*")


def map_columns(table: Table, header_rows: int) -> Columns:
    """Each column's kind by its header: the texts of all header rows above it, a merged cell's text once."""
    width = len(table.rows[0]) if table.rows else 0
    headers: list[str] = []
    for column in range(width):
        parts: list[str] = []
        for row in table.rows[:header_rows]:
            text = row[column].text
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        headers.append(" ".join(parts))
    columns = Columns(headers)
    for column, header in enumerate(headers):
        kind = column_kind(header)
        if kind:
            columns.kinds.setdefault(kind, []).append(column)
    named = [column for column in columns.of("position") if re.search(r"\bname\b", headers[column], re.I)]
    if not columns.of("name") and named:
        columns.kinds["name"] = named[:1]
        columns.kinds["position"] = [column for column in columns.of("position") if column != named[0]]
        columns.name_with_position = True
    if not columns.of("name"):
        label = _label_column(table, header_rows)
        if label is not None and not headers[label]:
            columns.kinds["name"] = [label]
    if len(columns.of("name")) > 1:  # the first names the holder; a later "director" column is a position
        columns.kinds["name"] = columns.of("name")[:1]
    return columns


def column_kind(header: str) -> str | None:
    for kind, pattern in COLUMN_KINDS:
        if pattern.search(header):
            return kind
    return None


def _label_column(table: Table, header_rows: int) -> int | None:
    for column in range(len(table.rows[0])):
        texts = [row[column].text for row in table.rows[header_rows:] if row[column].text]
        if texts and not any(_is_value(text) for text in texts):
            return column
    return None


def _is_residency(table: Table, header_rows: int, columns: Columns) -> bool:
    """A table of holdings by country or of holders of record, whatever its other columns."""
    name_header = columns.headers[columns.of("name")[0]]
    if GEOGRAPHY.search(name_header) or any(RECORD_HOLDERS.search(header) for header in columns.headers):
        return True
    labels = [row[columns.of("name")[0]].text for row in table.rows[header_rows:]]
    places = sum(1 for label in labels if re.match(r"^(?:united states|u\.s\.|canada|other|total|europe|asia|"
                                                   r"united kingdom|rest of)", label, re.I))
    return bool(labels) and places * 2 > len(labels)


def _holders(block: Block, header_rows: int, columns: Columns) -> list[Holder]:
    assert block.table is not None
    table = block.table
    name_column = columns.of("name")[0]
    holders: list[Holder] = []
    group: str | None = None
    pending: str | None = None  # a name on a row of its own, its figures on the next row
    for index, row in enumerate(table.rows[header_rows:], start=header_rows):
        label = row[name_column].text
        name = clean_name(label)
        values = [row[c] for c in range(len(row)) if c != name_column and row[c].text
                  and not (row[c].spanned and row[c].text == label)]
        if name and not re.search(r"[A-Za-z]{2}", name):
            name = ""  # a figure in the name column: not a holder's row
        if not name and values and pending:
            name, pending = pending, None
        elif not name:
            continue
        elif not values:
            if role_of(name) or re.search(r"directors|officers|management|executives|shareholders", name, re.I):
                group, pending = name, None  # a heading row within the table ("Directors")
            else:
                pending = name
            continue
        if GROUP_ROW.search(name):
            continue
        pending = None
        holder = Holder(name, block, index, group=group, cells={"name": name_column})
        if columns.name_with_position and re.search(r",\s", name):
            holder.name, holder.position = (part.strip() for part in name.split(",", 1))
            holder.cells["position"] = name_column
        _read_row(holder, row, columns, label)
        holders.append(holder)
    return holders


def _read_row(holder: Holder, row: tuple[Cell, ...], columns: Columns, label: str) -> None:
    cells = [(column, cell.text, cell.spanned) for column, cell in enumerate(row)]

    def texts(kind: str) -> Iterator[tuple[int, str]]:
        for column, text, spanned in cells:
            if column in columns.of(kind) and text and not (spanned and text == label):
                yield column, text

    for column, text in texts("shares"):
        shares, nil = parse_shares(text)
        if shares is not None:
            holder.shares, holder.shares_nil, holder.cells["shares"] = shares, nil, column
            break
    for column, text in texts("percent"):
        percent, nil, less = parse_percent(text)
        if percent is not None or less:
            holder.percent, holder.percent_nil, holder.less_than_one = percent, nil, less
            holder.cells["percent"] = column
            break
    for column, text in texts("position"):
        holder.position, holder.cells["position"] = text, column
        break
    for column, text in texts("options"):
        options, nil = parse_shares(text)
        if options is not None:
            holder.options, holder.options_nil, holder.cells["options"] = options, nil, column
            break
    for _column, text in texts("exercise_price"):
        price = _decimal(strip_marks(text).replace("$", "").strip())
        if price is not None:
            holder.exercise_price = price
            break
    for column, text in texts("voting"):
        voting, _nil, _less = parse_percent(text)
        if voting is not None:
            holder.voting, holder.cells["voting"] = voting, column
            break
    for column, text in texts("rights"):
        rights, _nil = parse_shares(text)
        if rights is not None:
            holder.rights, holder.cells["rights"] = rights, column
            break


def strip_marks(text: str) -> str:
    """The text without footnote marks at its end: "(1)", "(2)(3)", "*", "[4]", superscript digits, daggers."""
    return FOOTNOTE_MARKS.sub("", text.strip()).strip()


def clean_name(text: str) -> str:
    """A name as printed, without footnote marks: also superscript digits after it ("Ann Lee1,2", "Ann Lee 1":
    the reader puts a space between a cell's runs of text)."""
    name = re.sub(r"(?<=[A-Za-z.)])\s?\d{1,2}(?:,\s?\d{1,2})*$", "", strip_marks(text))
    return re.sub(r"\s+", " ", strip_marks(name)).strip(" ,;:")


def parse_shares(text: str) -> tuple[int | None, bool]:
    """A number of shares as printed, and whether it was printed as nil ("Nil", "-"): (0, True) then."""
    stripped = strip_marks(text)
    if NIL.match(stripped):
        return 0, True
    cleaned = re.sub(r"\s*(?:shares|common|ordinary)\b.*$", "", stripped, flags=re.I).strip()
    cleaned = re.sub(r"^(\d{1,3}(?:,\d{3})+)\s+\d{1,2}(?:,\s?\d{1,2})*$", r"\1", cleaned)  # a superscript mark
    found = INTEGER.match(cleaned)
    return (int(found.group(1).replace(",", "")), False) if found else (None, False)


def parse_percent(text: str) -> tuple[Decimal | None, bool, bool]:
    """(percent, printed as nil, printed as less than 1%); a bare "*" is read by the caller from its note."""
    stripped = strip_marks(text)
    if LESS_THAN_ONE.match(stripped):
        return None, False, True
    if NIL.match(stripped):
        return Decimal(0), True, False
    found = PERCENT.match(stripped)
    return (_decimal(found.group(1)), False, False) if found else (None, False, False)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


# --- around the table -------------------------------------------------------------------------------------------

def _find_table(blocks: list[Block]) -> tuple[HolderTable | None, list[Block], list[Block]]:
    """The section's first holder table, the text before it (its introduction) and the notes after it."""
    for position, block in enumerate(blocks):
        if block.kind != "table":
            continue
        table = read_holder_table(block)
        if table is None:
            continue
        intro = [b for b in blocks[1:position] if b.kind == "text"]
        notes: list[Block] = []
        for after in blocks[position + 1:position + 6]:
            if after.kind == "text" and (after.style.bold or after.style.underline) and len(after.text) < 100:
                break  # a sub-heading: what follows is no longer about the table
            notes.append(after)
        _append_continuation(table, blocks[position + 1:position + 4])
        return table, intro, notes
    return None, [b for b in blocks[1:] if b.kind == "text"], []


def _append_continuation(table: HolderTable, following: list[Block]) -> None:
    """A table broken by a page: the next table (past a page number), either as wide with no header of its own,
    or with its header repeated (columns of the same kinds)."""
    for block in following:
        if block.kind == "text" and re.fullmatch(r"[\divxlc\-F]+", block.text.strip(), re.I):
            continue
        if block.kind != "table" or block.table is None or not block.table.rows:
            return
        header_rows = _header_row_count(block.table)
        if header_rows == 0 and len(block.table.rows[0]) == len(table.columns.headers):
            columns = table.columns
        elif header_rows > 0 and sorted(map_columns(block.table, header_rows).kinds) == sorted(table.columns.kinds):
            columns = map_columns(block.table, header_rows)
        else:
            return
        table.holders.extend(_holders(block, header_rows, columns))
        return


def _header_blocks(table: HolderTable | None) -> list[Block]:
    """The table's block when its header gives a date ("Shares owned as of March 31, 2016"); a date in its body
    is a holder's, not the table's."""
    if table is None or table.block.table is None:
        return []
    header = " ".join(cell.text for row in table.block.table.rows[:table.header_rows] for cell in row)
    return [table.block] if DATE.search(header) else []


def _first_date(blocks: list[Block]) -> tuple[str, Block, re.Match[str]] | None:
    for block in blocks:
        for found in DATE.finditer(block.text):
            iso = _iso(found)
            if iso:
                return iso, block, found
    return None


def _iso(found: re.Match[str]) -> str | None:
    if found.group(1):
        month, day, year = found.group(1), found.group(2), found.group(3)
    else:
        day, month, year = found.group(4), found.group(5), found.group(6)
    number = MONTHS.get(month.lower())
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def _page(block: Block) -> int | str | None:
    """A page for the description: "12" -> 12, "F-12" as is; a roman or missing page -> None."""
    if block.page is None:
        return None
    if block.page.isdigit() and int(block.page) > 0:
        return int(block.page)
    if re.fullmatch(r"[A-Z]{1,2}-\d{1,4}", block.page):
        return block.page
    return None


def _cell_span(block: Block, row: int, column: int) -> tuple[int, int]:
    """[start, end) of a cell's text in its table block's text (rows by newline, cells by tab)."""
    assert block.table is not None
    offset = sum(len("\t".join(cell.text for cell in r)) + 1 for r in block.table.rows[:row])
    offset += sum(len(cell.text) + 1 for cell in block.table.rows[row][:column])
    return offset, offset + len(block.table.rows[row][column].text)


def _cell(table: HolderTable, holder: Holder, kind: str) -> Provenance:
    column = holder.cells.get(kind, holder.cells["name"])
    start, end = _cell_span(holder.block, holder.row, column)
    return Provenance.of(holder.block, start, end)


# --- values ----------------------------------------------------------------------------------------------------

def _common(base: str, item: str, blocks: list[Block], table: HolderTable | None, intro: list[Block],
            notes: list[Block]) -> Iterator[Found]:
    """The section's page, date, class and shares outstanding: each from the section's own text."""
    heading = blocks[0]
    page_block = table.block if table else heading
    page = _page(page_block)
    if page is not None:
        yield Value(f"{base}/page", page, "read", Provenance.of(page_block))
    header_text = [table.block] if table else []
    dated = _first_date(intro) or _first_date(_header_blocks(table)) or _first_date(notes)
    if dated:
        iso, block, found = dated
        yield Value(f"{base}/as_of", iso, "read", Provenance.of(block, found.start(), found.end()))
    else:
        yield NotFound(f"{base}/as_of", f"the date of the Item {item} table (\"as of March 31, 20..\")")
    share_class = _first_match(SHARE_CLASS, intro + header_text)
    if share_class:
        block, found = share_class
        yield Value(f"{base}/class", re.sub(r"\s+", " ", found.group(1).lower()), "read",
                    Provenance.of(block, found.start(1), found.end(1)))
    else:
        yield NotFound(f"{base}/class", f"the class of shares the Item {item} table counts")
    outstanding = _first_match(OUTSTANDING, intro + notes)
    if outstanding:
        block, found = outstanding
        group = 1 if found.group(1) else 2
        yield Value(f"{base}/shares_outstanding", int(found.group(group).replace(",", "")), "read",
                    Provenance.of(block, found.start(group), found.end(group)))
    else:
        yield NotFound(f"{base}/shares_outstanding",
                       f"the shares outstanding stated in Item {item} or its table's notes (the cover's are not used)")
    rights = _first_match(WITHIN_60_DAYS, intro + notes)
    if rights:
        block, found = rights
        yield Value(f"{base}/includes_rights_within_60_days", True, "draft", Provenance.of(block, found.start(), found.end()),
                    note="the section mentions shares acquirable within 60 days; confirm they are counted in the table")


def _first_match(pattern: re.Pattern[str], blocks: list[Block]) -> tuple[Block, re.Match[str]] | None:
    for block in blocks:
        found = pattern.search(block.text)
        if found:
            return block, found
    return None


def _star_means_less_than_one(blocks: list[Block]) -> bool:
    return any(STAR_NOTE.search(block.text) for block in blocks)


def _holder_values(base: str, table: HolderTable, holder: Holder, index: int, star_note: bool,
                   borrowed: str = "") -> Iterator[Found]:
    at = f"{base}/holders/{index}"
    yield Value(f"{at}/name", holder.name, "read", _cell(table, holder, "name"), borrowed)
    if holder.shares is not None:
        note = "the table prints nil: read as 0 shares" if holder.shares_nil else ""
        yield Value(f"{at}/shares", holder.shares, "read", _cell(table, holder, "shares"), note)
    else:
        yield NotFound(f"{at}/shares", f"{holder.name}'s shares in the table's shares column")
    if holder.less_than_one:
        yield Value(f"{at}/less_than_one_percent", True, "read", _cell(table, holder, "percent"))
    elif holder.percent is not None:
        note = "the table prints nil: read as 0%" if holder.percent_nil else ""
        yield Value(f"{at}/percent_of_class", float(holder.percent), "read", _cell(table, holder, "percent"), note)
    elif star_note and (column := _star_cell(table, holder)) is not None:
        start, end = _cell_span(holder.block, holder.row, column)
        yield Value(f"{at}/less_than_one_percent", True, "read", Provenance.of(holder.block, start, end),
                    note="printed \"*\", which the table's note explains as less than 1%")
    else:
        yield NotFound(f"{at}/percent_of_class", f"{holder.name}'s percentage in the table's percent column")
    page = _page(holder.block)
    if page is not None:
        yield Value(f"{at}/page", page, "read", Provenance.of(holder.block))
    if holder.rights is not None:
        yield Value(f"{at}/rights_within_60_days", holder.rights, "read", _cell(table, holder, "rights"))


def _star_cell(table: HolderTable, holder: Holder) -> int | None:
    row = holder.block.table.rows[holder.row] if holder.block.table else ()
    for column in table.columns.of("percent"):
        if column < len(row) and row[column].text.strip() == "*":
            return column
    return None


# --- Item 6.E ---------------------------------------------------------------------------------------------------

def _share_ownership(document: FilingDocument, six: Reading | None, seven: Reading | None) -> Iterator[Found]:
    if six is None:
        yield NotFound(SHARE_OWNERSHIP, "an Item 6.E \"Share Ownership\" heading")
        return
    source, borrowed = six, ""
    if six.table is None and seven is not None and seven.table is not None and six.refers_to(r"item\s*7|major\s+shareholders"):
        source, borrowed = seven, "the Item 6.E section refers to the table in Item 7.A"
    table = source.table
    yield from _common(SHARE_OWNERSHIP, "6.E", six.blocks, table, source.intro, source.notes)
    positions = _positions_elsewhere(document, six.blocks[0].index)
    holders = _six_e_holders(table, positions, bool(borrowed)) if table else []
    if table is None or not holders:
        yield NotFound(f"{SHARE_OWNERSHIP}/holders", "a table of directors' and officers' shares (name and shares columns)")
        return
    star_note = _star_means_less_than_one([table.block] + source.notes + source.intro)
    for index, holder in enumerate(holders):
        yield from _holder_values(SHARE_OWNERSHIP, table, holder, index, star_note, borrowed)
        yield from _position_and_role(table, holder, index, positions)
        if holder.options is not None and (holder.options_nil or holder.options == 0):
            yield Value(f"{SHARE_OWNERSHIP}/holders/{index}/options", [], "read", _cell(table, holder, "options"),
                        note="the table's options column prints none for this holder")
        elif holder.options is not None:
            at = f"{SHARE_OWNERSHIP}/holders/{index}/options/0"
            yield Value(f"{at}/amount", holder.options, "read", _cell(table, holder, "options"),
                        note="the table's options column: not counted as shares")
            if holder.exercise_price is not None:
                yield Value(f"{at}/exercise_price", float(holder.exercise_price), "read", _cell(table, holder, "options"))


def _six_e_holders(table: HolderTable, positions: dict[str, tuple[str, Block]], borrowed: bool) -> list[Holder]:
    """Item 6.E's holders: its own table's rows (less any "Principal Shareholders" rows); from the Item 7.A
    table it refers to, the rows under a directors' heading, or else the names Item 6.A lists."""
    directors = directors_of(table)
    if directors is not None:
        return _once(directors)
    if borrowed:
        return [holder for holder in table.holders if _name_key(holder.name) in positions]
    return _once(table.holders)


def _position_and_role(table: HolderTable, holder: Holder, index: int,
                       positions: dict[str, tuple[str, Block]]) -> Iterator[Found]:
    at = f"{SHARE_OWNERSHIP}/holders/{index}"
    if holder.position:
        provenance = _cell(table, holder, "position")
        yield Value(f"{at}/position", holder.position, "read", provenance)
        source, where = holder.position, "its position in the table"
    elif _name_key(holder.name) in positions:
        position, block = positions[_name_key(holder.name)]
        provenance = Provenance.of(block)
        yield Value(f"{at}/position", position, "draft", provenance,
                    note=f"the Item 6.E table prints no position: taken from the table on page {block.page}, by name")
        source, where = position, f"the position printed for this name on page {block.page}"
    elif holder.group and not (re.search(r"director", holder.group, re.I)
                               and re.search(r"officer|management|executive", holder.group, re.I)):
        provenance = _cell(table, holder, "name")
        source, where = holder.group, f"the table's heading row {holder.group!r}"
    else:
        yield NotFound(f"{at}/role", f"{holder.name}'s position (in the table or the Item 6.A list)")
        return
    role = role_of(source)
    if role:
        yield Value(f"{at}/role", role, "draft", provenance, note=f"role inferred from {where}: confirm")
    else:
        yield NotFound(f"{at}/role", f"a role in {holder.name}'s position {source!r}")


def role_of(position: str) -> str | None:
    """The schema's role for a printed position: a director of any kind first (a CEO who sits on the board
    is a director), then an auditor, then any officer or manager."""
    text = position.lower()
    outside = re.search(r"independent|non-executive|outside|non-employee|external", text)
    if ("director" in text and "managing director" not in text) or re.search(r"\bchair", text):
        return "outside_director" if outside else "director"
    if "auditor" in text or "statutory" in text:
        return "outside_corporate_auditor" if outside else "corporate_auditor"
    if re.search(r"officer|chief|president|\bceo\b|\bcfo\b|\bcoo\b|\bcto\b|vice|secretary|treasurer|counsel|"
                 r"manag|controller|head\b|executive|\bvp\b|geologist|engineer", text):
        return "senior_management"
    return None


def _positions_elsewhere(document: FilingDocument, before: int) -> dict[str, tuple[str, Block]]:
    """Name -> (position, table) from the tables before Item 6.E that list names with positions (Item 6.A)."""
    found: dict[str, tuple[str, Block]] = {}
    for block in document.blocks[:before]:
        if block.kind != "table" or block.table is None or len(block.table.rows) < 2:
            continue
        header_rows = _header_row_count_by_text(block.table)
        if header_rows == 0:
            continue
        columns = map_columns(block.table, header_rows)
        if not columns.of("name") or not columns.of("position"):
            continue
        name_column, position_column = columns.of("name")[0], columns.of("position")[0]
        for row in block.table.rows[header_rows:]:
            name, position = clean_name(row[name_column].text), row[position_column].text.strip()
            if name and position:
                found.setdefault(_name_key(name), (position, block))
    return found


def _header_row_count_by_text(table: Table) -> int:
    """Header rows of a table of text (names and positions): those down to the one naming a "Name" column."""
    for index, row in enumerate(table.rows[:4]):
        if any(re.search(r"\bname\b", cell.text, re.I) for cell in row):
            return index + 1
    return 0


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


# --- Item 7.A ---------------------------------------------------------------------------------------------------

def _major_shareholders(seven: Reading | None, six: Reading | None) -> Iterator[Found]:
    if seven is None:
        yield NotFound(MAJOR_SHAREHOLDERS, "an Item 7.A \"Major Shareholders\" heading")
        return
    blocks = seven.blocks
    source, borrowed = seven, ""
    if seven.table is None and six is not None and six.table is not None and seven.refers_to(r"item\s*6|share\s+ownership"):
        source, borrowed = six, "the Item 7.A section refers to the table in Item 6.E"
    table = source.table
    yield from _common(MAJOR_SHAREHOLDERS, "7.A", blocks, table, source.intro, source.notes)
    holders = majors_of(table) if table else []
    if borrowed and table:
        holders = [holder for holder in holders if holder.percent is not None and holder.percent >= 5] \
            if directors_of(table) is None else holders
    if table is not None and holders:
        star_note = _star_means_less_than_one([table.block] + source.notes + source.intro)
        same_voting = _sentence(blocks, SAME_VOTING_RIGHTS)
        for index, holder in enumerate(holders):
            yield from _holder_values(MAJOR_SHAREHOLDERS, table, holder, index, star_note, borrowed)
            at = f"{MAJOR_SHAREHOLDERS}/holders/{index}"
            if holder.voting is not None:
                yield Value(f"{at}/voting_percent", float(holder.voting), "read", _cell(table, holder, "voting"))
            if same_voting:
                block, start, end = same_voting
                yield Value(f"{at}/voting_rights_differ", False, "read", Provenance.of(block, start, end),
                            note="the section states that the holders' voting rights do not differ")
    else:
        statement = _no_major_holder(blocks)
        if statement:
            block, start, end = statement
            yield Value(f"{MAJOR_SHAREHOLDERS}/holders", [], "read", Provenance.of(block, start, end),
                        note="the section states that no one holds 5% or more")
        else:
            yield NotFound(f"{MAJOR_SHAREHOLDERS}/holders",
                           "a table of 5% holders, or a statement that there is none")
    yield from _us_holders(blocks)
    control = _sentence(blocks, NOT_CONTROLLED)
    if control:
        block, start, end = control
        yield Value(f"{MAJOR_SHAREHOLDERS}/controlling_person", "none", "read", Provenance.of(block, start, end),
                    note="the section states that no one owns or controls the company")


def _no_major_holder(blocks: list[Block]) -> tuple[Block, int, int] | None:
    """The sentence saying no one (known) holds 5% or more: its block and span."""
    return _sentence(blocks, NO_MAJOR_HOLDER)


def _sentence(blocks: list[Block], pattern: re.Pattern[str]) -> tuple[Block, int, int] | None:
    """The first sentence of the section's text that `pattern` finds, unless it makes an exception ("other
    than", "except"): its block and span."""
    for block in blocks:
        if block.kind != "text":
            continue
        for sentence in SENTENCE.finditer(block.text):
            text = sentence.group(0)
            if pattern.search(text) and not re.search(r"other\s+than|except", text, re.I):
                start = sentence.start() + len(text) - len(text.lstrip())
                return block, start, sentence.end()
    return None


def _us_holders(blocks: list[Block]) -> Iterator[Found]:
    """Item 7.A.2: the number of record holders in the United States and the portion they hold, as stated."""
    for block in blocks:
        if block.kind != "text":
            continue
        for found in US_RECORD.finditer(block.text):
            before = block.text[max(0, found.start() - 120):found.start()]
            if not UNITED_STATES.search(found.group(2)) and not UNITED_STATES.search(before.split(". ")[-1]):
                continue
            yield Value(f"{MAJOR_SHAREHOLDERS}/us_record_holders", int(found.group(1).replace(",", "")), "read",
                        Provenance.of(block, found.start(1), found.end(1)))
            portion = re.search(r"(\d{1,3}(?:\.\d+)?)\s*%", found.group(2))
            if portion:
                start = found.start(2) + portion.start(1)
                yield Value(f"{MAJOR_SHAREHOLDERS}/us_portion_percent", float(Decimal(portion.group(1))), "read",
                            Provenance.of(block, start, start + len(portion.group(1))))
                yield Value(f"{MAJOR_SHAREHOLDERS}/us_holdings_disclosed", True, "read",
                            Provenance.of(block, found.start(), found.end()),
                            note="Item 7.A states the number of U.S. record holders and the portion they hold")
            return
