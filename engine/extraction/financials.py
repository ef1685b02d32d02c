"""The amounts the rules compare, read from the financial statements: the balance sheet's current totals and the
reporting currency and unit every amount is written in; from the rest of the document, the working capital as
it prints it (never computed: a figure the filing does not state is not the filing's) and Item 5.A's revenue and
expense lines by fiscal year.

Where the document is Inline XBRL, an amount is a tagged fact: the concept of the filer's basis of accounting
(ifrs-full or us-gaap), in the default context (no dimensions) at the fiscal year end, in a currency unit,
divided down to the filer's unit (a fact tagged 2,358,265,000 with scale 3 is 2358265 thousands). Otherwise
it is read from the balance sheet's table: the row whose caption names it, the column headed with the latest
year. Item 5.A's lines are read from its tables whose columns are fiscal years, each row a revenue or expense
line by its own words, its sub-heading's or its table's title, scaled from the unit the table states to the
filer's. Only what can be read so is written; the rest of the amounts (debt, equity investees...) need
judgement about which figure the rule means, and are left to the preparer.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..documents.model import Block, FilingDocument, TaggedFact, numeric_value
from .statements import Statement, find_statements, printed_page
from .values import Context, Found, NotFound, Provenance, Value, page_value

UNITS = {0: "units", 3: "thousands", 6: "millions", 9: "billions"}
POWERS = {name: power for power, name in UNITS.items()}


@dataclass(frozen=True)
class Amount:
    """A balance-sheet amount: where it goes, the concepts that tag it (IFRS, US GAAP), the captions printing it."""

    pointer: str
    ifrs: tuple[str, ...]
    us_gaap: tuple[str, ...]
    caption: re.Pattern[str]
    looked_for: str


AMOUNTS = (
    Amount("/financial_statements/balance_sheet/total_current_assets", ("ifrs-full:CurrentAssets",),
           ("us-gaap:AssetsCurrent",), re.compile(r"^total\s+current\s+assets$", re.I),
           "total current assets (a 'Total current assets' row, or the CurrentAssets / AssetsCurrent fact)"),
    Amount("/financial_statements/balance_sheet/total_current_liabilities", ("ifrs-full:CurrentLiabilities",),
           ("us-gaap:LiabilitiesCurrent",),
           re.compile(r"^(?:total\s+current\s+liabilities|current\s+and\s+total\s+liabilities)$", re.I),
           "total current liabilities (a 'Total current liabilities' row, or the CurrentLiabilities / "
           "LiabilitiesCurrent fact)"),
    Amount("/financial_statements/balance_sheet/other_current_assets", ("ifrs-full:OtherCurrentAssets",),
           ("us-gaap:OtherAssetsCurrent", "us-gaap:PrepaidExpenseAndOtherAssetsCurrent"),
           re.compile(r"^(?:prepaid\s+expenses\s+and\s+)?other\s+current\s+assets$", re.I),
           "an 'Other current assets' caption on the balance sheet"),
    Amount("/financial_statements/balance_sheet/other_current_liabilities", ("ifrs-full:OtherCurrentLiabilities",),
           ("us-gaap:OtherLiabilitiesCurrent", "us-gaap:AccruedLiabilitiesAndOtherLiabilitiesCurrent"),
           re.compile(r"^(?:accrued\s+expenses\s+and\s+)?other\s+current\s+liabilities$", re.I),
           "an 'Other current liabilities' caption on the balance sheet"),
)
WORKING_CAPITAL = "/item5/capital_resources/working_capital"


@dataclass(frozen=True)
class TaggedAmount:
    """An amount read from tagged facts only (no caption names it reliably enough to read it from a table):
    the sum of the concepts tagged (US GAAP splits lease liabilities into operating and finance), at the year
    end or (`opening`) the year before."""

    pointer: str
    ifrs: tuple[str, ...]
    us_gaap: tuple[str, ...]
    opening: bool = False


TAGGED_ONLY = (
    TaggedAmount("/financial_statements/revenue_recognition/contract_liabilities_opening",
                 ("ifrs-full:ContractLiabilities",), ("us-gaap:ContractWithCustomerLiability",), opening=True),
    TaggedAmount("/financial_statements/revenue_recognition/contract_liabilities_closing",
                 ("ifrs-full:ContractLiabilities",), ("us-gaap:ContractWithCustomerLiability",)),
    TaggedAmount("/financial_statements/leases/lease_liabilities", ("ifrs-full:LeaseLiabilities",),
                 ("us-gaap:OperatingLeaseLiability", "us-gaap:FinanceLeaseLiability")),
)
TOTAL_EQUITY = TaggedAmount("/financial_statements/goodwill/total_equity", ("ifrs-full:Equity",),
                            ("us-gaap:StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
                             "us-gaap:StockholdersEquity"))
"""Total equity goes with goodwill (the headroom rule compares it with market capitalisation): written only
where goodwill is tagged; US GAAP's first concept (with non-controlling interests) is preferred."""
GOODWILL = {"IFRS": "ifrs-full:Goodwill", "US GAAP": "us-gaap:Goodwill"}

