"""``flask notifications worker`` against a real SMTP server on 127.0.0.1 (aiosmtpd): batches over one connection,
its bounds, a refused message retried later, SIGTERM after the current message, and several workers at once on
PostgreSQL never sending one message twice."""

import os
import signal
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select, update

from app.core.database import utcnow
from app.core.mail_worker import StopFlag, run_worker
from app.core.notifications import OutboxEmail
from app.extensions import db as _db
from tests.servers import free_port


class Collector:
    """The SMTP server's handler: keeps what it received, counts connections, refuses the addresses it is told."""

    def __init__(self):
        self.messages = []
        self.connections = 0
        self.refused: set[str] = set()
        self.on_message = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.on_message is not None:
            self.on_message(len(self.messages))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(app, monkeypatch):
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    yield collector
    controller.stop()


def queue(count: int, start: int = 1, to: str = "person{n}@example.org") -> None:
    """``count`` e-mails waiting in the outbox (written as the commit of a decision writes them)."""
    now = utcnow()
    _db.session.execute(
        insert(OutboxEmail),
        [
            {
                "to_address": to.format(n=n),
                "subject": f"Message {n}",
                "body": f"Corps {n}",
                "created_at": now,
                "attempts": 0,
                "message_id": f"<m{n}@conges-solidaires.montreal>",
            }
            for n in range(start, start + count)
        ],
    )
    _db.session.commit()


def outbox() -> list[OutboxEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_once_sends_everything_due_in_batches_over_one_connection_each(smtp, db):
    queue(25)
    stats = run_worker(batch_size=10, once=True, poll_interval=0)
    assert (stats.sent, stats.failed, stats.batches, stats.stopped_by) == (25, 0, 3, "once")
    assert sorted(m["Subject"] for m in smtp.messages) == sorted(f"Message {n}" for n in range(1, 26))
    assert smtp.connections == 3
    assert all(e.sent_at is not None and e.attempts == 1 and e.claimed_at is not None for e in outbox())
    # Nothing is due any more: another run sends nothing.
    assert run_worker(once=True).sent == 0
    assert len(smtp.messages) == 25


def test_max_messages_stops_the_worker_after_that_many(smtp, db):
    queue(7)
    stats = run_worker(batch_size=5, max_messages=3, poll_interval=0)
    assert (stats.sent, stats.stopped_by) == (3, "max-messages")
    assert len(smtp.messages) == 3
    assert sum(e.sent_at is None for e in outbox()) == 4


def test_max_seconds_stops_an_idle_worker(smtp, db):
    stats = run_worker(max_seconds=0.3, poll_interval=0.1)
    assert (stats.sent, stats.batches, stats.stopped_by) == (0, 0, "max-seconds")


def test_an_idle_worker_picks_up_what_is_queued_while_it_waits(app, smtp, db):
    stop = StopFlag()
    smtp.on_message = lambda count: stop.set("done") if count == 2 else None

    def later():
        with app.app_context():
            queue(2)
            _db.session.remove()

    timer = threading.Timer(0.3, later)
    timer.start()
    stats = run_worker(poll_interval=0.1, max_seconds=20, stop=stop)
    timer.join()
    assert stats.sent == 2 and stats.stopped_by == "done"


def test_a_refused_message_is_retried_later_and_the_others_of_its_batch_leave(app, smtp, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_DELAY", 30)
    queue(3)
    smtp.refused.add("person2@example.org")
    stats = run_worker(batch_size=10, once=True)
    assert (stats.sent, stats.failed) == (2, 1)
    first, second, third = outbox()
    assert first.sent_at is not None and third.sent_at is not None
    assert second.sent_at is None and second.attempts == 1 and second.claimed_at is None
    assert "550" in second.last_error
    assert utcnow() + timedelta(seconds=25) < second.next_attempt_at < utcnow() + timedelta(seconds=35)

    # Before its time, it is not tried again; once due, it is (and the server takes it now).
    smtp.refused.clear()
    assert run_worker(once=True).sent == 0
    _db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    _db.session.commit()
    assert run_worker(once=True).sent == 1
    assert Counter(m["Subject"] for m in smtp.messages) == {"Message 1": 1, "Message 2": 1, "Message 3": 1}
    [retried] = [e for e in outbox() if e.subject == "Message 2"]
    assert retried.sent_at is not None and retried.attempts == 2 and retried.last_error is None


def test_sigterm_stops_the_worker_after_the_current_message(app, smtp, db):
    """The signal arrives while the second message is being delivered: it is delivered and recorded, the rest of
    the batch is released untouched for the next sender, and the command exits."""
    queue(6)
    smtp.on_message = lambda count: os.kill(os.getpid(), signal.SIGTERM) if count == 2 else None
    previous = signal.getsignal(signal.SIGTERM)
    result = app.test_cli_runner().invoke(args=["notifications", "worker", "--batch-size", "6", "--max-seconds", "20"])
    assert result.exit_code == 0, result.output
    assert "2 e-mail(s) sent, 0 failed, 1 batch(es); stopped: SIGTERM." in result.output
    assert signal.getsignal(signal.SIGTERM) is previous  # the command puts the handler back
    emails = outbox()
    assert [e.sent_at is not None for e in emails] == [True, True, False, False, False, False]
    assert all(e.attempts == 0 and e.claimed_at is None for e in emails[2:])
    assert len(smtp.messages) == 2
    # The next worker sends the rest, once.
    assert run_worker(once=True).sent == 4
    assert len(smtp.messages) == 6 and len({m["Message-ID"] for m in smtp.messages}) == 6


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="several workers at once need a database shared between connections (PostgreSQL)",
)
def test_several_workers_at_once_never_send_a_message_twice(app, smtp, db):
    total = 300
    queue(total)
    barrier = threading.Barrier(4)
    results = []

    def worker():
        with app.app_context():
            barrier.wait()
            results.append(run_worker(batch_size=7, once=True))
            _db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(received) == total and max(received.values()) == 1
    assert sum(r.sent for r in results) == total
    assert sum(r.sent > 0 for r in results) >= 2  # the outbox was shared, not taken by one worker alone
    assert _db.session.scalar(select(func.count()).where(OutboxEmail.sent_at.is_(None))) == 0
    assert _db.session.scalar(select(func.max(OutboxEmail.attempts))) == 1


def test_a_claim_abandoned_by_a_crashed_worker_is_taken_over(smtp, db):
    queue(1)
    _db.session.execute(update(OutboxEmail).values(claimed_at=utcnow() - timedelta(minutes=16), attempts=1))
    _db.session.commit()
    assert run_worker(once=True).sent == 1
    assert outbox()[0].attempts == 2
