"""A BRI officer writes a progress update on a project and adds a photo to it; the photo shows in the page (the
browser draws it, at the size the page gives) — in French, in a real browser, with CSRF protection on."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import log_in
from tests.factories import make_project

pytestmark = pytest.mark.e2e


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1600), (20, 110, 60)).save(out, "JPEG")
    return out.getvalue()


def test_bri_officer_writes_an_update_with_a_photo(page, make_user, check_accessibility):
    officer = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur")
    project = make_project(code="HT-PALMES-MR", title_fr="Matières résiduelles – Région des Palmes")

    log_in(page, officer)

    page.goto(f"/projets/{project.id}")
    page.get_by_test_id("new-update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle actualité")
    check_accessibility(page)
    page.get_by_label("Titre en français").fill("Ouverture du centre de tri")
    page.get_by_label("Texte en français").fill("Le centre de tri de Léogâne a ouvert ses portes.")
    page.get_by_role("button", name="Enregistrer l'actualité").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ouverture du centre de tri")
    expect(page.locator(".alert-success").first).to_contain_text("Actualité ajoutée.")
    page.get_by_text("Ajouter une photo").click()
    page.locator("#photo-photo").set_input_files(
        files=[{"name": "brigade.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.locator("#photo-caption_fr").fill("La brigade de collecte devant le centre")
    page.get_by_label("Les personnes photographiées ont consenti à la publication de cette photo").check()
    page.get_by_role("button", name="Ajouter la photo").click()
    expect(page.locator(".alert-success").first).to_contain_text("Photo ajoutée.")

    photo = page.get_by_role("img", name="La brigade de collecte devant le centre")
    expect(photo).to_have_attribute("width", "1600")
    expect(photo).to_have_attribute("height", "1067")
    photo.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 1600", arg=photo.element_handle())
    check_accessibility(page)

    page.goto(f"/projets/{project.id}")
    expect(page.get_by_test_id("update")).to_contain_text("Ouverture du centre de tri")
    expect(page.get_by_test_id("history")).to_contain_text("Ajout — Photo")
