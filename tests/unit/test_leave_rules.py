"""Working days: weekdays minus Québec's statutory holidays (the ``holidays`` package)."""

from datetime import date

import pytest

from app.core.workdays import is_working_day, working_days


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 6, 24), "Fête nationale du Québec"),
        (date(2026, 7, 1), "Canada Day"),
        (date(2026, 5, 18), "Journée nationale des patriotes"),
        (date(2026, 9, 7), "Labour Day"),
        (date(2026, 10, 12), "Thanksgiving"),
        (date(2026, 12, 25), "Christmas"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday"),
    ],
)
def test_quebec_statutory_holidays_are_not_working_days(day, name):
    assert day.weekday() < 5, name
    assert not is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))
    assert not is_working_day(date(2026, 11, 29))
    assert is_working_day(date(2026, 11, 30))


def test_a_plain_week_has_five_working_days():
    assert working_days(date(2026, 11, 30), date(2026, 12, 6)) == 5


def test_the_week_of_the_fete_nationale_and_canada_day_has_three_working_days():
    # 22-26 June 2026: the 24th is off. 29 June - 3 July: the 1st is off.
    assert working_days(date(2026, 6, 22), date(2026, 6, 26)) == 4
    assert working_days(date(2026, 6, 29), date(2026, 7, 3)) == 4


def test_the_christmas_holidays_span_two_years():
    # 21 Dec 2026 - 8 Jan 2027: 15 weekdays minus 25 Dec and 1 Jan (Boxing Day is not statutory in Québec).
    assert working_days(date(2026, 12, 21), date(2027, 1, 8)) == 13


def test_an_empty_or_reversed_range_has_no_working_day():
    assert working_days(date(2026, 12, 5), date(2026, 12, 1)) == 0
    assert working_days(None, date(2026, 12, 1)) == 0
    assert working_days(date(2026, 12, 1), date(2026, 12, 1)) == 1
