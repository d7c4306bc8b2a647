"""The daily job's step for the pre-departure checklist (after the missions are started), set-based, told in one
notification per recipient and day (the reminder itself, or a digest of them all), like the job's other reminders:

- missing: to the employee, when their approved mission starts within CHECKLIST_REMINDER_DAYS with items missing
  (again every REMINDER_REPEAT_DAYS days);
- escalation: to the BRI officers, when it starts within CHECKLIST_ESCALATION_DAYS still incomplete (daily);
- blocked: to the BRI officers, when its start date has come and the job did not start it (daily, until the
  employee completes the checklist, the BRI records an exception or cancels the mission).

A mission the BRI excepted is nobody's concern here. ``ChecklistReminder`` keeps one row per request, kind,
recipient and day: running the job again the same day sends nothing twice.
"""

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import exists, insert, not_, select
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.models import User
from app.core.cli import cli_request_context
from app.core.notifications import absolute_url_for_link, notify
from app.extensions import db
from app.leave.checklist import may_start
from app.leave.checklist_models import BUILTIN_ITEMS, ChecklistEntry, ChecklistItem, ChecklistReminder
from app.leave.models import LeaveRequest
from app.leave.notification_texts import request_params
from app.leave.notifications import bri_officers
from app.leave.workflow import MISSION_STARTS_FROM

KIND_ORDER = ("blocked", "escalation", "missing")
DIGEST_LINES = 50


def _due(kind: str, day: date) -> list[LeaveRequest]:
    """The approved missions, incomplete and not excepted, that this kind of reminder is due for today."""
    cfg = current_app.config
    if kind == "missing":
        window = LeaveRequest.start_date <= day + timedelta(days=cfg["CHECKLIST_REMINDER_DAYS"])
        since = day - timedelta(days=cfg["REMINDER_REPEAT_DAYS"])
    elif kind == "escalation":
        window = (LeaveRequest.start_date > day) & (
            LeaveRequest.start_date <= day + timedelta(days=cfg["CHECKLIST_ESCALATION_DAYS"])
        )
        since = day - timedelta(days=1)
    else:
        window = LeaveRequest.start_date <= day
        since = day - timedelta(days=1)
    reminded = exists().where(
        ChecklistReminder.request_id == LeaveRequest.id,
        ChecklistReminder.kind == kind,
        ChecklistReminder.sent_on > since,
    )
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.status.in_(MISSION_STARTS_FROM), window, not_(may_start()), ~reminded)
            .options(joinedload(LeaveRequest.applicant).lazyload(User.role_rows), lazyload("*"))
            .order_by(LeaveRequest.start_date, LeaveRequest.id)
        ).unique()
    )


def _missing(requests: list[LeaveRequest]) -> dict[int, list[dict]]:
    """Each request's missing items (two statements for all of them)."""
    ids = [r.id for r in requests]
    done: dict[int, set[str]] = defaultdict(set)
    for request_id, key in db.session.execute(
        select(ChecklistEntry.request_id, ChecklistEntry.key).where(ChecklistEntry.request_id.in_(ids))
    ):
        done[request_id].add(key)
    extra: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in db.session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.cycle_id.in_({r.cycle_id for r in requests}))
        .order_by(ChecklistItem.id)
    ):
        extra[item.cycle_id].append(item)
    missing = {}
    for req in requests:
        items = [{"key": key} for key in BUILTIN_ITEMS]
        items += [{"key": i.key, "fr": i.label_fr, "en": i.label_en} for i in extra[req.cycle_id]]
        missing[req.id] = [item for item in items if item["key"] not in done[req.id]]
    return missing


def _tell(recipient: User, items: list[tuple[str, LeaveRequest, list[dict]]], day: date) -> None:
    if len(items) == 1:
        [(kind, req, missing)] = items
        link = url_for("leave.checklist", request_id=req.id)
        notify(recipient, f"leave/checklist_{kind}", link=link, **request_params(req), missing=missing)
        return
    ordered = sorted(items, key=lambda item: (KIND_ORDER.index(item[0]), item[1].start_date, item[1].id))
    lines = [
        {
            "kind": kind,
            "ref": req.reference,
            "applicant": req.applicant.full_name,
            "start": req.start_date.isoformat(),
            "missing": missing,
            "url": absolute_url_for_link(url_for("leave.checklist", request_id=req.id)),
        }
        for kind, req, missing in ordered[:DIGEST_LINES]
    ]
    first = ordered[0][1]
    link = url_for("leave.checklist", request_id=first.id) if ordered[0][0] == "missing" else url_for("leave.bri_queue")
    notify(recipient, "leave/checklist_digest", link=link, lines=lines, total=len(ordered), day=day.isoformat())


def send_checklist_reminders(day: date) -> str:
    """Queue today's checklist reminders: one notification per recipient, one ``ChecklistReminder`` row per request,
    kind and recipient (flushes; the job commits). Returns a summary (reminders per kind)."""
    per_recipient: dict[int, tuple[User, list]] = {}
    logs: list[dict] = []
    counts = {}
    with cli_request_context():
        officers = None
        for kind in KIND_ORDER:
            due = _due(kind, day)
            counts[kind] = len(due)  # missions, whoever is told
            missing = _missing(due) if due else {}
            for req in due:
                if kind == "missing":
                    recipients = [req.applicant] if req.applicant.active else []
                else:
                    officers = bri_officers() if officers is None else officers
                    recipients = [u for u in officers if u.id != req.applicant_id]
                for recipient in recipients:
                    per_recipient.setdefault(recipient.id, (recipient, []))[1].append((kind, req, missing[req.id]))
                    logs.append({"request_id": req.id, "kind": kind, "sent_on": day, "recipient_id": recipient.id})
        for recipient, items in per_recipient.values():
            _tell(recipient, items, day)
    if logs:
        db.session.execute(insert(ChecklistReminder), logs)
    db.session.flush()
    return "incomplete checklists: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())
