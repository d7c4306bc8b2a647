"""POST actions on a project's lines (partners, funding, expenditures, milestones, missions), the expenditure
documents, and the sector reference page. Each action: load (404), permission (403), validate (re-render the
project page with the errors next to the fields; HTTP 200, as the other domains, since browsers log a 422 as a
console error), one service call, commit, flash, redirect (303)."""

from collections.abc import Callable

from flask import flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core.http import abort
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects import bp, files, queries, services
from app.projects.forms import (
    ExpenditureForm,
    FundingLineForm,
    LinkMissionForm,
    MilestoneForm,
    PartnerForm,
    SectorForm,
)
from app.projects.models import Expenditure, FundingLine, Milestone, Project, ProjectPartner, Sector
from app.projects.views import (
    apply_errors,
    fill_line_choices,
    load_or_404,
    render_detail,
    require_manager,
)
from app.reference.models import PartnerOrganisation


def _manager_project(project_id: int) -> Project:
    project = load_or_404(project_id)
    require_manager()
    return project


def _child(model, child_id: int, project: Project):
    obj = db.session.get(model, child_id)
    if obj is None or obj.project_id != project.id:
        abort(404)
    return obj


def _back(project: Project, anchor: str):
    return redirect(url_for("projects.detail", project_id=project.id, _anchor=anchor), code=303)


def _form_action(project_id: int, form, form_name: str, apply: Callable, success: str, anchor: str):
    """Validate ``form``, apply it with one service call, commit; or show the project page with the errors."""
    project = _manager_project(project_id)
    if isinstance(form, ExpenditureForm):
        form.project = project
    fill_line_choices(
        form if isinstance(form, PartnerForm) else None, form if isinstance(form, LinkMissionForm) else None, project
    )
    if form.validate_on_submit():
        try:
            apply(project, form)
        except services.NotAllowed:
            abort(403)
        except StaleDataError:
            _conflict()
        except services.ProjectRuleError as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(success, "success")
            _warn_if_overspent(project, anchor)
            return _back(project, anchor)
    project = load_or_404(project_id)
    return render_detail(project, **{form_name: form})


def _warn_if_overspent(project: Project, anchor: str) -> None:
    """Exceeding the funding is allowed, but said at once (the project page also shows it)."""
    if anchor in ("expenditures", "funding") and queries.is_overspent(project):
        flash(_("Warning: the expenditures now exceed the funding of this project."), "warning")


def _conflict():
    """A leave request carries a version: someone changed it in the meantime, nothing is applied."""
    db.session.rollback()
    abort(409, _("This request was changed by someone else in the meantime. Reload the project page and try again."))


def _simple_action(project: Project, call: Callable, success: str, anchor: str):
    try:
        result = call()
    except services.NotAllowed:
        abort(403)
    except StaleDataError:
        _conflict()
    db.session.commit()
    flash(success, "success")
    _warn_if_overspent(project, anchor)
    return result, _back(project, anchor)


# Partners ------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/partenaires", methods=["POST"])
def partner_add(project_id: int):
    def apply(project, form):
        partner = db.session.get(PartnerOrganisation, form.partner_id.data)
        services.add_partner(project, partner, form.role.data, current_user)

    form = PartnerForm(prefix="partner")
    return _form_action(project_id, form, "partner_form", apply, _("Partner added."), "partners")


@bp.route("/<int:project_id>/partenaires/<int:link_id>/retirer", methods=["POST"])
def partner_remove(project_id: int, link_id: int):
    project = _manager_project(project_id)
    link = _child(ProjectPartner, link_id, project)
    return _simple_action(
        project, lambda: services.remove_partner(link, current_user), _("Partner removed."), "partners"
    )[1]


# Funding lines -------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/financement", methods=["POST"])
def funding_add(project_id: int):
    def apply(project, form):
        services.add_funding_line(project, form.source.data, form.amount.data, form.note.data or "", current_user)

    form = FundingLineForm(prefix="funding")
    return _form_action(project_id, form, "funding_form", apply, _("Funding line added."), "funding")


@bp.route("/<int:project_id>/financement/<int:line_id>/supprimer", methods=["POST"])
def funding_remove(project_id: int, line_id: int):
    project = _manager_project(project_id)
    line = _child(FundingLine, line_id, project)
    return _simple_action(
        project, lambda: services.remove_funding_line(line, current_user), _("Funding line deleted."), "funding"
    )[1]


