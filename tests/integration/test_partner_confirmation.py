"""The host partner confirms the mission: the BRI sends a signed link to one of the partner's contacts (or the
application does, at the manager's approval), the contact answers on a page without an account, once, before the
link expires; or the BRI records a confirmation received by other means. Each step is one staying Transition."""

import hashlib
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import create_app
from app.accounts.models import UserSession
from app.core.database import utcnow
from app.core.notifications import Notification, OutboxEmail
from app.extensions import db
from app.leave.models import LeaveRequest, PartnerConfirmation, Transition
from app.leave.services import partners
from tests.conftest import IsolatedClient
from tests.factories import client_for, make_contact, make_partner, make_request, make_user, text

LINK = re.compile(r"/partenaire/confirmation/([A-Za-z0-9_-]{43})")
DECLINE = "Nous ne pouvons pas accueillir de mission en mars : élections municipales."


@pytest.fixture
def partner(db):
    return make_partner("Mairie de Jacmel", city="Jacmel")


@pytest.fixture
def contact(partner):
    return make_contact(partner, language="en", name="Jean-Robert Pierre", email="jr.pierre@jacmel.example")


@pytest.fixture
def req(world, partner):
    return make_request(
        world,
        "manager_approved",
        partner=partner,
        objectives="Accompagner la mairie dans son plan de gestion des déchets.",
        expertise="Collecte sélective et compostage municipal",
    )


def _count(model, **filters) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def _history(req) -> list[Transition]:
    db.session.expire_all()
    return list(db.session.scalars(select(Transition).filter_by(request_id=req.id).order_by(Transition.id)))


def send(app, world, req, contact, actor=None, version=None):
    client = client_for(app, actor or world.bri)
    data = {"partner_ask-contact_id": contact.id, "partner_ask-version": req.version if version is None else version}
    return client.post(f"/conges/{req.id}/partenaire/demander", data=data)


def sent_token(contact) -> str:
    db.session.expire_all()
    email = db.session.scalars(
        select(OutboxEmail).filter_by(to_address=contact.email).order_by(OutboxEmail.id.desc())
    ).first()
    return LINK.search(email.body).group(1)


def record(comment: str, version: int) -> dict:
    return {"partner_record-comment": comment, "partner_record-version": version}


@pytest.fixture
def token(app, world, req, contact):
    assert send(app, world, req, contact).status_code == 303
    return sent_token(contact)


# Sending the link -------------------------------------------------------------------------------------------------


def test_the_bri_sends_the_link_in_the_contacts_language_and_keeps_only_its_digest(app, world, req, contact):
    response = send(app, world, req, contact)
    assert response.status_code == 303
    [email] = db.session.scalars(select(OutboxEmail).filter_by(to_address="jr.pierre@jacmel.example")).all()
    assert email.subject == f"Solidarity mission {req.reference}: please confirm"
    assert email.body.startswith("Hello Jean-Robert Pierre,")
    token = LINK.search(email.body).group(1)
    [row] = db.session.scalars(select(PartnerConfirmation)).all()
    assert row.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str([getattr(row, c.key) for c in PartnerConfirmation.__table__.columns])
    assert (row.contact_name, row.contact_email, row.language, row.sent_by_id) == (
        "Jean-Robert Pierre",
        "jr.pierre@jacmel.example",
        "en",
        world.bri.id,
    )
    assert timedelta(days=13, hours=23) < row.expires_at - row.sent_at <= timedelta(days=14)
    last = _history(req)[-1]
    assert (last.action, last.from_status, last.to_status, last.actor_id) == (
        "request_partner_confirmation",
        "manager_approved",
        "manager_approved",
        world.bri.id,
    )


def test_a_french_contact_gets_the_email_in_french(app, world, req, partner):
    french = make_contact(partner, language="fr", email="maire@jacmel.example")
    assert send(app, world, req, french).status_code == 303
    [email] = db.session.scalars(select(OutboxEmail).filter_by(to_address="maire@jacmel.example")).all()
    assert email.subject == f"Mission solidaire {req.reference}\u00a0: merci de confirmer"
    assert "Bonjour" in email.body
    assert "une mission solidaire d'Éloïse Tremblay auprès de votre organisation" in email.body  # the elision


def test_the_expiry_is_configurable(app, world, req, contact, monkeypatch):
    monkeypatch.setitem(app.config, "PARTNER_CONFIRMATION_DAYS", 3)
    assert send(app, world, req, contact).status_code == 303
    row = db.session.scalars(select(PartnerConfirmation)).one()
    assert row.expires_at - row.sent_at == timedelta(days=3)


