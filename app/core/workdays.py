"""Working days: weekdays minus Québec's statutory holidays (``holidays``), from one calendar per process.

Counts are memoised (the daily job asks the same few over and over), and :func:`latest_start` turns "has waited
at least N working days by ``day``" into one date a query can compare with.
"""

from datetime import date, timedelta
from functools import cache, lru_cache

import holidays


@cache
def calendar() -> holidays.HolidayBase:
    """Québec's holidays, built once per process; the years are added as they are asked for."""
    return holidays.Canada(subdiv="QC")


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    return calendar().is_working_day(day)


@lru_cache(maxsize=65536)
def working_days(start: date | None, end: date | None) -> int:
    """Working days from ``start`` to ``end``, both included; 0 when the range is empty."""
    if start is None or end is None or end < start:
        return 0
    return calendar().get_working_days_count(start, end)


@lru_cache(maxsize=1024)
def latest_start(day: date, count: int) -> date:
    """The last date ``d`` such that the working days after ``d`` up to ``day`` number at least ``count``: a wait
    that began on ``d`` or before has lasted ``count`` working days by ``day``."""
    d, counted = day, 0
    while counted < count:
        counted += is_working_day(d)
        d -= timedelta(days=1)
    return d
