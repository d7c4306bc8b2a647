"""Files attached to a request (``purpose`` = "request") or to its mission report (``purpose`` = "report").

The files themselves go through the one upload store (:mod:`app.core.uploads`: type read from the content, 10 MB,
generated names, removed again on rollback, sent only as downloads); this module keeps the leave domain's rules:
5 files per purpose, one Attachment row per file. The reports domain calls it for the report's files.
"""

from datetime import date

from flask import Response
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.core import uploads
from app.extensions import db
from app.leave import permissions
from app.leave.models import Attachment, LeaveRequest
from app.leave.notifications import after_attachment
from app.leave.services import ConflictError, NotAllowedError
from app.leave.services.transitions import perform
from app.leave.workflow import ATTACHMENT_ADDED_IN

MAX_PER_PURPOSE = 5


class AttachmentError(uploads.UploadRejected):
    """A file refused (the store's reasons, or the number of files); the message goes next to the ``file`` field."""


def count_for(req: LeaveRequest, purpose: str) -> int:
    return sum(1 for a in req.attachments if a.purpose == purpose)


def save_attachment(req: LeaveRequest, file_storage: FileStorage | None, purpose: str, actor) -> Attachment:
    """Check and store one uploaded file; the permission is the caller's to check. Flushes."""
    if file_storage is None or not file_storage.filename:
        raise AttachmentError(_("Choose a file."))
    if count_for(req, purpose) >= MAX_PER_PURPOSE:
        raise AttachmentError(_("At most %(count)s files can be attached.", count=MAX_PER_PURPOSE))
    try:
        stored = uploads.store(file_storage)
    except uploads.UploadRejected as exc:
        raise AttachmentError(exc.message) from None
    attachment = Attachment(
        request=req,
        purpose=purpose,
        original_name=stored.original_name,
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        uploaded_by_id=actor.id if actor is not None else None,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def no_more_files(req: LeaveRequest) -> ConflictError:
    return ConflictError(
        _("Files can be added to a request until the BRI's decision only: this request is past it."), req
    )


def add_request_attachment(req: LeaveRequest, file_storage: FileStorage | None, actor, today: date) -> Attachment:
    """The applicant adds a file to their request. While it can be edited, simply; after the submission and until
    the BRI's decision, the addition also goes into the request's history (a Transition "add_attachment" that
    leaves the status as it is) and whoever decides next is told. After the decision: refused, nothing stored."""
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant adds files to their request."))
    if not permissions.can_add_attachment(actor, req):
        raise no_more_files(req)
    attachment = save_attachment(req, file_storage, "request", actor)
    if req.status in ATTACHMENT_ADDED_IN:
        perform(req, "add_attachment", actor, comment=attachment.original_name)
        after_attachment(req, attachment.original_name, today)
    return attachment


def delete_attachment(attachment: Attachment) -> None:
    """Remove the row; the file goes once the transaction is committed (a rollback keeps it)."""
    uploads.discard(attachment.stored_name)
    db.session.delete(attachment)
    db.session.flush()


def send_attachment(attachment: Attachment) -> Response:
    """The file as a download (never inline), under its original name; 404 when the file is gone."""
    return uploads.send(attachment.stored_name, attachment.original_name, attachment.content_type)
