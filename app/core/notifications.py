"""In-app notifications and the e-mail outbox.

Services call :func:`notify` inside their transaction: it adds a Notification row and an OutboxEmail row. The
e-mail leaves only after the commit (:func:`app.core.uow.commit`, ``flask notifications send`` from cron);
a failed send stays in the outbox with its error and is retried, and never undoes the change that caused it.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import ForeignKey, Index, Integer, String, Text, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.core.i18n import locale_for
from app.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# A sender claims an e-mail before talking to the SMTP server, so that two senders (a request and the cron
# command, or two workers) never send it twice. A claim older than this is taken as abandoned (crashed sender).
CLAIM_TIMEOUT = timedelta(minutes=15)
MESSAGE_ID_DOMAIN = "conges-solidaires.montreal"


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
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
    # Given once, when the e-mail is queued: a message sent again (delivery is at least once) carries the same
    # Message-ID, so that mail clients fold the duplicate.
    message_id: Mapped[str] = mapped_column(String(255), default=lambda: make_msgid(domain=MESSAGE_ID_DOMAIN))

    notification: Mapped[Notification | None] = relationship()


def absolute_url(endpoint: str, **values) -> str:
    """A link usable in an e-mail, also from the CLI (no request)."""
    path = url_for(endpoint, **values, _external=False)
    return current_app.config["SERVER_BASE_URL"].rstrip("/") + path


def notify(recipient, template: str, link: str | None = None, **context) -> Notification:
    """Queue an in-app notification and its e-mail, written in the recipient's language.

    ``template`` names ``templates/emails/<template>.txt``: its first line is the subject, the rest the body.
    """
    with force_locale(locale_for(recipient.language)):
        text = render_template(f"emails/{template}.txt", recipient=recipient, link=link, **context).strip()
    subject, _, body = text.partition("\n")
    body = body.strip()
    notification = Notification(recipient=recipient, subject=subject.strip()[:300], body=body, link=link)
    db.session.add(notification)
    if recipient.email and recipient.active:
        footer = f"\n\n{absolute_url_for_link(link)}" if link else ""
        email = OutboxEmail(
            notification=notification, to_address=recipient.email, subject=notification.subject, body=body + footer
        )
        db.session.add(email)
        db.session.info.setdefault("outbox", []).append(email)
    return notification


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


def unread_count(user) -> int:
    return db.session.scalar(select(unread_count_expression(user))) or 0


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


def _build_message(email: OutboxEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = email.to_address
    msg["Subject"] = email.subject
    msg["Message-ID"] = email.message_id
    msg.set_content(email.body)
    return msg


def _deliver(messages: list[EmailMessage]) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        for msg in messages:
            log.info(
                "E-mail (no MAIL_SERVER configured, logged only) to %s: %s\n%s",
                msg["To"],
                msg["Subject"],
                msg.get_content(),
            )
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        for msg in messages:
            smtp.send_message(msg)


def _claim(email_id: int) -> bool:
    """Take an unsent e-mail for sending; False when it is sent, given up, or being sent by someone else.

    A conditional UPDATE committed at once: the database lets one sender only win (PostgreSQL re-checks the
    condition after a concurrent update; SQLite serialises writers).
    """
    now = utcnow()
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.sent_at.is_(None),
            OutboxEmail.attempts < MAX_ATTEMPTS,
            or_(OutboxEmail.claimed_at.is_(None), OutboxEmail.claimed_at < now - CLAIM_TIMEOUT),
        )
        .values(claimed_at=now, attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def send_outbox(ids: list[int] | None = None, limit: int = 200) -> tuple[int, int]:
    """Send unsent e-mails (those of ``ids`` only, when given). Returns (sent, failed). Commits each result."""
    query = select(OutboxEmail.id).where(
        OutboxEmail.sent_at.is_(None),
        OutboxEmail.attempts < MAX_ATTEMPTS,
        or_(OutboxEmail.claimed_at.is_(None), OutboxEmail.claimed_at < utcnow() - CLAIM_TIMEOUT),
    )
    if ids is not None:
        if not ids:
            return 0, 0
        query = query.where(OutboxEmail.id.in_(ids))
    candidates = db.session.scalars(query.order_by(OutboxEmail.id).limit(limit)).all()
    sent = failed = 0
    for email_id in candidates:
        if not _claim(email_id):
            continue
        email = db.session.get(OutboxEmail, email_id)
        try:
            _deliver([_build_message(email)])
        except Exception as exc:  # whatever the failure, the e-mail stays in the outbox for the retry
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.claimed_at = None
            failed += 1
            log.warning("E-mail %s to %s not sent: %s", email.id, email.to_address, exc)
        else:
            email.sent_at = utcnow()
            email.last_error = None
            if email.notification is not None:
                email.notification.emailed_at = email.sent_at
            sent += 1
        db.session.commit()
    return sent, failed


def take_queued() -> list[int]:
    """The ids of the e-mails queued by the unit of work being committed (flushed first); the queue is emptied."""
    db.session.flush()
    return [email.id for email in db.session.info.pop("outbox", []) if email.id is not None]


def send_queued(ids: list[int]) -> None:
    """After the commit: try to send the e-mails of ``ids``. A failed send changes nothing already committed."""
    if not ids:
        return
    try:
        send_outbox(ids)
    except Exception:  # the change is committed; the outbox keeps the e-mail for the retry command
        db.session.rollback()
        log.exception("Sending queued e-mails failed; they stay in the outbox")


def discard_queued() -> None:
    """Forget the e-mails queued by a unit of work that is rolled back."""
    db.session.info.pop("outbox", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_emails(session: Session, previous_transaction) -> None:
    """A rolled-back unit of work sends nothing: drop from the queue the e-mails the rollback took away.

    After a full rollback every queued e-mail is gone; after a savepoint rollback only those added inside it.
    """
    queued = session.info.get("outbox")
    if queued:
        session.info["outbox"] = [email for email in queued if email in session]
