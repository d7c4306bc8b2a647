"""The BRI's side: the queue of reports to review, the decision on a report, the archive of closed missions."""

from dataclasses import asdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select
from wtforms import SelectChoice

from app.accounts.models import Role
from app.accounts.queries import department_choices
from app.core.actions import run_action
from app.core.authz import roles_required
from app.core.database import montreal_today
from app.core.errors import FORM_ERROR_STATUS
from app.core.exports import export_response, record_export, stream_rows
from app.core.forms import bounded_id
from app.core.http import abort
from app.core.pagination import paginate
from app.core.registry import extended_form, registry_of
from app.core.sorting import Sort, choose_sort
from app.core.uow import commit
from app.reference.queries import country_choices, cycle_choices
from app.reports import bp, exports, queries, services
from app.reports.forms import ArchiveFilterForm, DecisionForm
from app.reports.permissions import can_review_report, could_review_report
from app.reports.views.common import load_request, render_report_page, version_of

ARCHIVE = "reports.archive"  # the extension point of the archive's filters and columns


def _load_for_review(request_id: int):
    """Load (404); a BRI officer other than the applicant may decide (403); a report already decided is a 409."""
    req = load_request(request_id)
    if not could_review_report(current_user, req):
        abort(403)
    if not can_review_report(current_user, req):
        message = _("This report is no longer waiting for a decision: it was already accepted or returned.")
        raise services.ReportConflict(message, req)
    return req


@bp.route("/<int:request_id>/accepter", methods=["POST"])
@roles_required(Role.BRI)
def accept(request_id: int):
    req = _load_for_review(request_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_report_page(req, form, FORM_ERROR_STATUS)
    if not run_action(lambda: services.accept_report(req, current_user, version_of(form)), form=form).ok:
        return render_report_page(req, form, FORM_ERROR_STATUS)
    flash(_("The report is accepted: the mission %(reference)s is closed.", reference=req.reference), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/<int:request_id>/retourner", methods=["POST"])
@roles_required(Role.BRI)
def return_(request_id: int):
    req = _load_for_review(request_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_report_page(req, form, FORM_ERROR_STATUS)
    outcome = run_action(
        lambda: services.return_report(req, current_user, form.comment.data, version_of(form)), form=form
    )
    if not outcome.ok:
        return render_report_page(req, form, FORM_ERROR_STATUS)
    flash(_("The report is returned to %(name)s for revision.", name=req.applicant.full_name), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/a-examiner")
@roles_required(Role.BRI)
def queue():
    sort = choose_sort(queries.QUEUE_SORTS, queries.QUEUE_DEFAULT)
    page = paginate(sort.apply(queries.queue_query()))
    return render_template("reports/queue.html", page=page, today=montreal_today(), sort=sort)


def _archive_form() -> ArchiveFilterForm:
    form = extended_form(ArchiveFilterForm, ARCHIVE)(request.args)
    everything = SelectChoice("", _("All"))
    # From the reference cache, not from the closed missions: no statement per page.
    form.country.choices = [everything] + [SelectChoice(*c) for c in country_choices()]
    form.department.choices = [everything] + [SelectChoice(str(i), name) for i, name in department_choices()]
    form.cycle.choices = [everything] + [SelectChoice(str(i), str(year)) for i, year in cycle_choices()]
    for extension in registry_of().extensions(ARCHIVE):
        extension.fill(form[extension.name])
    return form


def _archive() -> tuple[ArchiveFilterForm, queries.ArchiveFilters, Sort, Select]:
    """The archive's form, its filters, its sort and its query: one for the page and its exports."""
    form = _archive_form()
    valid = form.validate()
    filters = queries.ArchiveFilters(
        q=(form.q.data or "").strip(),
        country=(form.country.data or "").strip(),
        # A value that is no id (" ", "x", "-1", beyond the database's integers) filters nothing.
        partner_id=bounded_id(form.partner.data),
        department_id=bounded_id(form.department.data),
        cycle_id=bounded_id(form.cycle.data),
        year=form.year.data if valid else None,
    )
    extended = [(extension, form[extension.name].data) for extension in registry_of().extensions(ARCHIVE)]
    # With words the most relevant first: no column is marked until one is chosen.
    sort = choose_sort(queries.ARCHIVE_SORTS, None if filters.q else queries.ARCHIVE_DEFAULT)
    return form, filters, sort, sort.apply(queries.archive_query(filters, extended))


@bp.route("/archive")
@roles_required(Role.BRI)
def archive():
    form, _filters, sort, query = _archive()
    searched = any(request.args.get(name) for name in form.data)
    return render_template("reports/archive.html", page=paginate(query), form=form, searched=searched, sort=sort)


@bp.route("/archive/export.<any(csv, xlsx):fmt>")
@roles_required(Role.BRI)
def archive_export(fmt: str):
    """Every closed mission the archive's filters select, in its order, as CSV or Excel (streamed); logged."""
    form, filters, sort, query = _archive()
    logged = {**{k: v for k, v in asdict(filters).items() if v}, **sort.args}
    logged.update({ext.name: form[ext.name].data for ext in registry_of().extensions(ARCHIVE) if form[ext.name].data})
    record_export(current_user, exports.LIST_NAME, logged, fmt)
    name = f"archive-{montreal_today().isoformat()}"
    response = export_response(fmt, exports.archive_columns(), stream_rows(query), name, _("Mission archive"))
    commit()  # the log, before the streaming starts
    return response
