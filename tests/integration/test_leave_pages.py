"""The leave pages through the test client: who sees what, the form and its errors, creation and editing."""

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from tests.factories import client_for, delegate, form_data, make_partner, make_request, make_user, page_link


def text(response) -> str:
    """The page, with Babel's non-breaking spaces as plain spaces."""
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def login(app):
    """``login(user)``: a new client logged in as ``user`` (several people act in one test)."""
    return lambda user: client_for(app, user)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


PAGES = ["/conges/", "/conges/nouvelle", "/conges/a-approuver", "/conges/bri/file", "/conges/bri/demandes"]


@pytest.mark.parametrize("url", [*PAGES, "/conges/1", "/conges/delegations"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


def test_my_requests_lists_reference_destination_dates_status_and_next_step(client, login, world):
    req = make_request(world, "submitted")
    client = login(world.applicant)
    page = text(client.get("/conges/"))
    assert req.reference in page
    assert "Haïti" in page
    assert "En attente du gestionnaire" in page
    assert "Votre gestionnaire décide." in page


def test_my_requests_shows_only_my_own_and_an_empty_state(client, login, world):
    make_request(world, "submitted", applicant=world.colleague)
    client = login(world.applicant)
    page = text(client.get("/conges/"))
    assert "Vous n'avez encore aucune demande" in page
    assert "CS-" not in page


def test_the_form_lists_open_cycles_and_eligible_countries_sorted_by_name(client, login, world):
    from tests.factories import ensure_country, make_cycle

    ensure_country("SN")
    ensure_country("US", eligible=False)
    closed = make_cycle(opens_on=montreal_today() - timedelta(days=90), closes_on=montreal_today() - timedelta(1))
    client = login(world.applicant)
    page = text(client.get("/conges/nouvelle"))
    assert f'value="{world.cycle.id}"' in page
    assert f'value="{closed.id}"' not in page
    assert page.index("Haïti") < page.index("Sénégal")
    assert "États-Unis" not in page
    assert 'name="creation_token"' in page


def test_creating_a_draft_computes_the_working_days_and_redirects(client, login, world):
    client = login(world.applicant)
    start = montreal_today() + timedelta(days=40)
    response = client.post("/conges/nouvelle", data=form_data(world, start=start, creation_token="tok-1", save="x"))
    assert response.status_code == 303
    req = db.session.scalar(select(LeaveRequest))
    assert response.headers["Location"].endswith(f"/conges/{req.id}")
    assert req.status == "draft"
    assert req.reference == f"CS-{world.cycle.year}-0001"
    from app.core.workdays import working_days

    assert req.working_days == working_days(start, start + timedelta(days=11))
    page = text(client.get(f"/conges/{req.id}"))
    assert f'data-testid="working-days">{req.working_days}<' in page
    assert "2 600,00 $" in page  # the total of the costs


def test_save_and_submit_creates_a_submitted_request_with_one_transition(client, login, world):
    client = login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, creation_token="tok-2", save_submit="x"))
    assert response.status_code == 303
    req = db.session.scalar(select(LeaveRequest))
    assert req.status == "submitted"
    assert [t.action for t in req.transitions] == ["submit"]


def test_a_double_click_on_create_makes_one_request(client, login, world):
    client = login(world.applicant)
    data = form_data(world, creation_token="same-token", save="x")
    first = client.post("/conges/nouvelle", data=data)
    second = client.post("/conges/nouvelle", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(LeaveRequest) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"city": ""}, "city", "Ce champ est requis."),
        ({"cost_lodging": "-5"}, "cost_lodging", "Le montant ne peut pas être négatif."),
        ({"amount_requested": "99999"}, "amount_requested", "ne peut pas dépasser le total"),
        ({"country_code": "US"}, "country_code", ""),
    ],
)
def test_form_errors_are_shown_next_to_the_field_and_nothing_is_saved(client, login, world, overrides, field, message):
    client = login(world.applicant)
    response = client.post("/conges/nouvelle", data={**form_data(world, save="x"), **overrides})
    assert response.status_code == 422
    page = text(response)
    assert f'id="{field}-error"' in page
    assert message in page
    assert count(LeaveRequest) == 0


def test_dates_rules_are_shown_next_to_the_date_fields(client, login, world):
    client = login(world.applicant)
    today = montreal_today()
    cases = [
        ({"start": today + timedelta(days=40), "end_date": (today + timedelta(days=35)).isoformat()}, "end_date"),
        ({"start": today + timedelta(days=3)}, "start_date"),
        ({"start": today + timedelta(days=40), "end_date": (today + timedelta(days=120)).isoformat()}, "end_date"),
    ]
    for overrides, field in cases:
        response = client.post("/conges/nouvelle", data=form_data(world, save="x", **overrides))
        assert response.status_code == 422
        assert f'id="{field}-error"' in text(response), overrides
    assert count(LeaveRequest) == 0


