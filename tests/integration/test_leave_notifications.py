"""Each action queues a notification and an e-mail for the next actor and for the applicant of every decision,
in the recipient's language, with a link to the request."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.database import montreal_today
from app.core.notifications import Notification, OutboxEmail
from app.extensions import db
from tests.factories import client_for, delegate, make_request, make_user


@pytest.fixture
def as_(app):
    return lambda user: client_for(app, user)


def inbox(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).filter_by(recipient_id=user.id).order_by(Notification.id)))


def test_submitting_notifies_the_manager_and_the_delegate_in_period(world, as_):
    today = montreal_today()
    delegate(world.manager, world.delegate, today, today + timedelta(days=3))
    req = make_request(world, "draft")
    as_(world.applicant).post(f"/conges/{req.id}/soumettre", data={})
    [to_manager] = inbox(world.manager)
    assert to_manager.subject == f"La demande {req.reference} attend votre décision"
    assert to_manager.link == f"/conges/{req.id}"
    [to_delegate] = inbox(world.delegate)
    assert "comme délégué de Bernard Lachance" in to_delegate.body
    assert inbox(world.applicant) == []
    email = db.session.scalar(select(OutboxEmail).filter_by(to_address=world.manager.email))
    assert email.subject == to_manager.subject
    assert f"/conges/{req.id}" in email.body


def test_manager_approval_notifies_the_applicant_and_every_bri_officer_in_their_language(world, as_):
    req = make_request(world, "submitted")
    as_(world.manager).post(f"/conges/{req.id}/gestionnaire/approuver", data={})
    [to_applicant] = inbox(world.applicant)
    assert to_applicant.subject == f"Votre demande {req.reference} : Approuvée par le gestionnaire"
    [to_bri] = inbox(world.bri)
    assert to_bri.subject == f"La demande {req.reference} attend le BRI"
    [to_bri2] = inbox(world.bri2)  # Mireille Okafor reads English
    assert to_bri2.subject == f"Request {req.reference} waits for the BRI"
    assert "$2,000.00 asked" in to_bri2.body
    email = db.session.scalar(select(OutboxEmail).filter_by(notification_id=to_bri2.id))
    assert email.body.startswith("Hello Mireille Okafor,\n\nThe manager approved")
    assert inbox(world.manager) == []


@pytest.mark.parametrize(
    ("status", "url", "who", "label"),
    [
        ("submitted", "gestionnaire/refuser", "manager", "Refusée par le gestionnaire"),
        ("submitted", "gestionnaire/modifications", "manager", "Modifications demandées par le gestionnaire"),
        ("manager_approved", "bri/approuver", "bri", "Approuvée par le BRI"),
        ("manager_approved", "bri/refuser", "bri", "Refusée par le BRI"),
        ("manager_approved", "bri/modifications", "bri", "Modifications demandées par le BRI"),
        ("approved", "annuler", "bri", "Annulée par le BRI"),
    ],
)
def test_every_decision_notifies_the_applicant_with_the_comment(world, as_, status, url, who, label):
    req = make_request(world, status)
    already = len(inbox(world.applicant))
    response = as_(getattr(world, who)).post(f"/conges/{req.id}/{url}", data={"comment": "Voici pourquoi."})
    assert response.status_code == 303
    latest = inbox(world.applicant)[already:]
    assert [n.subject for n in latest] == [f"Votre demande {req.reference} : {label}"]
    assert "Voici pourquoi." in latest[0].body


def test_cancelling_also_informs_the_manager(world, as_):
    req = make_request(world, "approved")
    as_(world.bri).post(f"/conges/{req.id}/annuler", data={"comment": "Avis aux voyageurs"})
    assert [n.subject for n in inbox(world.manager)] == [f"Mission {req.reference} annulée"]


def test_withdrawing_after_manager_approval_informs_the_manager_and_the_bri(world, as_):
    req = make_request(world, "manager_approved")
    before_bri = len(inbox(world.bri))
    as_(world.applicant).post(f"/conges/{req.id}/retirer", data={})
    assert [n.subject for n in inbox(world.manager)][-1] == f"Demande {req.reference} retirée"
    assert len(inbox(world.bri)) == before_bri + 1


def test_withdrawing_a_draft_notifies_nobody(world, as_):
    req = make_request(world, "draft")
    as_(world.applicant).post(f"/conges/{req.id}/retirer", data={})
    assert db.session.scalar(select(Notification)) is None


def test_a_refused_action_queues_nothing(world, as_):
    req = make_request(world, "submitted")
    as_(world.manager).post(f"/conges/{req.id}/gestionnaire/refuser", data={"comment": ""})
    assert db.session.scalar(select(Notification)) is None
    assert db.session.scalar(select(OutboxEmail)) is None


def test_inactive_bri_officers_are_not_notified(world, as_):
    retired = make_user(roles=("employee", "bri"), active=False)
    req = make_request(world, "submitted")
    as_(world.manager).post(f"/conges/{req.id}/gestionnaire/approuver", data={})
    assert inbox(retired) == []
