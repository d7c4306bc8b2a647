"""Reminders sent by the daily job (``flask workflow tick``), each recorded in ``ReminderLog``.

- ``report_due``: to the employee, when the report is still expected REMINDER_REPORT_DAYS days after the return
  (the mission's end date);
- ``manager_decision``: to the manager (and to the delegates covering the day), when a request has waited for them
  REMINDER_MANAGER_WORKING_DAYS working days;
- ``bri_decision`` and ``report_review``: to the BRI officers, when a request approved by the manager, or a
  submitted report, has waited REMINDER_BRI_WORKING_DAYS working days.

Working days are weekdays that are not Québec statutory holidays (``holidays``, Canada, subdivision QC), counted
after the day the request reached its status (in Montréal's time). A request gets at most one reminder of a kind
every REMINDER_REPEAT_DAYS days, so running the job again the same day sends nothing twice.
"""

from datetime import date, timedelta

import holidays
from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.cli import cli_request_context
from app.core.database import CITY_TZ
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.notifications import bri_officers, managers_of
from app.reports.models import ReminderLog


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    quebec = holidays.country_holidays("CA", subdiv="QC", years=range(start.year, end.year + 1))
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in quebec:
            count += 1
        day += timedelta(days=1)
    return count


def _waiting_since(req: LeaveRequest) -> date:
    return req.status_changed_at.astimezone(CITY_TZ).date()


def _last_sent(request_ids: list[int], kind: str) -> dict[int, date]:
    if not request_ids:
        return {}
    rows = db.session.execute(
        select(ReminderLog.request_id, func.max(ReminderLog.sent_on))
        .where(ReminderLog.request_id.in_(request_ids), ReminderLog.kind == kind)
        .group_by(ReminderLog.request_id)
    ).all()
    return {request_id: sent_on for request_id, sent_on in rows}


def _requests(status: str) -> list[LeaveRequest]:
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .options(joinedload(LeaveRequest.applicant).joinedload(User.manager))
            .where(LeaveRequest.status == status)
            .order_by(LeaveRequest.id)
        ).unique()
    )


def _managers_for(req: LeaveRequest, day: date) -> list[User]:
    """Those who decide for the manager that day (the leave workflow's rule), the active ones only."""
    return [person for person in managers_of(req, day) if person.active]


def _due(reqs, kind: str, day: date, is_late) -> list[LeaveRequest]:
    """The requests late enough, and not reminded of ``kind`` within the repeat delay."""
    repeat = current_app.config["REMINDER_REPEAT_DAYS"]
    last = _last_sent([r.id for r in reqs], kind)
    return [r for r in reqs if is_late(r) and (r.id not in last or (day - last[r.id]).days >= repeat)]


def _send(req: LeaveRequest, kind: str, day: date, recipients, template: str, endpoint: str) -> int:
    link = url_for(endpoint, request_id=req.id)
    for recipient in recipients:
        notify(recipient, template, link=link, req=req, day=day, since=_waiting_since(req))
        db.session.add(ReminderLog(request_id=req.id, kind=kind, sent_on=day, recipient_id=recipient.id))
    return len(recipients)


def send_reminders(day: date) -> str:
    """Queue today's reminders (flushes; the job commits). Returns a summary line."""
    with cli_request_context():
        counts = _send_all(day, current_app.config)
    db.session.flush()
    return ", ".join(f"{kind} {count}" for kind, count in counts.items()) + " reminder(s)"


def _send_all(day: date, cfg) -> dict[str, int]:
    counts = {"report_due": 0, "manager_decision": 0, "bri_decision": 0, "report_review": 0}
    report_days = cfg["REMINDER_REPORT_DAYS"]
    for req in _due(_requests("report_due"), "report_due", day, lambda r: (day - r.end_date).days >= report_days):
        if req.applicant.active:
            counts["report_due"] += _send(
                req, "report_due", day, [req.applicant], "reports/reminder_report_due", "reports.edit"
            )

    def late(delay: int):
        return lambda r: working_days_between(_waiting_since(r), day) >= delay

    for req in _due(_requests("submitted"), "manager_decision", day, late(cfg["REMINDER_MANAGER_WORKING_DAYS"])):
        counts["manager_decision"] += _send(
            req,
            "manager_decision",
            day,
            _managers_for(req, day),
            "reports/reminder_manager",
            "leave.detail",
        )
    bri_delay = late(cfg["REMINDER_BRI_WORKING_DAYS"])
    for req in _due(_requests("manager_approved"), "bri_decision", day, bri_delay):
        counts["bri_decision"] += _send(
            req,
            "bri_decision",
            day,
            bri_officers(req.applicant),
            "reports/reminder_bri_request",
            "leave.detail",
        )
    for req in _due(_requests("report_submitted"), "report_review", day, bri_delay):
        counts["report_review"] += _send(
            req,
            "report_review",
            day,
            bri_officers(req.applicant),
            "reports/reminder_bri_report",
            "reports.view",
        )
    return counts
