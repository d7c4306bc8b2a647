"""Choosing a partner organisation (:mod:`app.core.pickers`): by the start of a word of its name, or of its city.

Partners are reference data the BRI keeps (hundreds, not the city's thousands of people): a word may start
anywhere in the name. Every logged-in user may search them (the request form names the host partner); the
services say when a partner cannot be chosen (an inactive one on a new request).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.core.i18n import country_name
from app.core.pickers import Choice, Picker, contains_word, folded, id_or_key, starts_with
from app.extensions import db
from app.reference.models import PartnerOrganisation

PARTNER_HINT = _l("Type the start of the partner's name or city")
PARTNER_NOT_FOUND = _l("No partner organisation has this name: choose one of the proposed partners.")


def partner_choice(partner: PartnerOrganisation) -> Choice:
    label = f"{partner.name} ({partner.city}, {country_name(partner.country_code)})"
    if not partner.active:
        inactive = _("inactive")
        label = f"{label} – {inactive}"
    return Choice(partner.id, partner.name, label)


def _search(query: str, actor, limit: int) -> list[Choice]:
    found = db.session.scalars(
        select(PartnerOrganisation)
        .where(
            or_(
                starts_with(PartnerOrganisation.name, query),
                contains_word(PartnerOrganisation.name, query),
                starts_with(PartnerOrganisation.city, query),
            )
        )
        .order_by(PartnerOrganisation.active.desc(), PartnerOrganisation.name, PartnerOrganisation.id)
        .limit(limit)
    )
    return [partner_choice(p) for p in found]


def _lookup(text: str, actor) -> Choice | None:
    partner_id, name = id_or_key(text)
    if partner_id:
        partner = db.session.get(PartnerOrganisation, partner_id)
        return partner_choice(partner) if partner is not None else None
    if not name:
        return None
    # A name shared by partners of two countries names none of them: the person picks in the list.
    found = db.session.scalars(
        select(PartnerOrganisation).where(folded(PartnerOrganisation.name) == name).limit(2)
    ).all()
    return partner_choice(found[0]) if len(found) == 1 else None


def _describe(partner_id: int) -> Choice | None:
    partner = db.session.get(PartnerOrganisation, partner_id)
    return partner_choice(partner) if partner is not None else None


def _logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


PARTNERS = Picker(
    "reference.partners", _logged_in, _search, _lookup, _describe, hint=PARTNER_HINT, not_found=PARTNER_NOT_FOUND
)
