"""The lists' first (and next) page queries read an index that delivers their order: PostgreSQL's plan, with enough
rows loaded and ANALYZE run, has no sequential scan of ``leave_request`` and no sort of its rows.

The statements checked are those the pages really send (captured while the test client fetches them), explained
with their own parameters.
"""

import json
import os
import re

import pytest
from sqlalchemy import event, text

from app.extensions import db
from tests.factories import page_link

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""),
    reason="query plans are PostgreSQL's (set TEST_DATABASE_URL); SQLite's planner is not what production runs",
)

REQUESTS = 60_000
USERS = 3_000
STATUSES = [
    *("draft", "submitted", "changes_requested", "manager_approved", "approved", "in_mission", "report_due"),
    *("report_submitted", "closed", "rejected", "withdrawn", "cancelled"),
]


@pytest.fixture
def big(world):
    """Thousands of users (a tenth of them reporting to the world's manager), 60,000 requests spread over every
    status, country and a few years, 20,000 notifications; the planner's statistics refreshed."""
    statuses = "ARRAY[" + ", ".join(f"'{s}'" for s in STATUSES) + "]"
    statements = [
        f"""INSERT INTO "user" (email, full_name, employee_number, department_id, manager_id, language, active,
                session_token, created_at, updated_at)
            SELECT 'bulk' || g || '@example.org', 'Personne ' || lpad(g::text, 5, '0'), 'B' || g, :department,
                   CASE WHEN g % 10 = 0 THEN :manager END, 'fr', true, md5('t' || g), now(), now()
            FROM generate_series(1, {USERS}) AS g""",  # noqa: S608 - constants of this file
        f"""INSERT INTO leave_request (reference, applicant_id, cycle_id, country_code, city, start_date, end_date,
                working_days, objectives, expertise, benefits, languages, cost_transport, cost_lodging, cost_per_diem,
                cost_other, amount_requested, status, status_changed_at, version, created_at, updated_at)
            SELECT 'BULK-' || g, CASE WHEN g % 100 = 0 THEN :applicant ELSE first.id + g % {USERS} END, :cycle,
                   (ARRAY['HT', 'SN', 'MA', 'VN', 'BF'])[1 + g % 5], '',
                   date '2020-01-01' + g % 2000, date '2020-01-01' + g % 2000 + 10, 5, '', '', '', '',
                   0, 0, 0, 0, (g * 37) % 5000,
                   ({statuses})[1 + (g * 7) % {len(STATUSES)}], timestamptz '2024-01-01' + g * interval '1 minute',
                   1, now(), now()
            FROM generate_series(1, {REQUESTS}) AS g,
                 (SELECT min(id) AS id FROM "user" WHERE email LIKE 'bulk%') AS first""",  # noqa: S608
        # A history: one step per request, a few hundred of them the BRI's exception to a checklist.
        """INSERT INTO transition (request_id, action, from_status, to_status, comment, created_at)
            SELECT id, CASE WHEN id % 200 = 0 THEN 'record_checklist_exception' ELSE 'submit' END, 'draft',
                   status, '', now()
            FROM leave_request""",
        """INSERT INTO notification (recipient_id, subject, body, created_at, read_at)
            SELECT CASE WHEN g % 50 = 0 THEN :applicant ELSE first.id + g % 3000 END, 'N' || g, '',
                   timestamptz '2024-01-01' + g * interval '1 minute', CASE WHEN g % 3 = 0 THEN now() END
            FROM generate_series(1, 20000) AS g,
                 (SELECT min(id) AS id FROM "user" WHERE email LIKE 'bulk%') AS first""",
    ]
    params = {
        "department": world.department.id,
        "manager": world.manager.id,
        "cycle": world.cycle.id,
        "applicant": world.applicant.id,
    }
    for statement in statements:
        db.session.execute(text(statement), params)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql('ANALYZE "user", leave_request, notification, transition')
    return world


