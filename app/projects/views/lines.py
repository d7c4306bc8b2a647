"""POST actions on a project's lines (partners, funding, expenditures, milestones) and the expenditure documents.
Each action: load (404), permission (403), validate (the project page again with the errors next to the fields,
422), one service call in a unit of work, flash, redirect (303)."""

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import uploads
from app.core.actions import form_status
from app.core.http import abort
from app.extensions import db
from app.projects import bp, queries, services
from app.projects.forms import ExpenditureForm, FundingLineForm, MilestoneForm, PartnerForm
from app.projects.models import DOCUMENT_FOLDER, Expenditure, FundingLine, Milestone, Project, ProjectPartner
from app.projects.views.projects import load_or_404, render_detail, require_manager
from app.projects.views.run import run
from app.reference.models import PartnerOrganisation


def manager_project(project_id: int) -> Project:
    project = load_or_404(project_id)
    require_manager()
    return project


def _child(model, child_id: int, project: Project):
    obj = db.session.get(model, child_id)
    if obj is None or obj.project_id != project.id:
        abort(404)
    return obj


def back_to(project: Project, anchor: str):
    return redirect(url_for("projects.detail", project_id=project.id, _anchor=anchor), code=303)


def form_action(project_id: int, form, form_name: str, apply: Callable, success: str, anchor: str):
    """Validate ``form``, apply it with one service call; or show the project page with the errors."""
    project = manager_project(project_id)
    if isinstance(form, ExpenditureForm):
        form.project = project
    if form.validate_on_submit() and run(lambda: apply(project, form), form).ok:
        flash(success, "success")
        _warn_if_overspent(project, anchor)
        return back_to(project, anchor)
    return render_detail(load_or_404(project_id), **{form_name: form}), form_status()


def simple_action(project: Project, call: Callable, success: str, anchor: str):
    if run(call).ok:
        flash(success, "success")
        _warn_if_overspent(project, anchor)
    return back_to(project, anchor)


def _warn_if_overspent(project: Project, anchor: str) -> None:
    """Exceeding the funding is allowed, but said at once (the project page also shows it)."""
    if anchor in ("expenditures", "funding") and queries.is_overspent(project):
        flash(_("Warning: the expenditures now exceed the funding of this project."), "warning")


# Partners ------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/partenaires", methods=["POST"])
def partner_add(project_id: int):
    def apply(project, form):
        partner = db.session.get(PartnerOrganisation, form.partner_id.data)
        services.add_partner(project, partner, form.role.data, current_user)

    form = PartnerForm(prefix="partner")
    return form_action(project_id, form, "partner_form", apply, _("Partner added."), "partners")


@bp.route("/<int:project_id>/partenaires/<int:link_id>/retirer", methods=["POST"])
def partner_remove(project_id: int, link_id: int):
    project = manager_project(project_id)
    link = _child(ProjectPartner, link_id, project)
    return simple_action(
        project, lambda: services.remove_partner(link, current_user), _("Partner removed."), "partners"
    )


# Funding lines -------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/financement", methods=["POST"])
def funding_add(project_id: int):
    def apply(project, form):
        services.add_funding_line(project, form.source.data, form.amount.data, form.note.data or "", current_user)

    form = FundingLineForm(prefix="funding")
    return form_action(project_id, form, "funding_form", apply, _("Funding line added."), "funding")


@bp.route("/<int:project_id>/financement/<int:line_id>/supprimer", methods=["POST"])
def funding_remove(project_id: int, line_id: int):
    project = manager_project(project_id)
    line = _child(FundingLine, line_id, project)
    return simple_action(
        project, lambda: services.remove_funding_line(line, current_user), _("Funding line deleted."), "funding"
    )


# Expenditures --------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/depenses", methods=["POST"])
def expenditure_add(project_id: int):
    def apply(project, form):
        services.add_expenditure(project, form.data, current_user, upload=form.attachment.data)

    form = ExpenditureForm(prefix="expenditure")
    return form_action(project_id, form, "expenditure_form", apply, _("Expenditure recorded."), "expenditures")


@bp.route("/<int:project_id>/depenses/<int:expenditure_id>/supprimer", methods=["POST"])
def expenditure_remove(project_id: int, expenditure_id: int):
    project = manager_project(project_id)
    expenditure = _child(Expenditure, expenditure_id, project)
    return simple_action(
        project,
        lambda: services.remove_expenditure(expenditure, current_user),
        _("Expenditure deleted."),
        "expenditures",
    )


@bp.route("/<int:project_id>/depenses/<int:expenditure_id>/piece")
def expenditure_attachment(project_id: int, expenditure_id: int):
    project = manager_project(project_id)
    expenditure = _child(Expenditure, expenditure_id, project)
    if not expenditure.attachment_stored:
        abort(404)
    return uploads.send(
        expenditure.attachment_stored,
        expenditure.attachment_name,
        expenditure.attachment_type,
        folder=DOCUMENT_FOLDER,
    )


# Milestones ----------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/jalons", methods=["POST"])
def milestone_add(project_id: int):
    def apply(project, form):
        services.add_milestone(project, form.title.data, form.due_on.data, current_user)

    form = MilestoneForm(prefix="milestone")
    return form_action(project_id, form, "milestone_form", apply, _("Milestone added."), "milestones")


@bp.route("/<int:project_id>/jalons/<int:milestone_id>/basculer", methods=["POST"])
def milestone_toggle(project_id: int, milestone_id: int):
    project = manager_project(project_id)
    milestone = _child(Milestone, milestone_id, project)
    return simple_action(
        project, lambda: services.toggle_milestone(milestone, current_user), _("Milestone updated."), "milestones"
    )


@bp.route("/<int:project_id>/jalons/<int:milestone_id>/supprimer", methods=["POST"])
def milestone_remove(project_id: int, milestone_id: int):
    project = manager_project(project_id)
    milestone = _child(Milestone, milestone_id, project)
    return simple_action(
        project, lambda: services.remove_milestone(milestone, current_user), _("Milestone deleted."), "milestones"
    )
