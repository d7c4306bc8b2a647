"""Who reaches which report page: only the applicant writes, only the BRI decides, a manager reads their team's
reports, nobody else."""

import pytest

from tests.factories import REPORT_TEXT


def get(client, url):
    return client.get(url)


@pytest.fixture
def missions(make_mission):
    return {status: make_mission(status) for status in ("report_due", "report_submitted", "closed", "approved")}


def as_user(app, login, world, who):
    client = app.test_client()
    if who != "anonymous":
        login(getattr(world, who), test_client=client)
    return client


VIEWERS = ["applicant", "manager", "bri"]
OTHERS = ["other_manager", "colleague"]


@pytest.mark.parametrize("who", VIEWERS + OTHERS)
@pytest.mark.parametrize("status", ["report_submitted", "closed"])
def test_the_report_page_and_pdf_are_for_the_applicant_their_manager_and_the_bri(
    app, login, world, missions, who, status
):
    client = as_user(app, login, world, who)
    req = missions[status]
    expected = 200 if who in VIEWERS else 403
    page = client.get(f"/rapports/{req.id}")
    assert page.status_code == expected
    if expected == 200:
        assert REPORT_TEXT["activities"] in page.get_data(as_text=True)
    assert client.get(f"/rapports/{req.id}/pdf").status_code == expected


def test_no_report_page_before_the_mission_is_over(app, login, world, missions):
    client = as_user(app, login, world, "applicant")
    req = missions["approved"]
    assert client.get(f"/rapports/{req.id}").status_code == 403
    assert client.get(f"/rapports/{req.id}/modifier").status_code == 403


@pytest.mark.parametrize("who", ["manager", "bri", "other_manager", "colleague"])
def test_only_the_applicant_writes_the_report(app, login, world, missions, who):
    client = as_user(app, login, world, who)
    req = missions["report_due"]
    assert client.get(f"/rapports/{req.id}/modifier").status_code == 403
    assert client.post(f"/rapports/{req.id}/modifier", data={"activities": "x"}).status_code == 403
    assert client.post(f"/rapports/{req.id}/soumettre", data=dict(REPORT_TEXT, version=req.version)).status_code == 403


def test_the_applicant_is_sent_to_the_report_once_it_is_submitted(app, login, world, missions):
    client = as_user(app, login, world, "applicant")
    req = missions["report_submitted"]
    response = client.get(f"/rapports/{req.id}/modifier")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/rapports/{req.id}")


@pytest.mark.parametrize("who", ["applicant", "manager", "other_manager", "colleague"])
@pytest.mark.parametrize("action", ["accepter", "retourner"])
def test_only_the_bri_decides(app, login, world, missions, who, action):
    client = as_user(app, login, world, who)
    req = missions["report_submitted"]
    response = client.post(f"/rapports/{req.id}/{action}", data={"version": req.version, "comment": "Non"})
    assert response.status_code == 403


def test_a_bri_officer_never_decides_on_their_own_report(app, login, world, make_mission):
    req = make_mission("report_submitted", applicant=world.bri2)
    client = as_user(app, login, world, "bri2")
    assert client.post(f"/rapports/{req.id}/accepter", data={"version": req.version}).status_code == 403
    assert 'data-testid="accept-report"' not in client.get(f"/rapports/{req.id}").get_data(as_text=True)


@pytest.mark.parametrize("who", ["applicant", "manager", "other_manager", "colleague"])
@pytest.mark.parametrize("url", ["/rapports/a-examiner", "/rapports/archive"])
def test_the_queue_and_the_archive_are_for_the_bri(app, login, world, who, url):
    assert as_user(app, login, world, who).get(url).status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/rapports/{id}"),
        ("GET", "/rapports/{id}/modifier"),
        ("GET", "/rapports/{id}/pdf"),
        ("GET", "/rapports/a-examiner"),
        ("GET", "/rapports/archive"),
        ("POST", "/rapports/{id}/accepter"),
        ("POST", "/rapports/{id}/retourner"),
    ],
)
def test_anonymous_is_sent_to_login(client, missions, method, url):
    response = client.open(url.format(id=missions["report_submitted"].id), method=method)
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


def test_the_manager_does_not_see_a_draft_never_submitted(app, login, world, make_mission):
    req = make_mission("report_due", report={"activities": "Brouillon secret"})
    client = as_user(app, login, world, "manager")
    page = client.get(f"/rapports/{req.id}")
    assert page.status_code == 200
    assert "Brouillon secret" not in page.get_data(as_text=True)
    assert client.get(f"/rapports/{req.id}/pdf").status_code == 404
