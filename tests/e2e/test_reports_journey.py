"""The report cycle in a real browser: the employee writes and submits, the BRI returns it with a comment, the
employee corrects it, the BRI accepts, the mission shows as closed."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def log_out(page):
    page.wait_for_load_state("load")  # Bootstrap's script runs the menus
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion"))


def test_report_written_returned_corrected_and_accepted(page, world, make_mission, check_accessibility):
    req = make_mission("report_due", report={})

    # The employee writes a draft, then submits.
    log_in(page, world.applicant)
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name=f"Rédiger le rapport de {req.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapport de mission {req.reference}")
    check_accessibility(page)
    page.get_by_label("Activités réalisées").fill("Ateliers d’urbanisme avec la mairie de Jacmel.")
    page.get_by_label("Résultats").fill("Un plan d’aménagement esquissé.")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_role("status")).to_contain_text("Votre brouillon est enregistré.")
    expect(page.get_by_label("Activités réalisées")).to_have_value("Ateliers d’urbanisme avec la mairie de Jacmel.")
    page.get_by_label("Leçons apprises").fill("Écouter d’abord les comités de quartier.")
    page.get_by_label("Témoignage", exact=True).fill("Une expérience marquante.")
    page.get_by_label("J’accepte que le BRI cite mon témoignage dans ses communications").check()
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_role("status")).to_contain_text("Votre rapport est soumis.")
    expect(page.get_by_test_id("report-state")).to_have_text("Rapport en examen au BRI")
    check_accessibility(page)
    log_out(page)

    # The BRI finds it in the queue and returns it with a comment.
    log_in(page, world.bri)
    navigation = page.get_by_role("navigation", name="Navigation principale")
    page.wait_for_load_state("load")  # Bootstrap's script runs the menus
    navigation.get_by_test_id("nav-bri").click()
    navigation.get_by_role("link", name="Rapports à examiner").click()
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name=req.reference, exact=True).click()
    expect(page.get_by_test_id("section-activities")).to_contain_text("Ateliers d’urbanisme")
    check_accessibility(page)
    page.get_by_label("Commentaire pour la personne employée").fill("Ajoutez des résultats chiffrés, s’il vous plaît.")
    page.get_by_test_id("return-report").click()
    expect(page.get_by_role("status")).to_contain_text("Le rapport est retourné à Éloïse Tremblay pour révision.")
    log_out(page)

    # The employee sees the comment above the form, corrects and submits again.
    log_in(page, world.applicant)
    page.get_by_role("main").get_by_role("link", name=f"Rédiger le rapport de {req.reference}").click()
    expect(page.get_by_test_id("bri-comment")).to_contain_text("Ajoutez des résultats chiffrés")
    check_accessibility(page)
    page.get_by_label("Résultats").fill("Un plan d’aménagement pour 3 quartiers et 12 agents formés.")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_role("status")).to_contain_text("Votre rapport est soumis.")
    log_out(page)

    # The BRI accepts: the mission is closed.
    log_in(page, world.bri)
    page.goto("/rapports/a-examiner")
    page.get_by_role("main").get_by_role("link", name=req.reference, exact=True).click()
    expect(page.get_by_test_id("section-results")).to_contain_text("12 agents formés")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("accept-report").click()
    expect(page.get_by_role("status")).to_contain_text(f"la mission {req.reference} est terminée")
    expect(page.get_by_test_id("mission-state")).to_contain_text("Terminée")
    expect(page.get_by_test_id("report-state")).to_have_text("Mission terminée\u00a0: rapport accepté")
    check_accessibility(page)

    # It is in the archive now.
    page.goto("/rapports/archive?q=agents")
    expect(page.get_by_test_id("archive")).to_contain_text(req.reference)
    check_accessibility(page)

    # The BRI downloads the archive as shown, the search kept: a CSV for a French Excel.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert re.fullmatch(r"archive-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    lines = Path(download.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Référence;") and len(lines) == 2 and lines[1].startswith(f"{req.reference};")

    # The dashboard counts it: from the BRI menu, for the mission's cycle, a chart beside its table.
    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_test_id("nav-bri").click()
    navigation.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord du programme")
    page.get_by_label("Appel de candidatures").select_option(label=str(req.cycle.year))
    page.get_by_role("button", name="Afficher les chiffres").click()
    funnel = page.get_by_test_id("chart-funnel")
    expect(funnel.get_by_role("img", name="Étapes atteintes par les demandes")).to_be_visible()
    expect(funnel.get_by_role("row", name="Rapport accepté")).to_contain_text("1")
    check_accessibility(page)
