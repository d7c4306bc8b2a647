"""The host partner's confirmation in a real browser, CSRF on: the BRI sends the link from the request page, the
partner's contact opens it in a browser of their own (no account), reads the mission in English, switches to
French, confirms; the BRI sees the confirmation on the decision panel and in the history."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.notifications import OutboxEmail
from app.extensions import db
from tests.e2e.helpers import log_in
from tests.factories import make_contact, make_partner, make_request

pytestmark = pytest.mark.e2e
LINK = re.compile(r"https?://[^/\s]+(/partenaire/confirmation/[A-Za-z0-9_-]{43})")


def test_the_bri_sends_the_link_and_the_partner_confirms_without_an_account(
    browser, live_server, page, world, check_accessibility
):
    partner = make_partner("Mairie de Jacmel", city="Jacmel")
    make_contact(partner, language="en", name="Jean-Robert Pierre", email="jr.pierre@jacmel.example")
    req = make_request(world, "manager_approved", partner=partner, expertise="Collecte sélective")

    log_in(page, world.bri)
    page.goto(f"/conges/{req.id}")
    panel = page.get_by_test_id("partner-panel")
    expect(panel).to_contain_text("Pas encore demandée.")
    panel.get_by_label("Contact du partenaire d'accueil").select_option(
        label="Jean-Robert Pierre <jr.pierre@jacmel.example>"
    )
    panel.get_by_test_id("partner-ask").click()
    expect(page.get_by_test_id("partner-state")).to_have_attribute("data-state", "pending")
    check_accessibility(page)

    db.session.expire_all()
    email = db.session.scalars(select(OutboxEmail).filter_by(to_address="jr.pierre@jacmel.example")).one()
    path = LINK.search(email.body).group(1)

    context = browser.new_context(base_url=live_server, locale="en-CA")
    partner_page = context.new_page()
    try:
        partner_page.goto(path)
        expect(partner_page.locator("html")).to_have_attribute("lang", "en")
        expect(partner_page.get_by_role("heading", level=1)).to_have_text(f"Confirm the mission {req.reference}")
        expect(partner_page.get_by_test_id("partner-expertise")).to_have_text("Collecte sélective")
        check_accessibility(partner_page)
        partner_page.get_by_test_id("lang-fr").click()
        expect(partner_page.get_by_role("heading", level=1)).to_have_text(f"Confirmer la mission {req.reference}")
        partner_page.get_by_label("Nous confirmons que nous accueillerons cette mission").check()
        partner_page.get_by_role("button", name="Envoyer la réponse").click()
        expect(partner_page.get_by_test_id("partner-thanks")).to_contain_text("Votre réponse est enregistrée")
        partner_page.goto(path)
        expect(partner_page.get_by_test_id("partner-closed")).to_have_attribute("data-reason", "gone")
    finally:
        context.close()

    page.reload()
    expect(page.get_by_test_id("partner-state")).to_have_attribute("data-state", "confirmed")
    expect(page.get_by_test_id("history")).to_contain_text(
        "par Jean-Robert Pierre (jr.pierre@jacmel.example), partenaire d'accueil"
    )
