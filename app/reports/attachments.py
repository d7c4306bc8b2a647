"""Files attached to a mission report (photos, the partner's letter).

Same rules as the request's attachments of issue 3 (PDF, JPEG, PNG or DOCX recognised by their content, 10 MB
each, 5 at most, stored under ``UPLOAD_FOLDER`` with generated names, downloaded as attachments only).
This module exists because ``app/leave/attachments.py`` is written in parallel: at merge, the lead can switch
:func:`save_attachment` / :func:`send_attachment` to the leave ones (``purpose="report"``) and delete this file.
"""

import secrets
from pathlib import Path

import filetype
from flask import current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.leave.models import Attachment, LeaveRequest

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# The content type recognised from the file's first bytes → the extension of the stored file.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


class AttachmentError(Exception):
    """A file refused; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _size(file_storage: FileStorage) -> int:
    stream = file_storage.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _clean_name(name: str) -> str:
    """The name the user gave, kept for display and download (path parts and control characters removed)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:255] or "fichier"


def check_file(file_storage: FileStorage) -> str:
    """The content type of an acceptable file; raises :class:`AttachmentError` otherwise."""
    size = _size(file_storage)
    if size == 0:
        raise AttachmentError(_("The file %(name)s is empty.", name=_clean_name(file_storage.filename or "")))
    if size > MAX_ATTACHMENT_SIZE:
        raise AttachmentError(
            _("The file %(name)s is larger than 10 MB.", name=_clean_name(file_storage.filename or ""))
        )
    head = file_storage.stream.read(8192)
    file_storage.stream.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise AttachmentError(
            _(
                "The file %(name)s is not accepted: only PDF, JPEG, PNG or Word (DOCX) documents are.",
                name=_clean_name(file_storage.filename or ""),
            )
        )
    return kind.mime


def save_attachment(req: LeaveRequest, file_storage: FileStorage, purpose: str, actor) -> Attachment:
    """Check and store one file for ``req``; adds the row (flushes, never commits)."""
    existing = [a for a in req.attachments if a.purpose == purpose]
    if len(existing) >= MAX_ATTACHMENTS:
        raise AttachmentError(_("At most %(count)s files can be attached.", count=MAX_ATTACHMENTS))
    content_type = check_file(file_storage)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
    path = upload_folder() / stored_name
    file_storage.save(path)
    # Files stored by a unit of work that is rolled back are removed by the view (``views.rollback``).
    db.session.info.setdefault("reports_new_files", []).append(stored_name)
    attachment = Attachment(
        request=req,
        purpose=purpose,
        original_name=_clean_name(file_storage.filename or ""),
        stored_name=stored_name,
        content_type=content_type,
        size=path.stat().st_size,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def delete_attachment(attachment: Attachment) -> None:
    """Remove the row; the file goes too (a rollback afterwards would leave the row without its file: the view
    commits right after)."""
    path = upload_folder() / attachment.stored_name
    db.session.delete(attachment)
    db.session.flush()
    path.unlink(missing_ok=True)


def send_attachment(attachment: Attachment):
    """The file as a download (never shown inline), with the type recognised at upload."""
    path = upload_folder() / attachment.stored_name
    if not path.is_file():
        from app.core.http import abort

        abort(404, _("This file is no longer available."))
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.original_name)
