"""The writers of the exports and the choice of a list's sort, without a database."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import column

from app.core import xlsx
from app.core.exports import DATE, DATETIME, MONEY, NUMBER, Column, csv_chunks, safe_text, xlsx_chunks
from app.core.sorting import SortColumn, choose_sort

ROWS = [
    SimpleNamespace(ref="CS-1", day=date(2027, 3, 1), at=datetime(2027, 3, 1, 17, 30, tzinfo=UTC),
                    amount=Decimal("1234.50"), days=8, city="=cmd|' /C calc'!A0", country="HT"),
    SimpleNamespace(ref="CS-2", day=None, at=None, amount=None, days=None, city="Jacmel", country="HT"),
]  # fmt: skip
COLUMNS = [
    Column("Ref", lambda r: r.ref),
    Column("Day", lambda r: r.day, DATE),
    Column("At", lambda r: r.at, DATETIME),
    Column("Amount", lambda r: r.amount, MONEY),
    Column("Days", lambda r: r.days, NUMBER),
    Column("City", lambda r: r.city),
    Column("Country", lambda r: r.country, label=lambda code: {"HT": "Haïti"}[code]),
]
HEADERS = [c.header for c in COLUMNS]


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("a=b", "a=b"), ("", ""), (None, ""), (42, "42")],
)  # fmt: skip
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe(text, safe):
    assert safe_text(text) == safe


@pytest.mark.parametrize(("language", "amount"), [("fr", "1234,50"), ("en", "1234.50")])
def test_the_csv_has_a_bom_semicolons_typed_texts_and_the_readers_decimal_mark(language, amount):
    body = b"".join(csv_chunks(COLUMNS, HEADERS, iter(ROWS), language))
    assert body.startswith(b"\xef\xbb\xbf")
    header, first, second = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    assert header == HEADERS
    # 17:30 UTC on 1 March is 12:30 in Montréal.
    assert first == ["CS-1", "2027-03-01", "2027-03-01 12:30", amount, "8", "'=cmd|' /C calc'!A0", "Haïti"]
    assert second == ["CS-2", "", "", "", "", "Jacmel", "Haïti"]


def test_the_csv_leaves_in_chunks_as_the_rows_come():
    rows = [ROWS[1]] * 1000
    chunks = list(csv_chunks(COLUMNS, HEADERS, iter(rows), "fr", every=100))
    assert len(chunks) == 12  # the headers, ten chunks of a hundred rows, the rest (empty)


def test_the_xlsx_has_typed_cells_and_strings_never_formulas():
    body = b"".join(xlsx_chunks(COLUMNS, HEADERS, iter(ROWS), "fr", "Sheet"))
    sheet = load_workbook(io.BytesIO(body)).active
    ref, day, at, amount, days, city, country = sheet[2]
    assert day.is_date and day.value == datetime(2027, 3, 1) and day.number_format == "yyyy-mm-dd"
    assert at.value == datetime(2027, 3, 1, 12, 30)
    assert amount.data_type == "n" and amount.value == 1234.5 and "0.00" in amount.number_format
    assert days.value == 8 and city.data_type == "s" and city.value.startswith("=") and country.value == "Haïti"
    assert [c.value for c in sheet[3]][1:5] == [None, None, None, None]


def test_the_xlsx_leaves_while_its_rows_are_read_and_keeps_none_of_them():
    read = 0

    def rows():
        nonlocal read
        for number in range(3000):
            read += 1
            yield SimpleNamespace(**{**vars(ROWS[0]), "ref": f"CS-{number:05d}", "days": number})

    progress, body = [], bytearray()  # rows read and bytes sent at each chunk
    for chunk in xlsx_chunks(COLUMNS, HEADERS, rows(), "fr", "Sheet"):
        progress.append((read, len(chunk)))
        body += chunk
    assert progress[0][0] == 0 and progress[0][1] > 0  # the package's fixed parts, before any row is read
    assert progress[1][0] < 3000  # the sheet's first rows left before the last one was read (zlib's blocks)
    package = zipfile.ZipFile(io.BytesIO(body))
    assert package.testzip() is None
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", xlsx.SHEET} <= set(package.namelist())
    assert "xl/sharedStrings.xml" not in package.namelist()
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.max_row == 3001 and sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width > 17
    assert [c.value for c in sheet[3001]][:1] == ["CS-02999"] and sheet["E3001"].value == 2999


def test_an_xlsx_text_is_escaped_and_keeps_only_what_xml_allows():
    cell = xlsx.text_cell("A2", " <a & b>\x00\x1f\ufffe_x0041_\ud800 ")
    assert cell == '<c r="A2" t="inlineStr"><is><t xml:space="preserve"> &lt;a &amp; b&gt;_x005F_x0041_ </t></is></c>'
    assert xlsx.text_cell("A2", "\x01") == "" and xlsx.text_cell("B3", "=1+1", 4).startswith(
        '<c r="B3" s="4" t="inlineStr">'
    )
    assert len(xlsx.text_cell("A2", "x" * 40_000)) < 32_767 + 100  # Excel's limit per cell
    assert xlsx.number_cell("C2", Decimal("1234.05"), 3) == '<c r="C2" s="3"><v>1234.05</v></c>'
    assert xlsx.number_cell("C2", float("nan")) == "" and xlsx.number_cell("C2", 8) == '<c r="C2"><v>8</v></c>'


def test_an_xlsx_stops_at_the_rows_an_excel_sheet_holds(monkeypatch, caplog):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 5)
    body = b"".join(xlsx_chunks(COLUMNS, HEADERS, iter(ROWS * 10), "en", "Sheet"))
    assert load_workbook(io.BytesIO(body)).active.max_row == 5
    assert "cut at row 6" in caplog.text


@pytest.mark.parametrize(
    ("value", "number"),
    [(date(1900, 1, 1), 1), (date(1900, 2, 28), 59), (date(1900, 3, 1), 61), (date(2027, 3, 1), 46447),
     (datetime(2027, 3, 1, 18), 46447.75)],
)  # fmt: skip
def test_a_date_is_excels_serial_number_in_the_1900_system(value, number):
    assert xlsx.serial(value) == number


def test_a_sort_column_flips_every_term_for_the_descending_order():
    changed, key = column("changed_at"), column("id")
    waiting = SortColumn("waiting", (changed.desc(), key.desc()))
    assert [str(t) for t in waiting.order(False)] == ["changed_at DESC", "id DESC"]
    assert [str(t) for t in waiting.order(True)] == ["changed_at ASC", "id ASC"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("sort=a&dir=desc", ("a", True, True)), ("sort=b", ("b", False, True)), ("sort=c&dir=desc", ("a", False, False)),
     ("sort=a&dir=up", ("a", False, False)), ("", ("a", False, False))],
)  # fmt: skip
def test_the_sort_comes_from_the_query_string_or_is_the_default(query, expected):
    columns = [SortColumn("a", (column("x"),)), SortColumn("b", (column("y"),))]
    with Flask(__name__).test_request_context(f"/?{query}&status=open&cursor=zz&_method=POST"):
        sort = choose_sort(columns, default=("a", False))
        assert (sort.name, sort.descending, sort.chosen) == expected
        assert sort.aria(expected[0]) == ("descending" if expected[1] else "ascending")
        assert sort.aria("other") is None
        link = sort.link_args("a")
    assert link == {"status": "open", "sort": "a", "dir": "asc" if expected[:2] != ("a", False) else "desc"}
