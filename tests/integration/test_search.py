"""Full-text search of requests (``app.core.search``, ``app.leave.search``, ``app.reports.search``): the mission
archive and the BRI's request search, on SQLite (FTS5) and PostgreSQL (tsvector, french_unaccent, GIN)."""

import os
import re
from html import unescape

import pytest
from sqlalchemy import text

from app.core.search import MAX_WORD_LENGTH, search_words
from app.leave.queries import bri_requests
from app.reports.models import MissionReport
from app.reports.queries import ArchiveFilters, archive_query
from tests.factories import REPORT_TEXT

on_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="PostgreSQL only: run with TEST_DATABASE_URL=postgresql+psycopg://…",
)


def archived(db, q: str) -> list[str]:
    return [r.reference for r in db.session.scalars(archive_query(ArchiveFilters(q=q))).unique()]


def searched(db, q: str) -> list[str]:
    return [r.reference for r in db.session.scalars(bri_requests({"q": q})).unique()]


@pytest.fixture
def hospital(make_mission, make_user):
    """A closed mission about a hospital, by an employee with an accented name, and its report."""
    return make_mission(
        "closed",
        applicant=make_user(full_name="Hélène Béliveau"),
        objectives="Soutenir l'Hôpital Saint-Michel dans sa formation des infirmières",
        report=dict(REPORT_TEXT, results="Protocole de compostage des déchets médicaux"),
    )


@pytest.fixture
def school(make_mission):
    """Another closed mission that shares no word of interest with the hospital."""
    return make_mission(
        "closed",
        partner_name="Ville de Dakar",
        country="SN",
        city="Dakar",
        objectives="Fiscalite municipale et hopital de jour",
        report=dict(REPORT_TEXT, results="Rôle foncier révisé"),
    )


@pytest.mark.parametrize("q", ["hôpital", "hopital", "HÔPITAL", "Hopital", "HOPITAL saint-michel"])
def test_accents_and_case_do_not_matter(db, hospital, school, q):
    assert hospital.reference in archived(db, q)
    # "hopital" written without its accent in the other mission is found by the accented word too.
    assert school.reference in archived(db, q.split()[0])


def test_the_last_word_is_a_prefix(db, hospital, school):
    assert set(archived(db, "hôpi")) == {hospital.reference, school.reference}
    assert archived(db, "compost") == [hospital.reference]
    # Only the last one: a word before it is whole.
    assert archived(db, "compostage proto") == [hospital.reference]
    assert archived(db, "compost protocole") == []


@on_postgresql
def test_french_stemming_finds_other_forms_of_a_word_on_postgresql(db, hospital):
    assert archived(db, "formations") == [hospital.reference]
    assert archived(db, "infirmière") == [hospital.reference]


def test_every_word_must_match_in_any_field(db, hospital, school):
    # The applicant's name and a word of the report.
    assert archived(db, "Béliveau compostage") == [hospital.reference]
    assert archived(db, "beliveau foncier") == []
    # The partner's name and a word of the request.
    assert archived(db, "dakar fiscalite") == [school.reference]


def test_an_update_of_the_report_or_of_a_name_reaches_the_search(db, hospital, school):
    report = db.session.query(MissionReport).filter_by(request_id=hospital.id).one()
    report.testimony = "Une expérience inoubliable à Port-au-Prince"
    db.session.commit()
    assert archived(db, "inoubliable") == [hospital.reference]
    report.testimony = "Rien à signaler"
    db.session.commit()
    assert archived(db, "inoubliable") == []

    hospital.applicant.full_name = "Hélène Quenneville"
    db.session.commit()
    assert archived(db, "Béliveau") == []
    assert archived(db, "quenneville") == [hospital.reference]

    school.partner.name = "Commune de Thiès"
    db.session.commit()
    assert archived(db, "thies") == [school.reference]
    assert archived(db, "dakar fiscalite") == [school.reference]  # the city still says Dakar

    hospital.objectives = "Appui à la maternité"
    db.session.commit()
    assert archived(db, "maternite") == [hospital.reference]
    assert hospital.reference not in archived(db, "saint-michel")


def test_a_request_deleted_leaves_the_search(db, make_mission):
    draft = make_mission("draft", objectives="Compostage")
    assert db.session.scalar(text("SELECT count(*) FROM request_search")) == 1
    db.session.delete(draft)
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM request_search")) == 0


def test_the_most_relevant_comes_first(db, make_mission):
    once = make_mission("closed", objectives="Gestion municipale", report=dict(REPORT_TEXT, results="Compostage"))
    often = make_mission(
        "closed",
        objectives="Compostage collectif",
        expertise="Compostage",
        report=dict(REPORT_TEXT, results="Compostage"),
    )
    # Without words the most recent mission comes first; with words, the one that says it most.
    assert archived(db, "")[0] == often.reference
    assert archived(db, "compostage") == [often.reference, once.reference]
    last = make_mission("closed", objectives="Gestion municipale", report=dict(REPORT_TEXT, results="Compostage"))
    assert archived(db, "compostage")[0] == often.reference
    assert set(archived(db, "compostage")) == {often.reference, once.reference, last.reference}


