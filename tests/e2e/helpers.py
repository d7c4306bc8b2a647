"""What the browser journeys share: logging in and out through the pages, as a user does."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def log_in(page, user):
    """Log ``user`` in through the login form (a fresh session: the context's cookies are cleared first)."""
    page.context.clear_cookies()
    page.goto("/compte/connexion")
    page.get_by_label("Adresse courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour, {user.full_name}")


def log_out(page):
    page.wait_for_load_state("load")  # Bootstrap's script runs the menus
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion"))
