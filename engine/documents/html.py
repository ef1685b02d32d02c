"""EDGAR HTML and Inline XBRL (XHTML) documents to the document model.

Parsed by lxml (libxml2), never fetching anything: no network, no DTD, no external or internal entity
expansion, libxml2's own size guards kept (`huge_tree` off). The tree is then walked without recursion, so
deep nesting costs a counter, not the stack; past MAX_DEPTH it is refused.

Blocks: each element of a block kind (paragraph, div, heading, list item, ...) that holds text of its own
becomes one block, in document order; a table becomes one table block, its cells' text read whole (a table
inside a cell is read as that cell's text). Sheets: a page break is an element styled `page-break-before`
or `page-break-after: always` (or `break-before/after: page`), as EDGAR's HTML and Inline XBRL mark them.
The printed page number of a sheet is the short number-like text at its foot (else at its head): "12",
"- 12 -", "Page 12", "F-3", "ii".
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .model import Block, Cell, FilingDocument, Sheet, Style, Table

MAX_DEPTH = 400
"""Deepest element nesting accepted; real filings nest a few dozen deep."""

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
_SPACE = re.compile(r"\s+")
PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013\u2014]?\s*((?:[A-Z]{1,2}\s?-\s?)?\d{1,4}|[ivxlc]{1,7})\s*[-\u2013\u2014]?$", re.I)
"""A printed page number alone in a block: `12`, `- 12 -`, `Page 12`, `F-3`, `ii`."""


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


@dataclass
class _Run:
    """The block being gathered: its text pieces, the line it began on, its style."""

    parts: list[str] = field(default_factory=list)
    line: int = 0
    style: Style = Style()


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

    def add_table(self, table: Table, line: int) -> None:
        self.flush()
        if table.rows:
            text = "\n".join("\t".join(cell.text for cell in row) for row in table.rows)
            self.blocks.append(Block(len(self.blocks), "table", text, self.sheet, None, line, table=table))

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
    return (tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag.rsplit(":", 1)[-1]).lower()


def _style_of(element: etree._Element, inherited: Style) -> Style:
    name = local_name(element)
    css = element.get("style") or ""
    bold = inherited.bold or name in ("b", "strong") or bool(_BOLD.search(css))
    italic = inherited.italic or name in ("i", "em") or bool(_ITALIC.search(css))
    underline = inherited.underline or name == "u" or bool(_UNDERLINE.search(css))
    centered = inherited.centered or name == "center" or (element.get("align") or "").lower() == "center" \
        or bool(_CENTER.search(css))
    level = int(name[1]) if len(name) == 2 and name[0] == "h" and name[1] in "123456" else inherited.heading_level
    size = inherited.font_size
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
        if not entering:
            if name in BLOCK_TAGS:
                state.flush()
            if _BREAK_AFTER.search(element.get("style") or ""):
                state.page_break()
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        if name in SKIPPED_TAGS or not name or _hidden(element):
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        if _BREAK_BEFORE.search(element.get("style") or ""):
            state.page_break()
        if name == "table":
            state.add_table(read_table(element), _line(element))
            if _BREAK_AFTER.search(element.get("style") or ""):
                state.page_break()
            if element.tail:
                _text(state, element.tail, element, style)
            continue
        own = _style_of(element, style)
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
    if not state.run.parts or not "".join(state.run.parts).strip():
        state.run.line = _line(element) or state.run.line
        if text.strip():
            state.run.style = style
    state.run.parts.append(text)


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


def printed_number(blocks: list[Block]) -> str | None:
    """The page number a sheet prints: its last short number-like text block, else its first."""
    candidates = [blocks[-1], blocks[0]] if len(blocks) > 1 else blocks
    for block in candidates:
        if block.kind == "text" and len(block.text) <= 20:
            found = PAGE_NUMBER.match(block.text)
            if found:
                return re.sub(r"\s", "", found.group(1))
    return None


def read_table(table: etree._Element) -> Table:
    """A table's rows with merged cells expanded (colspan, rowspan) and empty columns dropped."""
    grid: list[list[Cell | None]] = []
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still to fill) from a rowspan above
    for row in _rows(table):
        cells: list[Cell | None] = []
        column = _fill_spanned(cells, 0, pending)
        for td in row:
            if local_name(td) not in ("td", "th"):
                continue
            column = _fill_spanned(cells, column, pending)
            text = collapse(" ".join(_cell_text(td)))
            cell = Cell(text, local_name(td) == "th")
            down = _span(td.get("rowspan"))
            for offset in range(_span(td.get("colspan"))):
                cells.append(cell if offset == 0 else Cell(text, cell.header, True))
                if down > 1:
                    pending[column] = (cell, down - 1)
                column += 1
        _fill_spanned(cells, column, pending)
        grid.append(cells)
    width = max((len(row) for row in grid), default=0)
    padded = [[cell or Cell("") for cell in row] + [Cell("")] * (width - len(row)) for row in grid]
    keep = [c for c in range(width) if any(row[c].text for row in padded)]
    rows = tuple(tuple(row[c] for c in keep) for row in padded if any(row[c].text for c in keep))
    return Table(rows)


def _fill_spanned(cells: list[Cell | None], column: int, pending: dict[int, tuple[Cell, int]]) -> int:
    """Fill the columns from `column` that a rowspan above still covers; the next free column."""
    while column in pending:
        cell, left = pending[column]
        cells.append(Cell(cell.text, cell.header, True))
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (cell, left - 1)
        column += 1
    return column


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows (in thead, tbody, tfoot or directly under it), not those of nested tables."""
    for child in table:
        name = local_name(child)
        if name == "tr":
            yield child
        elif name in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if local_name(row) == "tr")


def _cell_text(td: etree._Element) -> list[str]:
    return [text for text in td.itertext() if isinstance(text, str)]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def parse_html(raw: bytes) -> etree._Element:
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    root = lxml_html.document_fromstring(raw, parser=parser)
    return root


def parse_xhtml(raw: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.fromstring(raw, parser=parser)
