"""Who is away, in a real browser: a manager opens the calendar, moves between months, reads it on a small screen
(a list instead of the grid), passes axe's accessibility checks, then subscribes to their calendar feed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in
from tests.factories import make_request, year_cycle

pytestmark = pytest.mark.e2e


def test_a_manager_reads_who_is_away_then_subscribes_to_the_feed(page, world):
    make_request(world, "approved", start=date(2027, 3, 1), end=date(2027, 3, 12), cycle=year_cycle(2027))
    log_in(page, world.manager)
    page.get_by_role("link", name="Qui est absent").click()
    page.goto("/calendrier?mois=2027-02")
    page.get_by_role("link", name="mars 2027").click()
    expect(page.get_by_test_id("month-name")).to_have_text("mars 2027")
    grid = page.get_by_test_id("month-grid")
    expect(grid.get_by_role("columnheader").first).to_have_text("dim.")  # Canada's weeks start on Sunday
    expect(grid.get_by_role("link", name="Éloïse Tremblay").first).to_be_visible()
    expect(page.get_by_test_id("month-list")).to_be_visible()  # below the grid: the month's absences once each

    from axe_playwright_python.sync_playwright import Axe

    # The page's own content (the navigation bar is shared by every page: not this test's subject).
    results = Axe().run(page, context="main")
    assert results.violations_count == 0, results.generate_report()

    page.set_viewport_size({"width": 390, "height": 800})
    expect(grid).to_be_hidden()
    expect(page.get_by_test_id("month-list")).to_contain_text("Éloïse Tremblay · Haïti · 1er mars 2027 – 12 mars 2027")

    page.get_by_role("link", name="Ajouter ces missions à votre agenda").click()
    page.get_by_test_id("renew-feed").click()
    address = page.get_by_label("L'adresse de votre calendrier (affichée une seule fois : copiez-la maintenant)")
    feed = page.request.get(address.input_value())
    assert feed.ok and "BEGIN:VEVENT" in feed.text() and "STATUS:CONFIRMED" in feed.text()
