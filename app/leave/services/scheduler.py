"""The date-driven steps of the workflow, run by ``flask workflow tick`` (from cron, every hour is fine)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.cli import cli_request_context
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.notifications import after_transition
from app.leave.services.transitions import perform
from app.leave.workflow import MISSION_ENDS_FROM, MISSION_STARTS_FROM


def _due(statuses: frozenset[str], condition) -> list[LeaveRequest]:
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.status.in_(statuses), condition)
            .options(selectinload(LeaveRequest.transitions))
            .order_by(LeaveRequest.id)
        ).all()
    )


def advance_missions(day: date) -> str:
    """Start the approved missions whose start date has come, then end those whose end date has passed.

    Acts as the system (no actor). Idempotent: a second run the same day finds nothing to do. Flushes; the
    command commits. A request changed by someone else meanwhile makes the flush fail: the command rolls back
    and the next run picks it up.
    """
    started = ended = 0
    with cli_request_context():
        for req in _due(MISSION_STARTS_FROM, LeaveRequest.start_date <= day):
            after_transition(req, perform(req, "start_mission", None), day)
            started += 1
        for req in _due(MISSION_ENDS_FROM, LeaveRequest.end_date < day):
            after_transition(req, perform(req, "end_mission", None), day)
            ended += 1
    return f"{started} mission(s) started, {ended} mission(s) ended"
