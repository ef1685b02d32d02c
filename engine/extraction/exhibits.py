"""Item 19: the exhibit index, each exhibit's number, title, status and page as printed, and drafts of its
kind and counterparty from its title.

Indexes come as tables (Number | Description, sometimes a third column saying "Filed herewith" or
"Incorporated by reference to ..."), or as paragraphs ("1.1 Articles of Association"). Statuses are read
where the index states them: in a column, in a parenthesis after the title, or in notes below the index
that explain marks put after the titles ("(1) Previously filed as an exhibit to ..."; "* Filed herewith").
Where it states none, the certifications' statuses follow from the rules that require them (Exhibit 12 is
filed, Exhibit 13 furnished), written as drafts. Whether a contract was made in the ordinary course, and
other judgements, are the preparer's and never written here.

The section comes from the sections extractor (`context.items["19"]`); where it did not find one, this
module looks for the "Item 19" / "Exhibits" heading itself. An index printed after the signatures ("Exhibit
Index"), which Item 19 then refers to, is read too.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..documents.model import Block, FilingDocument, Table
from .risk_factors import ITEM_HEADING, find_section, heading_text, section_end
from .values import Confidence, Context, Found, NotFound, Provenance, Value, page_value

ITEM = "19"
EXHIBITS_HEADING = re.compile(
    r"^item\s*19\s*\.?$|^(?:item\s*19(?:\s*[.:\u2013\u2014-])*\s*)?exhibits\s*\.?$", re.I)
INDEX_HEADING = re.compile(
    r"^(?:exhibit\s+index|index\s+(?:to|of)\s+exhibits|list\s+of\s+exhibits|exhibit\s+list)\s*\.?$", re.I)
ENDS = re.compile(rf"{ITEM_HEADING.pattern}|^signatures?\s*\.?$"
                  r"|^(?:index\s+to\s+)?(?:consolidated\s+)?financial\s+statements$", re.I)
"""Where an exhibit index ends: the next Item, the signatures, the financial statements."""

NUMBER = r"\d{1,2}(?:\.\d{1,3}){0,2}"
MARK = r"(?:\*+|\u2020+|\u2021+|#+|\+|\(\d{1,2}\)|\[\d{1,2}\])"
"""The marks filers put after a number or title, explained in notes: *, **, daggers, #, +, (1), [1]."""
_NUMBER_CELL = re.compile(rf"^(?:exhibit\s+(?:no\.?\s*)?)?({NUMBER})\.?\s*((?:{MARK}\s*)*)$", re.I)
_PARAGRAPH_ROW = re.compile(
    rf"^(?:exhibit\s+(?:no\.?\s*)?(?P<a>{NUMBER})|(?P<b>\d{{1,2}}(?:\.\d{{1,3}}){{1,2}}))\.?"
    rf"(?P<marks>(?:\s*{MARK})*)[\s:\u2013\u2014-]+(?P<title>[A-Za-z\"\u201c'(].*)$", re.I)
_NOTE = re.compile(rf"^({MARK}|\([a-z]\))\s*(\S.*)?$", re.I)
_TRAILING_MARK = re.compile(rf"\s*{MARK}$")
_STATED = re.compile(
    r"\s*(?:[(\[]\s*(?:incorporated|previously\s+filed|filed|furnished|included)\b[^)\]]*[)\]]"
    r"|(?:[-\u2013\u2014;,]\s*|(?<=\.)\s+)(?:incorporated\s+(?:herein\s+)?by\s+reference|previously\s+filed|"
    r"filed\s+herewith|furnished\s+herewith)\b.*)\s*$", re.I)
"""What a title's own cell says of its status, after the title: "(incorporated by reference to ...)",
"- filed herewith"."""
MAX_ROW_CHARS = 600
"""A paragraph longer than this is running text that happens to begin with a number, not an index entry."""
MAX_GAP = 12
"""Paragraph rows of an index follow one another: this many text blocks without one end the index."""


@dataclass(frozen=True)
class Row:
    number: str
    title: str
    block: Block
    start: int | None  # the title's span in the block's text
    end: int | None
    marks: tuple[str, ...]  # note marks after the number or title
    stated: str  # what the row itself says of its status (a column, a parenthesis), "" if nothing