_CURRENCIES = (
    (re.compile(r"\b(?:u\.?\s?s\.?\s+dollars?|us\$|usd|united\s+states\s+dollars?)\b", re.I), "USD"),
    (re.compile(r"\b(?:canadian\s+dollars?|cdn\$|cad)\b", re.I), "CAD"),
    (re.compile(r"\b(?:euros?|eur)\b", re.I), "EUR"),
    (re.compile(r"\b(?:japanese\s+)?yen\b|\bjpy\b", re.I), "JPY"),
    (re.compile(r"\b(?:pounds?\s+sterling|gbp)\b", re.I), "GBP"),
    (re.compile(r"\b(?:renminbi|rmb|cny)\b", re.I), "CNY"),
    (re.compile(r"\b(?:swiss\s+francs?|chf)\b", re.I), "CHF"),
)
_EXPRESSED = re.compile(r"(?:expressed|presented|stated|amounts?)\s+in\s+(?:(thousands|millions|billions)\s+of\s+)?"
                        r"([^,;)]{2,40})", re.I)
_IN_UNITS = re.compile(r"\bin\s+(?:[A-Z]{3}\s+|[A-Z]{0,2}\$\s*|\u20ac\s*|\u00a5\s*)?(thousands|millions|billions)\b",
                       re.I)
_SCALE_WORD = re.compile(r"\b(thousand|million|billion)s?\b", re.I)


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    statements = find_statements(document, context)
    balance = next((s for s in statements if s.kind == "balance_sheet"), None)
    money = _money_facts(document.facts)
    unit, currency = (_tagged_unit(money) if money else (None, None))
    if unit is None or currency is None:
        printed = _printed_unit(document, statements)
        unit, currency = unit or printed[0], currency or printed[1]
    yield from _filer(document, money, statements, unit, currency)
    if balance is not None:
        page = page_value(printed_page(document, balance.title_block))
        if page is not None:
            yield Value("/financial_statements/balance_sheet/page", page, "read", Provenance.of(balance.title_block))
    basis = context.basis_of_accounting or _basis_from_facts(money)
    year_end = _year_end(document, money)
    for amount in AMOUNTS:
        value = None
        if money and year_end and unit:
            value = _tagged(document, amount, money, basis, year_end, POWERS[unit])
        if value is None and balance is not None:
            value = _from_table(amount, balance)
        if value is None:
            yield NotFound(amount.pointer, amount.looked_for)
        else:
            yield value
    if money and year_end and unit:
        yield from _tagged_only(document, money, basis, year_end, POWERS[unit])
    fiscal_year = (context.fiscal_year_end or year_end or "")[:4] or _latest_year(balance)
    working_capital = printed_working_capital(document, context, unit, fiscal_year)
    if working_capital is not None:
        yield working_capital
    else:
        yield NotFound(WORKING_CAPITAL, "a working capital figure as printed (\"working capital (deficit) of $X\", "
                                        "a \"Working capital\" row); one computed from the balance sheet is not one "
                                        "the filing states")
    yield from operating_lines(document, context, unit)


