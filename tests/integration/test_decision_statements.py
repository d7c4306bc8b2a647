"""A decision through its HTTP route: a bounded number of SQL statements, one COMMIT, no SMTP in the request.

The request's e-mails are only written to the outbox, in the decision's transaction; the worker sends them.
"""

import smtplib
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.core.database import montreal_today, utcnow
from app.core.notifications import OutboxEmail
from app.extensions import db as _db
from tests import factories

# route: (status before, who decides, the decision's own statements at most)
DECISIONS = {
    # the request with its applicant and cycle, UPDATE, INSERT transition, the BRI officers, INSERT notifications,
    # INSERT e-mails
    "gestionnaire/approuver": ("submitted", "manager", 6),
    "gestionnaire/refuser": ("submitted", "manager", 5),
    "gestionnaire/modifications": ("submitted", "manager", 5),
    # the request, its history (who took the manager's decision), the budget under the cycle's lock, UPDATE,
    # INSERT transition, INSERT notification, INSERT e-mail
    "bri/approuver": ("manager_approved", "bri", 7),
    "bri/refuser": ("manager_approved", "bri", 6),
    "bri/modifications": ("manager_approved", "bri", 6),
}

# What every request spends before its own statements: the session with its user and roles, in one statement.
PRELUDE = 1
# The target for a whole decision, prelude included.
TOTAL_BUDGET = 8


def _is_prelude(statement: str) -> bool:
    return "FROM user_session" in statement or statement.lstrip().startswith("SELECT user_role.user_id, user_role.role")


@contextmanager
def count_commits():
    commits: list[int] = []

    def record(_conn):
        commits.append(1)

    event.listen(_db.engine, "commit", record)
    try:
        yield commits
    finally:
        event.remove(_db.engine, "commit", record)


@pytest.fixture
def no_smtp(monkeypatch):
    opened: list[tuple] = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("SMTP opened inside the request")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    return opened


@pytest.mark.parametrize("route", DECISIONS)
def test_a_decision_runs_its_statements_one_commit_and_no_smtp(
    route, world, make_mission, login, client, count_queries, no_smtp, app, monkeypatch
):
    status, who, own_budget = DECISIONS[route]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")  # a server is configured: still not used
    req = make_mission(status=status)
    version = req.version
    login(getattr(world, who))
    with count_queries() as statements, count_commits() as commits:
        response = client.post(f"/conges/{req.id}/{route}", data={"version": version, "comment": "Vu."})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    own = [s for s in statements if not _is_prelude(s)]
    assert len(own) <= own_budget, "\n".join(own)
    assert len(statements) <= min(own_budget + PRELUDE, TOTAL_BUDGET), "\n".join(statements)
    assert len(commits) == 1
    assert no_smtp == []
    # The e-mails wait in the outbox, unsent, for the worker.
    _db.session.expire_all()
    waiting = _db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_(None)))
    assert waiting >= 1


def test_a_delegates_decision_stays_within_the_budget(world, make_mission, login, client, count_queries, no_smtp, db):
    req = make_mission(status="submitted")
    today = montreal_today()
    factories.delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    version = req.version
    login(world.delegate)
    with count_queries() as statements, count_commits() as commits:
        response = client.post(f"/conges/{req.id}/gestionnaire/approuver", data={"version": version})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    own = [s for s in statements if not _is_prelude(s)]
    # one more than the manager: the delegation that opens the request to the delegate
    assert len(own) <= 7, "\n".join(own)
    assert len(statements) <= TOTAL_BUDGET, "\n".join(statements)
    assert len(commits) == 1


def test_a_decision_notes_the_visit_in_its_own_commit(world, make_mission, login, client, count_queries, no_smtp, db):
    """A session last seen long enough ago has its visit noted: by the decision's UPDATE, in the decision's one
    commit (not in a transaction of its own), and the whole stays within the budget."""
    from app.accounts.models import UserSession

    req = make_mission(status="submitted")
    req_id, version, manager_id = req.id, req.version, world.manager.id
    login(world.manager)
    long_ago = utcnow() - timedelta(minutes=5)
    _db.session.execute(
        UserSession.__table__.update().where(UserSession.user_id == world.manager.id).values(last_seen_at=long_ago)
    )
    _db.session.commit()
    with count_queries() as statements, count_commits() as commits:
        response = client.post(f"/conges/{req_id}/gestionnaire/approuver", data={"version": version})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert len(commits) == 1
    assert any(s.lstrip().startswith("UPDATE user_session") for s in statements), "\n".join(statements)
    assert len(statements) <= TOTAL_BUDGET, "\n".join(statements)
    _db.session.expire_all()
    seen = _db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == manager_id))
    assert seen > long_ago + timedelta(minutes=4)
