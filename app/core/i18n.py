"""Language selection and formatting helpers (Flask-Babel)."""

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.support import NullTranslations
from babel.units import format_unit
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user

from app.core.http import return_path
from app.extensions import babel

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def current_language() -> str:
    """The reader's language: the page's own when its address names one (:func:`use_page_language`), else the
    profile's once logged in, else the session's, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command: French unless the caller forces a locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("page_language") in languages:
        return g.page_language
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    lang = session.get("lang")
    if lang in languages:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def use_page_language(language: str | None) -> None:
    """Show this response in ``language`` when it is one of the application's (a public page's ``?lang=en``), whoever
    reads it, without remembering it: nothing is written in the session."""
    if language in current_app.config["LANGUAGES"]:
        g.page_language = language
        refresh()


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
    loc = Locale.parse(locale) if locale else reader_locale()
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


# The reader's locale and catalog, looked up once per request ----------------------------------------------------
#
# A page calls gettext and the formatting filters a hundred times or more. Flask-Babel finds the locale and the
# catalog again at each call (a dozen context lookups each: a fifth of a list page's time). These keep the pair
# Flask-Babel chose, on the very namespace where Flask-Babel keeps its locale (``g._flask_babel``), and use it while
# that locale stands: ``force_locale`` (an e-mail in the recipient's language) puts another Locale object there, so
# the pair is looked up again under it and the reader's is found again afterwards.


def _babel_state():
    try:
        return g.get("_flask_babel")
    except RuntimeError:  # no application context
        return None


def reader_locale() -> Locale:
    """The Locale Flask-Babel chose for this request (or forced), fr_CA outside a request."""
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) if state is not None else None
    return locale or get_locale() or Locale.parse("fr_CA")


def reader_translations():
    """The catalog of :func:`reader_locale` (Flask-Babel's own object, from its cache)."""
    state = _babel_state()
    if state is not None:
        cached = getattr(state, "cs_translations", None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    translations = get_translations()
    state = _babel_state()
    if state is None:
        return translations or NullTranslations()
    state.cs_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def gettext(message: str, **variables) -> str:
    """``flask_babel.gettext`` through the reader's catalog found once per request."""
    text = reader_translations().ugettext(message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables) -> LazyString:
    """``flask_babel.lazy_gettext`` (the same LazyString) resolved through :func:`gettext`: for the words a page
    repeats on every row (the workflow's labels)."""
    return LazyString(gettext, message, **variables)


def _template_gettext(message: str) -> str:
    return reader_translations().ugettext(message)


def _template_ngettext(singular: str, plural: str, n: int) -> str:
    return reader_translations().ungettext(singular, plural, n)


def _template_pgettext(context: str, message: str) -> str:
    return reader_translations().upgettext(context, message)


def _template_npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return reader_translations().unpgettext(context, singular, plural, n)


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=8192)
def _formatted_date(value: date, fmt: str, locale: Locale) -> str:
    if value.day == 1 and fmt in ("medium", "long", "full") and locale.language == "fr":
        fmt = _DAY_FIELD.sub("d'er'", locale.date_formats[fmt].pattern, count=1)
    return dates.format_date(value, fmt, locale=locale)


@lru_cache(maxsize=16)
def _patterns(locale: Locale) -> tuple[numbers.NumberPattern, numbers.NumberPattern]:
    """The locale's currency and decimal patterns, parsed once: Babel's format_currency and format_decimal parse
    them at every call (three quarters of their time, and a list writes forty amounts)."""
    return (
        numbers.parse_pattern(locale.currency_formats["standard"]),
        numbers.parse_pattern(locale.decimal_formats[None]),
    )


def money(value: Decimal | int | None) -> str:
    """An amount in CAD in the reader's language (what ``babel.numbers.format_currency`` writes)."""
    if value is None:
        return ""
    locale = reader_locale()
    return _patterns(locale)[0].apply(value, locale, currency="CAD", currency_digits=True)


def number(value) -> str:
    """A number in the reader's language (what ``babel.numbers.format_decimal`` writes)."""
    if value is None:
        return ""
    locale = reader_locale()
    return _patterns(locale)[1].apply(value, locale)


def _reader_is_french() -> bool:
    return reader_locale().language == "fr"


# The day field of a Babel pattern ("d MMMM y"), not "dd" nor a letter inside a quoted literal.
_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")


def _in_montreal(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=dates.UTC)).astimezone(_zone(select_timezone()))


def format_day(value: date | datetime, fmt: str = "medium") -> str:
    """A date in the reader's language. French writes the first day of a month as an ordinal: « 1er juin 2027 »
    (Babel's patterns say « 1 juin »). An instant is first moved to Montréal's time, whose day it is."""
    if isinstance(value, datetime):
        value = _in_montreal(value).date()
    return _formatted_date(value, fmt, reader_locale())


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
    locale = reader_locale()
    if size < 1024:
        return format_unit(size, "digital-byte", length="long", locale=locale)
    unit, value = ("digital-kilobyte", size / 1024) if size < 1024 * 1024 else ("digital-megabyte", size / 1024**2)
    return format_unit(value, unit, length="short", format="#,##0.#", locale=locale)


def datetime_filter(value: datetime | None, date_format: str = "medium") -> str:
    """An instant (stored in UTC) shown in Montréal's time: "1er mars 2027, 08 h 30" / "Mar 1, 2027, 8:30 AM"."""
    if value is None:
        return ""
    locale = reader_locale()
    local = _in_montreal(value)
    return f"{_formatted_date(local.date(), date_format, locale)}, {dates.format_time(local, 'short', locale=locale)}"


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return datetime_filter(value)
    return _formatted_date(value, fmt, reader_locale())


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
    app.jinja_env.install_gettext_callables(
        _template_gettext,
        _template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )

    @app.context_processor
    def _language_context():
        locale = get_locale()
        return {
            "current_locale": locale.language if locale else "fr",
            "language_names": LANGUAGE_NAMES,
            "return_path": return_path,
        }
