"""The BRI's dashboard (/bri/tableau-de-bord): its figures against data made here, who may see it, its filters,
its charts with their tables; and the queries behind it (exact sums, the medians of the steps)."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.extensions import db as _db
from app.leave.services import decisions
from app.programme import queries, steps
from app.programme.queries import Filters
from tests.factories import backdated, make_department, make_user, text, year_cycle

URL = "/bri/tableau-de-bord"


class _Tables(HTMLParser):
    """Every table of a page: caption → rows of cell texts (headers included)."""

    def __init__(self):
        super().__init__()
        self.tables, self._caption, self._rows, self._cell, self._in = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = [r for r in self._rows if r]
            self._rows = None
        elif tag == "caption":
            self._in = None
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.replace("\u00a0", " ").replace("\u202f", " ").split()))
            self._cell = None

    def handle_data(self, data):
        if self._in == "caption":
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


@pytest.fixture
def programme(world, make_mission):
    """The cycle 2027: a closed mission and an approved one (committed: 2,500 + 3,000 $), one waiting for the manager
    and one for the BRI (pending: 1,000 + 1,500 $), a rejected request, a draft; and a closed mission of 2026."""
    water = make_department(name="Service de l'eau", code="EAU")
    engineer = make_user(full_name="Jean Valmé", manager=world.manager, department=water)
    made = {
        "closed": make_mission("closed", start=date(2027, 3, 1), end=date(2027, 3, 26)),
        "approved": make_mission(
            "approved",
            applicant=engineer,
            start=date(2027, 6, 7),
            end=date(2027, 6, 18),
            country="SN",
            partner_name="Ville de Dakar",
            amount="3000.00",
        ),
        "submitted": make_mission(
            "submitted", applicant=world.colleague, start=date(2027, 5, 3), end=date(2027, 5, 14), amount="1000.00"
        ),
        "manager_approved": make_mission(
            "manager_approved",
            applicant=world.delegate,
            start=date(2027, 9, 6),
            end=date(2027, 9, 17),
            amount="1500.00",
        ),
        "rejected": make_mission("rejected", start=date(2027, 10, 4), end=date(2027, 10, 15), amount="800.00"),
        "draft": make_mission("draft", applicant=world.colleague, start=date(2027, 11, 1), end=date(2027, 11, 5)),
        "history": make_mission("closed", applicant=engineer, start=date(2026, 3, 2), end=date(2026, 3, 13)),
    }
    made["water"] = water
    return made


def _cycle_id(programme) -> int:
    return programme["closed"].cycle_id


def test_the_key_figures_of_a_cycle_are_its_envelope_what_is_committed_pending_and_left(login, world, programme):
    client = login(world.bri)
    page = tables(client.get(f"{URL}?cycle={_cycle_id(programme)}"))
    assert page["Enveloppe budgétaire"] == [
        ["Indicateur", "Montant", "Places"],
        ["Enveloppe", "500 000,00 $", "50"],
        ["Engagé (approuvé et au-delà)", "5 500,00 $", "2"],
        ["En attente (du gestionnaire ou du BRI)", "2 500,00 $", "2"],
        ["Reste", "494 500,00 $", "48"],
    ]


def test_the_in_kind_contribution_counts_the_working_days_of_committed_missions(login, world, programme):
    days = programme["closed"].working_days + programme["approved"].working_days
    expected = f"{days * 450:,}".replace(",", " ") + ",00 $"
    body = text(login(world.bri).get(f"{URL}?cycle={_cycle_id(programme)}"))
    assert re.search(r'data-testid="figure-in-kind">([^<]+)<', body).group(1) == expected


def test_the_funnel_counts_the_requests_that_reached_each_stage(login, world, programme):
    page = tables(login(world.bri).get(f"{URL}?cycle={_cycle_id(programme)}"))
    assert page["Étapes atteintes par les demandes"][1:] == [
        ["Soumise", "5"],
        ["Approuvée par le gestionnaire", "3"],
        ["Approuvée par le BRI", "2"],
        ["Partie en mission", "1"],
        ["Revenue", "1"],
        ["Rapport accepté", "1"],
    ]
    statuses = dict(page["Demandes par statut actuel"][1:])
    assert sum(int(n) for n in statuses.values()) == 5  # the draft is not counted


def test_requests_by_country_and_department_and_missions_per_year(login, world, programme):
    page = tables(login(world.bri).get(f"{URL}?cycle={_cycle_id(programme)}"))
    assert page["Demandes par pays de destination"][1:] == [
        ["Haïti", "4", "1", "2 500,00 $"],
        ["Sénégal", "1", "1", "3 000,00 $"],
    ]
    assert page["Demandes par service"][1:] == [
        ["Service de l'urbanisme", "4", "1", "2 500,00 $"],
        ["Service de l'eau", "1", "1", "3 000,00 $"],
    ]
    # The history ignores the chosen cycle: every year of the programme.
    assert page["Missions par année"][1:] == [["2026", "1"], ["2027", "2"]]


def test_filters_by_department_and_country_narrow_the_figures_not_the_envelope(login, world, programme):
    client = login(world.bri)
    page = tables(client.get(f"{URL}?cycle={_cycle_id(programme)}&department={programme['water'].id}"))
    assert page["Demandes par service"][1:] == [["Service de l'eau", "1", "1", "3 000,00 $"]]
    assert page["Enveloppe budgétaire"][1] == ["Enveloppe", "500 000,00 $", "50"]
    assert page["Enveloppe budgétaire"][2] == ["Engagé (approuvé et au-delà)", "3 000,00 $", "1"]
    page = tables(client.get(f"{URL}?cycle={_cycle_id(programme)}&country=ht"))
    assert page["Demandes par pays de destination"][1:] == [["Haïti", "4", "1", "2 500,00 $"]]


def test_a_year_counts_the_missions_starting_in_it(login, world, programme):
    page = tables(login(world.bri).get(f"{URL}?year=2026"))
    assert page["Demandes par pays de destination"][1:] == [["Haïti", "1", "1", "2 500,00 $"]]


def test_without_a_choice_the_dashboard_shows_the_cycle_of_this_year(login, world, programme):
    this_year = year_cycle(montreal_today().year)
    body = login(world.bri).get(URL).get_data(as_text=True)
    assert f'<option selected value="{this_year.id}">{this_year.year}</option>' in body


@pytest.mark.parametrize(
    "query",
    [
        "cycle=abc",
        "cycle=99999999999999999999",
        "cycle=-3",
        "year=NaN",
        "year=1e309",
        "year=-1",
        "year=99999999999999999999",
        "department=x",
        "department=424242",
        "country=ZZZ",
        "country=%3Cscript%3E",
        "cycle=&year=&department=&country=",
        "page=99999999999",
    ],
)
def test_hostile_or_unknown_filters_are_ignored(login, world, programme, query):
    response = login(world.bri).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_a_nul_byte_in_a_filter_is_refused_without_error(login, world, programme):
    assert login(world.bri).get(f"{URL}?country=%00").status_code == 400


def test_a_year_out_of_range_is_said_next_to_the_field(login, world, programme):
    body = text(login(world.bri).get(f"{URL}?year=1800"))
    assert 'id="year-error"' in body


@pytest.mark.parametrize("who", ["applicant", "manager", "admin"])
def test_only_bri_officers_see_the_dashboard(login, world, who):
    assert login(getattr(world, who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_every_chart_is_an_inline_svg_beside_its_table_without_inline_style(login, world, programme):
    body = login(world.bri).get(f"{URL}?cycle={_cycle_id(programme)}").get_data(as_text=True)
    charts = ["envelope", "funnel", "country", "department", "project", "sector", "history", "steps"]
    for name in charts:
        start = body.index(f'data-testid="chart-{name}"')
        section = body[start : body.index("</section>", start)]
        assert '<svg role="img" aria-label="' in section, name
        assert "<caption>" in section and "<table" in section, name
    charts_html = body[body.index("<svg") : body.rindex("</svg>")]
    assert "<style" not in body and ' style="' not in body and "<script" not in charts_html


def test_the_dashboard_is_in_the_reader_language(login, world, programme):
    page = tables(login(world.bri2).get(f"{URL}?cycle={_cycle_id(programme)}"))
    assert page["Budget envelope"][2] == ["Committed (approved and later)", "$5,500.00", "2"]
    assert page["Requests by destination country"][2] == ["Senegal", "1", "1", "$3,000.00"]


def test_the_requests_waiting_longest_are_listed_with_links(login, world, programme):
    body = login(world.bri).get(f"{URL}?cycle={_cycle_id(programme)}").get_data(as_text=True)
    waiting = body[body.index('data-testid="waiting"') :]
    assert f'href="/conges/{programme["submitted"].id}"' in waiting
    assert f'href="/conges/{programme["manager_approved"].id}"' in waiting


def test_the_dashboard_link_is_in_the_bri_menu(app, login, world):
    bri, employee = (login(user, test_client=app.test_client()) for user in (world.bri, world.applicant))
    assert 'href="/bri/tableau-de-bord"' in bri.get("/").get_data(as_text=True)
    assert 'href="/bri/tableau-de-bord"' not in employee.get("/").get_data(as_text=True)


# The queries ---------------------------------------------------------------------------------------------------


def test_budget_and_breakdowns_sum_exact_cents(world, programme):
    filters = Filters(cycle_id=_cycle_id(programme))
    budget = queries.budget(filters)
    assert (budget.envelope, budget.places, budget.committed, budget.committed_places) == (
        Decimal("500000.00"),
        50,
        Decimal("5500.00"),
        2,
    )
    groups = queries.breakdowns(filters, "fr")
    statuses = {g.key: g.requests for g in groups.of("status")}
    assert statuses == {"closed": 1, "approved": 1, "submitted": 1, "manager_approved": 1, "rejected": 1}
    assert {g.key: g.asked for g in groups.of("status")}["manager_approved"] == Decimal("1500.00")


def _submitted_then_decided(world, make_mission, start: date, waited: timedelta):
    entered = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    req = make_mission("submitted", applicant=make_user(manager=world.manager), start=start, changed_at=entered)
    with cli_request_context(), backdated(entered + waited):
        decisions.manager_decide(req, world.manager, "manager_approve", today=date(2026, 11, 30))
    _db.session.commit()
    return req


def test_the_median_and_the_slowest_time_of_a_step_come_from_the_history(world, make_mission):
    for n, hours in enumerate((24, 48, 144)):
        _submitted_then_decided(world, make_mission, date(2027, 4, 5) + timedelta(weeks=3 * n), timedelta(hours=hours))
    cycle_id = dict((y, i) for i, y in queries.cycle_choices())[2027]
    times = steps.step_times(Filters(cycle_id=cycle_id))
    manager = times["manager"]
    assert manager.visits == 3
    assert abs(manager.median - timedelta(hours=48)) < timedelta(seconds=1)
    assert abs(manager.slowest - timedelta(hours=144)) < timedelta(seconds=1)
    assert "bri" not in times


def test_an_even_number_of_visits_has_the_mean_of_the_middle_two(world, make_mission):
    for n, hours in enumerate((10, 20, 40, 100)):
        _submitted_then_decided(world, make_mission, date(2027, 4, 5) + timedelta(weeks=3 * n), timedelta(hours=hours))
    cycle_id = dict((y, i) for i, y in queries.cycle_choices())[2027]
    manager = steps.step_times(Filters(cycle_id=cycle_id))["manager"]
    assert abs(manager.median - timedelta(hours=30)) < timedelta(seconds=1)


def test_the_longest_waiting_come_first(world, make_mission):
    old = make_mission("submitted", start=date(2027, 4, 5), changed_at=datetime(2026, 10, 1, 15, tzinfo=UTC))
    new = make_mission(
        "submitted", applicant=world.colleague, start=date(2027, 4, 5), changed_at=datetime(2026, 11, 20, tzinfo=UTC)
    )
    waiting = steps.waiting_longest(Filters(cycle_id=old.cycle_id))
    assert [w.id for w in waiting["manager"]] == [old.id, new.id]
    assert waiting["bri"] == [] and waiting["report"] == []


def test_without_any_cycle_the_dashboard_says_so(app, login, db):
    officer = make_user(roles=("employee", "bri"))
    response = login(officer).get(URL)
    assert response.status_code == 200
    assert "Aucun appel de candidatures n'est encore enregistré" in text(response)


def test_the_figures_are_summed_once_until_a_request_changes(login, world, programme, count_queries):
    client = login(world.bri)
    url = f"{URL}?cycle={_cycle_id(programme)}"
    with count_queries() as first:
        before = tables(client.get(url))["Enveloppe budgétaire"]
    with count_queries() as second:
        assert tables(client.get(url))["Enveloppe budgétaire"] == before
    # The second view reads the session and the navigation, not the requests again.
    assert len(first) >= 6 and len(second) == 2, second
    assert not [s for s in second if "leave_request" in s and "sum(" in s.lower()]
    # Another filter is summed on its own.
    assert tables(client.get(f"{url}&country=SN"))["Enveloppe budgétaire"][2] == [
        "Engagé (approuvé et au-delà)",
        "3 000,00 $",
        "1",
    ]

    with cli_request_context():
        decisions.bri_decide(programme["manager_approved"], world.bri, "bri_approve", today=date(2026, 12, 1))
    _db.session.commit()
    after = tables(client.get(url))["Enveloppe budgétaire"]
    assert after[2] == ["Engagé (approuvé et au-delà)", "7 000,00 $", "3"]
    assert after[3] == ["En attente (du gestionnaire ou du BRI)", "1 000,00 $", "1"]


def test_a_process_keeps_a_bounded_number_of_filtered_dashboards(app):
    from app.core import cache

    with app.test_request_context():
        for n in range(cache.MAX_VARIANTS + 10):
            cache.cached("programme-dashboard", lambda n=n: n, variant=n)
        kept = [key for key in app.extensions["reference_cache"].values if key[0] == "programme-dashboard"]
        assert len(kept) == cache.MAX_VARIANTS
        assert ("programme-dashboard", 0) not in kept and ("programme-dashboard", cache.MAX_VARIANTS + 9) in kept
