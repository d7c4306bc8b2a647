"""The upload store: every file a user sends (request and report attachments, expenditure documents) goes here.

- The type is read from the content (``filetype``), never from the name; the size is limited.
- Files are kept under generated names, by a backend (:class:`Backend`) chosen by ``STORAGE_BACKEND``: the local
  folder (``UPLOAD_FOLDER``, the default) or an S3-compatible bucket (:mod:`app.core.object_store`).
- A store that fails (unreachable, refusing) raises :class:`~app.core.errors.Unavailable`: the 503 page, and the
  unit of work rolls the database back, so no row points to a file that was not stored.
- A file is written before its row is flushed: if the transaction is then rolled back, the files it wrote are
  removed (no orphan); a file whose row is deleted goes only once the deletion is committed (a rollback keeps it).
- Files are sent back only as downloads (``Content-Disposition: attachment``), never rendered inline.
"""

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import filetype
from flask import Response, current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app.core.audit import security_event
from app.core.errors import Invalid, Unavailable
from app.extensions import db

log = logging.getLogger(__name__)

STORAGE_BACKENDS = ("local", "s3")
MAX_SIZE = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


class UploadRejected(Invalid):
    """The file is refused (type, size, empty); the message goes next to the form's ``file`` field."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message, field=field)


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int


class Backend(Protocol):
    def write(self, key: str, content: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def send(self, key: str, download_name: str, content_type: str) -> Response: ...


class LocalFolder:
    """Files in a folder of the server (outside the static folder)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, key: str, content: bytes) -> None:
        try:
            self._path(key).write_bytes(content)
        except OSError as exc:  # a full disk, a shared folder (NFS...) gone
            raise Unavailable(f"write {key}: {exc}") from exc

    def read(self, key: str) -> bytes:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            raise NotFound() from None
        except OSError as exc:
            raise Unavailable(f"read {key}: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            (self.root / key).unlink(missing_ok=True)
        except OSError as exc:
            raise Unavailable(f"delete {key}: {exc}") from exc

    def send(self, key: str, download_name: str, content_type: str) -> Response:
        path = self.root / key
        try:
            if not path.is_file():
                raise NotFound()
            return send_file(path, as_attachment=True, download_name=download_name, mimetype=content_type, max_age=0)
        except OSError as exc:
            raise Unavailable(f"read {key}: {exc}") from exc


def init_storage(app) -> None:
    """Refuse at start-up a store that cannot work: an unknown ``STORAGE_BACKEND``, a bucket without a name, an
    endpoint that is not an address."""
    kind = app.config.get("STORAGE_BACKEND") or "local"
    if kind not in STORAGE_BACKENDS:
        raise RuntimeError(
            f"STORAGE_BACKEND={kind!r} is not a storage backend: use local (the folder UPLOAD_FOLDER) or s3 "
            "(see README.md, section Configuration)."
        )
    if kind == "s3" and not app.config.get("S3_BUCKET"):
        raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET, the name of the bucket (see README.md, Configuration).")
    endpoint = app.config.get("S3_ENDPOINT_URL")
    if kind == "s3" and endpoint and not endpoint.startswith(("http://", "https://")):
        raise RuntimeError(f"S3_ENDPOINT_URL={endpoint!r} is not an address: give it as https://HOST[:PORT].")


def backend() -> Backend:
    """The store of the configuration; the S3 client is made once per application and set of settings."""
    config = current_app.config
    if (config.get("STORAGE_BACKEND") or "local") != "s3":
        return LocalFolder(config["UPLOAD_FOLDER"])
    settings = (config["S3_BUCKET"], config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"), config.get("S3_PREFIX"))
    stores = current_app.extensions.setdefault("object_stores", {})
    if settings not in stores:
        from app.core.object_store import ObjectStore

        bucket, endpoint_url, region, prefix = settings
        stores[settings] = ObjectStore(bucket, endpoint_url=endpoint_url, region=region, prefix=prefix or "")
    return stores[settings]


def _delete_quietly(store_backend: Backend, keys: list[str], why: str) -> None:
    """Delete files after the fact (a commit done, a rollback done): a store that fails then leaves an orphan file,
    logged, never an error for the user, whose transaction is already settled."""
    for key in keys:
        try:
            store_backend.delete(key)
        except Unavailable as exc:
            log.warning("file %s not removed (%s): %s", key, why, exc)


def clean_name(name: str | None, extension: str) -> str:
    """The name the user gave, without its folders nor characters that are unsafe in a download's name."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip(" .")
    return (name or f"document.{extension}")[-200:]


def read_upload(file_storage: FileStorage | None) -> bytes:
    """The content of an uploaded file, refused when none was chosen, empty or larger than 10 MB."""
    if file_storage is None or not file_storage.filename:
        raise UploadRejected(_("Choose a file."))
    return _read_limited(file_storage)


def _read_limited(file_storage: FileStorage) -> bytes:
    content = file_storage.stream.read(MAX_SIZE + 1)
    if len(content) > MAX_SIZE:
        raise UploadRejected(_("The file is larger than 10 MB."))
    if not content:
        raise UploadRejected(_("The file is empty."))
    return content


def store(
    file_storage: FileStorage | None,
    *,
    folder: str = "",
    types: dict[str, str] = DOCUMENT_TYPES,
    refused: str | None = None,
) -> StoredFile:
    """Check and write one uploaded file (at most 10 MB) under a generated name, in ``folder`` of the store.

    ``refused`` is the message for a type not in ``types`` (other types than documents). Raises
    :class:`UploadRejected`."""
    content = read_upload(file_storage)
    kind = filetype.guess(content)
    if kind is None or kind.mime not in types:
        raise UploadRejected(
            refused or _("Only PDF, JPEG, PNG or Word (DOCX) files are accepted (checked from their content).")
        )
    extension = types[kind.mime]
    return StoredFile(
        original_name=clean_name(file_storage.filename, extension),
        stored_name=write(content, extension, folder=folder),
        content_type=kind.mime,
        size=len(content),
    )


def write(content: bytes, extension: str, *, folder: str = "") -> str:
    """Write checked content (already refused or accepted by the caller) under a generated name in ``folder``;
    returns the stored name (relative to the folder). Removed again if the transaction is rolled back."""
    name = f"{secrets.token_hex(16)}.{extension}"
    key = f"{folder}/{name}" if folder else name
    # Noted before the write: a write that fails half-way (a timeout after the store took it) is removed too.
    db.session.info.setdefault("files_written", []).append(key)
    backend().write(key, content)
    return name


def read(stored_name: str, *, folder: str = "") -> bytes:
    """The whole content of a stored file (to copy it); 404 when it is gone."""
    return backend().read(f"{folder}/{stored_name}" if folder else stored_name)


def discard(stored_name: str | None, *, folder: str = "") -> None:
    """Remove a stored file once the transaction that deleted its row is committed (a rollback keeps it)."""
    if stored_name:
        db.session.info.setdefault("files_to_remove", []).append(f"{folder}/{stored_name}" if folder else stored_name)


def remove_discarded() -> None:
    """After a commit: remove the files whose rows the transaction deleted."""
    keys = db.session.info.pop("files_to_remove", [])
    if keys:
        _delete_quietly(backend(), keys, "deleted row")


def send(stored_name: str, download_name: str, content_type: str, *, folder: str = "") -> Response:
    """The file as a download (never inline) under ``download_name``; 404 when the file is gone."""
    key = f"{folder}/{stored_name}" if folder else stored_name
    response = backend().send(key, download_name, content_type)
    security_event("download", "success", file=key, download_name=download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@event.listens_for(Session, "after_commit")
def _keep_written_files(session: Session) -> None:
    session.info.pop("files_written", None)


@event.listens_for(Session, "after_rollback")
def _remove_written_files(session: Session) -> None:
    keys = session.info.pop("files_written", [])
    session.info.pop("files_to_remove", None)
    if keys:
        _delete_quietly(backend(), keys, "rolled back")


def describe_store() -> str:
    """Where the files go, in words for an operator (no credentials)."""
    config = current_app.config
    if (config.get("STORAGE_BACKEND") or "local") != "s3":
        return f"local folder {config['UPLOAD_FOLDER']}"
    where = config.get("S3_ENDPOINT_URL") or "AWS"
    prefix = f", prefix {config['S3_PREFIX']}" if config.get("S3_PREFIX") else ""
    return f"S3 bucket {config['S3_BUCKET']} at {where}{prefix}"


def check_store() -> None:
    """Write, read back and delete a probe file; raises :class:`Unavailable` with what failed."""
    key = f"probes/{secrets.token_hex(8)}.txt"
    content = secrets.token_bytes(32)
    store_backend = backend()
    store_backend.write(key, content)
    try:
        if store_backend.read(key) != content:
            raise Unavailable(f"read {key}: the content read back differs from the content written")
    finally:
        store_backend.delete(key)
