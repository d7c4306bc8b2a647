"""A BRI officer builds a project's results framework from its page — a result, its indicator, a period with its
target, the period's actual value — publishes the project, and a visitor without an account reads the results on
its public page, in French then in English. In a real browser, with CSRF protection on; a form refused with its
errors adds nothing."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.projects.results import IndicatorPeriod
from tests.e2e.helpers import log_in
from tests.factories import add_lines, make_partner, make_project, make_sector

pytestmark = pytest.mark.e2e

RESULT_FR = "Collecte des déchets organisée dans trois quartiers"
RESULT_EN = "Waste collection organised in three neighbourhoods"
INDICATOR_FR = "Nombre de ménages desservis par la collecte"


def spaced(text: str) -> re.Pattern:
    """A text as Babel writes it in French, whatever the kind of (non-breaking) space."""
    return re.compile(re.escape(text).replace("\\ ", r"\s"))


def expect_field_error(page, label: str, message: str) -> None:
    """The field named ``label`` shows ``message`` just below it, marked invalid, and a screen reader hears the
    message with the field (its ``aria-describedby``)."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field.locator("xpath=following-sibling::*[contains(@class, 'invalid-feedback')]")).to_have_text(message)
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def test_bri_records_a_result_that_a_visitor_reads(page, browser, live_server, make_user, check_accessibility):
    officer = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur", email="rodrigue@demo.example")
    project = make_project(
        sector=make_sector("14050", name_fr="Traitement des déchets", name_en="Waste management"),
        code="HT-PALMES-RES",
        title_fr="Gestion des matières résiduelles",
        title_en="Solid waste management",
    )
    add_lines(project, funding=[("federal", "5000")], partners=[(make_partner("Mairie de Léogâne"), "implementing")])
    main = page.locator("main")

    log_in(page, officer)
    page.goto(f"/projets/{project.id}")
    expect(page.get_by_test_id("no-results")).to_be_visible()

    # 1. A result.
    page.get_by_test_id("add-result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau résultat")
    check_accessibility(page)
    page.get_by_label("Type de résultat").select_option(label="Effet")
    page.get_by_label("Titre en français").fill(RESULT_FR)
    page.get_by_label("Titre en anglais").fill(RESULT_EN)
    page.get_by_role("button", name="Enregistrer le résultat").click()
    expect(page.locator(".alert-success").first).to_contain_text("Résultat ajouté.")
    result = page.get_by_test_id("result")
    expect(result).to_have_count(1)
    expect(result.get_by_test_id("result-title")).to_have_text(RESULT_FR)
    expect(result.get_by_test_id("result-type")).to_have_text("Effet")

    # 2. Its indicator, with its baseline.
    result.get_by_role("link", name="Ajouter un indicateur", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel indicateur")
    expect(page.get_by_test_id("result-form-context")).to_have_text(RESULT_FR)
    check_accessibility(page)
    page.get_by_label("Titre en français").fill(INDICATOR_FR)
    page.get_by_label("Mesure").select_option(label="Unité (un nombre)")
    expect(page.get_by_label("Une valeur plus élevée est meilleure")).to_be_checked()
    page.get_by_label("Année de la valeur de référence").fill("2025")
    page.get_by_label("Valeur de référence", exact=True).fill("200")
    page.get_by_role("button", name="Enregistrer l'indicateur").click()
    expect(page.locator(".alert-success").first).to_contain_text("Indicateur ajouté.")
    indicator = page.get_by_test_id("indicator")
    expect(indicator.get_by_role("heading", level=4)).to_have_text(spaced(f"Indicateur : {INDICATOR_FR}"))
    expect(indicator.get_by_test_id("baseline")).to_contain_text(spaced("Valeur de référence : 200 (2025)"))

    # A period refused: the end before the start, a target that is no number. The errors sit next to their fields.
    indicator.get_by_role("link", name="Ajouter une période", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle période")
    expect(page.get_by_test_id("result-form-context")).to_have_text(INDICATOR_FR)
    check_accessibility(page)
    page.get_by_label("Début de la période").fill("2026-12-31")
    page.get_by_label("Fin de la période").fill("2026-01-01")
    page.get_by_label("Valeur cible").fill("abc")
    page.get_by_role("button", name="Enregistrer la période").click()
    expect_field_error(page, "Fin de la période", "La date de fin doit être égale ou postérieure à la date de début.")
    expect_field_error(page, "Valeur cible", "Entrez un nombre, par exemple 1234,5.")
    expect(page.get_by_label("Début de la période")).not_to_have_attribute("aria-invalid", "true")
    check_accessibility(page)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(IndicatorPeriod)) == 0

    # The period, corrected, with its target.
    page.get_by_label("Début de la période").fill("2026-01-01")
    page.get_by_label("Fin de la période").fill("2026-12-31")
    page.get_by_label("Valeur cible").fill("1 200")
    page.get_by_label("Commentaire sur la cible").fill("Les ménages des quartiers Darbonne, Ça-Ira et Brache.")
    page.get_by_role("button", name="Enregistrer la période").click()
    expect(page.locator(".alert-success").first).to_contain_text("Période ajoutée.")
    period = page.get_by_test_id("period")
    expect(period).to_have_count(1)
    expect(period.get_by_role("cell").first).to_contain_text(spaced("1 200"))
    expect(period).to_contain_text("Pas encore saisie")

    # 3. The period's actual value.
    period.get_by_role("link", name="Saisir la valeur réelle", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir la valeur réelle")
    check_accessibility(page)
    page.get_by_label("Valeur réelle", exact=True).fill("950")
    page.get_by_label("Commentaire sur la valeur réelle").fill("Compté par la mairie en novembre.")
    page.get_by_role("button", name="Saisir la valeur réelle").click()
    expect(page.locator(".alert-success").first).to_contain_text("Valeur réelle enregistrée.")
    expect(period.get_by_role("cell").nth(1)).to_contain_text("950")
    expect(period.get_by_role("cell").nth(1)).to_contain_text("Compté par la mairie en novembre.")
    expect(period.get_by_test_id("recorded-by")).to_contain_text("Rodrigue Saint-Fleur")
    expect(period.get_by_test_id("progress")).to_have_text(spaced("75 % de la cible atteinte"))
    expect(indicator.get_by_test_id("indicator-chart").locator("svg")).to_be_visible()
    # Beside the chart, on a 1280 px screen, the period's buttons stay on the page (they wrap rather than overflow).
    actions = period.get_by_test_id("period-actions").bounding_box()
    assert actions is not None and actions["x"] + actions["width"] <= page.viewport_size["width"], actions
    check_accessibility(page)

    # 4. Publication.
    page.once("dialog", lambda dialog: dialog.accept())
    main.get_by_test_id("publish").click()
    expect(page.locator(".alert-success").first).to_contain_text("Projet HT-PALMES-RES publié.")
    expect(page.get_by_test_id("published-badge")).to_have_text("Publié")

    # 5. A visitor reads the results, in French then in English.
    visitor = browser.new_context(base_url=live_server, locale="fr-CA")
    try:
        public = visitor.new_page()
        public.goto("/p/HT-PALMES-RES")
        expect(public.get_by_role("heading", level=1)).to_have_text("Gestion des matières résiduelles")
        public_result = public.get_by_test_id("result")
        expect(public_result.get_by_test_id("result-title")).to_have_text(RESULT_FR)
        expect(public_result.get_by_test_id("indicator-title")).to_have_text(INDICATOR_FR)
        public_period = public_result.get_by_test_id("period")
        expect(public_period.get_by_role("cell").first).to_contain_text(spaced("1 200"))
        expect(public_period.get_by_role("cell").nth(1)).to_contain_text("950")
        expect(public_period.get_by_test_id("progress")).to_have_text(spaced("75 % de la cible atteinte"))
        expect(public_period.get_by_test_id("recorded-by")).to_have_count(0)
        expect(public_result.get_by_role("link")).to_have_count(0)
        expect(public_result.get_by_role("button")).to_have_count(0)
        check_accessibility(public)

        public.get_by_test_id("lang-en").click()
        expect(public.locator("html")).to_have_attribute("lang", "en")
        expect(public.get_by_role("heading", level=1)).to_have_text("Solid waste management")
        expect(public_result.get_by_test_id("result-title")).to_have_text(RESULT_EN)
        expect(public_result.get_by_test_id("result-type")).to_have_text("Outcome")
        # The indicator, written in French only, is read in French and says so.
        expect(public_result.get_by_test_id("indicator-title")).to_have_text(INDICATOR_FR)
        expect(public_result.get_by_test_id("indicator-title")).to_have_attribute("lang", "fr")
        expect(public_period.get_by_test_id("progress")).to_have_text("75% of the target reached")
        assert visitor.cookies() == []
    finally:
        visitor.close()
