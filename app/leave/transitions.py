"""Applying one workflow action to a request: the machine, the data rules, the history, the version check.

Every action of every domain (leave decisions, the daily job, mission reports) goes through :func:`perform`,
so that each one writes the new status and exactly one Transition row in the caller's transaction.
"""

from sqlalchemy.orm.exc import StaleDataError

from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.workflow import COMMENT_REQUIRED, LeaveRequestMachine, TransitionNotAllowed


class WorkflowError(Exception):
    """An action refused; ``message`` is translated and shown to the user, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class RuleError(WorkflowError):
    """The data do not allow the action (HTTP 422 / the form shows the message)."""


class ConflictError(WorkflowError):
    """The request changed since the user saw it, or the decision was already taken (HTTP 409)."""

    def __init__(self, message: str, request_id: int | None = None):
        super().__init__(message)
        self.request_id = request_id


def _already_decided_message():
    from flask_babel import gettext as _

    return _("This request changed in the meantime: the action is no longer possible in its current status.")


def perform(
    req: LeaveRequest,
    action: str,
    actor,
    *,
    comment: str = "",
    on_behalf_of=None,
    expected_version: int | None = None,
) -> Transition:
    """Move ``req`` through ``action`` and record it. Flushes; the caller commits (or rolls back on error)."""
    from flask_babel import gettext as _

    # Read now: after a failed flush the row's attributes are expired and the session refuses to load them.
    request_id = req.id
    if expected_version is not None and expected_version != req.version:
        raise ConflictError(_already_decided_message(), request_id)
    comment = (comment or "").strip()
    if action in COMMENT_REQUIRED and not comment:
        raise RuleError(_("A comment is required for this decision."), field="comment")
    from_status = req.status
    try:
        LeaveRequestMachine(model=req, state_field="status").send(action)
    except TransitionNotAllowed:
        req.status = from_status
        raise ConflictError(_already_decided_message(), request_id) from None
    now = utcnow()
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
        created_at=now,
    )
    db.session.add(transition)
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(_already_decided_message(), request_id) from None
    return transition
