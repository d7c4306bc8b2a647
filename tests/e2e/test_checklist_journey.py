"""The pre-departure checklist in a real browser, in French, CSRF on (issue 13): the employee completes each item of
their approved mission through the page's forms (a document uploaded, a passport that expires too early refused next
to its field); the BRI records an exception for a mission whose checklist is incomplete and reads it in the history;
the BRI adds an item to the cycle and the employee's checklist counts it."""

import struct
import zlib
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.extensions import db
from app.leave.checklist import months_after, passport_needed_until
from app.leave.checklist_models import ChecklistEntry
from tests.e2e.helpers import log_in, log_out
from tests.factories import PDF, complete_checklist, make_request

pytestmark = pytest.mark.e2e
COMPLETED = "Élément de la liste de vérification rempli."
EXCEPTION = "Assurance confirmée par téléphone avec l'assureur ; l'attestation suit."


def png() -> bytes:
    """A real PNG image of one white pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def item(page, key: str):
    return page.locator(f'[data-testid="checklist-item"][data-key="{key}"]')


def save(page, key: str, done: int, total: int = 7) -> None:
    """Submit the item's form; the page comes back with the item completed and the counter at ``done``."""
    item(page, key).get_by_test_id("checklist-save").click()
    expect(item(page, key)).to_have_attribute("data-done", "yes")
    readiness = page.get_by_test_id("checklist-readiness")
    expect(readiness).to_have_attribute("data-done", str(done))
    expect(readiness).to_have_attribute("data-total", str(total))
    expect(page.get_by_role("status")).to_have_text(COMPLETED)


def entries(req) -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(ChecklistEntry.key).filter_by(request_id=req.id)))


def test_the_employee_completes_every_item_of_the_checklist_through_its_forms(
    page, world, tmp_path, check_accessibility
):
    req = make_request(world, "approved")
    today = montreal_today()
    certificate = tmp_path / "attestation-assurance.pdf"
    certificate.write_bytes(PDF)

    log_in(page, world.applicant)
    page.goto(f"/conges/{req.id}")
    expect(page.get_by_test_id("checklist-fact")).to_have_attribute("data-done", "0")
    page.locator("main").get_by_role("link", name="Remplir la liste de vérification", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Liste de vérification avant le départ de {req.reference}"
    )
    readiness = page.get_by_test_id("checklist-readiness")
    expect(readiness).to_have_attribute("data-done", "0")
    expect(readiness).to_have_attribute("data-total", "7")
    expect(readiness).to_contain_text("7 éléments manquants")
    check_accessibility(page)

    item(page, "training").get_by_label("Date de la formation").fill(today.isoformat())
    save(page, "training", 1)

    item(page, "insurance").get_by_label("Pièce").set_input_files(certificate)
    save(page, "insurance", 2)
    expect(item(page, "insurance").get_by_role("link", name="attestation-assurance.pdf")).to_be_visible()
    with page.expect_download() as download:
        item(page, "insurance").get_by_role("link", name="attestation-assurance.pdf").click()
    assert download.value.suggested_filename == "attestation-assurance.pdf"
    assert download.value.path().read_bytes() == PDF

    # A passport that expires less than six months after the return: refused next to its field, nothing saved.
    needed = passport_needed_until(req)
    passport = item(page, "passport")
    passport.get_by_label("Date d'expiration du passeport").fill((needed - timedelta(days=1)).isoformat())
    passport.get_by_test_id("checklist-save").click()
    field = item(page, "passport").get_by_label("Date d'expiration du passeport")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = item(page, "passport").locator("#item-passport-expires_on-error")
    expect(error).to_contain_text("Votre passeport doit être valide au moins jusqu'au")
    expect(error).to_contain_text("(six mois après le retour)")
    expect(field).to_have_attribute("aria-describedby", "item-passport-expires_on-error")
    expect(item(page, "passport")).to_have_attribute("data-done", "no")
    expect(page.get_by_test_id("checklist-readiness")).to_have_attribute("data-done", "2")
    assert entries(req) == {"training", "insurance"}
    field.fill(months_after(req.end_date, 7).isoformat())
    save(page, "passport", 3)

    item(page, "visa").get_by_label("Non", exact=True).check()
    save(page, "visa", 4)
    expect(item(page, "visa").get_by_test_id("checklist-entry")).to_contain_text("Visa exigé\u00a0: non")

    registration = item(page, "registration")
    registration.get_by_label("Mon inscription est faite").check()
    registration.get_by_label("Date de l'inscription").fill(today.isoformat())
    save(page, "registration", 5)

    item(page, "health").get_by_label("J'ai consulté les conseils de santé aux voyageurs").check()
    save(page, "health", 6)

    emergency = item(page, "emergency")
    emergency.get_by_label("Nom de la personne").fill("Lucie Tremblay")
    emergency.get_by_label("Téléphone de la personne").fill("+1 514 555-0199")
    save(page, "emergency", 7)
    expect(item(page, "emergency").get_by_test_id("checklist-entry")).to_contain_text("Lucie Tremblay, +1 514 555-0199")

    expect(page.get_by_test_id("checklist-readiness")).to_contain_text("Prête au départ")
    assert entries(req) == {"training", "insurance", "passport", "visa", "registration", "health", "emergency"}
    page.locator("main").get_by_role("link", name="Retour à la demande", exact=True).click()
    expect(page.get_by_test_id("checklist-fact")).to_have_attribute("data-done", "7")


