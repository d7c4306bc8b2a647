"""Cooperation projects: the project, its partners, money, milestones and its append-only history."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Money, TimestampMixin, UTCDateTime, append_only, utcnow
from app.core.enums import LabelledEnum
from app.extensions import db


class ProjectStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    ACTIVE = "active", _l("Active")
    ON_HOLD = "on_hold", _l("On hold")
    COMPLETED = "completed", _l("Completed")
    CANCELLED = "cancelled", _l("Project cancelled")


class PartnerRole(LabelledEnum):
    """The IATI organisation roles."""

    FUNDING = "funding", _l("Funding")
    ACCOUNTABLE = "accountable", _l("Accountable")
    EXTENDING = "extending", _l("Extending")
    IMPLEMENTING = "implementing", _l("Implementing")


class FundingSource(LabelledEnum):
    BRI_OPERATING = "bri_operating", _l("BRI operating budget")
    FEDERAL = "federal", _l("Federal government")
    QUEBEC = "quebec", _l("Québec government")
    OTHER = "other", _l("Other source")


# The wording of the history: what happened (ProjectChange.action) to what (ProjectChange.field).


class ChangeAction(LabelledEnum):
    CREATED = "created", _l("Creation")
    CHANGED = "changed", _l("Modification")
    ADDED = "added", _l("Addition")
    REMOVED = "removed", _l("Removal")
    DONE = "done", _l("Marked as done")
    REOPENED = "reopened", _l("Marked as not done")
    LINKED = "linked", _l("Linking")
    UNLINKED = "unlinked", _l("Unlinking")
    PUBLISHED = "published", _l("Publication")
    UNPUBLISHED = "unpublished", _l("Withdrawal from publication")
    RECORDED = "recorded", _l("Actual value recorded")


class ChangeField(LabelledEnum):
    PROJECT = "project", _l("Project")
    CODE = "code", _l("Code")
    TITLE_FR = "title_fr", _l("Title (French)")
    TITLE_EN = "title_en", _l("Title (English)")
    DESCRIPTION_FR = "description_fr", _l("Description (French)")
    DESCRIPTION_EN = "description_en", _l("Description (English)")
    COUNTRY_CODE = "country_code", _l("Country")
    LOCALITY = "locality", _l("Locality")
    SECTOR = "sector", _l("Sector")
    STATUS = "status", _l("Status")
    START_DATE = "start_date", _l("Start date")
    END_DATE = "end_date", _l("End date")
    BUDGET = "budget", _l("Budget")
    PARTNER = "partner", _l("Partner")
    FUNDING_LINE = "funding_line", _l("Funding line")
    EXPENDITURE = "expenditure", _l("Expenditure")
    MILESTONE = "milestone", _l("Milestone")
    MISSION = "mission", _l("Mission")
    PUBLICATION = "publication", _l("Public page and IATI file")
    UPDATE = "update", _l("Progress update")
    PHOTO = "photo", _l("Photo")
    RESULT = "result", _l("Result")
    INDICATOR = "indicator", _l("Indicator")
    PERIOD = "period", _l("Indicator period")
    MISSION_RESULT = "mission_result", _l("Result served by a mission")


# How the history stores the several values of one line (a funding line: source, amount, note) in one cell.
LINE_SEPARATOR = " | "

# The folder of the upload store that keeps the expenditures' documents (the stored names are relative to it).
DOCUMENT_FOLDER = "projects"
# The folder of the progress updates' photos (re-encoded by ``app.core.images``, see ``services.updates``).
PHOTO_FOLDER = "project-photos"
PHOTO_TYPES = ("image/jpeg", "image/png")


def _in(values) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class Sector(db.Model):
    """An OECD DAC purpose code relevant to municipal cooperation (curated, editable reference data)."""

    __tablename__ = "project_sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def label(self, locale: str) -> str:
        return f"{self.code} – {self.name(locale)}"


class Project(TimestampMixin, db.Model):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title_fr: Mapped[str] = mapped_column(String(250))
    title_en: Mapped[str] = mapped_column(String(250), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    country_code: Mapped[str] = mapped_column(String(2), default="HT", server_default="HT")
    locality: Mapped[str] = mapped_column(String(200), default="")
    sector_id: Mapped[int] = mapped_column(ForeignKey("project_sector.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ProjectStatus.PLANNED.value, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    budget: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Set when the BRI publishes the project (its public page and its activity in the IATI file), cleared when it
    # withdraws it; see services.publication.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sector: Mapped[Sector] = relationship()
    partners: Mapped[list["ProjectPartner"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectPartner.id"
    )
    funding_lines: Mapped[list["FundingLine"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="FundingLine.id"
    )
    expenditures: Mapped[list["Expenditure"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by=lambda: (Expenditure.spent_on, Expenditure.id)
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by=lambda: (Milestone.due_on, Milestone.id)
    )
    changes: Mapped[list["ProjectChange"]] = relationship(
        back_populates="project", order_by="ProjectChange.id.desc()", passive_deletes=True
    )
    missions = relationship("LeaveRequest", back_populates="project", order_by="LeaveRequest.start_date")
    # The results framework (app/projects/results.py); the project page loads it in one statement.
    results = relationship(
        "ProjectResult",
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="[ProjectResult.position, ProjectResult.id]",
    )

    __table_args__ = (
        CheckConstraint(f"status IN ({_in(ProjectStatus)})", name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_order"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        Index("ix_project_start_list", "start_date", "id"),  # the list sorted by its dates (migration 0014)
        Index("ix_project_published", "published_at", "id"),  # the IATI file: published projects by id (0020)
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_fr

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_fr

    @property
    def status_label(self) -> str:
        return ProjectStatus.label_of(self.status)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Project {self.code}>"


class ProjectPartner(db.Model):
    __tablename__ = "project_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    project: Mapped[Project] = relationship(back_populates="partners")
    partner = relationship("PartnerOrganisation")

    __table_args__ = (
        CheckConstraint(f"role IN ({_in(PartnerRole)})", name="role_known"),
        UniqueConstraint("project_id", "partner_id", "role", name="uq_project_partner_role"),
    )

    @property
    def role_label(self) -> str:
        return PartnerRole.label_of(self.role)


class FundingLine(db.Model):
    __tablename__ = "project_funding_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(250), default="")

    project: Mapped[Project] = relationship(back_populates="funding_lines")

    __table_args__ = (
        CheckConstraint(f"source IN ({_in(FundingSource)})", name="source_known"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    @property
    def source_label(self) -> str:
        return FundingSource.label_of(self.source)


class Expenditure(db.Model):
    __tablename__ = "project_expenditure"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(20))
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_stored: Mapped[str | None] = mapped_column(String(64), unique=True)
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_size: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="expenditures")

    __table_args__ = (
        CheckConstraint(f"source IN ({_in(FundingSource)})", name="source_known"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    @property
    def source_label(self) -> str:
        return FundingSource.label_of(self.source)


class Milestone(db.Model):
    __tablename__ = "project_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    project: Mapped[Project] = relationship(back_populates="milestones")

    def is_late(self, today: date) -> bool:
        return not self.done and self.due_on < today


class ProjectUpdate(db.Model):
    """A dated narrative of the project's progress, written by the BRI, with its photos (Akvo RSR's "update").

    ``published``: the update may appear on the project's public page (with its photos whose people consented)."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    update_date: Mapped[date] = mapped_column(Date)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body_fr: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    project: Mapped[Project] = relationship()
    author = relationship("User")
    photos: Mapped[list["ProjectPhoto"]] = relationship(
        back_populates="update",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: (ProjectPhoto.position, ProjectPhoto.id),
    )

    __table_args__ = (
        CheckConstraint("title_fr <> ''", name="title_not_empty"),
        CheckConstraint("body_fr <> ''", name="body_not_empty"),
        # The project's updates, the newest first (its page and the list of them all, keyset on (date, id)).
        Index("ix_project_update_project_date", "project_id", "update_date", "id"),
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_fr

    def body(self, locale: str) -> str:
        return self.body_en if locale == "en" and self.body_en else self.body_fr


class ProjectPhoto(db.Model):
    """A photo of an update, re-encoded and resized when stored (``PHOTO_FOLDER`` of the upload store).

    ``consent_to_publish``: the people shown agreed to its publication; ``source_attachment_id``: the mission
    report's file it was copied from, if any."""

    __tablename__ = "project_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found through the unique (update_id, source_attachment_id): no index of its own.
    update_id: Mapped[int] = mapped_column(ForeignKey("project_update.id", ondelete="CASCADE"))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    caption_fr: Mapped[str] = mapped_column(String(300), default="")
    caption_en: Mapped[str] = mapped_column(String(300), default="")
    consent_to_publish: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    update: Mapped[ProjectUpdate] = relationship(back_populates="photos")

    __table_args__ = (
        CheckConstraint(f"content_type IN ({', '.join(repr(t) for t in PHOTO_TYPES)})", name="content_type_known"),
        CheckConstraint("width > 0 AND height > 0", name="dimensions_positive"),
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("position >= 0", name="position_not_negative"),
        # A report's file is copied once into an update (NULLs, photos sent directly, are all distinct).
        UniqueConstraint("update_id", "source_attachment_id", name="uq_project_photo_source"),
    )

    def caption(self, locale: str) -> str:
        return self.caption_en if locale == "en" and self.caption_en else self.caption_fr

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


class ProjectChange(db.Model):
    """One change of a project or of its lines. Append-only: never updated, never deleted.

    ``action`` says what happened (created, changed, added, removed, done, reopened, linked, unlinked), ``field``
    what it happened to (a column of the project, or a kind of line); the values are stored in a neutral form
    (ISO dates, amounts with a dot, codes) and rendered in the reader's language by ``queries.describe_change``;
    their wording is :class:`ChangeAction` and :class:`ChangeField`.
    """

    __tablename__ = "project_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="changes")
    actor = relationship("User")


append_only(ProjectChange.__table__)

from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator  # noqa: E402,F401
