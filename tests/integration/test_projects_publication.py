"""Publishing a project: the BRI publishes and withdraws it (history, 409 on a second click), nobody else may; the
public page ``/p/<code>`` is read without an account, in French and English, with nothing personal, no session
created, cacheable, in a bounded number of statements; any other code is a 404."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import UserSession
from app.extensions import db as _db
from app.projects import services
from app.projects.models import Project, ProjectChange, ProjectUpdate
from tests.factories import (
    add_lines,
    add_results,
    client_for,
    make_partner,
    make_project,
    make_request,
    make_sector,
    text,
)


@pytest.fixture
def project(world):
    """An active project with partners, funding from two sources and a committed mission of the world's applicant."""
    project = make_project(
        sector=make_sector("15112", name_fr="Décentralisation", name_en="Decentralisation"),
        code="HT-PUB-1",
        title_fr="Gouvernance des Palmes",
        title_en="Governance in the Palmes",
        description_fr="Appui aux conseils municipaux.",
        description_en="Support to municipal councils.",
        budget=Decimal("50000.00"),
    )
    add_lines(
        project,
        funding=[("federal", "30000.00"), ("federal", "4500.50"), ("bri_operating", "12000.00")],
        expenditures=[(date(2026, 5, 1), "1000.00", "federal")],
        partners=[(make_partner("Mairie de Gressier", city="Gressier"), "accountable")],
    )
    make_request(world, "approved", days=10, project=project)
    return project


def publish(project: Project, actor) -> None:
    services.publish_project(project, actor)
    _db.session.commit()


def history(project: Project) -> list[tuple[str, str]]:
    rows = _db.session.execute(
        select(ProjectChange.action, ProjectChange.field)
        .where(ProjectChange.project_id == project.id)
        .order_by(ProjectChange.id)
    )
    return [tuple(row) for row in rows]


# Publishing ------------------------------------------------------------------------------------------------------


def test_the_bri_publishes_then_withdraws_a_project_and_the_history_says_so(app, world, project):
    bri = client_for(app, world.bri)
    response = bri.post(f"/projets/{project.id}/publier")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/projets/{project.id}#publication")
    _db.session.refresh(project)
    assert project.published_at is not None
    page = text(bri.get(f"/projets/{project.id}"))
    assert "/p/HT-PUB-1" in page and f"/projets/{project.id}/iati.xml" in page and "Retirer de la publication" in page
    assert "Page publique et fichier IITA" in page  # the history's row (its field)
    assert bri.post(f"/projets/{project.id}/depublier").status_code == 303
    _db.session.refresh(project)
    assert project.published_at is None
    assert history(project)[-2:] == [("published", "publication"), ("unpublished", "publication")]
    changes = _db.session.scalars(select(ProjectChange).order_by(ProjectChange.id.desc()).limit(2)).all()
    assert all(c.actor_id == world.bri.id for c in changes)
    assert changes[0].old_value == changes[1].new_value != ""  # the withdrawal names the publication it ends


def test_a_second_publish_is_a_conflict_and_records_nothing(app, world, project):
    bri = client_for(app, world.bri)
    assert bri.post(f"/projets/{project.id}/publier").status_code == 303
    assert bri.post(f"/projets/{project.id}/publier").status_code == 409
    assert history(project).count(("published", "publication")) == 1
    assert client_for(app, world.bri2).post(f"/projets/{project.id}/depublier").status_code == 303
    assert bri.post(f"/projets/{project.id}/depublier").status_code == 409
    assert history(project).count(("unpublished", "publication")) == 1


@pytest.mark.parametrize("who", ["applicant", "manager", "colleague"])
@pytest.mark.parametrize("action", ["publier", "depublier"])
def test_only_the_bri_publishes(app, world, project, who, action):
    if action == "depublier":
        publish(project, world.bri)
    before = project.published_at
    response = client_for(app, getattr(world, who)).post(f"/projets/{project.id}/{action}")
    assert response.status_code == 403
    _db.session.refresh(project)
    assert project.published_at == before
    assert ("unpublished" if action == "depublier" else "published", "publication") not in history(project)[1:]


def test_publishing_is_a_post_and_anonymous_is_sent_to_login(app, client, world, project):
    assert client_for(app, world.bri).get(f"/projets/{project.id}/publier").status_code == 405
    response = client.post(f"/projets/{project.id}/publier")
    assert response.status_code == 302 and response.headers["Location"].startswith("/compte/connexion")


def test_the_list_shows_which_projects_are_published(app, world, project):
    other = make_project(code="HT-PUB-2")
    publish(project, world.bri)
    page = client_for(app, world.bri).get("/projets/").get_data(as_text=True)
    rows = {code: row for row in page.split("<tr") for code in (project.code, other.code) if f">{code}<" in row}
    assert 'data-testid="project-published"' in rows[project.code]
    assert 'data-testid="project-published"' not in rows[other.code]


# The public page -------------------------------------------------------------------------------------------------


def test_anonymous_reads_a_published_project_and_nothing_personal(client, world, project):
    assert client.get("/p/HT-PUB-1").status_code == 404
    publish(project, world.bri)
    response = client.get("/p/HT-PUB-1")
    assert response.status_code == 200
    page = text(response)
    assert "Gouvernance des Palmes" in page and "Appui aux conseils municipaux." in page
    assert "Mairie de Gressier" in page
    assert "34 500,50 $" in page and "12 000,00 $" in page  # the federal lines summed; the BRI's
    assert "46 500,50 $" in page  # total funded
    in_kind = response.get_data(as_text=True).split('data-testid="public-in-kind">')[1].split("<")[0]
    assert in_kind == "4\u00a0500,00\u00a0$"  # 10 working days at the default rate, as one total
    assert f"/projets/{project.id}/iati.xml" in page
    body = response.get_data(as_text=True)
    for person in (world.applicant, world.bri, world.manager):
        assert person.full_name not in body and person.email not in body
    assert "CS-" not in body  # no mission reference
    assert "1 000,00 $" not in body  # no expenditure line


