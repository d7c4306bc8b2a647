"""The measures taken inside this process, through the application itself rather than over HTTP: generating the data,
the SQL statements of each page (Flask's test client, an engine event listener), a manager's decision (its
statements, its commits, whether SMTP was contacted), and filling the e-mail outbox.

The application is built with the production configuration from the environment the benchmark set (the same as
gunicorn's), only with CSRF off for the test client.
"""

import dataclasses
import logging
import smtplib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parents[1]
WARM_AGAIN_MS = 2000


def make_app():
    from app import create_app

    return create_app("production", overrides={"WTF_CSRF_ENABLED": False})


def migration_head() -> str:
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))


def viewers_to_dict(viewers) -> dict:
    if dataclasses.is_dataclass(viewers):
        return dataclasses.asdict(viewers)
    return dict(viewers._asdict())


def viewers_from_dict(data: dict):
    from benchmarks.generate import Viewers

    return Viewers(**data)


def fill(scale: float, seed: int):
    """Migrate the empty database of ``DATABASE_URL`` and generate the city into it; returns the viewers as a dict."""

    def run(url: str) -> dict:
        import os

        from flask_migrate import upgrade

        from app.extensions import db
        from benchmarks.generate import generate

        os.environ["DATABASE_URL"] = url
        app = make_app()
        with app.app_context():
            upgrade()
            started = time.monotonic()
            viewers = generate(scale=scale, seed=seed, report=_progress)
            db.session.commit()
            print(f"  generated at scale {scale:g} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            if db.engine.dialect.name == "sqlite":
                # One file to copy: the write-ahead log folded into it.
                db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
            db.engine.dispose()
        return viewers_to_dict(viewers)

    return run


def _progress(table: str, rows: int, seconds: float) -> None:
    print(f"  {table:<24} {rows:>9,} rows {seconds:>7.1f} s", file=sys.stderr, flush=True)


@contextmanager
def counting(engine) -> Iterator[dict]:
    """``{"statements": n, "commits": n}`` sent to ``engine`` inside the block."""
    counts = {"statements": 0, "commits": 0}

    def statement(*_args):
        counts["statements"] += 1

    def commit(*_args):
        counts["commits"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


@dataclass
class PageSample:
    status: int
    statements: int
    html: str
    ms: float
    endpoint: str | None


def resolve(page, viewers) -> str:
    """A page's address: a function of the viewers, or a format string over their fields."""
    if callable(page.path):
        return page.path(viewers)
    return page.path.format(**viewers_to_dict(viewers))


def endpoint_of(app, path: str) -> str | None:
    from werkzeug.exceptions import HTTPException

    try:
        return app.url_map.bind("localhost").match(path.split("?", 1)[0], method="GET")[0]
    except HTTPException:
        return None


class InProcess:
    """The application in this process, one logged-in test client per viewer."""

    def __init__(self, viewers, password: str):
        self.app = make_app()
        # The logins of this process are the benchmark's, not security events worth a line on the terminal.
        logging.getLogger("conges.security").disabled = True
        self.viewers = viewers
        self.password = password
        self.clients: dict[str, object] = {}

    def client(self, viewer: str):
        if viewer not in self.clients:
            client = self.app.test_client()
            email = getattr(self.viewers, viewer)
            response = client.post("/compte/connexion", data={"email": email, "password": self.password})
            if response.status_code != 303:
                raise RuntimeError(f"in-process login as {email} answered {response.status_code}")
            self.clients[viewer] = client
        return self.clients[viewer]

    def sample(self, path: str, viewer: str) -> PageSample:
        """The page as its viewer gets it, with the statements it sent. Counted a second time when the first answer
        came quickly, so that the count is that of a warm process (caches filled); a slow page is counted once."""
        from app.extensions import db

        client = self.client(viewer)
        with self.app.app_context():
            engine = db.engine
        for attempt in (1, 2):
            with counting(engine) as counts:
                started = time.perf_counter()
                response = client.get(path)
                ms = (time.perf_counter() - started) * 1000
            if ms > WARM_AGAIN_MS or attempt == 2:
                break
        return PageSample(
            response.status_code, counts["statements"], response.get_data(as_text=True), ms, endpoint_of(self.app, path)
        )

    def decide(self, smtp_received) -> dict:
        """The manager approves the oldest of their waiting requests through the HTTP route. Counts its SQL
        statements and commits, and the SMTP connections opened and messages received during the request."""
        from app.accounts.models import User
        from app.extensions import db
        from app.leave.models import LeaveRequest
        from app.leave.workflow import MANAGER_DECISION_STATUSES

        client = self.client("manager")
        with self.app.app_context():
            manager_id = db.session.scalar(select(User.id).where(User.email == self.viewers.manager))
            row = db.session.execute(
                select(LeaveRequest.id, LeaveRequest.version)
                .join(User, User.id == LeaveRequest.applicant_id)
                .where(User.manager_id == manager_id, LeaveRequest.status.in_(MANAGER_DECISION_STATUSES))
                .order_by(LeaveRequest.id)
                .limit(1)
            ).first()
            engine = db.engine
        if row is None:
            return {"error": "the manager has no waiting request"}
        connects = {"n": 0}
        original = smtplib.SMTP.connect

        def counted_connect(smtp, *args, **kwargs):
            connects["n"] += 1
            return original(smtp, *args, **kwargs)

        before = smtp_received()
        smtplib.SMTP.connect = counted_connect
        try:
            with counting(engine) as counts:
                response = client.post(
                    f"/conges/{row.id}/gestionnaire/approuver", data={"comment": "", "version": row.version}
                )
        finally:
            smtplib.SMTP.connect = original
        return {
            "request_id": row.id,
            "status": response.status_code,
            "statements": counts["statements"],
            "commits": counts["commits"],
            "smtp_connections": connects["n"],
            "smtp_messages": smtp_received() - before,
        }

    def unsent_emails(self) -> int:
        from app.core.notifications import OutboxEmail
        from app.extensions import db

        with self.app.app_context():
            return db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_(None))) or 0

    def queue_emails(self, count: int) -> None:
        """Put ``count`` more e-mails in the outbox, to the employee viewer, as the application queues them."""
        from app.core.notifications import OutboxEmail
        from app.core.uow import unit_of_work
        from app.extensions import db

        with self.app.app_context(), unit_of_work():
            for i in range(count):
                db.session.add(
                    OutboxEmail(
                        to_address=self.viewers.employee,
                        subject=f"Benchmark e-mail {i + 1}",
                        body="Un message de la mesure des envois.\n",
                    )
                )
