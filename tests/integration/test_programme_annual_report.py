"""The annual report: the page that chooses the year and the language, and the PDF read back with pypdf."""

import io
import re
from datetime import date
from html import unescape

import pytest
from flask import render_template
from flask_babel import force_locale
from pypdf import PdfReader

from app.programme import report
from tests.factories import REPORT_TEXT, add_lines, make_project, make_user, text

PAGE = "/bri/rapport-annuel"
QUOTED = "J'ai appris autant que j'ai transmis à Jacmel."
PRIVATE = "Un témoignage que je garde pour moi."


def pdf_pages(response) -> list[str]:
    reader = PdfReader(io.BytesIO(response.data))
    return [
        " ".join(page.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split()) for page in reader.pages
    ]


@pytest.fixture
def year_2027(world, make_mission):
    project = make_project(code="HT-PAP-EAU", title_fr="Eau potable à Jacmel", title_en="Drinking water in Jacmel")
    add_lines(project, funding=[("federal", "40000.00"), ("bri_operating", "10000.00")])
    quoted = {**REPORT_TEXT, "testimony": QUOTED, "consent_to_quote": True}
    make_mission("closed", start=date(2027, 3, 1), end=date(2027, 3, 26), report=quoted, project=project)
    private = {**REPORT_TEXT, "testimony": PRIVATE, "consent_to_quote": False}
    make_mission("closed", applicant=world.colleague, start=date(2027, 3, 1), end=date(2027, 3, 26), report=private)
    make_mission("approved", start=date(2027, 6, 7), end=date(2027, 6, 18), country="SN", partner_name="Ville de Dakar")
    return project


def test_the_page_offers_the_years_and_the_languages(login, world, year_2027):
    body = text(login(world.bri).get(PAGE))
    assert 'value="2027"' in body and 'value="en"' in body and "Rapport annuel" in body


def test_choosing_a_year_and_a_language_leads_to_the_pdf(login, world, year_2027):
    response = login(world.bri).get(f"{PAGE}?year=2027&lang=en")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/bri/rapport-annuel/2027.pdf?lang=en")


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "year=2027&lang=de", "year=99999999999999999999"])
def test_a_wrong_choice_is_said_next_to_the_field(login, world, year_2027, query):
    response = login(world.bri).get(f"{PAGE}?{query}")
    assert response.status_code == 422
    assert "-error" in text(response)


def test_the_pdf_in_french_holds_the_figures_missions_quotes_and_projects(login, world, year_2027):
    response = login(world.bri).get(f"{PAGE}/2027.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="rapport-annuel-2027-fr.pdf"'
    content = " ".join(pdf_pages(response))
    assert "Congés solidaires : rapport annuel 2027" in content
    assert "Période : du 1er janvier 2027 au 31 décembre 2027" in content
    assert "Enveloppe 500 000,00 $" in content
    assert "Engagé (approuvé et au-delà) 7 500,00 $" in content  # three missions of 2,500 $
    assert "Haïti Mairie de Jacmel 2 5 000,00 $" in content
    assert "Sénégal Ville de Dakar 1 2 500,00 $" in content
    assert f"« {QUOTED} »" in content and PRIVATE not in content
    assert "HT-PAP-EAU – Eau potable à Jacmel" in content
    assert (
        "Gouvernement fédéral : 40 000,00 $" in content and "Budget de fonctionnement du BRI : 10 000,00 $" in content
    )


def test_the_pdf_in_english(login, world, year_2027):
    content = " ".join(pdf_pages(login(world.bri).get(f"{PAGE}/2027.pdf?lang=en")))
    assert "Solidarity leaves: annual report 2027" in content
    assert "Period: from January 1, 2027 to December 31, 2027" in content
    assert "Committed (approved and later) $7,500.00" in content
    assert "Haiti Mairie de Jacmel 2 $5,000.00" in content
    assert "HT-PAP-EAU – Drinking water in Jacmel" in content
    assert "Federal government: $40,000.00" in content


def test_the_in_kind_contribution_of_the_projects_missions(login, world, year_2027):
    mission = year_2027.missions[0]
    expected = f"{mission.working_days * 450:,}".replace(",", " ") + ",00 $"
    content = " ".join(pdf_pages(login(world.bri).get(f"{PAGE}/2027.pdf")))
    assert "Eau potable à Jacmel" in content and f"1 {expected}" in content


def test_the_last_page_holds_more_than_the_page_number(login, world, year_2027):
    pages = pdf_pages(login(world.bri).get(f"{PAGE}/2027.pdf"))
    last = pages[-1].replace(f"{len(pages)} / {len(pages)}", "").strip()
    assert len(last) > 40, pages[-1]


def test_french_typography_in_the_pdf_html(app, world, year_2027):
    with app.test_request_context("/"), force_locale("fr_CA"):
        html = unescape(render_template("programme/annual_report_pdf.html", **report.report_data(2027, "fr")))
    assert "Période\u00a0: du 1er janvier 2027 au 31 décembre 2027" in html
    assert re.search("Enveloppe</th><td>500[\u00a0\u202f]000,00\u00a0\\$", html)
    assert "Une personne employée (Service de l'urbanisme)\u00a0; mission\u00a0: Jacmel, Haïti" in html


@pytest.mark.parametrize("path", [f"{PAGE}/1999.pdf", f"{PAGE}/99999999999999999999.pdf", f"{PAGE}/abc.pdf"])
def test_a_year_without_a_cycle_is_not_found(login, world, year_2027, path):
    assert login(world.bri).get(path).status_code == 404


@pytest.mark.parametrize("who", ["applicant", "manager", "admin"])
def test_only_bri_officers_get_the_annual_report(login, world, year_2027, who):
    client = login(getattr(world, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/2027.pdf").status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    for path in (PAGE, f"{PAGE}/2027.pdf"):
        response = client.get(path)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_without_any_cycle_the_page_says_so(login, db):
    officer = make_user(roles=("employee", "bri"))
    response = login(officer).get(PAGE)
    assert response.status_code == 200
    assert "Aucun appel de candidatures n'est encore enregistré" in text(response)
