"""At 375 px wide (a phone), the request form and the three queues fit the screen: nothing scrolls sideways, every
button is whole on the screen, and the queues still show the amount and the waiting time."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in
from tests.factories import REPORT_TEXT

pytestmark = pytest.mark.e2e

WIDTH = 375
# What sticks out on the right, to say it when a page is too wide.
WIDE_ELEMENTS = """() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > 376).slice(0, 10)
    .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-CA", viewport={"width": WIDTH, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide: {page.evaluate(WIDE_ELEMENTS)}"
    for button in page.locator("main .btn:visible, main button:visible").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{button.inner_text()!r} is cut: {box}"


def assert_shown(page, text):
    cell = page.get_by_text(text, exact=True).locator("visible=true").first
    box = cell.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{text!r} is off-screen: {box}"


def test_request_form_fits_a_phone(phone, world):
    log_in(phone, world.applicant)
    phone.goto("/conges/nouvelle")
    expect(phone.get_by_role("button", name="Enregistrer et soumettre")).to_be_visible()
    assert_fits(phone)


def test_queues_fit_a_phone_and_show_the_amount_and_the_wait(phone, world, make_mission):
    make_mission("submitted", amount="1234.00")
    make_mission("manager_approved", applicant=world.colleague, amount="2345.00")
    make_mission("report_submitted", applicant=world.delegate, report=REPORT_TEXT)

    log_in(phone, world.manager)
    phone.goto("/conges/a-approuver")
    assert_fits(phone)
    assert_shown(phone, "1\u00a0234,00\u00a0$")

    log_in(phone, world.bri)
    phone.goto("/conges/bri/file")
    assert_fits(phone)
    assert_shown(phone, "2\u00a0345,00\u00a0$")

    phone.goto("/rapports/a-examiner")
    assert_fits(phone)
    assert_shown(phone, "Jours depuis le retour")
