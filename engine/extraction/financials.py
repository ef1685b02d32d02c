"""The amounts the rules compare, read from the financial statements: the balance sheet's current totals, the
working capital they make, and the reporting currency and unit every amount is written in.

Where the document is Inline XBRL, an amount is a tagged fact: the concept of the filer's basis of accounting
(ifrs-full or us-gaap), in the default context (no dimensions) at the fiscal year end, in a currency unit,
divided down to the filer's unit (a fact tagged 2,358,265,000 with scale 3 is 2358265 thousands). Otherwise
it is read from the balance sheet's table: the row whose caption names it, the column headed with the latest
year. Only what can be read so is written; the rest of the amounts (revenue lines, debt, equity investees...)
need judgement about which figure the rule means, and are left to the preparer.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..documents.model import Block, FilingDocument, TaggedFact, numeric_value
from .statements import Statement, find_statements, page_value, printed_page
from .values import Context, Found, NotFound, Provenance, Value

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
_IN_UNITS = re.compile(r"\bin\s+(?:[A-Z]{3}\s+|[A-Z]{0,2}\$\s*|\u20ac\s*|\u00a5\s*)?(thousands|millions|billions)\b", re.I)
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
    read: dict[str, Value] = {}
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
            read[amount.pointer] = value
            yield value
    if money and year_end and unit:
        yield from _tagged_only(document, money, basis, year_end, POWERS[unit])
    assets = read.get(AMOUNTS[0].pointer)
    liabilities = read.get(AMOUNTS[1].pointer)
    if assets is not None and liabilities is not None:
        yield Value(WORKING_CAPITAL, assets.value - liabilities.value, "draft", None,
                    "total current assets less total current liabilities, as read from the balance sheet: confirm "
                    "that Item 5 means the same figure")
    else:
        yield NotFound(WORKING_CAPITAL, "total current assets and total current liabilities to subtract")


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
