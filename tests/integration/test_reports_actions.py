"""Writing, submitting, accepting and returning a mission report through the pages."""

from html import unescape

import pytest
from sqlalchemy import select

from app.core.notifications import Notification
from app.leave.models import Transition
from app.reports.models import MissionReport
from tests.factories import REPORT_TEXT


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def report_version(req) -> str:
    """The report's version as the form carries it (0 before the first save)."""
    return str(req.mission_report.version if req.mission_report is not None else 0)


def form_data(req, **overrides):
    data = dict(REPORT_TEXT, version=str(req.version), report_version=report_version(req))
    data.update(overrides)
    return data


def transitions(db, req, action):
    return db.session.scalars(
        select(Transition).where(Transition.request_id == req.id, Transition.action == action)
    ).all()


def test_applicant_saves_a_draft_several_times_without_losing_text(client, login, db, world, make_mission):
    req = make_mission("report_due")
    login(world.applicant)
    response = client.post(
        f"/rapports/{req.id}/modifier", data={"activities": "Premier jet", "version": req.version, "report_version": 0}
    )
    assert response.status_code == 303
    page = text(client.get(f"/rapports/{req.id}/modifier"))
    assert 'name="report_version" type="hidden" value="1"' in page
    response = client.post(
        f"/rapports/{req.id}/modifier",
        data={"activities": "Premier jet", "results": "Deuxième partie", "report_version": "1"},
    )
    assert response.status_code == 303
    page = client.get(f"/rapports/{req.id}/modifier")
    assert "Premier jet" in text(page) and "Deuxième partie" in text(page)
    db.session.expire_all()
    assert req.status == "report_due"
    assert req.mission_report.activities == "Premier jet"
    assert req.mission_report.submitted_at is None
    assert transitions(db, req, "submit_report") == []


def test_applicant_submits_the_report_and_the_bri_is_notified(client, login, db, world, make_mission):
    req = make_mission("report_due")
    login(world.applicant)
    response = client.post(f"/rapports/{req.id}/soumettre", data=form_data(req))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rapports/{req.id}")
    db.session.expire_all()
    assert req.status == "report_submitted"
    assert req.mission_report.results == REPORT_TEXT["results"]
    assert req.mission_report.submitted_at is not None
    assert len(transitions(db, req, "submit_report")) == 1
    recipients = {n.recipient_id for n in db.session.scalars(select(Notification))}
    assert recipients == {world.bri.id, world.bri2.id}


def test_submitting_an_incomplete_report_keeps_the_draft_and_names_the_missing_sections(
    client, login, db, world, make_mission
):
    req = make_mission("report_due")
    login(world.applicant)
    response = client.post(
        f"/rapports/{req.id}/soumettre",
        data={"activities": "Fait", "results": "", "version": req.version, "report_version": "0"},
    )
    assert response.status_code == 422
    body = text(response)
    assert 'id="results-error"' in body and 'id="lessons_learned-error"' in body
    assert "activities-error" not in body
    db.session.expire_all()
    assert req.status == "report_due"
    assert req.mission_report.activities == "Fait"
    # The page shown again carries the draft's new version: saving it again is no conflict.
    assert f'name="report_version" type="hidden" value="{req.mission_report.version}"' in body
    again = client.post(f"/rapports/{req.id}/modifier", data=form_data(req, results="Complété"))
    assert again.status_code == 303


def test_bri_accepts_the_report_and_the_mission_is_closed(client, login, db, world, make_mission):
    req = make_mission("report_submitted")
    login(world.bri)
    response = client.post(f"/rapports/{req.id}/accepter", data={"version": req.version})
    assert response.status_code == 303
    db.session.expire_all()
    assert req.status == "closed"
    assert req.mission_report.decision == "accepted"
    assert req.mission_report.decided_by_id == world.bri.id
    assert len(transitions(db, req, "accept_report")) == 1
    notes = db.session.scalars(select(Notification)).all()
    assert [n.recipient_id for n in notes] == [world.applicant.id]
    page = client.get(f"/rapports/{req.id}")
    assert "Mission terminée\u00a0: rapport accepté" in text(page)


