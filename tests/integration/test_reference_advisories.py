"""Travel advisories kept by the BRI: who may record them, what is refused (field errors, never a 500), the
append-only history, the reference cache, and who hears of a raise (and nobody of a lowering)."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.core.database import montreal_today
from app.core.notifications import Notification, OutboxEmail
from app.extensions import db
from app.reference.advisories import advisory_of
from app.reference.models import Country, CountryAdvisoryChange
from tests.factories import client_for, make_user, set_advisory


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def _form(level="3", checked_on=None, note_fr="Éviter le Nord-Est.", note_en="Avoid the North-East."):
    return {
        "level": level,
        "checked_on": (checked_on or montreal_today()).isoformat(),
        "note_fr": note_fr,
        "note_en": note_en,
    }


def _history(code="HT") -> list[CountryAdvisoryChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CountryAdvisoryChange)
            .where(CountryAdvisoryChange.country_code == code)
            .order_by(CountryAdvisoryChange.id)
        )
    )


def _notifications(kind: str) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["applicant", "manager", "admin"])
def test_only_the_bri_records_an_advisory(app, world, who):
    client = client_for(app, getattr(world, who))
    assert client.get("/referentiel/pays/HT/avis").status_code == 403
    assert client.post("/referentiel/pays/HT/avis", data=_form()).status_code == 403
    assert client.post("/referentiel/avis/import", data={}).status_code == 403
    assert _history() == []
    assert db.session.get(Country, "HT").advisory_level is None


def test_a_visitor_is_sent_to_the_login_page(client, world):
    response = client.post("/referentiel/pays/HT/avis", data=_form())
    assert response.status_code in (302, 303) and "/compte/connexion" in response.headers["Location"]


def test_the_service_refuses_an_actor_who_is_not_bri(world):
    from app.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        set_advisory("HT", 3, actor=world.admin)
    db.session.rollback()
    assert _history() == []


def test_the_bri_records_an_advisory_and_its_history(app, world):
    client = client_for(app, world.bri)
    response = client.post("/referentiel/pays/HT/avis", data=_form())
    assert response.status_code == 303
    country = db.session.get(Country, "HT")
    assert (country.advisory_level, country.advisory_note_fr) == (3, "Éviter le Nord-Est.")
    [change] = _history()
    assert (change.old_level, change.new_level, change.actor_id, change.source) == (None, 3, world.bri.id, "form")
    page = page_text(client.get("/referentiel/pays/HT/avis"))
    assert "Niveau 3 : Éviter tout voyage non essentiel" in page
    assert 'data-testid="advisory-history"' in page and world.bri.full_name in page


def test_the_same_advisory_again_writes_no_history(app, world):
    client = client_for(app, world.bri)
    client.post("/referentiel/pays/HT/avis", data=_form())
    assert client.post("/referentiel/pays/HT/avis", data=_form()).status_code == 303
    assert len(_history()) == 1


def test_an_advisory_on_a_country_never_recorded_does_not_make_it_eligible(app, world):
    client = client_for(app, world.bri)
    assert client.post("/referentiel/pays/ML/avis", data=_form(level="4")).status_code == 303
    country = db.session.get(Country, "ML")
    assert country.advisory_level == 4 and country.eligible is False


def test_an_unknown_country_code_is_404(app, world):
    assert client_for(app, world.bri).get("/referentiel/pays/XX/avis").status_code == 404


# Validation ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_form(level="5"), "level", "choix valide"),
        (_form(level="0"), "level", "choix valide"),
        (_form(level="trois"), "level", ""),
        (_form(checked_on=montreal_today() + timedelta(days=1)), "checked_on", "ne peut pas être dans le futur"),
        (_form(checked_on=date(1900, 1, 1)), "checked_on", "trop loin dans le passé"),
        ({**_form(), "checked_on": "2026-13-45"}, "checked_on", ""),
        (_form(note_fr="x" * 1001), "note_fr", "1000"),
        (_form(note_en="y" * 1001), "note_en", "1000"),
    ],
)
def test_refused_values_are_field_errors_and_change_nothing(app, world, data, field, message):
    client = client_for(app, world.bri)
    response = client.post("/referentiel/pays/HT/avis", data=data)
    assert response.status_code == 422
    body = page_text(response)
    # The message is tied to its field (aria-describedby), and says what is wrong.
    assert f'id="{field}-error"' in body
    assert message in body
    assert _history() == []
    assert db.session.get(Country, "HT").advisory_level is None


def test_a_nul_byte_is_refused_without_a_500(app, world):
    response = client_for(app, world.bri).post("/referentiel/pays/HT/avis", data=_form(note_fr="Nord\x00Est"))
    assert response.status_code in (400, 422)
    assert _history() == []


def test_the_service_refuses_a_nul_byte_in_a_note_as_a_field_error(world):
    from app.reference.services import ReferenceValidationError

    with pytest.raises(ReferenceValidationError) as refused:
        set_advisory("HT", 2, actor=world.bri, note_fr="a\x00b")
    db.session.rollback()
    assert "note_fr" in refused.value.errors


# History: append-only ----------------------------------------------------------------------------------------------


def _refused(statement: str, **params) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement), params)
        db.session.flush()
    db.session.rollback()


def test_the_advisory_history_can_be_neither_changed_nor_deleted(world):
    set_advisory("HT", 2, actor=world.bri)
    [change] = _history()
    _refused("UPDATE country_advisory_change SET new_level = 1 WHERE id = :id", id=change.id)
    _refused("DELETE FROM country_advisory_change WHERE id = :id", id=change.id)
    change = db.session.get(CountryAdvisoryChange, change.id)
    change.note_fr = "réécrit"
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert _history()[0].new_level == 2 and _history()[0].note_fr == ""


# The reference cache -----------------------------------------------------------------------------------------------


def test_the_cached_level_follows_each_change(app, world):
    with app.test_request_context():
        assert advisory_of("HT") is None
    set_advisory("HT", 2, actor=world.bri)
    with app.test_request_context():
        assert advisory_of("HT").level == 2
    set_advisory("HT", 4, actor=world.bri)
    with app.test_request_context():
        assert advisory_of("HT").level == 4


# Notifications -----------------------------------------------------------------------------------------------------


def test_a_raise_tells_the_bri_and_the_travellers_of_approved_and_running_missions(world, make_mission):
    approved = make_mission("approved")
    running = make_mission("in_mission", applicant=world.colleague)
    elsewhere = make_mission("approved", applicant=make_user(manager=world.manager), country="SN")
    make_mission("manager_approved", applicant=make_user(manager=world.manager))
    set_advisory("HT", 1, actor=world.bri)  # first recorded at 1: not a raise
    assert _notifications("reference/advisory_raised") == []
    set_advisory("HT", 3, actor=world.bri, note_fr="Éviter l'Artibonite.", note_en="Avoid Artibonite.")
    to_bri = _notifications("reference/advisory_raised")
    assert {n.recipient_id for n in to_bri} == {world.bri.id, world.bri2.id}
    to_travellers = _notifications("leave/advisory_raised")
    assert {n.recipient_id for n in to_travellers} == {approved.applicant_id, running.applicant_id}
    assert elsewhere.applicant_id not in {n.recipient_id for n in to_travellers}
    french = next(n for n in to_bri if n.recipient_id == world.bri.id)
    assert "niveau 1 (Prendre des mesures de sécurité normales)" in french.body
    assert "niveau 3 (Éviter tout voyage non essentiel)" in french.body and "Artibonite" in french.body
    english = next(n for n in to_bri if n.recipient_id == world.bri2.id)
    assert "level 3 (Avoid non-essential travel)" in english.body and "Avoid Artibonite." in english.body
    # The e-mails wait in the outbox: written in the change's transaction, sent by the worker after the commit.
    emails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.sent_at.is_(None))).all()
    assert len(emails) == 4


def test_lowering_a_level_tells_nobody_but_is_recorded(world, make_mission):
    make_mission("approved")
    set_advisory("HT", 4, actor=world.bri)
    db.session.execute(Notification.__table__.delete())
    db.session.commit()
    set_advisory("HT", 2, actor=world.bri)
    assert _notifications("reference/advisory_raised") == [] and _notifications("leave/advisory_raised") == []
    assert [(c.old_level, c.new_level) for c in _history()] == [(None, 4), (4, 2)]


def test_a_refused_change_tells_nobody(world, make_mission):
    from app.reference.services import ReferenceValidationError

    make_mission("approved")
    with pytest.raises(ReferenceValidationError):
        set_advisory("HT", 4, actor=world.bri, checked_on=montreal_today() + timedelta(days=3))
    db.session.rollback()
    assert _notifications("reference/advisory_raised") == [] and _history() == []


def test_the_history_page_lists_every_change_in_both_languages(app, world):
    set_advisory("HT", 3, actor=world.bri, note_fr="Note démo.", note_en="Demo note.")
    set_advisory("SN", 2, actor=world.bri)
    client = client_for(app, world.bri)
    french = page_text(client.get("/referentiel/avis/historique"))
    assert "Historique des avis aux voyageurs" in french
    assert "Haïti" in french and "Sénégal" in french and "Note démo." in french
    client.post("/langue", data={"language": "en"})
    english = page_text(client.get("/referentiel/avis/historique"))
    assert "History of the travel advisories" in english and "Demo note." in english
    assert "Level 2: Exercise a high degree of caution" in english


def test_migration_0021_creates_the_history_triggers_and_its_downgrade_keeps_those_of_the_transitions():
    from app import create_app
    from tests.conftest import fresh_database_url

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": fresh_database_url("advisories")})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        postgres = db.engine.dialect.name == "postgresql"
        query = (
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if postgres
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        ours = (
            {"country_advisory_change_append_only"}
            if postgres
            else {"country_advisory_change_no_update", "country_advisory_change_no_delete"}
        )
        transitions = {"transition_append_only"} if postgres else {"transition_no_update", "transition_no_delete"}
        with db.engine.connect() as connection:
            assert ours | transitions <= set(connection.execute(text(query)).scalars())
        assert runner.invoke(args=["db", "downgrade", "0017"]).exit_code == 0
        with db.engine.connect() as connection:
            names = set(connection.execute(text(query)).scalars())
        assert not ours & names and transitions <= names
        db.engine.dispose()
