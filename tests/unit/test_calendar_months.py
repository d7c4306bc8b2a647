"""The month a calendar page shows, its neighbours and its grid (app/calendars/months.py): no database."""

from datetime import date
from types import SimpleNamespace

import pytest

from app.calendars.months import LAST_YEAR, Month, parse_month, place, weekday_order, weeks

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-02", Month(2027, 2)),
        (" 2027-12 ", Month(2027, 12)),
        (None, Month(2026, 12)),
        ("", Month(2026, 12)),
        ("2027-13", Month(2026, 12)),
        ("2027-00", Month(2026, 12)),
        ("2027-2", Month(2026, 12)),
        ("0001-01", Month(2026, 12)),
        ("9999-12", Month(2026, 12)),
        ("٢٠٢٧-٠٢", Month(2026, 12)),  # digits of another script: not ours
        ("2027-02\x00", Month(2026, 12)),
        ("9" * 10000, Month(2026, 12)),
    ],
)
def test_a_month_is_read_from_the_query_string_or_is_todays(value, expected):
    assert parse_month(value, TODAY) == expected


def test_the_neighbours_cross_the_years_and_stop_at_the_bounds():
    assert Month(2027, 1).previous() == Month(2026, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(LAST_YEAR, 12).next() is None
    assert Month(2027, 2).first == date(2027, 2, 1) and Month(2027, 2).last == date(2027, 2, 28)
    assert Month(2028, 2).last == date(2028, 2, 29) and Month(2027, 2).key == "2027-02"


@pytest.mark.parametrize("first_weekday", range(7))
def test_the_grid_is_whole_weeks_from_the_locales_first_day(first_weekday):
    grid = weeks(Month(2027, 2), first_weekday)
    assert all(len(week) == 7 for week in grid)
    assert grid[0][0].day.weekday() == first_weekday
    inside = [cell.day for week in grid for cell in week if cell.in_month]
    assert inside[0] == date(2027, 2, 1) and inside[-1] == date(2027, 2, 28) and len(inside) == 28
    assert weekday_order(first_weekday)[0] == first_weekday and sorted(weekday_order(first_weekday)) == list(range(7))


def test_an_entry_is_placed_on_every_day_it_covers_within_the_grid():
    grid = weeks(Month(2027, 3), 6)  # weeks from Sunday, as in Canada: 28 February to 3 April
    long = SimpleNamespace(start_date=date(2027, 1, 10), end_date=date(2027, 3, 2))
    short = SimpleNamespace(start_date=date(2027, 3, 30), end_date=date(2027, 4, 20))
    place(grid, [long, short])
    covered = {cell.day: cell.entries for week in grid for cell in week}
    assert [d for d, e in covered.items() if long in e] == [date(2027, 2, 28), date(2027, 3, 1), date(2027, 3, 2)]
    assert [d for d, e in covered.items() if short in e][0] == date(2027, 3, 30)
    assert max(d for d, e in covered.items() if short in e) == date(2027, 4, 3)
