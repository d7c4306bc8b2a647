"""A notification stores what happened (its kind and params): the notifications page, the navigation's menu and the
e-mail write it in the language the reader prefers when they read it, not the one of the day it was queued."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.core.notifications import Notification
from app.core.outbox import SmtpLink, send_outbox
from app.extensions import db
from tests.factories import client_for, make_request

SUBJECTS = {
    "fr": "Votre demande {ref} : Approuvée par le gestionnaire",
    "en": "Your request {ref}: Approved by the manager",
}
GREETINGS = {"fr": "Bonjour", "en": "Hello"}
BODIES = {"fr": "Son statut est maintenant : En attente du BRI.", "en": "Its status is now: Waiting for the BRI."}


def _menu_entry(page: str) -> str:
    found = re.search(r'data-testid="notifications-menu-latest">([^<]*)</a>', page)
    assert found, "the navigation's menu shows the newest unread notification"
    return unescape(found.group(1)).strip()


@pytest.fixture
def approved_while(app, world):
    """The manager approves a request while the applicant's profile says ``language``; returns the request."""

    def approve(language: str):
        world.applicant.language = language
        db.session.commit()
        req = make_request(world, "submitted")
        assert client_for(app, world.manager).post(f"/conges/{req.id}/gestionnaire/approuver").status_code == 303
        return req

    return approve


@pytest.mark.parametrize(("written_in", "read_in"), [("fr", "en"), ("en", "fr")])
def test_the_page_and_the_menu_speak_the_readers_language_of_now(app, world, approved_while, written_in, read_in):
    req = approved_while(written_in)
    db.session.expire_all()
    note = db.session.scalars(select(Notification).filter_by(recipient_id=world.applicant.id)).one()
    assert note.kind == "leave/decision" and note.params["ref"] == req.reference
    assert note.subject == SUBJECTS[written_in].format(ref=req.reference)  # the fallback, as it was queued

    world.applicant.language = read_in
    db.session.commit()
    page = unescape(client_for(app, world.applicant).get("/notifications").get_data(as_text=True))
    assert SUBJECTS[read_in].format(ref=req.reference) in page
    assert BODIES[read_in] in page
    assert SUBJECTS[written_in].format(ref=req.reference) not in page
    assert _menu_entry(page) == SUBJECTS[read_in].format(ref=req.reference)


@pytest.mark.parametrize(("written_in", "read_in"), [("fr", "en"), ("en", "fr")])
def test_the_email_is_written_in_the_recipients_language_when_it_is_sent(
    world, approved_while, monkeypatch, written_in, read_in
):
    sent = []
    monkeypatch.setattr(SmtpLink, "send", lambda self, message: sent.append(message))
    req = approved_while(written_in)
    world.applicant.language = read_in
    db.session.commit()
    send_outbox()
    [message] = [m for m in sent if m["To"] == world.applicant.email]
    assert message["Subject"] == SUBJECTS[read_in].format(ref=req.reference)
    body = message.get_content()
    assert body.startswith(f"{GREETINGS[read_in]} {world.applicant.full_name},")
    assert BODIES[read_in] in body
    assert body.rstrip().endswith(f"/conges/{req.id}")


def test_a_notification_without_kind_shows_its_stored_text(app, world):
    """Rows written before the kinds existed (migration 0016) keep their text."""
    db.session.add(Notification(recipient=world.applicant, subject="Ancienne nouvelle", body="Texte d'origine."))
    db.session.commit()
    world.applicant.language = "en"
    db.session.commit()
    page = unescape(client_for(app, world.applicant).get("/notifications").get_data(as_text=True))
    assert "Ancienne nouvelle" in page and "Texte d'origine." in page
    assert _menu_entry(page) == "Ancienne nouvelle"


def test_params_a_renderer_cannot_read_fall_back_to_the_stored_text(app, world):
    db.session.add(
        Notification(
            recipient=world.applicant,
            kind="leave/decision",
            params={"ref": "CS-2027-0001"},
            subject="Sujet",
            body="Corps",
        )
    )
    db.session.commit()
    page = unescape(client_for(app, world.applicant).get("/notifications").get_data(as_text=True))
    assert "Sujet" in page and "Corps" in page
