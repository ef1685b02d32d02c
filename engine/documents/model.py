"""The document model: what a filing document holds once read, whatever its format.

A document is a sequence of blocks in reading order: paragraphs and headings (text) and tables. Each block
knows the sheet it is on (the physical page, counted from 0 by the page breaks the format marks) and the
printed page number of that sheet, when the sheet prints one ("12", "F-3"); its line in the source file
(HTML, XHTML) or its paragraph number (Word), for a reader to find it; and its style, so extractors can tell
a heading from running text. Inline XBRL adds the tagged facts, each with the block it sits in.

Readers (html.py, ixbrl.py, docx.py) build it; extractors (precomment.extraction) read it and nothing else,
so a new format is a new reader, never a change to an extractor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

DocumentFormat = Literal["html", "ixbrl", "docx"]
BlockKind = Literal["text", "table"]


@dataclass(frozen=True)
class Style:
    """How a block is set, as far as the format says: what tells a heading from running text."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    centered: bool = False
    heading_level: int | None = None  # <h1>..<h6>, or a Word "Heading N" style
    font_size: float | None = None  # in points, where the format gives one


@dataclass(frozen=True)
class Cell:
    """One cell of a table, after merged cells are expanded: a cell spanning two columns appears in both,
    the second time with `spanned` set (so a reader of columns finds its header over every column it covers)."""

    text: str
    header: bool = False  # a <th>, or a cell of a row the reader took for a header row
    spanned: bool = False  # a copy made by expanding a colspan or rowspan


@dataclass(frozen=True)
class Table:
    """Rows of cells, every row as wide as the widest (short rows padded with empty cells); columns that are
    empty in every row (EDGAR's spacer columns), or hold only a copy of a colspan, are dropped; the `$`, `)`
    and `%` a format sets in cells of their own are joined to their numbers (`$1,234`, `(5)`, `12.5%`)."""

    rows: tuple[tuple[Cell, ...], ...]

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


@dataclass(frozen=True)
class Block:
    index: int  # position in the document's blocks
    kind: BlockKind
    text: str  # whitespace collapsed; a table's text is its cells' texts, row by row, tab- and newline-separated
    sheet: int  # physical page, from 0
    page: str | None  # the printed page number of the sheet, if it prints one
    line: int  # line in the source file (HTML/XHTML), paragraph number (Word), 1-based
    style: Style = Style()  # as its first text is set (a table's: as its first cell's text, if short)
    table: Table | None = None


@dataclass(frozen=True)
class Sheet:
    """One physical page: its printed number (None when it prints none) and its blocks' range."""

    number: int
    printed: str | None
    first_block: int
    end_block: int  # one past its last block


@dataclass(frozen=True)
class Period:
    instant: str | None = None  # ISO date, for a balance
    start: str | None = None  # ISO dates, for a flow
    end: str | None = None


@dataclass(frozen=True)
class TaggedFact:
    """One Inline XBRL fact: its concept as `prefix:name` (the prefix the document binds to the concept's
    namespace, e.g. ifrs-full, us-gaap, dei), its value, and where it is."""

    concept: str
    value: Decimal | str  # a number after format, scale and sign; else the text
    numeric: bool
    context: str
    period: Period
    dimensions: tuple[tuple[str, str], ...]  # (axis, member) pairs; () for the default context
    unit: str | None  # e.g. "iso4217:USD", "xbrli:shares"
    decimals: str | None  # as written: "-3", "INF"
    scale: int  # the power of ten the displayed number was multiplied by
    block: int  # the block it sits in
    line: int
    fact_id: str | None = None  # the element's id attribute


@dataclass
class FilingDocument:
    source: str  # the path as given
    format: DocumentFormat
    blocks: list[Block]
    sheets: list[Sheet]
    facts: list[TaggedFact] = field(default_factory=list)
    pages_approximate: bool = False  # Word: pages are where the author put page breaks, not where Word breaks
    notes: list[str] = field(default_factory=list)  # what the reader could not read, said once each

    def page_of(self, block: int) -> str | None:
        return self.blocks[block].page if 0 <= block < len(self.blocks) else None

    def dei(self, name: str) -> str | None:
        """The value of the `dei:` cover fact `name` (first in document order), as text."""
        for fact in self.facts:
            if fact.concept == f"dei:{name}" and not fact.dimensions:
                return str(fact.value)
        return None


NIL_TEXTS = frozenset({"-", "\u2013", "\u2014", "\u2012", "\u2015", "--", "nil", "n/a", "na", "none", "\u2212"})
"""What a table prints for "nothing here": not a number, and not zero either (a preparer's nil is not a stated 0)."""

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_CURRENCY = re.compile(r"^(?:US\$|U\.S\.\$|C\$|CDN\$|CAD\$|A\$|HK\$|R\$|\$|\u20ac|\u00a3|\u00a5)\s*", re.I)


def numeric_value(text: str) -> Decimal | None:
    """A number as documents print it: `1,234`, `$1,234`, `(1,234)` and `$(1,234)` (negative), `-1,234`,
    `12.5%` (12.5). None for what is not a number: a nil mark (`-`, an em dash, `nil`: not zero, which a
    document prints as 0), words, `NaN` or `Infinity`."""
    cleaned = text.replace("\u00a0", " ").strip()
    if cleaned.lower() in NIL_TEXTS:
        return None
    negative = False
    cleaned = cleaned.removesuffix("%").strip()  # `12.5%`, `(3.1)%`
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1].strip()
    cleaned = _CURRENCY.sub("", cleaned)
    if cleaned.startswith("(") and cleaned.endswith(")") and not negative:  # $(1,234)
        negative, cleaned = True, cleaned[1:-1].strip()
    cleaned = cleaned.removesuffix("%").replace(" ", "").replace("\u2212", "-")  # `(3.1%)`
    if not cleaned or not _NUMBER.match(cleaned) or not any(c.isdigit() for c in cleaned):
        return None
    number = Decimal(cleaned.replace(",", ""))
    return -number if negative else number
