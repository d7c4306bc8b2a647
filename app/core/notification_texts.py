"""The words of a notification, written in the reader's language when it is read or e-mailed.

A notification stores what happened: its ``kind`` and its ``params`` (plain JSON values: references, names, ISO
dates, amounts as strings, action and status codes). Each domain registers, for each of its kinds, a function
``render(params) -> NotificationText`` (``registry.add_notification_kind``) that calls gettext and Babel's
formatting in the current locale: the notifications page and the navigation's menu render the reader's language,
the outbox's sender the recipient's at the moment it sends. Python functions and the message catalogue only, no
template per notification, so a page of them stays cheap. A row without a kind (written before migration 0016),
or whose params a renderer no longer reads, shows its stored subject and body.
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from flask_babel import force_locale, get_locale, get_translations

from app.core.i18n import country_name, format_day, locale_for, money
from app.core.registry import registry_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationText:
    subject: str
    body: str  # what the notifications page shows; the heart of the e-mail
    call: str = ""  # the e-mail's line before its link ("See the request:")


Render = Callable[[dict], NotificationText]

# The catalogue of the locale a notification is being written in, looked up once per notification rather than once
# per sentence (Flask-Babel's own gettext looks up the locale, the domain and the catalogue at every call).
_catalogue: ContextVar = ContextVar("notification_catalogue", default=None)


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext``, for the renderers: the same catalogue and the same result."""
    text = (_catalogue.get() or get_translations()).ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ``ngettext``, for the renderers (``num`` is among the variables)."""
    variables.setdefault("num", num)
    return (_catalogue.get() or get_translations()).ungettext(singular, plural, num) % variables


_ = gettext


def kinds() -> dict[str, Render]:
    return registry_of().notification_kinds


def lines(*parts: str) -> str:
    """Paragraphs of a body, the empty ones left out."""
    return "\n".join(part for part in parts if part)


# A page of notifications names the same few days and countries again and again: each is formatted once per
# process and locale (Babel's formatting, called through Flask-Babel, is most of a notification's cost; the days
# through :func:`app.core.i18n.format_day`, which keeps them too).
@lru_cache(maxsize=2048)
def _country_in(locale: str, code: str) -> str:
    return country_name(code, locale)


def on_day(iso: str | None, fmt: str = "medium") -> str:
    return format_day(date.fromisoformat(iso), fmt) if iso else ""


def cad(amount: str | None) -> str:
    return money(Decimal(amount)) if amount is not None else ""


def country(code: str | None) -> str:
    return _country_in(str(get_locale()), code) if code else ""


def digest_groups(items: list[dict], heading: Callable[[str], str], line: Callable[[dict], str]) -> list[str]:
    """The paragraphs of a digest: each run of ``items`` of one ``kind`` under its ``heading(kind)``, an item as
    ``- line(item)`` with its ``url`` on the line below."""
    groups: list[tuple[str, list[str]]] = []
    for item in items:
        if not groups or groups[-1][0] != item["kind"]:
            groups.append((item["kind"], [heading(item["kind"])]))
        groups[-1][1].append(f"- {line(item)}\n  {item['url']}")
    return ["\n".join(group) for _kind, group in groups]


def comment_line(params: dict) -> str:
    if not params.get("comment"):
        return ""
    label = _("Comment:")  # outside an f-string: Babel's extractor does not look inside one
    return f"{label} {params['comment']}"


def write(kind: str, params: dict) -> NotificationText:
    """The text of ``kind`` in the current locale (its renderer's errors propagate)."""
    token = _catalogue.set(get_translations())
    try:
        return kinds()[kind](params)
    finally:
        _catalogue.reset(token)


def render(kind: str | None, params: dict | None) -> NotificationText | None:
    """The text of ``kind`` in the current locale; None when it cannot be written (no kind, unknown, bad params)."""
    if not kind or kind not in kinds() or not isinstance(params, dict):
        return None
    try:
        return write(kind, params)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        log.warning("Notification of kind %s not rendered from its params; its stored text is shown", kind)
        return None


def text_of(notification) -> NotificationText:
    """What the reader sees of ``notification``, in the current locale (the stored text as the fallback)."""
    text = render(notification.kind, notification.params)
    return text or NotificationText(notification.subject, notification.body)


def email_of(text: NotificationText, recipient_name: str, url: str | None) -> tuple[str, str]:
    """Subject and body of the e-mail telling ``text`` (in the current locale)."""
    parts = [_("Hello %(name)s,", name=recipient_name), text.body]
    if text.call or url:
        parts.append(lines(text.call, url or ""))
    return text.subject[:300], "\n\n".join(parts)


def email_in(language: str | None, kind: str | None, params: dict | None, recipient_name: str, url: str | None):
    """The e-mail of a notification in ``language``; None when its kind cannot be rendered."""
    with force_locale(locale_for(language)):
        text = render(kind, params)
        return email_of(text, recipient_name, url) if text else None
