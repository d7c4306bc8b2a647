"""Importing travel advisories from a CSV file: a preview that applies nothing, then all or nothing; each row's
errors by line number in the reader's language; separators, byte order mark, size and row limits."""

import io
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.core.database import montreal_today
from app.core.notifications import Notification
from app.extensions import db
from app.reference import advisory_csv
from app.reference.models import Country, CountryAdvisoryChange
from tests.factories import client_for, ensure_country, set_advisory

TODAY = montreal_today().isoformat()
URL = "/referentiel/avis/import"


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def _upload(client, content: bytes, button: str = "preview"):
    return client.post(
        URL, data={"file": (io.BytesIO(content), "avis.csv"), button: "1"}, content_type="multipart/form-data"
    )


def _levels(*codes) -> dict:
    db.session.expire_all()
    return {code: getattr(db.session.get(Country, code), "advisory_level", None) for code in codes}


def _changes() -> int:
    return len(db.session.scalars(select(CountryAdvisoryChange)).all())


@pytest.fixture
def bri(app, world):
    return client_for(app, world.bri)


VALID = f"code;niveau;date;note_fr;note_en\nHT;3;{TODAY};Éviter le Nord;Avoid the North\nSN;2;{TODAY};;\n".encode()


def test_the_preview_applies_nothing_then_the_import_applies_every_row(bri, world):
    preview = _upload(bri, VALID)
    assert preview.status_code == 200
    body = page_text(preview)
    assert 'data-testid="import-preview"' in body and "2 pays changeraient." in body
    assert "Niveau 3 : Éviter tout voyage non essentiel" in body
    assert _levels("HT", "SN") == {"HT": None, "SN": None} and _changes() == 0
    # The preview carries the file's text to the import, which reads and checks it again.
    applied = bri.post(URL, data={"content": VALID.decode(), "apply": "1"})
    assert applied.status_code == 303
    assert _levels("HT", "SN") == {"HT": 3, "SN": 2}
    changes = db.session.scalars(select(CountryAdvisoryChange).order_by(CountryAdvisoryChange.id)).all()
    assert [(c.country_code, c.new_level, c.source, c.actor_id) for c in changes] == [
        ("HT", 3, "csv", world.bri.id),
        ("SN", 2, "csv", world.bri.id),
    ]
    assert db.session.get(Country, "HT").advisory_note_en == "Avoid the North"


def test_an_invalid_row_applies_nothing_and_each_error_names_its_line(bri):
    content = (
        f"HT;3;{TODAY};;\n"
        f"SN;7;{TODAY};;\n"
        f"XX;2;{TODAY};;\n"
        f"CM;2;{(montreal_today() + timedelta(days=2)).isoformat()};;\n"
        "CI;2;hier;;\n"
    ).encode()
    response = _upload(bri, content, "apply")
    assert response.status_code == 422
    body = page_text(response)
    assert "Rien n'a été appliqué" in body
    assert "Ligne 2 : Le niveau doit être 1, 2, 3 ou 4." in body
    assert "Ligne 3 : Code de pays inconnu « XX »." in body
    assert "Ligne 4 : La date de vérification de l'avis ne peut pas être dans le futur." in body
    assert "Ligne 5 :" in body and "Ligne 1 :" not in body
    assert _levels("HT") == {"HT": None} and _changes() == 0


def test_errors_are_told_in_english_to_an_english_reader(bri):
    bri.post("/langue", data={"language": "en"})
    body = page_text(_upload(bri, f"HT;9;{TODAY}\nZZ;1;{TODAY}\n".encode()))
    assert "Line 1: The level must be 1, 2, 3 or 4." in body
    assert "Line 2: Unknown country code “ZZ”." in body


def test_commas_and_a_byte_order_mark_are_read(bri):
    header = "\ufeffcountry,level,checked_on,note_fr,note_en\r\n"
    content = (header + f'HT,4,{TODAY},"Tout le pays, sauf Jacmel",\r\n').encode("utf-8")
    assert _upload(bri, content, "apply").status_code == 303
    assert _levels("HT") == {"HT": 4}
    assert db.session.get(Country, "HT").advisory_note_fr == "Tout le pays, sauf Jacmel"


def test_semicolons_without_header_are_read(bri):
    assert _upload(bri, f"ht;2;{TODAY}\nsn;1;{TODAY};Note\n".encode(), "apply").status_code == 303
    assert _levels("HT", "SN") == {"HT": 2, "SN": 1}


def test_a_country_twice_in_the_file_is_refused(bri):
    body = page_text(_upload(bri, f"HT;2;{TODAY}\nHT;3;{TODAY}\n".encode(), "apply"))
    assert "Ligne 2 : HT est déjà à la ligne 1." in body and _changes() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("".join(f"HT;1;{TODAY}\n" for _ in range(501)).encode(), "plus de 500 lignes"),
        ("HT;2;2026-01-01;é".encode("latin-1"), "UTF-8"),
        (f"HT;2;{TODAY};a\x00b\n".encode(), "Ligne 1 :"),
        (b"", "ne contient aucune ligne"),
        (b"\n\n", "ne contient aucune ligne"),
        (f'HT;2;{TODAY};"pas fermé\n'.encode(), "Ligne"),
        (b"HT;2\n", "colonnes attendues"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_without_a_500(bri, content, message):
    response = _upload(bri, content, "apply")
    assert response.status_code == 422
    assert message in page_text(response)
    assert _changes() == 0


def test_a_file_over_the_size_limit_is_refused_unread(bri, monkeypatch):
    # The limit made small: a body of more than 500 kB would go through a temporary file of the test client.
    monkeypatch.setattr(advisory_csv, "MAX_BYTES", 64)
    response = _upload(bri, f"HT;2;{TODAY};{'x' * 60}\n".encode(), "apply")
    assert response.status_code == 422
    assert "Le fichier fait plus de 1 Mo" in page_text(response) and _changes() == 0


def test_the_reader_refuses_a_file_of_more_than_a_megabyte(app):
    with app.test_request_context():
        preview = advisory_csv.read_advisories(b"HT;1;2026-01-01\n" * 70_000, montreal_today())
    assert not preview.ok and preview.lines == [] and "1\xa0Mo" in preview.errors[0]


def test_sending_no_file_is_a_field_error(bri):
    response = bri.post(URL, data={"preview": "1"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choisissez un fichier CSV." in page_text(response) and _changes() == 0


def test_a_row_that_changes_nothing_is_not_recorded_again(bri, world):
    set_advisory("HT", 3, actor=world.bri, checked_on=montreal_today())
    before = _changes()
    assert _upload(bri, f"HT;3;{TODAY}\nSN;2;{TODAY}\n".encode(), "apply").status_code == 303
    assert _changes() == before + 1


def test_an_import_raising_a_level_notifies_and_lowering_does_not(bri, world, make_mission):
    ensure_country("SN")
    set_advisory("SN", 3, actor=world.bri)
    make_mission("approved")
    db.session.execute(Notification.__table__.delete())
    db.session.commit()
    assert _upload(bri, f"HT;4;{TODAY}\nSN;1;{TODAY}\n".encode(), "apply").status_code == 303
    db.session.expire_all()
    kinds = [(n.kind, n.params["country"]) for n in db.session.scalars(select(Notification))]
    assert ("leave/advisory_raised", "HT") in kinds
    assert {k for k in kinds if k[0] == "reference/advisory_raised"} == {("reference/advisory_raised", "HT")}
    assert not [k for k in kinds if k[1] == "SN"]
