"""The BRI's queue of reports and the archive of closed missions: order, search, filters, pages, SQL statements."""

import re
from datetime import date
from html import unescape

import pytest

from app.core.database import montreal_today
from tests.factories import REPORT_TEXT, make_project, page_link


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def references(response) -> list[str]:
    return re.findall(r"CS-\d{4}-\d{4}", text(response).split('data-testid="archive"', 1)[-1])


@pytest.fixture
def bri_client(app, login, world):
    return login(world.bri, test_client=app.test_client())


@pytest.fixture
def archive(make_mission, make_user, make_department, world):
    """Two closed missions that differ in everything, and one still under review."""
    finance = make_department(name="Service des finances", code="FIN")
    other = make_user(full_name="Gaston Lévesque", department=finance)
    jacmel = make_mission(
        "closed",
        objectives="Planification urbaine participative",
        report=dict(REPORT_TEXT, results="Plan de gestion des déchets adopté"),
    )
    dakar = make_mission(
        "closed",
        applicant=other,
        country="SN",
        partner_name="Ville de Dakar",
        city="Dakar",
        start=date(2026, 4, 6),
        end=date(2026, 4, 24),
        objectives="Fiscalité municipale",
        report=dict(REPORT_TEXT, testimony="La Teranga sénégalaise", results="Rôle foncier révisé"),
    )
    pending = make_mission("report_submitted", report=dict(REPORT_TEXT, results="Gestion des déchets en cours"))
    return {"jacmel": jacmel, "dakar": dakar, "pending": pending, "finance": finance}


def test_the_archive_lists_closed_missions_only(bri_client, archive):
    refs = references(bri_client.get("/rapports/archive"))
    assert set(refs) == {archive["jacmel"].reference, archive["dakar"].reference}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("déchets", ["jacmel"]),  # a word of the report
        ("FISCALITE", ["dakar"]),  # a word of the request, whatever the case and the accents
        ("teranga", ["dakar"]),  # the testimony
        ("fiscalité foncier", ["dakar"]),  # every word must match, in any field
        ("fiscalité déchets", []),
        ("Lévesque", ["dakar"]),  # the employee's name
        ("Dakar", ["dakar"]),  # the partner and the city
        ("100%", []),  # what is not a letter or a digit separates words
    ],
)
def test_the_archive_searches_words_of_the_request_and_of_the_report(bri_client, archive, q, expected):
    response = bri_client.get("/rapports/archive", query_string={"q": q})
    assert response.status_code == 200
    assert sorted(references(response)) == sorted(archive[name].reference for name in expected)
    if not expected:
        assert "Aucune mission terminée ne correspond à cette recherche" in text(response)


def test_the_archive_filters_by_country_partner_department_cycle_and_year(bri_client, archive):
    dakar = archive["dakar"]
    filters = [
        {"country": "SN"},
        {"partner": str(dakar.partner_id)},
        {"department": str(archive["finance"].id)},
        {"cycle": str(dakar.cycle_id)},
        {"year": "2026"},
    ]
    for query in filters:
        assert references(bri_client.get("/rapports/archive", query_string=query)) == [dakar.reference], query
    both = bri_client.get("/rapports/archive", query_string={"country": "HT", "year": "2026"})
    assert references(both) == []


def test_the_archive_offers_country_names_in_the_reader_language(bri_client, archive):
    body = text(bri_client.get("/rapports/archive"))
    assert '<option value="SN">Sénégal</option>' in body
    assert '<option value="HT">Haïti</option>' in body


def test_a_wrong_year_is_reported_next_to_the_field(bri_client, archive):
    response = bri_client.get("/rapports/archive", query_string={"year": "abc"})
    assert response.status_code == 200
    assert 'id="year-error"' in text(response)


def test_the_archive_is_paginated(app, bri_client, make_mission):
    for _ in range(app.config["ITEMS_PER_PAGE"] + 3):
        make_mission("closed")
    first = bri_client.get("/rapports/archive")
    assert len(references(first)) == app.config["ITEMS_PER_PAGE"]
    second = bri_client.get(page_link(first))
    assert len(references(second)) == 3


