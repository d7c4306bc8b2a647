"""Reminders of the daily job: timing, recipients, and never the same reminder twice within the repeat delay."""

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from app.core.cli import cli_request_context
from app.core.notifications import Notification, OutboxEmail
from app.leave.models import Delegation
from app.reports.models import ReminderLog
from app.reports.reminders import send_reminders
from tests.factories import at_noon

END = date(2027, 3, 26)  # a Friday; the report is reminded 14 days later, on 9 April


def notes(db, user=None):
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.recipient_id == user.id)
    return db.session.scalars(query).all()


def run(db, day: date) -> str:
    summary = send_reminders(day)
    db.session.commit()
    return summary


def test_the_employee_is_reminded_14_days_after_the_return_and_not_before(db, world, make_mission):
    req = make_mission("report_due", end=END)
    run(db, date(2027, 4, 8))
    assert notes(db) == []
    summary = run(db, date(2027, 4, 9))
    assert "report_due 1" in summary
    [note] = notes(db)
    assert note.recipient_id == world.applicant.id
    assert note.subject.startswith("Rappel\u00a0: votre rapport de mission")
    assert req.reference in note.subject
    assert note.link == f"/rapports/{req.id}/modifier"


def test_a_rerun_sends_nothing_twice_and_the_reminder_repeats_after_seven_days(db, world, make_mission):
    make_mission("report_due", end=END)
    run(db, date(2027, 4, 9))
    run(db, date(2027, 4, 9))
    run(db, date(2027, 4, 15))
    assert len(notes(db)) == 1
    run(db, date(2027, 4, 16))
    assert len(notes(db)) == 2
    sent = db.session.scalars(select(ReminderLog.sent_on).order_by(ReminderLog.id)).all()
    assert sent == [date(2027, 4, 9), date(2027, 4, 16)]


def test_no_report_reminder_once_the_report_is_submitted(db, make_mission):
    make_mission("report_submitted", end=END, changed_at=at_noon(date(2027, 4, 8)))
    run(db, date(2027, 4, 9))
    assert all("rapport de mission attend le BRI" not in n.subject for n in notes(db))
    assert all(not n.subject.startswith("Rappel\u00a0: votre rapport") for n in notes(db))


def test_the_manager_is_reminded_after_five_working_days(db, world, make_mission):
    # Submitted on Monday 1 March 2027: the fifth working day after is Monday 8 March.
    req = make_mission("submitted", changed_at=at_noon(date(2027, 3, 1)), start=date(2027, 5, 3), end=date(2027, 5, 28))
    run(db, date(2027, 3, 5))
    assert notes(db) == []
    run(db, date(2027, 3, 8))
    [note] = notes(db)
    assert note.recipient_id == world.manager.id
    assert req.reference in note.subject
    assert note.link == f"/conges/{req.id}"  # the request page, where the manager decides
    run(db, date(2027, 3, 9))
    assert len(notes(db)) == 1


def test_quebec_holidays_delay_the_manager_reminder(db, world, make_mission):
    # Submitted on Monday 21 June 2027; 24 June (Fête nationale) and 1 July (Canada Day) are not working days.
    make_mission("submitted", changed_at=at_noon(date(2027, 6, 21)), start=date(2027, 9, 6), end=date(2027, 9, 24))
    run(db, date(2027, 6, 28))
    assert notes(db) == []
    run(db, date(2027, 6, 29))
    assert [n.recipient_id for n in notes(db)] == [world.manager.id]


def test_a_delegate_of_the_manager_is_reminded_too(db, world, make_mission):
    db.session.add(
        Delegation(
            manager=world.manager, delegate=world.other_manager, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31)
        )
    )
    db.session.commit()
    make_mission("submitted", changed_at=at_noon(date(2027, 3, 1)), start=date(2027, 5, 3), end=date(2027, 5, 28))
    run(db, date(2027, 3, 8))
    assert {n.recipient_id for n in notes(db)} == {world.manager.id, world.other_manager.id}


def test_the_bri_officers_are_reminded_of_requests_and_reports_waiting_for_them(db, world, make_mission):
    waiting_request = make_mission(
        "manager_approved", changed_at=at_noon(date(2027, 3, 1)), start=date(2027, 5, 3), end=date(2027, 5, 28)
    )
    waiting_report = make_mission(
        "report_submitted", start=date(2027, 2, 1), end=date(2027, 2, 26), changed_at=at_noon(date(2027, 3, 1))
    )
    summary = run(db, date(2027, 3, 8))
    assert "bri_decision 2" in summary and "report_review 2" in summary
    officers = {world.bri.id, world.bri2.id}
    by_request = {}
    for log in db.session.scalars(select(ReminderLog)):
        by_request.setdefault(log.request_id, set()).add(log.recipient_id)
    assert by_request == {waiting_request.id: officers, waiting_report.id: officers}
    # One digest per officer for the day, listing both with their links (the log keeps one row per request).
    [digest] = notes(db, world.bri)
    assert digest.subject == "Rappel\u00a0: 2\u00a0dossiers vous attendent"
    assert f"http://127.0.0.1:5000/conges/{waiting_request.id}" in digest.body
    assert f"http://127.0.0.1:5000/rapports/{waiting_report.id}" in digest.body
    assert waiting_request.reference in digest.body and waiting_report.reference in digest.body
    assert digest.link == "/conges/bri/file"
    [english] = notes(db, world.bri2)
    assert english.subject == "Reminder: 2 files wait for you"
    run(db, date(2027, 3, 8))
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 4
    assert db.session.scalar(select(func.count(Notification.id))) == 2


