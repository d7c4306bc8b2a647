"""The whole journey in French with CSRF on: the employee applies and submits, the manager approves, the BRI
approves, the daily job runs twice, and the employee sees that the report is due."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.leave.models import LeaveRequest
from tests.e2e.helpers import log_in, log_out
from tests.factories import complete_checklist, ensure_country, make_cycle, make_partner

pytestmark = pytest.mark.e2e


def test_request_approved_twice_then_mission_runs_and_report_is_due(
    app, page, make_user, make_department, check_accessibility
):
    from app.core.database import montreal_today

    dept = make_department(name="Service de l'urbanisme", code="URB")
    manager = make_user(roles=("employee", "manager"), full_name="Bernard Lachance", department=dept)
    employee = make_user(full_name="Jean-Robert Désir", manager=manager, department=dept)
    bri = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur")
    ensure_country("HT")
    ensure_country("SN")
    make_cycle(year=2099)
    make_partner("Mairie de Jacmel", "HT", city="Jacmel")
    start = montreal_today() + timedelta(days=40)
    end = start + timedelta(days=11)

    # The employee applies.
    log_in(page, employee)
    page.get_by_role("link", name="Mes demandes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    check_accessibility(page)
    page.get_by_role("link", name="Nouvelle demande").click()
    check_accessibility(page)
    page.get_by_label("Appel de candidatures").select_option(label="2099")
    page.get_by_label("Pays de destination").select_option(label="Haïti")
    page.get_by_label("Ville", exact=True).fill("Jacmel")
    # The partner is a search-as-you-type field: type the start of a word, pick the result.
    page.get_by_role("combobox", name="Organisation partenaire d'accueil").press_sequentially("jacm")
    page.locator(".ts-dropdown .option", has_text="Mairie de Jacmel (Jacmel, Haïti)").click()
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date de fin").fill(end.isoformat())
    expect(page.locator("#working-days")).to_have_text(re.compile(r"^\d+$"))
    page.get_by_label("Objectifs de la mission").fill("Accompagner la planification de la collecte des déchets.")
    page.get_by_label("Expertise partagée").fill("Gestion des matières résiduelles")
    page.get_by_label("Retombées attendues pour la Ville").fill("Retour d'expérience")
    page.get_by_label("Langues", exact=True).fill("Français, créole")
    page.get_by_label("Transport (CAD)").fill("1500")
    page.get_by_label("Hébergement (CAD)").fill("1000")
    expect(page.locator("#total-cost")).to_contain_text("2 500,00")
    page.get_by_label("Montant demandé au BRI (CAD)").fill("2000")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.get_by_role("status")).to_contain_text("soumise")
    expect(page.locator("[data-status]").first).to_have_text("En attente du gestionnaire")
    reference = page.get_by_role("heading", level=1).inner_text().replace("Demande ", "")
    check_accessibility(page)
    log_out(page)

    # The manager reads on the home page what waits, and approves it by ticking it in the queue.
    log_in(page, manager)
    page.get_by_test_id("home-to-decide-count").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("À approuver")
    check_accessibility(page)
    page.get_by_label(f"Sélectionner {reference}").check()
    page.get_by_label("Commentaire pour chaque demande approuvée (facultatif)").fill("Bonne mission.")
    page.get_by_role("button", name="Approuver la sélection").click()
    expect(page.get_by_role("status").first).to_contain_text(f"1 demande approuvée : {reference}")
    expect(page.get_by_text("Rien n'attend votre décision.")).to_be_visible()
    log_out(page)

    # The BRI approves, seeing the cycle's budget.
    log_in(page, bri)
    page.wait_for_load_state("load")  # Bootstrap's script runs the menus
    page.get_by_test_id("nav-bri").click()
    page.get_by_role("link", name="File du BRI").first.click()
    expect(page.get_by_test_id("cycle-2099")).to_contain_text("Places restantes : 10 sur 10")
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name=reference, exact=True).click()
    check_accessibility(page)
    page.get_by_test_id("approve").click()
    expect(page.locator("[data-status]").first).to_have_text("Approuvée")
    check_accessibility(page)
    # The approved mission is on the calendar of who is away, in the month it starts.
    page.get_by_role("link", name="Qui est absent").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Qui est absent")
    page.goto(f"/calendrier?mois={start:%Y-%m}")
    expect(page.get_by_test_id("month-grid").get_by_role("link", name="Jean-Robert Désir").first).to_be_visible()
    log_out(page)

    # The employee's pre-departure checklist, complete (its pages: tests/integration/test_departure_checklist.py):
    # the daily job starts only a ready mission.
    complete_checklist(db.session.scalar(select(LeaveRequest).filter_by(reference=reference)))
    # The daily job: the mission starts, then ends.
    runner = app.test_cli_runner()
    for day in (start, end + timedelta(days=1)):
        result = runner.invoke(args=["workflow", "tick", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
    db.session.expire_all()

    # The employee sees the report is due.
    log_in(page, employee)
    page.get_by_role("link", name="Mes demandes").first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Rapport attendu")
    expect(row).to_contain_text("Rédigez le rapport de mission.")
    check_accessibility(page)
    row.get_by_role("link", name=reference, exact=True).click()
    history = page.get_by_test_id("history")
    for step in ["Soumise", "Approuvée par le gestionnaire", "Approuvée par le BRI", "Départ en mission"]:
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("par la tâche quotidienne")
    check_accessibility(page)
    assert db.session.query(LeaveRequest).one().status == "report_due"
