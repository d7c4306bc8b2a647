"""A project's report to one of its funders: the BRI's form (defaults, field errors, 422), the PDF read back with
pypdf in French and English (the source's funding, its spending in the period only, the results against their
targets, the missions' figures, the updates), French typography, permissions and a bounded number of statements."""

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from app.core.database import montreal_today
from app.core.i18n import money
from app.extensions import db as _db
from app.projects import funder_report
from app.projects.funder_report import FunderChoice
from app.projects.models import Expenditure, ProjectUpdate
from app.projects.queries import default_daily_rate, mission_figures
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from tests.factories import add_lines, make_project, text

YEAR = "source=federal&debut=2027-01-01&fin=2027-12-31"
SPRING = "source=federal&debut=2027-01-01&fin=2027-04-30"


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    reader = PdfReader(io.BytesIO(response.data))
    pages = [page.extract_text().replace("\u00a0", " ").replace("\u202f", " ") for page in reader.pages]
    return " ".join(" ".join(pages).split())


def _framework(project) -> None:
    """An indicator with a baseline and three periods: one in 2027 with an actual value, one in 2027 without, one in
    2026 (outside a report of 2027)."""
    result = ProjectResult(
        project=project, type="1", title_fr="Réseau d'eau construit", title_en="Water network built", position=1
    )
    indicator = ResultIndicator(
        result=result,
        title_fr="Bornes-fontaines installées",
        title_en="Standpipes installed",
        measure="1",
        baseline_year=2025,
        baseline_value=Decimal("4"),
        position=1,
    )
    periods = [
        IndicatorPeriod(
            indicator=indicator,
            period_start=date(2027, 1, 1),
            period_end=date(2027, 6, 30),
            target_value=Decimal("40"),
            actual_value=Decimal("31"),
            actual_recorded_at=datetime(2027, 7, 2, 12, tzinfo=UTC),
        ),
        IndicatorPeriod(
            indicator=indicator,
            period_start=date(2027, 7, 1),
            period_end=date(2027, 12, 31),
            target_value=Decimal("60"),
        ),
        IndicatorPeriod(
            indicator=indicator,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30),
            target_value=Decimal("777"),
        ),
    ]
    _db.session.add_all([result, indicator, *periods])
    _db.session.commit()


def _update(project, day: date, title_fr: str, title_en: str, published: bool) -> None:
    _db.session.add(
        ProjectUpdate(
            project=project,
            update_date=day,
            title_fr=title_fr,
            title_en=title_en,
            body_fr=f"Texte : {title_fr}.",
            body_en=f"Text: {title_en}.",
            published=published,
        )
    )
    _db.session.commit()


@pytest.fixture
def project(world, make_mission):
    project = make_project(
        code="HT-PAP-EAU",
        title_fr="Eau potable à Jacmel",
        title_en="Drinking water in Jacmel",
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
    )
    add_lines(
        project,
        funding=[("federal", "40000.00"), ("federal", "2500.50"), ("bri_operating", "10000.00")],
        expenditures=[
            (date(2027, 2, 10), "1234.56", "federal"),
            (date(2027, 11, 30), "765.44", "federal"),
            (date(2026, 12, 31), "8888.00", "federal"),  # before the period
            (date(2027, 5, 5), "7777.00", "bri_operating"),  # another source
        ],
    )
    _framework(project)
    make_mission("closed", start=date(2027, 3, 1), end=date(2027, 3, 26), project=project)
    make_mission("approved", applicant=world.colleague, start=date(2027, 6, 7), end=date(2027, 6, 18), project=project)
    make_mission("rejected", start=date(2027, 9, 6), end=date(2027, 9, 17), project=project)
    _update(project, date(2027, 4, 2), "Première borne-fontaine en service", "First standpipe in service", True)
    _update(project, date(2027, 9, 1), "Retard de livraison des tuyaux", "Pipes delivered late", False)
    _update(project, date(2026, 5, 1), "Lancement du chantier", "Works begin", True)
    return project


def _days(project, *statuses) -> int:
    return sum(m.working_days for m in project.missions if m.status in statuses)


# The PDF ----------------------------------------------------------------------------------------------------------


