"""Business rules of mission reports: write, submit, accept, return; and the reminders of the daily job.

Services flush, never commit: the view's unit of work (or the daily job) commits. They refuse with the errors of
``app.core.errors``: :class:`Invalid` (the form shows the message next to the field), :class:`ReportConflict`
(the 409 page, which shows the report's current state).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.core.database import utcnow
from app.core.errors import Conflict, Invalid
from app.core.notifications import notify
from app.core.registry import registry_of
from app.core.workdays import working_days
from app.extensions import db
from app.leave.models import Attachment, LeaveRequest
from app.leave.notification_texts import request_params
from app.leave.notifications import bri_officers
from app.leave.services import ConflictError, attachments
from app.leave.services.transitions import perform
from app.reports.models import REPORT_TEXT_FIELDS, MissionReport
from app.reports.permissions import can_review_report, can_write_report

# The extension point of the report's form (a :class:`app.core.registry.FormExtension` per field).
REPORT_FORM = "reports.report_form"
# Fields that must be filled before the report goes to the BRI (a draft may leave them empty).
REQUIRED_TO_SUBMIT = ("activities", "results", "lessons_learned")


# Errors ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPage:
    """What a report's 409 page shows the current state of: the request, as its report page names it (the
    partial ``reports/_conflict_state.html``, registered for this type)."""

    req: LeaveRequest


class ReportConflict(Conflict):
    """The report is no longer in the state the user saw (409)."""

    def __init__(self, message: str, req: LeaveRequest):
        super().__init__(message, subject=ReportPage(req), keep=REPORT_TEXT_FIELDS)


def no_longer_writable(req: LeaveRequest) -> ReportConflict:
    return ReportConflict(_l("The report can no longer be changed: it is no longer waiting for you."), req)


def saved_meanwhile(req: LeaveRequest) -> ReportConflict:
    return ReportConflict(
        _l(
            "The report was saved in the meantime (in another tab or by another click), so yours was not. "
            "Your text is below: copy what you want to keep, then reload the report."
        ),
        req,
    )


def _perform(req: LeaveRequest, action: str, actor: User, **options) -> None:
    """The workflow's one door; its conflict is shown as the report's."""
    try:
        perform(req, action, actor, **options)
    except ConflictError as exc:
        raise ReportConflict(exc.message, req) from None


# Writing --------------------------------------------------------------------------------------------------------


@dataclass
class ReportData:
    """What the employee typed: the text fields, the consent and the files to attach; ``version`` is the report's
    version the form was shown with (0 before the first save; None: not checked, for the demo and the factories)."""

    texts: dict[str, str] = field(default_factory=dict)
    consent_to_quote: bool = False
    files: list[FileStorage] = field(default_factory=list)
    version: int | None = None
    # The values of the fields the domains above add to the form (point ``reports.report_form``), by name.
    extensions: dict = field(default_factory=dict)


def _report_for(req: LeaveRequest) -> MissionReport:
    """The request's report, created empty on first use."""
    if req.mission_report is None:
        req.mission_report = MissionReport(request=req)
        db.session.add(req.mission_report)
    return req.mission_report


def _attach_files(req: LeaveRequest, files: list[FileStorage], actor: User) -> None:
    """The request's rules for files (purpose "report"); the first one refused stops the saving, named."""
    for file_storage in files:
        if not file_storage or not file_storage.filename:
            continue
        try:
            attachments.save_attachment(req, file_storage, "report", actor)
        except attachments.AttachmentError as exc:
            name = file_storage.filename.replace("\\", "/").rsplit("/", 1)[-1]
            message = _("The file %(name)s was not attached: %(reason)s", name=name, reason=exc.message)
            raise Invalid(message, field="files") from None


