"""Exports of the lists as CSV and Excel (app/core/exports.py): the list's filters and order without its pages,
streamed, typed cells, headers in the reader's language, the lists' permissions, a log row committed before the
streaming, no formula injected, no hostile filter making a 500."""

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core import exports
from app.core.exports import ExportLog, safe_text
from app.extensions import db
from app.leave import exports as leave_exports
from app.leave.views import bri as leave_bri_views
from app.projects.models import Project
from tests.factories import REPORT_TEXT, add_lines, make_project, make_sector
from tests.integration.bulk import bulk_requests

BRI_EXPORT = "/conges/bri/demandes/export"


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _sheet(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def _logs() -> list[ExportLog]:
    db.session.expire_all()
    return db.session.scalars(select(ExportLog).order_by(ExportLog.id)).all()


@pytest.fixture
def sign_in(app, login):
    """A fresh test client logged in as the user (several people in one test)."""
    return lambda user: login(user, test_client=app.test_client())


@pytest.fixture
def requests(world):
    bulk_requests(world, 30, "closed", prefix="EXC")
    bulk_requests(world, 12, "submitted", prefix="EXS")
    return world


def test_the_csv_of_the_bri_list_has_a_bom_semicolons_french_headers_and_only_the_filtered_rows(requests, sign_in):
    response = sign_in(requests.bri).get(f"{BRI_EXPORT}.csv?status=submitted&sort=reference&dir=desc")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:3] == ["Référence", "Demandeur ou demandeuse", "Service"]
    assert "Montant demandé" in header and "Date de début" in header
    assert [r[0] for r in rows] == [f"EXS-{n:05d}" for n in reversed(range(12))]
    amount = rows[-1][header.index("Montant demandé")]
    assert amount == "1000,00"  # the French decimal comma, no currency sign: a number for a French Excel
    assert rows[-1][header.index("Date de début")] == "2027-01-04"


def test_the_headers_follow_the_readers_language(requests, sign_in):
    response = sign_in(requests.bri2).get(f"{BRI_EXPORT}.csv?status=submitted")  # bri2 reads English
    header, *rows = _csv(response)
    assert header[0] == "Reference" and "Amount asked" in header
    assert rows[0][header.index("Amount asked")].count(".") == 1


def test_the_xlsx_has_dates_as_dates_and_amounts_as_numbers(requests, sign_in):
    response = sign_in(requests.bri).get(f"{BRI_EXPORT}.xlsx?status=closed&sort=dates&dir=asc")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = _sheet(response)
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 30
    start = rows[0][header.index("Date de début")]
    assert isinstance(start.value, datetime) and start.value.date() == date(2027, 1, 4) and start.is_date
    amount = rows[0][header.index("Montant demandé")]
    assert amount.data_type == "n" and isinstance(amount.value, int | float) and "0.00" in amount.number_format
    changed = rows[0][header.index("Dernier changement")]
    assert isinstance(changed.value, datetime)
    starts = [r[header.index("Date de début")].value for r in rows]
    assert starts == sorted(starts)


def test_a_few_thousand_rows_are_streamed_in_many_chunks(world, sign_in, monkeypatch):
    bulk_requests(world, 3000, "approved", prefix="BIG")
    response = sign_in(world.bri).get(f"{BRI_EXPORT}.csv")
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) > 10 and max(len(c) for c in chunks) < 200_000
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3001 and len({r[0] for r in rows[1:]}) == 3000
    read = 0

    def counted(*args, **kwargs):
        nonlocal read
        for row in exports.stream_rows(*args, **kwargs):
            read += 1
            yield row

    monkeypatch.setattr(leave_bri_views, "stream_rows", counted)
    response = sign_in(world.bri).get(f"{BRI_EXPORT}.xlsx")
    progress, body = [], bytearray()  # rows read and bytes sent at each chunk
    for chunk in response.response:
        progress.append((read, len(chunk)))
        body += chunk
    assert progress[0][0] == 0 and progress[0][1] > 0  # the XLSX's first bytes leave before the query's rows
    assert progress[1][0] < 3000 and read == 3000  # its sheet leaves as the rows are read, none kept
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    assert load_workbook(io.BytesIO(body)).active.max_row == 3001


@pytest.mark.parametrize(
    "url",
    [f"{BRI_EXPORT}.csv", f"{BRI_EXPORT}.xlsx", "/rapports/archive/export.csv", "/rapports/archive/export.xlsx"],
)
def test_an_employee_may_not_export_the_bri_lists(requests, sign_in, url):
    assert sign_in(requests.applicant).get(url).status_code == 403
    assert _logs() == []


