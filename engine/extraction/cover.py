"""The cover page: who files, which form, for which year, and what its check boxes say.

Inline XBRL tags the cover with `dei:` facts; where one is there it is taken, and the printed cover is read
otherwise. A check box is read from what the page prints: "[ X ]" and "[ ]", "☒" and "☐", Wingdings' "þ" and
"¨", or an "x" alone in a table cell. A box goes with the words beside it: after it when a line begins with a
box ("☒ U.S. GAAP"), before it otherwise ("U.S. GAAP [ ]", "Yes [ ] No [ X ]"). A table is read by rows and
also by columns, for a label set over several rows of one column (Loncor's "International Financial
Reporting / Standards as issued by the International / Accounting Standards Board [ X ]").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..documents.model import Block, FilingDocument
from .values import Context, Found, NotFound, Provenance, Value

COVER_BLOCKS = 80
"""The cover is read in the document's first blocks, before the table of contents or the first item heading."""

_BOX = re.compile(r"\[\s*[xX\u2713\u2714]?\s*\]|[\u2610\u2611\u2612\u00fe\u00a8\u00fd]")
_CHECKED = re.compile(r"\[\s*[xX\u2713\u2714]\s*\]|[\u2611\u2612\u00fe\u00fd]")
_LABEL_WINDOW = 60
MAX_NAME = 120

_MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_DATE_MDY = re.compile(r"\b([A-Z][a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+),?\s+(\d{4})\b")

BASIS_OPTIONS = (
    ("US GAAP", re.compile(r"U\.\s?S\.\s?GAAP|generally accepted accounting principles", re.I)),
    ("IFRS", re.compile(r"International Financial Reporting|IFRS|Accounting Standards Board", re.I)),
    ("other", re.compile(r"\bOther\b", re.I)),
)
STATUS_OPTIONS = (
    ("non_accelerated_filer", re.compile(r"non[-\s]?accelerated\s+filer", re.I)),
    ("large_accelerated_filer", re.compile(r"large\s+accelerated\s+filer", re.I)),
    ("accelerated_filer", re.compile(r"accelerated\s+filer", re.I)),
    ("emerging_growth_company", re.compile(r"emerging\s+growth\s+company", re.I)),
    ("smaller_reporting_company", re.compile(r"smaller\s+reporting\s+company", re.I)),
)
YES_NO = (("yes", re.compile(r"\bYes\b", re.I)), ("no", re.compile(r"\bNo\b", re.I)))

DEI_STATUS = {"large accelerated filer": "large_accelerated_filer", "accelerated filer": "accelerated_filer",
              "non-accelerated filer": "non_accelerated_filer"}
DEI_BASIS = {"u.s. gaap": "US GAAP", "us gaap": "US GAAP", "ifrs": "IFRS", "other": "other",
             "international financial reporting standards": "IFRS"}

COUNTRIES = {
    "argentina": "AR", "australia": "AU", "austria": "AT", "bahamas": "BS", "barbados": "BB", "belgium": "BE",
    "bermuda": "BM", "brazil": "BR", "british virgin islands": "VG", "virgin islands (british)": "VG",
    "canada": "CA", "cayman islands": "KY", "chile": "CL", "china": "CN", "people's republic of china": "CN",
    "colombia": "CO", "curacao": "CW", "cyprus": "CY", "denmark": "DK", "england and wales": "GB",
    "england": "GB", "scotland": "GB", "united kingdom": "GB", "finland": "FI", "france": "FR", "germany": "DE",
    "greece": "GR", "guernsey": "GG", "hong kong": "HK", "india": "IN", "indonesia": "ID", "ireland": "IE",
    "isle of man": "IM", "israel": "IL", "italy": "IT", "japan": "JP", "jersey": "JE", "korea": "KR",
    "republic of korea": "KR", "luxembourg": "LU", "malta": "MT", "marshall islands": "MH", "mexico": "MX",
    "netherlands": "NL", "the netherlands": "NL", "norway": "NO", "panama": "PA", "peru": "PE",
    "philippines": "PH", "portugal": "PT", "russia": "RU", "russian federation": "RU", "singapore": "SG",
    "south africa": "ZA", "spain": "ES", "sweden": "SE", "switzerland": "CH", "taiwan": "TW",
    "republic of china": "TW", "turkey": "TR", "united states": "US", "liberia": "LR", "cuba": "CU",
}
"""Jurisdictions foreign private issuers commonly name on the cover, by their ISO 3166 alpha-2 code."""

