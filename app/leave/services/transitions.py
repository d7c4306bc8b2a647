"""Applying one workflow action to a request: the machine, the comment rule, the history, the version check.

Every action of every domain (leave decisions, the daily job, mission reports) goes through :func:`perform`,
so that each one writes the new status and exactly one Transition row in the caller's transaction.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services import RuleError, changed
from app.leave.workflow import COMMENT_REQUIRED, STAYING_ACTIONS, LeaveRequestMachine, TransitionNotAllowed


def perform(
    req: LeaveRequest,
    action: str,
    actor,
    *,
    comment: str = "",
    on_behalf_of=None,
    expected_version: int | None = None,
    at: datetime | None = None,
    advisory_exception_level: int | None = None,
    outside_actor: tuple[str, str] | None = None,
) -> Transition:
    """Move ``req`` through ``action`` and record it. Flushes; the caller commits (or rolls back on error).

    ``at`` is the moment of the move when it is not now (demo data that tells a past): the history is
    append-only, so its time is given when the row is written, never changed afterwards. ``outside_actor`` is the
    (name, e-mail) of an actor without an account (the host partner's contact), ``actor`` then None."""
    if expected_version is not None and expected_version != req.version:
        raise changed(req)
    comment = (comment or "").strip()
    if action in COMMENT_REQUIRED and not comment:
        raise RuleError(_("A comment is required for this decision."), field="comment")
    from_status = req.status
    try:
        LeaveRequestMachine(model=req, state_field="status").send(action)
    except TransitionNotAllowed:
        req.status = from_status
        raise changed(req) from None
    now = at or utcnow()
    if action in STAYING_ACTIONS:
        # The status stays, and so does the time it was reached (the queues' order, the reminders' clocks); the
        # row is written all the same, so that its version settles a race with a decision.
        flag_modified(req, "status")
    else:
        req.status_changed_at = now
    if action == "submit":
        req.submitted_at = now
    transition = Transition(
        request=req,
        action=action,
        from_status=from_status,
        to_status=req.status,
        actor=actor,
        on_behalf_of=on_behalf_of,
        comment=comment,
        advisory_exception_level=advisory_exception_level,
        created_at=now,
        actor_name=outside_actor[0] if outside_actor else None,
        actor_email=outside_actor[1] if outside_actor else None,
    )
    db.session.add(transition)
    try:
        db.session.flush()
    except StaleDataError:
        raise changed(req) from None
    return transition
