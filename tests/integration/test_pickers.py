"""Search-as-you-type fields (app/core/pickers.py): the JSON endpoints, and the forms that post what they chose —
the id the widget sends, or the e-mail, reference, code or name typed without JavaScript."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.core.pickers import LIMIT
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest
from app.projects.models import ProjectPartner
from tests.factories import client_for, make_partner, make_project, make_request, make_user, text, year_cycle

PICKERS = ["leave.delegates", "admin.managers", "reference.partners", "projects.projects", "projects.missions"]


def results(client, name: str, q) -> list[dict]:
    response = client.get(f"/choix/{name}", query_string={"q": q})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()["results"]


def labels(client, name: str, q) -> list[str]:
    return [r["label"] for r in results(client, name, q)]


# The endpoints -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PICKERS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(app, name):
    response = app.test_client().get(f"/choix/{name}?q=ab")
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("leave.delegates", "manager"),
        ("admin.managers", "admin"),
        ("projects.missions", "bri"),
    ],
)
def test_a_picker_answers_only_those_who_may_use_its_form(app, world, name, allowed):
    assert client_for(app, world.colleague).get(f"/choix/{name}?q=ab").status_code == 403
    assert client_for(app, getattr(world, allowed)).get(f"/choix/{name}?q=ab").status_code == 200


def test_an_unknown_picker_is_404(app, world):
    assert client_for(app, world.bri).get("/choix/nothing?q=ab").status_code == 404


def test_people_are_found_by_the_start_of_their_name_or_e_mail_never_the_inactive_nor_oneself(app, world):
    make_user(full_name="Bernadette Inactive", active=False)
    client = client_for(app, world.manager)  # Bernard Lachance
    assert labels(client, "leave.delegates", "bern") == []  # himself excluded, the inactive one too
    found = labels(client, "leave.delegates", "thom")
    assert found == [f"Thomas Bergeron ({world.delegate.email})"]
    assert labels(client, "leave.delegates", world.delegate.email.upper()) == found  # case does not matter
    assert labels(client, "leave.delegates", "ergeron") == []  # a prefix, not any part
    admin = client_for(app, world.admin)
    assert labels(admin, "admin.managers", "bern") == [f"Bernard Lachance ({world.manager.email})"]


USERS = {
    "leave.delegates": "manager",
    "admin.managers": "admin",
    "reference.partners": "applicant",
    "projects.projects": "bri",
    "projects.missions": "bri",
}


@pytest.mark.parametrize("q", ["", "b", " b ", "x" * 101, "%", "%%", "_%", "\\", "' OR 1=1 --", "é", "b" * 100])
def test_short_absurd_or_hostile_searches_find_nothing_and_never_fail(app, world, q):
    make_user(full_name="B% Étrange")
    make_partner(name="B% Étrange")
    for name, who in USERS.items():
        assert results(client_for(app, getattr(world, who)), name, q) == [], (name, q)


def test_like_wildcards_are_taken_literally(app, world):
    make_user(full_name="B% Étrange")
    make_user(full_name="Bx Ordinaire")
    client = client_for(app, world.admin)
    assert [label.split(" (")[0] for label in labels(client, "admin.managers", "b%")] == ["B% Étrange"]
    assert labels(client, "admin.managers", "b_") == []


def test_a_search_gives_at_most_the_limit(app, world):
    for i in range(LIMIT + 5):
        make_user(full_name=f"Zoé Nombreuse {i:02d}")
    assert len(results(client_for(app, world.admin), "admin.managers", "zoé n")) == LIMIT


def test_partners_are_found_by_a_word_of_their_name_or_their_city(app, world):
    partner = make_partner(name="Mairie de Jacmel", city="Jacmel")
    make_partner(name="Université d'État", city="Port-au-Prince")
    client = client_for(app, world.applicant)
    expected = [{"value": str(partner.id), "label": "Mairie de Jacmel (Jacmel, Haïti)"}]
    assert results(client, "reference.partners", "jacm") == expected
    assert results(client, "reference.partners", "mairie") == expected
    assert labels(client, "reference.partners", "port") == ["Université d'État (Port-au-Prince, Haïti)"]


def test_missions_are_found_by_reference_or_applicant_and_never_finished_ones(app, world):
    cycle = year_cycle()
    approved = make_request(applicant=world.applicant, cycle=cycle, status="approved", days=5)
    make_request(applicant=world.colleague, cycle=cycle, status="withdrawn", days=5)
    client = client_for(app, world.bri)
    by_name = results(client, "projects.missions", "éloïse")
    assert [r["value"] for r in by_name] == [str(approved.id)]
    assert [r["value"] for r in results(client, "projects.missions", approved.reference.lower())] == [str(approved.id)]
    assert results(client, "projects.missions", "nadia") == []  # her only request is withdrawn


def test_employees_find_only_active_projects_the_bri_every_project(app, world):
    active = make_project(code="HT-EAU", title_fr="Eau potable à Jacmel", status="active")
    planned = make_project(code="HT-ECO", title_fr="Écoles de Jacmel", status="planned")
    assert [r["value"] for r in results(client_for(app, world.applicant), "projects.projects", "jacmel")] == [
        str(active.id)
    ]
    found = {r["value"] for r in results(client_for(app, world.bri), "projects.projects", "ht-e")}
    assert found == {str(active.id), str(planned.id)}


def test_a_search_runs_the_same_statements_whatever_the_rows(app, world, count_queries):
    client = client_for(app, world.bri)

    def add(n: int) -> None:
        cycle = year_cycle()
        for _ in range(n):
            applicant = make_user(full_name="Farah Louissaint")
            make_request(applicant=applicant, cycle=cycle, status="submitted", days=5)

    add(3)
    results(client, "projects.missions", "farah")
    with count_queries() as small:
        assert len(results(client, "projects.missions", "farah")) == 3
    add(3)
    with count_queries() as doubled:
        assert len(results(client, "projects.missions", "farah")) == 6
    assert len(doubled) == len(small)


# The forms -----------------------------------------------------------------------------------------------------


def _delegation(delegate: str) -> dict:
    today = montreal_today()
    return {"delegate_id": delegate, "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=7)).isoformat()}


@pytest.mark.parametrize("how", ["id", "email"])
def test_the_delegation_form_saves_the_chosen_person_with_or_without_javascript(app, world, how):
    client = client_for(app, world.manager)
    page = text(client.get("/conges/delegations"))
    assert not re.search(r'<select[^>]*name="delegate_id"', page)
    assert 'data-picker-url="/choix/leave.delegates"' in page
    value = str(world.delegate.id) if how == "id" else f"  {world.delegate.email.upper()} "
    assert client.post("/conges/delegations", data=_delegation(value)).status_code == 303
    assert db.session.scalar(select(Delegation.delegate_id)) == world.delegate.id


@pytest.mark.parametrize("value", ["nobody@example.org", "999999", "x" * 300, str(10**30)])
def test_the_delegation_form_says_next_to_the_field_when_the_person_is_unknown(app, world, value):
    response = client_for(app, world.manager).post("/conges/delegations", data=_delegation(value))
    assert response.status_code == 422
    page = text(response)
    assert re.search(r'id="delegate_id-error"[^>]*>\s*Aucune personne active n’a cette adresse courriel', page)
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


def test_the_delegation_form_refuses_oneself_and_an_inactive_person(app, world):
    inactive = make_user(full_name="Ancien Employé", active=False)
    client = client_for(app, world.manager)
    for value in (str(world.manager.id), inactive.email):
        assert client.post("/conges/delegations", data=_delegation(value)).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


def test_the_admin_user_form_shows_the_current_manager_and_saves_one_by_e_mail(app, world):
    client = client_for(app, world.admin)
    page = text(client.get(f"/admin/utilisateurs/{world.applicant.id}"))
    field = re.search(r'<input[^>]*name="manager_id"[^>]*>', page).group(0)
    assert f'value="{world.manager.email}"' in field
    assert f'data-picker-label="Bernard Lachance ({world.manager.email})"' in field


def test_the_request_form_takes_the_partner_by_id_or_by_name(app, world):
    partner = make_partner(name="Mairie de Jacmel", city="Jacmel")
    client = client_for(app, world.applicant)
    from tests.factories import form_data

    for i, value in enumerate((str(partner.id), "mairie de jacmel")):
        start = montreal_today() + timedelta(days=40 + 20 * i)
        data = form_data(world, save="x", creation_token=f"p{i}", partner_id=value, start=start)
        assert client.post("/conges/nouvelle", data=data).status_code == 303
    assert db.session.scalars(select(LeaveRequest.partner_id)).all() == [partner.id, partner.id]
    refused = client.post("/conges/nouvelle", data=form_data(world, save="x", creation_token="p3", partner_id="Nulle"))
    assert refused.status_code == 422
    assert 'id="partner_id-error"' in text(refused)


def test_a_project_partner_is_added_by_name_without_javascript(app, world):
    project, partner = make_project(), make_partner(name="Mairie de Léogâne")
    client = client_for(app, world.bri)
    data = {"partner-partner_id": "Mairie de Léogâne", "partner-role": "accountable"}
    assert client.post(f"/projets/{project.id}/partenaires", data=data).status_code == 303
    assert db.session.scalar(select(ProjectPartner.partner_id)) == partner.id


def test_a_mission_is_linked_by_its_reference_without_javascript(app, world):
    project = make_project()
    req = make_request(applicant=world.applicant, cycle=year_cycle(), status="approved", days=5)
    client = client_for(app, world.bri)
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": req.reference.lower()})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).project_id == project.id


def test_the_project_page_has_no_select_of_requests_and_its_statements_do_not_grow(app, world, count_queries):
    project = make_project()
    client = client_for(app, world.bri)
    cycle = year_cycle()

    def add(n: int) -> None:
        for _ in range(n):
            make_request(applicant=make_user(), cycle=cycle, status="approved", days=5)

    url = f"/projets/{project.id}"
    add(3)
    client.get(url)
    with count_queries() as small:
        page = text(client.get(url))
    add(6)
    with count_queries() as tripled:
        assert client.get(url).status_code == 200
    assert "<option" not in page.split('name="link-request_id"')[0].split("Lier une mission")[-1]
    assert len(tripled) == len(small), "\n".join(s[:90] for s in tripled)