@dataclass(frozen=True)
class Status:
    value: str
    confidence: Confidence
    block: Block
    note: str = ""


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    section = find_section(document, context, ITEM, EXHIBITS_HEADING, ENDS)
    rows: list[Row] = []
    notes: dict[str, tuple[str, Block]] = {}
    intro: Block | None = None
    for span in _index_spans(document, section):
        rows, notes, intro = read_index(document, span)
        if rows:
            break
    if not rows:
        where = "an Item 19 exhibit index" if section else "an Item 19 \"Exhibits\" heading or an exhibit index"
        yield NotFound("/item19/exhibits", f"{where} (rows of an exhibit number and a title)")
        return
    for index, row in enumerate(rows):
        yield from _row_values(index, row, notes, intro, document)


def _index_spans(document: FilingDocument, section: tuple[int, int] | None) -> Iterator[tuple[int, int]]:
    """Where the index may be: Item 19's own section, then any "Exhibit Index" (after Item 19, if found)."""
    if section is not None:
        yield section[0], min(section[1], section_end(document, section[0], ENDS))  # never into the signatures
    after = section[0] if section else 0
    for block in document.blocks[after:]:
        if INDEX_HEADING.match(heading_text(block) or ""):
            yield block.index, section_end(document, block.index, ENDS)


def read_index(document: FilingDocument, span: tuple[int, int]
               ) -> tuple[list[Row], dict[str, tuple[str, Block]], Block | None]:
    """The rows of the index in the blocks [start, end), the notes that explain its marks, and the sentence
    introducing it when that says the exhibits are filed with the report."""
    rows: list[Row] = []
    notes: dict[str, tuple[str, Block]] = {}
    intro: Block | None = None
    gap = 0
    for block in document.blocks[span[0]:span[1]]:
        if block.kind == "table" and block.table is not None:
            found = table_rows(block, block.table)
            rows.extend(found)
            notes.update(_table_notes(block, block.table))
            gap = 0 if found else gap
            continue
        row = paragraph_row(block)
        if row is not None and (not rows or gap <= MAX_GAP):
            rows.append(row)
            gap = 0
            continue
        note = _NOTE.match(block.text)
        if note and note.group(2):
            notes[note.group(1)] = (note.group(2), block)
        elif not rows and status_of(block.text) == "filed" and "exhibit" in block.text.lower():
            intro = block
        gap += 1
    return [_lettered_mark(row, notes) for row in rows], notes, intro


_LETTER_MARK = re.compile(r"\s*(\([a-z]\))$")


def _lettered_mark(row: Row, notes: dict[str, tuple[str, Block]]) -> Row:
    """A title ending in a lettered mark a note explains ("Articles of Incorporation (c)", note "(c) ..."): the
    mark is the note's, not the title's. Only then: "(a)" ends many a title of its own (Section 13(a))."""
    found = _LETTER_MARK.search(row.title)
    if found is None or found.group(1) not in notes:
        return row
    title = row.title[:found.start()].rstrip()
    end = row.start + len(title) if row.start is not None else None
    return Row(row.number, title, row.block, row.start, end, row.marks + (found.group(1),), row.stated)


def table_rows(block: Block, table: Table) -> list[Row]:
    """Rows of a table index: a cell that is only an exhibit number, the title in the next cell with text,
    and what later cells say (a status column; a mark under a "Filed herewith" or "Incorporated by
    reference" heading says it by its column)."""
    rows: list[Row] = []
    headings: list[str] = [""] * max((len(cells) for cells in table.rows), default=0)
    offset = 0  # where the row starts in the block's text (rows joined by newlines, cells by tabs)
    for cells in table.rows:
        texts = [cell.text for cell in cells]
        row = _table_row(block, texts, offset, [cell.spanned for cell in cells], headings)
        if row is not None:
            rows.append(row)
        elif not rows:  # a heading row: what each column is
            headings = [f"{heading} {text}".strip() for heading, text in zip(headings, texts)]
        offset += len("\t".join(texts)) + 1
    return rows


