"""Programme cycles: list, creation, edition, validation messages next to the fields, exact money."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import func, select

from app.core.forms import parse_money
from app.reference.models import ProgrammeCycle


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _data(**overrides) -> dict:
    data = {
        "year": "2027",
        "opens_on": "2027-01-10",
        "closes_on": "2027-03-31",
        "budget_envelope": "150 000,50",
        "places": "12",
        "min_working_days": "5",
        "max_working_days": "30",
        "min_notice_days": "45",
        "daily_rate": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def bri(make_user):
    return make_user(roles=("employee", "bri"), full_name="Rodrigue BRI")


def _count(db) -> int:
    return db.session.scalar(select(func.count(ProgrammeCycle.id)))


def test_bri_creates_a_cycle_with_an_exact_envelope(client, login, bri, db):
    login(bri)
    response = client.post("/referentiel/cycles/nouveau", data=_data(daily_rate="450,25"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/referentiel/cycles"
    cycle = db.session.scalars(select(ProgrammeCycle)).one()
    assert cycle.budget_envelope == Decimal("150000.50")
    assert isinstance(cycle.budget_envelope, Decimal)
    assert cycle.daily_rate == Decimal("450.25")
    assert (cycle.opens_on, cycle.closes_on) == (date(2027, 1, 10), date(2027, 3, 31))
    assert (cycle.places, cycle.min_working_days, cycle.max_working_days, cycle.min_notice_days) == (12, 5, 30, 45)
    page = text(client.get("/referentiel/cycles"))
    assert "Cycle du programme 2027 créé." in page


def test_cycle_list_formats_money_and_dates_per_language(client, login, bri, db):
    login(bri)
    client.post("/referentiel/cycles/nouveau", data=_data())
    french = text(client.get("/referentiel/cycles"))
    assert "150\xa0000,50\xa0$" in french
    assert "10 janv. 2027" in french
    assert "45 jours" in french
    assert "par défaut" in french
    client.post("/langue", data={"language": "en"})
    english = text(client.get("/referentiel/cycles"))
    assert "$150,000.50" in english
    assert "Jan 10, 2027" in english
    assert "45 days" in english


def test_empty_cycle_list_says_what_to_do(client, login, bri):
    login(bri)
    assert "Créez le premier pour ouvrir un appel de candidatures." in text(client.get("/referentiel/cycles"))


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("closes_on", {"closes_on": "2027-01-09"}, "La date de clôture doit être égale ou postérieure"),
        ("budget_envelope", {"budget_envelope": "-1"}, "L'enveloppe budgétaire ne peut pas être négative."),
        ("budget_envelope", {"budget_envelope": "abc"}, "Entrez un montant en dollars, par exemple 1234,56."),
        ("budget_envelope", {"budget_envelope": "1e400"}, "Entrez un montant en dollars, par exemple 1234,56."),
        ("budget_envelope", {"budget_envelope": "NaN"}, "Entrez un montant en dollars, par exemple 1234,56."),
        ("budget_envelope", {"budget_envelope": "Infinity"}, "Entrez un montant en dollars, par exemple 1234,56."),
        ("budget_envelope", {"budget_envelope": "99999999999"}, "Ce montant est trop élevé."),
        ("budget_envelope", {"budget_envelope": "10.001"}, "Un montant a au plus deux décimales"),
        ("budget_envelope", {"budget_envelope": ""}, 'id="budget_envelope-error"'),
        ("places", {"places": "-1"}, "Le nombre de places ne peut pas être négatif."),
        ("places", {"places": "99999999999999999999"}, 'id="places-error"'),
        ("places", {"places": "douze"}, 'id="places-error"'),
        ("min_working_days", {"min_working_days": "0"}, "La durée minimale est d'au moins un jour ouvrable."),
        ("max_working_days", {"max_working_days": "4"}, "La durée maximale doit être au moins égale"),
        ("min_notice_days", {"min_notice_days": "-3"}, "Le préavis ne peut pas être négatif."),
        ("daily_rate", {"daily_rate": "-450"}, "Le taux quotidien ne peut pas être négatif."),
        ("daily_rate", {"daily_rate": "beaucoup"}, "Entrez un montant en dollars"),
        ("year", {"year": "1e400"}, 'id="year-error"'),
        ("opens_on", {"opens_on": "31/02/2027"}, 'id="opens_on-error"'),
    ],
)
def test_invalid_cycle_is_refused_next_to_the_field_and_nothing_is_saved(
    client, login, bri, db, field, overrides, message
):
    login(bri)
    response = client.post("/referentiel/cycles/nouveau", data=_data(**overrides))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'id="{field}-error"' in page
    assert f'aria-describedby="{field}-error"' in page or f'aria-describedby="{field}-help {field}-error"' in page
    assert _count(db) == 0


def test_a_year_has_one_cycle_only(client, login, bri, db):
    login(bri)
    assert client.post("/referentiel/cycles/nouveau", data=_data()).status_code == 303
    response = client.post("/referentiel/cycles/nouveau", data=_data(budget_envelope="1"))
    assert response.status_code == 422
    assert "Un cycle du programme existe déjà pour 2027." in text(response)
    assert _count(db) == 1


def test_bri_edits_a_cycle_and_keeps_its_own_year(client, login, bri, db):
    login(bri)
    client.post("/referentiel/cycles/nouveau", data=_data())
    cycle_id = db.session.scalar(select(ProgrammeCycle.id))
    form = text(client.get(f"/referentiel/cycles/{cycle_id}"))
    assert 'value="150000.50"' in form
    response = client.post(f"/referentiel/cycles/{cycle_id}", data=_data(places="0", budget_envelope="0"))
    assert response.status_code == 303
    db.session.expire_all()
    cycle = db.session.get(ProgrammeCycle, cycle_id)
    assert (cycle.places, cycle.budget_envelope) == (0, Decimal("0.00"))


def test_editing_a_cycle_into_another_year_already_taken_is_refused(client, login, bri, db):
    login(bri)
    client.post("/referentiel/cycles/nouveau", data=_data())
    client.post("/referentiel/cycles/nouveau", data=_data(year="2028"))
    cycle_2028 = db.session.scalar(select(ProgrammeCycle).where(ProgrammeCycle.year == 2028))
    response = client.post(f"/referentiel/cycles/{cycle_2028.id}", data=_data(year="2027"))
    assert "Un cycle du programme existe déjà pour 2027." in text(response)
    db.session.expire_all()
    assert db.session.get(ProgrammeCycle, cycle_2028.id).year == 2028


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234,56 $", "1234.56"),
        ("1\u202f234,56\xa0$", "1234.56"),
        ("1,234.56", "1234.56"),
        ("0.1", "0.10"),
        ("9999999999.99", "9999999999.99"),
        ("-5", "-5.00"),
    ],
)
def test_money_is_parsed_exactly_in_french_and_english(typed, amount):
    parsed = parse_money(typed)
    assert isinstance(parsed, Decimal)
    assert parsed == Decimal(amount)
    assert str(parsed) == amount


@pytest.mark.parametrize("typed", ["abc", "1e400", "1E5", "NaN", "sNaN", "Infinity", "1.2.3", "12,345,6", "--1", ""])
def test_money_refuses_what_is_not_an_amount(typed):
    with pytest.raises(ValueError):
        parse_money(typed)


# The missions' period ------------------------------------------------------------------------------------------


def test_a_new_cycles_missions_fall_in_its_year_unless_told(client, login, bri, db):
    login(bri)
    assert client.post("/referentiel/cycles/nouveau", data=_data()).status_code == 303
    cycle = db.session.scalars(select(ProgrammeCycle)).one()
    assert (cycle.period_start, cycle.period_end) == (date(2027, 1, 1), date(2027, 12, 31))
    page = text(client.get("/referentiel/cycles"))
    assert 'data-testid="period">du 1er janv. 2027 au 31 déc. 2027' in page


def test_the_period_is_editable_on_the_cycle_form(client, login, bri, db):
    login(bri)
    client.post("/referentiel/cycles/nouveau", data=_data())
    cycle_id = db.session.scalar(select(ProgrammeCycle.id))
    form = text(client.get(f"/referentiel/cycles/{cycle_id}"))
    assert 'name="period_start"' in form and 'value="2027-01-01"' in form and "Missions à partir du" in form
    data = _data(period_start="2027-02-01", period_end="2028-01-31")
    assert client.post(f"/referentiel/cycles/{cycle_id}", data=data).status_code == 303
    db.session.expire_all()
    cycle = db.session.get(ProgrammeCycle, cycle_id)
    assert (cycle.period_start, cycle.period_end) == (date(2027, 2, 1), date(2028, 1, 31))


def test_a_period_ending_before_it_starts_is_refused(client, login, bri, db):
    login(bri)
    response = client.post(
        "/referentiel/cycles/nouveau", data=_data(period_start="2027-06-01", period_end="2027-05-31")
    )
    assert response.status_code == 422
    page = text(response)
    assert "La fin de la période des missions doit être égale ou postérieure à son début." in page
    assert 'id="period_end-error"' in page
    assert _count(db) == 0


def test_two_cycles_cannot_share_days_of_their_periods(client, login, bri, db):
    login(bri)
    client.post("/referentiel/cycles/nouveau", data=_data())
    response = client.post("/referentiel/cycles/nouveau", data=_data(year="2028", period_start="2027-12-01"))
    assert response.status_code == 422
    page = text(response)
    assert "Cette période chevauche celle du cycle 2027 (du 1er janv. 2027 au 31 déc. 2027)" in page
    assert 'id="period_start-error"' in page
    assert _count(db) == 1
    assert client.post("/referentiel/cycles/nouveau", data=_data(year="2028")).status_code == 303


def test_the_migration_gives_existing_cycles_their_year_as_period():
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    from app import create_app
    from app.extensions import db as _db
    from tests.conftest import fresh_database_url

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": fresh_database_url("cycle_period")})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade", "0007"]).exit_code == 0
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as connection:
            connection.execute(
                sql(
                    "INSERT INTO programme_cycle (year, opens_on, closes_on, budget_envelope, places, "
                    "min_working_days, max_working_days, min_notice_days, created_at, updated_at) VALUES "
                    "(2025, '2024-09-01', '2024-12-01', 1000, 1, 1, 10, 0, '2024-01-01 00:00:00+00:00', "
                    "'2024-01-01 00:00:00+00:00')"
                )
            )
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with engine.connect() as connection:
            row = connection.execute(sql("SELECT period_start, period_end FROM programme_cycle")).one()
        engine.dispose()
        assert [str(value) for value in row] == ["2025-01-01", "2025-12-31"]
        _db.engine.dispose()
