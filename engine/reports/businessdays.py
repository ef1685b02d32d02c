"""Business days as the SEC staff counts them: not a Saturday, a Sunday or a federal holiday.

A staff letter asks for a response "within ten business days"; the response skeleton gives that date.
The holidays are computed from the statute, never read from a year list that runs out:

- 5 U.S.C. 6103(a): New Year's Day (1 January); Birthday of Martin Luther King, Jr. (third Monday of
  January, from 1986); Washington's Birthday (third Monday of February); Memorial Day (last Monday of
  May); Juneteenth National Independence Day (19 June, from 2021); Independence Day (4 July); Labor Day
  (first Monday of September); Columbus Day (second Monday of October); Veterans Day (11 November; the
  fourth Monday of October from 1971 to 1977); Thanksgiving Day (fourth Thursday of November); Christmas
  Day (25 December). The Monday holidays are those of the Uniform Monday Holiday Act, in force from 1971.
- 5 U.S.C. 6103(b) and Executive Order 11582: a holiday on a Saturday is observed on the Friday before
  (so New Year's Day of a Saturday is observed on 31 December of the year before), one on a Sunday on the
  Monday after.
- 5 U.S.C. 6103(c): Inauguration Day (20 January after a presidential election; the 21st when the 20th
  is a Sunday) is a holiday in the Washington, D.C. area, and 17 CFR 201.104 closes the Commission's
  headquarters on "any other day appointed as a holiday in Washington, D.C.". It is not moved off a
  Saturday.

Days the President closes the government by executive order (Christmas Eve in some years, national days of
mourning) cannot be computed; a preparer should check the SEC's announcements near such a date.
"""
from __future__ import annotations

import datetime
from functools import lru_cache

_MONDAY, _THURSDAY, _SATURDAY, _SUNDAY = 0, 3, 5, 6


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th (1-based) given weekday of a month; n = -1 for the last one."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: datetime.date) -> datetime.date:
    """Saturday -> the Friday before, Sunday -> the Monday after (5 U.S.C. 6103(b))."""
    if day.weekday() == _SATURDAY:
        return day - datetime.timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + datetime.timedelta(days=1)
    return day


def statutory_holidays(year: int) -> dict[str, datetime.date]:
    """The 5 U.S.C. 6103(a) holidays of a year on their nominal dates (before the observed-day rule)."""
    holidays = {
        "New Year's Day": datetime.date(year, 1, 1),
        "Washington's Birthday": _nth_weekday(year, 2, _MONDAY, 3),
        "Memorial Day": _nth_weekday(year, 5, _MONDAY, -1),
        "Independence Day": datetime.date(year, 7, 4),
        "Labor Day": _nth_weekday(year, 9, _MONDAY, 1),
        "Columbus Day": _nth_weekday(year, 10, _MONDAY, 2),
        "Veterans Day": (datetime.date(year, 11, 11) if not 1971 <= year <= 1977
                         else _nth_weekday(year, 10, _MONDAY, 4)),
        "Thanksgiving Day": _nth_weekday(year, 11, _THURSDAY, 4),
        "Christmas Day": datetime.date(year, 12, 25),
    }
    if year >= 1986:
        holidays["Birthday of Martin Luther King, Jr."] = _nth_weekday(year, 1, _MONDAY, 3)
    if year >= 2021:
        holidays["Juneteenth National Independence Day"] = datetime.date(year, 6, 19)
    return holidays


def _inauguration_day(year: int) -> datetime.date | None:
    """20 January of the year after a presidential election (21 January when the 20th is a Sunday)."""
    if year % 4 != 1:
        return None
    day = datetime.date(year, 1, 20)
    if day.weekday() == _SUNDAY:
        return day + datetime.timedelta(days=1)
    return None if day.weekday() == _SATURDAY else day


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[datetime.date, str]:
    """Every day of `year` the Commission is closed for a holiday, with its name, as observed.

    A holiday of the next year may be observed in this one (New Year's Day on a Saturday: 31 December).
    """
    days: dict[datetime.date, str] = {}
    for source_year in range(year, min(year + 1, datetime.MAXYEAR) + 1):  # the calendar ends with 9999
        for name, nominal in statutory_holidays(source_year).items():
            observed = _observed(nominal)
            if observed.year == year:
                days[observed] = name if observed == nominal else f"{name} (observed)"
    inauguration = _inauguration_day(year)
    if inauguration is not None:
        days.setdefault(inauguration, "Inauguration Day")
    return dict(sorted(days.items()))


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < _SATURDAY and day not in holidays(day.year)


def add_business_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th business day after `start` (the start day itself is not counted); a ValueError when it
    would be after 9999-12-31, the last day Python's calendar has."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        if day == datetime.date.max:
            raise ValueError(f"the {count} business days after {start} end after {datetime.date.max}")
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day
