"""Open the home page, log in as a demo user in French, switch to English, log out."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e


def test_login_switch_language_and_logout(page, make_user, check_accessibility):
    user = make_user(roles=("employee", "admin"), full_name="Aline Tremblay", email="aline@demo.example")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/compte/connexion"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    check_accessibility(page)

    page.get_by_label("Adresse courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour, Aline Tremblay")
    expect(page.get_by_role("status")).to_contain_text("Bienvenue, Aline Tremblay.")
    check_accessibility(page)

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Aline Tremblay")

    page.wait_for_load_state("load")  # Bootstrap's script drives the menu
    page.wait_for_load_state("load")  # Bootstrap's script runs the menus
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion"))
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_wrong_password_shows_the_generic_message_in_french(page, make_user, check_accessibility):
    user = make_user()
    page.goto("/compte/connexion")
    page.get_by_label("Adresse courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill("not-the-password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#password-error")).to_have_text("Adresse courriel inconnue ou mot de passe erroné.")
    check_accessibility(page)
