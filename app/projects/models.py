"""Cooperation projects: the project, its partners, money, milestones and its append-only history."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

Money = Numeric(12, 2)


class ProjectStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(PROJECT_STATUS_LABELS[self])


PROJECT_STATUS_LABELS = {
    ProjectStatus.PLANNED: _l("Planned"),
    ProjectStatus.ACTIVE: _l("Active"),
    ProjectStatus.ON_HOLD: _l("On hold"),
    ProjectStatus.COMPLETED: _l("Completed"),
    ProjectStatus.CANCELLED: _l("Project cancelled"),
}


class PartnerRole(enum.StrEnum):
    """The IATI organisation roles."""

    FUNDING = "funding"
    ACCOUNTABLE = "accountable"
    EXTENDING = "extending"
    IMPLEMENTING = "implementing"

    @property
    def label(self) -> str:
        return str(PARTNER_ROLE_LABELS[self])


PARTNER_ROLE_LABELS = {
    PartnerRole.FUNDING: _l("Funding"),
    PartnerRole.ACCOUNTABLE: _l("Accountable"),
    PartnerRole.EXTENDING: _l("Extending"),
    PartnerRole.IMPLEMENTING: _l("Implementing"),
}


class FundingSource(enum.StrEnum):
    BRI_OPERATING = "bri_operating"
    FEDERAL = "federal"
    QUEBEC = "quebec"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(FUNDING_SOURCE_LABELS[self])


FUNDING_SOURCE_LABELS = {
    FundingSource.BRI_OPERATING: _l("BRI operating budget"),
    FundingSource.FEDERAL: _l("Federal government"),
    FundingSource.QUEBEC: _l("Québec government"),
    FundingSource.OTHER: _l("Other source"),
}


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

    __table_args__ = (
        CheckConstraint(f"status IN ({_in(ProjectStatus)})", name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_order"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_fr

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_fr

    @property
    def status_label(self) -> str:
        return ProjectStatus(self.status).label

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
        return PartnerRole(self.role).label


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
        return FundingSource(self.source).label


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
        return FundingSource(self.source).label


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


class ProjectChange(db.Model):
    """One change of a project or of its lines. Append-only: never updated, never deleted.

    ``action`` says what happened (created, changed, added, removed, done, reopened, linked, unlinked), ``field``
    what it happened to (a column of the project, or a kind of line); the values are stored in a neutral form
    (ISO dates, amounts with a dot, codes) and rendered in the reader's language by ``history.describe``.
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
