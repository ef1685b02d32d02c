"""The primary financial statements a filing presents: each one's title as printed, what kind of statement it
is, how many periods it presents and where it is (Items 8.A, 17 and 18; IAS 1.10; S-X 3-01 to 3-04).

A statement is found by its title: a short line such as "Consolidated Statements of Cash Flows" or
"Consolidated Income Statement" (in a text block, or in a small table as some EDGAR filers set their headings)
followed closely by a table of amounts, with no other title or running text between. A line of an index (a
title and its page) is not a title, nor is a heading within Items 1 to 16 (Item 5's summary of cash flows).
A title repeated over consecutive tables (a balance sheet carried over two pages, changes in equity one
table a year) is one statement. Periods are counted from the tagged facts' contexts when the document is
Inline XBRL (the balance sheet's instants, a flow statement's annual durations), else from the years in the
table's column headings, else (changes in equity) from its "Balance at <date>" rows, marked draft.

Pages: the block's printed page; where the reader found none, a "Page F-5 of F-26" line on the same sheet.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..documents.model import Block, FilingDocument, TaggedFact
from ..validation.formitems import top_item
from .values import Context, Found, NotFound, Provenance, Value, page_value

STATEMENTS = "/financial_statements/primary_statements/statements"

_TITLE = re.compile(
    r"^(?:(?:consolidated|combined|interim|separate|group|company)\s+)*"
    r"(?:statements?\s+of\s+(?:financial\s+(?:position|condition)|profit\s+or\s+loss|comprehensive|income|"
    r"operations|loss|earnings|changes\s+in|shareholders|stockholders|cash\s+flows?)|balance\s+sheets?|"
    r"(?:income|cash\s+flows?|profit\s+and\s+loss|comprehensive\s+income)\s+statements?|"
    r"profit\s+and\s+loss\s+accounts?|"
    r"changes\s+in\s+(?:(?:share|stock)holders['\u2019]?\s+)?equity)"
    r"[^.;:]{0,90}$", re.I)
"""A statement's title ("Consolidated Statements of Cash Flows", "Consolidated Income Statement", "Changes in
Equity"); "Condensed ..." ones (parent-only Schedule I, interim) are not primary statements."""
_INDEX_ENTRY = re.compile(r"\s(?:[A-Z]{1,2}-\d{1,3}|\d{1,3})$")
"""A title followed by a page ("... of Cash Flows F-6", "... 45") is a line of an index, not a statement."""
_CONTINUED = re.compile(r"\s*[(\[]?\s*(?:continued|cont['\u2019]?d|concluded)\s*[)\]]?\s*$", re.I)
_UNITS_NOTE = re.compile(r"\s*\((?:expressed|presented|stated|amounts|in)\b[^()]*\)\s*$", re.I)
_SMALL_CAPS = re.compile(r"\b([B-HJ-Z]) ([A-Z]{2,})\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_BALANCE_ROW = re.compile(r"^balance(?:s)?\b.*?\b((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?"
                          r"\s+(?:19|20)\d\d|\d{1,2}\s+[a-z]+\s+(?:19|20)\d\d)", re.I)
_PRINTED_PAGE = re.compile(r"^page\s+([A-Z]{1,2}-\d{1,4})\s+of\s+[A-Z]{0,2}-?\d{1,4}$", re.I)
_NUMBER_CELL = re.compile(r"^\(?-?\$?\s*\d[\d,]*(?:\.\d+)?\)?$")


@dataclass
class Statement:
    """A primary statement found: its title (as printed), kind, title block, its tables and its periods."""

    title: str
    kind: str
    title_block: Block
    tables: list[Block] = field(default_factory=list)
    periods: int | None = None
    periods_from: str = ""  # "contexts", "headings" or "rows" (the last a draft)
    kind_note: str = ""  # why a kind was inferred rather than read from the title


def clean_title(text: str) -> str:
    """A title as printed, whitespace collapsed, with small capitals rejoined ("C ONSOLIDATED" is how a reader
    sees a large initial capital set apart from the rest of the word)."""
    return _SMALL_CAPS.sub(r"\1\2", " ".join(text.split()))


def _key(title: str) -> str:
    """What makes two titles one statement's: "(continued)" and a units note left out, case ignored."""
    return _UNITS_NOTE.sub("", _CONTINUED.sub("", title)).lower()


def kind_of(title: str) -> str | None:
    lowered = title.lower()
    if any(words in lowered for words in ("financial position", "financial condition", "balance sheet")):
        return "balance_sheet"
    if "cash flow" in lowered:
        return "cash_flows"
    if "changes in" in lowered or "equity" in lowered:
        return "changes_in_equity"
    if "comprehensive" in lowered:
        before = lowered.split("comprehensive")[0]
        if any(word in before for word in ("profit or loss", "income and", "operations and", "loss and",
                                           "earnings and")):
            return "income_and_comprehensive_income"
        return "comprehensive_income"
    if any(word in lowered for word in ("income", "operations", "profit or loss", "profit and loss", "loss",
                                        "earnings")):
        return "income_statement"
    return None


def _title_lines(block: Block) -> list[str]:
    if block.kind == "text":
        return [block.text] if len(block.text) <= 140 else []
    assert block.table is not None
    if len(block.table.rows) > 4:
        return []
    return [cell.text for row in block.table.rows for cell in row if cell.text and not cell.spanned]


def _amount_table(block: Block) -> bool:
    """A table of amounts: two or more rows with a number beside their caption (a statement of comprehensive
    income can have no more than its other comprehensive income lines), four numbers in all."""
    if block.kind != "table" or block.table is None:
        return False
    rows = [sum(1 for cell in row[1:] if _NUMBER_CELL.match(cell.text.strip())) for row in block.table.rows]
    return sum(1 for count in rows if count) >= 2 and sum(rows) >= 4


def statement_title(line: str) -> tuple[str, str] | None:
    """(title as printed, kind) when a line is a primary statement's title, else None."""
    title = _UNITS_NOTE.sub("", _CONTINUED.sub("", clean_title(line)))
    if not _TITLE.match(title) or _INDEX_ENTRY.search(title):
        return None
    kind = kind_of(title)
    return (title, kind) if kind is not None else None


def _titled(block: Block) -> bool:
    return any(statement_title(line) for line in _title_lines(block))


def _statement_table(blocks: list[Block], after: int) -> Block | None:
    """The table of amounts a title heads: within the next three blocks, before another title or running text."""
    for block in blocks[after + 1:after + 4]:
        if _amount_table(block):
            return block
        if _titled(block) or (block.kind == "text" and len(block.text) > 200):
            return None
    return None


def _outside_statements(context: Context | None) -> list[tuple[int, int]]:
    """The block ranges of Items 1 to 16: a title there (a summary cash flow table in Item 5) heads no primary
    statement; those are under Items 17 and 18, on F-pages after Item 19 or the signatures."""
    if context is None:
        return []
    return sorted(span for item, span in context.items.items() if top_item(item) not in {"17", "18", "19"})


def find_statements(document: FilingDocument, context: Context | None = None) -> list[Statement]:
    """The primary statements, in document order (see the module's docstring). Where none is found outside
    Items 1 to 16, those items' sections are looked in too: a last item's section found running on over the
    F-pages (no Item 17 to 19 heading or signatures found) must not hide the statements."""
    elsewhere = _outside_statements(context)
    found = _find(document, elsewhere)
    return found if found or not elsewhere else _find(document, [])


def _find(document: FilingDocument, elsewhere: list[tuple[int, int]]) -> list[Statement]:
    found: list[Statement] = []
    blocks = document.blocks
    for block in blocks:
        if any(start <= block.index < end for start, end in elsewhere):
            continue
        for line in _title_lines(block):
            titled = statement_title(line)
            if titled is None:
                continue
            title, kind = titled
            table = _statement_table(blocks, block.index)
            if table is None:
                break
            previous = next((s for s in found if _key(s.title) == _key(title)), None)
            if previous is not None:
                if table not in previous.tables:
                    previous.tables.append(table)
            else:
                found.append(Statement(title, kind, block, [table]))
            break
    _single_statement_kinds(found)
    for statement in found:
        _count_periods(document, statement)
    return found


def _single_statement_kinds(found: list[Statement]) -> None:
    """A statement of comprehensive income (loss) with no separate income statement in the document is the
    single statement of profit or loss and other comprehensive income (IAS 1.10A): a draft, so said."""
    if any(s.kind == "income_statement" for s in found):
        return
    for statement in found:
        if statement.kind == "comprehensive_income":
            statement.kind = "income_and_comprehensive_income"
            statement.kind_note = ("titled a statement of comprehensive income, and the document has no separate "
                                   "income statement: taken for a single statement of profit or loss and other "
                                   "comprehensive income")


def _count_periods(document: FilingDocument, statement: Statement) -> None:
    if document.facts:
        counted = _periods_from_facts(document.facts, statement)
        if counted:
            statement.periods, statement.periods_from = counted, "contexts"
            return
    years: set[str] = set()
    for table in statement.tables:
        years |= _header_years(table)
    if years and statement.kind != "changes_in_equity":
        statement.periods, statement.periods_from = len(years), "headings"
        return
    dates: set[date | str] = set()
    for table in statement.tables:
        assert table.table is not None
        for row in table.table.rows:
            if row and (match := _BALANCE_ROW.match(row[0].text.strip())):
                dates.add(" ".join(match.group(1).lower().replace(",", "").replace(".", "").split()))
    if len(dates) >= 2:
        statement.periods, statement.periods_from = len(dates) - 1, "rows"
    elif years:
        statement.periods, statement.periods_from = len(years), "headings"


def _header_years(table: Block) -> set[str]:
    """Years in the column headings: the rows above the first row of amounts, first column left out."""
    assert table.table is not None
    years: set[str] = set()
    for row in table.table.rows:
        if any(_NUMBER_CELL.match(cell.text.strip()) and not _YEAR.fullmatch(cell.text.strip()) for cell in row[1:]):
            break
        for cell in row[1:]:
            years.update(_YEAR.findall(cell.text))
    return years


def _periods_from_facts(facts: list[TaggedFact], statement: Statement) -> int:
    blocks = {table.index for table in statement.tables}
    inside = [f for f in facts if f.block in blocks and f.numeric]
    if statement.kind == "balance_sheet":
        return len({f.period.instant for f in inside if f.period.instant})
    durations = {(f.period.start, f.period.end) for f in inside if f.period.start and f.period.end
                 and _annual(f.period.start, f.period.end)}
    return len(durations)


def _annual(start: str, end: str) -> bool:
    try:
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
    except ValueError:
        return False
    return 350 <= days <= 380


def printed_page(document: FilingDocument, block: Block) -> str | None:
    """The block's printed page, else a "Page F-5 of F-26" line on its sheet."""
    if block.page:
        return block.page
    sheet = document.sheets[block.sheet] if 0 <= block.sheet < len(document.sheets) else None
    if sheet is None:
        return None
    for other in document.blocks[sheet.first_block:sheet.end_block]:
        if other.kind == "text" and (match := _PRINTED_PAGE.match(other.text.strip())):
            return match.group(1).upper().replace(" ", "")
    return None




def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    statements = find_statements(document, context)
    if not statements:
        yield NotFound(STATEMENTS, "the titles of the primary financial statements (\"Consolidated Statement(s) of "
                                   "Financial Position\", \"... of Cash Flows\") above tables of amounts")
        return
    for index, statement in enumerate(statements):
        where = Provenance.of(statement.title_block)
        pointer = f"{STATEMENTS}/{index}"
        yield Value(f"{pointer}/title", statement.title, "read", where)
        yield Value(f"{pointer}/kind", statement.kind, "draft" if statement.kind_note else "read", where,
                    statement.kind_note)
        if statement.periods:
            table = Provenance.of(statement.tables[0])
            if statement.periods_from == "rows":
                yield Value(f"{pointer}/periods_presented", statement.periods, "draft", table,
                            "counted from the dated balance rows (one period between each two balances)")
            else:
                yield Value(f"{pointer}/periods_presented", statement.periods, "read", table,
                            "counted from the tagged facts' periods" if statement.periods_from == "contexts"
                            else "counted from the years in the column headings")
        else:
            yield NotFound(f"{pointer}/periods_presented", f"years in the column headings of {statement.title}")
        page = page_value(printed_page(document, statement.title_block))
        if page is not None:
            yield Value(f"{pointer}/page", page, "read", where)
