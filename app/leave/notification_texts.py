"""How each notification of the leave workflow reads, from its params, in the current locale
(:mod:`app.core.notification_texts`). The params are written by :func:`request_params` and the services."""

from app.core.i18n import of_name
from app.core.notification_texts import NotificationText, cad, comment_line, country, lines, on_day
from app.core.notification_texts import gettext as _
from app.leave.labels import action_label, status_label
from app.leave.models import LeaveRequest
from app.reference.notification_texts import level_words, note_of


def request_params(req: LeaveRequest) -> dict:
    """What every leave notification may say of its request, as plain JSON values."""
    return {
        "ref": req.reference,
        "applicant": req.applicant.full_name,
        "country": req.country_code,
        "start": req.start_date.isoformat() if req.start_date else None,
        "end": req.end_date.isoformat() if req.end_date else None,
        "days": req.working_days,
        "amount": str(req.amount_requested) if req.amount_requested is not None else None,
    }


def mission_words(p: dict) -> dict:
    """A mission's reference, country and dates as its notifications say them (from :func:`request_params`)."""
    return {"ref": p["ref"], "country": country(p["country"]), "start": on_day(p["start"]), "end": on_day(p["end"])}


def see_request() -> str:
    """The e-mail's line before the link to the request."""
    return _("See the request:")


def decision(p: dict) -> NotificationText:
    action = action_label(p["action"])
    again = p["status"] == "changes_requested"
    return NotificationText(
        _("Your request %(ref)s: %(action)s", ref=p["ref"], action=action),
        lines(
            _(
                "Your solidarity-leave request %(ref)s (%(country)s, from %(start)s to %(end)s) changed: %(action)s.",
                action=action,
                **mission_words(p),
            ),
            _("Its status is now: %(status)s.", status=status_label(p["status"])),
            comment_line(p),
        ),
        _("Edit the request and submit it again:") if again else see_request(),
    )


def cancelled(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s cancelled", ref=p["ref"]),
        lines(
            _(
                "The BRI cancelled the mission %(ref)s %(of_applicant)s (%(country)s, from %(start)s to %(end)s).",
                of_applicant=of_name(p["applicant"]),
                **mission_words(p),
            ),
            comment_line(p),
        ),
        see_request(),
    )


def withdrawn(p: dict) -> NotificationText:
    return NotificationText(
        _("Request %(ref)s withdrawn", ref=p["ref"]),
        lines(
            _(
                "%(applicant)s withdrew the solidarity-leave request %(ref)s (%(country)s, from %(start)s to %(end)s)."
                " Nothing more is expected from you.",
                applicant=p["applicant"],
                **mission_words(p),
            ),
            comment_line(p),
        ),
        see_request(),
    )


def to_decide_manager(p: dict) -> NotificationText:
    delegate = (
        _("You receive it as the delegate %(of_manager)s.", of_manager=of_name(p["delegate_of"]))
        if p.get("delegate_of")
        else ""
    )
    return NotificationText(
        _("Request %(ref)s waits for your decision", ref=p["ref"]),
        lines(
            _(
                "%(applicant)s submitted the solidarity-leave request %(ref)s: %(country)s, from %(start)s to %(end)s"
                " (%(days)s working days).",
                applicant=p["applicant"],
                days=p["days"],
                **mission_words(p),
            ),
            delegate,
        ),
        _("Approve it, reject it or ask for changes on the request page:"),
    )


def to_decide_bri(p: dict) -> NotificationText:
    return NotificationText(
        _("Request %(ref)s waits for the BRI", ref=p["ref"]),
        _(
            "The manager approved the solidarity-leave request %(ref)s %(of_applicant)s: %(country)s, from %(start)s"
            " to %(end)s, %(amount)s asked.",
            of_applicant=of_name(p["applicant"]),
            amount=cad(p["amount"]),
            **mission_words(p),
        ),
        _("Decide it on the request page:"),
    )


def attachment_added(p: dict) -> NotificationText:
    return NotificationText(
        _("Request %(ref)s: a file was added", ref=p["ref"]),
        _(
            '%(applicant)s added the file "%(file)s" to the request %(ref)s, which waits for your decision.',
            applicant=p["applicant"],
            file=p["file"],
            ref=p["ref"],
        ),
        see_request(),
    )


