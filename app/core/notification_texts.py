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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.i18n import country_name, date_filter, locale_for, money
from app.core.registry import registry_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationText:
    subject: str
    body: str  # what the notifications page shows; the heart of the e-mail
    call: str = ""  # the e-mail's line before its link ("See the request:")


Render = Callable[[dict], NotificationText]


def kinds() -> dict[str, Render]:
    return registry_of().notification_kinds


def lines(*parts: str) -> str:
    """Paragraphs of a body, the empty ones left out."""
    return "\n".join(part for part in parts if part)


def on_day(iso: str | None, fmt: str = "medium") -> str:
    return date_filter(date.fromisoformat(iso), fmt) if iso else ""


def cad(amount: str | None) -> str:
    return money(Decimal(amount)) if amount is not None else ""


def country(code: str | None) -> str:
    return country_name(code)


def comment_line(params: dict) -> str:
    return f"{_('Comment:')} {params['comment']}" if params.get("comment") else ""


def render(kind: str | None, params: dict | None) -> NotificationText | None:
    """The text of ``kind`` in the current locale; None when it cannot be written (no kind, unknown, bad params)."""
    renderer = kinds().get(kind) if kind else None
    if renderer is None or not isinstance(params, dict):
        return None
    try:
        return renderer(params)
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
