"""Travel advisories in the leave workflow: the BRI approves a level 3 or 4 destination only by a commented
exception, recorded in the approval's history; the missions to review after a raise, one click from cancelling; the
level shown wherever a destination is (request form, request page and decision panels, calendar, dashboard)."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from tests.factories import ADVISORY_EXCEPTION_COMMENT, client_for, make_request, make_user, set_advisory


def text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def as_(app):
    return lambda user: client_for(app, user)


def _approval(req) -> Transition | None:
    db.session.expire_all()
    return db.session.scalars(
        select(Transition).where(Transition.request_id == req.id, Transition.action == "bri_approve")
    ).first()


def _status(req) -> str:
    db.session.expire_all()
    return db.session.get(LeaveRequest, req.id).status


# The exception rule --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [None, 1, 2])
def test_below_level_3_the_bri_approves_without_exception(world, as_, level):
    if level:
        set_advisory("HT", level, actor=world.bri)
    req = make_request(world, "manager_approved")
    response = as_(world.bri).post(f"/conges/{req.id}/bri/approuver", data={"version": req.version})
    assert response.status_code == 303
    assert _status(req) == "approved"
    assert _approval(req).advisory_exception_level is None


@pytest.mark.parametrize("level", [3, 4])
def test_at_level_3_or_4_an_approval_without_exception_is_refused_on_the_panel(world, as_, level):
    req = make_request(world, "manager_approved")
    set_advisory("HT", level, actor=world.bri)
    response = as_(world.bri).post(
        f"/conges/{req.id}/bri/approuver", data={"version": req.version, "comment": "Mission utile."}
    )
    assert response.status_code == 422
    page = text(response)
    # The message is next to the checkbox (its error tied to it), on the decision panel.
    assert 'id="advisory_exception-error"' in page
    assert "cochez l'exception et justifiez-la dans le commentaire" in page
    assert 'data-testid="decision-advisory"' in page
    assert _status(req) == "manager_approved" and _approval(req) is None


@pytest.mark.parametrize("level", [3, 4])
def test_at_level_3_or_4_the_exception_needs_a_comment(world, as_, level):
    req = make_request(world, "manager_approved")
    set_advisory("HT", level, actor=world.bri)
    response = as_(world.bri).post(
        f"/conges/{req.id}/bri/approuver", data={"version": req.version, "advisory_exception": "y", "comment": "  "}
    )
    assert response.status_code == 422
    assert 'id="comment-error"' in text(response)
    assert "Justifiez l'exception à l'avis aux voyageurs dans le commentaire." in text(response)
    assert _status(req) == "manager_approved"


@pytest.mark.parametrize("level", [3, 4])
def test_at_level_3_or_4_an_explicit_commented_exception_approves_and_is_recorded(world, as_, level):
    req = make_request(world, "manager_approved")
    set_advisory("HT", level, actor=world.bri)
    comment = "Mission essentielle, encadrée par la mairie de Jacmel."
    response = as_(world.bri).post(
        f"/conges/{req.id}/bri/approuver", data={"version": req.version, "advisory_exception": "y", "comment": comment}
    )
    assert response.status_code == 303
    approval = _approval(req)
    assert (approval.advisory_exception_level, approval.comment) == (level, comment)
    assert _status(req) == "approved"
    history = text(as_(world.bri).get(f"/conges/{req.id}"))
    assert 'data-testid="advisory-exception"' in history and "Exception à l'avis aux voyageurs" in history
    assert comment in history


def test_a_stale_page_is_still_a_409_whatever_the_exception(world, as_):
    req = make_request(world, "manager_approved")
    set_advisory("HT", 3, actor=world.bri)
    stale = req.version
    data = {"version": stale, "advisory_exception": "y", "comment": "Exception justifiée."}
    assert as_(world.bri).post(f"/conges/{req.id}/bri/approuver", data=data).status_code == 303
    again = as_(world.bri2).post(f"/conges/{req.id}/bri/approuver", data=data)
    assert again.status_code == 409
    without = as_(world.bri2).post(f"/conges/{req.id}/bri/approuver", data={"version": stale})
    assert without.status_code == 409
    assert len(db.session.scalars(select(Transition).filter_by(request_id=req.id, action="bri_approve")).all()) == 1


def test_the_manager_decides_without_any_exception_but_sees_the_level(world, as_):
    set_advisory("HT", 4, actor=world.bri)
    req = make_request(world, "submitted")
    page = text(as_(world.manager).get(f"/conges/{req.id}"))
    assert 'data-testid="decision-advisory"' in page and "Niveau 4 : Éviter tout voyage" in page
    assert 'name="advisory_exception"' not in page
    response = as_(world.manager).post(f"/conges/{req.id}/gestionnaire/approuver", data={"version": req.version})
    assert response.status_code == 303 and _status(req) == "manager_approved"


def test_the_bri_panel_offers_the_exception_only_at_level_3_or_4(world, as_):
    set_advisory("HT", 2, actor=world.bri, note_fr="Prudence en saison des pluies.")
    req = make_request(world, "manager_approved")
    page = text(as_(world.bri).get(f"/conges/{req.id}"))
    assert "Niveau 2 : Faire preuve d'une grande prudence" in page and "Prudence en saison des pluies." in page
    assert 'name="advisory_exception"' not in page
    set_advisory("HT", 3, actor=world.bri)
    page = text(as_(world.bri).get(f"/conges/{req.id}"))
    assert 'name="advisory_exception"' in page and "J'approuve par exception à l'avis aux voyageurs" in page


# The missions to review after a raise -------------------------------------------------------------------------------


def test_the_missions_approved_before_a_raise_are_listed_for_review_with_the_cancel_action(world, as_, make_mission):
    before = make_mission("approved")
    running = make_mission("in_mission", applicant=world.colleague)
    not_yet = make_mission("manager_approved", applicant=make_user(manager=world.manager))
    senegal = make_mission("approved", applicant=make_user(manager=world.manager), country="SN")
    set_advisory("HT", 3, actor=world.bri)
    # Approved after the raise, by exception: the BRI knew the level.
    after = make_mission("approved", applicant=make_user(manager=world.manager))
    page = text(as_(world.bri).get("/conges/bri/file?liste=avis"))
    listed = set(re.findall(r'data-testid="review-(CS-\d{4}-\d{4})"', page))
    assert listed == {before.reference, running.reference}
    assert not {not_yet.reference, senegal.reference, after.reference} & listed
    assert f'action="/conges/{before.id}/annuler"' in page
    assert "Niveau 3 : Éviter tout voyage non essentiel" in page
    # One click: the reason typed in the row, the mission cancelled.
    response = as_(world.bri).post(
        f"/conges/{before.id}/annuler", data={"version": before.version, "comment": "Avis relevé au niveau 3."}
    )
    assert response.status_code == 303 and _status(before) == "cancelled"
    page = text(as_(world.bri).get("/conges/bri/file?liste=avis"))
    assert before.reference not in page and running.reference in page


def test_a_lowered_level_does_not_list_missions_for_review(world, as_, make_mission):
    set_advisory("HT", 4, actor=world.bri)
    make_mission("approved")
    set_advisory("HT", 2, actor=world.bri)
    page = text(as_(world.bri).get("/conges/bri/file?liste=avis"))
    assert "Aucune mission n'est à réexaminer après un changement d'avis." in page


def test_only_the_bri_sees_the_review_list(world, as_):
    assert as_(world.manager).get("/conges/bri/file?liste=avis").status_code == 403
    assert as_(world.admin).get("/conges/bri/file?liste=avis").status_code == 403


def test_the_bri_queue_links_to_the_review_list_in_english_too(world, as_):
    client = as_(world.bri)
    assert "À réexaminer après un changement d'avis" in text(client.get("/conges/bri/file"))
    client.post("/langue", data={"language": "en"})
    assert "To review after an advisory change" in text(client.get("/conges/bri/file"))


# The badge wherever a destination is --------------------------------------------------------------------------------


def test_the_request_form_shows_each_countrys_level_beside_its_name(world, as_):
    set_advisory("HT", 3, actor=world.bri)
    client = as_(world.applicant)
    page = text(client.get("/conges/nouvelle"))
    assert '<option value="HT">Haïti (Niveau 3 : Éviter tout voyage non essentiel)</option>' in page
    client.post("/langue", data={"language": "en"})
    page = text(client.get("/conges/nouvelle"))
    assert '<option value="HT">Haiti (Level 3: Avoid non-essential travel)</option>' in page


def test_the_request_page_shows_the_badge_with_its_words_to_the_applicant(world, as_):
    set_advisory("HT", 3, actor=world.bri, note_fr="Éviter l'Artibonite.", note_en="Avoid Artibonite.")
    req = make_request(world, "approved")
    client = as_(world.applicant)
    page = text(client.get(f"/conges/{req.id}"))
    assert 'data-testid="advisory-HT" data-advisory-level="3"' in page
    assert "Niveau 3 : Éviter tout voyage non essentiel" in page and "Éviter l'Artibonite." in page
    client.post("/langue", data={"language": "en"})
    page = text(client.get(f"/conges/{req.id}"))
    assert "Level 3: Avoid non-essential travel" in page and "Avoid Artibonite." in page


def test_the_calendar_shows_the_destinations_level(world, as_, make_mission):
    from datetime import date

    set_advisory("HT", 2, actor=world.bri)
    make_mission("approved", start=date(2027, 3, 1), end=date(2027, 3, 12))
    page = text(as_(world.bri).get("/calendrier?mois=2027-03"))
    assert 'data-testid="advisory-HT"' in page and "Niveau 2 : Faire preuve d'une grande prudence" in page


def test_the_dashboard_shows_the_level_of_each_destination_of_its_breakdown(world, as_):
    set_advisory("HT", 3, actor=world.bri)
    make_request(world, "approved")
    make_request(world, "submitted", applicant=world.colleague, country_code="SN")
    client = as_(world.bri)
    page = text(client.get(f"/bri/tableau-de-bord?cycle={world.cycle.id}"))
    section = page.split('data-testid="destination-advisories"', 1)[1].split("</ul>", 1)[0]
    assert "Haïti" in section and "Niveau 3 : Éviter tout voyage non essentiel" in section
    assert "Sénégal" in section and "aucun avis enregistré" in section
    client.post("/langue", data={"language": "en"})
    page = text(client.get(f"/bri/tableau-de-bord?cycle={world.cycle.id}"))
    assert "Travel advisories of the destinations" in page and "Level 3: Avoid non-essential travel" in page


def test_the_factory_approves_a_level_3_destination_by_exception(world):
    set_advisory("HT", 3, actor=world.bri)
    req = make_request(world, "approved")
    approval = _approval(req)
    assert approval.advisory_exception_level == 3 and approval.comment == ADVISORY_EXCEPTION_COMMENT
