"""The dashboard's departures: where the filtered set's approved missions stand with their pre-departure
checklist (ready, excepted by the BRI, incomplete) and those incomplete that leave soonest, in one statement."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, String, cast, func, literal_column, null, select, union_all

from app.accounts.models import User
from app.extensions import db
from app.leave import checklist
from app.leave.models import LeaveRequest
from app.programme.queries import Filters, scope

SOONEST_SHOWN = 5


@dataclass(frozen=True)
class Unready:
    id: int
    reference: str
    applicant: str
    start_date: date
    done: int
    total: int


@dataclass
class Departures:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(checklist.READINESS_STATES, 0))
    soonest: list[Unready] = field(default_factory=list)

    @property
    def approved(self) -> int:
        return sum(self.counts.values())


def departures(filters: Filters, limit: int = SOONEST_SHOWN) -> Departures:
    """The approved missions of the filtered set counted by their checklist's state, and the ``limit`` incomplete
    ones leaving soonest (one ``UNION ALL``)."""
    approved = [LeaveRequest.status == "approved", *scope(filters)]
    states = select(checklist.readiness_state().label("state")).where(*approved).subquery()
    counts = select(
        literal_column("'count'").label("kind"),
        states.c.state,
        cast(func.count(), Integer).label("n"),
        null().label("id"),
        null().label("reference"),
        null().label("applicant"),
        null().label("start_date"),
        null().label("done"),
        null().label("total"),
    ).group_by(states.c.state)
    soonest = (
        select(
            LeaveRequest.id,
            LeaveRequest.reference,
            cast(User.full_name, String).label("applicant"),
            LeaveRequest.start_date,
            checklist.done_count().label("done"),
            checklist.total_count().label("total"),
        )
        .join(User, User.id == LeaveRequest.applicant_id)
        .where(*approved, ~checklist.may_start())
        .order_by(LeaveRequest.start_date, LeaveRequest.id)
        .limit(limit)
        .subquery()
    )
    rows = select(
        literal_column("'row'").label("kind"),
        literal_column("'incomplete'").label("state"),
        null().label("n"),
        *soonest.c,
    )
    result = Departures()
    # The rows' arm first: its columns' types (a date) read the union's.
    for row in db.session.execute(union_all(rows, counts)):
        if row.kind == "count":
            result.counts[row.state] = row.n
        else:
            result.soonest.append(Unready(row.id, row.reference, row.applicant, row.start_date, row.done, row.total))
    result.soonest.sort(key=lambda u: (u.start_date, u.id))
    return result
