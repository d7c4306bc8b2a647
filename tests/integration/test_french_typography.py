"""French typography: « 1er juin », « d'Amina », real plurals, file sizes in words, one inclusive wording."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from app.core.database import montreal_today
from app.core.i18n import date_filter, file_size, of_name
from app.extensions import db
from tests.factories import REPORT_TEXT, delegate, make_request, text


@pytest.mark.parametrize(
    ("value", "fmt", "french"),
    [
        (date(2027, 6, 1), "medium", "1er juin 2027"),
        (date(2027, 6, 1), "long", "1er juin 2027"),
        (date(2027, 6, 1), "full", "mardi 1er juin 2027"),
        (date(2027, 6, 2), "medium", "2 juin 2027"),
        (date(2027, 6, 11), "medium", "11 juin 2027"),
        (date(2027, 6, 1), "short", "2027-06-01"),
        # 1 March 04:30 UTC is still 28 February in Montréal: no « 1er ».
        (datetime(2027, 3, 1, 4, 30, tzinfo=UTC), "medium", "28 févr. 2027, 23 h 30"),
    ],
)
def test_french_dates_write_the_first_of_the_month_as_an_ordinal(app, value, fmt, french):
    with app.test_request_context("/"), force_locale("fr_CA"):
        assert date_filter(value, fmt) == french


def test_english_dates_are_unchanged(app):
    with app.test_request_context("/"), force_locale("en_CA"):
        assert date_filter(date(2027, 6, 1)) == "Jun 1, 2027"


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("Amina Joseph", "d'Amina Joseph"),
        ("Éloïse Tremblay", "d'Éloïse Tremblay"),
        ("Hélène Côté", "d'Hélène Côté"),
        ("Ulrich Noël", "d'Ulrich Noël"),
        ("Bernard Lachance", "de Bernard Lachance"),
        ("Yannick Dorval", "de Yannick Dorval"),
    ],
)
def test_de_is_elided_before_a_vowel_or_a_mute_h(app, name, french):
    with app.test_request_context("/"):
        with force_locale("fr_CA"):
            assert of_name(name) == french
        with force_locale("en_CA"):
            assert of_name(name) == f"of {name}"


@pytest.mark.parametrize(
    ("size", "french", "english"),
    [
        (0, "0 octet", "0 bytes"),
        (1, "1 octet", "1 byte"),
        (412, "412 octets", "412 bytes"),
        (1229, "1,2 ko", "1.2 kB"),
        (3 * 1024 * 1024 + 400 * 1024, "3,4 Mo", "3.4 MB"),
    ],
)
def test_file_sizes_are_read_in_words(app, size, french, english):
    with app.test_request_context("/"):
        with force_locale("fr_CA"):
            assert file_size(size).replace("\xa0", " ") == french
        with force_locale("en_CA"):
            assert file_size(size).replace("\xa0", " ") == english


def test_a_delegate_reads_on_behalf_of_an_elided_name(client, login, world):
    world.manager.full_name = "Amina Joseph"
    db.session.commit()
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    login(world.delegate)
    page = text(client.get("/conges/a-approuver"))
    assert req.reference in page
    assert "au nom d'Amina Joseph" in page and "de Amina" not in page


def test_the_role_and_the_tables_say_the_person_in_inclusive_words(client, login, world, make_mission):
    make_mission("report_submitted", report=REPORT_TEXT)
    login(world.bri)
    page = text(client.get("/rapports/a-examiner"))
    assert "Demandeur ou demandeuse" in page and "Employé" not in page
    admin = login(world.admin, test_client=client.application.test_client())
    assert "Personne employée" in text(admin.get(f"/admin/utilisateurs/{world.applicant.id}"))


def test_a_small_attachment_shows_its_size_in_bytes(client, login, world):
    req = make_request(world)
    login(world.applicant)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(
        f"/conges/{req.id}/pieces-jointes",
        data={"file": (io.BytesIO(pdf), "lettre.pdf")},
        content_type="multipart/form-data",
    )
    page = text(client.get(f"/conges/{req.id}"))
    assert f"({len(pdf)} octets)" in page and "Ko)" not in page
