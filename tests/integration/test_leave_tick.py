"""``flask workflow tick``: approved missions (their checklist complete) start on their day, missions in progress
end after their end date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.notifications import Notification
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services.scheduler import advance_missions
from tests.factories import complete_checklist, make_request


def ready_mission(world, **fields) -> LeaveRequest:
    """An approved mission whose pre-departure checklist is complete (the tick starts only those, or those the BRI
    excepted: tests/integration/test_departure_checklist.py)."""
    req = make_request(world, "approved", **fields)
    complete_checklist(req)
    return req


def statuses(*reqs) -> list[str]:
    db.session.expire_all()
    return [db.session.get(LeaveRequest, r.id).status for r in reqs]


def tick(app, day: date):
    result = app.test_cli_runner().invoke(args=["workflow", "tick", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_tick_starts_and_ends_missions_by_date_and_is_idempotent(app, world):
    start = date.today() + timedelta(days=40)
    end = start + timedelta(days=11)
    req = ready_mission(world, start=start, end=end)
    other = ready_mission(world, applicant=world.colleague, start=start + timedelta(days=1))

    assert "0 mission(s) started" in tick(app, start - timedelta(days=1))
    assert statuses(req, other) == ["approved", "approved"]

    output = tick(app, start)
    assert "1 mission(s) started, 0 mission(s) ended" in output
    assert statuses(req, other) == ["in_mission", "approved"]
    tick(app, start)
    assert statuses(req, other) == ["in_mission", "approved"]

    tick(app, end)  # the end date itself is still a mission day
    assert statuses(req)[0] == "in_mission"
    tick(app, end + timedelta(days=1))
    tick(app, end + timedelta(days=1))
    assert statuses(req)[0] == "report_due"
    history = db.session.scalars(select(Transition).filter_by(request_id=req.id).order_by(Transition.id)).all()
    assert [t.action for t in history][-2:] == ["start_mission", "end_mission"]
    assert all(t.actor_id is None for t in history[-2:])


def test_a_missed_tick_catches_up_in_one_run(app, world):
    start = date.today() + timedelta(days=40)
    req = ready_mission(world, start=start, end=start + timedelta(days=4))
    output = tick(app, start + timedelta(days=30))
    assert "1 mission(s) started, 1 mission(s) ended" in output
    assert statuses(req) == ["report_due"]


def test_tick_leaves_other_statuses_alone(app, world):
    start = date.today() + timedelta(days=40)
    reqs = [
        make_request(world, status, applicant=applicant, start=start)
        for status, applicant in [
            ("submitted", world.applicant),
            ("manager_approved", world.colleague),
            ("draft", world.delegate),
        ]
    ]
    tick(app, start + timedelta(days=60))
    assert statuses(*reqs) == ["submitted", "manager_approved", "draft"]


def test_tick_notifies_the_applicant_of_departure_and_report_due(app, world):
    start = date.today() + timedelta(days=40)
    ready_mission(world, start=start, end=start + timedelta(days=2))
    tick(app, start + timedelta(days=5))
    subjects = db.session.scalars(
        select(Notification.subject).filter_by(recipient_id=world.applicant.id).order_by(Notification.id)
    ).all()
    assert any("bonne mission" in s for s in subjects)
    assert any("votre rapport est attendu" in s for s in subjects)


def test_advance_missions_called_twice_writes_transitions_once(world):
    start = date.today() + timedelta(days=40)
    ready_mission(world, start=start)
    advance_missions(start)
    db.session.commit()
    advance_missions(start)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Transition).filter_by(action="start_mission")) == 1


def test_one_update_per_kind_of_move_whatever_the_number_of_requests(app, world, make_user, count_queries):
    """The tick's statements do not grow with the requests it moves; each moved request gets one Transition row
    and its version bumped."""
    start = date.today() + timedelta(days=40)

    def statements_to_start(count: int) -> tuple[int, list]:
        people = [make_user(manager=world.manager) for _ in range(count)]
        reqs = [ready_mission(world, applicant=p, start=start, end=start + timedelta(days=4)) for p in people]
        versions = {r.id: r.version for r in reqs}
        with count_queries() as statements:
            assert f"{count} mission(s) started" in tick(app, start)
        return len(statements), reqs, versions

    few, _, _ = statements_to_start(2)
    many, reqs, versions = statements_to_start(6)
    assert many == few
    db.session.expire_all()
    for req in reqs:
        moved = db.session.get(LeaveRequest, req.id)
        assert moved.status == "in_mission" and moved.version == versions[req.id] + 1
        history = db.session.scalars(select(Transition).filter_by(request_id=req.id, action="start_mission")).all()
        assert [(t.from_status, t.to_status, t.actor_id) for t in history] == [("approved", "in_mission", None)]
    assert db.session.scalar(select(func.count(Notification.id))) == 6 + 2  # one "have a good mission" each


def test_a_decision_holding_the_old_version_is_refused_after_the_tick(app, world):
    """A cancellation prepared on the request as it was before the tick moved it is a conflict, not a lost move."""
    from app.leave.services import ConflictError
    from app.leave.services.decisions import cancel_request

    start = date.today() + timedelta(days=40)
    req = ready_mission(world, start=start, end=start + timedelta(days=4))
    seen_version = req.version
    tick(app, start)  # another session moves it to in_mission
    with pytest.raises(ConflictError):
        cancel_request(req, world.bri, comment="Annulée.", expected_version=seen_version, today=start)
    db.session.rollback()
    assert statuses(req) == ["in_mission"]
    assert db.session.scalar(select(func.count(Transition.id)).filter_by(request_id=req.id, action="cancel")) == 0
