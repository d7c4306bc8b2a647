"""The e-mail path against a real SMTP server on 127.0.0.1 (aiosmtpd): queued by the commit, never sent inside it,
sent by the outbox's sender (the worker, or ``flask notifications send``), retried after a backoff when the server
was down, never twice, never for a rolled-back unit of work."""

import logging
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.core.database import utcnow
from app.core.notification_texts import NotificationText
from app.core.notifications import Notification, OutboxEmail, notify
from app.core.outbox import CLAIM_TIMEOUT, _claim, send_outbox
from app.core.registry import registry_of
from app.core.uow import commit
from app.extensions import db as _db
from tests.servers import free_port


def _decision_text(params):
    from flask_babel import gettext as _

    return NotificationText(f"{_('Solidarity leaves')}: {params['reference']}", f"{params['reference']} ✓")


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def email_templates(app, monkeypatch):
    """A test-only kind of notification, beside the real ones."""
    monkeypatch.setitem(registry_of(app).notification_kinds, "testing/decision", _decision_text)


@pytest.fixture
def smtp(app, monkeypatch, email_templates):
    """A port for the SMTP server; ``smtp.start()`` brings a real server up on it, ``smtp.messages`` what it got."""

    class Server:
        port = free_port()
        collector = Collector()
        controller = None

        @property
        def messages(self):
            return self.collector.messages

        def start(self):
            self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    server = Server()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    yield server
    if server.controller is not None:
        server.controller.stop()


def _decide(recipient, reference="CS-2027-0042"):
    """A stand-in for a workflow decision: some committed change plus the notification it queues."""
    recipient.full_name = recipient.full_name + " ✓"
    return notify(recipient, "testing/decision", link="/conges/demandes/42", reference=reference)


def _outbox():
    _db.session.expire_all()
    return _db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def test_the_commit_queues_and_the_sender_delivers(smtp, make_user, db):
    smtp.start()
    recipient = make_user(language="fr", email="nadia@example.org")
    _decide(recipient)
    commit()
    assert smtp.messages == []  # the commit only writes the outbox
    assert send_outbox() == (1, 0)
    assert len(smtp.messages) == 1
    rcpt, message = smtp.messages[0]
    assert rcpt == ["nadia@example.org"]
    assert message["Subject"] == "Congés solidaires: CS-2027-0042"
    assert message["To"] == "nadia@example.org"
    assert message["From"] == "conges-solidaires@montreal.example"
    body = message.get_content()
    assert "CS-2027-0042 ✓" in body
    assert "http://127.0.0.1:5000/conges/demandes/42" in body
    (email,) = _outbox()
    assert email.sent_at is not None and email.attempts == 1 and email.last_error is None
    assert db.session.get(Notification, email.notification_id).emailed_at == email.sent_at


def _due_now():
    """Bring the retry time of every e-mail waiting for one to now (as if the backoff had elapsed)."""
    for email in _outbox():
        if email.next_attempt_at is not None:
            email.next_attempt_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()


def test_server_down_keeps_the_decision_and_the_cli_retries_after_the_backoff(app, smtp, make_user, db):
    recipient = make_user(full_name="Farah")
    _decide(recipient)
    commit()
    db.session.expire_all()
    assert db.session.get(type(recipient), recipient.id).full_name == "Farah ✓"
    assert db.session.scalar(select(func.count(Notification.id))) == 1

    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send"])  # nothing listens on the port
    assert result.exit_code == 1
    assert "0 e-mail(s) sent, 1 failed" in result.output
    (email,) = _outbox()
    assert email.sent_at is None and email.attempts == 1 and email.claimed_at is None
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > utcnow() + timedelta(seconds=50)  # MAIL_RETRY_DELAY: a minute first

    # Not due before its retry time: a run right away leaves it alone.
    assert "0 e-mail(s) sent, 0 failed" in runner.invoke(args=["notifications", "send"]).output
    _due_now()
    assert "0 e-mail(s) sent, 1 failed" in runner.invoke(args=["notifications", "send"]).output
    (email,) = _outbox()
    assert email.attempts == 2
    assert email.next_attempt_at > utcnow() + timedelta(seconds=110)  # the delay doubles

    _due_now()
    smtp.start()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert "1 e-mail(s) sent, 0 failed" in result.output
    assert len(smtp.messages) == 1
    (email,) = _outbox()
    assert email.sent_at is not None and email.last_error is None and email.attempts == 3

    # Never twice: neither the command nor a direct call sends it again.
    assert runner.invoke(args=["notifications", "send"]).exit_code == 0
    assert send_outbox([email.id]) == (0, 0)
    assert len(smtp.messages) == 1


def test_nothing_is_sent_for_a_rolled_back_unit_of_work(smtp, make_user, db):
    smtp.start()
    recipient = make_user()
    _decide(recipient, "CS-2027-0001")
    db.session.flush()  # the rows existed inside the transaction...
    db.session.rollback()  # ...which is abandoned
    assert not db.session.info.get("notifications")
    _decide(make_user(), "CS-2027-0002")
    commit()
    send_outbox()
    assert [m["Subject"] for _, m in smtp.messages] == ["Congés solidaires: CS-2027-0002"]
    assert [e.subject for e in _outbox()] == ["Congés solidaires: CS-2027-0002"]


