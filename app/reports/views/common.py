"""What every reader of a report shares: loading, the report page, its PDF and its files; the template globals of
the report pages.

The PDF is written by WeasyPrint in the reader's language; it needs Pango and HarfBuzz and the fonts of
``scripts/system-deps.sh app`` (DejaVu, Liberation), and never fetches anything from the network: its stylesheet is
read from the package.
"""

from datetime import date, datetime, timedelta
from functools import wraps
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.audit import security_event
from app.core.database import CITY_TZ, montreal_today
from app.core.http import abort
from app.extensions import db, login_manager
from app.leave.models import Attachment, LeaveRequest
from app.leave.services.attachments import send_attachment
from app.leave.views.home import Waiting, counted_list
from app.reports import bp, permissions, queries
from app.reports.forms import DecisionForm, ReportForm

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "reports-pdf.css"


# Template globals -----------------------------------------------------------------------------------------------


@bp.app_context_processor
def _report_permissions() -> dict:
    return {
        "can_write_report": permissions.can_write_report,
        "can_view_report": permissions.can_view_report,
        "can_read_report_text": permissions.can_read_report_text,
        "can_review_report": permissions.can_review_report,
    }


@bp.app_template_global()
def days_since_return(req: LeaveRequest, today: date | None = None) -> int:
    return max(((today or montreal_today()) - req.end_date).days, 0)


@bp.app_template_filter("local_day")
def local_day(value: datetime) -> date:
    """The calendar day of an instant in Montréal."""
    return value.astimezone(CITY_TZ).date()


@bp.app_template_global()
def my_report_requests(user) -> list:
    """The user's missions whose report is expected or under review (home page card: rows, see
    ``queries.reports_owed_by``)."""
    return queries.reports_owed_by(user) if user.is_authenticated else []


@bp.app_template_global()
def report_due_on(req, today: date | None = None) -> tuple[date, bool]:
    """(the day the report is expected, whether that day has passed): ``REMINDER_REPORT_DAYS`` after the mission's
    return, when its reminder goes."""
    due = req.end_date + timedelta(days=current_app.config["REMINDER_REPORT_DAYS"])
    return due, due < (today or montreal_today())


@bp.app_template_global()
def reports_to_review() -> Waiting:
    """The BRI's home card: how many reports wait for review, and the first of them."""
    return counted_list("reports_to_review", queries.to_review_first)


# Shared by the pages -------------------------------------------------------------------------------------------


def load_request(request_id: int) -> LeaveRequest:
    req = db.session.get(LeaveRequest, request_id)
    if req is None:
        abort(404)
    return req


def load_request_with_report(request_id: int) -> LeaveRequest:
    """``load_request`` with what the report page and its PDF show, eager-loaded (``queries.request_with_report``)."""
    req = queries.request_with_report(request_id)
    if req is None:
        abort(404)
    return req


def version_of(form) -> int:
    """The request's version the form was shown with (-1 when missing: a conflict)."""
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def report_version_of(form) -> int:
    """The report's version the form was shown with (-1 when missing or not a number: a conflict)."""
    try:
        return int(form.report_version.data)
    except (TypeError, ValueError):
        return -1


def report_files(req: LeaveRequest) -> list[Attachment]:
    return [a for a in req.attachments if a.purpose == "report"]


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


def render_report_page(req: LeaveRequest, decision_form: DecisionForm | None = None, status: int = 200, **extra):
    """The report beside the request it belongs to, with the BRI's decision forms when they apply; ``extra`` goes
    to the panels of the domains above (point ``reports.report_page``: a form of theirs that failed, ...)."""
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
        decision_form.version.data = req.version
    return render_template(
        "reports/view.html",
        req=req,
        report=req.mission_report,
        files=report_files(req),
        history=queries.report_history(req),
        decision_form=decision_form,
        can_read=permissions.can_read_report_text(current_user, req),
        can_write=permissions.can_write_report(current_user, req),
        can_review=permissions.can_review_report(current_user, req),
        **extra,
    ), status


def _refuse_fetch(url: str, *args, **kwargs):
    """No remote or local resource is loaded while the PDF is written (the text is the users')."""
    raise ValueError(f"resource not loaded in a report PDF: {url[:80]}")


def render_report_pdf(req: LeaveRequest) -> bytes:
    # Imported here: WeasyPrint loads Pango and its fonts at import, which only the PDF needs.
    from weasyprint import CSS, HTML

    html = render_template(
        "reports/pdf.html", req=req, report=req.mission_report, files=report_files(req), today=montreal_today()
    )
    document = HTML(string=html, url_fetcher=_refuse_fetch, base_url=None)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


# The pages ------------------------------------------------------------------------------------------------------


@bp.route("/<int:request_id>")
@keep_text_when_logged_out
def view(request_id: int):
    req = load_request_with_report(request_id)
    if not permissions.can_view_report(current_user, req):
        abort(403)
    return render_report_page(req)


@bp.route("/<int:request_id>/pdf")
@keep_text_when_logged_out
def pdf(request_id: int):
    req = load_request_with_report(request_id)
    if not permissions.can_view_report(current_user, req):
        abort(403)
    if not permissions.can_read_report_text(current_user, req):
        abort(404, _("This report has not been submitted yet."))
    response = current_app.response_class(render_report_pdf(req), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="rapport-{req.reference}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    security_event("download", "success", document="report_pdf", request_reference=req.reference)
    return response


def load_attachment(req: LeaveRequest, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.request_id != req.id or attachment.purpose != "report":
        abort(404)
    return attachment


@bp.route("/<int:request_id>/fichiers/<int:attachment_id>")
@keep_text_when_logged_out
def attachment(request_id: int, attachment_id: int):
    req = load_request(request_id)
    if not permissions.can_read_report_text(current_user, req):
        abort(403)
    return send_attachment(load_attachment(req, attachment_id))
