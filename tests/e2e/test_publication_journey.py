"""A BRI officer publishes a project from its page; a visitor without an account reads its public page, in French
then in English, with no cookie, and follows the link to its IATI file — in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in
from tests.factories import add_lines, make_partner, make_project, make_sector

pytestmark = pytest.mark.e2e


def test_bri_publishes_a_project_that_a_visitor_reads(page, browser, live_server, make_user, check_accessibility):
    officer = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur", email="rodrigue@demo.example")
    project = make_project(
        sector=make_sector("14050", name_fr="Traitement des déchets", name_en="Waste management"),
        code="HT-PALMES-MR",
        title_fr="Gestion des matières résiduelles",
        title_en="Solid waste management",
    )
    add_lines(project, funding=[("federal", "5000")], partners=[(make_partner("Mairie de Léogâne"), "implementing")])

    log_in(page, officer)
    page.goto(f"/projets/{project.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success").first).to_contain_text("Projet HT-PALMES-MR publié.")
    expect(page.get_by_test_id("published-badge")).to_have_text("Publié")
    check_accessibility(page)

    visitor = browser.new_context(base_url=live_server, locale="fr-CA")
    try:
        public = visitor.new_page()
        public.goto("/p/HT-PALMES-MR")
        expect(public.get_by_role("heading", level=1)).to_have_text("Gestion des matières résiduelles")
        expect(public.get_by_test_id("public-partners")).to_contain_text("Mairie de Léogâne")
        check_accessibility(public)
        public.get_by_test_id("lang-en").click()
        expect(public.get_by_role("heading", level=1)).to_have_text("Solid waste management")
        expect(public.locator("html")).to_have_attribute("lang", "en")
        check_accessibility(public)
        assert visitor.cookies() == []
        with public.expect_response(lambda r: r.url.endswith(f"/projets/{project.id}/iati.xml")) as answer:
            public.get_by_test_id("public-iati-link").click()
        assert answer.value.status == 200 and "HT-PALMES-MR" in answer.value.text()
    finally:
        visitor.close()