def test_an_empty_archive_says_how_missions_enter_it(bri_client):
    assert "Une mission entre dans l’archive quand le BRI accepte son rapport." in text(
        bri_client.get("/rapports/archive")
    )


def _statements(count_queries, client, url: str) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _missions_of_different_people(make_mission, make_user, make_department, n: int, status: str, offset: int):
    """Missions that share nothing: applicant, department, partner and linked project all differ."""
    for i in range(n):
        department = make_department()
        applicant = make_user(department=department)
        make_mission(status, applicant=applicant, partner_name=f"Partenaire {offset + i}", project=make_project())


@pytest.mark.parametrize(
    ("url", "status"), [("/rapports/archive", "closed"), ("/rapports/a-examiner", "report_submitted")]
)
def test_sql_statements_per_page_do_not_grow_with_the_missions(
    count_queries, bri_client, make_mission, make_user, make_department, url, status
):
    # Each count follows a first view: the new departments make the reference cache rebuild its choices once, at
    # the first page after the change, not at every page.
    _missions_of_different_people(make_mission, make_user, make_department, 3, status, 0)
    bri_client.get(url)
    few = _statements(count_queries, bri_client, url)
    _missions_of_different_people(make_mission, make_user, make_department, 3, status, 100)
    bri_client.get(url)
    assert _statements(count_queries, bri_client, url) == few


def test_the_queue_lists_submitted_reports_oldest_first_with_days_since_return(bri_client, make_mission):
    from tests.factories import at_noon

    recent = make_mission(
        "report_submitted", start=date(2026, 9, 7), end=date(2026, 9, 25), changed_at=at_noon(date(2026, 10, 20))
    )
    older = make_mission(
        "report_submitted", start=date(2026, 8, 3), end=date(2026, 8, 28), changed_at=at_noon(date(2026, 9, 15))
    )
    make_mission("report_due")
    response = bri_client.get("/rapports/a-examiner")
    body = text(response)
    assert re.findall(r"CS-\d{4}-\d{4}", body) == [older.reference, recent.reference]
    days = (montreal_today() - date(2026, 8, 28)).days
    assert f">{days}</td>" in body.replace("\u202f", "").replace("\u00a0", "")


def test_an_empty_queue_says_so(bri_client):
    assert "Aucun rapport n’attend le BRI." in text(bri_client.get("/rapports/a-examiner"))


@pytest.fixture
def water_project(db):
    return make_project(code="HT-EAU", title_fr="Eau potable à Jacmel", title_en="Drinking water in Jacmel")


def test_the_archive_filters_by_linked_project_and_shows_it(bri_client, make_mission, water_project):
    linked = make_mission("closed", project=water_project)
    unlinked = make_mission("closed")
    everything = bri_client.get("/rapports/archive")
    assert sorted(references(everything)) == sorted([linked.reference, unlinked.reference])
    body = text(everything)
    assert 'name="project"' in body and 'data-picker-url="/choix/projects.projects"' in body
    assert f'<a href="/projets/{water_project.id}">Eau potable à Jacmel</a>' in body
    filtered = bri_client.get("/rapports/archive", query_string={"project": str(water_project.id)})
    assert references(filtered) == [linked.reference]
    assert "Effacer la recherche" in text(filtered)
    # The filter shows the chosen project's label; without JavaScript, its code filters the same.
    assert 'data-picker-label="HT-EAU – Eau potable à Jacmel"' in text(filtered)
    assert references(bri_client.get("/rapports/archive", query_string={"project": "ht-eau"})) == [linked.reference]


def test_project_titles_are_in_the_reader_language(app, db, login, world, make_mission, water_project):
    make_mission("closed", project=water_project)
    world.bri.language = "en"
    db.session.commit()
    body = text(login(world.bri, test_client=app.test_client()).get("/rapports/archive"))
    assert ">Drinking water in Jacmel</a>" in body
    assert "Eau potable" not in body