def _table_row(block: Block, texts: list[str], offset: int, spanned: list[bool], headings: list[str]) -> Row | None:
    filled = [i for i, text in enumerate(texts) if text and not spanned[i]]
    if not filled:
        return None
    first = _NUMBER_CELL.match(texts[filled[0]])
    if first is None:
        whole = _PARAGRAPH_ROW.match(texts[filled[0]])  # a one-column index: "4.1 Agreement ..." in a cell
        if whole is None:
            return None
        start = offset + _cell_start(texts, filled[0]) + whole.start("title")
        return _make_row(whole.group("a") or whole.group("b"), whole.group("title"), whole.group("marks"),
                         _stated(texts, filled[1:], headings), block, start)
    if len(filled) < 2:
        return None
    title_cell = filled[1]
    return _make_row(first.group(1), texts[title_cell], first.group(2), _stated(texts, filled[2:], headings), block,
                     offset + _cell_start(texts, title_cell))


def _stated(texts: list[str], columns: list[int], headings: list[str]) -> str:
    """What the cells after the title say of the status: their text where it says it, else their column's
    heading (an "X" under "Filed herewith", a form name under "Incorporated by reference")."""
    said = []
    for column in columns:
        heading = headings[column] if column < len(headings) else ""
        said.append(texts[column] if status_of(texts[column]) or not status_of(heading) else heading)
    return " ".join(said)


def _cell_start(texts: list[str], column: int) -> int:
    return sum(len(text) + 1 for text in texts[:column])


def paragraph_row(block: Block) -> Row | None:
    """A paragraph of an index: "1.1 Articles of Association (1)", "Exhibit 8.1 - List of subsidiaries"."""
    if block.kind != "text" or len(block.text) > MAX_ROW_CHARS:
        return None
    found = _PARAGRAPH_ROW.match(block.text)
    if found is None:
        return None
    return _make_row(found.group("a") or found.group("b"), found.group("title"), found.group("marks"), "",
                     block, found.start("title"))


def _make_row(number: str, raw_title: str, number_marks: str, stated: str, block: Block, start: int) -> Row | None:
    title, marks, own = clean_title(raw_title)
    if not title:
        return None
    marks = tuple(re.findall(MARK, number_marks or "")) + marks
    return Row(number, title, block, start, start + len(title), marks, " ".join(part for part in (stated, own) if part))


def clean_title(raw: str) -> tuple[str, tuple[str, ...], str]:
    """A title as printed without the marks after it and without what it says of its own status: (title,
    marks, status text)."""
    title = raw.strip()
    marks: list[str] = []
    stated = ""
    for _ in range(3):  # marks, then a parenthesis, then marks before it
        while (mark := _TRAILING_MARK.search(title)) is not None:
            marks.insert(0, mark.group(0).strip())
            title = title[:mark.start()].rstrip()
        said = _STATED.search(title)
        if said is None:
            break
        stated = said.group(0).strip(" -\u2013\u2014;,()[]") + (" " + stated if stated else "")
        title = title[:said.start()].rstrip()
    return title.rstrip(" ,;:-\u2013\u2014"), tuple(marks), stated


def _table_notes(block: Block, table: Table) -> dict[str, tuple[str, Block]]:
    """Notes set as a table: a mark in one cell, its explanation in the next ("(1) | Previously filed ...")."""
    notes: dict[str, tuple[str, Block]] = {}
    for cells in table.rows:
        texts = [cell.text for cell in cells if cell.text and not cell.spanned]
        if len(texts) >= 2 and re.fullmatch(rf"{MARK}|\([a-z]\)", texts[0], re.I):
            notes[texts[0]] = (" ".join(texts[1:]), block)
        elif texts and (found := _NOTE.match(texts[0])) and found.group(2):
            notes[found.group(1)] = (found.group(2), block)
    return notes


_EITHER = re.compile(r"(?:filed|furnished)\s*(?:/|or|and/or)\s*(?:furnished|filed)\s+herewith", re.I)


