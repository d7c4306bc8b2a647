"""The dashboard's aggregates read the filtered requests through indexes: PostgreSQL's plans of the statements the
page really sends, over ten cycles of 6,000 requests each with their history, have no sequential scan of
``leave_request`` or ``transition``."""

import os

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.factories import make_department, year_cycle
from tests.integration.test_query_plans import STATUSES, _outline, _page_statements, _plan, _scans_of

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""),
    reason="query plans are PostgreSQL's (set TEST_DATABASE_URL); SQLite's planner is not what production runs",
)

PER_CYCLE = 6_000
YEARS = range(2018, 2028)


@pytest.fixture
def cycles(world):
    """Ten cycles of 6,000 requests (created cycle after cycle, as each call takes its applications in its own
    window), three moves of history each, over 300 applicants of another department than the world's (the filtered
    one: a department is a small part of the city, whose requests an index finds); the planner's statistics
    refreshed."""
    made = [year_cycle(year) for year in YEARS]
    elsewhere = make_department(name="Service des grands parcs", code="PARCS")
    statuses = "ARRAY[" + ", ".join(f"'{s}'" for s in STATUSES) + "]"
    cycle_ids = "ARRAY[" + ", ".join(str(c.id) for c in made) + "]"
    total = PER_CYCLE * len(made)
    statements = [
        """INSERT INTO "user" (email, full_name, employee_number, department_id, language, active, session_token,
                created_at, updated_at)
            SELECT 'plan' || g || '@example.org', 'Personne ' || g, 'P' || g, :department, 'fr', true,
                   md5('p' || g), now(), now()
            FROM generate_series(1, 300) AS g""",
        f"""INSERT INTO leave_request (reference, applicant_id, cycle_id, country_code, city, start_date, end_date,
                working_days, objectives, expertise, benefits, languages, cost_transport, cost_lodging, cost_per_diem,
                cost_other, amount_requested, status, status_changed_at, version, created_at, updated_at)
            SELECT 'PLAN-' || g, first.id + g % 300, ({cycle_ids})[1 + (g - 1) / {PER_CYCLE}],
                   (ARRAY['HT', 'SN', 'MA', 'VN', 'BF'])[1 + g % 5], '',
                   make_date(2018 + (g - 1) / {PER_CYCLE}, 3, 1), make_date(2018 + (g - 1) / {PER_CYCLE}, 3, 12),
                   8, '', '', '', '', 0, 0, 0, 0, 100,
                   ({statuses})[1 + (g * 7) % {len(STATUSES)}], timestamptz '2024-01-01' + g * interval '1 minute',
                   1, now(), now()
            FROM generate_series(1, {total}) AS g,
                 (SELECT min(id) AS id FROM "user" WHERE email LIKE 'plan%') AS first""",  # noqa: S608
        """INSERT INTO transition (request_id, action, from_status, to_status, comment, created_at)
            SELECT r.id, m.action, m.source, m.target, '', r.created_at + m.n * interval '2 days'
            FROM leave_request r,
                 (VALUES (1, 'submit', 'draft', 'submitted'), (2, 'manager_approve', 'submitted', 'manager_approved'),
                         (3, 'bri_approve', 'manager_approved', 'approved')) AS m (n, action, source, target)
            WHERE r.reference LIKE 'PLAN-%'""",
    ]
    for statement in statements:
        db.session.execute(text(statement), {"department": elsewhere.id})
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql('ANALYZE "user", leave_request, transition, programme_cycle')
    return made


@pytest.mark.parametrize("query", ["cycle={cycle}", "year=2023", "cycle={cycle}&department={department}"])
def test_the_dashboard_reads_its_requests_and_their_history_through_indexes(login, world, cycles, query):
    client = login(world.bri)
    url = "/bri/tableau-de-bord?" + query.format(cycle=cycles[5].id, department=world.department.id)
    client.get(url)  # the reference cache filled
    _response, statements = _page_statements(client, url)
    failures = []
    for statement, parameters in statements:
        if "leave_request" not in statement:
            continue
        plan = _plan(statement, parameters)
        scans = _scans_of(plan, "leave_request") + _scans_of(plan, "transition")
        if any(node["Node Type"] == "Seq Scan" for node in scans):
            failures.append(statement[:120] + "\n" + _outline(plan))
    assert failures == [], "\n\n".join(failures)
