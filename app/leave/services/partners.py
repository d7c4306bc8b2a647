"""The host partner's confirmation of a mission: the signed link sent to one of its contacts, the answer given
through it, and the BRI's record of a confirmation received by other means.

The link carries a random secret (``secrets.token_urlsafe``); the table keeps only its SHA-256 (like the calendar
feeds), so reading the table opens nothing, and the lookup is by that digest (an index lookup whose time says
nothing of how close a guess was). A link opens once, until it expires. Each ask and each answer goes through
:func:`~app.leave.services.transitions.perform` (a staying action of the machine, one Transition row, the request's
version bumped): two answers at once, or an answer and the BRI's record, settle like two decisions.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.database import utcnow
from app.core.input_guard import MAX_INT
from app.core.notification_texts import email_in
from app.core.notifications import email_outside
from app.extensions import db
from app.leave import permissions
from app.leave.models import LeaveRequest, PartnerConfirmation
from app.leave.notification_texts import request_params
from app.leave.notifications import after_partner_answer, after_partner_recorded
from app.leave.services import ConflictError, NotAllowedError, RuleError
from app.leave.services.requests import check_state, check_version
from app.leave.services.transitions import perform
from app.leave.workflow import PARTNER_ANSWER_STATUSES
from app.reference.models import PartnerContact

# What secrets.token_urlsafe(32) gives: 43 characters of the URL-safe base64 alphabet. Anything else is not looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
ANSWERS = {"confirmed": "partner_confirm", "declined": "partner_decline"}


class LinkGone(ConflictError):
    """The link was used, replaced, has expired, or its mission is no longer waiting for the partner (410)."""


class AlreadyAnswered(ConflictError):
    """The answer came second: the link was used in the meantime (409)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_by_token(token: str) -> PartnerConfirmation | None:
    """The confirmation a link opens, by the digest of its secret; None for any token not given (altered, truncated,
    extended, with other characters)."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    return db.session.scalar(select(PartnerConfirmation).where(PartnerConfirmation.token_digest == token_digest(token)))


def link_open(confirmation: PartnerConfirmation, now: datetime | None = None) -> bool:
    """Whether the link still takes an answer: not used nor replaced, not expired, its mission still waiting."""
    now = now or utcnow()
    return (
        confirmation.pending
        and not confirmation.expired(now)
        and confirmation.request.status in PARTNER_ANSWER_STATUSES
    )


def current_confirmation(req: LeaveRequest) -> PartnerConfirmation | None:
    """The latest ask or record of the request (what the decision panel shows)."""
    return req.partner_confirmations[-1] if req.partner_confirmations else None


def _close_pending(req: LeaveRequest) -> None:
    """The links still open for ``req`` stop: a newer ask or the BRI's record replaces them."""
    db.session.execute(
        update(PartnerConfirmation)
        .where(
            PartnerConfirmation.request_id == req.id,
            PartnerConfirmation.used.is_(False),
            PartnerConfirmation.answered_at.is_(None),
        )
        .values(used=True)
        .execution_options(synchronize_session="evaluate")
    )


def _email_contact(req: LeaveRequest, confirmation: PartnerConfirmation, token: str) -> None:
    url = current_app.config["SERVER_BASE_URL"].rstrip("/") + url_for("partner.confirmation", token=token)
    params = request_params(req) | {"expires": confirmation.expires_at.date().isoformat()}
    subject, body = email_in(confirmation.language, "leave/partner_request", params, confirmation.contact_name, url)
    email_outside(confirmation.contact_email, subject, body)


def _ask(req: LeaveRequest, contact: PartnerContact, actor, now: datetime) -> tuple[PartnerConfirmation, str]:
    _close_pending(req)
    token = secrets.token_urlsafe(32)
    confirmation = PartnerConfirmation(
        request=req,
        contact=contact,
        contact_name=contact.name,
        contact_email=contact.email,
        language=contact.language,
        token_digest=token_digest(token),
        expires_at=now + timedelta(days=current_app.config["PARTNER_CONFIRMATION_DAYS"]),
        sent_at=now,
        sent_by_id=actor.id if actor is not None else None,
        comment="",
        created_at=now,
    )
    db.session.add(confirmation)
    perform(req, "request_partner_confirmation", actor, comment=f"{contact.name} <{contact.email}>", at=now)
    _email_contact(req, confirmation, token)
    return confirmation, token


