"""The missions of a project: the BRI links a leave request to it, or unlinks it."""

from flask_babel import gettext as _
from flask_login import current_user

from app.core.http import abort
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects import bp, services
from app.projects.forms import LinkMissionForm
from app.projects.views.lines import form_action, manager_project, simple_action


@bp.route("/<int:project_id>/missions", methods=["POST"])
def mission_link(project_id: int):
    def apply(project, form):
        req = db.session.get(LeaveRequest, form.request_id.data) if form.request_id.data else None
        if req is None:
            raise services.ProjectRuleError(errors={"request_id": _("Choose a request.")})
        services.link_request_to_project(req, project, current_user)

    form = LinkMissionForm(prefix="link")
    return form_action(project_id, form, "link_form", apply, _("Mission linked to the project."), "missions")


@bp.route("/<int:project_id>/missions/<int:request_id>/delier", methods=["POST"])
def mission_unlink(project_id: int, request_id: int):
    project = manager_project(project_id)
    req = db.session.get(LeaveRequest, request_id)
    if req is None or req.project_id != project.id:
        abort(404)
    return simple_action(
        project, lambda: services.unlink_request(req, current_user), _("Mission unlinked from the project."), "missions"
    )
