"""Sending the outbox: claim due e-mails in batches, send each batch over one SMTP connection, record the result.

``flask notifications worker`` (:mod:`app.core.mail_worker`) runs :func:`send_batch` in a loop, on as many hosts as
wanted; ``flask notifications send`` (:func:`send_outbox`) is the cron fallback. A claim is a conditional UPDATE
committed before the SMTP conversation, so that no two senders send one message at the same moment; delivery is at
least once (a sender that dies between the send and the record sends again after ``CLAIM_TIMEOUT``, with the same
``Message-ID``). A failed e-mail waits ``retry_delay`` (doubling) before its next try, ``MAX_ATTEMPTS`` at most.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import click
from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from app.core.database import utcnow
from app.core.notification_texts import email_in
from app.core.notifications import Notification, OutboxEmail, absolute_url_for_link
from app.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# A claim older than this is taken as abandoned (the sender crashed between its claim and its record).
CLAIM_TIMEOUT = timedelta(minutes=15)


def _build_message(row, texts: dict[int, tuple[str, str]]) -> EmailMessage:
    subject, body = texts.get(row.id) or (row.subject, row.body)
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = row.to_address
    msg["Subject"] = subject
    msg["Message-ID"] = row.message_id
    msg.set_content(body)
    return msg


def in_recipients_language(rows) -> dict[int, tuple[str, str]]:
    """``{e-mail id: (subject, body)}`` written again from their notification's kind and params, in the language
    the recipient prefers now (one statement per batch). An e-mail without them keeps the text it was queued with."""
    found = db.session.execute(
        select(OutboxEmail.id, Notification)
        .join(Notification, OutboxEmail.notification_id == Notification.id)
        .where(OutboxEmail.id.in_([row.id for row in rows]), Notification.kind.is_not(None))
        .options(joinedload(Notification.recipient).lazyload("*"))
    ).all()
    texts = {}
    for email_id, note in found:
        url = absolute_url_for_link(note.link) if note.link else None
        text = email_in(note.recipient.language, note.kind, note.params, note.recipient.full_name, url)
        if text is not None:
            texts[email_id] = text
    db.session.commit()  # no transaction stays open during the SMTP conversation (nothing was written)
    return texts


class SmtpLink:
    """One SMTP connection for a batch of e-mails (or the log, when no ``MAIL_SERVER`` is configured)."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpLink":
        cfg = current_app.config
        if cfg.get("MAIL_SERVER"):
            self.smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
            try:
                if cfg.get("MAIL_USE_TLS"):
                    self.smtp.starttls()
                if cfg.get("MAIL_USERNAME"):
                    self.smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            except BaseException:
                self.smtp.close()
                raise
        return self

    def send(self, msg: EmailMessage) -> None:
        if self.smtp is None and current_app.config.get("MAIL_ECHO"):
            _echo(msg)
            return
        if self.smtp is None:
            log.info(
                "E-mail (no MAIL_SERVER configured, logged only) to %s: %s\n%s",
                msg["To"],
                msg["Subject"],
                msg.get_content(),
            )
            return
        self.smtp.send_message(msg)

    def __exit__(self, *exc) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()


def _echo(msg: EmailMessage) -> None:
    """The e-mail on the console (``MAIL_ECHO``, ``make run``): who, what, and the body with its links."""
    rule = "-" * 72
    click.echo(f"{rule}\nE-mail (not sent: no MAIL_SERVER)\nTo: {msg['To']}\nSubject: {msg['Subject']}\n")
    click.echo(f"{msg.get_content().rstrip()}\n{rule}")


def _due(now: datetime):
    return and_(
        OutboxEmail.sent_at.is_(None),
        OutboxEmail.attempts < MAX_ATTEMPTS,
        or_(OutboxEmail.claimed_at.is_(None), OutboxEmail.claimed_at < now - CLAIM_TIMEOUT),
        or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
    )


def claim_batch(limit: int, ids: list[int] | None = None) -> list:
    """Take up to ``limit`` due e-mails for sending, in one statement committed at once; returns their rows.

    On PostgreSQL the rows are chosen ``FOR UPDATE SKIP LOCKED``: senders on several hosts claiming at the same
    moment each get other rows, without waiting for each other. SQLite serialises writers (and renders no
    ``FOR UPDATE``), so the conditional UPDATE alone lets one sender win. A claim older than ``CLAIM_TIMEOUT``
    is taken as abandoned (a crashed sender) and claimed again.
    """
    now = utcnow()
    chosen = select(OutboxEmail.id).where(_due(now)).order_by(OutboxEmail.id).limit(limit)
    if ids is not None:
        chosen = chosen.where(OutboxEmail.id.in_(ids))
    # A materialised CTE, evaluated once: inside a plain ``IN (subquery)`` PostgreSQL may run a LIMIT ... SKIP
    # LOCKED subquery more than once and claim more rows than asked.
    due = chosen.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
    rows = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(select(due.c.id)), _due(now))
        .values(claimed_at=now, attempts=OutboxEmail.attempts + 1)
        .returning(
            OutboxEmail.id,
            OutboxEmail.to_address,
            OutboxEmail.subject,
            OutboxEmail.body,
            OutboxEmail.message_id,
            OutboxEmail.attempts,
        )
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(rows, key=lambda row: row.id)


