"""Item 3.D: the risk factors' captions, each with its page, and a draft topic where the caption names one.

A risk factor opens with a caption set apart from the running text: a bold, italic or underlined line (or a
heading), or a bold sentence run into the start of its paragraph. The captions are read as printed; the
groups they sit under ("Risks Related to Our Business") are categories, not risk factors, and are left out.
Judgement fields (whether a risk has occurred, is worded hypothetically, what the company depends on) are
the preparer's and never written here.

The section comes from the sections extractor (`context.items["3.D"]`); where it did not find one, this
module looks for the "Risk Factors" heading itself, so it also works alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents.model import Block, FilingDocument
from .values import Context, Found, NotFound, Provenance, Value, page_value

ITEM = "3.D"
RISK_HEADING = re.compile(
    r"^(?:(?:item\s*)?3\s*[.:]?\s*)?(?:d(?:\s*[.:)\u2013\u2014-])*\s+)?risk\s+factors\s*\.?$", re.I)
"""The heading of Item 3.D as filers print it: "D. Risk Factors", "Item 3.D Risk Factors", "RISK FACTORS"."""
ITEM_HEADING = re.compile(r"^(?:item|part)\s+(?:\d{1,2}[A-K]?|[IVX]{1,4})\b", re.I)
"""Any Item (or Part) heading: where a section found by its heading ends."""
MAX_HEADING_CHARS = 150
MAX_CAPTION_WORDS = 80
"""A caption is one sentence: a block set apart and longer than this is running text that happens to be set
in italics (a quotation), or a run-in caption with its paragraph."""

_CATEGORY = re.compile(
    r"^(?:summary\s+(?:of\s+)?)?(?:(?:certain|other|additional|general|specific|key)\s+)?risks?(?:\s+factors?)?"
    r"(?:\s+(?:summary|related|relating|associated|pertaining|specific|applicable|concerning|regarding|in\s+"
    r"connection|with\s+respect|affecting|of|to|for|inherent)\b.*)?$"
    r"|^(?:[\w&,'\u2019-]+\s+){0,5}risks(?:\s+\(continued\))?$", re.I)
"""Group headings: "Risks Related to Our Business", "General Risks", "Legal and Regulatory Risks"."""
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)]?(?=\s+[\"\u201c(]?[A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]|\b(?:Inc|Ltd|Co|Corp|No|Nos|Mr|Mrs|Ms|Dr|St|vs|etc|Jr|Sr|plc|e\.g|i\.e))\.$")
_BULLETS = ("\u2022", "\u00b7", "\u25aa", "\u25cf", "\u2013", "\u2014", "-", "o ")
_CONTINUED = re.compile(r"\s*[(\[]?continued[)\]]?\s*$", re.I)

TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("securities_litigation", re.compile(r"securities\s+(?:class\s+action|litigation|lawsuits?)|class\s+action", re.I)),
    ("intellectual_property_litigation", re.compile(
        r"(?:intellectual\s+property|patent|trademark)\w*\b.*\b(?:litigation|lawsuits?|infringement\s+claims?)",
        re.I)),
    ("litigation", re.compile(r"\blitigation\b|\blawsuits?\b|\blegal\s+proceedings\b", re.I)),
    ("arbitration", re.compile(r"\barbitration\b", re.I)),
    ("government_investigation", re.compile(r"\b(?:government(?:al)?|regulatory|SEC|DOJ)\s+investigations?\b", re.I)),
    ("cybersecurity_incident", re.compile(r"\bcyber|\bdata\s+breach|\bsecurity\s+breach|\bhack", re.I)),
    ("material_weakness", re.compile(r"material\s+weakness", re.I)),
    ("impairment", re.compile(r"\bimpairment", re.I)),
    ("delisting_notice", re.compile(r"\bdelist", re.I)),
    ("key_personnel_departure", re.compile(
        r"\bkey\s+(?:management\s+)?(?:personnel|employees|executives|members\s+of\s+management)\b", re.I)),
    ("hfcaa", re.compile(r"Holding\s+Foreign\s+Companies\s+Accountable|\bHFCAA\b", re.I)),
    ("vie_structure", re.compile(r"\bVIEs?\b|variable\s+interest\s+entit", re.I)),
    ("sanctions", re.compile(r"\bsanctions\b", re.I)),
    ("currency", re.compile(r"\bcurrenc(?:y|ies)\b|\bexchange\s+rates?\b", re.I)),
    ("competition", re.compile(r"\bcompet(?:e|es|ing|ition|itive|itors?)\b", re.I)),
)
"""Topics a caption names outright (first match wins: the narrower topics come before the wider)."""


@dataclass(frozen=True)
class Caption:
    block: Block
    text: str
    end: int  # where the caption ends in the block's text
    run_in: bool  # the caption is the first sentence of an emphasised paragraph: its end is a guess


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    section = find_section(document, context, ITEM, RISK_HEADING, ITEM_HEADING)
    if section is None:
        yield NotFound("/item3/risk_factors", "an Item 3.D \"Risk Factors\" heading and the captions under it")
        return
    captions = list(captions_in(document, section))
    if not captions:
        yield NotFound("/item3/risk_factors",
                       "risk factor captions (bold, italic or underlined lead lines) under Item 3.D")
        return
    for index, caption in enumerate(captions):
        yield from _caption_values(index, caption)


def _caption_values(index: int, caption: Caption) -> Iterator[Found]:
    base = f"/item3/risk_factors/{index}"
    where = Provenance.of(caption.block, 0, caption.end)
    if caption.run_in:
        yield Value(f"{base}/caption", caption.text, "draft", where,
                    "the paragraph is emphasised from its start; its first sentence is taken as the caption "
                    "(where the emphasis ends is not recorded): check the caption's end")
    else:
        yield Value(f"{base}/caption", caption.text, "read", where)
    page = page_value(caption.block.page)
    if page is None:
        yield NotFound(f"{base}/page", "a printed page number on the caption's page")
    else:
        yield Value(f"{base}/page", page, "read", Provenance.of(caption.block))
    topic = topic_of(caption.text)
    if topic is not None:
        yield Value(f"{base}/topic", topic[0], "draft", where, f"the caption says \"{topic[1]}\"")


def captions_in(document: FilingDocument, section: tuple[int, int]) -> Iterator[Caption]:
    """The captions of a section's blocks, in order: emphasised text blocks that are neither the section's
    heading, a group heading, nor a page number."""
    start, end = section
    blocks = document.blocks[start:end]
    set_apart = [block for block in blocks if _set_apart(block)]
    for position, block in enumerate(set_apart):
        if block.index == start or RISK_HEADING.match(heading_text(block) or ""):
            continue
        following = set_apart[position + 1] if position + 1 < len(set_apart) else None
        if _is_category(block, following, document):
            continue
        caption = _caption_of(block)
        if caption is not None:
            yield caption


def _set_apart(block: Block) -> bool:
    style = block.style
    if block.kind != "text" or _is_page_number(block.text) or block.text.startswith(_BULLETS):
        return False  # a bullet is a summary's line, not a caption
    return style.bold or style.italic or style.underline or style.heading_level is not None


def _is_category(block: Block, following: Block | None, document: FilingDocument) -> bool:
    """A group heading: worded as one ("Risks Related to ..."), or a short unpunctuated line set apart that is
    centred or followed directly (running text between none) by another line set apart."""
    text = _CONTINUED.sub("", block.text)
    if text.endswith((".", "?", "!")):
        return False
    if _CATEGORY.match(text):
        return True
    if len(text.split()) > 10:
        return False
    if block.style.centered:
        return True
    if following is None:
        return False
    between = document.blocks[block.index + 1:following.index]
    return all(_is_page_number(other.text) for other in between if other.kind == "text") and \
        not any(other.kind == "table" for other in between)


def _caption_of(block: Block) -> Caption | None:
    text = block.text
    first = first_sentence(text)
    if first == text:
        return Caption(block, text, len(text), False) if len(text.split()) <= MAX_CAPTION_WORDS else None
    if not block.style.bold or len(first.split()) > MAX_CAPTION_WORDS:
        return None  # an italic or underlined paragraph of several sentences: a quotation, not a caption
    return Caption(block, first, len(first), True)


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (abbreviations such as "U.S." and "Inc." do not end one)."""
    for found in _SENTENCE_END.finditer(text):
        if not _ABBREVIATION.search(text[:found.start() + 1]):
            return text[:found.end()].rstrip()
    return text


