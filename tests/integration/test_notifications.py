"""In-app notifications: the list, marking read, the unread count in the navigation, the recipient's language."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.core.database import utcnow
from app.core.notification_texts import NotificationText, cad, country
from app.core.notifications import Notification, OutboxEmail, notify
from app.core.registry import registry_of
from tests.factories import page_link


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _hello(params):
    """A translated string and Babel-formatted values, to see the recipient's language."""
    from flask_babel import gettext as _

    return NotificationText(
        f"{_('Solidarity leaves')} – {country(params['country_code'])}", f"{params['name']}: {cad(params['amount'])}"
    )


@pytest.fixture
def email_templates(app, monkeypatch):
    """A test-only kind of notification, beside the real ones (nothing test-only lives in app/)."""
    monkeypatch.setitem(registry_of(app).notification_kinds, "testing/hello", _hello)


@pytest.fixture
def make_notification(db):
    def make(recipient, subject="Demande CS-2027-0001 approuvée", link="/", read=False, age_minutes=0):
        notification = Notification(
            recipient=recipient,
            subject=subject,
            body=f"Corps de « {subject} ».",
            link=link,
            created_at=utcnow() - timedelta(minutes=age_minutes),
            read_at=utcnow() if read else None,
        )
        db.session.add(notification)
        db.session.commit()
        return notification

    return make


def test_the_list_shows_my_notifications_newest_first_with_unread_marked_by_text(
    client, login, make_user, make_notification
):
    me, other = make_user(), make_user()
    make_notification(me, "Ancienne nouvelle", read=True, age_minutes=60)
    make_notification(me, "Nouvelle récente", age_minutes=1)
    make_notification(other, "Secret d'un autre")
    login(me)
    page = text(client.get("/notifications"))
    assert page.index("Nouvelle récente") < page.index("Ancienne nouvelle")
    assert "Secret d'un autre" not in page
    assert page.count(">Non lue<") == 1
    assert "Vous avez 1 notification non lue." in page
    assert "Tout marquer comme lu" in page


def test_the_list_is_paginated_and_has_an_empty_state(client, login, make_user, make_notification):
    me = make_user()
    login(me)
    assert "Aucune notification pour l'instant." in text(client.get("/notifications"))
    for n in range(25):
        make_notification(me, f"Nouvelle {n:02d}", age_minutes=100 - n)
    response = client.get("/notifications")
    first = text(response)
    second = text(client.get(page_link(response)))
    assert "Nouvelle 24" in first and "Nouvelle 00" not in first
    assert "Nouvelle 00" in second
    assert "25 résultats" in first


def test_anonymous_users_are_sent_to_login(client):
    for method, url in [
        ("GET", "/notifications"),
        ("POST", "/notifications/1/lire"),
        ("POST", "/notifications/tout-lire"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/compte/connexion")


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, login, make_user, make_notification, db):
    me = make_user()
    notification = make_notification(me, link="/conges/demandes/42")
    login(me)
    response = client.post(f"/notifications/{notification.id}/lire")
    assert response.status_code == 303
    assert response.headers["Location"] == "/conges/demandes/42"
    db.session.expire_all()
    read_at = db.session.get(Notification, notification.id).read_at
    assert read_at is not None
    # Reading it again changes nothing.
    assert client.post(f"/notifications/{notification.id}/lire").status_code == 303
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at == read_at


@pytest.mark.parametrize("link", ["https://evil.example/phish", "//evil.example/", None, "javascript:alert(1)"])
def test_a_link_leading_outside_is_not_followed(client, login, make_user, make_notification, link):
    me = make_user()
    notification = make_notification(me, link=link)
    login(me)
    response = client.post(f"/notifications/{notification.id}/lire")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"


def test_another_users_notification_is_404_and_stays_unread(client, login, make_user, make_notification, db):
    me, other = make_user(), make_user()
    theirs = make_notification(other)
    login(me)
    assert client.post(f"/notifications/{theirs.id}/lire").status_code == 404
    assert client.post("/notifications/999999/lire").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_read_touches_only_my_notifications(client, login, make_user, make_notification, db):
    me, other = make_user(), make_user()
    for _ in range(3):
        make_notification(me)
    theirs = make_notification(other)
    login(me)
    response = client.post("/notifications/tout-lire")
    assert response.status_code == 303
    assert "3 notifications marquées comme lues." in text(client.get(response.headers["Location"]))
    unread = db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert [n.id for n in unread] == [theirs.id]
    assert "Vous n'aviez aucune notification non lue." in text(
        client.post("/notifications/tout-lire", follow_redirects=True)
    )


@pytest.mark.parametrize("url", ["/notifications/1/lire", "/notifications/tout-lire"])
def test_get_on_an_action_is_405(client, login, make_user, make_notification, url):
    me = make_user()
    make_notification(me)
    login(me)
    assert client.get(url).status_code == 405


def test_the_navigation_shows_the_unread_count_with_text_for_screen_readers(
    client, login, make_user, make_notification
):
    me = make_user()
    login(me)
    page = text(client.get("/"))
    assert 'href="/notifications"' in page
    assert "non lue" not in page
    for _ in range(3):
        make_notification(me)
    make_notification(me, read=True)
    page = text(client.get("/"))
    assert re.search(r'aria-hidden="true">3</span>', page)
    assert '<span class="visually-hidden">(3 notifications non lues)</span>' in page


def test_the_unread_count_costs_one_query_per_page(client, login, make_user, make_notification, count_queries):
    me = make_user()
    for _ in range(5):
        make_notification(me)
    login(me)
    with count_queries() as statements:
        client.get("/notifications")
    counts = [s for s in statements if "count(notification.id)" in s.lower()]
    assert len(counts) == 1


def test_the_link_is_not_shown_to_anonymous_visitors(client):
    page = text(client.get("/compte/connexion"))
    assert 'href="/notifications"' not in page


@pytest.mark.parametrize(
    ("language", "subject", "amount"),
    [("fr", "Congés solidaires – Haïti", "1\xa0234,50\xa0$"), ("en", "Solidarity leaves – Haiti", "$1,234.50")],
)
def test_notify_writes_in_the_recipients_language(email_templates, make_user, db, language, subject, amount):
    recipient = make_user(language=language, full_name="Minh Tran")
    notification = notify(
        recipient, "testing/hello", link="/conges/demandes/7", country_code="HT", amount="1234.5", name="Minh Tran"
    )
    db.session.commit()
    assert notification.subject == subject
    assert notification.body == f"Minh Tran: {amount}"
    assert notification.link == "/conges/demandes/7"
    email = db.session.scalars(select(OutboxEmail)).one()
    assert email.to_address == recipient.email
    assert email.subject == subject
    assert f"\n\nMinh Tran: {amount}\n\n" in email.body
    assert email.body.endswith("/conges/demandes/7")
    assert email.sent_at is None


def test_an_inactive_recipient_gets_the_notification_but_no_email(email_templates, make_user, db):
    recipient = make_user(active=False)
    notify(recipient, "testing/hello", country_code="SN", amount="1", name="Minh")
    db.session.commit()
    assert db.session.scalars(select(Notification)).one().subject.endswith("Sénégal")
    assert db.session.scalars(select(OutboxEmail)).all() == []
