"""Who hears about each step of a request. Called by the services inside their transaction (the outbox)."""

from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.accounts.models import Role, User, UserRole
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest, Transition
from app.leave.notification_texts import request_params
from app.leave.workflow import (
    BRI_ACTIONS,
    MANAGER_ACTIONS,
    MANAGER_DECISION_STATUSES,
    WITHDRAWN_AFTER_BRI,
    WITHDRAWN_AFTER_MANAGER,
)


def _link(req: LeaveRequest) -> str:
    return url_for("leave.detail", request_id=req.id)


def bri_officers(*excluded: User | None) -> list[User]:
    excluded_ids = {u.id for u in excluded if u is not None}
    users = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.BRI, User.active.is_(True))
        .order_by(User.id)
        .options(lazyload(User.role_rows))  # an e-mail needs the address and the language, not the roles
    ).all()
    return [u for u in users if u.id not in excluded_ids]


def managers_of(req: LeaveRequest, day: date) -> list[User]:
    """The applicant's manager and that manager's delegates on ``day`` (never the applicant)."""
    manager = req.applicant.manager
    if manager is None:
        return []
    delegates = db.session.scalars(
        select(User)
        .join(Delegation, Delegation.delegate_id == User.id)
        .where(
            Delegation.manager_id == manager.id,
            Delegation.starts_on <= day,
            Delegation.ends_on >= day,
            User.active.is_(True),
        )
    ).all()
    people = [manager, *delegates]
    seen: set[int] = set()
    return [p for p in people if p.id != req.applicant_id and not (p.id in seen or seen.add(p.id))]


def _send(recipients, kind: str, req: LeaveRequest, transition: Transition) -> None:
    params = request_params(req) | {
        "action": transition.action,
        "status": req.status,
        "comment": transition.comment or "",
    }
    manager = req.applicant.manager
    for recipient in recipients:
        # A delegate is told whose team the request comes from.
        delegate_of = manager.full_name if manager is not None and manager.id != recipient.id else None
        notify(recipient, f"leave/{kind}", link=_link(req), **params, delegate_of=delegate_of)


def after_attachment(req: LeaveRequest, file_name: str, day: date) -> None:
    """A file added after the submission: whoever decides next hears of it (the manager and their delegates of
    the day, or the BRI officers)."""
    deciding_manager = req.status in MANAGER_DECISION_STATUSES
    recipients = managers_of(req, day) if deciding_manager else bri_officers(req.applicant)
    for recipient in recipients:
        notify(recipient, "leave/attachment_added", link=_link(req), **request_params(req), file=file_name)


def after_transition(req: LeaveRequest, transition: Transition, day: date) -> None:
    """Queue the notifications of one step: the next actor, and the applicant of every decision.

    Every recipient is looked up before the first notification is queued, so that the step's notifications are
    written together (one INSERT, and one for their e-mails)."""
    action, actor = transition.action, transition.actor
    applicant = req.applicant
    sends: list[tuple[list[User], str]] = []
    if action == "submit":
        sends.append((managers_of(req, day), "to_decide_manager"))
    elif action == "manager_approve":
        sends.append(([applicant], "decision"))
        sends.append((bri_officers(applicant, actor), "to_decide_bri"))
    elif action in MANAGER_ACTIONS | BRI_ACTIONS:
        sends.append(([applicant], "decision"))
    elif action == "cancel":
        sends.append(([applicant], "decision"))
        sends.append(([m for m in [applicant.manager] if m is not None], "cancelled"))
    elif action == "withdraw":
        informed = []
        if transition.from_status in WITHDRAWN_AFTER_MANAGER:
            informed += managers_of(req, day)
        if transition.from_status in WITHDRAWN_AFTER_BRI:
            informed += bri_officers(applicant, *informed)
        sends.append(([u for u in informed if u.id != applicant.id], "withdrawn"))
    elif action == "start_mission":
        sends.append(([applicant], "mission_started"))
    elif action == "end_mission":
        sends.append(([applicant], "report_due"))
    for recipients, template in sends:
        _send(recipients, template, req, transition)


def after_partner_answer(req: LeaveRequest, transition: Transition) -> None:
    """The host partner answered through its link: the BRI officers and the applicant hear of it."""
    params = request_params(req) | {
        "answer": "confirmed" if transition.action == "partner_confirm" else "declined",
        "contact": transition.actor_name or "",
        "comment": transition.comment or "",
    }
    for recipient in [req.applicant, *bri_officers(req.applicant)]:
        notify(recipient, "leave/partner_answered", link=_link(req), **params)


def after_partner_recorded(req: LeaveRequest, transition: Transition) -> None:
    """The BRI recorded a confirmation received by other means: the applicant hears of it."""
    params = request_params(req) | {"comment": transition.comment or ""}
    notify(req.applicant, "leave/partner_recorded", link=_link(req), **params)


def after_checklist_exception(req: LeaveRequest, transition: Transition) -> None:
    """The BRI lets the mission leave with its checklist incomplete: the applicant hears of it."""
    params = request_params(req) | {"comment": transition.comment or ""}
    notify(req.applicant, "leave/checklist_exception", link=_link(req), **params)
