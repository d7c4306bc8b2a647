"""The reminders of the daily job, set-based, told in one digest e-mail per recipient and day.

- report_due: to the employee, when the report is still expected REMINDER_REPORT_DAYS days after the return
  (the mission's end date);
- manager_decision: to the manager (and the delegates covering the day), when a request has waited for them
  REMINDER_MANAGER_WORKING_DAYS working days;
- bri_decision and report_review: to the BRI officers, when a request approved by the manager, or a submitted
  report, has waited REMINDER_BRI_WORKING_DAYS working days.

Working days (``app.core.workdays``) are counted after the day the request reached its status (in Montréal's
time); the wait becomes one date the query compares with (:func:`~app.core.workdays.latest_start`), so that the
database, not Python, picks the late requests. A request gets at most one reminder of a kind every
REMINDER_REPEAT_DAYS days (``ReminderLog`` keeps one row per request, kind, recipient and day), so running the
job again the same day sends nothing twice. Each recipient gets one notification for the day: the reminder
itself when there is one, else a digest listing them all ("5 requests wait for your decision").
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, url_for
from sqlalchemy import exists, insert, select
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.models import User
from app.core.cli import cli_request_context
from app.core.database import CITY_TZ
from app.core.notifications import absolute_url_for_link, notify
from app.core.workdays import latest_start
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest
from app.leave.notification_texts import request_params
from app.leave.notifications import bri_officers
from app.reports.models import ReminderLog

# A digest lists this many requests at most, then says how many more wait and links to the queue that shows them.
DIGEST_LINES = 50


@dataclass(frozen=True)
class Reminder:
    kind: str
    status: str  # the requests it is about
    delay: str  # the configuration key of the delay
    working: bool  # working days since the status was reached (else calendar days since the mission's end)
    audience: str  # "applicant", "managers" or "bri"
    template: str  # the e-mail of a single reminder
    endpoint: str  # where the reminder leads
    queue: str  # where a digest of several leads


REMINDERS = (
    Reminder(
        "report_due",
        "report_due",
        "REMINDER_REPORT_DAYS",
        False,
        "applicant",
        "reports/reminder_report_due",
        "reports.edit",
        "reports.edit",
    ),
    Reminder(
        "manager_decision",
        "submitted",
        "REMINDER_MANAGER_WORKING_DAYS",
        True,
        "managers",
        "reports/reminder_manager",
        "leave.detail",
        "leave.manager_queue",
    ),
    Reminder(
        "bri_decision",
        "manager_approved",
        "REMINDER_BRI_WORKING_DAYS",
        True,
        "bri",
        "reports/reminder_bri_request",
        "leave.detail",
        "leave.bri_queue",
    ),
    Reminder(
        "report_review",
        "report_submitted",
        "REMINDER_BRI_WORKING_DAYS",
        True,
        "bri",
        "reports/reminder_bri_report",
        "reports.view",
        "reports.queue",
    ),
)


def waiting_since(req: LeaveRequest) -> date:
    return req.status_changed_at.astimezone(CITY_TZ).date()


def _city_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CITY_TZ)


def due(reminder: Reminder, day: date) -> list[LeaveRequest]:
    """The requests late enough and not reminded of this kind within the repeat delay: one query."""
    cfg = current_app.config
    delay, repeat = cfg[reminder.delay], cfg["REMINDER_REPEAT_DAYS"]
    if reminder.working:
        # Waiting since the cutoff or before, in Montréal's days: reached the status before the next midnight.
        late = LeaveRequest.status_changed_at < _city_midnight(latest_start(day, delay) + timedelta(days=1))
    else:
        late = LeaveRequest.end_date <= day - timedelta(days=delay)
    reminded = exists().where(
        ReminderLog.request_id == LeaveRequest.id,
        ReminderLog.kind == reminder.kind,
        ReminderLog.sent_on > day - timedelta(days=repeat),
    )
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.status == reminder.status, late, ~reminded)
            .options(
                joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
                joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
                lazyload("*"),
            )
            .order_by(LeaveRequest.id)
        ).unique()
    )


class Audiences:
    """Who is reminded of a request, from three queries for the whole day (BRI officers, delegations in force)."""

    def __init__(self, day: date):
        self.day = day
        self._bri: list[User] | None = None
        self._delegates: dict[int, list[User]] | None = None

    def bri(self) -> list[User]:
        if self._bri is None:
            self._bri = bri_officers()
        return self._bri

    def delegates(self) -> dict[int, list[User]]:
        if self._delegates is None:
            rows = db.session.execute(
                select(Delegation.manager_id, User)
                .join(User, User.id == Delegation.delegate_id)
                .where(Delegation.starts_on <= self.day, Delegation.ends_on >= self.day, User.active.is_(True))
                .options(lazyload(User.role_rows))
            ).all()
            self._delegates = defaultdict(list)
            for manager_id, delegate in rows:
                self._delegates[manager_id].append(delegate)
        return self._delegates

    def of(self, reminder: Reminder, req: LeaveRequest) -> list[User]:
        """The active people reminded of ``req``, never its applicant as a decider."""
        applicant = req.applicant
        if reminder.audience == "applicant":
            return [applicant] if applicant.active else []
        if reminder.audience == "managers":
            manager = applicant.manager
            people = [] if manager is None else [manager, *self.delegates().get(manager.id, [])]
        else:
            people = self.bri()
        seen: set[int] = set()
        return [p for p in people if p.active and p.id != applicant.id and not (p.id in seen or seen.add(p.id))]


def _tell(recipient: User, items: list[tuple[Reminder, LeaveRequest]], day: date) -> None:
    """One notification for the recipient's day: the reminder itself, or the digest of them all."""
    if len(items) == 1:
        [(reminder, req)] = items
        link = url_for(reminder.endpoint, request_id=req.id)
        since = waiting_since(req).isoformat()
        notify(recipient, reminder.template, link=link, **request_params(req), day=day.isoformat(), since=since)
        return
    kinds = [reminder.kind for reminder in REMINDERS]
    ordered = sorted(items, key=lambda item: (kinds.index(item[0].kind), item[1].id))
    shown = ordered[:DIGEST_LINES]
    lines = [
        {
            "kind": reminder.kind,
            "reference": req.reference,
            "applicant": req.applicant.full_name,
            "since": waiting_since(req).isoformat(),
            "end": req.end_date.isoformat(),
            "url": absolute_url_for_link(url_for(reminder.endpoint, request_id=req.id)),
        }
        for reminder, req in shown
    ]
    first, first_req = ordered[0]
    link = url_for(first.queue, request_id=first_req.id) if first.queue == first.endpoint else url_for(first.queue)
    decisions_only = all(reminder.kind in ("manager_decision", "bri_decision") for reminder, _ in items)
    notify(
        recipient,
        "reports/reminder_digest",
        link=link,
        lines=lines,
        total=len(ordered),
        more=len(ordered) - len(shown),
        queue_url=absolute_url_for_link(link),
        decisions_only=decisions_only,
        day=day.isoformat(),
    )


def send_reminders(day: date) -> str:
    """Queue today's reminders: one notification per recipient, one ``ReminderLog`` row per request, kind and
    recipient (flushes; the job commits). Returns a summary (reminders per kind)."""
    audiences = Audiences(day)
    per_recipient: dict[int, tuple[User, list]] = {}
    logs: list[dict] = []
    counts = {}
    with cli_request_context():
        for reminder in REMINDERS:
            counts[reminder.kind] = 0
            for req in due(reminder, day):
                for recipient in audiences.of(reminder, req):
                    per_recipient.setdefault(recipient.id, (recipient, []))[1].append((reminder, req))
                    logs.append(
                        {"request_id": req.id, "kind": reminder.kind, "sent_on": day, "recipient_id": recipient.id}
                    )
                    counts[reminder.kind] += 1
        for recipient, items in per_recipient.values():
            _tell(recipient, items, day)
    if logs:
        db.session.execute(insert(ReminderLog), logs)
    db.session.flush()
    return ", ".join(f"{kind} {count}" for kind, count in counts.items()) + " reminder(s)"