def _page_statements(client, url):
    """(statement, parameters) of every SELECT the page sends."""
    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return response, seen


def _rows_statement(statements, table):
    """The page's own rows: the statement with the keyset's columns, reading ``table``."""
    found = [(s, p) for s, p in statements if "_keyset_0" in s and re.search(rf'\bFROM "?{table}"?\s', s)]
    assert len(found) == 1, [s[:200] for s, _ in statements]
    return found[0]


def _plan(statement, parameters):
    with db.engine.connect() as connection:
        raw = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    return (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _scans_of(plan, table):
    return [n for n in _nodes(plan) if n.get("Relation Name") == table]


def _sorts_over(plan, table):
    """Sort nodes whose input reads ``table``."""
    return [n for n in _nodes(plan) if n["Node Type"] in ("Sort", "Incremental Sort") and _scans_of(n, table)]


_SORTS = [
    ("applicant", "/conges/", {"reference": {"ix_leave_request_applicant_reference"},
                               "dates": {"ix_leave_request_applicant_start"}}),
    ("manager", "/conges/a-approuver", {"reference": {"ix_leave_request_status_reference"},
                                        "dates": {"ix_leave_request_status_start"},
                                        "amount": {"ix_leave_request_status_amount"},
                                        "waiting": {"ix_leave_request_status_waiting"}}),
    ("bri", "/conges/bri/file", {"reference": {"ix_leave_request_status_reference"},
                                 "dates": {"ix_leave_request_status_start"},
                                 "amount": {"ix_leave_request_status_amount"}}),
    ("bri", "/conges/bri/demandes", {"reference": {"uq_leave_request_reference"},
                                     "dates": {"ix_leave_request_start_list"},
                                     "amount": {"ix_leave_request_amount_list"}}),
    ("bri", "/rapports/a-examiner", {"reference": {"ix_leave_request_status_reference"},
                                     "return": {"ix_leave_request_status_end"}}),
    ("bri", "/rapports/archive", {"reference": {"ix_leave_request_status_reference"}}),
    ("admin", "/admin/utilisateurs", {"email": {"uq_user_email"}, "number": {"uq_user_employee_number"}}),
]  # fmt: skip
SORTED_LISTS = [
    (who, f"{url}?sort={sort}&dir={direction}", "user" if "admin" in url else "leave_request", index)
    for who, url, sorts in _SORTS
    for sort, index in sorts.items()
    for direction in ("asc", "desc")
]


# (who, url, table, the indexes that may deliver the order). A filter on a frequent value (a twelfth of the rows)
# may as well walk the primary key backwards and skip the others: the planner's choice, in order either way.
BRI_LIST = {"pk_leave_request"}
LISTS = [
    ("applicant", "/conges/", "leave_request", {"ix_leave_request_applicant_list"}),
    ("manager", "/conges/a-approuver", "leave_request", {"ix_leave_request_status_waiting"}),
    ("bri", "/conges/bri/file", "leave_request", {"ix_leave_request_status_waiting"}),
    ("bri", "/conges/bri/demandes", "leave_request", BRI_LIST),
    ("bri", "/conges/bri/demandes?status=closed", "leave_request", BRI_LIST | {"ix_leave_request_status_list"}),
    ("bri", "/conges/bri/demandes?country_code=SN", "leave_request", BRI_LIST | {"ix_leave_request_country_list"}),
    ("bri", "/rapports/a-examiner", "leave_request", {"ix_leave_request_status_waiting"}),
    # The approved missions whose checklist is incomplete, the soonest first (the exceptions from their index).
    ("bri", "/conges/bri/file?liste=preparatifs", "leave_request", {"ix_leave_request_status_start"}),
    ("bri", "/rapports/archive", "leave_request", {"ix_leave_request_status_end"}),
    ("admin", "/admin/utilisateurs", "user", {"ix_user_name_list"}),
    # The orders the column headers offer (?sort=, migration 0014), unfiltered, in both directions.
    *SORTED_LISTS,
    ("applicant", "/notifications", "notification", {"ix_notification_recipient_list"}),
]


def _outline(plan, depth=0) -> str:
    """The plan as indented lines: node, relation, index, conditions."""
    parts = [plan["Node Type"], plan.get("Relation Name", ""), plan.get("Index Name", "")]
    parts += [f"{key}: {plan[key]}" for key in ("Index Cond", "Filter", "Sort Key") if key in plan]
    lines = ["  " * depth + " ".join(str(p) for p in parts if p)]
    lines += [_outline(child, depth + 1) for child in plan.get("Plans", [])]
    return "\n".join(lines)


def _problems(plan, table, index, keyset: bool) -> list[str]:
    scans = _scans_of(plan, table)
    problems = []
    if any(n["Node Type"] == "Seq Scan" for n in scans):
        problems.append(f"a sequential scan of {table}")
    if any(n["Node Type"] == "Seq Scan" for n in _scans_of(plan, "transition")):
        problems.append("a sequential scan of the whole history (transition)")
    if _sorts_over(plan, table):
        problems.append(f"a sort of the rows of {table}")
    used = [n for n in scans if n.get("Index Name") in index]
    if not used:
        problems.append(f"none of {sorted(index)} used")
    elif keyset and "Index Cond" not in used[0]:
        problems.append("the cursor's condition is no index condition")
    return problems


def test_every_list_reads_an_index_in_its_order_and_counts_a_thousand_rows_at_most(client, login, big):
    """One load of the rows for every list (loading them takes most of the test's time)."""
    failures = {}
    for who, url, table, index in LISTS:
        client.post("/compte/deconnexion")
        user_client = login(getattr(big, who))
        response, statements = _page_statements(user_client, url)
        first = _rows_statement(statements, table)
        _next, statements = _page_statements(user_client, page_link(response))
        following = _rows_statement(statements, table)
        for name, (statement, parameters), keyset in (("first", first, False), ("next", following, True)):
            plan = _plan(statement, parameters)
            problems = _problems(plan, table, index, keyset)
            if problems:
                failures[f"{url} ({name} page)"] = problems + [_outline(plan)]
        if url == "/conges/bri/demandes":
            counts = [(s, p) for s, p in statements if s.lstrip().startswith("SELECT count(*)")]
            assert len(counts) == 1
            limits = [n for n in _nodes(_plan(*counts[0])) if n["Node Type"] == "Limit"]
            assert limits and all(n["Plan Rows"] <= 1001 for n in limits)
            shown = response.get_data(as_text=True).replace("\u202f", " ").replace("\xa0", " ")
            assert "Plus de 1 000 résultats" in shown
    assert failures == {}, "\n\n".join(f"{page}: " + "\n".join(lines) for page, lines in failures.items())


# Who is away (the calendar, the clash check): the requests overlapping dates, read through an index on the status
# and the end date (bounded on both sides by the longest mission), never the whole table.
AWAY = [
    ("bri", "/calendrier?mois=2022-03"),
    ("bri", "/calendrier?mois=2022-03&country_code=SN"),
    ("manager", "/calendrier?mois=2022-03"),
    ("applicant", "/calendrier?mois=2022-03"),
]


def _away_statement(statements):
    found = [(s, p) for s, p in statements if "leave_request.end_date <=" in s]
    assert len(found) == 1, [s[:200] for s, _ in statements]
    return found[0]


def test_who_is_away_reads_the_dates_through_an_index(client, login, big):
    failures = {}
    for who, url in AWAY:
        client.post("/compte/deconnexion")
        _response, statements = _page_statements(login(getattr(big, who)), url)
        plan = _plan(*_away_statement(statements))
        scans = _scans_of(plan, "leave_request")
        if not scans or any(n["Node Type"] == "Seq Scan" for n in scans):
            failures[url + f" ({who})"] = _outline(plan)
    assert failures == {}, "\n\n".join(f"{page}:\n{plan}" for page, plan in failures.items())
