"""Reference data of the programme: the rules that keep cycles, countries and partners consistent.

Services take the actor, flush and never commit: the view owns the transaction.
"""

import re
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import Invalid
from app.core.i18n import all_country_codes, format_day
from app.core.input_guard import has_control_characters
from app.extensions import db
from app.reference.models import (
    CONTACT_LANGUAGES,
    Country,
    PartnerContact,
    PartnerKind,
    PartnerOrganisation,
    ProgrammeCycle,
    year_end,
    year_start,
)


class ReferenceValidationError(Invalid):
    """Refused input; ``errors`` maps each form field to its message (the first one is also ``field`` and
    ``message``). Nothing was changed."""


def _cycle_errors(cycle: ProgrammeCycle, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data["closes_on"] < data["opens_on"]:
        errors["closes_on"] = _("The closing date must be on or after the opening date.")
    if data["budget_envelope"] < 0:
        errors["budget_envelope"] = _("The budget envelope cannot be negative.")
    if data["places"] < 0:
        errors["places"] = _("The number of places cannot be negative.")
    if data["min_working_days"] < 1:
        errors["min_working_days"] = _("The minimum duration is at least one working day.")
    elif data["max_working_days"] < data["min_working_days"]:
        errors["max_working_days"] = _("The maximum duration must be at least the minimum duration.")
    if data["min_notice_days"] < 0:
        errors["min_notice_days"] = _("The notice cannot be negative.")
    if data.get("daily_rate") is not None and data["daily_rate"] < 0:
        errors["daily_rate"] = _("The daily rate cannot be negative.")
    same_year = select(ProgrammeCycle.id).where(ProgrammeCycle.year == data["year"])
    if cycle.id is not None:
        same_year = same_year.where(ProgrammeCycle.id != cycle.id)
    if db.session.scalar(same_year) is not None:
        errors["year"] = _("A programme cycle already exists for %(year)s.", year=data["year"])
    errors.update(_period_errors(cycle, data["period_start"], data["period_end"]))
    return errors


def _period_errors(cycle: ProgrammeCycle, start, end) -> dict[str, str]:
    """The period of the missions: in order, and shared with no other cycle (a mission belongs to one cycle)."""
    if end < start:
        return {"period_end": _("The end of the missions' period must be on or after its start.")}
    overlap = select(ProgrammeCycle).where(ProgrammeCycle.period_start <= end, ProgrammeCycle.period_end >= start)
    if cycle.id is not None:
        overlap = overlap.where(ProgrammeCycle.id != cycle.id)
    other = db.session.scalars(overlap.order_by(ProgrammeCycle.year)).first()
    if other is not None:
        return {
            "period_start": _(
                "This period overlaps that of the %(year)s cycle (%(start)s to %(end)s): a mission belongs to one "
                "cycle only.",
                year=other.year,
                start=format_day(other.period_start),
                end=format_day(other.period_end),
            )
        }
    return {}


def save_cycle(cycle: ProgrammeCycle, data: dict, actor: User) -> ProgrammeCycle:
    """Create or update a programme cycle from validated form data; raises ReferenceValidationError."""
    for name in ("budget_envelope", "daily_rate"):
        if data.get(name) is not None and not isinstance(data[name], Decimal):
            raise TypeError(f"{name} must be a Decimal")  # money never goes through float
    data = dict(data)
    if data.get("year") is not None:  # the missions' period: the cycle's year unless told
        data["period_start"] = data.get("period_start") or year_start(data["year"])
        data["period_end"] = data.get("period_end") or year_end(data["year"])
    errors = _cycle_errors(cycle, data)
    if errors:
        raise ReferenceValidationError(errors=errors)
    for name in (
        "year",
        "opens_on",
        "closes_on",
        "budget_envelope",
        "places",
        "min_working_days",
        "max_working_days",
        "min_notice_days",
        "period_start",
        "period_end",
        "daily_rate",
    ):
        setattr(cycle, name, data.get(name))
    db.session.add(cycle)
    db.session.flush()
    return cycle


def set_country_eligibility(code: str, eligible: bool, actor: User) -> Country:
    """Mark a destination country eligible or not. ``code`` must be an ISO 3166-1 alpha-2 code known to Babel."""
    code = (code or "").upper()
    if code not in all_country_codes():
        raise ReferenceValidationError(errors={"code": _("Unknown country code.")})
    country = db.session.get(Country, code)
    if country is None:
        country = Country(code=code)
        db.session.add(country)
    country.eligible = eligible
    db.session.flush()
    return country


def _partner_errors(partner: PartnerOrganisation, name: str, country_code: str, kind: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the organisation's name.")
    if country_code not in all_country_codes():
        errors["country_code"] = _("Choose a country from the list.")
    if kind not in {k.value for k in PartnerKind}:
        errors["kind"] = _("Choose a kind from the list.")
    if name and not errors.get("country_code"):
        same = select(PartnerOrganisation.id).where(
            func.lower(PartnerOrganisation.name) == name.lower(), PartnerOrganisation.country_code == country_code
        )
        if partner.id is not None:
            same = same.where(PartnerOrganisation.id != partner.id)
        if db.session.scalar(same) is not None:
            errors["name"] = _("A partner organisation with this name already exists in this country.")
    return errors


def save_partner(partner: PartnerOrganisation, data: dict, actor: User) -> PartnerOrganisation:
    """Create or update a partner organisation; its name is unique within a country (case ignored)."""
    name = " ".join((data.get("name") or "").split())
    country_code = (data.get("country_code") or "").upper()
    errors = _partner_errors(partner, name, country_code, data.get("kind"))
    if errors:
        raise ReferenceValidationError(errors=errors)
    partner.name = name
    partner.kind = data["kind"]
    partner.country_code = country_code
    partner.city = " ".join((data.get("city") or "").split())
    if partner.id is None:
        partner.active = True
    db.session.add(partner)
    db.session.flush()
    return partner


def deactivate_partner(partner: PartnerOrganisation, actor: User) -> None:
    """A deactivated partner is no longer offered in new requests; existing requests keep it."""
    partner.active = False
    db.session.flush()


def reactivate_partner(partner: PartnerOrganisation, actor: User) -> None:
    partner.active = True
    db.session.flush()


# A partner's contacts ------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTACT_LENGTHS = {"name": 120, "email": 254}


def _contact_errors(name: str, email: str, language: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, value in (("name", name), ("email", email)):
        if has_control_characters(value) or "\x00" in value:
            errors[field] = _("Remove the control characters (such as a NUL byte) from this field.")
        elif len(value) > _CONTACT_LENGTHS[field]:
            errors[field] = _("At most %(count)s characters.", count=_CONTACT_LENGTHS[field])
    if not name and "name" not in errors:
        errors["name"] = _("Enter the contact's name.")
    if "email" not in errors and not _EMAIL.fullmatch(email):
        errors["email"] = _("Enter a valid e-mail address.")
    if language not in CONTACT_LANGUAGES:
        errors["language"] = _("Choose a language from the list.")
    return errors


def save_contact(contact: PartnerContact, partner: PartnerOrganisation, data: dict, actor: User) -> PartnerContact:
    """Create or update one of ``partner``'s contacts (name, e-mail, language of the e-mails); the permission is the
    caller's to check (:func:`~app.reference.permissions.can_manage_contacts`). Raises ReferenceValidationError."""
    name = " ".join((data.get("name") or "").split())
    email = (data.get("email") or "").strip().lower()
    language = data.get("language")
    errors = _contact_errors(name, email, language)
    if errors:
        raise ReferenceValidationError(errors=errors)
    if contact.id is None:
        contact.partner = partner
        contact.active = True
    contact.name, contact.email, contact.language = name, email, language
    db.session.add(contact)
    db.session.flush()
    return contact


def set_contact_active(contact: PartnerContact, active: bool, actor: User) -> None:
    """A deactivated contact is no longer offered for new confirmation links; the links already sent stay valid."""
    contact.active = active
    db.session.flush()
