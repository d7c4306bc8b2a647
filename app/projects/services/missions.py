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
from app.projects.results import ProjectResult
from app.projects.services.changes import line_value, record_change
from app.projects.services.rules import MoveNotConfirmed, NotAllowed, ProjectRuleError

# ``result_id`` of :func:`link_request_to_project` when the caller does not choose the result (the applicant's form),
# and what :func:`_result_of` answers then.
KEEP_RESULT = -1
KEEP = object()


def link_request_to_project(
    req: LeaveRequest, project: Project | None, actor: User, *, confirm_move: bool = False, result_id=KEEP_RESULT
) -> LeaveRequest:
    """Tie a mission to a project (or, with ``project`` None, untie it). Used by the BRI on the project page and
    by the request form of the leave workflow. A mission linked to another project moves only with
    ``confirm_move`` (else :class:`MoveNotConfirmed`); the previous project records the unlink.

    ``result_id``: the result of ``project`` the mission served (the BRI's choice; None or 0: none), refused next to
    the field when it is another project's; by default the mission keeps its result while it stays in the project
    and loses it when it leaves."""
    if not can_link_request(actor, req, project):
        raise NotAllowed
    result = _result_of(project, result_id)
    if project is not None:
        if req.status in UNLINKABLE_STATUSES:
            raise ProjectRuleError(
                errors={"request_id": _("A cancelled, withdrawn or rejected request cannot be linked.")}
            )
        if project.status == ProjectStatus.CANCELLED:
            raise ProjectRuleError(errors={"request_id": _("A cancelled project cannot receive missions.")})
    previous = req.project
    if previous is not project:
        if previous is not None and project is not None and not confirm_move:
            raise MoveNotConfirmed(previous)
        if previous is not None:
            record_change(previous, actor, ChangeAction.UNLINKED, ChangeField.MISSION, old=req.reference)
        req.project = project
        req.project_result = None
        if project is not None:
            record_change(project, actor, ChangeAction.LINKED, ChangeField.MISSION, new=req.reference)
    if project is not None and result is not KEEP and result is not req.project_result:
        old = line_value(req.reference, req.project_result.title_fr) if req.project_result else ""
        new = line_value(req.reference, result.title_fr) if result else ""
        record_change(project, actor, ChangeAction.CHANGED, ChangeField.MISSION_RESULT, old=old, new=new)
        req.project_result = result
    db.session.flush()
    return req


def _result_of(project: Project | None, result_id):
    """The result ``result_id`` names (None: none; :data:`KEEP`: left as it is), if it is ``project``'s."""
    if result_id == KEEP_RESULT or project is None:
        return KEEP
    if not result_id:
        return None
    result = db.session.get(ProjectResult, result_id)
    if result is None or result.project_id != project.id:
        raise ProjectRuleError(errors={"result_id": _("Choose a result of this project.")})
    return result


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