def test_bri_returns_the_report_with_a_comment_shown_above_the_form(app, client, login, db, world, make_mission):
    req = make_mission("report_submitted")
    login(world.bri)
    response = client.post(
        f"/rapports/{req.id}/retourner", data={"version": req.version, "comment": "Ajoutez les chiffres."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert req.status == "report_due"
    assert req.mission_report.decision == "returned"
    assert req.mission_report.bri_comment == "Ajoutez les chiffres."
    history = transitions(db, req, "return_report")
    assert len(history) == 1 and history[0].comment == "Ajoutez les chiffres."
    assert [n.recipient_id for n in db.session.scalars(select(Notification))] == [world.applicant.id]

    employee = login(world.applicant, test_client=app.test_client())
    page = employee.get(f"/rapports/{req.id}/modifier")
    assert page.status_code == 200
    assert "Ajoutez les chiffres." in text(page)
    assert REPORT_TEXT["activities"] in text(page)


def test_returning_without_a_comment_is_refused_next_to_the_field(client, login, db, world, make_mission):
    req = make_mission("report_submitted")
    login(world.bri)
    response = client.post(f"/rapports/{req.id}/retourner", data={"version": req.version, "comment": "  "})
    assert response.status_code == 422
    assert 'id="comment-error"' in text(response)
    db.session.expire_all()
    assert req.status == "report_submitted"
    assert transitions(db, req, "return_report") == []


@pytest.mark.parametrize("action", ["accepter", "retourner"])
def test_a_second_decision_is_a_conflict(client, login, db, world, make_mission, action):
    req = make_mission("report_submitted")
    version = req.version
    login(world.bri)
    assert client.post(f"/rapports/{req.id}/accepter", data={"version": version}).status_code == 303
    response = client.post(f"/rapports/{req.id}/{action}", data={"version": version, "comment": "Trop tard"})
    assert response.status_code == 409
    db.session.expire_all()
    assert req.status == "closed"
    assert len(transitions(db, req, "accept_report")) == 1
    assert transitions(db, req, "return_report") == []


def test_a_decision_on_a_stale_version_is_a_conflict(client, login, db, world, make_mission):
    req = make_mission("report_submitted")
    login(world.bri)
    response = client.post(f"/rapports/{req.id}/accepter", data={"version": req.version - 1})
    assert response.status_code == 409
    assert "changed in the meantime" in text(response) or "entre-temps" in text(response)
    db.session.expire_all()
    assert req.status == "report_submitted"


def test_submitting_twice_is_a_conflict_that_shows_the_typed_text(client, login, db, world, make_mission):
    req = make_mission("report_due")
    login(world.applicant)
    data = form_data(req)
    assert client.post(f"/rapports/{req.id}/soumettre", data=data).status_code == 303
    response = client.post(f"/rapports/{req.id}/soumettre", data=dict(data, activities="Texte tardif"))
    assert response.status_code == 409
    assert "Texte tardif" in text(response)
    db.session.expire_all()
    assert len(transitions(db, req, "submit_report")) == 1
    assert req.mission_report.activities == REPORT_TEXT["activities"]


def test_submitting_with_a_stale_version_is_a_conflict(client, login, db, world, make_mission):
    req = make_mission("report_due")
    login(world.applicant)
    response = client.post(f"/rapports/{req.id}/soumettre", data=form_data(req, version=str(req.version - 1)))
    assert response.status_code == 409
    db.session.expire_all()
    assert req.status == "report_due"


@pytest.mark.parametrize("url", ["/rapports/{id}/soumettre", "/rapports/{id}/accepter", "/rapports/{id}/retourner"])
def test_get_on_an_action_is_not_allowed(client, login, world, make_mission, url):
    req = make_mission("report_submitted")
    login(world.bri)
    assert client.get(url.format(id=req.id)).status_code == 405


def test_unknown_request_is_not_found(client, login, world):
    login(world.bri)
    assert client.get("/rapports/999999").status_code == 404
    assert client.post("/rapports/999999/accepter", data={"version": 1}).status_code == 404


def test_text_longer_than_the_limit_is_refused_and_nothing_is_saved(client, login, db, world, make_mission):
    req = make_mission("report_due")
    login(world.applicant)
    response = client.post(
        f"/rapports/{req.id}/modifier", data={"activities": "x" * 20001, "results": "gardé", "report_version": "0"}
    )
    assert response.status_code == 422
    assert 'id="activities-error"' in text(response)
    assert db.session.scalars(select(MissionReport)).all() == []


def test_two_decisions_at_the_same_moment_only_one_applies(app, db, world, make_mission):
    """The other officer's decision is committed between our reading and our writing: ours is a conflict."""
    from sqlalchemy import update

    from app.core.errors import Conflict
    from app.leave.models import LeaveRequest
    from app.reports import services

    req = make_mission("report_submitted")
    version = req.version
    assert req.mission_report is not None
    # A raw UPDATE without its Transition row on purpose: it stands for another worker's commit that the session
    # under test has not seen, to check the version guard.
    with db.engine.begin() as connection:  # another worker accepts the report meanwhile
        connection.execute(
            update(LeaveRequest).where(LeaveRequest.id == req.id).values(status="closed", version=version + 1)
        )
    with app.test_request_context("/"), pytest.raises(Conflict):
        services.return_report(req, world.bri2, "Trop tard", version)
    db.session.rollback()
    db.session.expire_all()
    assert req.status == "closed"
    assert transitions(db, req, "return_report") == []
