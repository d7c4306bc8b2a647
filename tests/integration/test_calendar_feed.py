"""Each person's calendar feed: its page, its renewal (the old address stops), and the ICS parsed back."""

import re
from datetime import date, timedelta

import icalendar
import pytest

from app.calendars.models import CalendarFeed
from app.core.database import montreal_today
from app.extensions import db
from tests.factories import client_for, text


def _new_address(client) -> str:
    response = client.post("/calendrier/abonnement/renouveler")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/calendrier/abonnement")
    page = client.get("/calendrier/abonnement").get_data(as_text=True)
    found = re.search(r'value="(http://[^"]+\.ics)"', page)
    assert found, page
    return found.group(1).removeprefix("http://localhost")


def _events(response) -> dict:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def soon(world, make_mission):
    """The applicant approved and the colleague pending, both within the feed's window."""
    start = montreal_today() + timedelta(days=60)
    return {
        "approved": make_mission("approved", start=start, end=start + timedelta(days=11), year=start.year),
        "pending": make_mission(
            "submitted", applicant=world.colleague, start=start, end=start + timedelta(days=4), year=start.year
        ),
    }


def test_the_feed_page_shows_the_new_address_once(app, world):
    client = client_for(app, world.applicant)
    assert 'data-testid="feed-none"' in client.get("/calendrier/abonnement").get_data(as_text=True)
    _new_address(client)
    page = client.get("/calendrier/abonnement").get_data(as_text=True)
    assert ".ics" not in page and 'data-testid="feed-active"' in page


def test_only_a_digest_of_the_token_is_stored(app, world):
    path = _new_address(client_for(app, world.applicant))
    token = path.removeprefix("/calendrier/").removesuffix(".ics")
    stored = db.session.query(CalendarFeed).one()
    assert stored.user_id == world.applicant.id and token not in stored.token_digest and len(stored.token_digest) == 64


def test_a_managers_feed_holds_their_teams_missions_as_all_day_events(app, world, soon):
    path = _new_address(client_for(app, world.manager))
    events = _events(app.test_client().get(path))
    approved, pending = soon["approved"], soon["pending"]
    assert set(events) == {
        f"{approved.reference}@conges-solidaires.montreal",
        f"{pending.reference}@conges-solidaires.montreal",
    }
    event = events[f"{approved.reference}@conges-solidaires.montreal"]
    assert event["DTSTART"].dt == approved.start_date and not hasattr(event["DTSTART"].dt, "hour")
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event["DTEND"].dt == approved.end_date + timedelta(days=1)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Éloïse Tremblay en mission (Haïti)"
    assert approved.reference in str(event["DESCRIPTION"]) and "Statut\u00a0: Approuvée" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/conges/{approved.id}")
    tentative = events[f"{pending.reference}@conges-solidaires.montreal"]
    assert str(tentative["STATUS"]) == "TENTATIVE"
    assert str(tentative["SUMMARY"]) == "Nadia Ferland, mission en attente (Haïti)"


def test_the_uid_is_stable_from_one_reading_to_the_next(app, world, soon):
    path = _new_address(client_for(app, world.manager))
    assert set(_events(app.test_client().get(path))) == set(_events(app.test_client().get(path)))


def test_an_employees_feed_holds_their_own_missions_in_their_language(app, world, soon):
    world.applicant.language = "en"
    db.session.commit()
    path = _new_address(client_for(app, world.applicant))
    events = list(_events(app.test_client().get(path)).values())
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "On mission (Haiti)"
    assert "Status: Approved" in str(events[0]["DESCRIPTION"])


def test_the_feed_leaves_out_what_is_outside_its_window(app, world, make_mission):
    make_mission("approved", start=date(2020, 3, 2), end=date(2020, 3, 13))
    path = _new_address(client_for(app, world.applicant))
    assert _events(app.test_client().get(path)) == {}


def test_renewing_makes_the_old_address_answer_404(app, world, soon):
    client = client_for(app, world.applicant)
    old = _new_address(client)
    new = _new_address(client)
    assert old != new
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 200, "../../etc/passwd", "%00", "' OR 1=1 --", "é" * 30])
def test_a_wrong_token_is_404_and_says_nothing(app, world, token):
    _new_address(client_for(app, world.applicant))
    response = app.test_client().get(f"/calendrier/{token}.ics")
    assert response.status_code in (404, 400)
    assert world.applicant.full_name not in text(response)


def test_the_feed_of_a_deactivated_person_is_404(app, world):
    path = _new_address(client_for(app, world.applicant))
    world.applicant.active = False
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_renewing_is_a_post_and_needs_to_be_signed_in(app, world):
    assert app.test_client().post("/calendrier/abonnement/renouveler").status_code == 302
    assert client_for(app, world.applicant).get("/calendrier/abonnement/renouveler").status_code == 405


def test_the_first_of_a_month_is_an_ordinal_in_french(app):
    from flask_babel import force_locale

    from app.calendars.feeds import _long_date

    with app.test_request_context():
        with force_locale("fr_CA"):
            assert _long_date(date(2027, 3, 1)) == "1er mars 2027"
            assert _long_date(date(2027, 3, 11)) == "11 mars 2027"
        with force_locale("en_CA"):
            assert _long_date(date(2027, 3, 1)) == "March 1, 2027"


def test_a_renewal_that_lost_the_race_to_create_the_feed_updates_it(app, world):
    from app.calendars import services
    from app.calendars.queries import feed_owner

    first = services.renew_feed(world.applicant, world.applicant)
    db.session.commit()
    # As if the second request had read "no feed yet" before the first one committed.
    real_scalar = db.session.scalar
    calls = []

    def stale_scalar(statement, *args, **kwargs):
        calls.append(statement)
        return None if len(calls) == 1 else real_scalar(statement, *args, **kwargs)

    db.session.scalar = stale_scalar
    try:
        second = services.renew_feed(world.applicant, world.applicant)
    finally:
        del db.session.scalar
    db.session.commit()
    assert db.session.query(CalendarFeed).count() == 1
    assert feed_owner(first) is None and feed_owner(second) == world.applicant