def status_of(text: str) -> str | None:
    """The status a phrase states: incorporated by reference (an earlier filing), furnished, or filed."""
    lowered = re.sub(r"\s+", " ", text.lower())
    if re.search(r"incorporated (?:herein )?by reference|previously (?:filed|furnished|submitted)"
                 r"|filed (?:previously|as (?:an )?exhibit [\w.]+ to|with the (?:sec|commission) on)", lowered):
        return "incorporated_by_reference"
    if "furnished" in lowered:
        return "furnished"
    if re.search(r"\bfiled (?:herewith|hereto|with this|as (?:a )?part of this|as exhibits (?:to|with|of) this)"
                 r"|\bincluded herewith"
                 r"|\battached hereto|\bfiled electronically herewith", lowered):
        return "filed"
    return None


def _row_values(index: int, row: Row, notes: dict[str, tuple[str, Block]], intro: Block | None,
                document: FilingDocument) -> Iterator[Found]:
    base = f"/item19/exhibits/{index}"
    where = Provenance.of(row.block, row.start, row.end)
    yield Value(f"{base}/number", row.number, "read", Provenance.of(row.block))
    yield Value(f"{base}/title", row.title, "read", where)
    status = resolve_status(row, notes, intro)
    if status is None:
        yield NotFound(f"{base}/status", f"whether Exhibit {row.number} is filed herewith or incorporated by "
                                         "reference (a column, a note mark, or the index's introduction)")
    else:
        yield Value(f"{base}/status", status.value, status.confidence,
                    Provenance.of(status.block), status.note)
    page = page_value(row.block.page)
    if page is None:
        yield NotFound(f"{base}/page", "a printed page number on the exhibit index's page")
    else:
        yield Value(f"{base}/page", page, "read", Provenance.of(row.block))
    kind = kind_of(row.number, row.title)
    if kind is None:
        yield NotFound(f"{base}/kind", f"what Exhibit {row.number} is, from its title")
    else:
        yield Value(f"{base}/kind", kind[0], "draft", where, kind[1])
    party = counterparty_of(row.title, document)
    if party is not None:
        yield Value(f"{base}/counterparty", party[0], "draft", where, party[1])
    elif re.search(r"\b(?:agreement|contract|lease)\b", row.title, re.I):
        yield NotFound(f"{base}/counterparty", f"the other party to Exhibit {row.number}, named in its title")


def resolve_status(row: Row, notes: dict[str, tuple[str, Block]], intro: Block | None) -> Status | None:
    """The row's status: as stated on the row or in the notes its marks point to ("read"); else what the
    index's introduction says; the certifications' as their rules make them, where nothing else says."""
    series = row.number.split(".")[0]
    either = _EITHER.search(row.stated)
    if either is not None:  # a "Filed/Furnished herewith" column: of its exhibits, the certifications are furnished
        return Status("furnished" if series == "13" else "filed", "read", row.block, f"marked \"{either.group(0)}\"")
    if row.stated and (value := status_of(row.stated)) is not None:
        return Status(value, "read", row.block)
    for mark in row.marks:
        if mark in notes and (value := status_of(notes[mark][0])) is not None:
            return Status(value, "read", notes[mark][1], f"note {mark}: {notes[mark][0]}")
    if series == "13":
        said = " (the index's introduction calls every exhibit filed)" if intro is not None else ""
        return Status("furnished", "draft", intro or row.block,
                      "Section 906 certifications (Exhibit 13) are furnished, not filed, under Rule 13a-14(b)" + said)
    if intro is not None:
        return Status("filed", "read", intro, "the index's introduction says the exhibits are filed with the "
                                              "report, and no note refers this one to an earlier filing")
    if series == "12":
        return Status("filed", "draft", row.block,
                      "Rule 13a-14(a) certifications (Exhibit 12) are filed with the report; the index does not say")
    return None


