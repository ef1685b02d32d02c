"""EDGAR HTML and Inline XBRL (XHTML) documents to the document model.

Parsed by lxml (libxml2), never fetching anything: no network, no DTD, no external or internal entity
expansion, libxml2's own size guards kept (`huge_tree` off). The tree is then walked without recursion, so
deep nesting costs a counter, not the stack; past MAX_DEPTH it is refused.

Blocks: each element of a block kind (paragraph, div, heading, list item, ...) that holds text of its own
becomes one block, in document order, styled as its first text is set (so a paragraph that opens with a bold
run-in caption reads bold); a table becomes one table block, its cells' text read whole (inline elements
joined, a line break a space; a table inside a cell is read as that cell's text). Tables are read as
printed: the `$`, `)` and `%` EDGAR sets in cells of their own are joined to their numbers (`$1,234`,
`(5)`, `12.5%`) and the spacer columns this empties, or that only a colspan covers, are dropped. A short
table takes the style of its first text, as many headings are laid out as one-row tables.

Sheets: a page break is an element styled `page-break-before` or `page-break-after: always` (or
`break-before/after: page`), as EDGAR's HTML and Inline XBRL mark them. The printed page number of a sheet
is the short number-like text at its foot (else at its head): "12", "- 12 -", "Page 12", "F-3", "ii",
"Page F-1 of F-26".

Text: C1 control characters (U+0080-U+009F, from `&#147;` in XHTML) are read as the Windows-1252
characters they stand for; read.decode_html decides how HTML bytes are decoded.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from .model import NIL_TEXTS, Block, Cell, FilingDocument, Sheet, Style, Table, numeric_value

MAX_DEPTH = 200
"""Deepest element nesting accepted; real filings nest a few dozen deep. (libxml2's HTML parser silently stops
nesting at 255 levels and its XML parser refuses past 256, so the limit must stay below both to be told.)"""

MAX_TABLE_CELLS = 100_000
"""Most cells one table may expand to (rows times columns, after colspan and rowspan): a financial statement
has a few thousand; past this a table is hostile or broken, and refused before it costs memory."""

FONT_SIZES = {1: 7.5, 2: 10.0, 3: 12.0, 4: 13.5, 5: 18.0, 6: 24.0, 7: 36.0}
"""`<font size=N>` in points, as browsers render it (x-small .. xxx-large): EDGAR HTML sets headings so."""

_C1 = {code: bytes([code]).decode("cp1252", errors="replace") for code in range(0x80, 0xA0)}
C1_TO_CP1252 = str.maketrans({chr(code): (text if text != "\ufffd" else chr(code)) for code, text in _C1.items()})
"""C1 control characters as Windows-1252 reads their bytes (U+0093 -> left quote): `&#147;` in XHTML, or a
Windows-1252 byte a tool took for Latin-1, means the character a browser shows, never a control."""

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "center", "address",
    "body", "section", "article", "header", "footer", "ul", "ol", "dl", "form", "hr", "caption"})
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "meta", "link", "object", "embed", "iframe",
                          "noscript", "template", "svg", "math"})
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
_BREAK_BEFORE = re.compile(r"(?:page-)?break-before\s*:\s*(?:always|page)", re.I)
_BREAK_AFTER = re.compile(r"(?:page-)?break-after\s*:\s*(?:always|page)", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*italic", re.I)
_UNDERLINE = re.compile(r"text-decoration[^;]*underline", re.I)
_CENTER = re.compile(r"text-align\s*:\s*center", re.I)
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(pt|px)", re.I)
_FONT_SIZE_ATTRIBUTE = re.compile(r"^\s*([+-]?)\s*([1-7])\s*$")
_SPACE = re.compile(r"\s+")
PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013\u2014]?\s*((?:[A-Z]{1,2}\s?-\s?)?\d{1,3}|[ivxlc]{1,7})\s*[-\u2013\u2014]?"
    r"(?:\s+of\s+(?:[A-Z]{1,2}\s?-\s?)?\d{1,3})?$", re.I)
"""A printed page number alone in a block: `12`, `- 12 -`, `Page 12`, `F-3`, `ii`, `Page F-1 of F-26`. At most
three digits: a year alone at a sheet's foot (`2015`) is no page number."""


_C1_RANGE = re.compile("[\u0080-\u009f]")


def collapse(text: str) -> str:
    if _C1_RANGE.search(text):
        text = text.translate(C1_TO_CP1252)
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