def test_the_pdf_in_french_holds_the_source_the_results_the_missions_and_the_updates(login, world, project):
    response = login(world.bri).get(f"/projets/{project.id}/rapport-bailleur.pdf?{YEAR}")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="rapport-bailleur-HT-PAP-EAU-federal-2027-01-01-2027-12-31-fr.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    content = pdf_text(response)
    assert "Rapport au bailleur de fonds : Gouvernement fédéral" in content
    assert "HT-PAP-EAU – Eau potable à Jacmel" in content
    assert "Période : du 1er janvier 2027 au 31 décembre 2027" in content
    assert "Financé par cette source 42 500,50 $" in content
    # 1,234.56 + 765.44: neither the expenditure of 2026 nor that of the other source.
    assert "Dépensé sur cette source pendant la période 2 000,00 $" in content
    assert "Total de 2 dépenses 2 000,00 $" in content
    assert "8 888,00 $" not in content and "7 777,00 $" not in content
    assert "Dépensé sur cette source jusqu'à la fin de la période 10 888,00 $" in content
    assert "Bornes-fontaines installées" in content and "Valeur de référence : 4 (2025)" in content
    assert "40 31 75 % de la cible atteinte" in content  # (31 - 4) / (40 - 4)
    assert "777" not in content  # the period of 2026
    days = _days(project, "closed", "approved")
    assert f"Missions 2 Jours ouvrables {days} " in content
    assert "Première borne-fontaine en service" in content and "Publique" in content
    assert "Retard de livraison des tuyaux" in content and "Interne" in content
    assert "Lancement du chantier" not in content
    assert "Éloïse" not in content and "Tremblay" not in content  # figures only, nobody's name
    assert re.search(r"\b1 / \d+\b", content)  # the page numbers


def test_the_pdf_in_english_counts_only_the_period_asked(login, world, project):
    content = pdf_text(login(world.bri).get(f"/projets/{project.id}/rapport-bailleur.pdf?{SPRING}&lang=en"))
    assert "Report to the funder: Federal government" in content
    assert "Period: from January 1, 2027 to April 30, 2027" in content
    assert "Funded by this source $42,500.50" in content
    assert "Spent from this source in the period $1,234.56" in content
    assert "Standpipes installed" in content and "40 31 75% of the target reached" in content
    assert "Jul 1, 2027" not in content and "Pipes delivered late" not in content  # after April
    assert f"Missions 1 Working days {_days(project, 'closed')} " in content
    assert "First standpipe in service" in content


def test_a_period_ended_without_an_actual_value_is_said_late(login, world, project):
    today = montreal_today()
    indicator = _db.session.query(ResultIndicator).one()
    _db.session.add(
        IndicatorPeriod(
            indicator=indicator,
            period_start=today - timedelta(days=60),
            period_end=today - timedelta(days=1),
            target_value=Decimal("12"),
        )
    )
    _db.session.commit()
    query = f"source=federal&debut={(today - timedelta(days=30)).isoformat()}&fin={today.isoformat()}"
    content = pdf_text(login(world.bri).get(f"/projets/{project.id}/rapport-bailleur.pdf?{query}"))
    assert "En retard : aucune valeur réelle saisie" in content


def test_french_typography_in_the_report_html(app, world, project):
    choice = FunderChoice("federal", date(2027, 1, 1), date(2027, 12, 31), "fr")
    with app.test_request_context("/"):
        html = unescape(funder_report.render_html(project, choice))
        figures = mission_figures(project.id, choice.between)
        with force_locale("fr_CA"):
            in_kind = money(figures.in_kind(default_daily_rate()))
    assert "Période\u00a0: du 1er janvier 2027 au 31 décembre 2027" in html
    assert re.search("Financé par cette source</th><td>42[\u00a0\u202f]500,50\u00a0\\$", html)
    assert "Rapport au bailleur de fonds\u00a0: Gouvernement fédéral" in html
    # The committed missions that started in 2027 (not the rejected one), valued as the project's page values them.
    assert figures.count == 2 and figures.in_kind_days == _days(project, "closed", "approved")
    assert f"Contribution en nature de la Ville</th><td>{in_kind}</td>" in html and in_kind.endswith("\u00a0$")


def test_the_download_is_logged_as_a_security_event(login, world, project, capsys):
    login(world.bri).get(f"/projets/{project.id}/rapport-bailleur.pdf?{SPRING}")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    downloads = [line for line in lines if line.get("document") == "funder_report_pdf"]
    assert downloads and downloads[0]["event"] == "download" and downloads[0]["source"] == "federal"
    assert downloads[0]["user_id"] == world.bri.id


