"""What an extractor yields: values for places in the description, each with where in the document it was
read (provenance) and how sure the reading is (confidence); and, for what it looked for in vain, a note.

An extractor is a function `extract(document: FilingDocument, context: Context) -> Iterator[Found]`. It owns
its sections of the description (the pointers it yields begin with them) and nothing else; the assembler
(assemble.py) builds the description from every extractor's values, in order.

Confidence:
- "read": taken from the document as it prints it (a heading's page, an exhibit's number and title, a
  tagged amount): the preparer need not look again.
- "draft": inferred (an exhibit's kind from its title, a holder's role from a table's heading, a statement's
  periods from its column headings): written, marked for the preparer to confirm.
Nothing is written from what was not found: a field the extractor looked for and did not find is a
`NotFound`, shown as a TODO and in coverage, never written as "no" or 0.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..documents.model import Block, FilingDocument

Confidence = Literal["read", "draft"]


@dataclass(frozen=True)
class Provenance:
    """Where a value was read: the block (its index), its printed page, its line in the source, and the span
    of the block's text the value comes from ([start, end) character offsets; the whole block when None)."""

    block: int
    page: str | None
    line: int
    start: int | None = None
    end: int | None = None
    fact: str | None = None  # an Inline XBRL fact's concept (and id), when the value is a tagged fact

    @classmethod
    def of(cls, block: Block, start: int | None = None, end: int | None = None, fact: str | None = None) -> Provenance:
        return cls(block.index, block.page, block.line, start, end, fact)

    def describe(self) -> str:
        where = f"page {self.page}" if self.page else "unnumbered page"
        return f"{where}, line {self.line}" + (f", {self.fact}" if self.fact else "")


@dataclass(frozen=True)
class Value:
    """A value for the description at `pointer` (a JSON pointer: `/item19/exhibits/3/title`)."""

    pointer: str
    value: Any
    confidence: Confidence
    provenance: Provenance | None  # None only for a value made from others (a count), with `note` saying how
    note: str = ""  # why a draft is a draft, or how a made value was made


@dataclass(frozen=True)
class NotFound:
    """Looked for and not found: `pointer` is left out of the description, and reported."""

    pointer: str
    looked_for: str  # what was looked for, as the preparer reads it: "an Item 16G heading"


Found = Value | NotFound


@dataclass
class Context:
    """What earlier extractors established, for later ones: the Items found and their blocks, the accounting
    standard. Filled in by the assembler between extractors."""

    basis_of_accounting: str | None = None  # "IFRS", "US GAAP", "other", once the cover is read
    items: dict[str, tuple[int, int]] = field(default_factory=dict)
    fiscal_year_end: str | None = None  # ISO date, once the cover is read
    filing_date: str | None = None  # Form item ("3.D", "16G", "19") -> blocks [start, end)

    def item_blocks(self, document: FilingDocument, item: str) -> list[Block]:
        """The blocks of a Form item's section, from its heading to the next heading of an item ([] if not found)."""
        if item not in self.items:
            return []
        start, end = self.items[item]
        return document.blocks[start:end]


def page_value(printed: str | None) -> int | str | None:
    """A printed page as the schema's `page` takes it: "12" -> 12, "F-3" (or "F - 3") -> "F-3"; a roman numeral,
    or no page, -> None (the field is left out)."""
    if printed is None:
        return None
    text = re.sub(r"\s", "", printed).upper()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 99999 else None
    return text if re.fullmatch(r"[A-Z]{1,2}-[0-9]{1,4}", text) else None


class Extractor(Protocol):
    def __call__(self, document: FilingDocument, context: Context) -> Iterator[Found]: ...