PLAIN = Style()


@dataclass
class _Run:
    """The block being gathered: its text pieces, the line it began on, its style."""

    parts: list[str] = field(default_factory=list)
    line: int = 0
    style: Style = Style()
    has_text: bool = False  # some piece is not whitespace


@dataclass
class _Walk:
    blocks: list[Block] = field(default_factory=list)
    sheet: int = 0
    sheet_starts: list[int] = field(default_factory=lambda: [0])
    run: _Run = field(default_factory=_Run)

    def flush(self) -> None:
        text = collapse("".join(self.run.parts))
        if text:
            self.blocks.append(Block(len(self.blocks), "text", text, self.sheet, None, self.run.line, self.run.style))
        self.run = _Run()

    def add_table(self, table: Table, line: int, style: Style = PLAIN) -> None:
        self.flush()
        if table.rows:
            text = "\n".join("\t".join(cell.text for cell in row) for row in table.rows)
            self.blocks.append(Block(len(self.blocks), "table", text, self.sheet, None, line, style, table))

    def page_break(self) -> None:
        self.flush()
        if len(self.blocks) > self.sheet_starts[-1]:  # never an empty sheet
            self.sheet += 1
            self.sheet_starts.append(len(self.blocks))


class DepthError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _line(element: etree._Element) -> int:
    line = getattr(element, "sourceline", None)  # (lxml-stubs mistype it)
    return line if isinstance(line, int) else 0


def local_name(element: etree._Element) -> str:
    tag: object = element.tag  # a function, for a comment or processing instruction (lxml-stubs say str)
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    return _local(tag)


@lru_cache(maxsize=4096)
def _local(tag: str) -> str:
    """`p`, `{http://www.w3.org/1999/xhtml}p` or `ix:nonFraction` -> its name, lower-cased (called for
    every element: cached, as a document uses few distinct tags)."""
    return (tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag.rsplit(":", 1)[-1]).lower()


_STYLING_TAGS = frozenset({"b", "strong", "th", "i", "em", "u", "center", "font", "h1", "h2", "h3", "h4", "h5", "h6"})


def _style_of(element: etree._Element, inherited: Style, name: str | None = None, css: str | None = None) -> Style:
    """The style an element sets for its text, from the style its parent gives it (`inherited`)."""
    name = local_name(element) if name is None else name
    css = (element.get("style") or "") if css is None else css
    if not css and name not in _STYLING_TAGS and element.get("align") is None:
        return inherited  # nothing here changes the style (most elements)
    bold = inherited.bold or name in ("b", "strong", "th") or bool(_BOLD.search(css))
    italic = inherited.italic or name in ("i", "em") or bool(_ITALIC.search(css))
    underline = inherited.underline or name == "u" or bool(_UNDERLINE.search(css))
    centered = inherited.centered or name == "center" or (element.get("align") or "").lower() == "center" \
        or bool(_CENTER.search(css))
    level = int(name[1]) if len(name) == 2 and name[0] == "h" and name[1] in "123456" else inherited.heading_level
    size = inherited.font_size
    if name == "font" and (attribute := _FONT_SIZE_ATTRIBUTE.match(element.get("size") or "")) is not None:
        sign, number = attribute.groups()
        step = int(number) if not sign else 3 + (int(number) if sign == "+" else -int(number))
        size = FONT_SIZES[max(1, min(step, 7))]
    if (found := _FONT_SIZE.search(css)) is not None:
        size = float(found.group(1)) * (0.75 if found.group(2).lower() == "px" else 1.0)
    if (bold, italic, underline, centered, level, size) == (inherited.bold, inherited.italic, inherited.underline,
                                                            inherited.centered, inherited.heading_level,
                                                            inherited.font_size):
        return inherited
    return Style(bold, italic, underline, centered, level, size)


def _hidden(element: etree._Element) -> bool:
    return bool(_HIDDEN.search(element.get("style") or ""))