def test_the_public_page_creates_no_session_and_may_be_cached(client, world, project):
    publish(project, world.bri)
    sessions = _db.session.scalar(select(func.count()).select_from(UserSession))
    for path in ("/p/HT-PUB-1", "/p/HT-PUB-1?lang=en", "/p/HT-UNKNOWN"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
        assert client.get_cookie("session") is None
    assert response.status_code == 404
    assert _db.session.scalar(select(func.count()).select_from(UserSession)) == sessions
    assert client.get("/p/HT-PUB-1").headers["Cache-Control"] == "public, max-age=300"


def test_a_reader_with_a_session_is_cached_by_the_browser_only(app, world, project):
    publish(project, world.bri)
    response = client_for(app, world.applicant).get("/p/HT-PUB-1")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, max-age=300"
    assert world.applicant.full_name not in response.get_data(as_text=True)  # no menu with the reader's name


def test_the_public_page_is_french_by_default_and_english_on_request(client, world, project):
    publish(project, world.bri)
    french = client.get("/p/HT-PUB-1").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Partenaires" in french and "Financement" in french
    assert "Gouvernance des Palmes" in french and 'href="/p/HT-PUB-1?lang=en"' in french
    english = client.get("/p/HT-PUB-1?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Partners" in english and "Funding" in english
    assert "Governance in the Palmes" in english and "Support to municipal councils." in english
    assert "$34,500.50" in english
    assert "Partenaires" in client.get("/p/HT-PUB-1?lang=xx").get_data(as_text=True)  # unknown: the default


def test_the_code_is_read_whatever_its_case(client, world, project):
    publish(project, world.bri)
    assert client.get("/p/ht-pub-1").status_code == 200


HOSTILE_CODES = ["HT-PUB-1%00", "%00", "HT-PUB-1%00x", "A" * 31, "A" * 5000, "HT PUB 1", "HT-PUB-1'--", "é", ".."]


@pytest.mark.parametrize("code", [*HOSTILE_CODES, "%C3%A9" * 20, "%2e%2e", "HT-PUB-1%0A", "HT-PUB-1/x"])
def test_hostile_codes_are_404_never_500(client, world, project, code):
    publish(project, world.bri)
    response = client.get(f"/p/{code}")
    assert response.status_code == 404, code
    # The public 404 writes no session; a line feed matches no route at all (the application's own 404 page).
    assert ("Set-Cookie" in response.headers) == ("%0A" in code)


def test_an_unpublished_project_is_404_for_everyone_even_the_bri(app, client, world, project):
    assert client.get("/p/HT-PUB-1").status_code == 404
    assert client_for(app, world.bri).get("/p/HT-PUB-1").status_code == 404
    publish(project, world.bri)
    services.unpublish_project(project, world.bri)
    _db.session.commit()
    assert client.get("/p/HT-PUB-1").status_code == 404


def _statements(count_queries, client, path: str) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_public_page_sends_a_bounded_number_of_statements(client, world, project, count_queries):
    publish(project, world.bri)
    client.get("/p/HT-PUB-1")  # caches warm
    before = _statements(count_queries, client, "/p/HT-PUB-1")
    add_lines(
        project,
        funding=[(source, "100") for source in ("quebec", "other", "federal", "bri_operating") for _ in range(5)],
        partners=[(make_partner(), role) for role in ("funding", "implementing", "extending") for _ in range(4)],
    )
    for _ in range(3):
        make_request(world, "approved", days=5, project=project)
    add_results(project, world.bri)
    add_results(project, world.bri)
    for n in range(4):
        data = {"update_date": date(2026, 6, n + 1), "title_fr": f"Étape {n}", "body_fr": "Texte.", "published": True}
        services.save_update(project, ProjectUpdate(), data, world.bri)
    _db.session.commit()
    after = _statements(count_queries, client, "/p/HT-PUB-1")
    assert "Étape 3" in client.get("/p/HT-PUB-1").get_data(as_text=True)
    assert before == after <= 6  # the project, its partners, two sums, the results, the updates


def test_the_demo_publishes_one_project(db):
    from app.accounts import demo as accounts_demo
    from app.projects import demo

    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    demo.load(ctx)
    db.session.commit()
    published = db.session.scalars(select(Project.code).where(Project.published_at.is_not(None))).all()
    assert published == ["HT-PALMES-MR"]
    assert ("published", "publication") in history(ctx["projects"]["HT-PALMES-MR"])


def test_an_english_reader_of_a_french_only_project_reads_it_marked_as_french(client, world):
    project = make_project(code="HT-FR-ONLY", title_fr="Projet en français seulement", description_fr="Texte.")
    publish(project, world.bri)
    english = client.get("/p/HT-FR-ONLY?lang=en").get_data(as_text=True)
    assert '<h1 class="h2" lang="fr">Projet en français seulement</h1>' in english
    assert '<div class="col-lg-7" lang="fr">' in english
    french = client.get("/p/HT-FR-ONLY").get_data(as_text=True)
    assert '<h1 class="h2">Projet en français seulement</h1>' in french