def mission_started(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s: have a good mission", ref=p["ref"]),
        _(
            "Your mission %(ref)s in %(country)s starts on %(start)s and ends on %(end)s. After your return, the"
            " application will ask you for your mission report.",
            **mission_words(p),
        ),
        see_request(),
    )


def report_due(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s: your report is due", ref=p["ref"]),
        _(
            "Your mission %(ref)s in %(country)s ended on %(end)s. Welcome back! Please write your mission report:"
            " activities, results, lessons learned and recommendations.",
            ref=p["ref"],
            country=country(p["country"]),
            end=on_day(p["end"]),
        ),
        _("Write it from the request page:"),
    )


def delegation(p: dict) -> NotificationText:
    return NotificationText(
        _("%(manager)s named you as their delegate", manager=p["manager"]),
        _(
            "From %(start)s to %(end)s, you see and decide the solidarity-leave requests of the team %(of_manager)s,"
            " on their behalf.",
            start=on_day(p["start"]),
            end=on_day(p["end"]),
            of_manager=of_name(p["manager"]),
        ),
        _("The requests waiting for a decision:"),
    )


def partner_request(p: dict) -> NotificationText:
    """The e-mail to the host partner's contact (no account): the mission, and the link to confirm or decline."""
    return NotificationText(
        _("Solidarity mission %(ref)s: please confirm", ref=p["ref"]),
        lines(
            _(
                "The City of Montréal's Bureau des relations internationales plans a solidarity mission"
                " %(of_applicant)s with your organisation (%(country)s, from %(start)s to %(end)s).",
                of_applicant=of_name(p["applicant"]),
                **mission_words(p),
            ),
            _(
                "Please confirm that you will host this mission, or decline it, by the link below. It opens once, until"
                " %(expires)s, and needs no account.",
                expires=on_day(p.get("expires") or p["end"]),
            ),
        ),
        _("Your answer:"),
    )


def partner_answered(p: dict) -> NotificationText:
    confirmed = p.get("answer", "confirmed") == "confirmed"
    contact = p.get("contact") or ""
    subject = (
        _("Mission %(ref)s confirmed by the host partner", ref=p["ref"])
        if confirmed
        else _("Mission %(ref)s declined by the host partner", ref=p["ref"])
    )
    said = (
        _(
            "%(contact)s confirmed, for the host partner, the mission %(ref)s %(of_applicant)s.",
            contact=contact,
            ref=p["ref"],
            of_applicant=of_name(p["applicant"]),
        )
        if confirmed
        else _(
            "%(contact)s declined, for the host partner, the mission %(ref)s %(of_applicant)s.",
            contact=contact,
            ref=p["ref"],
            of_applicant=of_name(p["applicant"]),
        )
    )
    return NotificationText(subject, lines(said, comment_line(p)), see_request())


def partner_recorded(p: dict) -> NotificationText:
    return NotificationText(
        _("Mission %(ref)s: the host partner's confirmation is recorded", ref=p["ref"]),
        lines(
            _(
                "The BRI recorded the host partner's confirmation of the mission %(ref)s (%(country)s, from %(start)s"
                " to %(end)s), received by other means.",
                **mission_words(p),
            ),
            comment_line(p),
        ),
        see_request(),
    )


KINDS = {
    f"leave/{render.__name__}": render
    for render in (
        decision,
        cancelled,
        withdrawn,
        to_decide_manager,
        to_decide_bri,
        attachment_added,
        mission_started,
        report_due,
        delegation,
        partner_request,
        partner_answered,
        partner_recorded,
    )
}


def advisory_raised(p: dict) -> NotificationText:
    note = note_of(p)
    return NotificationText(
        _("Your mission %(ref)s: the travel advisory went up", ref=p["ref"]),
        lines(
            _(
                "The Government of Canada's travel advisory for %(country)s, where your mission %(ref)s goes from"
                " %(start)s to %(end)s, went from %(old)s to %(new)s.",
                old=level_words(p["old"]),
                new=level_words(p["new"]),
                **mission_words(p),
            )
            if p["old"] is not None
            else _(
                "The Government of Canada's travel advisory for %(country)s, where your mission %(ref)s goes from"
                " %(start)s to %(end)s, is now %(new)s.",
                new=level_words(p["new"]),
                **mission_words(p),
            ),
            _("Regional note: %(note)s", note=note) if note else "",
            _("The BRI reviews the mission and will tell you whether it is maintained."),
        ),
        see_request(),
    )


KINDS["leave/advisory_raised"] = advisory_raised
