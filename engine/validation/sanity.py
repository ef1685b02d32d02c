"""Consistency checks the JSON Schema cannot express: numbers in a description that contradict each other,
and Form items declared not applicable or omitted that are unknown, declared twice or described after all.

Run by validate.check after the schema, on filing descriptions only. A description whose ownership
table says 42% for 50,000 of 205,000 shares was mistyped, so it is bad input (exit 2), not a finding.
Each check reads only values of the right type, so a document with schema errors is safe to walk.
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeGuard

from ..errors import Problem, did_you_mean
from ..sources.document import Document, escape_pointer_token
from . import formitems
from .fact_model import fact_model

TOLERANCE_POINTS = 0.05
"""Difference, in percentage points, always accepted between a stated percentage and the one computed from
the shares; a percentage written with fewer decimals is allowed one unit of its last decimal place instead
(24 may stand for 23 to 25, 5.9 for 5.8 to 6.0), which covers rounding either way and truncation."""

OWNERSHIP_TABLES = ("/item6/share_ownership", "/item7/major_shareholders")
"""The tables whose holders' percentages are computed on the table's shares_outstanding."""


DECLARATIONS = ("not_applicable", "omitted")
"""The description's two lists of Form items it does not describe: each item with the reason."""


def problems(document: Document) -> list[Problem]:
    """Every inconsistency in the document's ownership tables and its declared items, located at the value
    to correct."""
    return _ownership_problems(document) + list(_declaration_problems(document))


def _declaration_problems(document: Document) -> Iterator[Problem]:
    """A declared item must be a Form item, declared once, and not described: a description that both
    describes Item 13 and says it does not apply has one of the two wrong."""
    seen: dict[str, str] = {}
    for kind in DECLARATIONS:
        declared = document.data.get(kind) if isinstance(document.data, dict) else None
        for designation in declared if isinstance(declared, dict) else ():
            pointer = f"/{kind}/{escape_pointer_token(designation)}"
            if not formitems.known(designation):
                suggestion = did_you_mean(designation, formitems.designations())
                yield document.problem(pointer, "unknown-item", f"{designation!r} is not an item of Form 20-F",
                                       suggestion or "write an item (13, 16F) or a lettered part (6.E)",
                                       prefer_key=True)
                continue
            if designation in seen:
                yield document.problem(pointer, "declared-twice", f"Item {designation} is declared both "
                                       f"{seen[designation].replace('_', ' ')} and {kind.replace('_', ' ')}",
                                       "keep one of the two", prefer_key=True)
            seen[designation] = kind
            described = [s for s in fact_model().sections
                         if formitems.within(s.form_item, designation) and s.described(document.data)]
            if described:
                yield document.problem(pointer, "declared-and-described", f"Item {designation} is declared "
                                       f"{kind.replace('_', ' ')}, but {described[0].path} describes it",
                                       f"remove {described[0].path}, or remove this declaration", prefer_key=True)


def _ownership_problems(document: Document) -> list[Problem]:
    found: list[Problem] = []
    for table_pointer in OWNERSHIP_TABLES:
        table = _at(document.data, table_pointer)
        if not isinstance(table, dict) or not _is_count(table.get("shares_outstanding")):
            continue
        holders = table.get("holders")
        for index, holder in enumerate(holders if isinstance(holders, list) else []):
            if isinstance(holder, dict):
                pointer = f"{table_pointer}/holders/{index}"
                found.extend(_holder_problems(document, pointer, holder, table["shares_outstanding"]))
    return found


def _holder_problems(document: Document, pointer: str, holder: dict[str, Any], outstanding: int) -> Iterator[Problem]:
    shares = holder.get("shares")
    if not _is_count(shares) or outstanding == 0:
        return
    rights = _rights(holder)
    if shares > outstanding + rights:
        yield document.problem(f"{pointer}/shares", "inconsistent",
                               f"{shares:,} shares exceed the {outstanding:,} shares outstanding"
                               + (f" plus the holder's {rights:,} rights to acquire" if rights else ""),
                               "correct the holder's shares or the table's shares_outstanding (the class "
                               "the table counts)")
        return
    percent = holder.get("percent_of_class")
    if _is_number(percent):
        problem = _percent_problem(document, f"{pointer}/percent_of_class", percent, shares, outstanding, rights)
        if problem:
            yield problem


def _percent_problem(document: Document, pointer: str, percent: float, shares: int, outstanding: int,
                     rights: int) -> Problem | None:
    """The stated percentage must match one way of computing it, R being the holder's rights to acquire:
    shares / outstanding, shares / (outstanding + R) (Rule 13d-3(d)(1)(i), when the shares count the
    rights) or (shares + R) / (outstanding + R) (when they do not). The first, for a holder with rights, is
    PC-7-003's likely comment, not bad input."""
    low = 100 * shares / (outstanding + rights)
    high = 100 * max(shares / outstanding, (shares + rights) / (outstanding + rights))
    tolerance = max(TOLERANCE_POINTS, _last_place(percent))
    if low - tolerance <= percent <= high + tolerance:
        return None
    basis = f"{shares:,} share{'s' if shares != 1 else ''} of {outstanding:,} outstanding"
    expected = (_percent(low) if not rights else f"between {_percent(low)} and {_percent(high)}, depending on "
                f"how its {rights:,} rights to acquire are counted")
    if low - tolerance <= percent * 100 <= high + tolerance:
        hint = f"write {percent * 100:g} for {percent * 100:g}%: percentages are plain numbers, not fractions"
    else:
        hint = (f"correct the percentage, the shares or shares_outstanding (a difference of up to {tolerance:g} "
                f"{'point' if tolerance == 1 else 'points'} is accepted as rounding)")
    return document.problem(pointer, "inconsistent",
                            f"percent_of_class {percent} does not agree with {basis} ({expected})", hint)


def _percent(value: float) -> str:
    """A computed percentage as a table prints it: 24.39%, or under 0.01% rather than 0.00%."""
    return f"{value:.2f}%" if value >= 0.005 or value == 0 else "under 0.01%"


def _rights(holder: dict[str, Any]) -> int:
    """Shares the holder may acquire: stated rights plus every option it holds (whatever its date)."""
    rights = holder.get("rights_within_60_days")
    total = rights if _is_count(rights) else 0
    options = holder.get("options")
    for option in options if isinstance(options, list) else []:
        amount = option.get("amount") if isinstance(option, dict) else None
        total += amount if _is_count(amount) else 0
    return total


def _last_place(number: float) -> float:
    """One unit in the last decimal place written: 1 for 24, 0.1 for 5.9, 0.01 for 24.39."""
    exponent = Decimal(repr(number)).as_tuple().exponent
    return float(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else 0.0


def _at(data: Any, pointer: str) -> Any:
    for token in pointer.strip("/").split("/"):
        data = data.get(token) if isinstance(data, dict) else None
    return data


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