def test_the_bri_records_an_exception_for_an_incomplete_checklist_and_reads_it_in_the_history(
    page, world, check_accessibility
):
    req = make_request(world, "approved", applicant=world.colleague)
    complete_checklist(req, keys={"training", "health"})

    log_in(page, world.bri)
    page.goto(f"/conges/{req.id}")
    page.locator("main").get_by_role("link", name="Voir la liste de vérification", exact=True).click()
    readiness = page.get_by_test_id("checklist-readiness")
    expect(readiness).to_have_attribute("data-done", "2")
    expect(readiness).to_have_attribute("data-total", "7")
    # The BRI reads the checklist; only the applicant completes it.
    expect(page.get_by_test_id("checklist-save")).to_have_count(0)
    check_accessibility(page)

    form = page.get_by_test_id("checklist-exception-form")
    form.get_by_role("button", name="Consigner une exception à la liste de vérification", exact=True).click()
    comment = page.get_by_test_id("checklist-exception-form").get_by_label("Commentaire")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#checklist_exception-comment-error")).to_have_text(
        "Expliquez pourquoi la mission peut partir avec une liste de vérification incomplète."
    )
    db.session.expire_all()
    assert db.session.get(type(req), req.id).version == req.version

    comment.fill(EXCEPTION)
    page.get_by_test_id("checklist-exception-form").get_by_role(
        "button", name="Consigner une exception à la liste de vérification", exact=True
    ).click()
    expect(page.get_by_role("status")).to_have_text("Exception consignée : la mission commence à sa date.")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Départ autorisé par le BRI malgré une liste de vérification incomplète")
    expect(history).to_contain_text(EXCEPTION)
    expect(history).to_contain_text("Rodrigue Saint-Fleur")

    page.locator("main").get_by_role("link", name="Voir la liste de vérification", exact=True).click()
    expect(page.get_by_test_id("checklist-exception")).to_contain_text(EXCEPTION)
    expect(page.get_by_test_id("checklist-exception-form")).to_have_count(0)


def test_the_bri_adds_an_item_to_the_cycle_and_the_employee_completes_it(page, world, tmp_path, check_accessibility):
    req = make_request(world, "approved")
    complete_checklist(req)
    certificate = tmp_path / "vaccin.png"
    certificate.write_bytes(png())

    log_in(page, world.bri)
    page.goto(f"/conges/{req.id}/preparatifs")
    expect(page.get_by_test_id("checklist-readiness")).to_contain_text("Prête au départ")
    page.locator("main").get_by_role(
        "link", name=f"Éléments ajoutés aux listes de vérification du cycle {world.cycle.year}", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Éléments de la liste de vérification du cycle {world.cycle.year}"
    )
    check_accessibility(page)
    page.get_by_label("Libellé en français").fill("Certificat international de vaccination")
    page.get_by_label("Libellé en anglais").fill("International certificate of vaccination")
    page.get_by_label("Un document est exigé").check()
    page.get_by_role("button", name="Ajouter l'élément", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Élément ajouté à la liste de vérification du cycle.")
    row = page.get_by_test_id("cycle-items").get_by_role("row").filter(has_text="Certificat international")
    expect(row).to_contain_text("International certificate of vaccination")
    expect(row.get_by_role("cell").nth(2)).to_have_text("exigée")
    log_out(page)

    log_in(page, world.applicant)
    page.goto(f"/conges/{req.id}/preparatifs")
    readiness = page.get_by_test_id("checklist-readiness")
    expect(readiness).to_have_attribute("data-done", "7")
    expect(readiness).to_have_attribute("data-total", "8")
    expect(readiness).to_contain_text("1 élément manquant")
    extra = page.get_by_test_id("checklist-item").filter(has_text="Certificat international de vaccination")
    expect(extra).to_have_attribute("data-done", "no")
    key = extra.get_attribute("data-key")
    check_accessibility(page)

    # Its document is required: ticking alone is refused next to the file field.
    extra = item(page, key)
    extra.get_by_label("Cet élément est fait").check()
    extra.get_by_test_id("checklist-save").click()
    expect(item(page, key).locator(f"#item-{key}-file-error")).to_be_visible()
    expect(page.get_by_test_id("checklist-readiness")).to_have_attribute("data-done", "7")

    item(page, key).get_by_label("Cet élément est fait").check()
    item(page, key).get_by_label("Pièce").set_input_files(certificate)
    save(page, key, 8, total=8)
    expect(item(page, key).get_by_role("link", name="vaccin.png")).to_be_visible()
    expect(page.get_by_test_id("checklist-readiness")).to_contain_text("Prête au départ")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ChecklistEntry.id)).filter_by(request_id=req.id)) == 8