def test_overlapping_an_active_request_is_refused(client, login, world):
    existing = make_request(world, "submitted")
    client = login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, save="x", start=existing.start_date))
    assert response.status_code == 422
    assert existing.reference in text(response)


def test_a_partner_of_another_country_is_refused(client, login, world):
    partner = make_partner("Commune de Dakar-Plateau", "SN", city="Jacmel")
    client = login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, save="x", partner_id=partner.id))
    assert response.status_code == 422
    assert 'id="partner_id-error"' in text(response)


def test_the_applicant_edits_a_draft_and_the_version_guards_stale_forms(client, login, world):
    req = make_request(world, "draft")
    client = login(world.applicant)
    page = text(client.get(f"/conges/{req.id}/modifier"))
    assert 'name="version"' in page
    data = form_data(world, save="x", city="Port-au-Prince", version=req.version)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).city == "Port-au-Prince"
    stale = client.post(f"/conges/{req.id}/modifier", data={**data, "city": "Jacmel"})
    assert stale.status_code == 409
    assert "Brouillon" in text(stale)


def test_answering_changes_requested_by_editing_and_submitting_again(client, login, world):
    req = make_request(world, "changes_requested")
    client = login(world.applicant)
    page = text(client.get(f"/conges/{req.id}/modifier"))
    assert "Motif." in page  # the comment of the request for changes
    data = form_data(world, save_submit="x", objectives="Objectifs précisés", version=req.version)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    db.session.expire_all()
    req = db.session.get(LeaveRequest, req.id)
    assert req.status == "submitted"
    assert [t.action for t in req.transitions][-1] == "submit"


@pytest.mark.parametrize("who", ["colleague", "manager", "bri", "admin"])
def test_only_the_applicant_edits(client, login, world, who):
    req = make_request(world, "draft")
    client = login(getattr(world, who))
    assert client.get(f"/conges/{req.id}/modifier").status_code == 403
    assert client.post(f"/conges/{req.id}/modifier", data=form_data(world, save="x")).status_code == 403


def test_a_submitted_request_cannot_be_edited_any_more(client, login, world):
    req = make_request(world, "submitted")
    client = login(world.applicant)
    assert client.get(f"/conges/{req.id}/modifier").status_code == 409


def test_missing_requests_are_404(client, login, world):
    client = login(world.applicant)
    for url in ["/conges/999", "/conges/999/modifier", "/conges/999/pieces-jointes/1"]:
        assert client.get(url).status_code == 404
    assert client.post("/conges/999/soumettre").status_code == 404


@pytest.mark.parametrize(
    ("who", "code"),
    [("applicant", 200), ("manager", 200), ("bri", 200), ("colleague", 403), ("other_manager", 403), ("admin", 403)],
)
def test_who_sees_the_request_page(client, login, world, who, code):
    req = make_request(world, "submitted")
    client = login(getattr(world, who))
    assert client.get(f"/conges/{req.id}").status_code == code


def test_a_draft_is_hidden_from_the_manager(client, login, world):
    req = make_request(world, "draft")
    client = login(world.manager)
    assert client.get(f"/conges/{req.id}").status_code == 403


def test_the_request_page_shows_everything_and_the_history(client, login, world):
    req = make_request(world, "manager_approved")
    client = login(world.bri)
    page = text(client.get(f"/conges/{req.id}"))
    for expected in [req.reference, "Former l'équipe technique.", "Urbanisme", "Partage d'expérience", "Jacmel"]:
        assert expected in page
    assert "Soumise" in page and "Approuvée par le gestionnaire" in page
    assert "par Bernard Lachance" in page
    assert 'data-testid="budget-left">100 000,00 $' in page
    assert 'data-testid="approve"' in page


def test_manager_queue_lists_submitted_requests_oldest_first_with_waiting_time(client, login, world):
    first = make_request(world, "submitted")
    second = make_request(world, "submitted", applicant=world.colleague)
    make_request(world, "manager_approved", start=montreal_today() + timedelta(days=70))
    client = login(world.manager)
    page = text(client.get("/conges/a-approuver"))
    assert page.index(first.reference) < page.index(second.reference)
    assert page.count('<a class="text-nowrap" href="/conges/') == 2 and page.count('name="selected"') == 2
    assert "seconde" in page or "minute" in page


