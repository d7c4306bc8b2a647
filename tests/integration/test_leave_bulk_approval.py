"""The manager approves several requests of their queue at once: each as a single decision (its Transition, its
notifications, its version check), a stale or foreign one left as it is and said so in the summary."""

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.core.notifications import Notification
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services import decisions
from app.leave.services import requests as request_services
from tests.factories import client_for, delegate, make_request, make_user

URL = "/conges/a-approuver/approuver"


def text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def ticked(*requests, versions=None) -> list[str]:
    versions = versions or [req.version for req in requests]
    return [f"{req.id}:{version}" for req, version in zip(requests, versions, strict=True)]


def transitions_of(req, action: str = "manager_approve") -> list[Transition]:
    return list(
        db.session.scalars(select(Transition).where(Transition.request_id == req.id, Transition.action == action))
    )


@pytest.fixture
def three(world):
    """Three submitted requests of the manager's team, as the queue shows them."""
    third = make_user(full_name="Marc Pierre-Louis", manager=world.manager, department=world.department)
    return [make_request(world, "submitted", applicant=who) for who in (world.applicant, world.colleague, third)]


def test_the_queue_offers_a_checkbox_per_request_carrying_the_version_seen(app, world, three):
    page = text(client_for(app, world.manager).get("/conges/a-approuver"))
    for req in three:
        assert f'name="selected" value="{req.id}:{req.version}"' in page
    assert "Approuver la sélection" in page and f'action="{URL}"' in page


def test_two_approved_one_stale_left_untouched_and_reported(app, world, three):
    first, stale, third = three
    seen = ticked(*three)
    # Meanwhile the applicant of the second withdraws it: the manager's page is stale for that one.
    with cli_request_context():
        request_services.withdraw_request(stale, world.colleague)
    db.session.commit()
    stale_version = stale.version
    client = client_for(app, world.manager)
    response = client.post(URL, data={"selected": seen, "comment": "Bonne mission."})
    assert response.status_code == 303 and response.headers["Location"].endswith("/conges/a-approuver")
    db.session.expire_all()
    for req in (first, third):
        assert db.session.get(LeaveRequest, req.id).status == "manager_approved"
        (transition,) = transitions_of(req)
        assert transition.actor_id == world.manager.id and transition.comment == "Bonne mission."
    again = db.session.get(LeaveRequest, stale.id)
    assert again.status == "withdrawn" and again.version == stale_version
    assert transitions_of(stale) == []
    summary = text(client.get("/conges/a-approuver"))
    assert f"2 demandes approuvées : {first.reference}, {third.reference}. Le BRI est avisé." in summary
    assert (
        f"{stale.reference} n'a pas été approuvée : elle a été décidée entre-temps (maintenant : Retirée)." in summary
    )


def test_a_request_changed_since_the_page_was_shown_is_left_as_it_is(app, world, three):
    first = three[0]
    shown = first.version
    # Sent back and submitted again: still waiting for the manager, but not what the manager saw.
    with cli_request_context():
        decisions.manager_decide(first, world.manager, "manager_request_changes", comment="Précisez les dates.")
        request_services.submit_request(first, world.applicant)
    db.session.commit()
    client = client_for(app, world.manager)
    client.post(URL, data={"selected": ticked(first, versions=[shown])})
    db.session.expire_all()
    assert db.session.get(LeaveRequest, first.id).status == "submitted"
    assert transitions_of(first) == []
    assert "a changé depuis l'affichage de la page" in text(client.get("/conges/a-approuver"))


def test_each_approval_notifies_the_bri_after_its_own_commit(app, world, three):
    before = db.session.scalar(select(func.count(Notification.id)).where(Notification.recipient_id == world.bri.id))
    client_for(app, world.manager).post(URL, data={"selected": ticked(*three[:2])})
    after = db.session.scalar(select(func.count(Notification.id)).where(Notification.recipient_id == world.bri.id))
    assert after == before + 2


def test_a_request_of_another_team_slipped_in_is_refused_and_untouched(app, world, three):
    foreign = make_request(world, "submitted", applicant=world.delegate)  # Hélène Côté's team
    version = foreign.version
    client = client_for(app, world.manager)
    client.post(URL, data={"selected": ticked(three[0], foreign)})
    db.session.expire_all()
    assert db.session.get(LeaveRequest, three[0].id).status == "manager_approved"
    again = db.session.get(LeaveRequest, foreign.id)
    assert again.status == "submitted" and again.version == version and transitions_of(foreign) == []
    summary = text(client.get("/conges/a-approuver"))
    assert f"La demande no {foreign.id} n'a pas été approuvée : vous n'en décidez pas." in summary
    assert foreign.reference not in summary


def test_a_missing_request_is_reported_and_the_others_approved(app, world, three):
    client = client_for(app, world.manager)
    client.post(URL, data={"selected": [*ticked(three[0]), "99999999:1"]})
    db.session.expire_all()
    assert db.session.get(LeaveRequest, three[0].id).status == "manager_approved"
    assert "La demande no 99999999 n'a pas été approuvée" in text(client.get("/conges/a-approuver"))


@pytest.mark.parametrize(
    ("selected", "message"),
    [
        ([], "Cochez au moins une demande."),
        (["1:x"], "La sélection n'a pu être lue"),
        (["1:2:3"], "La sélection n'a pu être lue"),
        (["99999999999:1"], "La sélection n'a pu être lue"),
        (["-1:1"], "La sélection n'a pu être lue"),
        ([f"{n}:1" for n in range(1, 22)], "Approuvez au plus 20 demandes à la fois"),
    ],
)
def test_an_unreadable_or_too_large_selection_changes_nothing(app, world, three, selected, message):
    selected = [f"{three[0].id}:{three[0].version}", *selected] if selected and len(selected) < 21 else selected
    before = db.session.scalar(select(func.count(Transition.id)))
    response = client_for(app, world.manager).post(URL, data={"selected": selected})
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.scalar(select(func.count(Transition.id))) == before


def test_someone_without_a_queue_is_refused(app, world, three):
    response = client_for(app, world.colleague).post(URL, data={"selected": ticked(three[0])})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(LeaveRequest, three[0].id).status == "submitted"


def test_a_get_of_the_bulk_address_changes_nothing(app, world, three):
    assert client_for(app, world.manager).get(URL).status_code == 405


def test_a_comment_too_long_is_refused_next_to_it_and_nothing_is_approved(app, world, three):
    response = client_for(app, world.manager).post(URL, data={"selected": ticked(*three), "comment": "x" * 5001})
    assert response.status_code == 422
    assert 'id="comment-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert {db.session.get(LeaveRequest, req.id).status for req in three} == {"submitted"}


def test_a_delegate_approves_on_behalf_of_the_manager(app, world, three):
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    client_for(app, world.delegate).post(URL, data={"selected": ticked(*three[:2])})
    for req in three[:2]:
        (transition,) = transitions_of(req)
        assert transition.actor_id == world.delegate.id and transition.on_behalf_of_id == world.manager.id
