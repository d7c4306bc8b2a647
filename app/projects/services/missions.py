"""The missions of a project: a leave request tied to it, by the BRI on the project page or by the applicant on the
request form (through the "leave.request_form" extension)."""

from flask_babel import gettext as _

from app.accounts.models import User
from app.core.errors import Invalid
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import ChangeAction, ChangeField, Project, ProjectStatus
from app.projects.permissions import can_link_request
from app.projects.queries import UNLINKABLE_STATUSES
from app.projects.services.changes import record_change
from app.projects.services.rules import MoveNotConfirmed, NotAllowed, ProjectRuleError


def link_request_to_project(
    req: LeaveRequest, project: Project | None, actor: User, *, confirm_move: bool = False
) -> LeaveRequest:
    """Tie a mission to a project (or, with ``project`` None, untie it). Used by the BRI on the project page and
    by the request form of the leave workflow. A mission linked to another project moves only with
    ``confirm_move`` (else :class:`MoveNotConfirmed`); the previous project records the unlink."""
    if not can_link_request(actor, req, project):
        raise NotAllowed
    if project is not None:
        if req.status in UNLINKABLE_STATUSES:
            raise ProjectRuleError(
                errors={"request_id": _("A cancelled, withdrawn or rejected request cannot be linked.")}
            )
        if project.status == ProjectStatus.CANCELLED:
            raise ProjectRuleError(errors={"request_id": _("A cancelled project cannot receive missions.")})
    previous = req.project
    if previous is project:
        return req
    if previous is not None and project is not None and not confirm_move:
        raise MoveNotConfirmed(previous)
    if previous is not None:
        record_change(previous, actor, ChangeAction.UNLINKED, ChangeField.MISSION, old=req.reference)
    req.project = project
    if project is not None:
        record_change(project, actor, ChangeAction.LINKED, ChangeField.MISSION, new=req.reference)
    db.session.flush()
    return req


def unlink_request(req: LeaveRequest, actor: User) -> LeaveRequest:
    return link_request_to_project(req, None, actor)


def choose_request_project(req: LeaveRequest, project_id: int | None, actor: User, field: str = "project_id") -> None:
    """The project the applicant chose on the request form (0 or None: none). An unchanged choice is left alone, so
    that a draft keeps a project that is no longer active; a new choice must be an active project. Refusals go
    next to ``field``."""
    project_id = project_id or None
    if project_id == req.project_id:
        return
    project = db.session.get(Project, project_id) if project_id else None
    if project_id and (project is None or project.status != ProjectStatus.ACTIVE):
        raise Invalid(_("Choose an active cooperation project."), field=field)
    try:
        # The applicant's own choice on the form is the confirmation of a move.
        link_request_to_project(req, project, actor, confirm_move=True)
    except ProjectRuleError as exc:
        raise Invalid(exc.message, field=field) from None