def test_other_managers_see_an_empty_queue_and_employees_are_refused(client, login, world):
    make_request(world, "submitted")
    client = login(world.other_manager)
    assert "Rien n'attend votre décision." in text(client.get("/conges/a-approuver"))
    client = login(world.colleague)
    assert client.get("/conges/a-approuver").status_code == 403


def test_a_delegate_in_period_sees_the_manager_queue(client, login, world):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    client = login(world.delegate)
    page = text(client.get("/conges/a-approuver"))
    assert req.reference in page
    assert "au nom de Bernard Lachance" in page
    assert client.get(f"/conges/{req.id}").status_code == 200


def test_a_delegate_out_of_period_sees_nothing(client, login, world):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today + timedelta(days=1), today + timedelta(days=5))
    client = login(world.delegate)
    assert client.get("/conges/a-approuver").status_code == 403
    assert client.get(f"/conges/{req.id}").status_code == 403


@pytest.mark.parametrize("url", ["/conges/bri/file", "/conges/bri/demandes"])
@pytest.mark.parametrize("who", ["applicant", "manager", "admin"])
def test_bri_pages_are_refused_to_others(client, login, world, url, who):
    client = login(getattr(world, who))
    assert client.get(url).status_code == 403


def test_bri_queue_shows_remaining_budget_and_places(client, login, world):
    make_request(world, "approved", amount="3000")
    waiting = make_request(world, "manager_approved", applicant=world.colleague)
    client = login(world.bri)
    page = text(client.get("/conges/bri/file"))
    assert waiting.reference in page
    assert "97 000,00 $" in page  # 100 000 - 3 000
    assert "Places restantes : 9 sur 10" in page


def test_bri_list_filters_by_status_cycle_country_department(client, login, world, make_department):
    from tests.factories import ensure_country

    ensure_country("SN")
    a = make_request(world, "submitted")
    b = make_request(world, "approved", applicant=world.colleague, country_code="SN")
    other_dept = make_department(name="Service de l'eau", code="EAU")
    client = login(world.bri)
    everything = text(client.get("/conges/bri/demandes"))
    assert a.reference in everything and b.reference in everything
    only_sn = text(client.get("/conges/bri/demandes?country_code=SN"))
    assert b.reference in only_sn and a.reference not in only_sn
    only_submitted = text(client.get("/conges/bri/demandes?status=submitted"))
    assert a.reference in only_submitted and b.reference not in only_submitted
    none = text(client.get(f"/conges/bri/demandes?department_id={other_dept.id}"))
    assert "Aucune demande ne correspond" in none
    by_cycle = text(client.get(f"/conges/bri/demandes?cycle_id={world.cycle.id}"))
    assert a.reference in by_cycle
    assert client.get("/conges/bri/demandes?cycle_id=abc&status=nonsense").status_code == 200


def test_bri_list_is_paginated(client, login, world):
    for _ in range(22):
        applicant = make_user(manager=world.manager)
        make_request(world, "submitted", applicant=applicant)
    client = login(world.bri)
    response = client.get("/conges/bri/demandes")
    first = text(response)
    assert first.count('href="/conges/') - first.count("/conges/bri") >= 20
    assert "22 résultats" in first
    assert "CS-" in text(client.get(page_link(response)))


def test_working_days_endpoint(client, login, world):
    client = login(world.applicant)
    assert client.get("/conges/jours-ouvrables?start=2026-06-22&end=2026-06-26").get_json() == {"working_days": 4}
    assert client.get("/conges/jours-ouvrables?start=bad&end=2026-06-26").status_code == 400


def test_home_page_shows_the_leave_cards_and_navigation(client, login, world):
    client = login(world.manager)
    page = text(client.get("/"))
    assert "Mes demandes" in page and "À approuver" in page
    assert "/conges/bri/file" not in page
    client = login(world.bri)
    assert "/conges/bri/file" in text(client.get("/"))


def test_transitions_are_never_created_by_pages(client, login, world):
    make_request(world, "submitted")
    before = count(Transition)
    client = login(world.manager)
    for url in PAGES[:3]:
        client.get(url)
    assert count(Transition) == before


def test_a_creation_token_longer_than_the_column_saves_nothing_and_is_no_error(client, login, world, db):
    """The hidden token is the page's own (32 characters): a longer one was not, and would not fit its column
    (PostgreSQL refused it with a 500; Hypothesis found it)."""
    client = login(world.applicant)
    before = db.session.scalar(select(func.count()).select_from(LeaveRequest))
    response = client.post("/conges/nouvelle", data=form_data(world, creation_token="x" * 65, save="x"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(LeaveRequest)) == before
