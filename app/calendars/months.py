"""The month a calendar page shows: read from ``?mois=YYYY-MM`` (anything else is today's month), its neighbours,
and its grid of weeks starting on the locale's first day of the week. Pure: no Flask, no database."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

# The months a page may show: enough for any mission, far from the ends of ``date``.
FIRST_YEAR, LAST_YEAR = 1900, 2999
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def key(self) -> str:
        """What ``?mois=`` carries: ``2027-02``."""
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> "Month | None":
        month = Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)
        return month if month.year >= FIRST_YEAR else None

    def next(self) -> "Month | None":
        month = Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)
        return month if month.year <= LAST_YEAR else None


def parse_month(value: str | None, today: date) -> Month:
    """The month ``value`` names (``2027-02``), or ``today``'s when it names none."""
    found = _MONTH.fullmatch((value or "").strip())
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return Month(year, month)
    return Month(today.year, today.month)


@dataclass
class Day:
    day: date
    in_month: bool
    entries: list = field(default_factory=list)


def weeks(month: Month, first_weekday: int) -> list[list[Day]]:
    """The month's weeks, each of seven days from ``first_weekday`` (0 Monday … 6 Sunday, as Babel's
    ``Locale.first_week_day``), the days of the neighbouring months marked."""
    days = calendar.Calendar(first_weekday).itermonthdates(month.year, month.month)
    cells = [Day(day, day.month == month.month) for day in days]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def weekday_order(first_weekday: int) -> list[int]:
    """The weekdays (0 Monday … 6 Sunday) in the order of the grid's columns."""
    return [(first_weekday + i) % 7 for i in range(7)]


def place(grid: list[list[Day]], entries, start=lambda e: e.start_date, end=lambda e: e.end_date) -> None:
    """Put each entry in every cell of the grid its dates cover."""
    by_day = {cell.day: cell for week in grid for cell in week}
    first, last = grid[0][0].day, grid[-1][-1].day
    for entry in entries:
        day = max(start(entry), first)
        while day <= min(end(entry), last):
            by_day[day].entries.append(entry)
            day += timedelta(days=1)
