"""Working days of the reminders: weekdays that are not Québec statutory holidays."""

from datetime import date

import pytest

from app.reports.services import working_days_between


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2027, 3, 1), date(2027, 3, 1), 0),  # the same day counts nothing
        (date(2027, 3, 1), date(2027, 3, 8), 5),  # Monday to next Monday
        (date(2027, 3, 5), date(2027, 3, 8), 1),  # Friday → Monday: the weekend does not count
        (date(2027, 6, 21), date(2027, 6, 28), 4),  # Fête nationale du Québec, Thursday 24 June 2027
        (date(2027, 3, 24), date(2027, 3, 31), 4),  # Good Friday, 26 March 2027
        (date(2027, 3, 8), date(2027, 3, 1), 0),  # backwards
    ],
)
def test_working_days_skip_weekends_and_quebec_holidays(start, end, expected):
    assert working_days_between(start, end) == expected
