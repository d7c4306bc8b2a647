"""Keeping the travel advisories: one country's from its page, several at once from a CSV file.

Each change writes a row of the append-only history (``country_advisory_change``). When a level goes up, the BRI
officers hear of it, and so do the domains above through the point ``reference.advisory_raised`` (the leave domain
tells the employees whose approved or running mission goes there). The notifications go through the outbox: they are
written in the change's transaction and leave after its commit. Services flush and never commit.
"""

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.accounts.models import Role, User, UserRole
from app.core.database import montreal_today, utcnow
from app.core.errors import NotAllowed
from app.core.i18n import all_country_codes
from app.core.input_guard import has_control_characters
from app.core.notifications import notify
from app.core.registry import registry_of
from app.extensions import db
from app.reference.models import ADVISORY_LEVELS, ADVISORY_NOTE_MAX, Country, CountryAdvisoryChange
from app.reference.services import ReferenceValidationError

# A checked date before this day is a typing error, not an advisory the BRI read.
EARLIEST_CHECK = date(2000, 1, 1)


@dataclass(frozen=True)
class AdvisoryData:
    code: str
    level: int
    checked_on: date
    note_fr: str = ""
    note_en: str = ""


def can_edit_advisories(user) -> bool:
    """Only BRI officers keep the travel advisories (administrators manage the other reference data)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.BRI)


def level_error(level) -> str | None:
    if not isinstance(level, int) or isinstance(level, bool) or level not in ADVISORY_LEVELS:
        return _("Choose a level from 1 to 4.")
    return None


def checked_on_error(day, today: date) -> str | None:
    if not isinstance(day, date):
        return _("Enter the date the advisory was checked (YYYY-MM-DD).")
    if day > today:
        return _("The date the advisory was checked cannot be in the future.")
    if day < EARLIEST_CHECK:
        return _("This date is too far in the past: check the year.")
    return None


def note_error(note: str) -> str | None:
    if len(note) > ADVISORY_NOTE_MAX:
        return _("The note is %(num)s characters at most.", num=ADVISORY_NOTE_MAX)
    if has_control_characters(note):
        return _("The note contains control characters (such as a NUL byte): remove them.")
    return None


def advisory_errors(data: AdvisoryData, today: date) -> dict[str, str]:
    """The field errors of ``data`` (form field names), empty when it may be recorded."""
    errors = {}
    if data.code not in all_country_codes():
        errors["code"] = _("Unknown country code.")
    for name, message in (
        ("level", level_error(data.level)),
        ("checked_on", checked_on_error(data.checked_on, today)),
        ("note_fr", note_error(data.note_fr)),
        ("note_en", note_error(data.note_en)),
    ):
        if message:
            errors[name] = message
    return errors


def clean(code: str, level, checked_on, note_fr: str | None, note_en: str | None) -> AdvisoryData:
    return AdvisoryData(
        (code or "").strip().upper(), level, checked_on, (note_fr or "").strip(), (note_en or "").strip()
    )


def _locked_country(code: str) -> Country:
    """The country's row, locked until the commit (two officers at once: each history row knows its old level).
    A country never recorded gets a row, not eligible (recording an advisory does not open a destination)."""
    country = db.session.scalars(select(Country).where(Country.code == code).with_for_update()).first()
    if country is None:
        country = Country(code=code, eligible=False)
        db.session.add(country)
    return country


def _apply(data: AdvisoryData, actor: User, source: str) -> CountryAdvisoryChange | None:
    country = _locked_country(data.code)
    same = (
        country.advisory_level == data.level
        and country.advisory_checked_on == data.checked_on
        and (country.advisory_note_fr or "") == data.note_fr
        and (country.advisory_note_en or "") == data.note_en
    )
    if same:
        return None
    change = CountryAdvisoryChange(
        country_code=data.code,
        old_level=country.advisory_level,
        new_level=data.level,
        checked_on=data.checked_on,
        note_fr=data.note_fr,
        note_en=data.note_en,
        source=source,
        actor_id=actor.id,
        created_at=utcnow(),
    )
    if change.raised:
        country.advisory_raised_at = change.created_at
    country.advisory_level = data.level
    country.advisory_checked_on = data.checked_on
    country.advisory_note_fr = data.note_fr
    country.advisory_note_en = data.note_en
    db.session.add(change)
    return change


def bri_officers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.BRI, User.active.is_(True))
            .order_by(User.id)
            .options(lazyload(User.role_rows))
        )
    )


def _after_raises(raised: list[CountryAdvisoryChange], actor: User) -> None:
    """The BRI officers hear of every raise, then the domains above do their part (the travellers)."""
    if not raised:
        return
    officers = bri_officers()
    link = url_for("reference.advisory_history")
    for change in raised:
        params = {
            "country": change.country_code,
            "old": change.old_level,
            "new": change.new_level,
            "checked_on": change.checked_on.isoformat(),
            "note_fr": change.note_fr,
            "note_en": change.note_en,
        }
        for officer in officers:
            notify(officer, "reference/advisory_raised", link=link, **params)
    for hook in registry_of().extensions("reference.advisory_raised"):
        hook(raised, actor)


def set_advisory(data: AdvisoryData, actor: User, today: date | None = None) -> CountryAdvisoryChange | None:
    """Record a country's advisory from its page; None when nothing changed. Raises ReferenceValidationError."""
    if not can_edit_advisories(actor):
        raise NotAllowed(_("Only a BRI officer keeps the travel advisories."))
    errors = advisory_errors(data, today or montreal_today())
    if errors:
        raise ReferenceValidationError(errors=errors)
    change = _apply(data, actor, "form")
    db.session.flush()
    _after_raises([change] if change is not None and change.raised else [], actor)
    return change


def import_advisories(rows: list[AdvisoryData], actor: User) -> list[CountryAdvisoryChange]:
    """Record the rows of an import that :mod:`app.reference.advisory_csv` read and checked (all of them valid):
    the changes, in the file's order (the rows that change nothing are left out)."""
    if not can_edit_advisories(actor):
        raise NotAllowed(_("Only a BRI officer keeps the travel advisories."))
    changes = [change for change in (_apply(row, actor, "csv") for row in rows) if change is not None]
    db.session.flush()
    _after_raises([change for change in changes if change.raised], actor)
    return changes
