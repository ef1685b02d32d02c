"""Mentions of the countries the staff screens a filing for: a filer that names one is often asked about its
contacts with it (the State Department's state sponsors of terrorism, and the jurisdictions under
comprehensive U.S. sanctions administered by Treasury's Office of Foreign Assets Control).

Each country is looked for by its name and the adjective made from it, as whole words ("Iran", "Iranian";
"Syria", "Syrian"; "Cuba", "Cuban"); the first mention is reported with its sentence and page. The list is
dated: a country counts for a report whose date falls in its listing (Sudan until its removal in 2020).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents.model import Block, FilingDocument
from .values import Context, Found, Provenance, Value, page_value

LIST_CHECKED = "2026-12-06"
"""When this list was last checked against its sources (below)."""


@dataclass(frozen=True)
class Listed:
    country: str
    pattern: str  # a regular expression for its names, matched as whole words, case-sensitively
    since: str  # ISO date from which it counts
    until: str | None  # ISO date from which it no longer counts (None: still listed)
    source: str
    code: str = ""  # ISO 3166 (a region: its subdivision code), as item4.sanctioned_country_contacts records it


SANCTIONED: tuple[Listed, ...] = (
    Listed("Cuba", r"Cuba(?:ns?)?", "1982-03-01", None,
           "State Department list of state sponsors of terrorism (designated 1 March 1982; rescinded 29 May "
           "2015, designated again 12 January 2021); OFAC Cuban Assets Control Regulations throughout", "CU"),
    Listed("Iran", r"Iran(?:ians?)?", "1984-01-19", None,
           "State Department list of state sponsors of terrorism (designated 19 January 1984); OFAC Iranian "
           "Transactions and Sanctions Regulations", "IR"),
    Listed("North Korea", r"North\s+Korea(?:ns?)?|DPRK|Democratic\s+People's\s+Republic\s+of\s+Korea", "1988-01-20",
           None, "State Department list of state sponsors of terrorism (designated 20 January 1988, rescinded "
                 "2008, designated again 20 November 2017); OFAC North Korea Sanctions Regulations", "KP"),
    Listed("Syria", r"Syria(?:ns?)?", "1979-12-29", None,
           "State Department list of state sponsors of terrorism (designated 29 December 1979); the OFAC Syria "
           "sanctions program (Executive Order 13582, 2011) was ended in 2025, the designation remains", "SY"),
    Listed("Sudan", r"(?<!South\s)Sudan(?:ese)?", "1993-08-12", "2020-12-14",
           "State Department list of state sponsors of terrorism (designated 12 August 1993, rescinded 14 "
           "December 2020); OFAC Sudanese Sanctions Regulations lifted 12 October 2017", "SD"),
    Listed("Crimea", r"Crimea(?:ns?)?", "2014-12-19", None,
           "OFAC Ukraine-/Russia-related sanctions, Executive Order 13685 (19 December 2014): the Crimea region "
           "of Ukraine", "UA-43"),
    Listed("Donetsk People's Republic", r"Donetsk", "2022-02-21", None,
           "OFAC Ukraine-/Russia-related sanctions, Executive Order 14065 (21 February 2022): the so-called "
           "Donetsk People's Republic region of Ukraine", "UA-14"),
    Listed("Luhansk People's Republic", r"Luhansk|Lugansk", "2022-02-21", None,
           "OFAC Ukraine-/Russia-related sanctions, Executive Order 14065 (21 February 2022): the so-called "
           "Luhansk People's Republic region of Ukraine", "UA-09"),
)
"""The screened jurisdictions, each with the dates it counts between and where that comes from (checked
against the State Department's list and OFAC's program names on LIST_CHECKED)."""

MAX_SENTENCE = 300


def listed_on(when: str | None) -> list[Listed]:
    """The jurisdictions that count for a report of that date; without a date, those listed today."""
    if when is None:
        return [entry for entry in SANCTIONED if entry.until is None]
    return [entry for entry in SANCTIONED if entry.since <= when and (entry.until is None or when < entry.until)]


def _pattern(entry: Listed) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z])(?:{entry.pattern})(?![A-Za-z])")


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[\t\n]")


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence (or table cell) around a match, cut to MAX_SENTENCE characters."""
    begin = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        begin = boundary.end()
    after = _SENTENCE_END.search(text, end)
    stop = len(text) if after is None else after.end() if after.group() not in "\t\n" else after.start()
    while begin < start and text[begin].isspace():
        begin += 1
    if stop - begin > MAX_SENTENCE:
        begin = max(begin, start - (MAX_SENTENCE - (end - start)) // 2)
        stop = min(stop, begin + MAX_SENTENCE)
    return begin, stop


def mentions(document: FilingDocument, when: str | None) -> list[tuple[Listed, Block, int, int]]:
    """The first mention of each counted jurisdiction, in document order."""
    found: list[tuple[Listed, Block, int, int]] = []
    for entry in listed_on(when):
        pattern = _pattern(entry)
        for block in document.blocks:
            match = pattern.search(block.text)
            if match:
                found.append((entry, block, match.start(), match.end()))
                break
    return sorted(found, key=lambda mention: (mention[1].index, mention[2]))


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    when = context.filing_date or context.fiscal_year_end
    pointer = "/document/sanctioned_country_mentions"
    found = mentions(document, when)
    if not found:  # every block was read: that none names a listed country is what the document says
        names = ", ".join(entry.country for entry in listed_on(when))
        yield Value(pointer, [], "read", None, f"no block of the document names {names}")
        return
    item4 = context.item_blocks(document, "4")
    for index, (entry, block, start, end) in enumerate(found):
        begin, stop = sentence(block.text, start, end)
        where = Provenance.of(block, begin, stop)
        note = f"named as {block.text[start:end]!r}; listed by the {entry.source}"
        yield Value(f"{pointer}/{index}/country", entry.country, "read", where, note)
        yield Value(f"{pointer}/{index}/country_code", entry.code, "read", where, "the reader's list gives the code")
        page = page_value(block.page)
        if page is not None:
            yield Value(f"{pointer}/{index}/page", page, "read", where)
        yield Value(f"{pointer}/{index}/text", block.text[begin:stop].strip()[:MAX_SENTENCE], "read", where)
        if item4:  # (an Item 4 the reader did not find leaves the question open)
            named = next((b for b in item4 if _pattern(entry).search(b.text)), None)
            yield Value(f"{pointer}/{index}/mentioned_in_item4", named is not None, "read",
                        Provenance.of(named) if named else Provenance.of(item4[0]),
                        "Item 4 names it" if named else "no block of Item 4 names it")