KINDS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("certification", "a certification under Section 302 or 906, Rule 13a-14 or 18 U.S.C. 1350", re.compile(
        r"\bcertificat(?:e|ion)s?\b.*(?:\b302\b|\b906\b|13a-14|15d-14|\b1350\b|sarbanes)"
        r"|(?:\b302\b|\b906\b|13a-14|15d-14|\b1350\b|sarbanes).*\bcertificat", re.I)),
    ("consent", "\"consent of\"", re.compile(r"\bconsents?\s+of\b", re.I)),
    ("subsidiary_guarantors", "subsidiary guarantors", re.compile(
        r"\bguarantors?\b.*\bsubsidiar|\bsubsidiary\s+guarantor", re.I)),
    ("subsidiaries", "a list of subsidiaries", re.compile(
        r"\b(?:list|schedule)\s+of\s+(?:\w+\s+){0,2}subsidiar|^(?:principal\s+|significant\s+)?subsidiaries\b", re.I)),
    ("clawback_policy", "a clawback or compensation recovery policy", re.compile(
        r"claw-?back|recovery\s+of\s+erroneously|compensation\s+recovery|recoupment", re.I)),
    ("insider_trading_policy", "an insider trading or dealing policy", re.compile(
        r"insider\s+trading|trading\s+polic|(?:share|securities)\s+dealing", re.I)),
    ("code_of_ethics", "a code of ethics or conduct", re.compile(
        r"\bcode\s+of\s+(?:\w+\s+){0,3}(?:ethics|conduct)\b|\bbusiness\s+conduct\b|\bethics\b", re.I)),
    ("description_of_securities", "a description of securities", re.compile(
        r"\bdescription\s+of\s+(?:the\s+)?(?:[\w']+\s+){0,3}(?:securities|shares|share\s+capital|capital\s+stock)",
        re.I)),
    ("voting_trust", "a voting trust", re.compile(r"\bvoting\s+trust\b", re.I)),
    ("former_accountant_letter", "a letter from accountants", re.compile(
        r"\bletter\b.*\b(?:accountants?|auditors?|LLP)\b", re.I)),
    ("mine_safety_disclosure", "mine safety", re.compile(r"\bmine\s+safety\b", re.I)),
    ("articles", "articles, by-laws, a memorandum, a charter or a constitution", re.compile(
        r"^(?!.*\bcommittee\b).*(?:\barticles\b|\bby-?laws?\b|\bmemorandum\s+(?:and\s+articles|of\s+association)"
        r"|\bcertificate\s+of\s+(?:incorporation|amalgamation|continuance)|\bconstitution\b|\bstatutes\b"
        r"|\bcharter\b)", re.I)),
    ("instrument_defining_rights", "a deposit agreement, indenture, warrant or share certificate", re.compile(
        r"\bdeposit\s+agreement\b|\bindenture\b|\bspecimen\b|\b(?:share|stock)\s+certificate\b|\bwarrants?\b"
        r"|\bregistration\s+rights\b|\brights\s+agreement\b|\bnotes?\s+due\b|\bdebentures?\b", re.I)),
    ("limitation_of_liability_agreement", "limitation of liability", re.compile(
        r"limitation\s+of\s+liability|liability\s+limitation", re.I)),
    ("lease", "a lease", re.compile(r"\b(?:sub)?leases?\b|\btenancy\b", re.I)),
    ("license_agreement", "a licence agreement", re.compile(r"\blicen[cs](?:e|ing)\s+agreement\b|\bcross-licen", re.I)),
    ("management_or_compensation", "an employment, service or compensation agreement or plan", re.compile(
        r"\bemployment\s+(?:agreement|contract)|\bservice\s+(?:agreement|contract)|\boption\s+plan\b"
        r"|\b(?:share|stock|equity)\s+(?:\w+\s+)?(?:incentive|award|purchase|unit|compensation)\s+plan\b"
        r"|\bincentive\s+plan\b|\bcompensation\b|\bbonus\s+plan\b|\bseverance\b|\bretention\s+agreement\b"
        r"|\bpension\s+plan\b|\b(?:restricted|deferred)\s+share\s+units?\b", re.I)),
    ("carrier_agreement", "carrier, network or telecommunications services", re.compile(
        r"\bcarrier\b|\btelecommunications?\s+services?\b|\bnetwork\s+services?\b|\binterconnection\b"
        r"|\baccess\s+line\b", re.I)),
    ("supplier_agreement", "a supply or manufacturing agreement", re.compile(
        r"\bsupply\s+agreement\b|\bsupplier\b|\bmanufacturing\s+agreement\b", re.I)),
)
"""Kinds a title names, with what it names for the note (first match wins: the narrower come first)."""

