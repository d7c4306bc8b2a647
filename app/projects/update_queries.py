"""Reading the progress updates of a project: the last few for its page, all of them page by page, the published
ones (for the public page), and the mission reports' photos that an update may take."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core.pagination import KeysetPage, paginate
from app.extensions import db
from app.leave.models import Attachment, LeaveRequest
from app.projects.models import PHOTO_TYPES, ProjectPhoto, ProjectUpdate
from app.reports.models import MissionReport

UPDATES_SHOWN = 3  # the updates a project's page shows, the newest first (the others: the page of all updates)
MAX_PHOTOS = 6  # the photos of one update
REPORT_PHOTOS_OFFERED = 50  # the newest photos of the project's mission reports offered to an update


def _newest_first(project_id: int) -> Select:
    return (
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id == project_id)
        .order_by(ProjectUpdate.update_date.desc(), ProjectUpdate.id.desc())
    )


def recent_updates(project_id: int, limit: int = UPDATES_SHOWN) -> tuple[list[ProjectUpdate], bool]:
    """The ``limit`` newest updates with their photos and author, in one statement (the updates limited in a
    subquery, their photos joined to it), and whether there are more."""
    rows = (
        db.session.scalars(
            _newest_first(project_id)
            .options(
                joinedload(ProjectUpdate.photos),
                joinedload(ProjectUpdate.author).lazyload(User.role_rows),
            )
            .limit(limit + 1)
        )
        .unique()
        .all()
    )
    return list(rows[:limit]), len(rows) > limit


def update_page(project_id: int) -> KeysetPage:
    """Every update of the project, the newest first, a page at a time (their photos in one statement more)."""
    return paginate(
        _newest_first(project_id).options(
            selectinload(ProjectUpdate.photos),
            joinedload(ProjectUpdate.author).lazyload(User.role_rows),
        )
    )


def load_update(project_id: int, update_id: int) -> ProjectUpdate | None:
    """One update of this project (None when missing or of another project), with its photos."""
    return db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.id == update_id, ProjectUpdate.project_id == project_id)
        .options(selectinload(ProjectUpdate.photos), joinedload(ProjectUpdate.author).lazyload(User.role_rows))
    ).one_or_none()


def load_photo(project_id: int, photo_id: int) -> ProjectPhoto | None:
    """One photo of an update of this project (None when missing or of another project)."""
    return db.session.scalars(
        select(ProjectPhoto)
        .join(ProjectUpdate, ProjectUpdate.id == ProjectPhoto.update_id)
        .where(ProjectPhoto.id == photo_id, ProjectUpdate.project_id == project_id)
        .options(joinedload(ProjectPhoto.update))
    ).one_or_none()


@dataclass(frozen=True)
class PublishedUpdate:
    """A published update with only the photos whose people consented to their publication."""

    update: ProjectUpdate
    photos: list[ProjectPhoto]


def published_updates(project_id: int, limit: int = 20) -> list[PublishedUpdate]:
    """What a public page may show of a project's updates: the published ones, the newest first, each with its
    consented photos only (one statement). Nothing of the author is meant to be shown."""
    rows = (
        db.session.scalars(
            _newest_first(project_id)
            .where(ProjectUpdate.published.is_(True))
            .options(joinedload(ProjectUpdate.photos))
            .limit(limit)
        )
        .unique()
        .all()
    )
    return [PublishedUpdate(u, [p for p in u.photos if p.consent_to_publish]) for u in rows]


# The mission reports' photos -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPhoto:
    """A JPEG or PNG file of a submitted mission report of one of the project's missions."""

    attachment_id: int
    request_id: int
    reference: str
    name: str


def report_photos(project_id: int, update: ProjectUpdate | None = None) -> list[ReportPhoto]:
    """The :data:`REPORT_PHOTOS_OFFERED` newest image files of the reports (submitted at least once: a draft is the
    employee's) of this project's missions, without those already copied into ``update`` (one statement)."""
    query = (
        select(Attachment.id, LeaveRequest.id, LeaveRequest.reference, Attachment.original_name)
        .join(LeaveRequest, LeaveRequest.id == Attachment.request_id)
        .join(MissionReport, MissionReport.request_id == LeaveRequest.id)
        .where(
            LeaveRequest.project_id == project_id,
            Attachment.purpose == "report",
            Attachment.content_type.in_(PHOTO_TYPES),
            MissionReport.submitted_at.is_not(None),
        )
        .order_by(Attachment.id.desc())
        .limit(REPORT_PHOTOS_OFFERED)
    )
    if update is not None and update.id is not None:
        copied = select(ProjectPhoto.id).where(
            ProjectPhoto.update_id == update.id, ProjectPhoto.source_attachment_id == Attachment.id
        )
        query = query.where(~copied.exists())
    return [ReportPhoto(*row) for row in db.session.execute(query)]
