"""The calendar of who is away (``/calendrier``): what each reader sees, the BRI's filters, the months."""

import re
from datetime import date

import pytest

from app.core.database import montreal_today
from tests.factories import client_for, delegate, make_department, make_user, text

MARCH = "/calendrier?mois=2027-03"


@pytest.fixture
def missions(world, make_mission):
    """In March 2027: the applicant approved (Haïti), the colleague pending (Sénégal), someone of another team and
    department on mission (Haïti), the delegate (another manager's team) approved."""
    outsider_dept = make_department(name="Service des finances", code="FIN")
    outsider = make_user(full_name="Karim Belkacem", manager=world.other_manager, department=outsider_dept)
    return {
        "approved": make_mission("approved", start=date(2027, 3, 1), end=date(2027, 3, 12)),
        "pending": make_mission(
            "submitted",
            applicant=world.colleague,
            start=date(2027, 3, 8),
            end=date(2027, 3, 19),
            country="SN",
            partner_name="Commune de Dakar-Plateau",
        ),
        "outsider": make_mission("in_mission", applicant=outsider, start=date(2027, 2, 20), end=date(2027, 3, 5)),
        "delegate": make_mission("approved", applicant=world.delegate, start=date(2027, 3, 15), end=date(2027, 3, 26)),
        "draft": make_mission("draft", applicant=world.colleague, start=date(2027, 3, 22), end=date(2027, 3, 30)),
    }


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/calendrier")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_a_manager_sees_the_team_with_pending_requests_marked_and_nobody_else(app, world, missions):
    page = text(client_for(app, world.manager).get(MARCH))
    assert "Éloïse Tremblay" in page and "Nadia Ferland" in page
    assert "Karim Belkacem" not in page and "Thomas Bergeron" not in page
    assert "en attente" in page  # the colleague's submitted request
    assert f'/conges/{missions["approved"].id}"' in page and f'/conges/{missions["pending"].id}"' in page
    assert f'/conges/{missions["draft"].id}"' not in page


def test_a_delegate_sees_the_team_of_the_manager_who_delegated_today(app, world, missions):
    today = montreal_today()
    page = text(client_for(app, world.delegate).get(MARCH))
    assert "Éloïse Tremblay" not in page
    delegate(world.manager, world.delegate, today, today)
    page = text(client_for(app, world.delegate).get(MARCH))
    assert "Éloïse Tremblay" in page and "Nadia Ferland" in page
    assert "Thomas Bergeron" in page  # their own mission


def test_an_employee_without_reports_sees_only_their_own(app, world, missions):
    page = text(client_for(app, world.applicant).get(MARCH))
    assert "Éloïse Tremblay" in page
    assert "Nadia Ferland" not in page and "Karim Belkacem" not in page


def test_the_links_open_the_requests_for_their_reader(app, world, missions):
    client = client_for(app, world.manager)
    assert client.get(f"/conges/{missions['pending'].id}").status_code == 200


def test_the_bri_sees_every_approved_mission_and_mission_under_way_but_no_pending_one(app, world, missions):
    page = text(client_for(app, world.bri).get(MARCH))
    assert "Éloïse Tremblay" in page and "Karim Belkacem" in page and "Thomas Bergeron" in page
    assert "Nadia Ferland" not in page


def test_the_bri_filters_by_country_and_department(app, world, missions, make_mission):
    client = client_for(app, world.bri)
    traveller = make_user(full_name="Fatou Ndiaye", manager=world.manager, department=world.department)
    make_mission(
        "approved",
        applicant=traveller,
        start=date(2027, 3, 22),
        end=date(2027, 3, 26),
        country="SN",
        partner_name="Commune de Dakar-Plateau",
    )
    page = text(client.get(MARCH + "&country_code=SN"))
    assert "Fatou Ndiaye" in page and "Éloïse Tremblay" not in page and "Karim Belkacem" not in page
    page = text(client.get(MARCH + f"&department_id={world.department.id}"))
    assert "Éloïse Tremblay" in page and "Thomas Bergeron" in page and "Karim Belkacem" not in page
    # The month's links keep the filters.
    assert f"mois=2027-04&amp;department_id={world.department.id}" in client.get(
        MARCH + f"&department_id={world.department.id}"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["country_code=", "country_code=ZZZ", "department_id=", "department_id=x", "department_id=99999999999999"]
)
def test_blank_or_unknown_filters_are_ignored(app, world, missions, query):
    response = client_for(app, world.bri).get(f"{MARCH}&{query}")
    assert response.status_code == 200
    page = text(response)
    assert "Éloïse Tremblay" in page and "Karim Belkacem" in page
    assert "invalid-feedback" not in page


