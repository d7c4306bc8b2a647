"""The date-driven steps of the workflow, run by ``flask workflow tick`` (from cron, every hour is fine).

Set-based: one UPDATE per kind of move (approved → in_mission on the start date, when the pre-departure checklist
is complete or the BRI recorded an exception to it; in_mission → report_due after the end date), its Transition rows
written by one INSERT … SELECT (one row per moved request, as :func:`~app.leave.services.transitions.perform` would
write), the applicants' notifications queued together.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import and_, insert, literal, null, select, update
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.models import User
from app.core.cli import cli_request_context
from app.core.database import utcnow
from app.extensions import db
from app.leave.checklist import may_start
from app.leave.models import LeaveRequest, Transition
from app.leave.notifications import after_transition
from app.leave.workflow import MISSION_ENDS_FROM, MISSION_STARTS_FROM, MOVES


def _target(action: str, source: str) -> str:
    return next(target for from_status, name, target in MOVES if name == action and from_status == source)


_last_moment: list[datetime] = []


def _new_moment() -> datetime:
    """Now, strictly after the moment of the previous move of this process (each move is told apart by it)."""
    now = utcnow()
    if _last_moment and now <= _last_moment[0]:
        now = _last_moment[0] + timedelta(microseconds=1)
    _last_moment[:] = [now]
    return now


def move_all(action: str, sources, condition, day: date) -> int:
    """Move every request in ``sources`` that meets ``condition`` through ``action`` (no actor: the system).

    The UPDATE's WHERE holds the status, and the version is bumped: a request a decision changed meanwhile no
    longer matches and is simply not moved (PostgreSQL re-checks the condition on a row updated concurrently), and
    the decision that still held the old version gets its 409. Flushes nothing of the session; the command commits.
    """
    moved = 0
    for source in sorted(sources):
        target = _target(action, source)
        now: datetime = _new_moment()
        result = db.session.execute(
            update(LeaveRequest)
            .where(LeaveRequest.status == source, condition)
            .values(status=target, status_changed_at=now, version=LeaveRequest.version + 1, updated_at=now)
            .execution_options(synchronize_session="fetch")
        )
        if not result.rowcount:
            continue
        moved += result.rowcount
        # The rows just moved carry this exact moment: the history gets one row for each, in one statement.
        db.session.execute(
            insert(Transition).from_select(
                [
                    "request_id",
                    "action",
                    "from_status",
                    "to_status",
                    "actor_id",
                    "on_behalf_of_id",
                    "comment",
                    "created_at",
                ],
                select(
                    LeaveRequest.id,
                    literal(action),
                    literal(source),
                    literal(target),
                    null(),
                    null(),
                    literal(""),
                    literal(now, Transition.created_at.type),
                ).where(LeaveRequest.status == target, LeaveRequest.status_changed_at == now),
            )
        )
        _notify_moved(action, now, day)
    return moved


def _notify_moved(action: str, at: datetime, day: date) -> None:
    """Queue the notifications of the moves just written (one query loads them with their requests)."""
    transitions = db.session.scalars(
        select(Transition)
        .where(Transition.action == action, Transition.created_at == at)
        .options(
            joinedload(Transition.request).joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
            lazyload(Transition.actor),
        )
        .order_by(Transition.id)
    ).all()
    for transition in transitions:
        after_transition(transition.request, transition, day)


def advance_missions(day: date) -> str:
    """Start the approved missions whose start date has come (and whose checklist is complete, or excepted by the
    BRI: the others stay approved, and the checklist's step tells the BRI), then end those whose end date has passed.

    Idempotent: a second run the same day finds nothing to do (one UPDATE per kind of move, matching nothing).
    """
    with cli_request_context():
        started = move_all("start_mission", MISSION_STARTS_FROM, and_(LeaveRequest.start_date <= day, may_start()), day)
        ended = move_all("end_mission", MISSION_ENDS_FROM, LeaveRequest.end_date < day, day)
    return f"{started} mission(s) started, {ended} mission(s) ended"