PROVINCES = {
    "alberta": "CA", "british columbia": "CA", "manitoba": "CA", "new brunswick": "CA", "newfoundland": "CA",
    "nova scotia": "CA", "ontario": "CA", "prince edward island": "CA", "quebec": "CA", "québec": "CA",
    "saskatchewan": "CA", "yukon": "CA", "delaware": "US", "nevada": "US", "new york": "US",
}
"""Provinces and states printed without their country: the country is then inferred (a draft)."""

EDGAR_CODES = {
    "A0": "CA", "A1": "CA", "A2": "CA", "A3": "CA", "A4": "CA", "A5": "CA", "A6": "CA", "A7": "CA", "A8": "CA",
    "A9": "CA", "B0": "CA", "Z4": "CA", "E9": "KY", "D0": "BM", "D8": "VG", "X0": "GB", "K3": "HK", "F4": "CN",
    "L3": "IL",
}
"""EDGAR state and country codes (what dei:EntityIncorporationStateCountryCode holds) for the commonest
foreign jurisdictions; a code not here is left to the printed cover."""


def cover_blocks(document: FilingDocument) -> list[Block]:
    """The cover's blocks: up to the table of contents or the first item heading, at most COVER_BLOCKS."""
    blocks: list[Block] = []
    for block in document.blocks[:COVER_BLOCKS]:
        text = block.text.strip()
        if re.match(r"(?i)^(table of contents|contents|index)\b", text) or re.match(r"(?i)^item\s*1\b", text):
            break
        if block.kind == "table" and len(re.findall(r"(?im)^\s*item\s*\d", block.text)) >= 3:
            break
        blocks.append(block)
    return blocks


def parse_date(text: str) -> tuple[str, int, int] | None:
    """The first date printed in `text` ("December 31, 2015", "31 December 2015") as (ISO date, start, end)."""
    candidates = []
    for match in _DATE_MDY.finditer(text):
        candidates.append((match.start(), match.end(), match.group(1), match.group(2), match.group(3)))
    for match in _DATE_DMY.finditer(text):
        candidates.append((match.start(), match.end(), match.group(2), match.group(1), match.group(3)))
    for start, end, month, day, year in sorted(candidates):
        number = _MONTHS.get(month.lower())
        if number is None:
            continue
        try:
            return date(int(year), number, int(day)).isoformat(), start, end
        except ValueError:
            continue
    return None


def _iso_or_text(value: str) -> str | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    parsed = parse_date(value)
    return parsed[0] if parsed else None


# --- check boxes -------------------------------------------------------------------------------------------

def boxes(text: str, after: bool | None = None) -> list[tuple[str, bool, bool]]:
    """The boxes in a line: (the words that go with it, checked, the words come after the box). The words come
    after the boxes when the line begins with a box or ends with a few words after its last box ("... Act.
    ☐ Yes ☒ No"); before them otherwise ("Yes [ ] No [ X ]")."""
    matches = list(_BOX.finditer(text))
    if not matches:
        return []
    if after is None:
        trailing = text[matches[-1].end():].strip(" .:;\u00a0")
        after = not text[:matches[0].start()].strip() or 0 < len(trailing) <= _LABEL_WINDOW
    result = []
    for index, match in enumerate(matches):
        if after:
            stop = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            label = text[match.end():stop][:_LABEL_WINDOW]
        else:
            begin = matches[index - 1].end() if index else 0
            label = text[begin:match.start()][-_LABEL_WINDOW:]
        result.append((label, bool(_CHECKED.fullmatch(match.group())), after))
    return result


