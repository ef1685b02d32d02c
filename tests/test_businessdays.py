"""Business days: weekends and federal holidays, as observed, computed for any year.

Every expected date below was counted by hand on a calendar; the comment beside each says how.
"""
from __future__ import annotations

import datetime

import pytest
from precomment.reports.businessdays import (
    add_business_days,
    holidays,
    is_business_day,
    statutory_holidays,
)

D = datetime.date


def test_the_iij_letter_of_30_september_2009_is_due_on_15_october():
    # Wed 30 Sep 2009. Counted: Thu 1 Oct (1), Fri 2 (2), Mon 5 (3), Tue 6 (4), Wed 7 (5), Thu 8 (6),
    # Fri 9 (7), Mon 12 is Columbus Day (second Monday of October): skipped, Tue 13 (8), Wed 14 (9), Thu 15 (10).
    assert add_business_days(D(2009, 9, 30), 10) == D(2009, 10, 15)


@pytest.mark.parametrize("start, count, expected", [
    # Fri 14 Jun 2024 + 1: Saturday and Sunday skipped -> Mon 17 Jun.
    (D(2024, 6, 14), 1, D(2024, 6, 17)),
    # Thu 2 Jul 2020 + 1: 4 July 2020 is a Saturday, observed Fri 3 Jul -> Mon 6 Jul.
    (D(2020, 7, 2), 1, D(2020, 7, 6)),
    # Thu 30 Dec 2021 + 1: 1 Jan 2022 is a Saturday, observed Fri 31 Dec 2021 (the year before) -> Mon 3 Jan 2022.
    (D(2021, 12, 30), 1, D(2022, 1, 3)),
    # Fri 30 Dec 2016 + 1: 1 Jan 2017 is a Sunday, observed Mon 2 Jan -> Tue 3 Jan 2017.
    (D(2016, 12, 30), 1, D(2017, 1, 3)),
    # Thu 24 Dec 2009 + 2: Fri 25 Dec is Christmas, weekend -> Mon 28 (1), Tue 29 (2).
    (D(2009, 12, 24), 2, D(2009, 12, 29)),
    # Wed 25 Nov 2009 + 1: Thu 26 Nov is Thanksgiving (fourth Thursday) -> Fri 27 Nov.
    (D(2009, 11, 25), 1, D(2009, 11, 27)),
    # Thu 17 Jun 2021 + 1: Juneteenth (Sat 19 Jun 2021, its first year) observed Fri 18 Jun -> Mon 21 Jun.
    (D(2021, 6, 17), 1, D(2021, 6, 21)),
    # Thu 18 Jun 2020 + 1: Juneteenth was not yet a holiday -> Fri 19 Jun 2020.
    (D(2020, 6, 18), 1, D(2020, 6, 19)),
    # A start on a Saturday: Sat 3 Oct 2009 + 1 -> Mon 5 Oct.
    (D(2009, 10, 3), 1, D(2009, 10, 5)),
    # Zero days: the start itself, even on a holiday.
    (D(2009, 12, 25), 0, D(2009, 12, 25)),
])
def test_counting_business_days(start: datetime.date, count: int, expected: datetime.date):
    assert add_business_days(start, count) == expected


def test_the_holidays_of_2009_as_the_commission_observed_them():
    # OPM's 2009 list: Independence Day (Saturday 4 July) observed Friday 3 July; Inauguration Day,
    # Tuesday 20 January, a holiday in the Washington, D.C. area (5 U.S.C. 6103(c); 17 CFR 201.104).
    assert holidays(2009) == {
        D(2009, 1, 1): "New Year's Day",
        D(2009, 1, 19): "Birthday of Martin Luther King, Jr.",
        D(2009, 1, 20): "Inauguration Day",
        D(2009, 2, 16): "Washington's Birthday",
        D(2009, 5, 25): "Memorial Day",
        D(2009, 7, 3): "Independence Day (observed)",
        D(2009, 9, 7): "Labor Day",
        D(2009, 10, 12): "Columbus Day",
        D(2009, 11, 11): "Veterans Day",
        D(2009, 11, 26): "Thanksgiving Day",
        D(2009, 12, 25): "Christmas Day",
    }


def test_new_years_day_on_a_saturday_is_observed_in_the_year_before():
    # 1 Jan 2011 was a Saturday: observed Friday 31 Dec 2010, and 2011 has no New Year's holiday of its own.
    assert holidays(2010)[D(2010, 12, 31)] == "New Year's Day (observed)"
    assert not [day for day, name in holidays(2011).items() if name.startswith("New Year")]


def test_inauguration_day_on_a_sunday_moves_to_monday_and_is_not_a_holiday_in_other_years():
    # 20 Jan 2013 was a Sunday: the inauguration holiday was Monday 21 Jan, also Martin Luther King Day.
    assert holidays(2013)[D(2013, 1, 21)] == "Birthday of Martin Luther King, Jr."
    assert D(2013, 1, 20) not in holidays(2013)
    assert is_business_day(D(2011, 1, 20))  # not an inauguration year
    assert not is_business_day(D(2017, 1, 20))  # Friday 20 January 2017


def test_holidays_that_began_later_are_not_applied_before():
    assert "Birthday of Martin Luther King, Jr." not in statutory_holidays(1985)
    assert statutory_holidays(1986)["Birthday of Martin Luther King, Jr."] == D(1986, 1, 20)
    assert "Juneteenth National Independence Day" not in statutory_holidays(2020)
    # Veterans Day was the fourth Monday of October from 1971 to 1977, 11 November again from 1978.
    assert statutory_holidays(1975)["Veterans Day"] == D(1975, 10, 27)
    assert statutory_holidays(1978)["Veterans Day"] == D(1978, 11, 11)


def test_monday_holidays_fall_on_the_right_mondays():
    # 2024: MLK 15 Jan, Washington's Birthday 19 Feb, Memorial Day 27 May (the last Monday; May has 31
    # days), Labor Day 2 Sep, Columbus Day 14 Oct, Thanksgiving 28 Nov.
    days = statutory_holidays(2024)
    assert [days[name] for name in ("Birthday of Martin Luther King, Jr.", "Washington's Birthday", "Memorial Day",
                                    "Labor Day", "Columbus Day", "Thanksgiving Day")] == [
        D(2024, 1, 15), D(2024, 2, 19), D(2024, 5, 27), D(2024, 9, 2), D(2024, 10, 14), D(2024, 11, 28)]


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_business_days(D(2009, 9, 30), -1)
