"""Who reaches which project page or action: anonymous → login, employees read the public part of the active
projects without money, BRI officers and administrators read and write everything; 404 and 405."""

import re
from datetime import date

import pytest

from app.core.translations import untranslated
from tests.factories import (
    add_lines,
    make_partner,
    make_project,
    make_request,
    make_sector,
    text,
    year_cycle,
)

READ_PAGES = ["/projets/", "/projets/{pid}"]
MANAGER_PAGES = [
    "/projets/nouveau",
    "/projets/{pid}/modifier",
    "/projets/secteurs",
    "/projets/secteurs/{sid}",
    "/projets/{pid}/depenses/{eid}/piece",
]
ACTIONS = [
    "/projets/nouveau",
    "/projets/{pid}/modifier",
    "/projets/{pid}/partenaires",
    "/projets/{pid}/partenaires/{lid}/retirer",
    "/projets/{pid}/financement",
    "/projets/{pid}/financement/{fid}/supprimer",
    "/projets/{pid}/depenses",
    "/projets/{pid}/depenses/{eid}/supprimer",
    "/projets/{pid}/jalons",
    "/projets/{pid}/jalons/{mid}/basculer",
    "/projets/{pid}/jalons/{mid}/supprimer",
    "/projets/{pid}/missions",
    "/projets/{pid}/missions/{rid}/delier",
    "/projets/secteurs",
    "/projets/secteurs/{sid}",
]
POST_ONLY = [url for url in ACTIONS if url not in MANAGER_PAGES]


@pytest.fixture
def project_ids(db, make_user):
    """An active project with one row of every kind, and a linked mission."""
    sector = make_sector("15112", name_fr="Décentralisation", name_en="Decentralisation")
    project = make_project(sector=sector, code="HT-PALMES-1", title_fr="Gouvernance des Palmes")
    partner = make_partner(name="Mairie de Gressier")
    add_lines(
        project,
        funding=[("federal", "1234.50")],
        expenditures=[(date(2026, 5, 1), "99.99", "federal")],
        partners=[(partner, "implementing")],
        milestones=[("Atelier de lancement", date(2026, 6, 1), False)],
    )
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10, project=project)
    return {
        "pid": project.id,
        "sid": sector.id,
        "lid": project.partners[0].id,
        "fid": project.funding_lines[0].id,
        "eid": project.expenditures[0].id,
        "mid": project.milestones[0].id,
        "rid": req.id,
    }


ALL_ROUTES = [("GET", u) for u in READ_PAGES + MANAGER_PAGES] + [("POST", u) for u in ACTIONS]


@pytest.mark.parametrize(("method", "url"), ALL_ROUTES)
def test_anonymous_is_sent_to_login(client, project_ids, method, url):
    response = client.open(url.format(**project_ids), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion")


@pytest.mark.parametrize("roles", [("employee",), ("employee", "manager")])
@pytest.mark.parametrize(("method", "url"), [("GET", u) for u in MANAGER_PAGES] + [("POST", u) for u in ACTIONS])
def test_employees_cannot_write_nor_open_management_pages(client, login, make_user, project_ids, roles, method, url):
    login(make_user(roles=roles))
    assert client.open(url.format(**project_ids), method=method).status_code == 403


@pytest.mark.parametrize("roles", [("employee", "bri"), ("employee", "admin")])
def test_bri_and_admin_open_every_page(client, login, make_user, project_ids, roles):
    login(make_user(roles=roles))
    for url in READ_PAGES + MANAGER_PAGES[:-1]:
        assert client.get(url.format(**project_ids)).status_code == 200, url
    # The expenditure has no document: nothing to download.
    assert client.get(MANAGER_PAGES[-1].format(**project_ids)).status_code == 404


def test_employee_sees_the_public_part_of_an_active_project_without_money(client, login, make_user, project_ids):
    login(make_user())
    page = text(client.get(f"/projets/{project_ids['pid']}"))
    assert "Gouvernance des Palmes" in page
    assert "Mairie de Gressier" in page and "Exécutant" in page
    assert "Atelier de lancement" in page
    assert "15112 – Décentralisation" in page
    assert "$" not in page and "1 234,50" not in page and "99,99" not in page
    for private in ("Sommaire", "Dépenses", "Missions", "Historique des modifications", "Modifier le projet"):
        assert private not in page
    listing = text(client.get("/projets/"))
    assert "Gouvernance des Palmes" in listing
    assert "$" not in listing and "Budget" not in listing and "Nouveau projet" not in listing


@pytest.mark.parametrize("status", ["planned", "on_hold", "completed", "cancelled"])
def test_employee_neither_lists_nor_opens_projects_that_are_not_active(client, login, make_user, project_ids, status):
    hidden = make_project(status=status, title_fr="Projet confidentiel")
    login(make_user())
    assert "Projet confidentiel" not in text(client.get("/projets/"))
    response = client.get(f"/projets/{hidden.id}")
    assert response.status_code == 403
    assert "seuls les projets actifs" in text(response)


def test_employee_filters_cannot_reach_other_statuses(client, login, make_user, project_ids):
    make_project(status="planned", title_fr="Projet prévu")
    login(make_user())
    assert "Projet prévu" not in text(client.get("/projets/?status=planned"))


def test_bri_sees_money_missions_and_history(client, login, make_user, project_ids):
    login(make_user(roles=("employee", "bri")))
    page = text(client.get(f"/projets/{project_ids['pid']}"))
    assert "1 234,50 $" in page and "99,99 $" in page
    assert "Missions" in page and "Historique des modifications" in page


@pytest.mark.parametrize(
    "url",
    [
        "/projets/999999",
        "/projets/999999/modifier",
        "/projets/secteurs/999999",
    ],
)
def test_missing_project_or_sector_is_404(client, login, make_user, project_ids, url):
    login(make_user(roles=("employee", "bri")))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [u for u in ACTIONS if "{" in u.replace("{pid}", "").replace("{sid}", "")])
def test_lines_of_another_project_are_404(client, login, make_user, project_ids, url):
    other = make_project()
    login(make_user(roles=("employee", "bri")))
    assert client.post(url.format(**{**project_ids, "pid": other.id})).status_code == 404


@pytest.mark.parametrize("url", POST_ONLY)
def test_get_on_an_action_is_405(client, login, make_user, project_ids, url):
    login(make_user(roles=("employee", "bri")))
    assert client.get(url.format(**project_ids)).status_code == 405


def test_home_and_navigation_offer_the_projects(client, login, make_user, project_ids):
    login(make_user())
    page = text(client.get("/"))
    assert "Voir les projets actifs" in page
    assert re.search(r'href="/projets/"[^>]*data-testid="nav-projects"', page)


def test_every_projects_message_has_its_french_text():
    assert untranslated() == []  # one catalog: the projects' messages with all the others


def test_english_readers_get_the_english_title_when_there_is_one(client, login, make_user, project_ids):
    project = make_project(
        title_fr="Eau potable",
        title_en="Drinking water",
        description_fr="Réseau",
        description_en="Network",
        status="active",
    )
    login(make_user(language="en"))
    page = text(client.get("/projets/"))
    assert "Drinking water" in page
    assert "Gouvernance des Palmes" in page  # no English title: the French one
    detail = text(client.get(f"/projets/{project.id}"))
    assert "Drinking water" in detail and "Network" in detail
    assert "Eau potable" not in detail
