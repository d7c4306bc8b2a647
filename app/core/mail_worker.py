"""``flask notifications worker``: the long-running sender of the outbox.

It claims the due e-mails in batches (:func:`app.core.outbox.send_batch`: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
so several workers on several hosts share the outbox without ever sending one message at the same moment), sends
each batch over one SMTP connection, and polls every ``poll_interval`` seconds when nothing is due. SIGTERM or
SIGINT stops it after the message being sent: the rest of its batch is released for the next sender.
"""

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.outbox import send_batch
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    sent: int = 0
    failed: int = 0
    batches: int = 0
    stopped_by: str = ""


class StopFlag:
    """Set by a signal (or a test); read between two messages."""

    def __init__(self):
        self.event = threading.Event()
        self.reason = ""

    def set(self, reason: str = "stop") -> None:
        self.reason = self.reason or reason
        self.event.set()

    def __call__(self) -> bool:
        return self.event.is_set()

    def install(self) -> Callable[[], None]:
        """Catch SIGTERM and SIGINT (main thread only); returns what puts the previous handlers back."""
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        for sig in previous:
            signal.signal(sig, lambda signum, _frame: self.set(signal.Signals(signum).name))

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore


def run_worker(
    *,
    batch_size: int = 50,
    poll_interval: float = 2.0,
    once: bool = False,
    max_seconds: float | None = None,
    max_messages: int | None = None,
    stop: StopFlag | None = None,
) -> WorkerStats:
    """Send until told to stop, or until a bound is reached: ``once`` (nothing due any more), ``max_seconds``,
    ``max_messages`` (sent or failed)."""
    stop = stop or StopFlag()
    stats = WorkerStats()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    while True:
        if stop():
            stats.stopped_by = stop.reason
            break
        if deadline is not None and time.monotonic() >= deadline:
            stats.stopped_by = "max-seconds"
            break
        handled = stats.sent + stats.failed
        if max_messages is not None and handled >= max_messages:
            stats.stopped_by = "max-messages"
            break
        limit = batch_size if max_messages is None else min(batch_size, max_messages - handled)
        try:
            result = send_batch(limit, should_stop=stop)
        except Exception:  # the database went away: log, wait, try again (the claims expire by themselves)
            db.session.rollback()
            log.exception("The e-mail worker could not reach the outbox; it tries again")
            result = None
        finally:
            db.session.remove()  # no identity map, no connection kept between batches
        if result is not None:
            stats.batches += 1
            stats.sent += len(result.sent)
            stats.failed += len(result.failed)
            if not result.failed:
                continue  # more may be due: no pause
        elif once:
            stats.stopped_by = "once"
            break
        wait = poll_interval if deadline is None else max(0.0, min(poll_interval, deadline - time.monotonic()))
        stop.event.wait(wait)
    return stats
