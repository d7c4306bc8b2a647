"""The PDF of one report (WeasyPrint), read back with pypdf; in the reader's language, French typography right."""

import io
from datetime import date

import pytest
from flask import render_template
from flask_babel import force_locale
from pypdf import PdfReader

from app.core.i18n import money
from app.extensions import db as _db
from tests.factories import REPORT_TEXT


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeeze(value: str) -> str:
    """Text extraction breaks lines and may turn non-breaking spaces into spaces: compare words only."""
    return " ".join(value.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture
def closed_mission(make_mission):
    return make_mission("closed", start=date(2027, 3, 1), end=date(2027, 3, 26))


def test_the_pdf_is_a_download_containing_the_report_text_in_french(app, login, world, closed_mission):
    client = login(world.bri, test_client=app.test_client())
    response = client.get(f"/rapports/{closed_mission.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="rapport-{closed_mission.reference}.pdf"'
    content = squeeze(pdf_text(response))
    assert f"Rapport de mission {closed_mission.reference}" in content
    for value in REPORT_TEXT.values():
        assert squeeze(value) in content
    assert "Éloïse Tremblay" in content
    assert "du 1er mars 2027 au 26 mars 2027" in content
    assert "2 500,00 $" in content
    assert "Activités réalisées" in content and "Leçons apprises" in content


def test_the_pdf_is_in_the_reader_language(app, login, world, closed_mission):
    world.manager.language = "en"
    _db.session.commit()
    client = login(world.manager, test_client=app.test_client())
    content = squeeze(pdf_text(client.get(f"/rapports/{closed_mission.id}/pdf")))
    assert f"Mission report {closed_mission.reference}" in content
    assert "March 1, 2027 to March 26, 2027" in content
    assert "$2,500.00" in content
    assert "Activities carried out" in content


def test_the_french_pdf_has_non_breaking_spaces_before_colons_and_inside_quotes(app, closed_mission):
    with app.test_request_context("/"), force_locale("fr"):
        html = render_template(
            "reports/pdf.html",
            req=closed_mission,
            report=closed_mission.mission_report,
            files=[],
            today=date(2027, 4, 2),
        )
        amount = money(closed_mission.amount_requested)
    assert "État\u00a0: " in html
    assert "«\u00a0" + REPORT_TEXT["testimony"] + "\u00a0»" in html
    # Babel's French amounts group digits and keep the currency with non-breaking spaces.
    assert amount.startswith("2\u202f500,00\u00a0$") and amount in html
    assert "Document produit le 2 avril 2027." in html


def test_a_short_report_fits_on_one_page_with_its_footer(app, login, world, make_mission):
    """A report of a few lines each (a demo report): its footer used to go alone onto a second page."""
    from app.reports.demo import TEXTS

    mission = make_mission(
        "closed",
        start=date(2027, 3, 1),
        end=date(2027, 3, 26),
        report=TEXTS[0],
        objectives="Accompagner la mairie dans la planification de la collecte des matières résiduelles et former "
        "l'équipe technique.",
    )
    client = login(world.bri, test_client=app.test_client())
    reader = PdfReader(io.BytesIO(client.get(f"/rapports/{mission.id}/pdf").data))
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    assert len(pages) == 1, pages[1:]
    assert "Document produit le" in pages[0] and "1 / 1" in pages[0]
    assert squeeze(TEXTS[0]["testimony"]) in pages[0]
