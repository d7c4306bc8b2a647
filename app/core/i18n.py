"""Language selection and formatting helpers (Flask-Babel)."""

import re
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.units import format_unit
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale, to_user_timezone
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


def _reader_is_french() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "fr"


# The day field of a Babel pattern ("d MMMM y"), not "dd" nor a letter inside a quoted literal.
_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")


def format_day(value: date | datetime, fmt: str = "medium") -> str:
    """A date in the reader's language. French writes the first day of a month as an ordinal: « 1er juin 2027 »
    (Babel's patterns say « 1 juin »). An instant is first moved to Montréal's time, whose day it is."""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    if value.day == 1 and fmt in ("medium", "long", "full") and _reader_is_french():
        fmt = _DAY_FIELD.sub("d'er'", get_locale().date_formats[fmt].pattern, count=1)
    return format_date(value, fmt, rebase=False)


def of_name(name: str) -> str:
    """A person's name after "of": « de Bernard », « d'Amina », « d'Hélène » in French (elision before a vowel or a
    mute h; a name's h is taken as mute), "of Amina" in English. For the sentences that say "of {name}"."""
    if not _reader_is_french():
        return f"of {name}"
    return f"d'{name}" if name[:1].lower() in "aeiouhàâæéèêëîïôœùûü" else f"de {name}"


def file_size(size: int | None) -> str:
    """A file's size read by a person: « 412 octets », « 1,2 ko », « 3,4 Mo » / "412 bytes", "1.2 kB"."""
    if size is None:
        return ""
    locale = get_locale() or "fr_CA"
    if size < 1024:
        return format_unit(size, "digital-byte", length="long", locale=locale)
    unit, value = ("digital-kilobyte", size / 1024) if size < 1024 * 1024 else ("digital-megabyte", size / 1024**2)
    return format_unit(value, unit, length="short", format="#,##0.#", locale=locale)


def datetime_filter(value: datetime | None, date_format: str = "medium") -> str:
    """An instant (stored in UTC) shown in Montréal's time: "1er mars 2027, 08 h 30" / "Mar 1, 2027, 8:30 AM"."""
    if value is None:
        return ""
    return f"{format_day(value, date_format)}, {format_time(value, 'short')}"


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return datetime_filter(value)
    return format_day(value, fmt)


def init_babel(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters.update(
        money=money,
        number=number,
        date=date_filter,
        datetime=datetime_filter,
        country=country_name,
        of_name=of_name,
        file_size=file_size,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")

    @app.context_processor
    def _language_context():
        locale = get_locale()
        return {"current_locale": locale.language if locale else "fr", "language_names": LANGUAGE_NAMES}
