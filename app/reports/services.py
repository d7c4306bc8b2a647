"""Business rules of mission reports: write, submit, accept, return. Services flush, never commit."""

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.core.database import utcnow
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import Attachment, LeaveRequest
from app.leave.notifications import bri_officers
from app.leave.services import ConflictError, RuleError, attachments
from app.leave.services.transitions import perform
from app.reports.models import REPORT_TEXT_FIELDS, MissionReport
from app.reports.permissions import can_review_report, can_write_report

# Fields that must be filled before the report goes to the BRI (a draft may leave them empty).
REQUIRED_TO_SUBMIT = ("activities", "results", "lessons_learned")


class ReportValidationError(Exception):
    """Fields refused, by field name; each message is translated."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


class ReportIncomplete(ReportValidationError):
    """The draft was saved, but sections required for the submission are empty."""


@dataclass
class ReportData:
    """What the employee typed: the text fields, the consent and the files to attach."""

    texts: dict[str, str] = field(default_factory=dict)
    consent_to_quote: bool = False
    files: list[FileStorage] = field(default_factory=list)


def report_for(req: LeaveRequest) -> MissionReport:
    """The request's report, created empty on first use."""
    if req.mission_report is None:
        req.mission_report = MissionReport(request=req)
        db.session.add(req.mission_report)
    return req.mission_report


def _forbidden(req: LeaveRequest) -> ConflictError:
    return ConflictError(_l("The report can no longer be changed: it is no longer waiting for you."), req.id)


def save_report(req: LeaveRequest, data: ReportData, actor: User) -> MissionReport:
    """Keep what the employee wrote (a draft: any field may be empty) and store the new files.

    The files follow the request's rules (``app.leave.services.attachments``, purpose "report"); the first one refused
    stops the saving, named in the message. The caller then rolls back, which removes the files already written.
    """
    if not can_write_report(actor, req):
        raise _forbidden(req)
    report = report_for(req)
    for name in REPORT_TEXT_FIELDS:
        if name in data.texts:
            setattr(report, name, (data.texts[name] or "").strip())
    report.consent_to_quote = bool(data.consent_to_quote) and bool(report.testimony)
    errors = {}
    for file_storage in data.files:
        if not file_storage or not file_storage.filename:
            continue
        try:
            attachments.save_attachment(req, file_storage, "report", actor)
        except attachments.AttachmentError as exc:
            name = file_storage.filename.replace("\\", "/").rsplit("/", 1)[-1]
            errors["files"] = _("The file %(name)s was not attached: %(reason)s", name=name, reason=exc.message)
            break
    db.session.flush()
    if errors:
        raise ReportValidationError(errors)
    return report


def missing_fields(report: MissionReport) -> dict[str, str]:
    return {
        name: str(_l("Fill in this section before submitting the report."))
        for name in REQUIRED_TO_SUBMIT
        if not (getattr(report, name) or "").strip()
    }


def submit_report(req: LeaveRequest, data: ReportData, actor: User, expected_version: int | None) -> MissionReport:
    """Save the text, check it is complete, send the report to the BRI (``submit_report``) and tell the BRI."""
    report = save_report(req, data, actor)
    errors = missing_fields(report)
    if errors:
        raise ReportIncomplete(errors)
    perform(req, "submit_report", actor, expected_version=expected_version)
    report.submitted_at = utcnow()
    report.decision = None
    report.decided_at = None
    report.decided_by = None
    link = url_for("reports.view", request_id=req.id)
    for officer in bri_officers(actor):
        notify(officer, "reports/submitted", link=link, req=req, applicant=req.applicant)
    db.session.flush()
    return report


def _check_reviewer(req: LeaveRequest, actor: User) -> MissionReport:
    if not can_review_report(actor, req) or req.mission_report is None:
        raise ConflictError(
            _l("This report is no longer waiting for a decision: it was already accepted or returned."), req.id
        )
    return req.mission_report


def _decide(req: LeaveRequest, actor: User, action: str, decision: str, comment: str, version: int | None):
    report = _check_reviewer(req, actor)
    perform(req, action, actor, comment=comment, expected_version=version)
    report.decision = decision
    report.decided_at = utcnow()
    report.decided_by = actor
    return report


def accept_report(req: LeaveRequest, actor: User, expected_version: int | None) -> MissionReport:
    """The BRI accepts the report: the mission is closed; the employee is told."""
    report = _decide(req, actor, "accept_report", "accepted", "", expected_version)
    notify(req.applicant, "reports/accepted", link=url_for("reports.view", request_id=req.id), req=req)
    db.session.flush()
    return report


def return_report(req: LeaveRequest, actor: User, comment: str, expected_version: int | None) -> MissionReport:
    """The BRI returns the report for revision with a comment (required); the employee is told."""
    comment = (comment or "").strip()
    if not comment:
        raise RuleError(_l("A comment is required for this decision."), field="comment")
    report = _decide(req, actor, "return_report", "returned", comment, expected_version)
    report.bri_comment = comment
    notify(req.applicant, "reports/returned", link=url_for("reports.edit", request_id=req.id), req=req, comment=comment)
    db.session.flush()
    return report


def remove_attachment(req: LeaveRequest, attachment: Attachment, actor: User) -> None:
    """The applicant removes one of the report's files while writing it."""
    if not can_write_report(actor, req):
        raise _forbidden(req)
    attachments.delete_attachment(attachment)
