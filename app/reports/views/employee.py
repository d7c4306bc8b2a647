"""The employee's side: write, save and submit the report, remove one of its files; and a form that expired or a
session that ended during a long edit never loses the text."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.core.actions import apply_error, form_status, run_action
from app.core.error_pages import render_error
from app.core.errors import FORM_ERROR_STATUS
from app.core.http import abort
from app.core.registry import extended_form, registry_of
from app.leave.models import LeaveRequest
from app.reports import bp, services
from app.reports.forms import ReportForm
from app.reports.models import REPORT_TEXT_FIELDS
from app.reports.permissions import REPORT_STATUSES, can_write_report, is_applicant
from app.reports.views.common import (
    keep_text_when_logged_out,
    load_attachment,
    load_request,
    render_recovery,
    report_files,
    report_version_of,
    version_of,
)

WRITING_ENDPOINTS = ("reports.edit", "reports.submit")


@bp.errorhandler(CSRFError)
def _csrf_error(error):
    """On the report form, an expired security token never loses the text: the form comes back with it."""
    if request.endpoint not in WRITING_ENDPOINTS:
        return render_error(400, _("The form has expired. Go back, reload the page and send it again."))
    message = _(
        "The form expired during your editing (security token too old), so it was not saved. Your text is "
        "below: click “Save the draft” again. If you were logged out, log in again in another tab first."
    )
    if not current_user.is_authenticated:
        return render_recovery(message, 400)
    req = load_request(request.view_args["request_id"])
    if not can_write_report(current_user, req):
        return render_recovery(message, 400)
    form = _report_form(req, formdata=request.form, meta={"csrf": False})
    form.version.data = req.version
    return _render_edit(req, form, 400, warning=message)


def _report_form(req: LeaveRequest, **kwargs) -> ReportForm:
    """The report form with the fields the domains above add (point ``reports.report_form``), filled for ``req``."""
    form = extended_form(ReportForm, services.REPORT_FORM)(**kwargs)
    for ext in registry_of().extensions(services.REPORT_FORM):
        ext.fill(form, req)
    return form


def _render_edit(req: LeaveRequest, form: ReportForm, status: int, warning: str | None = None):
    return render_template(
        "reports/edit.html", req=req, form=form, report=req.mission_report, files=report_files(req), warning=warning
    ), status


def _load_for_writing(request_id: int):
    """Load (404), check the applicant may write (403); a report no longer writable: its page for a GET, a 409
    for a POST."""
    req = load_request(request_id)
    if can_write_report(current_user, req):
        return req, None
    if not is_applicant(current_user, req):
        abort(403)
    if req.status not in REPORT_STATUSES:
        abort(403, _("The mission report can be written once the mission is over."))
    if request.method == "GET":
        return req, redirect(url_for("reports.view", request_id=req.id))
    raise services.no_longer_writable(req)


def _report_data(form: ReportForm) -> services.ReportData:
    return services.ReportData(
        texts={name: form[name].data or "" for name in REPORT_TEXT_FIELDS},
        consent_to_quote=bool(form.consent_to_quote.data),
        files=list(request.files.getlist(form.files.name)),
        version=report_version_of(form),
        extensions={ext.name: form[ext.name].data for ext in registry_of().extensions(services.REPORT_FORM)},
    )


@bp.route("/<int:request_id>/modifier", methods=["GET", "POST"])
@keep_text_when_logged_out
def edit(request_id: int):
    req, elsewhere = _load_for_writing(request_id)
    if elsewhere is not None:
        return elsewhere
    form = _report_form(req, obj=req.mission_report) if request.method == "GET" else _report_form(req)
    if request.method == "GET":
        form.version.data = req.version
        form.report_version.data = req.mission_report.version if req.mission_report else 0
    if form.validate_on_submit():
        outcome = run_action(lambda: services.save_report(req, _report_data(form), current_user), form=form)
        if outcome.ok:
            flash(_("Your draft is saved. You can come back to it at any time."), "success")
            return redirect(url_for("reports.edit", request_id=req.id), code=303)
    return _render_edit(req, form, form_status())


@bp.route("/<int:request_id>/soumettre", methods=["POST"])
@keep_text_when_logged_out
def submit(request_id: int):
    req, _elsewhere = _load_for_writing(request_id)  # a POST: never elsewhere
    form = _report_form(req)
    if not form.validate_on_submit():
        return _render_edit(req, form, FORM_ERROR_STATUS)
    data = _report_data(form)
    outcome = run_action(lambda: services.submit_report(req, data, current_user, version_of(form)), form=form)
    if not outcome.ok:
        return _render_edit(req, form, FORM_ERROR_STATUS)
    if outcome.value:  # sections missing: the draft is kept, only the submission waits for them
        form.report_version.data = req.mission_report.version
        for name, message in outcome.value.items():
            apply_error(form, name, message)
        return _render_edit(
            req, form, FORM_ERROR_STATUS, _("Your draft is saved, but the report is not submitted yet.")
        )
    flash(_("Your report is submitted. The BRI will review it."), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/<int:request_id>/fichiers/<int:attachment_id>/supprimer", methods=["POST"])
@login_required
def delete_attachment(request_id: int, attachment_id: int):
    req, _elsewhere = _load_for_writing(request_id)  # a POST: never elsewhere
    item = load_attachment(req, attachment_id)
    name = item.original_name
    run_action(lambda: services.remove_attachment(req, item, current_user))
    flash(_("The file %(name)s is removed.", name=name), "success")
    return redirect(url_for("reports.edit", request_id=req.id), code=303)
