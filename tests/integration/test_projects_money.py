"""Money of the projects: exact decimals, refusals with their message next to the field, the overspending warning,
the in-kind contribution, and the list's totals and filters with a fixed number of SQL statements."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.projects.models import Expenditure, FundingLine, ProjectChange
from app.projects.queries import summarise
from tests.factories import (
    add_lines,
    make_partner,
    make_project,
    make_request,
    make_sector,
    page_link,
    text,
    year_cycle,
)


@pytest.fixture
def bri(client, login, make_user):
    user = make_user(roles=("employee", "bri"), full_name="Rodrigue Officier")
    login(user)
    return user


@pytest.fixture
def project(db):
    return make_project(
        code="HT-FISC", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), budget=Decimal("1.00")
    )


def _fund(client, project, source, amount, note=""):
    return client.post(
        f"/projets/{project.id}/financement",
        data={"funding-source": source, "funding-amount": amount, "funding-note": note},
    )


def _spend(client, project, amount, spent_on="2026-03-15", source="federal", description="Billets d'avion", **extra):
    data = {
        "expenditure-spent_on": spent_on,
        "expenditure-amount": amount,
        "expenditure-description": description,
        "expenditure-source": source,
        **extra,
    }
    return client.post(f"/projets/{project.id}/depenses", data=data)


def test_funding_lines_add_up_exactly_and_by_source(client, bri, project):
    for source, amount in [("federal", "0.10"), ("federal", "0,20"), ("quebec", "1 000,05"), ("bri_operating", "0.01")]:
        response = _fund(client, project, source, amount)
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/projets/{project.id}#funding")
    _db.session.expire_all()
    summary = summarise(project)
    assert summary.funded_by_source == {
        "federal": Decimal("0.30"),
        "quebec": Decimal("1000.05"),
        "bri_operating": Decimal("0.01"),
    }
    assert summary.funded == Decimal("1000.36")
    page = text(client.get(f"/projets/{project.id}"))
    assert "Financé par : Gouvernement fédéral" in page and "0,30 $" in page
    assert "Financé par : Gouvernement du Québec" in page and "1 000,05 $" in page
    assert "1 000,36 $" in page


def test_spent_and_remaining_are_exact(client, bri, project):
    _fund(client, project, "federal", "10.00")
    assert _spend(client, project, "0.10").status_code == 303
    assert _spend(client, project, "0.20").status_code == 303
    _db.session.expire_all()
    summary = summarise(project)
    assert summary.spent == Decimal("0.30")
    assert summary.remaining == Decimal("0.70")
    page = text(client.get(f"/projets/{project.id}"))
    assert "0,30 $" in page and "0,70 $" in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "Le montant ne peut pas être négatif."),
        ("abc", "Entrez un montant en dollars, par exemple 1234,56."),
        ("1.005", "Un montant a au plus deux décimales (les cents)."),
        ("", "Saisissez un montant."),
    ],
)
def test_bad_funding_amounts_are_refused_next_to_the_field(client, bri, project, amount, message):
    response = _fund(client, project, "federal", amount)
    assert response.status_code == 422
    page = text(response)
    assert f'<div id="funding-amount-error" class="invalid-feedback d-block">{message}</div>' in page
    assert _db.session.scalar(select(FundingLine.id)) is None


def test_negative_expenditure_is_refused(client, bri, project):
    response = _spend(client, project, "-0.01")
    assert response.status_code == 422
    assert 'id="expenditure-amount-error"' in text(response)
    assert "Le montant ne peut pas être négatif." in text(response)
    assert _db.session.scalar(select(Expenditure.id)) is None


@pytest.mark.parametrize("spent_on", ["2025-12-31", "2027-01-01"])
def test_expenditure_outside_the_project_dates_is_refused(client, bri, project, spent_on):
    response = _spend(client, project, "10.00", spent_on=spent_on)
    assert response.status_code == 422
    page = text(response)
    assert 'id="expenditure-spent_on-error"' in page
    assert "La date doit être comprise dans les dates du projet" in page
    assert _db.session.scalar(select(Expenditure.id)) is None


def test_expenditure_on_the_last_day_is_accepted(client, bri, project):
    assert _spend(client, project, "0", spent_on="2026-12-31").status_code == 303


def test_exceeding_the_funding_warns_but_records(client, bri, project):
    _fund(client, project, "federal", "100.00")
    quiet = client.get(f"/projets/{project.id}")
    assert 'data-testid="overspent-alert"' not in text(quiet)
    response = _spend(client, project, "100.01")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Attention : les dépenses dépassent maintenant le financement de ce projet." in page  # the flash
    assert 'data-testid="overspent-alert"' in page
    assert "dépassent le financement (100,00 $) de 0,01 $" in page
    assert _db.session.scalar(select(Expenditure.amount)) == Decimal("100.01")


def test_in_kind_counts_committed_missions_at_the_cycle_rate_or_the_configured_one(app, client, bri, project):
    applicant = bri
    with_rate = year_cycle(2026, daily_rate=Decimal("312.50"))
    without_rate = year_cycle(2027)
    make_request(applicant=applicant, cycle=with_rate, status="approved", days=10, project=project)
    make_request(applicant=applicant, cycle=with_rate, status="closed", days=3, project=project)
    make_request(applicant=applicant, cycle=without_rate, status="in_mission", days=2, project=project)
    for status in ("draft", "submitted", "manager_approved", "cancelled", "withdrawn", "rejected"):
        make_request(applicant=applicant, cycle=with_rate, status=status, days=7, project=project)
    app.config["IN_KIND_DAILY_RATE"] = "450.00"
    _db.session.expire_all()
    summary = summarise(project)
    assert summary.in_kind_days == 15
    assert summary.in_kind == Decimal("312.50") * 13 + Decimal("450.00") * 2
    page = text(client.get(f"/projets/{project.id}"))
    assert "4 962,50 $" in page
    assert "15 jours ouvrables de missions approuvées" in page


def test_project_budget_refuses_negative_amounts(client, bri, project):
    response = client.post(
        f"/projets/{project.id}/modifier",
        data={
            "code": project.code,
            "title_fr": project.title_fr,
            "country_code": "HT",
            "sector_id": project.sector_id,
            "status": "active",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "budget": "-1",
        },
    )
    assert response.status_code == 422
    assert 'id="budget-error"' in text(response)
    assert _db.session.scalar(select(ProjectChange.id)) is None


# The list --------------------------------------------------------------------------------------------------


def _populate(n: int, sector, partner):
    for i in range(n):
        project = make_project(sector=sector, code=f"HT-L-{sector.code}-{i}", start_date=date(2026, 1, 1))
        add_lines(
            project,
            funding=[("federal", "100.10"), ("bri_operating", "0.20")],
            expenditures=[(date(2026, 2, 1), "50.05", "federal")],
            partners=[(partner, "accountable")],
        )


def test_list_totals_cover_every_selected_project(client, bri):
    sector, partner = make_sector(), make_partner()
    _populate(3, sector, partner)
    make_project(budget=Decimal("0.30"), status="planned", code="HT-ZERO")
    page = text(client.get("/projets/"))
    assert 'data-testid="total-budget">300 000,30 $' in page
    assert 'data-testid="total-funded">300,90 $' in page
    assert 'data-testid="total-spent">150,15 $' in page
    filtered = text(client.get("/projets/?status=planned"))
    assert 'data-testid="total-budget">0,30 $' in filtered and 'data-testid="total-funded">0,00 $' in filtered


def _count_statements(count_queries, client, url: str) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/projets/", "/projets/?source=federal&year=2026"])
def test_list_statements_do_not_grow_with_the_number_of_projects(client, bri, count_queries, url):
    sector, partner = make_sector(), make_partner()
    _populate(4, sector, partner)
    before = _count_statements(count_queries, client, url)
    _populate(4, make_sector(), make_partner())
    after = _count_statements(count_queries, client, url)
    assert "8 projets retenus" in text(client.get(url))
    assert after == before


def test_employee_list_statements_do_not_grow_either(client, login, make_user, count_queries):
    sector, partner = make_sector(), make_partner()
    login(make_user())
    _populate(3, sector, partner)
    before = _count_statements(count_queries, client, "/projets/")
    _populate(3, make_sector(), make_partner())
    assert _count_statements(count_queries, client, "/projets/") == before


def test_list_filters(client, bri):
    water, waste = make_sector("14022"), make_sector("14050")
    palmes, pap = make_partner(name="Palmes"), make_partner(name="Port-au-Prince")
    a = make_project(
        sector=water, title_fr="Alpha", status="active", start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)
    )
    b = make_project(
        sector=waste, title_fr="Bravo", status="on_hold", start_date=date(2025, 12, 1), end_date=date(2027, 1, 31)
    )
    c = make_project(
        sector=waste, title_fr="Charlie", status="active", start_date=date(2028, 1, 1), end_date=date(2028, 12, 31)
    )
    add_lines(a, funding=[("quebec", "5")], partners=[(palmes, "funding")])
    add_lines(b, funding=[("federal", "5")], partners=[(pap, "implementing")])
    add_lines(c, funding=[("federal", "5")], partners=[(palmes, "accountable")])

    def titles(query: str) -> set[str]:
        page = text(client.get(f"/projets/?{query}"))
        return {t for t in ("Alpha", "Bravo", "Charlie") if f">{t}</a>" in page}

    assert titles("status=active") == {"Alpha", "Charlie"}
    assert titles(f"sector={waste.id}") == {"Bravo", "Charlie"}
    assert titles(f"partner={palmes.id}") == {"Alpha", "Charlie"}
    assert titles("source=federal") == {"Bravo", "Charlie"}
    assert titles("year=2026") == {"Bravo"}
    assert titles("year=2025") == {"Alpha", "Bravo"}
    assert titles("year=2025&source=quebec") == {"Alpha"}
    assert titles("status=bogus&year=abcd") == {"Alpha", "Bravo", "Charlie"}
    assert "Aucun projet ne correspond à ces filtres." in text(client.get("/projets/?year=1999"))


def test_list_is_paginated(app, client, bri):
    sector = make_sector()
    for i in range(app.config["ITEMS_PER_PAGE"] + 3):
        make_project(sector=sector, code=f"HT-P-{i:02d}")
    response = client.get("/projets/")
    first, second = text(response), text(client.get(page_link(response)))
    assert first.count('href="/projets/') > second.count('href="/projets/')
    assert "23 résultats" in first
    assert "Totaux : 23 projets retenus" in second


def test_deleting_funding_below_the_expenditures_warns(client, bri, project):
    add_lines(project, funding=[("federal", "50.00"), ("quebec", "50.00")])
    add_lines(project, expenditures=[(date(2026, 2, 1), "60.00", "federal")])
    line_id = project.funding_lines[1].id
    response = client.post(f"/projets/{project.id}/financement/{line_id}/supprimer")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Ligne de financement supprimée." in page
    assert "Attention : les dépenses dépassent maintenant le financement de ce projet." in page
    assert [c.field for c in _db.session.scalars(select(ProjectChange))] == ["funding_line"]


def test_expenditure_errors_are_all_said_at_once(client, bri, project):
    response = _spend(client, project, "-1", spent_on="2001-01-01")
    page = text(response)
    assert "Le montant ne peut pas être négatif." in page
    assert "La date doit être comprise dans les dates du projet (du 1er janv. 2026 au 31 déc. 2026)." in page


def test_the_page_lists_the_first_missions_and_counts_them_all(monkeypatch, client, bri, project):
    """The list of missions is bounded (a link leads to all of them); the in-kind contribution counts them all."""
    monkeypatch.setattr("app.projects.queries.MISSIONS_SHOWN", 2)
    cycle = year_cycle(2026, daily_rate=Decimal("100.10"))
    missions = [
        make_request(applicant=bri, cycle=cycle, status=status, days=days, project=project)
        for status, days in (("approved", 3), ("closed", 2), ("approved", 1))
    ]
    _db.session.expire_all()
    page = text(client.get(f"/projets/{project.id}"))
    table = page.split('data-testid="missions"')[1].split("</table>")[0]
    assert [m.reference for m in missions if m.reference in table] == [m.reference for m in missions[:2]]
    assert "Les 2 premières des 3 missions." in page
    assert f'href="/conges/bri/demandes?project_id={project.id}"' in page
    assert "600,60 $" in page and "6 jours ouvrables de missions approuvées" in page
    assert summarise(project).in_kind == Decimal("600.60")


def test_the_page_lists_the_most_recent_changes_only(monkeypatch, client, bri, project):
    """The history of changes is bounded: the most recent ones, newest first, and a line saying so."""
    from app.projects.models import ChangeAction, ChangeField
    from app.projects.services.changes import record_change

    monkeypatch.setattr("app.projects.queries.HISTORY_SHOWN", 2)
    for title in ("Premier titre", "Deuxième titre", "Troisième titre"):
        record_change(project, bri, ChangeAction.CHANGED, ChangeField.TITLE_FR, old="avant", new=title)
    _db.session.commit()
    page = text(client.get(f"/projets/{project.id}"))
    table = page.split('data-testid="history"')[1].split("</table>")[0]
    assert "Troisième titre" in table and "Deuxième titre" in table
    assert "Premier titre" not in table
    assert table.index("Troisième titre") < table.index("Deuxième titre")
    assert "Les 2 modifications les plus récentes sont affichées." in page
