"""A person's calendar feed as iCalendar (RFC 5545, the ``icalendar`` package): one all-day event per request, in
the owner's language, confirmed once approved and tentative while pending."""

from collections.abc import Callable
from datetime import timedelta

from flask_babel import force_locale, format_date, pgettext
from flask_babel import gettext as _
from icalendar import Calendar, Event

from app.accounts.models import User
from app.core.database import utcnow
from app.core.i18n import country_name, locale_for
from app.leave.labels import status_label
from app.leave.queries import AWAY_CONFIRMED

PRODID = "-//Ville de Montreal//Conges solidaires//FR"
# Stable whatever the host the feed is read through: a request's reference is never reused.
UID_DOMAIN = "conges-solidaires.montreal"


def uid(entry) -> str:
    return f"{entry.reference}@{UID_DOMAIN}"


def _summary(entry, owner: User, country: str) -> str:
    if entry.status not in AWAY_CONFIRMED:
        return _("%(name)s, mission pending (%(country)s)", name=entry.full_name, country=country)
    if entry.applicant_id == owner.id:
        return _("On mission (%(country)s)", country=country)
    return _("%(name)s on mission (%(country)s)", name=entry.full_name, country=country)


def _long_date(day) -> str:
    """``1er mars 2027`` in French (the first of a month is an ordinal), ``March 1, 2027`` in English."""
    text = format_date(day, "long")
    if day.day == 1:  # the day comes first in French: "1 mars 2027" becomes "1er mars 2027"
        text = text.replace("1", pgettext("the first day of a month, in a long date", "1"), 1)
    return text


def _description(entry, country: str, link: str) -> str:
    destination = f"{entry.city}, {country}" if entry.city else country
    lines = [
        _("Request %(ref)s", ref=entry.reference),
        _("Status: %(status)s", status=status_label(entry.status)),
        _("Destination: %(place)s", place=destination),
        _(
            "From %(start)s to %(end)s",
            start=_long_date(entry.start_date),
            end=_long_date(entry.end_date),
        ),
        link,
    ]
    return "\n".join(lines)


def _event(entry, owner: User, link: str, stamp) -> Event:
    country = country_name(entry.country_code, locale_for(owner.language))
    event = Event()
    event.add("uid", uid(entry))
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.start_date)
    event.add("dtend", entry.end_date + timedelta(days=1))  # exclusive: the day after the last day
    event.add("summary", _summary(entry, owner, country))
    event.add("description", _description(entry, country, link))
    event.add("status", "CONFIRMED" if entry.status in AWAY_CONFIRMED else "TENTATIVE")
    event.add("transp", "TRANSPARENT")  # someone else's absence does not make the reader busy
    event.add("url", link)
    return event


def feed_calendar(owner: User, entries, link_of: Callable[[int], str]) -> bytes:
    """The feed of ``owner`` holding ``entries`` (rows of :func:`app.leave.queries.away_between`); ``link_of(id)``
    is the absolute address of a request's page."""
    stamp = utcnow()
    with force_locale(locale_for(owner.language)):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Solidarity leaves: %(name)s", name=owner.full_name))
        for entry in entries:
            calendar.add_component(_event(entry, owner, link_of(entry.id), stamp))
    return calendar.to_ical()
