"""The partial shown on the request page (issue 3 includes it) and the home page card."""

import pytest
from flask import render_template_string
from flask_login import login_user

PANEL = '{% include "reports/_request_panel.html" %}'


def panel(app, user, req) -> str:
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        from flask_login import current_user

        return render_template_string(PANEL, req=req, current_user=current_user)


@pytest.mark.parametrize(
    ("who", "status", "expected", "absent"),
    [
        ("applicant", "report_due", "Rédiger le rapport", "Examiner le rapport"),
        ("bri", "report_submitted", "Examiner le rapport", "Rédiger le rapport"),
        ("manager", "report_submitted", "Voir le rapport", "Examiner le rapport"),
        ("applicant", "closed", "Voir le rapport", "Rédiger le rapport"),
    ],
)
def test_the_request_panel_offers_what_the_reader_may_do(app, world, make_mission, who, status, expected, absent):
    req = make_mission(status)  # no report yet while due; a submitted one otherwise
    html = panel(app, getattr(world, who), req)
    assert expected in html and absent not in html


def test_the_panel_says_the_report_was_returned_and_offers_to_continue(app, db, world, make_mission):
    req = make_mission("report_due", report={"activities": "Début", "decision": "returned", "bri_comment": "Précisez"})
    html = panel(app, world.applicant, req)
    assert "Le BRI a retourné votre rapport pour révision." in html
    assert "Continuer le rapport" in html


@pytest.mark.parametrize("who", ["colleague", "other_manager"])
def test_the_panel_shows_nothing_to_others(app, world, make_mission, who):
    req = make_mission("report_submitted")
    assert "report-panel" not in panel(app, getattr(world, who), req)


def test_the_panel_shows_nothing_before_the_mission_is_over(app, world, make_mission):
    assert "report-panel" not in panel(app, world.applicant, make_mission("approved"))


def test_the_home_page_lists_the_reports_the_employee_owes(app, login, world, make_mission):
    due = make_mission("report_due")
    client = login(world.applicant, test_client=app.test_client())
    body = client.get("/").get_data(as_text=True)
    assert f"Rédiger le rapport de {due.reference}" in body
    assert f'href="/rapports/{due.id}/modifier"' in body


def test_the_bri_home_page_and_menu_lead_to_the_queue_and_the_archive(app, login, world):
    client = login(world.bri, test_client=app.test_client())
    body = client.get("/").get_data(as_text=True)
    assert body.count('href="/rapports/a-examiner"') == 2 and body.count('href="/rapports/archive"') == 2
    assert "Rapports à examiner" in body and "Archive des missions" in body
