"""A BRI officer creates a project with two funding lines and a milestone, links a mission, records an
expenditure and sees the totals — in French, in a real browser, with CSRF protection on."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.projects import services as project_services
from tests.e2e.helpers import log_in
from tests.factories import make_project, make_request, make_sector, year_cycle

pytestmark = pytest.mark.e2e


def amount(text: str) -> re.Pattern:
    """An amount as Babel writes it in French, whatever the kind of (non-breaking) space."""
    return re.compile(re.escape(text).replace("\\ ", r"\s"))


def test_bri_officer_runs_a_project(page, make_user, check_accessibility):
    officer = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur", email="rodrigue@demo.example")
    employee = make_user(full_name="Farah Louissaint")
    make_sector("14050", name_fr="Traitement des déchets", name_en="Waste management")
    mission = make_request(applicant=employee, cycle=year_cycle(2026), status="approved", days=10)

    log_in(page, officer)

    page.get_by_test_id("nav-projects").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projets de coopération")
    check_accessibility(page)
    page.get_by_test_id("new-project").click()
    check_accessibility(page)
    page.get_by_label("Code", exact=True).fill("HT-PALMES-MR")
    page.get_by_label("Titre en français").fill("Appui à la gestion des matières résiduelles – Région des Palmes")
    page.get_by_label("Localité").fill("Léogâne")
    page.get_by_label("Secteur (code-objet du CAD de l'OCDE)").select_option(label="14050 – Traitement des déchets")
    page.get_by_label("Statut", exact=True).select_option("active")
    page.get_by_label("Date de début").fill("2026-01-01")
    page.get_by_label("Date de fin").fill("2027-12-31")
    page.get_by_label("Budget (CAD)").fill("2 000,00")
    page.get_by_role("button", name="Enregistrer le projet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Appui à la gestion des matières résiduelles – Région des Palmes"
    )
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text("créé")
    check_accessibility(page)

    for source, value in (("bri_operating", "1 000,10"), ("federal", "500,20")):
        page.get_by_text("Ajouter une ligne de financement").click()
        page.locator("#funding-source").select_option(source)
        page.locator("#funding-amount").fill(value)
        page.get_by_role("button", name="Ajouter la ligne de financement").click()
        expect(page.locator(".alert-success").first).to_contain_text("Ligne de financement ajoutée.")

    page.get_by_text("Ajouter un jalon").click()
    page.locator("#milestone-title").fill("Plan intercommunal de collecte adopté")
    page.locator("#milestone-due_on").fill("2026-06-30")
    page.get_by_role("button", name="Ajouter le jalon").click()
    expect(page.get_by_test_id("milestones")).to_contain_text("Plan intercommunal de collecte adopté")

    page.get_by_text("Lier une mission").click()
    # A search-as-you-type field (Tom Select over the JSON endpoint), not a <select> of every request.
    page.locator("#link-request_id-ts-control").press_sequentially("farah")
    page.locator(".ts-dropdown .option", has_text=mission.reference).click()
    expect(page.locator("input#link-request_id")).to_have_value(str(mission.id))
    page.get_by_role("button", name="Lier la mission").click()
    expect(page.get_by_test_id("missions")).to_contain_text(mission.reference)
    expect(page.get_by_test_id("missions")).to_contain_text("Farah Louissaint")

    page.get_by_text("Enregistrer une dépense").click()
    page.locator("#expenditure-spent_on").fill(date(2026, 3, 15).isoformat())
    page.locator("#expenditure-amount").fill("250,05")
    page.locator("#expenditure-description").fill("Formation des brigades de collecte")
    page.locator("#expenditure-source").select_option("federal")
    page.get_by_role("button", name="Enregistrer la dépense").click()
    expect(page.locator(".alert-success").first).to_contain_text("Dépense enregistrée.")

    expect(page.get_by_test_id("summary-budget")).to_have_text(amount("2 000,00 $"))
    expect(page.get_by_test_id("summary-funded")).to_have_text(amount("1 500,30 $"))
    expect(page.get_by_test_id("summary-spent")).to_have_text(amount("250,05 $"))
    expect(page.get_by_test_id("summary-remaining")).to_have_text(amount("1 749,95 $"))
    expect(page.get_by_test_id("summary-in-kind")).to_have_text(amount("4 500,00 $"))  # 10 days × 450.00
    expect(page.get_by_test_id("overspent-alert")).to_have_count(0)
    expect(page.get_by_test_id("history")).to_contain_text("Liaison — Mission")
    check_accessibility(page)  # with a late milestone (due 30 June 2026) and its buttons

    page.get_by_role("link", name="Projets de coopération").first.click()
    expect(page.get_by_test_id("total-funded")).to_have_text(amount("1 500,30 $"))
    expect(page.get_by_test_id("total-spent")).to_have_text(amount("250,05 $"))
    check_accessibility(page)


def test_linking_a_mission_of_another_project_asks_before_moving_it(page, make_user, db):
    officer = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur")
    employee = make_user(full_name="Farah Louissaint")
    water = make_project(code="HT-PAP-EAU", title_fr="Eau potable – Port-au-Prince")
    palms = make_project(code="HT-PAL-DEC", title_fr="Décentralisation – Région des Palmes")
    mission = make_request(applicant=employee, cycle=year_cycle(2026), status="approved", days=10)
    project_services.link_request_to_project(mission, water, officer)
    db.session.commit()

    log_in(page, officer)
    page.goto(f"/projets/{palms.id}")
    page.get_by_text("Lier une mission").click()
    page.locator("#link-request_id-ts-control").press_sequentially("farah")
    option = page.locator(".ts-dropdown .option", has_text=mission.reference)
    expect(option).to_contain_text("projet HT-PAP-EAU")  # the picker says where the mission is now
    option.click()
    page.get_by_role("button", name="Lier la mission").click()

    expect(page.locator("#missions")).to_contain_text("Cette mission est liée au projet HT-PAP-EAU")
    expect(page.get_by_test_id("missions")).to_have_count(0)  # nothing moved yet
    page.get_by_role("button", name="Confirmer le déplacement").click()
    expect(page.locator(".alert-success").first).to_contain_text("Mission liée au projet.")
    expect(page.get_by_test_id("missions")).to_contain_text(mission.reference)
    page.goto(f"/projets/{water.id}")
    expect(page.get_by_test_id("history")).to_contain_text(mission.reference)
    expect(page.get_by_test_id("missions")).to_have_count(0)