def test_the_rank_is_a_labelled_expression_of_the_order(db, hospital):
    rank, key = archive_query(ArchiveFilters(q="hopital"))._order_by_clauses
    assert rank.element.element.name == "search_rank"  # keyset pagination can page on it
    assert "id DESC" in str(key)


# The BRI's request search ---------------------------------------------------------------------------------------


def test_the_bri_searches_the_texts_of_the_request_and_names_not_the_report(db, hospital, school):
    assert set(searched(db, "hopital")) == {school.reference, hospital.reference}
    assert searched(db, "Béliveau infirmières") == [hospital.reference]
    assert searched(db, "ville dakar") == [school.reference]
    assert searched(db, "compostage") == []  # a word of the report only


def test_the_bri_finds_a_reference_by_its_beginning(db, hospital, school):
    year = hospital.reference[3:7]
    assert searched(db, hospital.reference) == [hospital.reference]
    assert searched(db, hospital.reference.lower()) == [hospital.reference]
    assert hospital.reference in searched(db, f"{year}-00")
    assert hospital.reference in searched(db, f"CS-{year}")
    assert searched(db, "CS-1999-00") == []


def test_the_bri_list_page_searches_words(bri_client_for, hospital, school):
    body = unescape(bri_client_for.get("/conges/bri/demandes", query_string={"q": "infirmieres"}).get_data(True))
    assert re.findall(r"CS-\d{4}-\d{4}", body.split("<tbody", 1)[-1]) == [hospital.reference]


@pytest.fixture
def bri_client_for(app, login, world):
    return login(world.bri, test_client=app.test_client())


# Hostile input ---------------------------------------------------------------------------------------------------

FTS_SYNTAX = [
    '"',
    '"hôpital',
    "hôpital\"'",
    "*",
    "hôp*",
    "NEAR(hôpital saint)",
    "hôpital AND",
    "OR",
    "NOT hôpital",
    "-hôpital",
    "objectives:hôpital",
    "names : hôpital",
    "(hôpital",
    "hôpital)",
    "{names request} : hôpital",
    "^hôpital",
    "hôpital & !saint | <-> :*",
    "'hôpital':*A",
    "\\",
    "😀 hôpital 🏥",
    "x" * 10000,
    "hôpital " * 2000,
    "%ED%A0%80",
]


@pytest.mark.parametrize("q", FTS_SYNTAX, ids=range(len(FTS_SYNTAX)))
def test_query_syntax_in_the_words_is_plain_text(bri_client_for, hospital, q):
    for url in ("/rapports/archive", "/conges/bri/demandes"):
        response = bri_client_for.get(url, query_string={"q": q})
        assert response.status_code == 200, (url, q[:40])


def test_a_lone_surrogate_or_an_invalid_byte_is_no_error(db, bri_client_for, hospital):
    assert bri_client_for.get("/rapports/archive?q=h%F4pital%ED%A0%80").status_code == 200
    assert archived(db, "hôpital\ud800") == [hospital.reference]
    assert searched(db, "\udfff") == searched(db, "")


def test_words_hold_only_letters_and_digits():
    assert search_words('"hôpital" NEAR(a*b) -c:d {e} ^f_g 😀 2027-0001') == [
        "hôpital",
        "NEAR",
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "2027",
    ]  # ten words at most: "0001" is left out
    assert search_words("a " * 50) == ["a"] * 10
    assert search_words("x" * 10000) == ["x" * MAX_WORD_LENGTH]
    assert search_words(None) == []


# The plan on PostgreSQL --------------------------------------------------------------------------------------------


@on_postgresql
def test_the_archive_search_uses_the_gin_index(db, hospital):
    from app.leave.models import LeaveRequest

    columns = [c.name for c in LeaveRequest.__table__.columns if c.name not in ("id", "reference", "creation_token")]
    copied = ", ".join(c if c != "objectives" else "'Mot' || g || ' ' || objectives" for c in columns)
    db.session.execute(
        text(
            f"INSERT INTO leave_request ({', '.join(columns)}, reference) "  # noqa: S608 - the model's own columns
            f"SELECT {copied}, 'CS-9' || lpad(g::text, 7, '0') FROM leave_request, generate_series(1, 4000) g"
        )
    )
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # VACUUM moves the new rows from the GIN index's pending list into the index proper, as autovacuum does.
        connection.exec_driver_sql("VACUUM ANALYZE leave_request")
        connection.exec_driver_sql("VACUUM ANALYZE request_search")
    query = archive_query(ArchiveFilters(q="mot1234 hôpital")).limit(20)  # a page
    compiled = query.compile(dialect=db.engine.dialect)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
    plan = "\n".join(row[0] for row in rows)
    assert "ix_request_search_document" in plan, plan
    assert len(archived(db, "mot1234 hôpital")) == 1


def test_the_rebuild_command_fills_the_search_again(app, db, hospital):
    db.session.execute(text("DELETE FROM request_search"))
    db.session.commit()
    assert archived(db, "compostage") == []
    result = app.test_cli_runner().invoke(args=["leave", "search-rebuild"])
    assert result.exit_code == 0, result.output
    assert "1 request(s) in the search." in result.output
    assert archived(db, "Béliveau compostage") == [hospital.reference]