def test_the_statements_do_not_grow_with_expenditures_missions_and_updates(
    login, world, project, make_mission, count_queries
):
    client = login(world.bri)
    url = f"/projets/{project.id}/rapport-bailleur.pdf?{YEAR}"
    client.get(url)  # the caches (reference data, translations) are warm
    with count_queries() as first:
        assert client.get(url).status_code == 200
    for n in range(1, 13):
        _db.session.add(
            Expenditure(
                project=project,
                spent_on=date(2027, 3, n),
                amount=Decimal("10.00"),
                description="Achat",
                source="federal",
            )
        )
        _update(project, date(2027, 5, n), f"Actualité {n}", f"Update {n}", n % 2 == 0)
    make_mission("closed", applicant=world.colleague, start=date(2027, 9, 6), end=date(2027, 9, 17), project=project)
    with count_queries() as second:
        assert client.get(url).status_code == 200
    assert len(second) == len(first) <= 10, second


# The form ---------------------------------------------------------------------------------------------------------


def test_the_form_offers_the_project_s_first_source_and_dates_by_default(login, world, project):
    response = login(world.bri).get(f"/projets/{project.id}/rapport-bailleur")
    assert response.status_code == 200
    body = text(response)
    option = re.search(r'<option[^>]*value="bri_operating"[^>]*>', body)
    assert option and "selected" in option.group(0)
    assert 'value="2026-01-01"' in body and 'value="2027-12-31"' in body
    year = f"/projets/{project.id}/rapport-bailleur.pdf?source=bri_operating&debut=2027-01-01&fin=2027-12-31&lang=fr"
    assert year in body  # a calendar year's shortcut


def test_choosing_a_source_a_period_and_a_language_leads_to_the_pdf(login, world, project):
    response = login(world.bri).get(f"/projets/{project.id}/rapport-bailleur?{YEAR}&lang=en")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/projets/{project.id}/rapport-bailleur.pdf?{YEAR}&lang=en")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("source=martian&debut=2027-01-01&fin=2027-12-31", "source"),
        ("source=federal&debut=2027-12-31&fin=2027-01-01", "fin"),
        ("source=federal&debut=1800-01-01&fin=2027-01-01", "debut"),
        ("source=federal&debut=2027-01-01&fin=2999-01-01", "fin"),
        ("source=federal&debut=abc&fin=2027-01-01", "debut"),
        ("source=federal&debut=99999999999-01-01&fin=2027-01-01", "debut"),
        ("source=federal&debut=2027-01-01", "fin"),
        ("source=federal&debut=2027-01-01&fin=2027-12-31&lang=de", "lang"),
        ("source=%3Cscript%3E&debut=2027-01-01&fin=2027-12-31", "source"),
        ("debut=2027-01-01&fin=2027-12-31", "source"),
    ],
)
@pytest.mark.parametrize("path", ["rapport-bailleur", "rapport-bailleur.pdf"])
def test_a_wrong_choice_is_said_next_to_its_field(login, world, project, query, field, path):
    response = login(world.bri).get(f"/projets/{project.id}/{path}?{query}")
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)


def test_the_project_page_links_to_the_report_for_the_bri_only(app, login, world, project):
    assert 'data-testid="funder-report-link"' in text(login(world.bri).get(f"/projets/{project.id}"))
    page = login(world.admin, test_client=app.test_client()).get(f"/projets/{project.id}")
    assert page.status_code == 200 and 'data-testid="funder-report-link"' not in text(page)


# Who may ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["applicant", "manager", "admin"])
def test_only_bri_officers_get_the_funder_report(login, world, project, who):
    client = login(getattr(world, who))
    assert client.get(f"/projets/{project.id}/rapport-bailleur").status_code == 403
    assert client.get(f"/projets/{project.id}/rapport-bailleur.pdf?{YEAR}").status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, project):
    for path in (f"/projets/{project.id}/rapport-bailleur", f"/projets/{project.id}/rapport-bailleur.pdf?{YEAR}"):
        response = client.get(path)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("path", ["rapport-bailleur", f"rapport-bailleur.pdf?{YEAR}"])
def test_an_unknown_project_is_not_found(login, world, project, path):
    assert login(world.bri).get(f"/projets/{project.id + 1000}/{path}").status_code == 404
