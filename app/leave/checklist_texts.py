"""How the pre-departure checklist's notifications read (:mod:`app.core.notification_texts`): the BRI's exception,
and the daily job's reminders (one for the day, or the digest of several)."""

from flask_babel import get_locale

from app.core.i18n import of_name
from app.core.notification_texts import NotificationText, comment_line, digest_groups, lines, ngettext, on_day
from app.core.notification_texts import gettext as _
from app.leave.checklist import ITEM_LABELS
from app.leave.notification_texts import mission_words, see_request


def missing_words(p: dict) -> str:
    """The items still missing, in the reader's language (an item of the cycle: its label in that language)."""
    english = str(get_locale()).startswith("en")
    words = []
    for item in p.get("missing") or []:
        if item.get("key") in ITEM_LABELS:
            words.append(str(ITEM_LABELS[item["key"]]))
        else:
            words.append((item.get("en") if english else item.get("fr")) or item.get("fr") or "")
    return ", ".join(w for w in words if w)


def checklist_exception(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s: the BRI lets it start with its checklist incomplete", ref=p["ref"]),
        lines(
            _(
                "The BRI recorded an exception for your mission %(ref)s (%(country)s, from %(start)s to %(end)s):"
                " it starts on its date although its pre-departure checklist is incomplete.",
                **mission_words(p),
            ),
            comment_line(p),
        ),
        see_request(),
    )


def checklist_missing(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s: complete your pre-departure checklist", ref=p["ref"]),
        lines(
            _(
                "Your mission %(ref)s (%(country)s) starts on %(start)s. Your pre-departure checklist still lacks:"
                " %(missing)s.",
                missing=missing_words(p),
                **mission_words(p),
            ),
            _("A mission whose checklist is incomplete does not start on its date."),
        ),
        _("Complete it on the request's checklist page:"),
    )


def checklist_escalation(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s leaves soon with its checklist incomplete", ref=p["ref"]),
        _(
            "The mission %(ref)s %(of_applicant)s (%(country)s) starts on %(start)s and its pre-departure checklist"
            " still lacks: %(missing)s.",
            of_applicant=of_name(p["applicant"]),
            missing=missing_words(p),
            **mission_words(p),
        ),
        see_request(),
    )


def checklist_blocked(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s not started: its checklist is incomplete", ref=p["ref"]),
        lines(
            _(
                "The mission %(ref)s %(of_applicant)s (%(country)s) was due to start on %(start)s, but its"
                " pre-departure checklist lacks: %(missing)s. It stays approved.",
                of_applicant=of_name(p["applicant"]),
                missing=missing_words(p),
                **mission_words(p),
            ),
            _(
                "Record an exception on the mission's checklist page (the daily job then starts it), or cancel the"
                " mission."
            ),
        ),
        see_request(),
    )


def _heading(kind: str) -> str:
    if kind == "missing":
        return _("Your pre-departure checklists still incomplete:")
    if kind == "escalation":
        return _("Missions leaving soon with their checklist incomplete:")
    return _("Missions not started because their checklist is incomplete:")


def _digest_line(line: dict) -> str:
    return _(
        "%(ref)s %(of_applicant)s, starts on %(start)s; missing: %(missing)s",
        ref=line.get("ref") or line.get("reference") or "",
        of_applicant=of_name(line.get("applicant") or ""),
        start=on_day(line.get("start") or line.get("since"), "long"),
        missing=missing_words(line),
    )


def checklist_digest(p: dict) -> NotificationText:
    body = "\n\n".join(digest_groups(p["lines"], _heading, _digest_line))
    total = p["total"]
    return NotificationText(
        ngettext(
            "Pre-departure checklist: %(num)d mission to look at",
            "Pre-departure checklists: %(num)d missions to look at",
            total,
        ),
        body,
    )


KINDS = {
    f"leave/{render.__name__}": render
    for render in (checklist_exception, checklist_missing, checklist_escalation, checklist_blocked, checklist_digest)
}
