"""The reference choices of forms and filters come from a cache (app/core/cache.py): no statement per page, and a
change of a reference row is seen at the next page — by every application instance, through Redis."""

import re

import pytest
import redis
from sqlalchemy import select

from app import create_app
from app.accounts.models import Department
from app.core.cache import REDIS_KEY, cached
from app.extensions import db
from app.reference.models import Country
from tests.factories import client_for, make_department, make_sector, year_cycle

REDIS_URL = "redis://127.0.0.1:6379/5"  # the pickers' database number


def options(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select_html)


def test_the_bri_list_filters_cost_no_statement_once_cached(app, world, count_queries):
    client = client_for(app, world.bri)
    client.get("/conges/bri/demandes")
    with count_queries() as statements:
        page = client.get("/conges/bri/demandes").get_data(as_text=True)
    touched = " ".join(statements)
    assert "FROM department" not in touched and "FROM programme_cycle" not in touched
    assert "DISTINCT" not in touched  # no more SELECT DISTINCT country over every request
    assert world.department.name.replace("'", "&#39;") in page
    assert 200 <= len(options(page, "country_code")) <= 300  # every country, bounded


def test_a_new_department_is_on_the_next_page(app, world):
    client = client_for(app, world.bri)
    assert "Service de l&#39;eau" not in options(
        client.get("/conges/bri/demandes").get_data(as_text=True), "department_id"
    )
    make_department(name="Service de l'eau", code="EAU")
    page = client.get("/conges/bri/demandes").get_data(as_text=True)
    assert "Service de l&#39;eau" in options(page, "department_id")


def test_a_renamed_cycle_or_sector_and_an_eligibility_change_are_seen_at_once(app, world):
    client = client_for(app, world.bri)
    cycle = year_cycle(2031)
    assert "2031" in options(client.get("/conges/bri/demandes").get_data(as_text=True), "cycle_id")
    cycle.year = 2032
    db.session.commit()
    years = options(client.get("/conges/bri/demandes").get_data(as_text=True), "cycle_id")
    assert "2032" in years and "2031" not in years

    sector = make_sector(code="15112", name_fr="Décentralisation")
    assert "15112 – Décentralisation" in client.get("/projets/").get_data(as_text=True)
    sector.name_fr = "Décentralisation et soutien"
    db.session.commit()
    assert "15112 – Décentralisation et soutien" in client.get("/projets/").get_data(as_text=True)

    applicant = client_for(app, world.applicant)
    assert "Sénégal" not in options(applicant.get("/conges/nouvelle").get_data(as_text=True), "country_code")
    db.session.add(Country(code="SN", eligible=True))
    db.session.commit()
    assert "Sénégal" in options(applicant.get("/conges/nouvelle").get_data(as_text=True), "country_code")


def test_a_rolled_back_change_changes_nothing_and_a_bulk_update_invalidates(app, world):
    with app.test_request_context():
        assert cached("departments", lambda: "first") == "first"
        assert cached("departments", lambda: "second") == "first"  # cached
        world.department.name = "Brouillon"
        db.session.flush()
        db.session.rollback()
        assert cached("departments", lambda: "third") == "first"  # nothing was committed
        db.session.execute(Department.__table__.update().values(active=True))
        db.session.commit()
    with app.test_request_context():
        assert cached("departments", lambda: "fourth") == "fourth"


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (make test starts it on CI)")
    client.delete(REDIS_KEY)
    yield client
    client.delete(REDIS_KEY)


def test_two_instances_sharing_redis_see_each_other_s_changes(app, world, shared_redis):
    """Two application instances (two hosts) on one database: a department added through one appears on the
    other's next page, although each keeps its own copy of the choices."""
    overrides = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "REFERENCE_CACHE_URL": REDIS_URL}
    first, second = create_app("testing", overrides=overrides), create_app("testing", overrides=overrides)
    try:
        clients = [client_for(instance, world.bri) for instance in (first, second)]
        for client in clients:
            assert "Service des parcs" not in client.get("/conges/bri/demandes").get_data(as_text=True)
        with first.app_context():
            db.session.add(Department(name="Service des parcs", code="PARCS"))
            db.session.commit()
            db.session.remove()
        assert int(shared_redis.hget(REDIS_KEY, "departments")) >= 1
        page = clients[1].get("/conges/bri/demandes").get_data(as_text=True)
        assert "Service des parcs" in options(page, "department_id")
    finally:
        for instance in (first, second):
            with instance.app_context():
                db.session.remove()
                db.engine.dispose()
    assert db.session.scalar(select(Department.id).where(Department.code == "PARCS")) is not None