@pytest.mark.parametrize("who", ["applicant", "manager", "colleague", "admin"])
def test_only_the_bri_sends_or_records(app, world, req, contact, who):
    client = client_for(app, getattr(world, who))
    asked = client.post(f"/conges/{req.id}/partenaire/demander", data={"partner_ask-contact_id": contact.id})
    recorded = client.post(f"/conges/{req.id}/partenaire/consigner", data=record("Par courriel.", req.version))
    assert asked.status_code == recorded.status_code == 403
    assert _count(PartnerConfirmation) == 0 and _count(OutboxEmail, to_address=contact.email) == 0
    assert 'data-testid="partner-ask"' not in client.get(f"/conges/{req.id}").get_data(as_text=True)


def test_a_bri_officer_never_asks_for_their_own_request(app, world, partner):
    officer = make_user(roles=("employee", "bri"), manager=world.manager)
    own = make_request(world, "manager_approved", applicant=officer, partner=partner)
    contact = make_contact(partner)
    assert send(app, world, own, contact, actor=officer).status_code == 403


def test_the_link_goes_to_an_active_contact_of_the_requests_partner_only(app, world, req, partner):
    other = make_contact(make_partner("Mairie de Léogâne"))
    inactive = make_contact(partner, active=False)
    for contact in (other, inactive):
        response = send(app, world, req, contact)
        assert response.status_code == 422
        assert "Choisissez l'un des contacts actifs du partenaire d'accueil." in text(response)
    assert _count(PartnerConfirmation) == 0


@pytest.mark.parametrize("status", ["submitted", "changes_requested", "in_mission", "rejected", "withdrawn"])
def test_the_link_is_sent_only_after_the_managers_approval_and_before_the_mission(app, world, partner, status):
    req = make_request(world, status, partner=partner)
    contact = make_contact(partner)
    response = send(app, world, req, contact)
    assert response.status_code == 409
    assert _count(PartnerConfirmation) == 0


def test_a_stale_bri_page_is_a_409_and_sends_nothing(app, world, req, contact):
    response = send(app, world, req, contact, version=req.version - 1)
    assert response.status_code == 409
    assert _count(PartnerConfirmation) == 0 and _count(OutboxEmail, to_address=contact.email) == 0


def test_a_new_link_replaces_the_previous_one(app, world, req, contact, token, client):
    db.session.refresh(req)
    assert send(app, world, req, contact).status_code == 303
    newer = sent_token(contact)
    assert newer != token
    assert client.get(f"/partenaire/confirmation/{token}").status_code == 410
    assert client.get(f"/partenaire/confirmation/{newer}").status_code == 200


# The partner's page -------------------------------------------------------------------------------------------------


def test_the_page_shows_the_mission_in_the_contacts_language_and_opens_no_session(client, req, token):
    sessions_before = _count(UserSession)  # the BRI officer's, who sent the link
    response = client.get(f"/partenaire/confirmation/{token}")
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="en">' in page and f"Confirm the mission {req.reference}" in page
    assert "Collecte sélective et compostage municipal" in page
    assert "Accompagner la mairie dans son plan de gestion des déchets." in page
    assert req.start_date.strftime("%B") in page  # the dates, in English
    assert "2,000" not in page and "Bernard Lachance" not in page  # neither the costs nor the manager
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    french = text(client.get(f"/partenaire/confirmation/{token}?lang=fr"))
    assert '<html lang="fr">' in french and f"Confirmer la mission {req.reference}" in french
    assert _count(UserSession) == sessions_before
    with client.session_transaction() as session:
        assert "_user_id" not in session and "lang" not in session


ALTERATIONS = {
    "one character changed": lambda t: t[:10] + ("A" if t[10] != "A" else "B") + t[11:],
    "truncated": lambda t: t[:-1],
    "extended": lambda t: t + "x",
    "NUL byte appended": lambda t: t + "%00",
    "NUL byte inside": lambda t: t[:20] + "%00" + t[21:],
    "other alphabet": lambda t: t[:-1] + "é",
}


