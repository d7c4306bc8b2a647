"""A save from a page older than what it saves is a 409 that keeps the user's text, on both databases: the leave
request's draft, the mission report's draft; and any versioned row changed underneath a unit of work is a 409,
never a 500 (the concurrent cases themselves are in test_leave_concurrency.py, on PostgreSQL)."""

from html import unescape

import pytest
from sqlalchemy import update

from app.core.uow import StaleConflict, unit_of_work
from app.extensions import db
from app.leave.models import LeaveRequest
from app.reports.models import MissionReport
from tests.factories import form_data, make_request


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_saving_a_draft_from_a_stale_page_is_a_409_that_keeps_every_typed_text(client, login, world):
    req = make_request(world, "draft")
    stale = req.version
    login(world.applicant)
    assert client.post(f"/conges/{req.id}/modifier", data=form_data(world, version=stale)).status_code == 303
    typed = {"city": "Léogâne", "languages": "Créole", "objectives": "Ce que j'ai tapé dans l'autre onglet."}
    response = client.post(f"/conges/{req.id}/modifier", data=form_data(world, version=stale, **typed))
    assert response.status_code == 409
    page = text(response)
    assert "enregistrée entre-temps" in page
    for value in typed.values():  # short texts too: the request's text fields are kept by name
        assert value in page
    db.session.expire_all()
    saved = db.session.get(LeaveRequest, req.id)
    assert saved.version == stale + 1 and saved.city != "Léogâne"


def test_saving_a_report_from_a_stale_page_is_a_409_that_keeps_the_sections(client, login, world, make_mission):
    req = make_mission("report_due", report={"activities": "Brouillon."})
    login(world.applicant)
    version = db.session.get(LeaveRequest, req.id).mission_report.version
    first = {"activities": "Version de l'onglet A.", "report_version": version}
    assert client.post(f"/rapports/{req.id}/modifier", data=first).status_code == 303
    late = {"activities": "Version de l'onglet B.", "lessons_learned": "Leçon B.", "report_version": version}
    response = client.post(f"/rapports/{req.id}/modifier", data=late)
    assert response.status_code == 409
    page = text(response)
    assert "Version de l'onglet B." in page and "Leçon B." in page
    db.session.expire_all()
    report = db.session.get(LeaveRequest, req.id).mission_report
    assert report.activities == "Version de l'onglet A." and report.version == version + 1


def test_a_report_form_without_its_version_is_a_409(client, login, world, make_mission):
    req = make_mission("report_due", report={"activities": "Brouillon."})
    login(world.applicant)
    response = client.post(f"/rapports/{req.id}/modifier", data={"activities": "Écrasé ?"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).mission_report.activities == "Brouillon."


def test_the_first_save_of_a_report_from_a_page_older_than_another_first_save_is_a_409(
    client, login, world, make_mission
):
    req = make_mission("report_due")
    login(world.applicant)
    assert client.post(f"/rapports/{req.id}/modifier", data={"activities": "A", "report_version": 0}).status_code == 303
    response = client.post(f"/rapports/{req.id}/modifier", data={"activities": "B", "report_version": 0})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).mission_report.activities == "A"


def test_a_versioned_row_changed_underneath_a_unit_of_work_is_a_conflict_and_nothing_stays(app, world, make_mission):
    req = make_mission("report_due", report={"activities": "Avant."})
    report = db.session.get(LeaveRequest, req.id).mission_report
    _ = report.version, req.city  # read, as a page would have
    with app.test_request_context(), pytest.raises(StaleConflict), unit_of_work():
        # Someone else's save, which the ORM does not see (the row's version moves on under our feet).
        db.session.execute(
            update(MissionReport)
            .where(MissionReport.id == report.id)
            .values(version=MissionReport.version + 1)
            .execution_options(synchronize_session=False)
        )
        req.city = "Ailleurs"
        report.activities = "Le nôtre."  # flushed at the commit: the UPDATE no longer finds the version it read
    db.session.expire_all()
    assert db.session.get(MissionReport, report.id).activities == "Avant."
    assert db.session.get(LeaveRequest, req.id).city == "Jacmel"
