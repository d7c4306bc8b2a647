"""Reading the reference data: the lists of cycles, countries and partner organisations, with their filters."""

import unicodedata

from flask import request
from flask_babel import ngettext
from sqlalchemy import Select, func, select

from app.core.cache import cached
from app.core.i18n import all_country_codes, current_language, sorted_country_choices
from app.extensions import db
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle

# Which partners the list shows: the values of the filter form's ``status``.
PARTNER_STATUS_FILTERS = {
    "active": PartnerOrganisation.active.is_(True),
    "inactive": PartnerOrganisation.active.is_(False),
    "all": None,
}


def cycles_newest_first() -> Select:
    return select(ProgrammeCycle).order_by(ProgrammeCycle.year.desc(), ProgrammeCycle.id.desc())


def eligible_codes() -> set[str]:
    return set(db.session.scalars(select(Country.code).where(Country.eligible.is_(True))))


# The choices of forms and filters, from the reference cache (app/core/cache.py): no statement per page.


def eligible_country_codes() -> tuple[str, ...]:
    """The codes the BRI marked eligible (cached as "countries", rebuilt after a change of ``country``)."""
    return cached("countries", lambda: tuple(sorted(eligible_codes())))


def country_choices(codes=None) -> list[tuple[str, str]]:
    """(code, name) sorted by name in the reader's language: of ``codes``, or of every country (249, no query)."""
    if codes is None:
        lang = current_language()
        return cached("country-names", lambda: sorted_country_choices(all_country_codes()), variant=lang)
    return sorted_country_choices(codes)


def cycle_choices() -> tuple[tuple[int, int], ...]:
    """(id, year) of every cycle, newest first (cached as "cycles")."""
    newest_first = select(ProgrammeCycle.id, ProgrammeCycle.year).order_by(ProgrammeCycle.year.desc())
    return cached("cycles", lambda: tuple(tuple(row) for row in db.session.execute(newest_first)))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def country_rows(locale: str, text: str = "", eligible_only: bool = False, eligible: set[str] = frozenset()):
    """(code, name) of every country Babel knows, sorted by name for ``locale``; ``text`` matches a part of the
    name (accents and case ignored) or the whole code."""
    rows = sorted_country_choices(all_country_codes(), locale)
    if eligible_only:
        rows = [row for row in rows if row[0] in eligible]
    needle = _fold(text.strip())
    if needle:
        rows = [row for row in rows if needle in _fold(row[1]) or needle == row[0].casefold()]
    return rows


def partner_search(country: str | None, kind: str | None, text: str | None, status: str) -> Select:
    query = select(PartnerOrganisation).order_by(PartnerOrganisation.name, PartnerOrganisation.id)
    if country:
        query = query.where(PartnerOrganisation.country_code == country)
    if kind:
        query = query.where(PartnerOrganisation.kind == kind)
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(
            func.lower(PartnerOrganisation.name).like(pattern) | func.lower(PartnerOrganisation.city).like(pattern)
        )
    condition = PARTNER_STATUS_FILTERS.get(status)
    return query if condition is None else query.where(condition)


class ListPage:
    """A page of an in-memory list (the countries, named by Babel, not in a table: ``?page=`` slices about 250
    rows), with the interface of the ``pagination`` macro (that of :class:`app.core.pagination.KeysetPage`)."""

    def __init__(self, items: list, page: int, per_page: int):
        self.total = len(items)
        self.page = page
        self.items = items[(page - 1) * per_page : page * per_page]
        self.has_prev = page > 1
        self.has_next = page * per_page < self.total

    @property
    def total_label(self) -> str:
        return ngettext("%(num)s result", "%(num)s results", self.total)

    def link_args(self, which: str) -> dict:
        args = {name: value for name, value in request.args.items() if name not in ("page", "cursor")}
        args["page"] = self.page + 1 if which == "next" else self.page - 1
        return args