@pytest.mark.parametrize("alter", ALTERATIONS.values(), ids=ALTERATIONS.keys())
def test_an_altered_link_opens_nothing_and_says_so(client, req, token, alter):
    for method in (client.get, client.post):
        response = method(f"/partenaire/confirmation/{alter(token)}", data={"answer": "confirmed"})
        assert response.status_code == 404
        page = text(response)
        assert "Ce lien n'est pas valide" in page
        assert req.reference not in page and "Jacmel" not in page
    assert _count(Transition, action="partner_confirm") == 0


def test_an_expired_link_is_gone(client, req, token):
    db.session.execute(update(PartnerConfirmation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get(f"/partenaire/confirmation/{token}")
    assert response.status_code == 410
    assert "This link can no longer be used" in text(response) and req.reference not in text(response)
    assert client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed"}).status_code == 410
    assert _count(Transition, action="partner_confirm") == 0


def test_a_link_of_a_withdrawn_request_is_gone(app, world, req, client, token):
    db.session.refresh(req)
    response = client_for(app, world.applicant).post(f"/conges/{req.id}/retirer", data={"version": req.version})
    assert response.status_code == 303
    assert client.get(f"/partenaire/confirmation/{token}").status_code == 410


# The answer -----------------------------------------------------------------------------------------------------------


def test_the_partner_confirms_once_recorded_as_the_partner_and_told_after_the_commit(app, world, req, client, token):
    response = client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed", "comment": "Bienvenue"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/partenaire/merci")
    assert "Your answer is recorded" in text(client.get(response.headers["Location"]))
    answer = _history(req)[-1]
    assert (answer.action, answer.from_status, answer.to_status) == (
        "partner_confirm",
        "manager_approved",
        "manager_approved",
    )
    assert answer.actor_id is None and (answer.actor_name, answer.actor_email) == (
        "Jean-Robert Pierre",
        "jr.pierre@jacmel.example",
    )
    row = db.session.scalars(select(PartnerConfirmation)).one()
    assert row.used and row.answer == "confirmed" and row.answered_at is not None and row.comment == "Bienvenue"
    notes = db.session.scalars(select(Notification).filter_by(kind="leave/partner_answered"))
    told = {n.recipient_id: n for n in notes}
    assert set(told) == {world.applicant.id, world.bri.id, world.bri2.id}
    assert told[world.bri.id].subject == f"Mission {req.reference} confirmée par le partenaire d'accueil"
    assert told[world.bri2.id].subject == f"Mission {req.reference} confirmed by the host partner"
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert "par Jean-Robert Pierre (jr.pierre@jacmel.example), partenaire d'accueil" in page
    assert 'data-state="confirmed"' in page and "Confirmée le" in page
    # Used: the link opens nothing any more.
    assert client.get(f"/partenaire/confirmation/{token}").status_code == 410
    again = client.post(f"/partenaire/confirmation/{token}", data={"answer": "declined", "comment": "x"})
    assert again.status_code == 410
    assert _count(Transition, action="partner_confirm") == 1 and _count(Transition, action="partner_decline") == 0


def test_declining_needs_a_comment(client, req, token):
    response = client.post(f"/partenaire/confirmation/{token}", data={"answer": "declined", "comment": "  "})
    assert response.status_code == 422
    assert 'id="comment-error"' in response.get_data(as_text=True) and "Say why the mission is declined." in text(
        response
    )
    assert _count(Transition, action="partner_decline") == 0
    assert not db.session.scalars(select(PartnerConfirmation)).one().used


def test_an_answer_must_be_chosen(client, token):
    response = client.post(f"/partenaire/confirmation/{token}", data={"comment": "Peut-être"})
    assert response.status_code == 422 and 'id="answer-error"' in response.get_data(as_text=True)


def test_the_partner_declines_with_its_reason_shown_on_the_bri_panel(app, world, req, client, token):
    response = client.post(f"/partenaire/confirmation/{token}", data={"answer": "declined", "comment": DECLINE})
    assert response.status_code == 303
    last = _history(req)[-1]
    assert (last.action, last.comment, last.actor_name) == ("partner_decline", DECLINE, "Jean-Robert Pierre")
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert 'data-state="declined"' in page and DECLINE in page and "Déclinée le" in page
    notes = db.session.scalars(select(Notification).filter_by(kind="leave/partner_answered")).all()
    assert {n.params["answer"] for n in notes} == {"declined"} and len(notes) == 3
    # The comment's label is in the reader's language too (it was English in every e-mail).
    [email] = db.session.scalars(select(OutboxEmail).filter_by(to_address=world.applicant.email)).all()
    assert f"Commentaire\u00a0: {DECLINE}" in email.body


def test_an_answer_that_comes_second_is_a_409_and_records_nothing(client, req, token, monkeypatch):
    """Two clicks at once: both found the link open; the second's conditional UPDATE finds it taken."""
    assert client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed"}).status_code == 303
    monkeypatch.setattr(partners, "link_open", lambda *_args, **_kw: True)
    second = client.post(f"/partenaire/confirmation/{token}", data={"answer": "declined", "comment": "Non"})
    assert second.status_code == 409
    assert "an answer is already recorded" in text(second) and req.reference not in text(second)
    assert _count(Transition, action="partner_confirm") == 1 and _count(Transition, action="partner_decline") == 0
    assert db.session.scalars(select(PartnerConfirmation)).one().answer == "confirmed"


def test_the_answer_is_lost_with_its_transaction(app, req, token, monkeypatch):
    """Notifications leave after the commit only: a failure after the answer leaves no answer and no notification."""

    def failing(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr("app.leave.services.partners.after_partner_answer", failing)
    client = app.test_client()
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed"}).status_code == 500
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    assert _count(Transition, action="partner_confirm") == 0
    assert _count(Notification, kind="leave/partner_answered") == 0
    assert not db.session.scalars(select(PartnerConfirmation)).one().used


# The BRI's record ------------------------------------------------------------------------------------------------


def test_the_bri_records_a_confirmation_received_otherwise_and_the_link_stops(app, world, req, client, token):
    bri = client_for(app, world.bri)
    db.session.refresh(req)
    empty = bri.post(f"/conges/{req.id}/partenaire/consigner", data=record(" ", req.version))
    assert empty.status_code == 422 and "Say how the host partner confirmed" not in text(empty)
    assert "Précisez comment le partenaire d'accueil a confirmé la mission." in text(empty)
    comment = "Confirmé par téléphone par le maire, le 3 février."
    response = bri.post(f"/conges/{req.id}/partenaire/consigner", data=record(comment, req.version))
    assert response.status_code == 303
    last = _history(req)[-1]
    assert (last.action, last.actor_id, last.comment, last.from_status, last.to_status) == (
        "record_partner_confirmation",
        world.bri.id,
        comment,
        "manager_approved",
        "manager_approved",
    )
    assert client.get(f"/partenaire/confirmation/{token}").status_code == 410
    [note] = db.session.scalars(select(Notification).filter_by(kind="leave/partner_recorded")).all()
    assert note.recipient_id == world.applicant.id
    page = text(bri.get(f"/conges/{req.id}"))
    assert 'data-state="recorded"' in page and comment in page


def test_a_stale_page_records_nothing(app, world, req, token):
    db.session.refresh(req)
    stale = req.version - 1
    response = client_for(app, world.bri).post(
        f"/conges/{req.id}/partenaire/consigner", data=record("Par courriel.", stale)
    )
    assert response.status_code == 409
    assert _count(Transition, action="record_partner_confirmation") == 0


def test_an_answer_after_the_bri_page_was_loaded_makes_that_page_stale(app, world, req, client, token):
    db.session.refresh(req)
    seen = req.version
    assert client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed"}).status_code == 303
    response = client_for(app, world.bri).post(
        f"/conges/{req.id}/partenaire/consigner", data=record("Par courriel.", seen)
    )
    assert response.status_code == 409
    assert _count(Transition, action="record_partner_confirmation") == 0


# The panel and the automatic sending -----------------------------------------------------------------------------


def test_the_panel_says_pending_and_offers_the_contacts(app, world, req, contact, token):
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert 'data-state="pending"' in page and "En attente" in page and "jr.pierre@jacmel.example" in page
    assert "Jean-Robert Pierre <jr.pierre@jacmel.example>" in page  # the contact offered again


def test_the_panel_tells_when_the_partner_has_no_contact(app, world, partner):
    req = make_request(world, "manager_approved", partner=partner)
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert 'data-state="none"' in page and 'data-testid="partner-no-contact"' in page


def test_the_applicant_sees_where_the_confirmation_stands_without_the_actions(app, world, req, token):
    page = client_for(app, world.applicant).get(f"/conges/{req.id}").get_data(as_text=True)
    assert 'data-state="pending"' in page and 'data-testid="partner-ask"' not in page


def test_the_application_sends_the_link_at_the_managers_approval_when_configured(app, world, partner, monkeypatch):
    make_contact(partner, active=False, email="ancien@jacmel.example")
    first = make_contact(partner, language="fr", email="premier@jacmel.example")
    make_contact(partner, email="second@jacmel.example")
    monkeypatch.setitem(app.config, "PARTNER_CONFIRMATION_AUTO", True)
    req = make_request(world, "submitted", partner=partner)
    response = client_for(app, world.manager).post(
        f"/conges/{req.id}/gestionnaire/approuver", data={"version": req.version}
    )
    assert response.status_code == 303
    row = db.session.scalars(select(PartnerConfirmation)).one()
    assert (row.contact_id, row.sent_by_id) == (first.id, None)
    outside = db.session.scalars(select(OutboxEmail).filter(OutboxEmail.notification_id.is_(None)))
    assert [e.to_address for e in outside] == ["premier@jacmel.example"]
    actions = [t.action for t in _history(req)]
    assert actions[-2:] == ["manager_approve", "request_partner_confirmation"]
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert "par l'application, à l'approbation du gestionnaire" in page


def test_the_application_sends_nothing_by_default(app, world, partner):
    make_contact(partner)
    assert not app.config["PARTNER_CONFIRMATION_AUTO"]
    req = make_request(world, "submitted", partner=partner)
    response = client_for(app, world.manager).post(
        f"/conges/{req.id}/gestionnaire/approuver", data={"version": req.version}
    )
    assert response.status_code == 303
    assert _count(PartnerConfirmation) == 0
    assert db.session.get(LeaveRequest, req.id).status == "manager_approved"


def test_the_partner_panel_costs_one_statement_at_most(app, world, req, contact, token, count_queries):
    """The confirmations come joined to the request's own statement; only the contacts offered cost one more."""
    bri = client_for(app, world.bri)
    bri.get(f"/conges/{req.id}")
    with count_queries() as statements:
        assert bri.get(f"/conges/{req.id}").status_code == 200
    with_panel = len(statements)
    other = make_request(world, "submitted", applicant=make_user(manager=world.manager))
    bri.get(f"/conges/{other.id}")
    with count_queries() as statements:
        assert bri.get(f"/conges/{other.id}").status_code == 200
    assert with_panel <= len(statements) + 1
    assert with_panel <= 8  # tests/integration/test_page_statements.py's budget


# With the CSRF protection of production -----------------------------------------------------------------------


@pytest.fixture
def csrf_app(database_url, upload_dir):
    app = create_app(
        "testing",
        overrides={"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(upload_dir), "WTF_CSRF_ENABLED": True},
    )
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_anonymous_form_carries_a_csrf_token_and_needs_it(csrf_app, token):
    sessions_before = _count(UserSession)
    client = csrf_app.test_client()
    page = client.get(f"/partenaire/confirmation/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed"})
    assert refused.status_code == 400
    assert _count(Transition, action="partner_confirm") == 0
    other = csrf_app.test_client()  # another browser: the token of the first one's cookie is not valid there
    stolen = other.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed", "csrf_token": csrf})
    assert stolen.status_code == 400
    accepted = client.post(f"/partenaire/confirmation/{token}", data={"answer": "confirmed", "csrf_token": csrf})
    assert accepted.status_code == 303
    assert _count(Transition, action="partner_confirm") == 1
    assert _count(UserSession) == sessions_before
    with client.session_transaction() as session:
        # The signed cookie holds the form's token (and Flask-Login's "not fresh" mark), no login.
        assert set(session) <= {"csrf_token", "_fresh"} and not session.get("_fresh")


# Two answers at the same moment, on two connections (PostgreSQL) ---------------------------------------------


def test_two_answers_at_the_same_moment_record_one(app, req, token):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is settled by PostgreSQL row locks: run with TEST_DATABASE_URL=postgresql+psycopg://…")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(answer, comment):
        with app.app_context(), app.test_request_context():
            found = partners.confirmation_by_token(token)
            _ = found.request.applicant, found.request.transitions
            barrier.wait()
            try:
                partners.answer_partner_confirmation(found, answer, comment)
                db.session.commit()
                outcomes.append("ok")
            except partners.ConflictError:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=a) for a in (("confirmed", ""), ("declined", "Non."))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    answers = _count(Transition, action="partner_confirm") + _count(Transition, action="partner_decline")
    assert answers == 1
    assert db.session.scalars(select(PartnerConfirmation)).one().answer in {"confirmed", "declined"}
