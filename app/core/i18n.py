"""Language selection and formatting helpers (Flask-Babel)."""

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale
from flask_login import current_user

from app.extensions import babel

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def current_language() -> str:
    """The reader's language: the profile's once logged in, else the session's, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command: French unless the caller forces a locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    lang = session.get("lang")
    if lang in languages:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_for(language: str | None) -> str:
    """The Babel locale of a language: Canadian variants, so that amounts read "1 234,50 $" / "$1,234.50"
    (gettext falls back from fr_CA to the fr catalogs)."""
    return f"{language if language in ('fr', 'en') else 'fr'}_CA"


def select_locale() -> str:
    return locale_for(current_language())


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def country_name(code: str | None, locale: str | None = None) -> str:
    """The country's name from Babel's locale data, in the reader's language."""
    if not code:
        return ""
    loc = Locale.parse(locale or str(get_locale() or "fr_CA"))
    return loc.territories.get(code.upper(), code.upper())


def all_country_codes() -> list[str]:
    """ISO 3166-1 alpha-2 codes known to Babel (numeric region codes and pseudo-territories left out)."""
    territories = Locale.parse("en").territories
    return sorted(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
    )


def sorted_country_choices(codes, locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name for the reader's language (accents folded)."""
    import unicodedata

    def key(pair):
        return unicodedata.normalize("NFKD", pair[1]).encode("ascii", "ignore").decode().casefold()

    return sorted(((c, country_name(c, locale)) for c in codes), key=key)


def money(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return format_currency(value, "CAD")


def number(value) -> str:
    return "" if value is None else format_decimal(value)


def datetime_filter(value: datetime | None, date_format: str = "medium") -> str:
    """An instant (stored in UTC) shown in Montréal's time: "1 mars 2027, 08 h 30" / "Mar 1, 2027, 8:30 AM"."""
    if value is None:
        return ""
    return f"{format_date(value, date_format)}, {format_time(value, 'short')}"


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return datetime_filter(value)
    return format_date(value, fmt)


def init_babel(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters.update(
        money=money,
        number=number,
        date=date_filter,
        datetime=datetime_filter,
        country=country_name,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")

    @app.context_processor
    def _language_context():
        locale = get_locale()
        return {"current_locale": locale.language if locale else "fr", "language_names": LANGUAGE_NAMES}
