"""In-app notifications and the e-mail outbox.

Services call :func:`notify` inside their transaction: it queues a notification, and the unit of work's next flush
or its commit writes every queued one in one INSERT, their e-mails in another (the outbox rows, in the same
transaction as the change they tell). No e-mail leaves during the request: ``flask notifications worker`` (or the
cron fallback ``flask notifications send``) sends them, see :mod:`app.core.outbox`.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import make_msgid

from flask import current_app, url_for
from flask_babel import force_locale
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.core.i18n import locale_for
from app.core.notification_texts import email_of, write
from app.extensions import db

log = logging.getLogger(__name__)

MESSAGE_ID_DOMAIN = "conges-solidaires.montreal"


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # What happened (:mod:`app.core.notification_texts`): the text is written from them in the reader's language.
    kind: Mapped[str | None] = mapped_column(String(60))
    params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # The text in the recipient's language when it was queued: the fallback (and all that rows before 0016 have).
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient = relationship("User")

    # The list of one's notifications (newest first) and the navigation's unread count.
    __table_args__ = (
        Index("ix_notification_recipient_list", "recipient_id", "created_at", "id"),
        Index("ix_notification_recipient_unread", "recipient_id", "read_at"),
    )


class OutboxEmail(db.Model):
    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # After a failed send: not tried again before this moment (a backoff that doubles, see ``retry_delay``).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Given once, when the e-mail is queued: a message sent again (delivery is at least once) carries the same
    # Message-ID, so that mail clients fold the duplicate.
    message_id: Mapped[str] = mapped_column(String(255), default=lambda: make_msgid(domain=MESSAGE_ID_DOMAIN))

    notification: Mapped[Notification | None] = relationship()


def absolute_url(endpoint: str, **values) -> str:
    """A link usable in an e-mail, also from the CLI (no request)."""
    path = url_for(endpoint, **values, _external=False)
    return current_app.config["SERVER_BASE_URL"].rstrip("/") + path


@dataclass
class PendingNotification:
    """A notification queued by :func:`notify`, written (with its e-mail) at the next flush or commit."""

    recipient_id: int
    kind: str
    params: dict
    subject: str
    body: str
    link: str | None
    to_address: str | None  # None: no e-mail (the recipient has no address or is inactive)
    email_body: str = ""
    message_id: str = field(default_factory=lambda: make_msgid(domain=MESSAGE_ID_DOMAIN))
    id: int | None = None


def notify(recipient, kind: str, link: str | None = None, **params) -> PendingNotification:
    """Queue an in-app notification and its e-mail: what happened (``kind``, a registered kind of
    :mod:`app.core.notification_texts`, and ``params``, plain JSON values), and its text in the recipient's
    language as the fallback.

    Nothing is written yet: the unit of work's next flush (or its commit) writes every queued notification with
    one multi-row INSERT, and their e-mails with another (:func:`write_pending`). The page and the e-mail's sender
    write the text again in their reader's language.
    """
    with force_locale(locale_for(recipient.language)):
        text = write(kind, params)
        subject, email_body = email_of(text, recipient.full_name, absolute_url_for_link(link) if link else None)
    pending = PendingNotification(
        recipient_id=recipient.id,
        kind=kind,
        params=dict(params),
        subject=subject,
        body=text.body,
        link=link,
        to_address=recipient.email if recipient.email and recipient.active else None,
        email_body=email_body,
    )
    db.session.info.setdefault("notifications", []).append(pending)
    return pending


def email_outside(to_address: str, subject: str, body: str) -> OutboxEmail:
    """Queue an e-mail to someone without an account (a partner's contact), already written in their language: an
    outbox row of the caller's transaction, sent by the worker after the commit like every other e-mail."""
    email = OutboxEmail(to_address=to_address, subject=subject[:300], body=body, created_at=utcnow(), attempts=0)
    db.session.add(email)
    db.session.info["outbox_written"] = True
    return email


def write_pending(session: Session) -> None:
    """Write the queued notifications: one INSERT for them all, one for their e-mails (the outbox)."""
    pending: list[PendingNotification] = session.info.pop("notifications", [])
    if not pending:
        return
    now = utcnow()
    connection = session.connection()
    # One multi-row INSERT: its rows get their ids in the order of the VALUES (an identity or rowid, one statement
    # or several pages run one after the other in this transaction), so the sorted ids match the queue's order.
    # (RETURNING with SQLAlchemy's sort_by_parameter_order would fall back to one INSERT per row on SQLite.)
    ids = sorted(
        connection.scalars(
            insert(Notification).returning(Notification.id),
            [
                {
                    "recipient_id": p.recipient_id,
                    "kind": p.kind,
                    "params": p.params,
                    "subject": p.subject,
                    "body": p.body,
                    "link": p.link,
                    "created_at": now,
                }
                for p in pending
            ],
        ).all()
    )
    for p, notification_id in zip(pending, ids, strict=True):
        p.id = notification_id
    emails = [
        {
            "notification_id": p.id,
            "to_address": p.to_address,
            "subject": p.subject,
            "body": p.email_body,
            "created_at": now,
            "attempts": 0,
            "message_id": p.message_id,
        }
        for p in pending
        if p.to_address
    ]
    if emails:
        connection.execute(insert(OutboxEmail), emails)
        session.info["outbox_written"] = True


@event.listens_for(Session, "before_flush")
def _write_before_flush(session: Session, _context, _instances) -> None:
    write_pending(session)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading_them(state) -> None:
    """A query of the notifications or the outbox sees the queued ones (as autoflush would, even when the session
    has nothing else to flush). Other queries leave the queue alone, so that it stays one INSERT."""
    if state.session.info.get("notifications") and any(
        mapper.class_ in (Notification, OutboxEmail) for mapper in state.all_mappers
    ):
        write_pending(state.session)


def absolute_url_for_link(link: str) -> str:
    if link.startswith(("http://", "https://")):
        return link
    return current_app.config["SERVER_BASE_URL"].rstrip("/") + link


def unread_count_expression(user):
    """The number of ``user``'s unread notifications, as a scalar subquery (part of the navigation's statement)."""
    return (
        select(func.count(Notification.id))
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def latest_unread_expression(column):
    """``column`` of the reader's newest unread notification, as a scalar subquery of the navigation's statement."""

    def expression(user):
        return (
            select(column)
            .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return expression


def mark_read(notification: Notification, actor) -> None:
    """Mark one of ``actor``'s notifications read (reading it again changes nothing)."""
    if notification.recipient_id != actor.id:
        raise PermissionError("a notification is read by its recipient only")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(actor) -> int:
    """Mark every unread notification of ``actor`` read; returns how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def discard_queued() -> None:
    """Forget the notifications queued by a unit of work that is rolled back."""
    db.session.info.pop("notifications", None)
    db.session.info.pop("outbox_written", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_notifications(session: Session, previous_transaction) -> None:
    """A rolled-back unit of work (or savepoint) writes nothing of what it queued and not yet flushed."""
    session.info.pop("notifications", None)
