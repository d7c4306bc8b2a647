"""Files attached to a request (``purpose`` = "request") or to its mission report (``purpose`` = "report").

The type is read from the content (``filetype``), never from the name: PDF, JPEG, PNG or DOCX, 10 MB each at
most, 5 per purpose. Files are stored under generated names in ``UPLOAD_FOLDER`` (outside the static folder) and
sent back only as downloads (``Content-Disposition: attachment``), never rendered inline.

A file is written before its row is flushed: if the transaction is then rolled back (another file of the same
form refused, a conflict), the session's ``after_rollback`` removes the files it wrote, so no orphan stays behind.
"""

import secrets
from pathlib import Path

import filetype
from flask import current_app, send_from_directory
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.leave.models import Attachment, LeaveRequest
from app.leave.transitions import RuleError

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_PURPOSE = 5
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


class AttachmentError(RuleError):
    def __init__(self, message: str):
        super().__init__(message, field="file")


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean_name(name: str | None, extension: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip(" .")
    return (name or f"document.{extension}")[-200:]


def _read_limited(file_storage: FileStorage) -> bytes:
    content = file_storage.stream.read(MAX_SIZE + 1)
    if len(content) > MAX_SIZE:
        raise AttachmentError(_("The file is larger than 10 MB."))
    if not content:
        raise AttachmentError(_("The file is empty."))
    return content


def count_for(req: LeaveRequest, purpose: str) -> int:
    return sum(1 for a in req.attachments if a.purpose == purpose)


def save_attachment(req: LeaveRequest, file_storage: FileStorage | None, purpose: str, actor) -> Attachment:
    """Validate and store one uploaded file; the permission is the caller's to check. Flushes."""
    if file_storage is None or not file_storage.filename:
        raise AttachmentError(_("Choose a file."))
    if count_for(req, purpose) >= MAX_PER_PURPOSE:
        raise AttachmentError(_("At most %(count)s files can be attached.", count=MAX_PER_PURPOSE))
    content = _read_limited(file_storage)
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise AttachmentError(_("Only PDF, JPEG, PNG or Word (DOCX) files are accepted (checked from their content)."))
    extension = ALLOWED_TYPES[kind.mime]
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    path = upload_folder() / stored_name
    path.write_bytes(content)
    db.session.info.setdefault("files_written", []).append(path)
    attachment = Attachment(
        request=req,
        purpose=purpose,
        original_name=_clean_name(file_storage.filename, extension),
        stored_name=stored_name,
        content_type=kind.mime,
        size=len(content),
        uploaded_by_id=actor.id if actor is not None else None,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def delete_attachment(attachment: Attachment) -> None:
    """Remove the row; the file goes when the transaction is committed (a rollback keeps it)."""
    path = upload_folder() / attachment.stored_name
    db.session.delete(attachment)
    db.session.flush()
    db.session.info.setdefault("files_to_remove", []).append(path)


def remove_deleted_files() -> None:
    """Call after the commit that deleted attachments."""
    for path in db.session.info.pop("files_to_remove", []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _keep_written_files(session: Session) -> None:
    session.info.pop("files_written", None)


@event.listens_for(Session, "after_rollback")
def _remove_written_files(session: Session) -> None:
    for path in session.info.pop("files_written", []):
        path.unlink(missing_ok=True)


def send_attachment(att: Attachment):
    """The file as a download (never inline), under its original name; 404 when the file is gone."""
    response = send_from_directory(
        upload_folder(),
        att.stored_name,
        as_attachment=True,
        download_name=att.original_name,
        mimetype=att.content_type,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
