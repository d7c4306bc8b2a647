"""The date-driven steps of the workflow, run by ``flask workflow tick`` (from cron, every hour is fine)."""

from contextlib import nullcontext
from datetime import date

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.notifications import after_transition
from app.leave.transitions import perform


def _due(status: str, condition) -> list[LeaveRequest]:
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.status == status, condition)
            .options(selectinload(LeaveRequest.transitions))
            .order_by(LeaveRequest.id)
        ).all()
    )


def _request_context():
    """From cron there is no request: links in the e-mails are built for the configured server address."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"])


def advance_missions(day: date) -> str:
    """Start the approved missions whose start date has come, then end those whose end date has passed.

    Acts as the system (no actor). Idempotent: a second run the same day finds nothing to do. Flushes; the
    command commits. A request changed by someone else meanwhile makes the flush fail: the command rolls back
    and the next run picks it up.
    """
    started = ended = 0
    with _request_context():
        for req in _due("approved", LeaveRequest.start_date <= day):
            after_transition(req, perform(req, "start_mission", None), day)
            started += 1
        for req in _due("in_mission", LeaveRequest.end_date < day):
            after_transition(req, perform(req, "end_mission", None), day)
            ended += 1
    return f"{started} mission(s) started, {ended} mission(s) ended"
