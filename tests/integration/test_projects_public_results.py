"""The public page's results and updates: an anonymous reader sees the results framework (without who recorded the
actual values) and the published updates with their consented photos, in French and English; the photos come from
a public route of their own that answers 404 for anything the page does not show, without a session, cacheable."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.core.database import montreal_today
from app.extensions import db as _db
from app.projects import services
from app.projects.models import Project, ProjectPhoto, ProjectUpdate
from tests.factories import add_results, make_project, text

CODE = "HT-PUB-R"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 30)).save(out, "JPEG")
    return out.getvalue()


def write_update(project: Project, actor, title: str, published: bool, **texts) -> ProjectUpdate:
    data = {
        "update_date": montreal_today() - timedelta(days=3),
        "title_fr": title,
        "body_fr": f"{title} : le texte.",
        "published": published,
        **texts,
    }
    update = services.save_update(project, ProjectUpdate(), data, actor)
    _db.session.commit()
    return update


def add_photo(update: ProjectUpdate, actor, caption: str, consent: bool) -> ProjectPhoto:
    upload = FileStorage(stream=io.BytesIO(jpeg()), filename="photo.jpg", content_type="image/jpeg")
    photo = services.add_photo(update, upload, {"caption_fr": caption, "consent_to_publish": consent}, actor)
    _db.session.commit()
    return photo


def publish(project: Project, actor) -> None:
    services.publish_project(project, actor)
    _db.session.commit()


@pytest.fixture
def page(world):
    """A published project with a results framework and three updates: a published one with a consented photo and one
    without consent, a published one in French only, an internal one with a consented photo; and another published
    project whose published update has a consented photo."""
    project = make_project(code=CODE, title_fr="Matières résiduelles", title_en="Solid waste")
    add_results(project, world.bri)
    public = write_update(
        project, world.bri, "Ouverture du centre de tri", True, title_en="The sorting centre opens", body_en="Opened."
    )
    photos = {
        "consented": add_photo(public, world.bri, "Les brigades au travail", True),
        "refused": add_photo(public, world.bri, "Visages sans accord", False),
    }
    write_update(project, world.bri, "Formation des brigades", True)
    internal = write_update(project, world.bri, "Note interne du BRI", False)
    photos["internal"] = add_photo(internal, world.bri, "Photo de la note interne", True)
    other = make_project(code="HT-OTHER-R")
    other_update = write_update(other, world.bri, "Autre projet", True)
    photos["other"] = add_photo(other_update, world.bri, "Photo d'un autre projet", True)
    publish(project, world.bri)
    publish(other, world.bri)
    return project, photos


def _photo_url(photo: ProjectPhoto, code: str = CODE) -> str:
    return f"/p/{code}/photos/{photo.id}"


# The results -----------------------------------------------------------------------------------------------------


def test_anonymous_reads_the_results_with_baselines_targets_actuals_and_progress(client, world, page):
    response = client.get(f"/p/{CODE}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    section = text(response)
    assert "Résultats" in section and "Effet" in section and "Collecte des déchets améliorée" in section
    assert "Les quartiers sont desservis chaque semaine." in section
    assert "Ménages desservis" in section and "Part des déchets brûlés" in section
    assert "Valeur de référence : 120 (2025)" in section and "Estimation de départ" in section
    assert "Un comité de suivi se réunit" in section and "Le comité s'est réuni deux fois" in section
    assert "67\u00a0% de la cible atteinte" in body  # (240 − 120) / (300 − 120)
    assert "51\u00a0% de la cible atteinte" in body  # lower is better: (40.5 − 25) / (40.5 − 10)
    assert body.count('data-testid="indicator-chart"') == 2  # the numeric indicators; not the qualitative one
    assert 'data-testid="recorded-by"' not in body and world.bri.full_name not in body
    assert "Brigades formées" in section  # the output without indicators yet
    assert "Modifier le résultat" not in section and "/resultats/" not in body  # none of the BRI's buttons


def test_a_project_without_results_or_updates_shows_neither_block(client, world):
    project = make_project(code="HT-BARE")
    publish(project, world.bri)
    body = client.get("/p/HT-BARE").get_data(as_text=True)
    assert 'id="results"' not in body and 'data-testid="public-updates"' not in body


def test_an_english_reader_reads_the_results_and_updates_in_english(client, page):
    english = client.get(f"/p/{CODE}?lang=en").get_data(as_text=True)
    assert "Results" in english and "Outcome" in english and "Better waste collection" in english
    assert "Households served" in english and "67% of the target reached" in english
    assert "Progress updates" in english and "The sorting centre opens" in english and "Opened." in english
    assert '<h3 class="h5 card-title" id="update-' in english
    assert 'lang="fr">Formation des brigades</h3>' in english  # written in French only: marked as such
    # The results' texts written in French only too; those with their English are not marked.
    assert 'data-testid="result-title" lang="fr">Brigades formées</span>' in english
    assert 'data-testid="result-title">Better waste collection</span>' in english
    assert 'lang="fr">Les quartiers sont desservis chaque semaine.</p>' in english
    assert 'data-testid="indicator-title" lang="fr">Part des déchets brûlés</span>' in english
    assert 'data-testid="indicator-title">Households served</span>' in english
    assert 'lang="fr">Relevé du service municipal.</p>' in english
    french = client.get(f"/p/{CODE}").get_data(as_text=True)
    assert 'data-testid="result-title">Brigades formées</span>' in french


# The updates and their photos ------------------------------------------------------------------------------------


def test_anonymous_reads_the_published_updates_with_their_consented_photos_only(client, world, page):
    _project, photos = page
    response = client.get(f"/p/{CODE}")
    body = response.get_data(as_text=True)
    assert "Actualités" in body and "Ouverture du centre de tri" in body and "Formation des brigades" in body
    assert "Ouverture du centre de tri : le texte." in body
    assert _photo_url(photos["consented"]) in body and 'alt="Les brigades au travail"' in body
    for hidden in ("refused", "internal", "other"):
        assert f"/photos/{photos[hidden].id}" not in body, hidden
    assert "Note interne du BRI" not in body and "Visages sans accord" not in body
    assert "/projets/" not in body.split('data-testid="public-updates"')[1].split("</section>")[0]  # no BRI route
    assert world.bri.full_name not in body  # no author


def test_a_consented_photo_is_served_without_a_session_and_cacheable(client, page):
    _project, photos = page
    response = client.get(_photo_url(photos["consented"]))
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.get_data())).size == (64, 48)
    assert "Set-Cookie" not in response.headers and client.get_cookie("session") is None
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


@pytest.mark.parametrize("which", ["refused", "internal", "other"])
def test_a_photo_the_page_does_not_show_is_404(client, page, which):
    _project, photos = page
    response = client.get(_photo_url(photos[which]))
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_a_photo_is_served_under_its_own_projects_code_only(client, page):
    _project, photos = page
    response = client.get(_photo_url(photos["other"], "HT-OTHER-R"))
    assert response.status_code == 200  # under its own project's code
    response.close()
    assert client.get(_photo_url(photos["consented"], "HT-OTHER-R")).status_code == 404


def test_the_photos_of_a_withdrawn_project_or_update_are_404(client, world, page):
    project, photos = page
    update = photos["consented"].update
    services.save_update(
        project,
        update,
        {"update_date": update.update_date, "title_fr": update.title_fr, "body_fr": update.body_fr, "published": False},
        world.bri,
    )
    _db.session.commit()
    assert client.get(_photo_url(photos["consented"])).status_code == 404
    assert "Ouverture du centre de tri" not in client.get(f"/p/{CODE}").get_data(as_text=True)
    services.unpublish_project(project, world.bri)
    _db.session.commit()
    assert client.get(_photo_url(photos["consented"])).status_code == 404


def test_the_bri_photo_route_stays_closed_to_anonymous_readers(client, page):
    project, photos = page
    response = client.get(f"/projets/{project.id}/photos/{photos['consented'].id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/compte/connexion")


@pytest.mark.parametrize(
    "path",
    [
        "/p/HT-PUB-R/photos/0",
        "/p/HT-PUB-R/photos/-1",
        "/p/HT-PUB-R/photos/99999999999999999999",
        "/p/HT-PUB-R/photos/1%00",
        "/p/HT-PUB-R/photos/abc",
        "/p/HT-PUB-R/photos/１",  # a full-width digit
        "/p/HT-PUB-R/photos/1.0",
        "/p/HT-PUB-R/photos/",
        "/p/HT-PUB-R%00/photos/1",
        "/p/%27--/photos/1",
        "/p/" + "A" * 5000 + "/photos/1",
    ],
)
def test_hostile_photo_addresses_are_404_never_500(client, page, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert "Set-Cookie" not in response.headers
