"""How the notifications of mission reports and of the daily job's reminders read, from their params, in the
current locale (:mod:`app.core.notification_texts`)."""

from app.core.i18n import of_name
from app.core.notification_texts import NotificationText, country, digest_groups, lines, ngettext, on_day
from app.core.notification_texts import gettext as _


def submitted(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission report to review: %(reference)s", reference=p["ref"]),
        _(
            "%(applicant)s submitted the report of the mission %(reference)s (%(country)s). It waits for the BRI's"
            " review.",
            applicant=p["applicant"],
            reference=p["ref"],
            country=country(p["country"]),
        ),
    )


def accepted(p: dict) -> NotificationText:
    return NotificationText(
        _("Your mission report is accepted: %(reference)s", reference=p["ref"]),
        _(
            "The BRI accepted the report of your mission %(reference)s. The mission is now closed. Thank you for"
            " your contribution.",
            reference=p["ref"],
        ),
    )


def returned(p: dict) -> NotificationText:
    return NotificationText(
        _("Your mission report is returned for revision: %(reference)s", reference=p["ref"]),
        _(
            "The BRI returned the report of your mission %(reference)s for revision, with this comment:",
            reference=p["ref"],
        )
        + f"\n\n{p['comment']}",
        _("Correct or complete the report, then submit it again."),
    )


def reminder_report_due(p: dict) -> NotificationText:
    return NotificationText(
        _("Reminder: your mission report %(reference)s is expected", reference=p["ref"]),
        _(
            "Your mission %(reference)s ended on %(end)s and its report is still expected. You can save a draft at"
            " any time and submit it when it is complete.",
            reference=p["ref"],
            end=on_day(p["end"], "long"),
        ),
    )


def reminder_manager(p: dict) -> NotificationText:
    return NotificationText(
        _("Reminder: a leave request waits for your decision (%(reference)s)", reference=p["ref"]),
        _(
            "The solidarity-leave request %(reference)s %(of_applicant)s has been waiting for your decision since"
            " %(since)s.",
            reference=p["ref"],
            of_applicant=of_name(p["applicant"]),
            since=on_day(p["since"], "long"),
        ),
    )


def reminder_bri_request(p: dict) -> NotificationText:
    return NotificationText(
        _("Reminder: a leave request waits for the BRI (%(reference)s)", reference=p["ref"]),
        _(
            "The solidarity-leave request %(reference)s %(of_applicant)s, approved by the manager, has been waiting"
            " for the BRI's decision since %(since)s.",
            reference=p["ref"],
            of_applicant=of_name(p["applicant"]),
            since=on_day(p["since"], "long"),
        ),
    )


def reminder_bri_report(p: dict) -> NotificationText:
    return NotificationText(
        _("Reminder: a mission report waits for the BRI (%(reference)s)", reference=p["ref"]),
        _(
            "The report of the mission %(reference)s, submitted by %(applicant)s, has been waiting for the BRI's"
            " review since %(since)s.",
            reference=p["ref"],
            applicant=p["applicant"],
            since=on_day(p["since"], "long"),
        ),
    )


def _digest_heading(kind: str) -> str:
    if kind == "report_due":
        return _("Your mission reports still expected:")
    if kind == "manager_decision":
        return _("Leave requests waiting for your decision:")
    if kind == "bri_decision":
        return _("Leave requests approved by the manager, waiting for the BRI's decision:")
    return _("Mission reports waiting for the BRI's review:")


def _digest_line(line: dict) -> str:
    if line["kind"] == "report_due":
        text = _(
            "%(reference)s, mission ended on %(end)s", reference=line["reference"], end=on_day(line["end"], "long")
        )
    else:
        text = _(
            "%(reference)s %(of_applicant)s, waiting since %(since)s",
            reference=line["reference"],
            of_applicant=of_name(line["applicant"]),
            since=on_day(line["since"], "long"),
        )
    return text


def reminder_digest(p: dict) -> NotificationText:
    total = p["total"]
    if p["decisions_only"]:
        subject = ngettext("%(num)d request waits for your decision", "%(num)d requests wait for your decision", total)
    else:
        subject = ngettext("Reminder: %(num)d file waits for you", "Reminder: %(num)d files wait for you", total)
    groups = digest_groups(p["lines"], _digest_heading, _digest_line)
    more = ""
    if p["more"]:
        more = lines(
            ngettext("And %(num)d more, all on this page:", "And %(num)d more, all on this page:", p["more"]),
            p["queue_url"],
        )
    return NotificationText(subject, "\n\n".join(groups + ([more] if more else [])))


KINDS = {
    f"reports/{render.__name__}": render
    for render in (
        submitted,
        accepted,
        returned,
        reminder_report_due,
        reminder_manager,
        reminder_bri_request,
        reminder_bri_report,
        reminder_digest,
    )
}