def walk(root: etree._Element, source: str, fmt: str) -> FilingDocument:
    """The document model of a parsed tree (see the module's docstring)."""
    state = _Walk()
    # (element, style, entering) on an explicit stack: no recursion however deep the document.
    stack: list[tuple[etree._Element, Style, bool, int]] = [(root, Style(), True, 0)]
    while stack:
        element, style, entering, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DepthError(_line(element))
        name = local_name(element)
        css = element.get("style") or ""
        if not entering:
            if name in BLOCK_TAGS:
                state.flush()
            if css and _BREAK_AFTER.search(css):
                state.page_break()
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        if name in SKIPPED_TAGS or not name or (css and _HIDDEN.search(css)):
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        if css and _BREAK_BEFORE.search(css):
            state.page_break()
        if name == "table":
            table = read_table(element)
            short = len(table.rows) <= HEADING_TABLE_ROWS
            state.add_table(table, _line(element), table_style(element, style) if short else PLAIN)
            if css and _BREAK_AFTER.search(css):
                state.page_break()
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        own = _style_of(element, style, name, css)
        if name in BLOCK_TAGS:
            state.flush()
        elif name == "br":
            state.run.parts.append("\n")
        stack.append((element, own, False, depth))
        for child in reversed(element):
            stack.append((child, own, True, depth + 1))
        if element.text:
            _text(state, element.text, element, own)
    state.flush()
    return FilingDocument(source, fmt, *_paginate(state))  # type: ignore[arg-type]


def _text(state: _Walk, text: str, element: etree._Element, style: Style) -> None:
    """Add a piece of text to the block being gathered; until it has visible text, each piece moves the block's
    line to its own and the first visible piece sets its style. (A flag, not a join of the pieces: a block of
    a million inline pieces costs linear time.)"""
    run = state.run
    if not run.has_text:
        run.line = _line(element) or run.line
        if text.strip():
            run.style = style
            run.has_text = True
    run.parts.append(text)


def _paginate(state: _Walk) -> tuple[list[Block], list[Sheet]]:
    """Give every block its printed page: each sheet's number is the number-like block at its foot or head."""
    ends = state.sheet_starts[1:] + [len(state.blocks)]
    sheets: list[Sheet] = []
    for start, end in zip(state.sheet_starts, ends):
        if start >= end:
            continue
        sheets.append(Sheet(len(sheets), printed_number(state.blocks[start:end]), start, end))
    blocks = list(state.blocks)
    for sheet in sheets:
        for index in range(sheet.first_block, sheet.end_block):
            old = blocks[index]
            blocks[index] = Block(old.index, old.kind, old.text, sheet.number, sheet.printed, old.line, old.style,
                                  old.table)
    return blocks, sheets


RUNNING_FOOTER_CHARACTERS = 80
"""Longest last block read as a running footer, under which the page number may sit."""


def printed_number(blocks: list[Block]) -> str | None:
    """The page number a sheet prints: its last short number-like text block (or the one before it, under
    a short running footer such as `Example Corp. | 2017 Form 20-F`), else its first; a one-row table (a
    footer laid out as `Company name | 12`) is read cell by cell, from the right."""
    candidates = [blocks[-1], blocks[0]] if len(blocks) > 1 else blocks
    if len(blocks) > 2 and len(blocks[-1].text) <= RUNNING_FOOTER_CHARACTERS:
        candidates.insert(1, blocks[-2])
    for block in candidates:
        texts = [block.text] if block.kind == "text" else []
        if block.table is not None and len(block.table.rows) == 1:
            texts = [cell.text for cell in reversed(block.table.rows[0]) if cell.text]
        for text in texts:
            found = PAGE_NUMBER.match(text) if len(text) <= 20 else None
            if found:
                return re.sub(r"\s", "", found.group(1))
    return None


HEADING_TABLE_ROWS = 3
"""A table this short gets a style (EDGAR lays many headings out as a one-row table: `Item 3. | Key Information`)."""