def _claim(email_id: int) -> bool:
    """Take one e-mail for sending; False when it is sent, given up, not due or being sent by someone else."""
    return bool(claim_batch(1, [email_id]))


def retry_delay(attempts: int) -> timedelta:
    """How long a failed e-mail waits before its next try: doubling from ``MAIL_RETRY_DELAY`` seconds, at most
    an hour."""
    base = current_app.config.get("MAIL_RETRY_DELAY", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    left: list[int] = field(default_factory=list)  # claimed but not tried (the sender was told to stop)


def _send_batch(rows, should_stop: Callable[[], bool]) -> BatchResult:
    """Send the claimed ``rows`` over one connection. A refusal of one message fails that message only; a lost
    or refused connection fails the message being sent and every one after it."""
    result = BatchResult()
    texts = in_recipients_language(rows)
    try:
        with SmtpLink() as link:
            for index, row in enumerate(rows):
                if should_stop():
                    result.left = [r.id for r in rows[index:]]
                    break
                try:
                    link.send(_build_message(row, texts))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                    result.failed[row.id] = f"{type(exc).__name__}: {exc}"[:2000]
                    log.warning("E-mail %s to %s refused: %s", row.id, row.to_address, exc)
                else:
                    result.sent.append(row.id)
    except Exception as exc:  # the connection could not be opened or was lost: the rest waits for the retry
        error = f"{type(exc).__name__}: {exc}"[:2000]
        done = set(result.sent) | set(result.failed) | set(result.left)
        for row in rows:
            if row.id not in done:
                result.failed[row.id] = error
        log.warning("E-mails not sent (%s kept for the retry): %s", len(rows) - len(done), exc)
    return result


def _mark(rows, result: BatchResult) -> None:
    """Record the batch: one UPDATE for the sent e-mails (and one for their notifications), one per failure."""
    now = utcnow()
    if result.sent:
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id.in_(result.sent))
            .values(sent_at=now, last_error=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(select(OutboxEmail.notification_id).where(OutboxEmail.id.in_(result.sent))))
            .values(emailed_at=now)
            .execution_options(synchronize_session=False)
        )
    attempts = {row.id: row.attempts for row in rows}
    for email_id, error in result.failed.items():
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == email_id)
            .values(last_error=error, claimed_at=None, next_attempt_at=now + retry_delay(attempts[email_id]))
            .execution_options(synchronize_session=False)
        )
    if result.left:
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id.in_(result.left))
            .values(claimed_at=None, attempts=OutboxEmail.attempts - 1)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def send_batch(limit: int, ids: list[int] | None = None, should_stop: Callable[[], bool] = lambda: False):
    """Claim, send and record one batch of due e-mails. Returns the :class:`BatchResult` (None: nothing due)."""
    rows = claim_batch(limit, ids)
    if not rows:
        return None
    result = _send_batch(rows, should_stop)
    _mark(rows, result)
    return result


def send_outbox(ids: list[int] | None = None, limit: int = 200, batch_size: int = 50) -> tuple[int, int]:
    """Send the due e-mails (those of ``ids`` only, when given), at most ``limit``; the cron fallback of the
    worker. Returns (sent, failed)."""
    if ids is not None and not ids:
        return 0, 0
    sent = failed = 0
    while sent + failed < limit:
        result = send_batch(min(batch_size, limit - sent - failed), ids)
        if result is None:
            break
        sent, failed = sent + len(result.sent), failed + len(result.failed)
        if result.failed:
            break  # the server is likely down: the rest waits for the next run
    return sent, failed


def sends_after_commit() -> bool:
    """Development only (``MAIL_SEND_AFTER_COMMIT``): the unit of work sends what it queued right after its
    commit, so that ``make run`` needs no worker. Production leaves every e-mail to the worker."""
    return bool(current_app.config.get("MAIL_SEND_AFTER_COMMIT"))


def take_queued() -> bool:
    """Whether the unit of work being committed wrote e-mails to the outbox (the flag is reset)."""
    return bool(db.session.info.pop("outbox_written", False))


def send_queued(queued: bool) -> None:
    """After the commit, in development only: send what is due. A failed send changes nothing committed."""
    if not queued or not sends_after_commit():
        return
    try:
        send_outbox()
    except Exception:  # the change is committed; the outbox keeps the e-mail for the worker or the cron command
        db.session.rollback()
        log.exception("Sending queued e-mails failed; they stay in the outbox")
