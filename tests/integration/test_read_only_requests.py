"""PostgreSQL: a GET runs outside any transaction, so that its statements stay prepared on the worker's connection
(psycopg forgets them at each ROLLBACK) and PostgreSQL plans them once, not at every view."""

import os
import re

import pytest
from sqlalchemy import text

from app.extensions import db

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""),
    reason="prepared statements and autocommit reads are PostgreSQL's (set TEST_DATABASE_URL)",
)


def test_a_page_runs_outside_a_transaction_and_its_statements_stay_prepared(world, login, client):
    login(world.applicant)
    idle = [db.engine.raw_connection() for _ in range(3)]  # a pool holding several idle connections, as a worker's
    for connection in idle:
        connection.close()
    # psycopg prepares a statement at its fifth use on a connection; the pool hands its (at most 5 idle)
    # connections out in turn.
    for _ in range(40):
        assert client.get("/conges/").status_code == 200
    db.session.remove()
    pooled = [db.engine.raw_connection() for _ in range(db.engine.pool.checkedin())]
    try:
        prepared = [
            row[0]
            for connection in pooled
            for row in connection.cursor().execute("SELECT statement FROM pg_prepared_statements").fetchall()
        ]
    finally:
        for connection in pooled:
            connection.close()
    # Without it, the ROLLBACK that ends each request would have made psycopg forget them all.
    listed = [s for s in prepared if "FROM leave_request" in s and "applicant_id" in s and "count(" not in s]
    assert listed, prepared
    # The LIMIT is written in (not a parameter): PostgreSQL can then keep one generic plan for the statement.
    assert all(re.search(r"LIMIT \d+\s*$", s) for s in listed), listed


def test_every_connection_bounds_the_planners_join_search(app):
    from app.core.database import JOIN_COLLAPSE_LIMIT

    # Through the session, after a rolled-back transaction, and on a connection opened afresh: the SET was committed.
    assert db.session.execute(text("SHOW join_collapse_limit")).scalar() == str(JOIN_COLLAPSE_LIMIT)
    db.session.rollback()
    assert db.session.execute(text("SHOW join_collapse_limit")).scalar() == str(JOIN_COLLAPSE_LIMIT)
    db.session.remove()
    db.engine.dispose()
    with db.engine.connect() as connection:
        assert connection.execute(text("SHOW join_collapse_limit")).scalar() == str(JOIN_COLLAPSE_LIMIT)
