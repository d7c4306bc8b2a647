"""How long requests spend at each step that waits for a decision: the manager's, the BRI's, the report's review.

A visit of a step is the time between the Transition row that brought a request into the step's status and the row
of the decision that took it out (a request sent back for changes visits the step again). The median and the
slowest visit are computed in one statement, the same on PostgreSQL and SQLite: ``lag()`` pairs each decision with
the move before it, then ``row_number()`` and ``count()`` over each step pick the middle one or two visits, averaged.
(PostgreSQL's ``percentile_cont`` would give the same median, but SQLite has none; fetching every visit to sort it
in Python would cost what the filtered set weighs. The window functions sort the visits inside the database and
send back three rows.)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Float, String, case, cast, func, literal_column, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.accounts.models import User
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.workflow import BRI_ACTIONS, BRI_DECISION_STATUSES, MANAGER_ACTIONS, MANAGER_DECISION_STATUSES, MOVES
from app.programme.queries import Filters, scope, transitions_of

REVIEW_STATUSES = frozenset({"report_submitted"})
REVIEW_ACTIONS = frozenset(action for source, action, _target in MOVES if source in REVIEW_STATUSES)
# Each step: the statuses it waits in, and the decisions that end a visit.
STEPS = {
    "manager": (MANAGER_DECISION_STATUSES, MANAGER_ACTIONS),
    "bri": (BRI_DECISION_STATUSES, BRI_ACTIONS),
    "report": (REVIEW_STATUSES, REVIEW_ACTIONS),
}
WAITING_SHOWN = 5  # the requests waiting longest now, per step


class seconds_between(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """``later - earlier`` in seconds, as a float."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@dataclass(frozen=True)
class StepTime:
    step: str
    visits: int
    median: timedelta
    slowest: timedelta


def step_times(filters: Filters) -> dict[str, StepTime]:
    """Per step, over the visits of the filtered requests: how many, the median and the slowest (one statement)."""
    entered = func.lag(Transition.created_at).over(partition_by=Transition.request_id, order_by=Transition.id)
    visits = (
        select(Transition.action, seconds_between(Transition.created_at, entered).label("seconds"))
        .where(*transitions_of(scope(filters)))
        .subquery()
    )
    step = case(*((visits.c.action.in_(actions), name) for name, (_statuses, actions) in STEPS.items()))
    timed = select(step.label("step"), visits.c.seconds).where(step.is_not(None), visits.c.seconds.is_not(None))
    timed = timed.subquery()
    ranked = select(
        timed.c.step,
        timed.c.seconds,
        func.row_number().over(partition_by=timed.c.step, order_by=timed.c.seconds).label("rank"),
        func.count().over(partition_by=timed.c.step).label("visits"),
    ).subquery()
    middle = ranked.c.rank.in_([(ranked.c.visits + 1) // 2, (ranked.c.visits + 2) // 2])
    rows = db.session.execute(
        select(
            ranked.c.step,
            func.max(ranked.c.visits),
            func.avg(case((middle, ranked.c.seconds))),
            func.max(ranked.c.seconds),
        ).group_by(ranked.c.step)
    )
    return {
        name: StepTime(name, int(n), timedelta(seconds=float(median)), timedelta(seconds=float(slowest)))
        for name, n, median, slowest in rows
    }


@dataclass(frozen=True)
class Waiting:
    step: str
    id: int
    reference: str
    status: str
    since: datetime
    applicant: str


def waiting_longest(filters: Filters, limit: int = WAITING_SHOWN) -> dict[str, list[Waiting]]:
    """Per step, the filtered requests waiting there longest now (one statement: each step walks the index
    ``(status, status_changed_at, id)``)."""
    selects = []
    for name, (statuses, _actions) in STEPS.items():
        arm = (
            select(
                LeaveRequest.id,
                LeaveRequest.reference,
                LeaveRequest.status,
                LeaveRequest.status_changed_at,
                cast(User.full_name, String).label("applicant"),
            )
            .join(User, User.id == LeaveRequest.applicant_id)
            .where(LeaveRequest.status.in_(statuses), *scope(filters))
            .order_by(LeaveRequest.status_changed_at, LeaveRequest.id)
            .limit(limit)
            .subquery()
        )
        selects.append(select(literal_column(f"'{name}'").label("step"), *arm.c))
    result: dict[str, list[Waiting]] = {name: [] for name in STEPS}
    for row in db.session.execute(union_all(*selects)):
        result[row.step].append(Waiting(*row))
    for rows in result.values():
        rows.sort(key=lambda w: (w.since, w.id))
    return result