def _lines(block: Block) -> list[tuple[str, bool | None]]:
    """A block's lines for box reading, each with the side its words are on when the layout says: a table's
    rows (words after the boxes when a row's first cell is a box) and its columns (an "x" alone in a cell is a
    box); a paragraph's text, the side left to `boxes`."""
    if block.kind != "table" or block.table is None:
        return [(block.text, None)]

    def cell(text: str) -> str:
        text = text.strip()
        return "\u2612" if text in ("x", "X", "\u2713", "\u2714") else text

    lines: list[tuple[str, bool | None]] = []
    for row in block.table.rows:
        texts = [cell(c.text) for c in row if not c.spanned and c.text.strip()]
        if texts:
            lines.append((" ".join(texts), bool(_BOX.match(texts[0]))))
    if len(block.table.rows) > 1:
        width = max(len(row) for row in block.table.rows)
        for column in range(width):
            parts = [cell(row[column].text) for row in block.table.rows
                     if column < len(row) and not row[column].spanned]
            text = " ".join(part for part in parts if part)
            if text:
                lines.append((text, None))
    return lines


def _option(label: str, after: bool, options: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    """The option whose words stand nearest the box (the longest such words when two end together)."""
    best: tuple[int, int, str] | None = None
    for value, pattern in options:
        for match in pattern.finditer(label):
            distance = match.start() if after else len(label.rstrip()) - match.end()
            rank = (distance, -(match.end() - match.start()), value)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def read_boxes(blocks: list[Block], options: tuple[tuple[str, re.Pattern[str]], ...]) -> dict[str, tuple[bool, Block]]:
    """Each option with a box in these blocks -> (checked, the block): checked when any reading checks it."""
    result: dict[str, tuple[bool, Block]] = {}
    for block in blocks:
        for line, side in _lines(block):
            for label, checked, after in boxes(line, side):
                value = _option(label, after, options)
                if value is None:
                    continue
                previous = result.get(value)
                if previous is None or (checked and not previous[0]):
                    result[value] = (checked, block)
    return result


def _question(blocks: list[Block], prompt: re.Pattern[str]) -> list[Block]:
    """The block asking a question and the blocks answering it: up to the next question, at most three more."""
    for position, block in enumerate(blocks):
        match = prompt.search(block.text)
        if not match:
            continue
        scope = [block]
        for following in blocks[position + 1:position + 4]:
            if re.match(r"(?i)^\s*(indicate|if\b|\u2020|note)", following.text):
                break
            scope.append(following)
        return scope
    return []


def _checked_one(found: dict[str, tuple[bool, Block]], values: list[str]) -> tuple[str, Block] | None | str:
    """The one checked option among `values`; None when boxes but none checked; "conflict" when several."""
    checked = [(value, found[value][1]) for value in values if value in found and found[value][0]]
    if len(checked) == 1:
        return checked[0]
    return "conflict" if checked else None


# --- the fields ---------------------------------------------------------------------------------------------

def _dei(document: FilingDocument, name: str, pointer: str, value: object, note: str = "") -> Value:
    fact = next(f for f in document.facts if f.concept == f"dei:{name}" and not f.dimensions)
    block = document.blocks[fact.block] if 0 <= fact.block < len(document.blocks) else None
    concept = f"dei:{name}" + (f" ({fact.fact_id})" if fact.fact_id else "")
    where = Provenance.of(block, fact=concept) if block else None
    return Value(pointer, value, "read", where, note)


def name(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/name"
    tagged = document.dei("EntityRegistrantName")
    if tagged and tagged.strip():
        return _dei(document, "EntityRegistrantName", pointer, tagged.strip())
    for position, block in enumerate(cover):
        match = re.search(r"\(?\s*exact name of (the )?registrant", block.text, re.I)
        if not match:
            continue
        before = block.text[:match.start()].strip()
        if len(before) > MAX_NAME:  # a cover run together in one block: the name is its last piece
            pieces = [piece.strip(" -") for piece in re.split(r"-{3,}|_{3,}|\s{3,}", before) if piece.strip(" -")]
            before = pieces[-1] if pieces and len(pieces[-1]) <= MAX_NAME else ""
            if not before:
                return NotFound(pointer, "a registrant's name apart from the rest of the cover")
        if before:
            start = block.text.rfind(before, 0, match.start())
            return Value(pointer, before, "read", Provenance.of(block, start, start + len(before)))
        if position:
            previous = cover[position - 1]
            return Value(pointer, previous.text.strip(), "read", Provenance.of(previous))
    return NotFound(pointer, "the registrant's name above \"(Exact name of Registrant as specified in its charter)\"")


def form(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/form"
    tagged = document.dei("DocumentType")
    if tagged in ("20-F", "20-F/A"):
        amended = tagged == "20-F/A" or (document.dei("DocumentAmendmentFlag") or "").strip().lower() == "true"
        return _dei(document, "DocumentType", pointer, "20-F/A" if amended else "20-F",
                    "dei:DocumentAmendmentFlag is true" if amended and tagged == "20-F" else "")
    for block in cover:
        match = re.search(r"\bFORM\s+20-F(\s*/\s*A)?\b", block.text, re.I)
        if match:
            amended = bool(match.group(1)) or any(re.search(r"amendment\s+no\.?\s*\d", b.text, re.I) for b in cover)
            return Value(pointer, "20-F/A" if amended else "20-F", "read", Provenance.of(block, match.start(), match.end()))
    return NotFound(pointer, "\"FORM 20-F\" on the cover")


def _year_end_block(cover: list[Block]) -> tuple[Block, tuple[str, int, int]] | None:
    for block in cover:
        match = re.search(r"fiscal\s+year\s+ended", block.text, re.I)
        if match:
            parsed = parse_date(block.text[match.end():])
            if parsed:
                iso, start, end = parsed
                return block, (iso, match.end() + start, match.end() + end)
    return None


def fiscal_year_end(document: FilingDocument) -> str | None:
    """The report's fiscal year end (ISO), for other extractors that need it before the cover is assembled."""
    tagged = document.dei("DocumentPeriodEndDate")
    if tagged and _iso_or_text(tagged):
        return _iso_or_text(tagged)
    found = _year_end_block(cover_blocks(document))
    return found[1][0] if found else None


def year_end(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/fiscal_year_end"
    tagged = document.dei("DocumentPeriodEndDate")
    if tagged and _iso_or_text(tagged):
        return _dei(document, "DocumentPeriodEndDate", pointer, _iso_or_text(tagged))
    found = _year_end_block(cover)
    if found:
        block, (iso, start, end) = found
        return Value(pointer, iso, "read", Provenance.of(block, start, end))
    return NotFound(pointer, "\"for the fiscal year ended ...\" on the cover")


def file_number(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/file_number"
    pattern = re.compile(r"\b(\d{1,3}-\d{4,6}(?:-\d{2})?)\b")
    tagged = document.dei("EntityFileNumber")
    if tagged and pattern.fullmatch(tagged.strip()):
        return _dei(document, "EntityFileNumber", pointer, tagged.strip())
    for block in cover:
        match = re.search(r"file\s+(?:number|no\.?)\s*[:.\-]?\s*", block.text, re.I)
        if match:
            number = pattern.match(block.text, match.end())
            if number:
                return Value(pointer, number.group(1), "read", Provenance.of(block, number.start(), number.end()))
    return NotFound(pointer, "\"Commission file number\" on the cover")


def _box_value(pointer: str, found: dict[str, tuple[bool, Block]], values: list[str], what: str,
               mapping: dict[str, object] | None = None) -> Found:
    choice = _checked_one(found, values)
    if isinstance(choice, tuple):
        value, block = choice
        return Value(pointer, mapping[value] if mapping else value, "read", Provenance.of(block),
                     "the box checked on the cover")
    if choice == "conflict":
        return NotFound(pointer, f"one checked box for {what} (several are checked)")
    if any(value in found for value in values):
        return NotFound(pointer, f"a checked box for {what} (the boxes are there, none checked)")
    return NotFound(pointer, f"the check boxes for {what}")


def basis(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/basis_of_accounting"
    tagged = document.dei("DocumentAccountingStandard")
    if tagged and tagged.strip().lower() in DEI_BASIS:
        return _dei(document, "DocumentAccountingStandard", pointer, DEI_BASIS[tagged.strip().lower()])
    scope = _question(cover, re.compile(r"basis\s+of\s+accounting", re.I))
    return _box_value(pointer, read_boxes(scope, BASIS_OPTIONS), ["US GAAP", "IFRS", "other"], "the basis of accounting")


def _status_scope(cover: list[Block]) -> list[Block]:
    return _question(cover, re.compile(r"large\s+accelerated\s+filer", re.I))


def filer_status(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/filer_status"
    tagged = document.dei("EntityFilerCategory")
    if tagged and tagged.strip().lower() in DEI_STATUS:
        return _dei(document, "EntityFilerCategory", pointer, DEI_STATUS[tagged.strip().lower()])
    found = read_boxes(_status_scope(cover), STATUS_OPTIONS)
    return _box_value(pointer, found, ["large_accelerated_filer", "accelerated_filer", "non_accelerated_filer"],
                      "the filer status")


def emerging_growth(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/emerging_growth_company"
    tagged = document.dei("EntityEmergingGrowthCompany")
    if tagged and tagged.strip().lower() in ("true", "false"):
        return _dei(document, "EntityEmergingGrowthCompany", pointer, tagged.strip().lower() == "true")
    scope = _status_scope(cover)
    scope = scope + [block for block in cover if block not in scope]
    found = read_boxes(scope, STATUS_OPTIONS)
    if "emerging_growth_company" in found:
        checked, block = found["emerging_growth_company"]
        return Value(pointer, checked, "read", Provenance.of(block),
                     "the emerging growth company box is " + ("checked" if checked else "left unchecked"))
    return NotFound(pointer, "an \"emerging growth company\" check box on the cover")


def wksi(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/wksi"
    tagged = document.dei("EntityWellKnownSeasonedIssuer")
    if tagged and tagged.strip().lower() in ("yes", "no"):
        return _dei(document, "EntityWellKnownSeasonedIssuer", pointer, tagged.strip().lower() == "yes")
    scope = _question(cover, re.compile(r"well[-\s]known\s+seasoned\s+issuer", re.I))
    trimmed: list[Block] = []
    for block in scope:  # the Yes/No boxes of this question only: the prompt's block, else the one after it
        trimmed.append(block)
        if boxes(block.text) or (block.kind == "table" and any(boxes(line, side) for line, side in _lines(block))):
            break
    choice = _box_value(pointer, read_boxes(trimmed, YES_NO), ["yes", "no"], "well-known seasoned issuer",
                        {"yes": True, "no": False})
    return choice


def _jurisdiction_code(text: str) -> tuple[str, bool] | None:
    """(ISO code, inferred) for a printed jurisdiction: a country is read, a province or state inferred."""
    lowered = re.sub(r"\s+", " ", text.lower()).strip(" .,;")
    for name_, code in sorted(COUNTRIES.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(name_)}\b", lowered):
            return code, False
    for name_, code in sorted(PROVINCES.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(name_)}\b", lowered):
            return code, True
    return None


def country(document: FilingDocument, cover: list[Block]) -> Found:
    pointer = "/filer/country_of_incorporation"
    tagged = document.dei("EntityIncorporationStateCountryCode")
    if tagged and tagged.strip().upper() in EDGAR_CODES:
        edgar = tagged.strip().upper()
        return _dei(document, "EntityIncorporationStateCountryCode", pointer, EDGAR_CODES[edgar],
                    f"EDGAR code {edgar}")
    for position, block in enumerate(cover):
        match = re.search(r"\(?\s*(?:state\s+or\s+other\s+)?jurisdiction\s+of\s+incorporation", block.text, re.I)
        if not match:
            continue
        source = block
        printed = block.text[:match.start()].strip()
        if not printed and position:
            source = cover[position - 1]
            printed = source.text.strip()
        if not printed:
            break
        mapped = _jurisdiction_code(printed)
        if mapped is None:
            return NotFound(pointer, f"a country for the jurisdiction printed ({printed!r})")
        value, inferred = mapped
        if inferred:
            return Value(pointer, value, "draft", Provenance.of(source, 0, len(printed) if source is block else None),
                         f"the cover names {printed!r}, a province or state of this country")
        return Value(pointer, value, "read", Provenance.of(source))
    return NotFound(pointer, "the jurisdiction of incorporation on the cover")


def cik(document: FilingDocument) -> Found:
    pointer = "/filer/cik"
    tagged = document.dei("EntityCentralIndexKey")
    if tagged and re.fullmatch(r"\d{1,10}", tagged.strip()):
        # tagged with EDGAR's ten digits ("0001090633"); the schema, like EDGAR's addresses, has no leading zeros
        return _dei(document, "EntityCentralIndexKey", pointer, tagged.strip().lstrip("0") or "0")
    return NotFound(pointer, "dei:EntityCentralIndexKey (the CIK is tagged in Inline XBRL, not printed)")


def _filing_date(document: FilingDocument) -> tuple[str, Block, int, int, bool] | None:
    """(date, block, span, read) of the filing date: "As filed with the Securities and Exchange Commission on
    ..." (read), else the date under the signatures (a draft: the report is signed before it is filed)."""
    for block in document.blocks[:COVER_BLOCKS]:
        match = re.search(r"as\s+filed\s+with\s+the\s+(?:securities\s+and\s+exchange\s+commission|sec)\s+on\s+",
                          block.text, re.I)
        if match:
            parsed = parse_date(block.text[match.end():])
            if parsed:
                return parsed[0], block, match.end() + parsed[1], match.end() + parsed[2], True
    signatures = [b.index for b in document.blocks if re.match(r"(?i)^\s*signatures?\s*$", b.text)]
    for start in signatures:
        for block in document.blocks[start + 1:start + 6]:
            match = re.search(r"\bdate[d]?\s*:?\s*", block.text, re.I)
            if match:
                parsed = parse_date(block.text[match.end():])
                if parsed:
                    return parsed[0], block, match.end() + parsed[1], match.end() + parsed[2], False
    return None


def filing_date(document: FilingDocument) -> str | None:
    found = _filing_date(document)
    return found[0] if found else None


def filing(document: FilingDocument) -> Found:
    pointer = "/filer/filing_date"
    found = _filing_date(document)
    if found is None:
        return NotFound(pointer, "\"As filed with the Securities and Exchange Commission on ...\" or a signature date")
    iso, block, start, end, read = found
    if read:
        return Value(pointer, iso, "read", Provenance.of(block, start, end))
    return Value(pointer, iso, "draft", Provenance.of(block, start, end),
                 "the date the report is signed; it is usually filed that day: confirm the filing date")


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    cover = cover_blocks(document)
    yield name(document, cover)
    yield form(document, cover)
    yield year_end(document, cover)
    yield file_number(document, cover)
    yield basis(document, cover)
    yield filer_status(document, cover)
    yield emerging_growth(document, cover)
    yield wksi(document, cover)
    yield country(document, cover)
    yield cik(document)
    yield filing(document)