def test_the_grid_has_weekday_headers_and_month_names_in_the_readers_language(app, world, missions):
    page = text(client_for(app, world.bri).get(MARCH))
    assert "mars 2027" in page and "février 2027" in page and "avril 2027" in page
    assert '<th scope="col" abbr="lundi">lun.</th>' in page
    english = client_for(app, world.bri2)
    page = text(english.get(MARCH))
    assert "March 2027" in page and "February 2027" in page
    assert '<th scope="col" abbr="Monday">Mon</th>' in page
    assert "Haiti" in page


def test_months_go_back_and_forth_and_the_default_is_this_month(app, world, missions):
    client = client_for(app, world.bri)
    page = client.get(MARCH).get_data(as_text=True)
    assert 'href="/calendrier?mois=2027-02"' in page and 'href="/calendrier?mois=2027-04"' in page
    assert "Karim Belkacem" in text(client.get("/calendrier?mois=2027-02"))  # his mission began in February
    assert "Nobody is away" not in page
    today = montreal_today()
    assert f'data-testid="month-name">{_month_name(app, today)}' in text(client.get("/calendrier"))


def _month_name(app, day):
    from flask_babel import force_locale, format_date

    with app.test_request_context(), force_locale("fr_CA"):
        return format_date(day, "LLLL y")


@pytest.mark.parametrize(
    "value", ["", "2027", "2027-13", "2027-00", "27-03", "0000-01", "9999-12", "2027-3", "abc", "2027-03-01", "٢٠٢٧-٠٣"]
)
def test_a_bad_month_value_shows_this_month(app, world, value):
    response = client_for(app, world.applicant).get(f"/calendrier?mois={value}")
    assert response.status_code == 200
    assert f'data-testid="month-name">{_month_name(app, montreal_today())}' in text(response)


def test_an_empty_month_says_nobody_is_away(app, world, missions):
    page = text(client_for(app, world.manager).get("/calendrier?mois=2031-01"))
    assert "Personne n'est absent ce mois-ci." in page


def test_the_entries_are_capped_and_the_page_says_so(app, world, missions, monkeypatch):
    from app.calendars import queries

    monkeypatch.setattr(queries, "MONTH_CAP", 1)
    page = text(client_for(app, world.bri).get(MARCH))
    assert 'data-testid="capped"' in page and "filtrez pour voir les autres" in page
    listed = page.split('data-testid="month-list"')[1].split("</ul>")[0]
    assert listed.count("<li") == 1


def test_the_navigation_links_to_the_calendar(app, world):
    page = text(client_for(app, world.applicant).get("/"))
    assert 'href="/calendrier"' in page


def test_the_first_of_the_month_reads_1er_in_french(app, world):
    page = client_for(app, world.applicant).get(MARCH).get_data(as_text=True)
    assert '<time datetime="2027-03-01">1er<span class="visually-hidden"> mars</span>' in page


def test_a_crowded_day_names_four_then_links_the_others_in_the_months_list(app, world, make_mission):
    for n in range(6):
        person = make_user(full_name=f"Collègue {n}", manager=world.manager, department=world.department)
        make_mission("approved", applicant=person, start=date(2027, 3, 10), end=date(2027, 3, 10))
    page = text(client_for(app, world.manager).get(MARCH))
    day = page.split('<time datetime="2027-03-10">')[1].split("</td>")[0]
    assert day.count("Collègue") == 4
    others = '<a href="#month-list" class="small" data-testid="day-others">et 2 autres'
    assert f'{others}<span class="visually-hidden"> dans la liste du mois</span></a>' in day
    listed = page.split('data-testid="month-list"')[1].split("</ul>")[0]
    assert sorted(re.findall(r"Collègue \d", listed)) == [f"Collègue {n}" for n in range(6)]