# Expenditures --------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/depenses", methods=["POST"])
def expenditure_add(project_id: int):
    def apply(project, form):
        services.add_expenditure(project, form.data, current_user, upload=form.attachment.data)

    form = ExpenditureForm(prefix="expenditure")
    return _form_action(project_id, form, "expenditure_form", apply, _("Expenditure recorded."), "expenditures")


@bp.route("/<int:project_id>/depenses/<int:expenditure_id>/supprimer", methods=["POST"])
def expenditure_remove(project_id: int, expenditure_id: int):
    project = _manager_project(project_id)
    expenditure = _child(Expenditure, expenditure_id, project)
    stored, response = _simple_action(
        project,
        lambda: services.remove_expenditure(expenditure, current_user),
        _("Expenditure deleted."),
        "expenditures",
    )
    files.remove(stored)  # only once the deletion is committed
    return response


@bp.route("/<int:project_id>/depenses/<int:expenditure_id>/piece")
def expenditure_attachment(project_id: int, expenditure_id: int):
    project = _manager_project(project_id)
    expenditure = _child(Expenditure, expenditure_id, project)
    if not expenditure.attachment_stored:
        abort(404)
    return send_from_directory(
        files.folder(),
        expenditure.attachment_stored,
        as_attachment=True,
        download_name=expenditure.attachment_name,
        mimetype=expenditure.attachment_type,
    )


# Milestones ----------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/jalons", methods=["POST"])
def milestone_add(project_id: int):
    def apply(project, form):
        services.add_milestone(project, form.title.data, form.due_on.data, current_user)

    form = MilestoneForm(prefix="milestone")
    return _form_action(project_id, form, "milestone_form", apply, _("Milestone added."), "milestones")


@bp.route("/<int:project_id>/jalons/<int:milestone_id>/basculer", methods=["POST"])
def milestone_toggle(project_id: int, milestone_id: int):
    project = _manager_project(project_id)
    milestone = _child(Milestone, milestone_id, project)
    return _simple_action(
        project, lambda: services.toggle_milestone(milestone, current_user), _("Milestone updated."), "milestones"
    )[1]


@bp.route("/<int:project_id>/jalons/<int:milestone_id>/supprimer", methods=["POST"])
def milestone_remove(project_id: int, milestone_id: int):
    project = _manager_project(project_id)
    milestone = _child(Milestone, milestone_id, project)
    return _simple_action(
        project, lambda: services.remove_milestone(milestone, current_user), _("Milestone deleted."), "milestones"
    )[1]


# Missions ------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/missions", methods=["POST"])
def mission_link(project_id: int):
    def apply(project, form):
        req = db.session.get(LeaveRequest, form.request_id.data) if form.request_id.data else None
        if req is None:
            raise services.ProjectRuleError({"request_id": _("Choose a request.")})
        services.link_request_to_project(req, project, current_user)

    form = LinkMissionForm(prefix="link")
    return _form_action(project_id, form, "link_form", apply, _("Mission linked to the project."), "missions")


@bp.route("/<int:project_id>/missions/<int:request_id>/delier", methods=["POST"])
def mission_unlink(project_id: int, request_id: int):
    project = _manager_project(project_id)
    req = db.session.get(LeaveRequest, request_id)
    if req is None or req.project_id != project.id:
        abort(404)
    return _simple_action(
        project, lambda: services.unlink_request(req, current_user), _("Mission unlinked from the project."), "missions"
    )[1]


# Sectors (reference data) --------------------------------------------------------------------------------------


def _sector_view(sector: Sector, success: str):
    require_manager()
    form = SectorForm(obj=sector if sector.id else None)
    if sector.id and not form.is_submitted():
        form.active.data = "1" if sector.active else "0"
    if form.validate_on_submit():
        try:
            services.save_sector(sector, form.data, current_user)
        except services.ProjectRuleError as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(success % {"code": sector.code}, "success")
            return redirect(url_for("projects.sectors"), code=303)
    return render_template("projects/sectors.html", form=form, sector=sector, sectors=queries.sectors())


@bp.route("/secteurs", methods=["GET", "POST"])
def sectors():
    return _sector_view(Sector(), _("Sector %(code)s added."))


@bp.route("/secteurs/<int:sector_id>", methods=["GET", "POST"])
def sector_edit(sector_id: int):
    sector = db.session.get(Sector, sector_id)
    if sector is None:
        abort(404)
    return _sector_view(sector, _("Sector %(code)s saved."))