def test_an_export_needs_a_login(requests, client):
    response = client.get(f"{BRI_EXPORT}.csv")
    assert response.status_code in (302, 303, 401)


def test_each_export_is_logged_with_who_which_list_which_filters_and_format(requests, sign_in):
    client = sign_in(requests.bri)
    client.get(f"{BRI_EXPORT}.xlsx?status=closed&sort=amount&dir=desc&cursor=abc").get_data()
    client.get("/rapports/archive/export.csv?country=HT").get_data()
    first, second = _logs()
    assert (first.user_id, first.list_name, first.format) == (requests.bri.id, "leave.bri_requests", "xlsx")
    assert first.filters == {"status": "closed", "sort": "amount", "dir": "desc"}
    assert (second.list_name, second.format, second.filters) == ("reports.archive", "csv", {"country": "HT"})
    assert first.created_at is not None


def test_an_export_that_fails_midway_is_still_logged(requests, sign_in, monkeypatch):
    def broken(_row):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(leave_exports, "_COLUMNS", (replace(leave_exports._COLUMNS[0], value=broken),))
    client = sign_in(requests.bri)
    with pytest.raises(RuntimeError):
        client.get(f"{BRI_EXPORT}.csv").get_data()
    db.session.rollback()
    assert [log.list_name for log in _logs()] == ["leave.bri_requests"]


def test_no_cell_is_read_as_a_formula(world, sign_in):
    bulk_requests(world, 3, "closed", prefix="FRM", city='=HYPERLINK("http://evil.example","x")')
    bulk_requests(world, 1, "closed", prefix="FRN", city="@SUM(A1)", objectives="-2+3")
    client = sign_in(world.bri)
    header, *rows = _csv(client.get(f"{BRI_EXPORT}.csv"))
    cities = {r[header.index("Ville")] for r in rows}
    assert cities == {'\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"}
    sheet = _sheet(client.get(f"{BRI_EXPORT}.xlsx"))
    column = [c.value for c in sheet[1]].index("Ville")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"}
    assert {c.value for c in cells} == {'=HYPERLINK("http://evil.example","x")', "@SUM(A1)"}
    assert safe_text("+1") == "'+1" and safe_text("-x") == "'-x" and safe_text("\tx") == "'\tx"
    assert safe_text("Jacmel") == "Jacmel" and safe_text(None) == ""


@pytest.mark.parametrize(
    "query",
    [
        "status=nothing",
        "cycle_id=99999999999999999999999",
        "cycle_id=-1",
        "department_id=NaN",
        "country_code=ZZZ",
        "q=' OR 1=1 --",
        "q=" + "x" * 5000,
        "project_id=1e309",
        "sort=__init__&dir=up",
        "_scheme=javascript&_external=1",
        "fmt=pdf",
    ],
)
def test_hostile_filters_give_an_export_or_a_message_never_a_500(requests, sign_in, query):
    client = sign_in(requests.bri)
    for url in (f"{BRI_EXPORT}.csv?{query}", f"/rapports/archive/export.xlsx?{query}", f"/projets/export.csv?{query}"):
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        response.get_data()
    assert client.get("/conges/bri/demandes?" + query).status_code in (200, 400)


def test_a_nul_byte_in_a_filter_is_refused_before_anything_is_logged(requests, sign_in):
    assert sign_in(requests.bri).get(f"{BRI_EXPORT}.csv?q=a%00b").status_code == 400
    assert _logs() == []


def test_an_unknown_format_is_no_page(requests, sign_in):
    assert sign_in(requests.bri).get(f"{BRI_EXPORT}.pdf").status_code == 404


def test_the_archive_export_keeps_its_filters_and_the_project_column(make_mission, sign_in, world):
    project = make_project(make_sector(), code="HT-EXP-1")
    make_mission("closed", report=REPORT_TEXT, project_id=project.id)
    make_mission("closed", country="SN", partner_name="Ville de Dakar", report=REPORT_TEXT)
    header, *rows = _csv(sign_in(world.bri).get("/rapports/archive/export.csv?country=HT"))
    assert len(rows) == 1
    assert rows[0][header.index("Projet")] == "HT-EXP-1"
    assert rows[0][header.index("Pays")] == "Haïti"


def test_the_projects_export_shows_amounts_to_the_bri_and_active_projects_only_to_employees(world, sign_in):
    sector = make_sector()
    active = add_lines(make_project(sector, code="HT-ACT"), funding=[("bri_operating", "1500.50")])
    make_project(sector, code="HT-PLAN", status="planned")
    header, *rows = _csv(sign_in(world.bri).get("/projets/export.csv?sort=project&dir=asc"))
    assert [r[0] for r in rows] == ["HT-ACT", "HT-PLAN"]
    assert rows[0][header.index("Financé")] == "1500,50" and rows[0][header.index("Budget")] == "100000,00"
    db.session.expire_all()
    employee = sign_in(world.applicant)
    header, *rows = _csv(employee.get("/projets/export.csv"))
    assert [r[0] for r in rows] == [active.code] and "Budget" not in header and "Financé" not in header


def test_a_projects_funding_and_expenditures_export_to_the_bri_only(world, sign_in):
    project = add_lines(
        make_project(make_sector(), code="HT-FIN"),
        funding=[("federal", "20000.00"), ("bri_operating", "5000.00")],
        expenditures=[(date(2026, 3, 2), "1234.56", "bri_operating")],
    )
    url = f"/projets/{project.id}/finances"
    sheet = _sheet(sign_in(world.bri).get(f"{url}.xlsx"))
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[header.index("Type")] for r in rows] == ["Financement", "Financement", "Dépense"]
    assert rows[-1][header.index("Montant")] == pytest.approx(1234.56)
    assert rows[-1][header.index("Date")] == datetime(2026, 3, 2) and rows[0][header.index("Date")] is None
    assert _logs()[-1].filters == {"project_id": project.id}
    other = sign_in(world.applicant)
    assert other.get(f"{url}.csv").status_code == 403
    assert other.get("/projets/999999/finances.csv").status_code == 404