SERIES_KINDS: dict[str, tuple[str, str]] = {
    "2": ("instrument_defining_rights", "Exhibit 2 holds the instruments defining the rights of security holders"),
    "3": ("voting_trust", "Exhibit 3 holds voting trust agreements"),
    "4": ("material_contract", "Exhibit 4 holds the material contracts"),
    "8": ("subsidiaries", "Exhibit 8 is the list of subsidiaries"),
    "11": ("code_of_ethics", "Exhibit 11 is the code of ethics"),
    "12": ("certification", "Exhibit 12 holds the Rule 13a-14(a) certifications"),
    "13": ("certification", "Exhibit 13 holds the Rule 13a-14(b) (Section 906) certifications"),
    "15": ("other", "Exhibit 15 holds additional exhibits and the title names no kind of the list"),
    "16": ("former_accountant_letter", "Exhibit 16 is the letter on a change in the certifying accountant"),
    "17": ("subsidiary_guarantors", "Exhibit 17 lists the subsidiary guarantors"),
    "97": ("clawback_policy", "Exhibit 97 is the compensation recovery (clawback) policy"),
    "99": ("other", "Exhibit 99 holds additional exhibits and the title names no kind of the list"),
}
"""What each exhibit series of the Instructions as to Exhibits holds, for a title that names no kind."""


def kind_of(number: str, title: str) -> tuple[str, str] | None:
    """The exhibit's kind (a draft) with why: from the words of its title, else from its number's series."""
    for kind, what, pattern in KINDS:
        if pattern.search(title):
            return kind, f"from the title, which names {what}"
    series = SERIES_KINDS.get(number.split(".")[0])
    return (series[0], f"from the number: {series[1]}") if series else None


_PARTIES = re.compile(
    r"\b(?:between|among|amongst)\s+(?P<parties>.+?)(?=,?\s+(?:dated|effective|as\s+of|for\s+the|relating|regarding"
    r"|in\s+respect|with\s+respect|pursuant|on\s+\w+\s+\d)|\s*[(\[]|$)", re.I)
_WITH = re.compile(
    r"\bwith\s+(?!respect\b|regard\b)(?P<party>.+?)(?=,?\s+(?:dated|effective|as\s+of|for\s+|relating|regarding"
    r"|in\s+respect|with\s+respect|pursuant|on\s+\w+\s+\d)|\s*[(\[]|$)", re.I)
_SELF = re.compile(r"^(?:the\s+)?(?:company|registrant|corporation|issuer|group|us|we|our|ourselves)$"
                   r"|^(?:the\s+)?(?:holders|owners|beneficial\s+owners)\b", re.I)


def counterparty_of(title: str, document: FilingDocument) -> tuple[str, str] | None:
    """The other party an agreement's title names ("... between the Company and X", "... with X"), when
    exactly one party is left once the company itself (and holders of its securities) are set aside."""
    if not re.search(r"\b(?:agreement|contract|lease|letter|undertaking|deed|guarantee|plan|arrangement)\b",
                     title, re.I):
        return None
    own = document.dei("EntityRegistrantName")
    found = _PARTIES.search(title)
    if found is not None:
        parties = [_party(party) for party in re.split(r",\s*(?:and\s+)?|\s+and\s+", found.group("parties"))]
        others = [party for party in parties if party and not _is_self(party, own)]
        if len(others) == 1:
            return others[0], f"the other party of \"{found.group(0).strip()}\""
        return None
    found = _WITH.search(title)
    if found is not None and not _is_self(party := _party(found.group("party")), own):
        return party, f"the party the title names: \"{found.group(0).strip()}\""
    return None


def _party(text: str) -> str:
    """A party's name without the punctuation around it, keeping an abbreviation's period ("Ltd.", "S.A.")."""
    name = text.strip(" ,;")
    if name.endswith(".") and len(name.rsplit(" ", 1)[-1]) > 5:
        name = name[:-1]
    return name


def _is_self(party: str, own: str | None) -> bool:
    return bool(_SELF.match(party)) or (own is not None and party.lower().startswith(own.lower()[:12]))
