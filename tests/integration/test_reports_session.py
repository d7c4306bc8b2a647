"""Nothing written is lost when the session or the form's security token expires during a long edit."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.reports.models import MissionReport
from tests.factories import DEFAULT_PASSWORD

LONG_TEXT = "Trois semaines d’ateliers à Jacmel… " * 50


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    if match is None:
        match = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', response.get_data(as_text=True))
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def saved_report(db):
    db.session.expire_all()
    return db.session.scalars(select(MissionReport)).one_or_none()


def test_an_expired_token_shows_the_form_again_with_the_text_and_says_what_to_do(
    app, db, login, world, make_mission, csrf_on
):
    req = make_mission("report_due")
    client = app.test_client()
    token = csrf_token(client.get("/compte/connexion"))
    client.post(
        "/compte/connexion", data={"email": world.applicant.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )

    response = client.post(
        f"/rapports/{req.id}/modifier",
        data={"activities": LONG_TEXT, "csrf_token": "expired", "version": req.version, "report_version": "0"},
    )
    assert response.status_code == 400
    body = text(response)
    assert LONG_TEXT.strip() in body
    assert "Le formulaire a expiré pendant votre rédaction" in body
    assert 'data-testid="report-form"' in body
    assert saved_report(db) is None

    # The page came back with a fresh token: saving again works and keeps the text.
    response = client.post(
        f"/rapports/{req.id}/modifier",
        data={
            "activities": LONG_TEXT,
            "csrf_token": csrf_token(response),
            "version": req.version,
            "report_version": "0",
        },
    )
    assert response.status_code == 303
    assert saved_report(db).activities == LONG_TEXT.strip()


def test_after_the_session_ended_the_text_comes_back_and_saving_works_once_logged_in_again(
    app, db, world, make_mission, csrf_on
):
    req = make_mission("report_due")
    client = app.test_client()  # no session any more: logged out, cookie gone
    response = client.post(
        f"/rapports/{req.id}/modifier", data={"activities": LONG_TEXT, "results": "Résultats", "report_version": "0"}
    )
    assert response.status_code == 400
    assert 'name="report_version" type="hidden" value="0"' in text(response)
    body = text(response)
    assert LONG_TEXT.strip() in body and "Résultats" in body
    assert "reconnectez-vous" in body
    recovered_token = csrf_token(response)

    # "In another tab": log in again (same browser, same cookies).
    login_token = csrf_token(client.get("/compte/connexion"))
    assert (
        client.post(
            "/compte/connexion",
            data={"email": world.applicant.email, "password": DEFAULT_PASSWORD, "csrf_token": login_token},
        ).status_code
        == 303
    )
    # Back on the recovered page: "Save as draft".
    response = client.post(
        f"/rapports/{req.id}/modifier",
        data={
            "activities": LONG_TEXT,
            "results": "Résultats",
            "csrf_token": recovered_token,
            "version": req.version,
            "report_version": "0",
        },
    )
    assert response.status_code == 303
    assert saved_report(db).results == "Résultats"


def test_a_post_by_a_logged_out_user_is_not_dropped_for_a_bare_redirect(client, make_mission):
    req = make_mission("report_due")
    response = client.post(f"/rapports/{req.id}/soumettre", data={"activities": LONG_TEXT})
    assert response.status_code == 401
    assert LONG_TEXT.strip() in text(response)
    assert "Votre session a pris fin" in text(response)


def test_an_expired_token_elsewhere_gives_the_generic_message(app, login, world, make_mission, csrf_on):
    req = make_mission("report_submitted")
    client = app.test_client()
    token = csrf_token(client.get("/compte/connexion"))
    client.post("/compte/connexion", data={"email": world.bri.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    response = client.post(f"/rapports/{req.id}/accepter", data={"version": req.version, "csrf_token": "old"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in text(response)
