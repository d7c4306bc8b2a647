"""Working days: weekdays minus Québec's statutory holidays (``holidays``), from one calendar per process."""

from datetime import date
from functools import cache

import holidays


@cache
def calendar() -> holidays.HolidayBase:
    """Québec's holidays, built once per process; the years are added as they are asked for."""
    return holidays.Canada(subdiv="QC")


def is_working_day(day: date) -> bool:
    return calendar().is_working_day(day)


def working_days(start: date | None, end: date | None) -> int:
    """Working days from ``start`` to ``end``, both included; 0 when the range is empty."""
    if start is None or end is None or end < start:
        return 0
    return calendar().get_working_days_count(start, end)
