"""Two project creations with the same new code at the same moment, on two connections: one wins, the other is told
the code is taken, next to the field (never a 500 from the unique constraint). PostgreSQL only: SQLite serialises
writers by design."""

import threading
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import Project
from app.projects.services import projects as project_services
from tests.factories import make_sector

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is settled by PostgreSQL row locks: run with TEST_DATABASE_URL=postgresql+psycopg://…")


def _data(sector_id: int, title: str) -> dict:
    return {
        "code": "ht-jac-eau",
        "title_fr": title,
        "title_en": "",
        "description_fr": "",
        "country_code": "HT",
        "locality": "Jacmel",
        "sector_id": sector_id,
        "status": "planned",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "budget": "1000",
    }


def test_two_creations_with_the_same_new_code_at_once_one_wins_the_other_is_told_next_to_the_field(
    app, login, make_user, monkeypatch
):
    sector_id = make_sector("14030").id
    bri = make_user(roles=("employee", "bri"))
    first, second = app.test_client(), app.test_client()
    login(bri, test_client=first)
    login(bri, test_client=second)
    barrier = threading.Barrier(2, timeout=20)
    original = project_services._code_taken

    def checked_then_wait(*args):  # both have found the code free before either inserts
        taken = original(*args)
        barrier.wait()
        return taken

    monkeypatch.setattr(project_services, "_code_taken", checked_then_wait)
    responses: dict[str, object] = {}

    def create(name, client):
        responses[name] = client.post("/projets/nouveau", data=_data(sector_id, f"Eau potable ({name})"))

    threads = [threading.Thread(target=create, args=args) for args in (("un", first), ("deux", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.status_code for r in responses.values()) == [303, 422]
    refused = next(r for r in responses.values() if r.status_code == 422)
    page = unescape(refused.get_data(as_text=True))
    assert "Un autre projet porte déjà ce code." in page
    assert 'id="code-error"' in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Project)) == 1