def save_report(req: LeaveRequest, data: ReportData, actor: User) -> MissionReport:
    """Keep what the employee wrote (a draft: any field may be empty) and store the new files."""
    if not can_write_report(actor, req):
        raise no_longer_writable(req)
    current = req.mission_report.version if req.mission_report is not None else 0
    if data.version is not None and data.version != current:
        raise saved_meanwhile(req)
    creating = req.mission_report is None
    report = _report_for(req)
    for name in REPORT_TEXT_FIELDS:
        if name in data.texts:
            setattr(report, name, (data.texts[name] or "").strip())
    report.consent_to_quote = bool(data.consent_to_quote) and bool(report.testimony)
    try:
        db.session.flush()
    except StaleDataError:  # another save of the same version committed first
        raise saved_meanwhile(req) from None
    except IntegrityError:  # two first saves at the same moment: the other one created the report
        if not creating:
            raise
        raise saved_meanwhile(req) from None
    _apply_extensions(req, data.extensions, actor)
    _attach_files(req, data.files, actor)
    db.session.flush()
    return report


def _apply_extensions(req: LeaveRequest, values: dict, actor: User) -> None:
    """The fields the domains above add to the form (point ``reports.report_form``): each applies its value, with
    its own rules, in this unit of work (a refusal names its field)."""
    for ext in registry_of().extensions(REPORT_FORM):
        if ext.name in values:
            ext.apply(req, values[ext.name], actor)


def missing_sections(report: MissionReport) -> dict[str, str]:
    return {
        name: str(_l("Fill in this section before submitting the report."))
        for name in REQUIRED_TO_SUBMIT
        if not (getattr(report, name) or "").strip()
    }


def submit_report(req: LeaveRequest, data: ReportData, actor: User, expected_version: int | None) -> dict[str, str]:
    """Save the text and, when it is complete, send the report to the BRI (``submit_report``) and tell the BRI.

    Returns the sections still to fill, by field: then the draft is saved but not submitted (empty once submitted).
    """
    report = save_report(req, data, actor)
    missing = missing_sections(report)
    if missing:
        return missing
    _perform(req, "submit_report", actor, expected_version=expected_version)
    report.submitted_at = utcnow()
    report.decision = report.decided_at = report.decided_by = None
    link = url_for("reports.view", request_id=req.id)
    for officer in bri_officers(actor):
        notify(officer, "reports/submitted", link=link, **request_params(req))
    db.session.flush()
    return {}


def remove_attachment(req: LeaveRequest, attachment: Attachment, actor: User) -> None:
    """The applicant removes one of the report's files while writing it."""
    if not can_write_report(actor, req):
        raise no_longer_writable(req)
    attachments.delete_attachment(attachment)


# Review ---------------------------------------------------------------------------------------------------------


def _decide(req: LeaveRequest, actor: User, action: str, decision: str, comment: str, version: int | None):
    if not can_review_report(actor, req) or req.mission_report is None:
        message = _l("This report is no longer waiting for a decision: it was already accepted or returned.")
        raise ReportConflict(message, req)
    report = req.mission_report
    _perform(req, action, actor, comment=comment, expected_version=version)
    report.decision = decision
    report.decided_at = utcnow()
    report.decided_by = actor
    return report


def accept_report(req: LeaveRequest, actor: User, expected_version: int | None) -> MissionReport:
    """The BRI accepts the report: the mission is closed; the employee is told."""
    report = _decide(req, actor, "accept_report", "accepted", "", expected_version)
    notify(req.applicant, "reports/accepted", link=url_for("reports.view", request_id=req.id), **request_params(req))
    db.session.flush()
    return report


def return_report(req: LeaveRequest, actor: User, comment: str, expected_version: int | None) -> MissionReport:
    """The BRI returns the report for revision with a comment (required); the employee is told."""
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(_l("A comment is required for this decision."), field="comment")
    report = _decide(req, actor, "return_report", "returned", comment, expected_version)
    report.bri_comment = comment
    link = url_for("reports.edit", request_id=req.id)
    notify(req.applicant, "reports/returned", link=link, **request_params(req), comment=comment)
    db.session.flush()
    return report


# Working days of the reminders (app/reports/reminders.py) --------------------------------------------------------


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    return working_days(start + timedelta(days=1), end)