def send_partner_confirmation(
    req: LeaveRequest, contact_id: int | None, actor, expected_version: int | None = None, now: datetime | None = None
) -> tuple[PartnerConfirmation, str]:
    """A BRI officer sends one of the host partner's active contacts the link to confirm the mission (a newer link
    replaces an unanswered one). Returns the confirmation and the link's secret (kept nowhere but in the e-mail)."""
    if not permissions.acts_as_partner_asker(actor, req):
        raise NotAllowedError(_("Only a BRI officer asks the host partner to confirm a mission, never for their own."))
    check_version(req, expected_version)
    check_state(req, "request_partner_confirmation")
    known = isinstance(contact_id, int) and 0 < contact_id <= MAX_INT  # an id the database's integers hold
    contact = db.session.get(PartnerContact, contact_id) if known else None
    if contact is None or contact.partner_id != req.partner_id or not contact.active:
        raise RuleError(_("Choose one of the host partner's active contacts."), field="contact_id")
    return _ask(req, contact, actor, now or utcnow())


def auto_ask_partner(req: LeaveRequest, now: datetime | None = None) -> PartnerConfirmation | None:
    """At the manager's approval, with ``PARTNER_CONFIRMATION_AUTO``: the application sends the link to the host
    partner's first active contact itself (nothing when the partner has none)."""
    if not current_app.config.get("PARTNER_CONFIRMATION_AUTO") or req.partner_id is None:
        return None
    contact = db.session.scalar(
        select(PartnerContact)
        .where(PartnerContact.partner_id == req.partner_id, PartnerContact.active.is_(True))
        .order_by(PartnerContact.id)
        .limit(1)
    )
    if contact is None:
        return None
    return _ask(req, contact, None, now or utcnow())[0]


def answer_partner_confirmation(
    confirmation: PartnerConfirmation, answer: str, comment: str = "", now: datetime | None = None
) -> PartnerConfirmation:
    """The contact's answer through the link: confirmed, or declined with a comment. Once only: the row is taken by
    a conditional UPDATE, so that of two answers at once the second finds it used (409), never recorded twice."""
    now = now or utcnow()
    comment = (comment or "").strip()
    if answer not in ANSWERS:
        raise RuleError(_("Choose to confirm or to decline the mission."), field="answer")
    if answer == "declined" and not comment:
        raise RuleError(_("Say why the mission is declined."), field="comment")
    req = confirmation.request
    if not link_open(confirmation, now):
        raise LinkGone(_("This link can no longer be used."), req)
    taken = db.session.execute(
        update(PartnerConfirmation)
        .where(
            PartnerConfirmation.id == confirmation.id,
            PartnerConfirmation.used.is_(False),
            PartnerConfirmation.answered_at.is_(None),
        )
        .values(used=True, answered_at=now, answer=answer, comment=comment)
        .execution_options(synchronize_session="evaluate")
    )
    if taken.rowcount != 1:
        raise AlreadyAnswered(_("This link was used in the meantime: an answer is already recorded."), req)
    transition = perform(
        req,
        ANSWERS[answer],
        None,
        comment=comment,
        at=now,
        outside_actor=(confirmation.contact_name, confirmation.contact_email),
    )
    after_partner_answer(req, transition)
    return confirmation


def record_partner_confirmation(
    req: LeaveRequest, actor, comment: str, expected_version: int | None = None, now: datetime | None = None
) -> PartnerConfirmation:
    """A BRI officer records the host partner's confirmation received by other means (e-mail, telephone), saying
    how in the comment; the open link, if any, stops."""
    if not permissions.acts_as_partner_asker(actor, req):
        raise NotAllowedError(_("Only a BRI officer records the host partner's confirmation, never for their own."))
    check_version(req, expected_version)
    check_state(req, "record_partner_confirmation")
    comment = (comment or "").strip()
    if not comment:
        raise RuleError(_("Say how the host partner confirmed the mission."), field="comment")
    now = now or utcnow()
    _close_pending(req)
    confirmation = PartnerConfirmation(
        request=req,
        contact_name="",
        contact_email="",
        language="fr",
        recorded_by_id=actor.id,
        answered_at=now,
        answer="confirmed",
        comment=comment,
        used=True,
        created_at=now,
    )
    db.session.add(confirmation)
    transition = perform(req, "record_partner_confirmation", actor, comment=comment, at=now)
    after_partner_recorded(req, transition)
    return confirmation
