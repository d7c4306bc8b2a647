"""Hostile input never gives a 500: control characters, integers beyond the database's, absurd pages."""

from decimal import Decimal

import pytest


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "x\x1by", "\x7f"])
def test_control_characters_in_the_login_form_are_refused_with_a_400(client, value):
    response = client.post("/compte/connexion", data={"email": value, "password": "whatever-password"})
    assert response.status_code == 400
    assert "caractères de contrôle" in response.get_data(as_text=True)


def test_control_characters_in_a_query_string_are_refused(client, login, world):
    response = login(world.bri).get("/conges/bri/demandes?q=ab%00c")
    assert response.status_code == 400


def test_tabs_and_line_breaks_are_ordinary_text(client, login, world):
    response = login(world.bri).get("/conges/bri/demandes?q=a%09b%0Ac")
    assert response.status_code == 200


def test_a_file_name_with_a_nul_byte_is_refused(client, login, world):
    from io import BytesIO

    response = login(world.applicant).post(
        "/conges/nouvelle", data={"file": (BytesIO(b"%PDF-1.4"), "lettre\x00.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/conges/99999999999999999999", "/conges/2147483648", "/projets/99999999999999999999"]
)
def test_ids_beyond_the_database_integers_are_not_found(client, login, world, path):
    assert login(world.bri).get(path).status_code == 404


def test_the_largest_integer_id_is_an_ordinary_missing_object(client, login, world):
    assert login(world.bri).get("/conges/2147483647").status_code == 404


def test_a_cursor_that_is_not_ours_gives_the_first_page(app, world):
    from itsdangerous import URLSafeSerializer

    from app.core.pagination import make_cursor, paginate, sort_keys
    from app.extensions import db
    from app.leave.models import LeaveRequest
    from tests.factories import make_request

    for _ in range(3):
        make_request(world, "submitted")
    query = db.select(LeaveRequest).order_by(LeaveRequest.id)
    with app.test_request_context("/"):
        first = [r.id for r in paginate(query, per_page=2).items]
        keys = sort_keys(query._order_by_clauses)
        genuine = make_cursor(keys, [first[-1]])
        other_list = make_cursor(sort_keys([LeaveRequest.end_date.desc(), LeaveRequest.id.desc()]), ["x", 1])
        forged = URLSafeSerializer("another key", salt="keyset-cursor").dumps({"o": 0, "b": False, "v": [10**30]})
    with app.test_request_context("/", query_string={"cursor": genuine}):
        assert [r.id for r in paginate(query, per_page=2).items] != first
    for cursor in ("abc", genuine[:-3], genuine + "x", other_list, forged, "x" * 5000, "eyJ2IjpbXX0.abc", "\u00e9"):
        with app.test_request_context("/", query_string={"cursor": cursor}):
            page = paginate(query, per_page=2)
            assert [r.id for r in page.items] == first, cursor
            assert not page.has_prev


# Money: every amount field validates its range from the column it lands in -----------------------------------

# What each hostile amount is told, next to the field (the column is Numeric(12, 2), checked >= 0).
HOSTILE_AMOUNTS = [
    ("10000000000", "Ce montant est trop élevé. Le plus grand accepté est 9 999 999 999,99 $."),
    ("NaN", "Entrez un montant en dollars, par exemple 1234,56."),
    ("sNaN", "Entrez un montant en dollars, par exemple 1234,56."),
    ("Infinity", "Entrez un montant en dollars, par exemple 1234,56."),
    ("-Infinity", "Entrez un montant en dollars, par exemple 1234,56."),
    ("1e309", "Entrez un montant en dollars, par exemple 1234,56."),
    ("-1", None),  # the field's own words for a negative amount (below)
    ("1.234", "Un montant a au plus deux décimales (les cents)."),
]


def _project_data(sector_id: int, **overrides) -> dict:
    return {
        "code": "HT-HOSTILE",
        "title_fr": "Projet",
        "country_code": "HT",
        "sector_id": str(sector_id),
        "status": "planned",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "budget": "1000",
        **overrides,
    }


def _cycle_data(**overrides) -> dict:
    # A past year: the world's cycle holds the missions' period from a year ago onwards (periods never overlap).
    return {
        "year": "2020",
        "opens_on": "2020-01-10",
        "closes_on": "2020-03-31",
        "budget_envelope": "150 000,50",
        "places": "12",
        "min_working_days": "5",
        "max_working_days": "30",
        "min_notice_days": "45",
        "daily_rate": "",
        **overrides,
    }


def _money_case(world, name: str):
    """(user, url, data, field id in the page, message for -1, function counting the rows a save would write)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.leave.models import LeaveRequest
    from app.projects.models import Expenditure, FundingLine, Project
    from app.reference.models import ProgrammeCycle
    from tests.factories import form_data, make_project, make_sector

    def count(model):
        return lambda: db.session.scalar(select(func.count()).select_from(model))

    negative = "Le montant ne peut pas être négatif."
    if name.startswith("leave."):
        field = name.removeprefix("leave.")
        return (
            world.applicant,
            "/conges/nouvelle",
            form_data(world, save="x"),
            field,
            field,
            negative,
            count(LeaveRequest),
        )
    if name == "project.budget":
        sector = make_sector()
        return world.bri, "/projets/nouveau", _project_data(sector.id), "budget", "budget", negative, count(Project)
    if name == "project.edit_budget":
        project = make_project(code="HT-EDIT", budget=Decimal("10.00"))
        data = _project_data(project.sector_id, code="HT-EDIT")

        def budget_changed():
            db.session.expire_all()
            return db.session.get(Project, project.id).budget != Decimal("10.00")

        return world.bri, f"/projets/{project.id}/modifier", data, "budget", "budget", negative, budget_changed
    if name == "project.funding":
        project = make_project()
        data = {"funding-source": "federal", "funding-note": ""}
        return (
            world.bri,
            f"/projets/{project.id}/financement",
            data,
            "funding-amount",
            "funding-amount",
            negative,
            count(FundingLine),
        )
    if name == "project.expenditure":
        project = make_project()
        data = {
            "expenditure-spent_on": "2026-03-15",
            "expenditure-description": "Billets",
            "expenditure-source": "federal",
        }
        return (
            world.bri,
            f"/projets/{project.id}/depenses",
            data,
            "expenditure-amount",
            "expenditure-amount",
            negative,
            count(Expenditure),
        )
    field = name.removeprefix("cycle.")
    message = {
        "budget_envelope": "L'enveloppe budgétaire ne peut pas être négative.",
        "daily_rate": "Le taux quotidien ne peut pas être négatif.",
    }[field]
    before = count(ProgrammeCycle)()
    return (
        world.bri,
        "/referentiel/cycles/nouveau",
        _cycle_data(),
        field,
        field,
        message,
        lambda: count(ProgrammeCycle)() - before,
    )


MONEY_FIELDS = [
    "leave.cost_transport",
    "leave.cost_lodging",
    "leave.cost_per_diem",
    "leave.cost_other",
    "leave.amount_requested",
    "project.budget",
    "project.edit_budget",
    "project.funding",
    "project.expenditure",
    "cycle.budget_envelope",
    "cycle.daily_rate",
]


@pytest.mark.parametrize("name", MONEY_FIELDS)
@pytest.mark.parametrize(("amount", "message"), HOSTILE_AMOUNTS, ids=[a for a, _m in HOSTILE_AMOUNTS])
def test_a_hostile_amount_is_refused_next_to_its_field_and_nothing_is_written(login, world, name, amount, message):
    from tests.factories import text

    user, url, data, posted_name, field_id, negative, written = _money_case(world, name)
    response = login(user).post(url, data={**data, posted_name: amount})
    assert response.status_code == 422
    page = text(response).replace("\u202f", " ")
    expected = message or negative
    assert f'<div id="{field_id}-error" class="invalid-feedback d-block">{expected}</div>' in page
    assert not written()


@pytest.mark.parametrize("name", MONEY_FIELDS)
def test_the_largest_amount_of_the_column_and_french_decimals_are_accepted(login, world, name):
    user, url, data, posted_name, _field_id, _negative, written = _money_case(world, name)
    # The column's largest amount, typed the French way (the amount asked stays within the request's costs).
    amount = "9 999 999 999,99" if name != "leave.amount_requested" else "1 000,50"
    response = login(user).post(url, data={**data, posted_name: amount})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert written()


def test_the_money_field_reads_its_bounds_and_sign_from_the_column(app):
    from flask_wtf import FlaskForm
    from sqlalchemy import CheckConstraint, Column, Integer, MetaData, Numeric, Table

    from app.core.forms import MoneyField, has_non_negative_check

    table = Table(
        "t",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("small", Numeric(5, 1)),
        Column("signed", Numeric(5, 1)),
        CheckConstraint("small >= 0", name="small_not_negative"),
    )
    assert has_non_negative_check(table.c.small) and not has_non_negative_check(table.c.signed)

    class Form(FlaskForm):
        class Meta:
            csrf = False

        small = MoneyField("Small", column=table.c.small)
        signed = MoneyField("Signed", column=table.c.signed)

    with app.test_request_context(method="POST", data={"small": "9 999,9", "signed": "-9999.9"}):
        form = Form()
        assert form.validate(), form.errors
        assert (form.small.data, form.signed.data) == (Decimal("9999.9"), Decimal("-9999.9"))
    with app.test_request_context(method="POST", data={"small": "10000", "signed": "1.25"}):
        form = Form()
        assert not form.validate()
        assert "9 999,9" in form.errors["small"][0].replace("\u202f", " ").replace("\xa0", " ")
        assert form.errors["signed"] == ["Entrez un montant en dollars, par exemple 1234,56."]
    with app.test_request_context(method="POST", data={"small": "-0.1", "signed": "-0"}):
        form = Form()
        assert not form.validate()
        assert form.errors == {"small": ["Le montant ne peut pas être négatif."]}
        assert str(form.signed.data) == "0.0"


# Lists: blank or unknown filter values are ignored -------------------------------------------------------------

# (who reads it, its address) for every list of the application.
LISTS = [
    ("applicant", "/conges/"),
    ("manager", "/conges/a-approuver"),
    ("bri", "/conges/bri/file"),
    ("bri", "/conges/bri/demandes"),
    ("bri", "/rapports/a-examiner"),
    ("bri", "/rapports/archive"),
    ("bri", "/projets/"),
    ("applicant", "/projets/"),
    ("admin", "/admin/utilisateurs"),
    ("admin", "/admin/services"),
    ("bri", "/referentiel/cycles"),
    ("bri", "/referentiel/pays"),
    ("bri", "/referentiel/partenaires"),
    ("applicant", "/notifications"),
    ("bri", "/calendrier"),
    ("manager", "/calendrier"),
]

# Every filter name some list reads, and names none reads.
FILTER_NAMES = [
    "status",
    "sector",
    "partner",
    "source",
    "year",
    "country",
    "country_code",
    "cycle",
    "cycle_id",
    "department",
    "department_id",
    "project",
    "project_id",
    "kind",
    "show",
    "q",
    "mois",
    "unknown",
]

HOSTILE_FILTERS = [
    " ",
    "",
    "abc",
    "ZZZ",
    "-1",
    "1.5",
    "NaN",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "9" * 5000,
    "é" * 300,
    "%_' OR 1=1 --",
]
ONE_BY_ONE = {" ", "abc", "-1", "99999999999999999999"}


@pytest.fixture
def lists_world(world, make_mission):
    make_mission("closed")
    return world


@pytest.mark.parametrize(("who", "url"), LISTS, ids=[f"{w}:{u}" for w, u in LISTS])
def test_blank_or_unknown_filter_values_are_ignored(login, lists_world, who, url):
    client = login(getattr(lists_world, who))
    failures = []
    for value in HOSTILE_FILTERS:
        # Each name alone for a few values (a form refusing one field may ignore the others), then all at once.
        for name in FILTER_NAMES if value in ONE_BY_ONE else ():
            status = client.get(url, query_string={name: value}).status_code
            if status != 200:
                failures.append((name, value[:30], status))
        status = client.get(url, query_string=dict.fromkeys(FILTER_NAMES, value)).status_code
        if status != 200:
            failures.append(("all", value[:30], status))
        status = client.get(url, query_string=[(n, v) for n in FILTER_NAMES for v in (value, "1", value)]).status_code
        if status != 200:
            failures.append(("repeated", value[:30], status))
    assert failures == []


@pytest.mark.parametrize(("who", "url"), LISTS, ids=[f"{w}:{u}" for w, u in LISTS])
def test_an_absurd_page_number_or_cursor_gives_a_page(login, world, who, url):
    client = login(getattr(world, who))
    # The lists of tables read a cursor and ignore ?page=; the countries (no table) slice by page: past the end, empty.
    for page in ("2147483648", "9223372036854775808", "abc", " ", "-1", "9" * 5000):
        assert client.get(url, query_string={"page": page}).status_code == 200
    for cursor in ("abc", " ", "-1", "9" * 5000, "eyJvIjowfQ.AAAA", "%00", "\u00e9\u00e9"):
        assert client.get(url, query_string={"cursor": cursor}).status_code == 200


def test_a_request_spanning_centuries_is_refused_at_once_next_to_its_end_date(login, world):
    import time

    from app.extensions import db
    from app.leave.models import LeaveRequest
    from tests.factories import form_data, text

    started = time.perf_counter()
    data = {**form_data(world, save="x"), "start_date": "2027-06-01", "end_date": "9999-12-31"}
    response = login(world.applicant).post("/conges/nouvelle", data=data)
    assert response.status_code == 422
    assert "Une mission dure au plus un an : vérifiez la date de fin." in text(response)
    assert time.perf_counter() - started < 2  # the working days of 8,000 years are never counted
    assert db.session.scalar(db.select(db.func.count(LeaveRequest.id))) == 0


def test_a_project_or_mission_id_beyond_the_database_integers_is_refused_next_to_the_field(login, world):
    from tests.factories import form_data, text

    data = {**form_data(world, save="x"), "project_id": str(2**63)}
    response = login(world.applicant).post("/conges/nouvelle", data=data)
    assert response.status_code == 422
    assert 'id="project_id-error"' in text(response)


def test_a_control_character_in_a_repeated_value_is_refused_too(app, world):
    from tests.factories import client_for

    assert client_for(app, world.bri).get("/conges/bri/demandes?q=ok&q=a%00b").status_code == 400
    data = {"full_name": "X", "roles": ["employee", "admin\x00"]}
    assert client_for(app, world.admin).post("/admin/utilisateurs/nouveau", data=data).status_code == 400
