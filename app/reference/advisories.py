"""Travel advisories: the words of each level, and every country's advisory read from the reference cache.

The level, its words and its colour are said here once; every page shows them with the macro of
``templates/_macros/advisory.html`` (its colour and its words: never the colour alone).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.cache import cached
from app.core.i18n import current_language
from app.extensions import db
from app.reference.models import ADVISORY_EXCEPTION_LEVEL, Country


@dataclass(frozen=True)
class LevelWords:
    label: object  # the Government of Canada's words, in the reader's language
    badge: str  # the badge's Bootstrap classes (contrast AA with its text)


LEVEL_WORDS: dict[int, LevelWords] = {
    1: LevelWords(_l("Take normal security precautions"), "text-bg-success"),
    2: LevelWords(_l("Exercise a high degree of caution"), "text-bg-warning"),
    3: LevelWords(_l("Avoid non-essential travel"), "text-bg-danger"),
    4: LevelWords(_l("Avoid all travel"), "text-bg-dark"),
}


def level_label(level: int | None) -> str:
    return str(LEVEL_WORDS[level].label) if level in LEVEL_WORDS else ""


def level_text(level: int | None) -> str:
    """ "Level 3: Avoid non-essential travel" in the reader's language; empty when no level is recorded."""
    if level not in LEVEL_WORDS:
        return ""
    return _("Level %(level)s: %(words)s", level=level, words=level_label(level))


def needs_exception(level: int | None) -> bool:
    """A BRI approval to a country at this level needs an explicit, commented exception."""
    return level is not None and level >= ADVISORY_EXCEPTION_LEVEL


@dataclass(frozen=True)
class Advisory:
    code: str
    level: int
    checked_on: date | None
    note_fr: str
    note_en: str

    @property
    def label(self) -> str:
        return level_label(self.level)

    @property
    def text(self) -> str:
        return level_text(self.level)

    @property
    def badge(self) -> str:
        return LEVEL_WORDS[self.level].badge

    @property
    def note(self) -> str:
        """The regional note in the reader's language (the French one when no English note is written)."""
        if current_language() == "en" and self.note_en:
            return self.note_en
        return self.note_fr

    @property
    def needs_exception(self) -> bool:
        return needs_exception(self.level)


def recorded_advisories(*criteria) -> dict[str, tuple]:
    """The advisory recorded for each country that meets ``criteria``, by code: ``(level, checked_on, note_fr,
    note_en)``, the notes "" when none is written (one statement)."""
    rows = db.session.execute(
        select(
            Country.code,
            Country.advisory_level,
            Country.advisory_checked_on,
            Country.advisory_note_fr,
            Country.advisory_note_en,
        ).where(*criteria)
    )
    return {code: (level, checked, note_fr or "", note_en or "") for code, level, checked, note_fr, note_en in rows}


def _build() -> dict[str, tuple]:
    return recorded_advisories(Country.advisory_level.is_not(None))


def advisories() -> dict[str, tuple]:
    """Every recorded advisory by country code (cached as "advisories", rebuilt after a change of ``country``)."""
    return cached("advisories", _build)


def advisory_of(code: str | None) -> Advisory | None:
    """The advisory of ``code`` from the reference cache (no statement once built); None when none is recorded."""
    found = advisories().get((code or "").upper())
    return Advisory(code.upper(), *found) if found else None
