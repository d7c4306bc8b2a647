"""Progress updates of a project and their photos: written, changed and deleted by the BRI, each change in the
project's history. A photo is decoded, turned upright, resized and re-encoded (:mod:`app.core.images`) before it
goes to the upload store; one copied from a mission report's file keeps the file's id."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.core import uploads
from app.core.database import montreal_today
from app.core.images import prepare_image
from app.extensions import db
from app.leave.models import Attachment
from app.projects.models import PHOTO_FOLDER, ChangeAction, ChangeField, Project, ProjectPhoto, ProjectUpdate
from app.projects.services.changes import line_value, record_change
from app.projects.services.rules import ProjectRuleError, require_manager
from app.projects.update_queries import MAX_PHOTOS, report_photos

UPDATE_FIELDS = ("update_date", "title_fr", "title_en", "body_fr", "body_en", "published")
EARLIEST = date(2000, 1, 1)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def update_value(update: ProjectUpdate) -> str:
    """The update in the history: its date, French title and whether it is published."""
    return line_value(update.update_date, update.title_fr, _flag(update.published))


def photo_value(photo: ProjectPhoto, update: ProjectUpdate) -> str:
    """The photo in the history: its update's title, its French caption and the consent."""
    return line_value(update.title_fr, photo.caption_fr, _flag(photo.consent_to_publish))


def _text(data: dict, name: str) -> str:
    return (data.get(name) or "").strip()


def _update_errors(data: dict, today: date) -> dict[str, str]:
    errors = {}
    day = data.get("update_date")
    if day is None:
        errors["update_date"] = _("Enter a date.")
    elif day > today:
        errors["update_date"] = _("An update tells what happened: its date cannot be in the future.")
    elif day < EARLIEST:
        errors["update_date"] = _("Enter a date from the year 2000 on.")
    if not _text(data, "title_fr"):
        errors["title_fr"] = _("Enter a title in French.")
    if not _text(data, "body_fr"):
        errors["body_fr"] = _("Write the update in French.")
    return errors


def save_update(
    project: Project, update: ProjectUpdate, data: dict, actor: User, attachment_ids=(), today: date | None = None
) -> ProjectUpdate:
    """Write (``update.id`` None) or change an update from checked form data, and copy into it the mission reports'
    photos of ``attachment_ids`` (only those :func:`report_photos` offers). Every refusal at once, by field."""
    require_manager(actor)
    errors = _update_errors(data, today or montreal_today())
    chosen = _chosen_report_photos(project, update, attachment_ids, errors)
    if errors:
        raise ProjectRuleError(errors=errors)
    creating = update.id is None
    old = None if creating else update_value(update)
    update.project = project
    update.update_date = data["update_date"]
    for name in ("title_fr", "title_en", "body_fr", "body_en"):
        setattr(update, name, _text(data, name))
    update.published = bool(data.get("published"))
    if creating:
        update.author_id = actor.id
        db.session.add(update)
        record_change(project, actor, ChangeAction.ADDED, ChangeField.UPDATE, new=update_value(update))
    elif old != update_value(update) or db.session.is_modified(update):
        record_change(project, actor, ChangeAction.CHANGED, ChangeField.UPDATE, old=old, new=update_value(update))
    db.session.flush()
    for attachment in chosen:
        _copy_report_photo(update, attachment, actor)
    db.session.flush()
    return update


def _chosen_report_photos(project: Project, update: ProjectUpdate, ids, errors: dict) -> list[Attachment]:
    """The report files chosen, each one offered to this update; else an error next to ``report_photos``."""
    ids = list(dict.fromkeys(ids or ()))
    if not ids:
        return []
    offered = {photo.attachment_id for photo in report_photos(project.id, update)}
    if not set(ids) <= offered:
        errors["report_photos"] = _("Choose photos of the mission reports of this project's missions.")
        return []
    if _photo_count(update) + len(ids) > MAX_PHOTOS:
        errors["report_photos"] = _too_many()
        return []
    return [db.session.get(Attachment, attachment_id) for attachment_id in ids]


def _photo_count(update: ProjectUpdate) -> int:
    """The update's photos, counted after its row is locked (PostgreSQL): of two photos added at the same moment to
    an update with five, the second is counted after the first is committed, so the limit holds. The count is its
    own statement, after the lock (under READ COMMITTED a statement sees what was committed when it began)."""
    if update.id is None:
        return len(update.photos)
    _lock(update)
    db.session.expire(update, ["photos"])
    return len(update.photos)


