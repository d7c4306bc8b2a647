"""How the reference domain's notifications read, from their params, in the current locale
(:mod:`app.core.notification_texts`)."""

from flask_babel import get_locale

from app.core.notification_texts import NotificationText, country, lines, on_day
from app.core.notification_texts import gettext as _
from app.reference.advisories import LEVEL_WORDS, level_label


def level_words(level: int | None) -> str:
    """ "level 3 (Avoid non-essential travel)" in the current locale; "no level" for a country never recorded."""
    if level not in LEVEL_WORDS:
        return _("no level")
    return _("level %(level)s (%(words)s)", level=level, words=level_label(level))


def note_of(params: dict) -> str:
    english = str(get_locale()).startswith("en")
    return (params.get("note_en") if english else "") or params.get("note_fr") or ""


def advisory_raised(p: dict) -> NotificationText:
    note = note_of(p)
    return NotificationText(
        _("Travel advisory raised: %(country)s", country=country(p["country"])),
        lines(
            _(
                "The travel advisory of %(country)s went from %(old)s to %(new)s (checked on %(day)s).",
                country=country(p["country"]),
                old=level_words(p["old"]),
                new=level_words(p["new"]),
                day=on_day(p["checked_on"]),
            )
            if p["old"] is not None
            else _(
                "The travel advisory of %(country)s is now %(new)s (checked on %(day)s).",
                country=country(p["country"]),
                new=level_words(p["new"]),
                day=on_day(p["checked_on"]),
            ),
            _("Regional note: %(note)s", note=note) if note else "",
            _("The approved missions there are listed in the BRI's queue, to be reviewed."),
        ),
        _("The advisories' history:"),
    )


KINDS = {"reference/advisory_raised": advisory_raised}