def table_style(table: etree._Element, inherited: Style) -> Style:
    """The style of the table's first text, as a text block's is that of its first text: a heading set as a
    table (`<td><b>Item 3.</b></td>`) reads as a heading."""
    stack = [inherited]
    walker = etree.iterwalk(table, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if local_name(element) in SKIPPED_TAGS or not local_name(element) or _hidden(element):
                walker.skip_subtree()
                stack.append(stack[-1])
                continue
            stack.append(_style_of(element, stack[-1]))
            if element.text and element.text.strip():
                return stack[-1]
        else:
            stack.pop()
            if element is not table and element.tail and element.tail.strip():
                return stack[-1]
    return inherited


class TableTooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class GridSlot(NamedTuple):
    """One grid position while a table is read: the cell there and the source cell (`group`) it comes from,
    so that a colspan's copies are told from cells of their own."""

    cell: Cell
    group: int
    origin_row: int


def read_table(table: etree._Element) -> Table:
    """A table's rows with merged cells expanded (colspan, rowspan), the `$`, `)` and `%` that EDGAR sets in
    cells of their own joined to their number, and spacer columns dropped."""
    try:
        return table_from_grid(_grid(table))
    except TableTooLarge:
        raise TableTooLarge(_line(table)) from None


def table_from_grid(grid: list[list[GridSlot]]) -> Table:
    """The Table of a grid of slots (rows of cells, spans expanded): numbers joined, spacer columns and empty
    rows dropped. Shared by the HTML and Word readers. Refused (TableTooLarge) when padding its rows to the
    widest would pass MAX_TABLE_CELLS: one very wide row over many short ones is as costly as a huge table."""
    width = max((len(row) for row in grid), default=0)
    if width * len(grid) > MAX_TABLE_CELLS:
        raise TableTooLarge(0)
    empty = GridSlot(Cell(""), -1, -1)
    padded = [row + [empty] * (width - len(row)) for row in grid]
    for row in padded:
        _join_split_numbers(row)
    keep = _kept_columns(padded, width)
    rows: list[tuple[Cell, ...]] = []
    for number, row in enumerate(padded):
        if not any(row[c].cell.text for c in keep):
            continue
        seen: set[int] = set()
        cells: list[Cell] = []
        for c in keep:
            slot = row[c]
            first = slot.origin_row == number and slot.group not in seen  # a colspan's first kept column
            seen.add(slot.group)
            cell = slot.cell
            if first and cell.spanned:
                cell = Cell(cell.text, cell.header, False)
            cells.append(cell)
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _grid(table: etree._Element) -> list[list[GridSlot]]:
    grid: list[list[GridSlot]] = []
    pending: dict[int, tuple[GridSlot, int]] = {}  # column -> (slot, rows still to fill) from a rowspan above
    groups = 0
    total = 0
    for number, row in enumerate(_rows(table)):
        slots: list[GridSlot] = []
        column = _fill_spanned(slots, 0, pending)
        for td in row:
            if local_name(td) not in ("td", "th"):
                continue
            column = _fill_spanned(slots, column, pending)
            text = cell_text(td)
            cell = Cell(text, local_name(td) == "th")
            groups += 1
            down = _span(td.get("rowspan"))
            across = _span(td.get("colspan"))
            total += across * down
            if total > MAX_TABLE_CELLS:
                raise TableTooLarge(_line(table))
            for offset in range(across):
                slot = GridSlot(cell if offset == 0 else Cell(text, cell.header, True), groups, number)
                slots.append(slot)
                if down > 1:
                    pending[column] = (slot, down - 1)
                column += 1
        _fill_spanned(slots, column, pending)
        total += len(slots)
        if total > MAX_TABLE_CELLS:
            raise TableTooLarge(_line(table))
        grid.append(slots)
    return grid


def _fill_spanned(slots: list[GridSlot], column: int, pending: dict[int, tuple[GridSlot, int]]) -> int:
    """Fill the columns from `column` that a rowspan above still covers; the next free column."""
    while column in pending:
        slot, left = pending[column]
        slots.append(GridSlot(Cell(slot.cell.text, slot.cell.header, True), slot.group, slot.origin_row))
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (slot, left - 1)
        column += 1
    return column


def _kept_columns(rows: list[list[GridSlot]], width: int) -> list[int]:
    """The columns to keep: those with text of their own (a cell spanning that column alone) in some row; and
    for a spanning cell over none of them (a heading over spacer columns only), its first column."""
    widths: dict[int, int] = {}  # a source cell's width: the columns its slots take in the row it starts in
    for number, row in enumerate(rows):
        for slot in row:
            if slot.origin_row == number:
                widths[slot.group] = widths.get(slot.group, 0) + 1
    keep: set[int] = set()
    for row in rows:
        for column, slot in enumerate(row):
            if slot.cell.text and widths.get(slot.group) == 1:
                keep.add(column)
    for number, row in enumerate(rows):
        covered: dict[int, list[int]] = {}
        for column, slot in enumerate(row):
            if slot.cell.text and widths.get(slot.group, 0) > 1 and slot.origin_row == number:
                covered.setdefault(slot.group, []).append(column)
        for columns in covered.values():
            if not keep.intersection(columns):
                keep.add(columns[0])
    return sorted(keep)


CURRENCY_CELLS = frozenset({"$", "US$", "U.S.$", "C$", "CDN$", "CAD$", "A$", "HK$", "R$", "\u20ac", "\u00a3", "\u00a5"})
"""Currency signs EDGAR's HTML sets in a cell of their own, before the number (compared upper-cased)."""
CLOSING_CELLS = frozenset({")", "%", ")%", "%)"})
"""What it sets in a cell of its own after the number: the `)` of a negative amount, a percent sign."""


def _join_split_numbers(row: list[GridSlot]) -> None:
    """Join a lone currency sign to the number right of it and a lone `)` or `%` to the number left of it,
    leaving the sign's cell empty (so its spacer column drops): `$ | 1,234` -> `$1,234`, `(5 | )` -> `(5)`.
    Joined only where the result reads as a number (or a nil, `$-`): `Owned (1) | %` stays two cells."""
    for index, slot in enumerate(row):  # closing signs first: `$ | (5 | )` is `$` and `(5)`, then `$(5)`
        text = slot.cell.text
        if text in CLOSING_CELLS and not slot.cell.spanned:
            target = _neighbour(row, index, -1)
            if target is not None and numeric_value(row[target].cell.text + text) is not None:
                _set_text(row, target, row[target].cell.text + text)
                _set_text(row, index, "")
    for index, slot in enumerate(row):
        text = slot.cell.text
        if text and text.upper() in CURRENCY_CELLS and not slot.cell.spanned:
            target = _neighbour(row, index, 1)
            after = row[target].cell.text if target is not None else ""
            if target is not None and (after.lower() in NIL_TEXTS or numeric_value(text + after) is not None):
                _set_text(row, target, text + after)
                _set_text(row, index, "")


def _neighbour(row: list[GridSlot], index: int, step: int) -> int | None:
    """The nearest cell of its own (not a span's copy) with text, from `index` towards `step`."""
    position = index + step
    while 0 <= position < len(row):
        slot = row[position]
        if slot.cell.text:
            return None if slot.cell.spanned else position
        position += step
    return None


def _set_text(row: list[GridSlot], index: int, text: str) -> None:
    slot = row[index]
    row[index] = GridSlot(Cell(text, slot.cell.header, slot.cell.spanned), slot.group, slot.origin_row)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows (in thead, tbody, tfoot or directly under it), not those of nested tables."""
    for child in table:
        name = local_name(child)
        if name == "tr":
            yield child
        elif name in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if local_name(row) == "tr")


_CELL_BREAKS = BLOCK_TAGS | {"br", "tr", "td", "th", "table", "caption"}
_MARKS = frozenset({"sup", "sub"})
"""Footnote marks: set apart from what they mark (`900,000<sup>4</sup>` reads `900,000 4`, not a number)."""


def cell_text(cell: etree._Element) -> str:
    """A cell's text as a reader sees it: inline elements joined as they stand (`<b>C</b>ONSOLIDATED` is one
    word), a line break or block between words a space, a superscript (a footnote mark) set apart; hidden and
    non-text elements skipped."""
    if not len(cell):  # most cells of EDGAR's tables (spacers, plain numbers): no walk needed
        return collapse(cell.text or "")
    parts: list[str] = [cell.text or ""]
    walker = etree.iterwalk(cell, events=("start", "end"))
    next(walker)  # the cell itself
    for event, element in walker:
        name = local_name(element)
        if event == "start":
            if name in SKIPPED_TAGS or not name or _hidden(element):
                walker.skip_subtree()  # its end still comes, and adds its tail
                continue
            if name in _CELL_BREAKS or name in _MARKS:
                parts.append(" ")
            parts.append(element.text or "")
        elif element is not cell:
            if name in _CELL_BREAKS:
                parts.append(" ")
            parts.append(element.tail or "")
    return collapse("".join(parts))


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def parser_message(message: str) -> str:
    """libxml2's message without the position it repeats (the Problem gives line and column)."""
    return re.sub(r",? line \d+, column \d+\s*$", "", str(message)).strip()


def parse_html(raw: str | bytes) -> etree._Element:
    """An HTML document's tree. Text is handed to libxml2 as UTF-8 bytes, so that an XML declaration in it
    (`<?xml ... encoding=...?>`, which lxml refuses in a str) names no other encoding than the one given."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogatepass")
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                              encoding="utf-8")
    root = etree.fromstring(raw, parser=parser)  # plain elements: lxml.html's own classes cost a lookup each
    if root is None:
        raise etree.ParserError("no elements")
    return root


def parse_xhtml(raw: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.fromstring(raw, parser=parser)