def _filer(document: FilingDocument, money: list[TaggedFact], statements: list[Statement], unit: str | None,
           currency: str | None) -> Iterator[Found]:
    if money:
        first = money[0]
        where = Provenance.of(document.blocks[first.block], fact=first.concept) if document.blocks else None
        how = "the unit of the tagged amounts and the scale most of them are printed at"
        if unit:
            yield Value("/filer/unit", unit, "read", where, how)
        if currency:
            yield Value("/filer/reporting_currency", currency, "read", where, how)
        return
    heading = _unit_block(document, statements)
    where = Provenance.of(heading) if heading is not None else None
    if unit and where:
        yield Value("/filer/unit", unit, "read", where, "from the statements' 'expressed in' line")
    else:
        yield NotFound("/filer/unit", "an 'expressed in (thousands of) ...' line over the financial statements")
    if currency and where:
        yield Value("/filer/reporting_currency", currency, "read", where, "from the statements' 'expressed in' line")
    else:
        yield NotFound("/filer/reporting_currency", "the currency the financial statements are expressed in")


def _money_facts(facts: list[TaggedFact]) -> list[TaggedFact]:
    return [f for f in facts if f.numeric and f.unit and f.unit.startswith("iso4217:") and "/" not in f.unit]


def _tagged_unit(money: list[TaggedFact]) -> tuple[str | None, str | None]:
    """The unit most amounts are printed in (their commonest scale) and the commonest currency."""
    scales = Counter(f.scale for f in money)
    scale = scales.most_common(1)[0][0]
    currencies = Counter((f.unit or "").split(":", 1)[1] for f in money)
    return UNITS.get(scale), currencies.most_common(1)[0][0]


def _unit_block(document: FilingDocument, statements: list[Statement]) -> Block | None:
    """The 'expressed in ...' line nearest the first statement's title (in it, or just below)."""
    if not statements:
        return None
    start = statements[0].title_block.index
    for block in document.blocks[start:start + 4]:
        if _EXPRESSED.search(block.text) or _IN_UNITS.search(block.text):
            return block
    return None


def _printed_unit(document: FilingDocument, statements: list[Statement]) -> tuple[str | None, str | None]:
    block = _unit_block(document, statements)
    if block is None:
        return None, None
    text = block.text
    found = _SCALE_WORD.search(text)
    unit = found.group(1).lower() + "s" if found else "units"
    currency = next((code for pattern, code in _CURRENCIES if pattern.search(text)), None)
    return unit, currency


def _basis_from_facts(money: list[TaggedFact]) -> str | None:
    prefixes = Counter(f.concept.split(":", 1)[0] for f in money)
    if prefixes["ifrs-full"] > prefixes["us-gaap"]:
        return "IFRS"
    return "US GAAP" if prefixes["us-gaap"] else None


def _year_end(document: FilingDocument, money: list[TaggedFact]) -> str | None:
    """The fiscal year end: dei:DocumentPeriodEndDate, else the latest instant of an untagged-dimension amount."""
    stated = document.dei("DocumentPeriodEndDate")
    if stated and re.fullmatch(r"\d{4}-\d{2}-\d{2}", stated):
        return stated
    instants = [f.period.instant for f in money if f.period.instant and not f.dimensions]
    return max(instants) if instants else None


def _tagged(document: FilingDocument, amount: Amount, money: list[TaggedFact], basis: str | None, year_end: str,
            power: int) -> Value | None:
    concepts = amount.us_gaap if basis == "US GAAP" else amount.ifrs
    for fact in money:
        if fact.concept in concepts and not fact.dimensions and fact.period.instant == year_end:
            assert isinstance(fact.value, Decimal)
            scaled = fact.value.scaleb(-power)
            number: int | float = int(scaled) if scaled == scaled.to_integral_value() else float(scaled)
            block = document.blocks[fact.block]
            return Value(amount.pointer, number, "read", Provenance.of(block, fact=fact.concept))
    return None


def _tagged_only(document: FilingDocument, money: list[TaggedFact], basis: str | None, year_end: str,
                 power: int) -> Iterator[Found]:
    amounts = list(TAGGED_ONLY)
    goodwill = [f for f in money if f.concept == GOODWILL.get(basis or "", "") and not f.dimensions
                and f.period.instant == year_end and f.value != 0]
    if goodwill:
        amounts.append(TOTAL_EQUITY)
    for amount in amounts:
        concepts = amount.us_gaap if basis == "US GAAP" else amount.ifrs
        when = _year_before(money, year_end) if amount.opening else year_end
        chosen: list[TaggedFact] = []
        for concept in concepts:
            fact = next((f for f in money if f.concept == concept and not f.dimensions and f.period.instant == when
                         and when is not None), None)
            if fact is not None:
                chosen.append(fact)
                if amount is TOTAL_EQUITY:
                    break
        if not chosen:
            yield NotFound(amount.pointer, f"a {' or '.join(concepts)} fact at {when or 'the previous year end'}")
            continue
        total = sum((f.value for f in chosen if isinstance(f.value, Decimal)), Decimal(0)).scaleb(-power)
        number: int | float = int(total) if total == total.to_integral_value() else float(total)
        first = chosen[0]
        note = "the sum of " + " and ".join(f.concept for f in chosen) if len(chosen) > 1 else ""
        yield Value(amount.pointer, number, "read",
                    Provenance.of(document.blocks[first.block], fact=" + ".join(f.concept for f in chosen)), note)