def test_the_list_pages_link_to_their_exports_with_the_filters_on_screen(requests, sign_in, world):
    client = sign_in(requests.bri)
    page = client.get("/conges/bri/demandes?status=closed&sort=reference&dir=asc&cursor=zz").get_data(as_text=True)
    assert 'data-testid="export-csv"' in page and "Exporter" in page
    assert "/conges/bri/demandes/export.csv?status=closed&amp;sort=reference&amp;dir=asc" in page
    assert "cursor=zz" not in page.split('data-testid="export-links"')[1].split("</p>")[0]
    archive = client.get("/rapports/archive?country=HT").get_data(as_text=True)
    assert "/rapports/archive/export.xlsx?country=HT" in archive
    add_lines(make_project(make_sector(), code="HT-LNK"), funding=[("bri_operating", "1.00")])
    assert "/projets/export.csv" in client.get("/projets/").get_data(as_text=True)
    assert _logs() == []  # showing the links exports nothing
    detail = client.get(f"/projets/{_project_id('HT-LNK')}").get_data(as_text=True)
    assert f"/projets/{_project_id('HT-LNK')}/finances.csv" in detail


def _project_id(code: str) -> int:
    return db.session.scalar(select(Project.id).where(Project.code == code))


def test_amounts_keep_their_cents_in_both_formats(world, sign_in):
    bulk_requests(world, 1, "closed", prefix="CNT", amount_requested=Decimal("1234.05"))
    client = sign_in(world.bri)
    header, row = _csv(client.get(f"{BRI_EXPORT}.csv"))
    assert row[header.index("Montant demandé")] == "1234,05"
    sheet = _sheet(client.get(f"{BRI_EXPORT}.xlsx"))
    column = [c.value for c in sheet[1]].index("Montant demandé")
    assert sheet.cell(row=2, column=column + 1).value == pytest.approx(1234.05)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_body_streams_after_the_views_session_is_gone(requests, sign_in, fmt):
    """A server sends the body after the view's context was torn down: its session removed, the reader's row
    expired by the commit and detached. The streaming reads the rows only (the test client keeps the session:
    removed here by hand)."""
    client = sign_in(requests.bri)
    project = make_project(make_sector()).id
    sizes = []
    urls = [f"{BRI_EXPORT}.{fmt}?status=submitted", f"/rapports/archive/export.{fmt}", f"/projets/export.{fmt}"]
    for url in [*urls, f"/projets/{project}/finances.{fmt}"]:
        response = client.get(url)
        db.session.remove()
        sizes.append(len(_csv(response)) if fmt == "csv" else _sheet(response).max_row)
    assert sizes == [13, 31, 2, 1]
