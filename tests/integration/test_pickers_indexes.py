"""On PostgreSQL the searches of the pickers are served by the prefix indexes of migration 0012 (EXPLAIN), so that
they stay quick with 10,000 people and 100,000 requests."""

import pytest
from sqlalchemy import create_engine, select, text

from app import create_app
from app.accounts.models import User
from app.core.pickers import starts_with
from app.extensions import db
from app.leave.models import LeaveRequest
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def migrated_url():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the prefix indexes are PostgreSQL's: run with TEST_DATABASE_URL=postgresql+psycopg://…")
    url = fresh_database_url("pickers_indexes")
    migrated = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    with migrated.app_context():
        assert migrated.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        db.engine.dispose()
    return url


@pytest.mark.parametrize(
    ("condition", "index"),
    [
        (starts_with(User.full_name, "éloï"), "ix_user_full_name_prefix"),
        (starts_with(User.email, "eloise.t"), "ix_user_email_prefix"),
        (starts_with(LeaveRequest.reference, "cs-2027-00"), "ix_leave_request_reference_prefix"),
    ],
)
def test_the_prefix_search_uses_its_index(migrated_url, condition, index):
    engine = create_engine(migrated_url)
    table = condition.left.clauses.clauses[0].table
    query = select(table.c.id).where(condition)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    try:
        with engine.connect() as conn:
            # People enough that reading the whole list's index (full_name, id) costs more than the prefix's range
            # (an empty table makes every plan cost the same); no sequential scan, whatever the sizes.
            conn.execute(
                text(
                    'INSERT INTO "user" (email, full_name, employee_number, language, active, session_token,'
                    " created_at, updated_at) SELECT 'p' || g || '@ville.example', 'Personne ' || g, 'E' || g, 'fr',"
                    " true, md5(g::text), now(), now() FROM generate_series(1, 3000) AS g"
                )
            )
            conn.execute(text('ANALYZE "user"'))
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
    finally:
        engine.dispose()
    assert index in plan, plan