def _year_before(money: list[TaggedFact], year_end: str) -> str | None:
    """The previous fiscal year end: the tagged instant nearest a year before this one (within ten days)."""
    try:
        end = date.fromisoformat(year_end)
    except ValueError:
        return None
    best: tuple[int, str] | None = None
    for fact in money:
        if fact.period.instant and not fact.dimensions:
            try:
                gap = abs((end - date.fromisoformat(fact.period.instant)).days - 365)
            except ValueError:
                continue
            if gap <= 10 and (best is None or gap < best[0]):
                best = (gap, fact.period.instant)
    return best[1] if best else None


def _from_table(amount: Amount, statement: Statement) -> Value | None:
    for table in statement.tables:
        assert table.table is not None
        columns = _latest_year_columns(table)
        if not columns:
            continue
        for row in table.table.rows:
            if not row or not amount.caption.match(" ".join(row[0].text.split()).rstrip(":")):
                continue
            for column in columns:
                if column < len(row) and (number := _amount(row[column].text)) is not None:
                    value: int | float = int(number) if number == number.to_integral_value() else float(number)
                    return Value(amount.pointer, value, "read", Provenance.of(table),
                                 f"row '{row[0].text}', column of the latest year")
    return None


def _latest_year_columns(table: Block) -> list[int]:
    """The columns headed with the latest year (a heading spanning two columns heads both)."""
    assert table.table is not None
    by_column: dict[int, int] = {}
    for row in table.table.rows[:6]:
        for index, cell in enumerate(row[1:], start=1):
            years = [int(y) for y in re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", cell.text)]
            if len(years) == 1:
                by_column[index] = years[0]
    if not by_column:
        return []
    latest = max(by_column.values())
    return sorted(column for column, year in by_column.items() if year == latest)


def _amount(text: str) -> Decimal | None:
    """A printed amount; a '(' left open (the ')' in the next cell, as EDGAR tables set it) is a negative."""
    cleaned = text.strip()
    if cleaned.startswith("(") and not cleaned.endswith(")"):
        cleaned += ")"
    if not re.search(r"\d", cleaned):
        return None
    return numeric_value(cleaned)


# ---------------------------------------------------------------------------------------------- Item 5.A lines

OPERATING = "/item5/operating_results"
KINDS = ("revenue_lines", "expense_lines")
_EXPENSE_WORDS = re.compile(r"\b(?:costs?|expenses?|expenditures?)\b", re.I)
_REVENUE_WORDS = re.compile(r"\b(?:revenues?|sales|turnover)\b", re.I)
_NOT_A_LINE = re.compile(r"^(?:total|sub-?total|net\s+(?:income|loss|profit)|gross\s+(?:profit|margin)|"
                         r"operating\s+(?:income|profit|loss)|income\s+before|profit\s+before|loss\s+before)\b|%|"
                         r"\bpercent(?:age)?\b|\bmargin\b", re.I)
"""Rows that are not a revenue or expense line: totals, subtotals, margins, percentages."""
_CURRENCY_MARK = re.compile(r"(?:[A-Z]{1,3}\$|[$\u20ac\u00a3\u00a5]|\b[A-Z]{3}\b)\s*")


@dataclass
class OperatingLine:
    """A revenue or expense line of an Item 5 table: its caption as printed and its amount for each year column,
    already in the filer's unit."""

    kind: str  # "revenue_lines" or "expense_lines"
    name: str
    table: Block
    amounts: list[tuple[int, int | float]]


def operating_lines(document: FilingDocument, context: Context, unit: str | None) -> Iterator[Found]:
    """Item 5.A's revenue and expense lines with their amounts by fiscal year, read from the tables of Item 5.A
    (else Item 5) whose columns are fiscal years and whose rows are revenue or expense lines."""
    blocks = context.item_blocks(document, "5.A") or context.item_blocks(document, "5")
    found: dict[str, list[OperatingLine]] = {kind: [] for kind in KINDS}
    for table in blocks:
        if table.kind != "table" or table.table is None:
            continue
        for line in _table_lines(document, table, unit):
            same = next((other for other in found[line.kind] if other.name.lower() == line.name.lower()), None)
            if same is None:
                found[line.kind].append(line)
            else:
                years = {year for year, _value in same.amounts}
                same.amounts.extend(amount for amount in line.amounts if amount[0] not in years)
    for kind in KINDS:
        if not found[kind]:
            yield NotFound(f"{OPERATING}/{kind}", f"a table in Item 5.A whose rows are {kind.split('_')[0]} lines "
                                                  "and whose columns are fiscal years")
            continue
        for index, line in enumerate(found[kind]):
            yield from _line_values(document, f"{OPERATING}/{kind}/{index}", line, unit)


def _line_values(document: FilingDocument, pointer: str, line: OperatingLine, unit: str | None) -> Iterator[Found]:
    where = Provenance.of(line.table)
    yield Value(f"{pointer}/name", line.name, "read", where)
    page = page_value(printed_page(document, line.table))
    if page is not None:
        yield Value(f"{pointer}/page", page, "read", where)
    for index, (year, amount) in enumerate(line.amounts):
        yield Value(f"{pointer}/amounts/{index}/fiscal_year", year, "read", where, "the column's heading")
        if unit is None:
            yield Value(f"{pointer}/amounts/{index}/amount", amount, "draft", where,
                        "as the table prints it: the unit of the filer's amounts was not found")
        else:
            yield Value(f"{pointer}/amounts/{index}/amount", amount, "read", where)


def _table_lines(document: FilingDocument, table: Block, unit: str | None) -> list[OperatingLine]:
    """The lines of one table: a row naming a cost or expense ("Cost of revenues") is an expense line, any other
    row of the kind of the sub-heading row above it or of the table's caption ("Revenues", "Costs and expenses";
    "Sales and marketing" under "Operating expenses" is an expense), else of the kind its own words say; a row
    nothing places is left out. Amounts as printed (an expense in brackets stays negative)."""
    assert table.table is not None
    years = _year_columns(table)
    caption = _caption(document, table)
    if not years or re.search(r"%|\bpercent", caption, re.I):
        return []
    factor = _factor(caption + " " + " ".join(cell.text for row in table.table.rows[:2] for cell in row), unit)
    current = _table_kind(document, table)
    lines: list[OperatingLine] = []
    for row in table.table.rows:
        name = " ".join(row[0].text.split()).rstrip(":").strip() if row else ""
        if not name:
            continue
        amounts: list[tuple[int, int | float]] = []
        for column, year in sorted(years.items()):
            if column < len(row) and year not in {y for y, _v in amounts}:
                number = _line_amount(row[column].text)
                if number is not None:
                    scaled = number * factor
                    amounts.append((year, int(scaled) if scaled == scaled.to_integral_value() else float(scaled)))
        if not amounts:
            current = _kind_of_words(name) or current  # a sub-heading row: "Revenues:", "Operating expenses:"
            continue
        if _NOT_A_LINE.search(name) or _YEAR_ONLY.fullmatch(name):
            continue
        kind = "expense_lines" if _EXPENSE_WORDS.search(name) else current or _kind_of_words(name)
        if kind is not None:
            lines.append(OperatingLine(kind, name, table, amounts))
    return lines


_YEAR_ONLY = re.compile(r"(?:fiscal\s+)?(?:19|20)\d\d")


def _kind_of_words(text: str) -> str | None:
    """The kind of line words name: a cost or expense (a "cost of revenues" too), else revenue or sales; none for
    a caption naming both ("Revenues and expenses"), whose rows' own words decide."""
    if _EXPENSE_WORDS.search(text):
        both = re.search(r"\b(?:revenues?|sales)\s+and\s+(?:costs?|expenses?|expenditures?)\b", text, re.I)
        return None if both else "expense_lines"
    return "revenue_lines" if _REVENUE_WORDS.search(text) else None


def _table_kind(document: FilingDocument, table: Block) -> str | None:
    """The kind a table's title names: the short text just above it, or above its units line ("Revenues",
    "(in millions of yen)"); a sentence further up ("Sales rose to 7 million units.") says nothing of the table."""
    for block in reversed(document.blocks[max(0, table.index - 2):table.index]):
        if block.kind != "text" or len(block.text) > 200:
            return None
        kind = _kind_of_words(block.text)
        if kind is not None or not _TABLE_UNIT.search(block.text):
            return kind
    return None


def _caption(document: FilingDocument, table: Block) -> str:
    """The short text just above a table (its caption and units line), up to two blocks."""
    texts: list[str] = []
    for block in reversed(document.blocks[max(0, table.index - 2):table.index]):
        if block.kind != "text" or len(block.text) > 200:
            break
        texts.insert(0, block.text)
    return " ".join(texts)


def _year_columns(table: Block) -> dict[int, int]:
    """Column -> fiscal year, from the heading rows above the first row of amounts: a heading naming one year
    ("2009", "Fiscal 2009", "Year ended March 31, 2009"); a change or percentage column is not a year's."""
    assert table.table is not None
    columns: dict[int, int] = {}
    for row in table.table.rows:
        cells = [cell.text.strip() for cell in row[1:]]
        if any(_line_amount(text) is not None and not _YEAR_HEADING.fullmatch(text) for text in cells):
            break
        for index, text in enumerate(cells, start=1):
            years = re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", text)
            if len(years) == 1 and not re.search(r"%|change|increase|decrease|\bvs\b|compared", text, re.I):
                columns[index] = int(years[0])
    return columns


_YEAR_HEADING = re.compile(r"(?:fiscal\s+|fy\s*)?(?:19[5-9]\d|20\d\d)", re.I)


def _line_amount(text: str) -> Decimal | None:
    """An amount in a line's cell: currency marks left out; a percentage is not an amount."""
    if "%" in text:
        return None
    return _amount(_CURRENCY_MARK.sub("", text))


_TABLE_UNIT = re.compile(r"\bin\s+(?:[A-Z]{3}\s+|[A-Z]{0,3}\$\s*|[\u20ac\u00a3\u00a5]\s*)?"
                         r"(thousands|millions|billions)\b|"
                         r"\([^()]*\b(thousands|millions|billions)\b[^()]*\)", re.I)
"""A table's unit as stated over it: "(in millions of yen)", "amounts in thousands", "(\u20ac thousands)"; not
"\u00a53.1 million" in a sentence."""


def _factor(text: str, unit: str | None) -> Decimal:
    """What turns the table's printed amounts into the filer's unit: 1000 for a table "in millions" of a filer
    whose unit is thousands; 1 where the table states no unit (taken to be the filer's)."""
    found = _TABLE_UNIT.search(text)
    if found is None or unit is None:
        return Decimal(1)
    printed = POWERS[(found.group(1) or found.group(2)).lower()]
    return Decimal(1).scaleb(printed - POWERS[unit])


# ---------------------------------------------------------------------------------------------- working capital

_AMOUNT_TEXT = r"(?:[A-Z]{1,3}\$|[$\u20ac\u00a3\u00a5]|[A-Z]{3}\s?)?\s*(\(?\d[\d,]*(?:\.\d+)?\)?)"
_WORKING_CAPITAL_TEXT = re.compile(
    r"\b(negative\s+)?working\s+capital\s*(?:\(?\s*(deficit|deficiency)\s*\)?\s*)?"
    r"(?:position\s+)?(?:of|was|were|amounted\s+to|totall?ed|stood\s+at)\s+(?:approximately\s+|about\s+)?"
    r"(negative\s+)?" + _AMOUNT_TEXT + r"(?:\s*(thousand|million|billion)s?\b)?", re.I)
_WORKING_CAPITAL_ROW = re.compile(r"^(?:net\s+)?working\s+capital\s*(?:\(\s*(deficit|deficiency)\s*\))?"
                                  r"\s*(?:\(\d\)|\*)?$", re.I)


def _latest_year(statement: Statement | None) -> str:
    if statement is None:
        return ""
    columns = [_year_columns(table) for table in statement.tables]
    years = [year for found in columns for year in found.values()]
    return str(max(years)) if years else ""


def printed_working_capital(document: FilingDocument, context: Context, unit: str | None,
                            fiscal_year: str) -> Value | None:
    """The working capital the document prints for the fiscal year: a sentence ("a working capital deficit of
    US$1,626,788") that names the fiscal year, or a "Working capital" row's amount in the fiscal year's column;
    Item 5's first, then the first in the document."""
    item5 = context.items.get("5") or context.items.get("5.B")
    order = list(document.blocks)
    if item5 is not None:
        order = order[item5[0]:item5[1]] + order[:item5[0]] + order[item5[1]:]
    for block in order:
        value = _from_sentence(block, unit, fiscal_year) if block.kind == "text" else _from_row(
            document, block, unit, fiscal_year)
        if value is not None:
            return value
    return None


def _from_sentence(block: Block, unit: str | None, fiscal_year: str) -> Value | None:
    for sentence in re.finditer(r"[^.]*(?:\.(?=\d)[^.]*)*", block.text):
        text = sentence.group(0)
        if fiscal_year and fiscal_year not in text:
            continue
        match = next((m for m in _WORKING_CAPITAL_TEXT.finditer(text) if _of_the_year(text, m, fiscal_year)), None)
        if match is None:
            continue
        number = _amount(match.group(4))
        if number is None:
            continue
        if match.group(1) or match.group(2) or match.group(3):
            number = -abs(number)
        power = POWERS[match.group(5).lower() + "s"] if match.group(5) else 0
        scaled = number.scaleb(power - POWERS[unit or "units"])
        value: int | float = int(scaled) if scaled == scaled.to_integral_value() else float(scaled)
        start = sentence.start() + match.start()
        return Value(WORKING_CAPITAL, value, "read" if unit else "draft",
                     Provenance.of(block, start, sentence.start() + match.end()),
                     f"as printed: \"{match.group(0).strip()}\"" + ("" if unit else "; the filer's unit was not found"))
    return None


_AS_AT = re.compile(r"^\s*,?\s*(?:at|as\s+(?:of|at)|on)\s+(?:the\s+end\s+of\s+)?(?:[a-z]+\.?\s+\d{1,2},?\s+|"
                    r"\d{1,2}\s+[a-z]+\s+|fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)", re.I)
_REQUIREMENT = re.compile(r"\b(?:maintain|minimum|require[sd]?|covenants?|at\s+least|not\s+less\s+than)\b", re.I)


def _of_the_year(text: str, match: re.Match[str], fiscal_year: str) -> bool:
    """Whether a "working capital of $X" in a sentence is the fiscal year's and the filer's own: the date right
    after it ("... at December 31, 2020") or else the last year named before it is the fiscal year; a covenant's
    minimum ("required to maintain working capital of $X") is no one's working capital."""
    if _REQUIREMENT.search(text[max(0, match.start() - 60):match.start()]):
        return False
    if not fiscal_year:
        return True
    after = _AS_AT.match(text[match.end():])
    if after is not None:
        return after.group(1) == fiscal_year
    before = re.findall(r"\b(?:19|20)\d\d\b", text[:match.start()])
    return not before or before[-1] == fiscal_year


def _from_row(document: FilingDocument, table: Block, unit: str | None, fiscal_year: str) -> Value | None:
    if table.kind != "table" or table.table is None:
        return None
    years = _year_columns(table)
    wanted = int(fiscal_year) if fiscal_year else max(years.values(), default=0)
    columns = sorted(column for column, year in years.items() if year == wanted)
    if not columns:
        return None
    for row in table.table.rows:
        caption = " ".join(row[0].text.split()).rstrip(":") if row else ""
        match = _WORKING_CAPITAL_ROW.match(caption)
        if match is None:
            continue
        for column in columns:
            number = _line_amount(row[column].text) if column < len(row) else None
            if number is None:
                continue
            if match.group(1):
                number = -abs(number)
            factor = _factor(_caption(document, table) + " " + " ".join(
                cell.text for heading in table.table.rows[:2] for cell in heading), unit)
            scaled = number * factor
            value: int | float = int(scaled) if scaled == scaled.to_integral_value() else float(scaled)
            return Value(WORKING_CAPITAL, value, "read", Provenance.of(table), f"row '{caption}', column {wanted}")
    return None
