"""Supporting documents of expenditures: checked by their content, stored under a generated name."""

import secrets
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

MAX_SIZE = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class FileRejected(Exception):
    pass


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload) -> tuple[str, str, str, int]:
    """Save an uploaded file; returns (original name, stored name, content type, size). Raises FileRejected."""
    data = upload.read()
    if len(data) > MAX_SIZE:
        raise FileRejected(_("The file is larger than 10 MB."))
    if not data:
        raise FileRejected(_("The file is empty."))
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise FileRejected(_("Only PDF, JPEG, PNG and Word (DOCX) files are accepted."))
    stored = secrets.token_hex(16) + ALLOWED_TYPES[kind.mime]
    (folder() / stored).write_bytes(data)
    original = (Path(upload.filename or "").name or stored)[:255]
    return original, stored, kind.mime, len(data)


def remove(stored: str | None) -> None:
    if stored:
        (folder() / stored).unlink(missing_ok=True)
