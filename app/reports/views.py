"""The employee's side: write, save and submit the report; read it, print it, download it as PDF."""

from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.core.error_pages import ERROR_TEXTS, render_error
from app.core.http import abort
from app.core.notifications import discard_queued
from app.core.uow import commit
from app.core.uploads import remove_discarded
from app.extensions import db, login_manager
from app.leave.models import Attachment
from app.leave.services import ConflictError
from app.leave.services.attachments import send_attachment
from app.reports import bp, services
from app.reports.forms import ReportForm
from app.reports.helpers import load_request
from app.reports.models import REPORT_TEXT_FIELDS
from app.reports.pdf import report_pdf_response
from app.reports.permissions import (
    REPORT_STATUSES,
    can_read_report_text,
    can_view_report,
    can_write_report,
    is_applicant,
)

WRITING_ENDPOINTS = ("reports.edit", "reports.submit")


def rollback() -> None:
    """Undo the unit of work and its queued e-mails (the files it stored go with the rollback)."""
    discard_queued()
    db.session.rollback()


def render_conflict(req, message: str, posted: dict | None = None):
    """The 409 page: what happened, the current state, and the text the user had typed (never lost)."""
    rollback()
    db.session.refresh(req)
    title = ERROR_TEXTS[409][0]
    return (
        render_template("reports/conflict.html", req=req, code=409, title=title, message=message, posted=posted or {}),
        409,
    )


def _posted_texts() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in REPORT_TEXT_FIELDS if request.form.get(name)}


def render_recovery(message: str, status: int):
    """The text of a report posted without a valid session or security token, shown again with what to do."""
    form = ReportForm(formdata=request.form, meta={"csrf": False})
    return render_template("reports/recover.html", form=form, message=message), status


def keep_text_when_logged_out(view):
    """Login required; but a report posted after the session ended is shown again instead of being dropped."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        if request.method == "POST":
            return render_recovery(
                _(
                    "Your session has ended, so your report was not saved. Your text is below: log in again in "
                    "another tab, then come back to this page and click “Save the draft”."
                ),
                401,
            )
        return login_manager.unauthorized()

    return wrapped


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
    form = ReportForm(formdata=request.form, meta={"csrf": False})
    form.version.data = req.version
    return _render_edit(req, form, 400, warning=message)


def _render_edit(req, form: ReportForm, status: int = 200, warning: str | None = None):
    report = req.mission_report
    files = [a for a in req.attachments if a.purpose == "report"]
    return render_template("reports/edit.html", req=req, form=form, report=report, files=files, warning=warning), status


def _load_for_writing(request_id: int):
    """Load (404), check the applicant may write (403); a report no longer writable is a 409 for a POST."""
    req = load_request(request_id)
    if can_write_report(current_user, req):
        return req, None
    if not is_applicant(current_user, req):
        abort(403)
    if req.status not in REPORT_STATUSES:
        abort(403, _("The mission report can be written once the mission is over."))
    if request.method == "GET":
        return req, redirect(url_for("reports.view", request_id=req.id))
    message = _("The report can no longer be changed: it is no longer waiting for you.")
    return req, render_conflict(req, message, _posted_texts())


def _report_data(form: ReportForm) -> services.ReportData:
    return services.ReportData(
        texts={name: form[name].data or "" for name in REPORT_TEXT_FIELDS},
        consent_to_quote=bool(form.consent_to_quote.data),
        files=list(request.files.getlist(form.files.name)),
    )


def _version(form) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


@bp.route("/<int:request_id>/modifier", methods=["GET", "POST"])
@keep_text_when_logged_out
def edit(request_id: int):
    req, response = _load_for_writing(request_id)
    if response is not None:
        return response
    form = ReportForm(obj=req.mission_report) if request.method == "GET" else ReportForm()
    if request.method == "GET":
        form.version.data = req.version
    if form.validate_on_submit():
        try:
            services.save_report(req, _report_data(form), current_user)
        except services.ReportValidationError as exc:
            rollback()
            _apply_errors(form, exc.errors)
            return _render_edit(req, form, 422)
        except ConflictError as exc:
            return render_conflict(req, str(exc.message), _posted_texts())
        db.session.commit()
        flash(_("Your draft is saved. You can come back to it at any time."), "success")
        return redirect(url_for("reports.edit", request_id=req.id), code=303)
    return _render_edit(req, form, 422 if form.errors else 200)


@bp.route("/<int:request_id>/soumettre", methods=["POST"])
@keep_text_when_logged_out
def submit(request_id: int):
    req, response = _load_for_writing(request_id)
    if response is not None:
        return response
    form = ReportForm()
    if not form.validate_on_submit():
        return _render_edit(req, form, 422)
    try:
        services.submit_report(req, _report_data(form), current_user, _version(form))
    except services.ReportIncomplete as exc:
        db.session.commit()  # the draft is kept; only the submission waits for the missing sections
        _apply_errors(form, exc.errors)
        return _render_edit(req, form, 422, warning=_("Your draft is saved, but the report is not submitted yet."))
    except services.ReportValidationError as exc:
        rollback()
        _apply_errors(form, exc.errors)
        return _render_edit(req, form, 422)
    except ConflictError as exc:
        return render_conflict(req, str(exc.message), _posted_texts())
    commit()
    flash(_("Your report is submitted. The BRI will review it."), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/<int:request_id>")
@keep_text_when_logged_out
def view(request_id: int):
    from app.reports.views_review import render_report_page

    req = load_request(request_id)
    if not can_view_report(current_user, req):
        abort(403)
    return render_report_page(req)


@bp.route("/<int:request_id>/pdf")
@keep_text_when_logged_out
def pdf(request_id: int):
    req = load_request(request_id)
    if not can_view_report(current_user, req):
        abort(403)
    if not can_read_report_text(current_user, req):
        abort(404, _("This report has not been submitted yet."))
    return report_pdf_response(req)


def _load_attachment(req, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.request_id != req.id or attachment.purpose != "report":
        abort(404)
    return attachment


@bp.route("/<int:request_id>/fichiers/<int:attachment_id>")
@keep_text_when_logged_out
def attachment(request_id: int, attachment_id: int):
    req = load_request(request_id)
    if not can_read_report_text(current_user, req):
        abort(403)
    return send_attachment(_load_attachment(req, attachment_id))


@bp.route("/<int:request_id>/fichiers/<int:attachment_id>/supprimer", methods=["POST"])
@login_required
def delete_attachment(request_id: int, attachment_id: int):
    req, response = _load_for_writing(request_id)
    if response is not None:
        return response
    item = _load_attachment(req, attachment_id)
    services.remove_attachment(req, item, current_user)
    db.session.commit()
    remove_discarded()
    flash(_("The file %(name)s is removed.", name=item.original_name), "success")
    return redirect(url_for("reports.edit", request_id=req.id), code=303)
