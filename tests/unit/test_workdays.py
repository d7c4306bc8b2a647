"""The cached working-day calendar and the cutoff date the reminders' queries compare with."""

from datetime import date, timedelta

import pytest

from app.core.workdays import latest_start, working_days


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2027, 3, 8), 5, date(2027, 3, 1)),  # Monday: five working days after Monday 1 March
        (date(2027, 3, 8), 0, date(2027, 3, 8)),
        (date(2027, 6, 29), 5, date(2027, 6, 21)),  # 24 June (Fête nationale) is not a working day
        (date(2027, 6, 28), 5, date(2027, 6, 20)),
    ],
)
def test_latest_start_is_the_last_day_a_wait_of_that_many_working_days_can_have_begun(day, count, expected):
    assert latest_start(day, count) == expected


def test_latest_start_agrees_with_the_working_day_count_over_two_years():
    for offset in range(0, 730, 3):
        day = date(2026, 1, 1) + timedelta(days=offset)
        for count in (1, 5, 10):
            cutoff = latest_start(day, count)
            assert working_days(cutoff + timedelta(days=1), day) >= count
            assert working_days(cutoff + timedelta(days=2), day) < count