def test_a_savepoint_rollback_forgets_only_what_it_took_away(smtp, make_user, db):
    smtp.start()
    kept, dropped = make_user(), make_user()
    _decide(kept, "CS-2027-0010")
    savepoint = db.session.begin_nested()
    _decide(dropped, "CS-2027-0011")
    savepoint.rollback()
    commit()
    send_outbox()
    assert [m["Subject"] for _, m in smtp.messages] == ["Congés solidaires: CS-2027-0010"]


def test_an_email_claimed_by_another_sender_is_left_to_it(smtp, make_user, db):
    smtp.start()
    _decide(make_user())
    db.session.commit()
    email = _outbox()[0]
    email.claimed_at = utcnow()  # another worker is sending it right now
    db.session.commit()
    assert send_outbox() == (0, 0)
    assert smtp.messages == []
    # A claim abandoned long ago (the sender crashed) is taken over.
    email.claimed_at = utcnow() - CLAIM_TIMEOUT - timedelta(minutes=1)
    db.session.commit()
    assert send_outbox() == (1, 0)
    assert len(smtp.messages) == 1


def test_without_mail_server_the_email_is_written_to_the_log(app, monkeypatch, email_templates, make_user, db, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    recipient = make_user(language="en", email="minh@example.org")
    _decide(recipient, "CS-2027-0099")
    commit()
    with caplog.at_level(logging.INFO, logger="app.core.outbox"):
        assert send_outbox() == (1, 0)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "app.core.outbox")
    assert "minh@example.org" in logged
    assert "Solidarity leaves: CS-2027-0099" in logged
    assert "CS-2027-0099 ✓" in logged
    assert _outbox()[0].sent_at is not None


def test_two_senders_at_the_same_moment_claim_an_email_once(app, smtp, make_user, db):
    _decide(make_user())
    db.session.commit()
    email_id = _outbox()[0].id
    barrier = threading.Barrier(4)
    results: list[bool] = []

    def sender():
        with app.app_context():
            barrier.wait()
            results.append(_claim(email_id))
            _db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert _outbox()[0].attempts == 1


def _lose_the_connection_after_sending(monkeypatch):
    """Wrap the SMTP delivery: once the server has the message, the database connection is lost (killed by the
    server on PostgreSQL, invalidated on SQLite) before the e-mail can be marked sent."""
    from app.core.outbox import SmtpLink

    deliver = SmtpLink.send

    def deliver_then_lose_the_connection(self, message):
        deliver(self, message)
        connection = _db.session.connection()
        if connection.dialect.name == "postgresql":
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with _db.engine.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        else:
            connection.invalidate()

    monkeypatch.setattr(SmtpLink, "send", deliver_then_lose_the_connection)
    return lambda: monkeypatch.setattr(SmtpLink, "send", deliver)


def test_an_email_sent_again_after_a_lost_connection_carries_the_same_message_id(smtp, make_user, db, monkeypatch):
    smtp.start()
    _decide(make_user(email="odile@example.org"), "CS-2027-0077")
    _db.session.commit()  # queued, not sent
    [queued] = _outbox()
    restore = _lose_the_connection_after_sending(monkeypatch)
    with pytest.raises(Exception):  # noqa: B017 - the lost connection surfaces as the driver's own error
        send_outbox()
    _db.session.rollback()
    restore()
    [email] = _outbox()
    assert email.sent_at is None  # the server has it, the outbox does not know: delivery is at least once
    # The claim of the crashed sender expires; the next run sends the message again, with the same Message-ID.
    email.claimed_at = utcnow() - CLAIM_TIMEOUT - timedelta(minutes=1)
    _db.session.commit()
    assert send_outbox() == (1, 0)
    assert len(smtp.messages) == 2
    first, second = (message["Message-ID"].strip() for _, message in smtp.messages)
    assert first == second == queued.message_id
    assert first.startswith("<") and first.endswith("@conges-solidaires.montreal>")


def test_every_queued_email_has_its_own_message_id(make_user, db, email_templates):
    recipient = make_user()
    _decide(recipient, "CS-2027-0001")
    _decide(recipient, "CS-2027-0002")
    _db.session.commit()
    ids = [email.message_id for email in _outbox()]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_the_development_server_sends_right_after_the_commit(app, smtp, make_user, db, monkeypatch):
    """``MAIL_SEND_AFTER_COMMIT`` (DevelopmentConfig only): ``make run`` needs no worker."""
    smtp.start()
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", True)
    _decide(make_user(), "CS-2027-0005")
    commit()
    assert [m["Subject"] for _, m in smtp.messages] == ["Congés solidaires: CS-2027-0005"]
    assert _outbox()[0].sent_at is not None


def test_only_the_development_configuration_sends_after_the_commit():
    from config import Config, DevelopmentConfig, ProductionConfig, TestingConfig

    assert DevelopmentConfig.MAIL_SEND_AFTER_COMMIT is True
    assert Config.MAIL_SEND_AFTER_COMMIT is ProductionConfig.MAIL_SEND_AFTER_COMMIT is False
    assert TestingConfig.MAIL_SEND_AFTER_COMMIT is False