def _lock(update: ProjectUpdate) -> None:
    db.session.execute(select(ProjectUpdate.id).where(ProjectUpdate.id == update.id).with_for_update()).all()


def _too_many() -> str:
    return _("An update has at most %(count)s photos.", count=MAX_PHOTOS)


def _store_photo(update: ProjectUpdate, content: bytes, field: str, name: str | None = None) -> ProjectPhoto:
    try:
        image = prepare_image(content)
    except uploads.UploadRejected as exc:
        message = exc.message if name is None else _("%(name)s: %(reason)s", name=name, reason=exc.message)
        raise ProjectRuleError(errors={field: message}) from None
    stored = uploads.write(image.content, image.extension, folder=PHOTO_FOLDER)
    position = max((p.position for p in update.photos), default=-1) + 1
    photo = ProjectPhoto(
        stored_name=stored,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.content),
        position=position,
    )
    update.photos.append(photo)
    return photo


def _copy_report_photo(update: ProjectUpdate, attachment: Attachment, actor: User) -> ProjectPhoto:
    content = uploads.read(attachment.stored_name)
    photo = _store_photo(update, content, "report_photos", name=attachment.original_name)
    photo.source_attachment_id = attachment.id
    photo.caption_fr = _photo_of_report("fr", attachment)
    photo.caption_en = _photo_of_report("en", attachment)
    record_change(update.project, actor, ChangeAction.ADDED, ChangeField.PHOTO, new=photo_value(photo, update))
    return photo


def _photo_of_report(lang: str, attachment: Attachment) -> str:
    """A first caption, in French and in English whatever the reader's language; the BRI writes a better one."""
    reference = attachment.request.reference
    if lang == "en":
        return f"Photo from the mission report {reference}"
    return f"Photo du rapport de mission {reference}"


def add_photo(update: ProjectUpdate, upload: FileStorage | None, data: dict, actor: User) -> ProjectPhoto:
    """Add a photo sent by the BRI, with its caption and the consent of the people shown."""
    require_manager(actor)
    errors = {}
    if not _text(data, "caption_fr"):
        errors["caption_fr"] = _("Describe the photo in French (it is also its text for screen readers).")
    if _photo_count(update) >= MAX_PHOTOS:
        errors["photo"] = _too_many()
    if errors:
        raise ProjectRuleError(errors=errors)
    try:
        content = uploads.read_upload(upload)
    except uploads.UploadRejected as exc:
        raise ProjectRuleError(errors={"photo": exc.message}) from None
    photo = _store_photo(update, content, "photo")
    _caption(photo, data)
    record_change(update.project, actor, ChangeAction.ADDED, ChangeField.PHOTO, new=photo_value(photo, update))
    db.session.flush()
    return photo


def _caption(photo: ProjectPhoto, data: dict) -> None:
    photo.caption_fr = _text(data, "caption_fr")
    photo.caption_en = _text(data, "caption_en")
    photo.consent_to_publish = bool(data.get("consent_to_publish"))


def edit_photo(photo: ProjectPhoto, data: dict, actor: User) -> ProjectPhoto:
    """Change a photo's captions and consent."""
    require_manager(actor)
    if not _text(data, "caption_fr"):
        raise ProjectRuleError(
            errors={"caption_fr": _("Describe the photo in French (it is also its text for screen readers).")}
        )
    update = photo.update
    old = photo_value(photo, update)
    _caption(photo, data)
    if db.session.is_modified(photo):
        record_change(update.project, actor, ChangeAction.CHANGED, ChangeField.PHOTO, old, photo_value(photo, update))
    db.session.flush()
    return photo


def remove_photo(photo: ProjectPhoto, actor: User) -> None:
    """Take a photo off its update; the file goes once the deletion is committed."""
    require_manager(actor)
    update = photo.update
    record_change(update.project, actor, ChangeAction.REMOVED, ChangeField.PHOTO, old=photo_value(photo, update))
    uploads.discard(photo.stored_name, folder=PHOTO_FOLDER)
    update.photos.remove(photo)
    db.session.flush()


def remove_update(update: ProjectUpdate, actor: User) -> None:
    """Delete an update and its photos (their files go once the deletion is committed)."""
    require_manager(actor)
    record_change(update.project, actor, ChangeAction.REMOVED, ChangeField.UPDATE, old=update_value(update))
    for photo in update.photos:
        uploads.discard(photo.stored_name, folder=PHOTO_FOLDER)
    db.session.delete(update)
    db.session.flush()