def test_the_workflow_tick_command_sends_the_reminders_once(app, db, world, make_mission):
    make_mission("report_due", end=END)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["workflow", "tick", "--today", "2027-04-09"])
    assert result.exit_code == 0, result.output
    assert "2027-04-09 send_reminders: report_due 1" in result.output
    result = runner.invoke(args=["workflow", "tick", "--today", "2027-04-09"])
    assert result.exit_code == 0, result.output
    assert "report_due 0" in result.output
    db.session.expire_all()
    assert len(notes(db, world.applicant)) == 1
    email = db.session.scalars(select(OutboxEmail)).one()
    assert email.to_address == world.applicant.email
    assert email.body.rstrip().endswith("/modifier")


def test_an_inactive_manager_is_not_reminded(db, world, make_mission):
    make_mission("submitted", changed_at=at_noon(date(2027, 3, 1)), start=date(2027, 5, 3), end=date(2027, 5, 28))
    world.manager.active = False
    db.session.commit()
    assert "manager_decision 0" in run(db, date(2027, 3, 8))


def test_the_cli_request_context_builds_links_on_the_server_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_BASE_URL", "https://conges.example.org")
    with cli_request_context():
        assert url_for("reports.view", request_id=7, _external=True) == "https://conges.example.org/rapports/7"
    with app.test_request_context("/", base_url="http://interne.example"), cli_request_context():
        # inside a request (a view, a test) the request's own address is kept
        assert url_for("reports.view", request_id=7, _external=True) == "http://interne.example/rapports/7"


def test_a_manager_gets_one_digest_for_all_the_requests_waiting_for_them(db, world, make_user, make_mission):
    team = [world.applicant, world.colleague, *(make_user(manager=world.manager) for _ in range(3))]
    reqs = [
        make_mission(
            "submitted",
            applicant=person,
            changed_at=at_noon(date(2027, 3, 1)),
            start=date(2027, 5, 3),
            end=date(2027, 5, 28),
        )
        for person in team
    ]
    assert "manager_decision 5" in run(db, date(2027, 3, 8))
    [digest] = notes(db, world.manager)
    assert digest.subject == "5\u00a0demandes attendent votre décision"
    for req in reqs:
        assert req.reference in digest.body
        assert f"http://127.0.0.1:5000/conges/{req.id}" in digest.body
    assert digest.link == "/conges/a-approuver"
    [email] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == world.manager.email)).all()
    assert email.subject == digest.subject
    # The schedule stays per request: one log row each, nothing again the same day, all again after the delay.
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 5
    assert "manager_decision 0" in run(db, date(2027, 3, 8))
    assert "manager_decision 5" in run(db, date(2027, 3, 15))
    assert len(notes(db, world.manager)) == 2


def test_the_digest_is_written_in_english_for_an_english_reader(db, world, make_user, make_mission):
    world.manager.language = "en"
    db.session.commit()
    for person in (world.applicant, world.colleague):
        make_mission(
            "submitted",
            applicant=person,
            changed_at=at_noon(date(2027, 3, 1)),
            start=date(2027, 5, 3),
            end=date(2027, 5, 28),
        )
    run(db, date(2027, 3, 8))
    [digest] = notes(db, world.manager)
    assert digest.subject == "2 requests wait for your decision"
    assert "Leave requests waiting for your decision:" in digest.body


def test_a_long_digest_lists_the_first_requests_and_links_to_the_queue_for_the_rest(
    db, world, make_user, make_mission, monkeypatch
):
    from app.reports import reminders

    monkeypatch.setattr(reminders, "DIGEST_LINES", 2)
    team = [world.applicant, world.colleague, make_user(manager=world.manager)]
    reqs = [
        make_mission(
            "submitted",
            applicant=person,
            changed_at=at_noon(date(2027, 3, 1)),
            start=date(2027, 5, 3),
            end=date(2027, 5, 28),
        )
        for person in team
    ]
    run(db, date(2027, 3, 8))
    [digest] = notes(db, world.manager)
    assert digest.subject == "3\u00a0demandes attendent votre décision"
    assert reqs[0].reference in digest.body and reqs[1].reference in digest.body
    assert reqs[2].reference not in digest.body
    assert (
        "Et 1\u00a0autre, la liste complète sur cette page\u00a0:\nhttp://127.0.0.1:5000/conges/a-approuver"
        in digest.body
    )
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 3  # every request is still on the schedule
