"""The missions of a project: the BRI links a leave request to it, or unlinks it."""

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from app.core.actions import form_status
from app.core.http import abort
from app.core.i18n import current_language
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects import bp, services
from app.projects.forms import LinkMissionForm
from app.projects.result_figures import result_choices
from app.projects.views.lines import back_to, manager_project, simple_action
from app.projects.views.projects import load_or_404, render_detail
from app.projects.views.run import run


def _link(project, form) -> None:
    req = db.session.get(LeaveRequest, form.request_id.data) if form.request_id.data else None
    if req is None:
        raise services.ProjectRuleError(errors={"request_id": _("Choose a request.")})
    confirm_move = bool(form.confirm_move.data)
    services.link_request_to_project(
        req, project, current_user, confirm_move=confirm_move, result_id=form.result_id.data
    )


@bp.route("/<int:project_id>/missions", methods=["POST"])
def mission_link(project_id: int):
    """Link a mission; one linked to another project comes back with the question and « Confirmer le déplacement »,
    and moves only with that confirmation."""
    project = manager_project(project_id)
    form = LinkMissionForm(prefix="link")
    form.result_id.choices = result_choices(project.results, current_language())
    if form.validate_on_submit():
        outcome = run(lambda: _link(project, form), form)
        if outcome.ok:
            flash(_("Mission linked to the project."), "success")
            return back_to(project, "missions")
        form.move_needed = isinstance(outcome.error, services.MoveNotConfirmed)
    return render_detail(load_or_404(project_id), link_form=form), form_status()


@bp.route("/<int:project_id>/missions/<int:request_id>/delier", methods=["POST"])
def mission_unlink(project_id: int, request_id: int):
    project = manager_project(project_id)
    req = db.session.get(LeaveRequest, request_id)
    if req is None or req.project_id != project.id:
        abort(404)
    return simple_action(
        project, lambda: services.unlink_request(req, current_user), _("Mission unlinked from the project."), "missions"
    )
