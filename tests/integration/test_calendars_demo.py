"""The demo shows who is away: the calendar of this month, and a clash beside a manager's and the BRI's decision."""

import pytest
from sqlalchemy import select

from app.accounts import demo as accounts_demo
from app.extensions import db
from app.leave import demo as leave_demo
from app.leave.models import LeaveRequest
from tests.factories import text

PASSWORD = "demo-demo-2026"


@pytest.fixture
def demo(app):
    ctx = {"password": PASSWORD, "accounts": []}
    accounts_demo.load(ctx)
    leave_demo.load(ctx)
    db.session.commit()
    return ctx


def _client(app, user):
    client = app.test_client()
    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 303
    return client


def _waiting(applicant, status) -> LeaveRequest:
    return db.session.scalar(
        select(LeaveRequest).where(LeaveRequest.applicant == applicant, LeaveRequest.status == status)
    )


def test_the_demo_calendar_shows_the_team_away(app, demo):
    client = _client(app, demo["users"]["mgr_urb"])
    assert "Olivier Mbeki-Gagnon" in text(client.get("/calendrier"))  # on mission from six days ago to 15 days ahead
    pending = _waiting(demo["users"]["emp1"], "submitted")
    page = text(client.get(f"/calendrier?mois={pending.start_date:%Y-%m}"))
    assert "Jean-Robert Désir" in page and "en attente" in page


def test_the_demo_has_a_clash_beside_the_managers_and_the_bris_decision(app, demo):
    users = demo["users"]
    mine = _waiting(users["emp1"], "submitted")
    assert (
        "Olivier Mbeki-Gagnon"
        in text(_client(app, users["mgr_urb"]).get(f"/conges/{mine.id}")).split('data-testid="clashes"')[1]
    )
    theirs = _waiting(users["emp4"], "manager_approved")
    assert (
        "Amina Diallo"
        in text(_client(app, users["bri1"]).get(f"/conges/{theirs.id}")).split('data-testid="clashes"')[1]
    )
