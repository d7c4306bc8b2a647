"""References CS-<year>-0042: per cycle year, in order, never reused, never given twice."""

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.leave.models import ReferenceCounter
from app.leave.services.references import next_reference


def test_references_follow_each_other_per_year():
    assert next_reference(2027) == "CS-2027-0001"
    assert next_reference(2027) == "CS-2027-0002"
    assert next_reference(2028) == "CS-2028-0001"
    db.session.commit()
    assert db.session.get(ReferenceCounter, 2027).last == 2


def test_a_rolled_back_creation_gives_its_number_back_without_any_duplicate():
    assert next_reference(2030) == "CS-2030-0001"
    db.session.commit()
    next_reference(2030)
    db.session.rollback()
    assert next_reference(2030) == "CS-2030-0002"


def test_a_committed_number_is_never_given_again():
    refs = {next_reference(2031) for _ in range(25)}
    db.session.commit()
    assert len(refs) == 25
    assert next_reference(2031) == "CS-2031-0026"


@pytest.mark.postgres
def test_concurrent_creations_never_share_a_reference(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises writers by design")
    results: list[str] = []
    barrier = threading.Barrier(8)

    def worker():
        with app.app_context():
            barrier.wait()
            for _ in range(5):
                results.append(next_reference(2040))
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == len(set(results)) == 40
    assert db.session.scalar(select(ReferenceCounter.last).where(ReferenceCounter.year == 2040)) == 40
