"""Reference data of the programme: cycles (application calls), destination countries, partner organisations."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Money, TimestampMixin, UTCDateTime, append_only, utcnow
from app.core.enums import LabelledEnum
from app.extensions import db


def year_start(year: int) -> date:
    return date(year, 1, 1)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _default_period_start(context) -> date:
    return year_start(context.get_current_parameters()["year"])


def _default_period_end(context) -> date:
    return year_end(context.get_current_parameters()["year"])


class ProgrammeCycle(TimestampMixin, db.Model):
    """An application call ("appel de candidatures"): the window in which it takes applications, and the period its
    missions must fall in (by default its year), so that a mission is charged to the cycle it belongs to."""

    __tablename__ = "programme_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    budget_envelope: Mapped[Decimal] = mapped_column(Money)
    places: Mapped[int] = mapped_column(Integer)
    min_working_days: Mapped[int] = mapped_column(Integer)
    max_working_days: Mapped[int] = mapped_column(Integer)
    min_notice_days: Mapped[int] = mapped_column(Integer)
    # The missions charged to this cycle start and end within these days (1 January to 31 December of its year
    # unless told).
    period_start: Mapped[date] = mapped_column(Date, default=_default_period_start)
    period_end: Mapped[date] = mapped_column(Date, default=_default_period_end)
    # The city's in-kind contribution per working day of a mission (projects); the configuration's default if empty.
    daily_rate: Mapped[Decimal | None] = mapped_column(Money)

    __table_args__ = (
        CheckConstraint("closes_on >= opens_on", name="window_order"),
        CheckConstraint("budget_envelope >= 0", name="budget_not_negative"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        CheckConstraint("min_working_days >= 1 AND max_working_days >= min_working_days", name="duration_bounds"),
        CheckConstraint("min_notice_days >= 0", name="notice_not_negative"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def holds(self, start: date, end: date | None = None) -> bool:
        """Do the mission's dates fall within the cycle's period?"""
        return self.period_start <= start and (end or start) <= self.period_end

    @property
    def code(self) -> str:
        """The call as the references name it (``CS-2027``)."""
        return f"CS-{self.year}"

    def __str__(self) -> str:
        return str(self.year)


# The Government of Canada's travel advisory levels (1 to 4) and the longest regional note the BRI writes.
ADVISORY_LEVELS = (1, 2, 3, 4)
# From this level on, a BRI approval needs an explicit, commented exception.
ADVISORY_EXCEPTION_LEVEL = 3
ADVISORY_NOTE_MAX = 1000


class Country(db.Model):
    """A destination country (ISO 3166-1 alpha-2). Its name comes from Babel, in the reader's language.

    Its travel advisory (the Government of Canada's level, the day the BRI last checked it, a regional note) is
    kept by the BRI; every change is in :class:`CountryAdvisoryChange`. No level: never recorded."""

    __tablename__ = "country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    eligible: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    advisory_level: Mapped[int | None] = mapped_column(Integer)
    advisory_checked_on: Mapped[date | None] = mapped_column(Date)
    advisory_note_fr: Mapped[str] = mapped_column(String(ADVISORY_NOTE_MAX), default="", server_default="")
    advisory_note_en: Mapped[str] = mapped_column(String(ADVISORY_NOTE_MAX), default="", server_default="")
    # The moment the level last went up: the approved missions there since before are to be reviewed.
    advisory_raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("advisory_level IS NULL OR advisory_level BETWEEN 1 AND 4", name="advisory_level_known"),
    )


class CountryAdvisoryChange(db.Model):
    """One change of a country's travel advisory, as the BRI recorded it. Append-only: never updated, never
    deleted."""

    __tablename__ = "country_advisory_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code", ondelete="RESTRICT"))
    old_level: Mapped[int | None] = mapped_column(Integer)
    new_level: Mapped[int] = mapped_column(Integer)
    checked_on: Mapped[date] = mapped_column(Date)
    note_fr: Mapped[str] = mapped_column(String(ADVISORY_NOTE_MAX), default="")
    note_en: Mapped[str] = mapped_column(String(ADVISORY_NOTE_MAX), default="")
    # "form" (the country's page) or "csv" (an import).
    source: Mapped[str] = mapped_column(String(10), default="form")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User")

    __table_args__ = (
        CheckConstraint("new_level BETWEEN 1 AND 4", name="new_level_known"),
        CheckConstraint("old_level IS NULL OR old_level BETWEEN 1 AND 4", name="old_level_known"),
        Index("ix_country_advisory_change_country_list", "country_code", "id"),
    )

    @property
    def raised(self) -> bool:
        """A higher level than before (a country never recorded counts as level 1, normal precautions)."""
        return self.new_level > (self.old_level or 1)


append_only(CountryAdvisoryChange.__table__)


class PartnerKind(LabelledEnum):
    MUNICIPALITY = "municipality", _l("Municipality")
    NGO = "ngo", _l("Non-governmental organisation")
    UNIVERSITY = "university", _l("University")
    GOVERNMENT = "government", _l("Government body")
    ASSOCIATION = "association", _l("Association of municipalities")
    OTHER = "other", _l("Other")


class PartnerOrganisation(TimestampMixin, db.Model):
    __tablename__ = "partner_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=PartnerKind.OTHER.value)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    contacts: Mapped[list["PartnerContact"]] = relationship(
        back_populates="partner", order_by="PartnerContact.id", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("name", "country_code", name="uq_partner_organisation_name_country"),)

    def __str__(self) -> str:
        return self.name


CONTACT_LANGUAGES = ("fr", "en")


class PartnerContact(TimestampMixin, db.Model):
    """A person of a partner organisation who may confirm a mission by a signed link, without an account; the
    e-mail carrying the link is written in their language. A deactivated contact is no longer offered."""

    __tablename__ = "partner_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    partner: Mapped[PartnerOrganisation] = relationship(back_populates="contacts")

    __table_args__ = (
        CheckConstraint("language IN ('fr', 'en')", name="language_known"),
        # A partner's contacts, in order (its page, the BRI's choice on the request page).
        Index("ix_partner_contact_partner", "partner_id", "id"),
    )

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
