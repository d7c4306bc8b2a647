"""Two people decide the same request at the same moment, on two connections: one wins, one is told the request
changed, and exactly one Transition row is written. PostgreSQL only: SQLite serialises writers by design."""

import threading

import pytest
from flask_login import current_user
from sqlalchemy import func, select

from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services import ConflictError, decisions
from tests.factories import make_request, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is settled by PostgreSQL row locks: run with TEST_DATABASE_URL=postgresql+psycopg://…")


def decide_together(app, request_id: int, deciders) -> list[str]:
    """Each decider loads the request, waits for the others, then decides and commits on its own connection."""
    barrier = threading.Barrier(len(deciders))
    outcomes: list[str] = []

    def run(decide, actor_id):
        with app.app_context(), app.test_request_context():
            from app.accounts.models import User

            actor = db.session.get(User, actor_id)
            req = db.session.get(LeaveRequest, request_id)
            # Loaded before the race, as a page would have (Flask-Login loads the user at the permission check).
            _ = req.applicant.manager, req.transitions, current_user.is_authenticated
            barrier.wait()
            try:
                decide(req, actor)
                db.session.commit()
                outcomes.append("ok")
            except ConflictError:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=d) for d in deciders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def transitions(request_id: int, action: str) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Transition).filter_by(request_id=request_id, action=action)
    )


def test_two_managers_deciding_at_once_one_wins_one_is_refused(app, world):
    req = make_request(world, "submitted")
    second_manager_as_delegate = world.delegate
    from datetime import timedelta

    from app.core.database import montreal_today
    from tests.factories import delegate

    delegate(world.manager, second_manager_as_delegate, montreal_today(), montreal_today() + timedelta(days=1))
    outcomes = decide_together(
        app,
        req.id,
        [
            (lambda r, a: decisions.manager_decide(r, a, "manager_approve"), world.manager.id),
            (lambda r, a: decisions.manager_decide(r, a, "manager_reject", "Non."), second_manager_as_delegate.id),
        ],
    )
    assert outcomes == ["conflict", "ok"]
    assert transitions(req.id, "manager_approve") + transitions(req.id, "manager_reject") == 1


def test_two_bri_officers_approving_at_once_write_one_transition(app, world):
    req = make_request(world, "manager_approved")
    approve = lambda r, a: decisions.bri_decide(r, a, "bri_approve")  # noqa: E731
    outcomes = decide_together(app, req.id, [(approve, world.bri.id), (approve, world.bri2.id)])
    assert outcomes == ["conflict", "ok"]
    assert transitions(req.id, "bri_approve") == 1
    assert db.session.get(LeaveRequest, req.id).status == "approved"


def test_two_approvals_racing_for_the_last_place_never_exceed_it(app, world):
    world.cycle.places = 1
    db.session.commit()
    first = make_request(world, "manager_approved")
    second = make_request(world, "manager_approved", applicant=make_user(manager=world.manager))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(request_id, actor_id):
        from app.accounts.models import User
        from app.leave.services import RuleError

        with app.app_context(), app.test_request_context():
            actor = db.session.get(User, actor_id)
            req = db.session.get(LeaveRequest, request_id)
            _ = req.transitions, req.cycle, current_user.is_authenticated
            barrier.wait()
            try:
                decisions.bri_decide(req, actor, "bri_approve")
                db.session.commit()
                outcomes.append("ok")
            except RuleError:
                db.session.rollback()
                outcomes.append("no place")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=(first.id, world.bri.id)),
        threading.Thread(target=run, args=(second.id, world.bri2.id)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["no place", "ok"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(LeaveRequest).filter_by(status="approved")) == 1


# Two saves of the same form at the same moment, through the pages ----------------------------------------------


def post_together(app, monkeypatch, module, name: str, posts) -> list:
    """Each (client, url, data) of ``posts`` is sent from its own thread; ``module.name`` (a step of the service
    after its checks, before its write) waits until every request has reached it, so that all of them read the same
    state before any writes. Returns the responses in the order of ``posts``."""
    barrier = threading.Barrier(len(posts), timeout=20)
    original = getattr(module, name)

    def waiting(*args, **kwargs):
        value = original(*args, **kwargs)
        barrier.wait()
        return value

    monkeypatch.setattr(module, name, waiting)
    responses: list = [None] * len(posts)

    def run(index, client, url, data):
        responses[index] = client.post(url, data=data)

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return responses


def test_two_saves_of_the_same_draft_at_once_one_wins_the_other_is_a_409_keeping_its_text(
    app, world, login, monkeypatch
):
    from html import unescape

    from app.leave.services import requests as request_services
    from tests.factories import form_data

    req = make_request(world, "draft")
    first, second = app.test_client(), app.test_client()
    login(world.applicant, test_client=first)
    login(world.applicant, test_client=second)
    url = f"/conges/{req.id}/modifier"
    version = req.version
    responses = post_together(
        app,
        monkeypatch,
        request_services,
        "check_request",
        [
            (first, url, form_data(world, version=version, city="Jacmel", objectives="Premier onglet.")),
            (second, url, form_data(world, version=version, city="Léogâne", objectives="Deuxième onglet.")),
        ],
    )
    assert sorted(r.status_code for r in responses) == [303, 409]
    loser = next(r for r in responses if r.status_code == 409)
    page = unescape(loser.get_data(as_text=True))
    lost_city = "Jacmel" if loser is responses[0] else "Léogâne"
    assert lost_city in page  # a short text field is shown back too (keep)
    db.session.expire_all()
    saved = db.session.get(LeaveRequest, req.id)
    assert saved.version == version + 1
    assert saved.city != lost_city


def test_two_saves_of_the_same_report_at_once_one_wins_the_other_is_a_409_keeping_its_text(
    app, world, login, monkeypatch, make_mission
):
    from html import unescape

    from app.reports import services as report_services

    req = make_mission("report_due", report={"activities": "Brouillon."})
    first, second = app.test_client(), app.test_client()
    login(world.applicant, test_client=first)
    login(world.applicant, test_client=second)
    url = f"/rapports/{req.id}/modifier"
    version = db.session.get(LeaveRequest, req.id).mission_report.version
    responses = post_together(
        app,
        monkeypatch,
        report_services,
        "_report_for",
        [
            (first, url, {"activities": "Texte du premier onglet.", "report_version": version}),
            (second, url, {"activities": "Texte du deuxième onglet.", "report_version": version}),
        ],
    )
    assert sorted(r.status_code for r in responses) == [303, 409]
    loser = next(r for r in responses if r.status_code == 409)
    lost = "Texte du premier onglet." if loser is responses[0] else "Texte du deuxième onglet."
    assert lost in unescape(loser.get_data(as_text=True))
    db.session.expire_all()
    report = db.session.get(LeaveRequest, req.id).mission_report
    assert report.version == version + 1
    assert report.activities != lost


def test_two_first_saves_of_a_report_at_once_create_one_report(app, world, login, monkeypatch, make_mission):
    from app.reports import services as report_services
    from app.reports.models import MissionReport

    req = make_mission("report_due")
    first, second = app.test_client(), app.test_client()
    login(world.applicant, test_client=first)
    login(world.applicant, test_client=second)
    url = f"/rapports/{req.id}/modifier"
    responses = post_together(
        app,
        monkeypatch,
        report_services,
        "_report_for",
        [
            (first, url, {"activities": "Un.", "report_version": 0}),
            (second, url, {"activities": "Deux.", "report_version": 0}),
        ],
    )
    assert sorted(r.status_code for r in responses) == [303, 409]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(MissionReport).filter_by(request_id=req.id)) == 1
