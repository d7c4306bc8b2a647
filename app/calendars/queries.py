"""The reads of the calendars: the entries of a month for its reader, a feed's owner and events. Each is one
bounded statement (the requests overlapping the dates, at most a cap of them)."""

import re
from datetime import date, timedelta

from sqlalchemy import Select, or_, select

from app.accounts.models import User
from app.calendars.models import CalendarFeed, feed_digest
from app.calendars.permissions import sees_every_mission
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.queries import (
    AWAY_CONFIRMED,
    AWAY_PENDING,
    away_between,
    delegators_of,
    first_away,
    people_of_department,
)

# The most entries a month page shows, and a feed holds.
MONTH_CAP = 200
FEED_CAP = 500
# The feed's window around today.
FEED_PAST, FEED_AHEAD = timedelta(days=365), timedelta(days=2 * 365)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _team(user: User, today: date) -> Select:
    """The ids of ``user`` and of the people whose requests they see as a manager: their direct reports, and those
    of the managers who delegated to them today (as :func:`app.leave.permissions.can_view` has it)."""
    managers = [user.id, *delegators_of(user, today)]
    return select(User.id).where(or_(User.id == user.id, User.manager_id.in_(managers)))


def _capped(query: Select, cap: int) -> tuple[list, bool]:
    rows = db.session.execute(first_away(query, cap + 1)).all()
    return rows[:cap], len(rows) > cap


def month_entries(user: User, first: date, last: date, filters: dict, today: date) -> tuple[list, bool]:
    """The requests of ``first``..``last`` that ``user`` sees on the calendar, and whether they were capped: the BRI
    every approved mission and mission under way (``country_code``, ``department_id`` filters); anyone else their
    own and their team's, pending ones included."""
    if sees_every_mission(user):
        query = away_between(first, last, AWAY_CONFIRMED)
        if filters.get("country_code"):
            query = query.where(LeaveRequest.country_code == filters["country_code"])
        if filters.get("department_id"):
            query = query.where(LeaveRequest.applicant_id.in_(people_of_department(filters["department_id"])))
    else:
        query = away_between(first, last, (*AWAY_CONFIRMED, *AWAY_PENDING))
        query = query.where(LeaveRequest.applicant_id.in_(_team(user, today)))
    return _capped(query, MONTH_CAP)


def feed_owner(token: str) -> User | None:
    """The active user whose feed ``token`` opens, or None (whatever is wrong with the token)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    return db.session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_digest == feed_digest(token), User.active.is_(True))
    )


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_entries(user: User, today: date) -> list:
    """The owner's missions and their team's, from a year ago to two years ahead, pending ones included."""
    query = away_between(today - FEED_PAST, today + FEED_AHEAD, (*AWAY_CONFIRMED, *AWAY_PENDING))
    rows, _capped_out = _capped(query.where(LeaveRequest.applicant_id.in_(_team(user, today))), FEED_CAP)
    return rows