def topic_of(caption: str) -> tuple[str, str] | None:
    """The topic a caption names outright, with the words that name it."""
    for topic, pattern in TOPICS:
        found = pattern.search(caption)
        if found:
            return topic, _whole_words(caption, found.start(), found.end())
    return None


def _whole_words(text: str, start: int, end: int) -> str:
    """The span widened to whole words: the note quotes "delisting", not the pattern's "delist"."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


# Shared with the exhibits extractor: finding a section by its heading, and printed pages.

def find_section(document: FilingDocument, context: Context, item: str, heading: re.Pattern[str],
                 ends: re.Pattern[str]) -> tuple[int, int] | None:
    """The blocks [start, end) of a Form item: as the sections extractor found them, else from the item's
    heading to the next heading that `ends` matches. The heading may appear in several places: a heading
    that names its item ("D. Risk Factors", "Item 19") wins over a bare one (a "Risk Factors" paragraph
    in Item 5), then the longest section (a contents line is followed at once by the next)."""
    if item in context.items:
        return context.items[item]
    ranked = [(_DESIGNATED.match(text) is not None, section_end(document, block.index, ends) - block.index,
               -block.index) for block in document.blocks
              if (text := heading_text(block)) is not None and heading.match(text)]
    if not ranked:
        return None
    _, length, start = max(ranked)
    return -start, -start + length


_DESIGNATED = re.compile(r"^(?:item\b|\d{1,2}\b|[A-Z]\s*[.:)\u2013\u2014-])", re.I)


def section_end(document: FilingDocument, start: int, ends: re.Pattern[str]) -> int:
    for block in document.blocks[start + 1:]:
        text = heading_text(block)
        if text is not None and ends.match(text):
            return block.index
    return len(document.blocks)


def heading_text(block: Block) -> str | None:
    """A block's text as a heading, if it could be one: a short text block, or a short table of at most two
    rows (EDGAR filers often set "Item 19. | Exhibits" as a one-row table)."""
    if block.kind == "table" and (block.table is None or len(block.table.rows) > 2):
        return None
    text = re.sub(r"\s+", " ", block.text).strip()
    if not text or len(text) > MAX_HEADING_CHARS:
        return None
    return _CONTINUED.sub("", text)


_PAGE = re.compile(r"^(?:page\s+)?[-\u2013\u2014]?\s*(?:[A-Z]{1,2}\s?-\s?)?\d{1,4}\s*[-\u2013\u2014]?$|^[ivxlc]{1,7}$", re.I)


def _is_page_number(text: str) -> bool:
    return len(text) <= 20 and bool(_PAGE.match(text.strip()))


