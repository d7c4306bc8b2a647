"""Every page of ``benchmarks/pages.py``, read by its viewer over the data of the city-scale generator at two tiny
scales (the second twice the first; the project page with its results framework): it answers 200 and sends the same
number of SQL statements at both scales, at most ``BUDGET``. The generated data themselves are checked too
(``test_generated_*``).

A relationship loaded "selectin" takes one statement per 500 parents (SQLAlchemy's chunk): at tiny scales a page that
loads every user's roles would look flat. While the pages are measured the chunk is one page of a list
(``ITEMS_PER_PAGE``): a page that shows a bounded number of rows sends the same statements as with 500, and a page
that loads more parents than a page holds sends more when the data double.
"""

import json
from collections import Counter, defaultdict

import pytest
from flask_babel import force_locale
from sqlalchemy import event, func, select
from sqlalchemy.orm import strategies

from app.accounts.models import Department, User
from app.core.notification_texts import render
from app.core.notifications import Notification
from app.core.registry import registry_of
from app.extensions import db as _db
from app.leave.models import LeaveRequest, ReferenceCounter, Transition
from app.leave.workflow import ACTIVE_STATUSES, COMMITTED_STATUSES, MOVES, STATUSES
from app.projects.models import Project
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reference.models import PartnerOrganisation, ProgrammeCycle
from app.reports.models import MissionReport
from benchmarks.generate import PASSWORD, generate, main
from benchmarks.pages import PAGES
from tests.conftest import _clean_tables, fresh_database_url

SCALES = (0.004, 0.008)
BUDGET = 8
# SQLAlchemy's "selectin" loader (named _SelectInLoader since 2.1).
SELECTIN_LOADER = getattr(strategies, "_SelectInLoader", None) or strategies.SelectInLoader


def _statements_of(app, client, path: str) -> tuple[int, int, list[str]]:
    """(status, statements) of a GET of ``path``, once the page has been served once (caches warm)."""
    client.get(path)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response.status_code, len(statements), statements


@pytest.fixture(scope="module")
def measured(app):
    """Per page and scale: (status, statements, the statements). Generated once per scale for the whole module."""
    results: dict[str, dict[float, tuple]] = defaultdict(dict)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SELECTIN_LOADER, "_chunksize", app.config["ITEMS_PER_PAGE"])
        for scale in SCALES:
            _measure(app, scale, results)
    return results


def _measure(app, scale: float, results: dict) -> None:
    with app.app_context():
        viewers = generate(scale=scale, seed=11)
        _db.session.remove()
    try:
        for page in PAGES:
            client = app.test_client()
            # A fresh login per page: the session's "last seen" is then too recent to be written again.
            login = client.post("/compte/connexion", data={"email": page.email(viewers), "password": PASSWORD})
            assert login.status_code == 303, (page.name, login.status_code)
            results[page.name][scale] = _statements_of(app, client, page.url(viewers))
    finally:
        with app.app_context():
            _db.session.remove()
            _clean_tables()


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_sends_a_bounded_number_of_statements_whatever_the_data(measured, page):
    small, large = (measured[page.name][scale] for scale in SCALES)
    assert small[0] == large[0] == 200, (page.name, small[0], large[0])
    assert small[1] == large[1], f"{page.name}: {small[1]} statements, then {large[1]} with twice the data"
    assert large[1] <= BUDGET, f"{page.name}: {large[1]} statements (budget {BUDGET}):\n" + "\n".join(large[2])


# The generated data -----------------------------------------------------------------------------------------------


@pytest.fixture
def generated(db):
    return generate(scale=0.004, seed=5)


def test_generated_histories_follow_the_workflow(generated):
    moves = {(source, action): target for source, action, target in MOVES}
    transitions = defaultdict(list)
    for t in _db.session.scalars(select(Transition).order_by(Transition.id)):
        transitions[t.request_id].append(t)
    requests = _db.session.scalars(select(LeaveRequest)).all()
    users = {u.id: u for u in _db.session.scalars(select(User))}
    assert {r.status for r in requests} == set(STATUSES)
    for req in requests:
        history = transitions[req.id]
        status, moment = "draft", req.created_at
        for t in history:
            assert t.from_status == status, (req.reference, t.action)
            assert moves[(t.from_status, t.action)] == t.to_status, (req.reference, t.action)
            assert t.created_at > moment, (req.reference, t.action)
            status, moment = t.to_status, t.created_at
            applicant = users[req.applicant_id]
            if t.action in ("submit", "withdraw", "submit_report"):
                assert t.actor_id == req.applicant_id
            elif t.action.startswith("manager_"):
                assert applicant.manager_id in (t.actor_id, t.on_behalf_of_id)
            elif t.actor_id is not None:
                assert "bri" in users[t.actor_id].roles and t.actor_id != req.applicant_id
        assert status == req.status, req.reference
        assert req.status_changed_at == (history[-1].created_at if history else req.created_at)


def test_generated_requests_respect_the_rules_of_the_programme(generated):
    requests = _db.session.scalars(select(LeaveRequest)).all()
    cycles = {c.id: c for c in _db.session.scalars(select(ProgrammeCycle).order_by(ProgrammeCycle.year))}
    periods = [(c.period_start, c.period_end) for c in cycles.values()]
    assert all(end < next_start for (_s, end), (next_start, _e) in zip(periods, periods[1:], strict=False))
    partners = {p.id: p for p in _db.session.scalars(select(PartnerOrganisation))}
    active = defaultdict(list)
    for req in requests:
        assert cycles[req.cycle_id].holds(req.start_date, req.end_date), req.reference
        assert partners[req.partner_id].country_code == req.country_code
        assert req.amount_requested <= req.total_cost
        assert req.reference.startswith(f"CS-{cycles[req.cycle_id].year}-")
        if req.status in ACTIVE_STATUSES:
            active[req.applicant_id].append(req)
    for mine in active.values():
        mine.sort(key=lambda r: r.start_date)
        assert all(a.end_date < b.start_date for a, b in zip(mine, mine[1:], strict=False))
    for cycle in cycles.values():
        committed = [r for r in requests if r.cycle_id == cycle.id and r.status in COMMITTED_STATUSES]
        assert sum(r.amount_requested for r in committed) <= cycle.budget_envelope
        assert len(committed) <= cycle.places
    numbers = Counter(r.reference.rsplit("-", 2)[1] for r in requests)
    counters = {c.year: c.last for c in _db.session.scalars(select(ReferenceCounter))}
    assert {int(year): n for year, n in numbers.items()} == counters


def test_generated_reports_match_their_request(generated):
    reports = {r.request_id: r for r in _db.session.scalars(select(MissionReport))}
    for req in _db.session.scalars(select(LeaveRequest)):
        report = reports.get(req.id)
        if req.status == "closed":
            assert report.decision == "accepted" and report.submitted_at < report.decided_at
        elif req.status == "report_submitted":
            assert report.submitted_at is not None and report.decision is None
        elif req.status == "report_due":
            assert report is None or report.decision in (None, "returned")
        else:
            assert report is None, req.reference


def test_generated_data_have_the_designed_shape(generated):
    count = lambda model: _db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert count(User) == 40
    assert count(LeaveRequest) == 400
    assert count(Project) == 4
    assert count(PartnerOrganisation) == 17
    employee = User.by_email(generated.employee)
    manager = User.by_email(generated.manager)
    assert count(select(LeaveRequest).where(LeaveRequest.applicant_id == employee.id).subquery()) == 40
    waiting = (
        select(LeaveRequest)
        .join(User, User.id == LeaveRequest.applicant_id)
        .where(User.manager_id == manager.id, LeaveRequest.status == "submitted")
    )
    assert count(waiting.subquery()) == 3
    unread = select(Notification).where(Notification.recipient_id == employee.id, Notification.read_at.is_(None))
    assert count(unread.subquery()) >= 1
    assert count(select(LeaveRequest).where(LeaveRequest.project_id == generated.project_id).subquery()) >= 3
    # The project page is measured with its results framework: two results of two indicators, with periods.
    results = select(ProjectResult).where(ProjectResult.project_id == generated.project_id)
    assert count(results.subquery()) == 2
    periods = (
        select(IndicatorPeriod)
        .join(ResultIndicator)
        .where(ResultIndicator.result_id.in_(results.with_only_columns(ProjectResult.id)))
    )
    assert count(periods.subquery()) >= 8
    report = _db.session.get(LeaveRequest, generated.report_request_id)
    assert report.status == "report_submitted" and report.applicant_id == employee.id
    assert _db.session.get(LeaveRequest, generated.bri_request_id).status == "manager_approved"
    assert _db.session.get(LeaveRequest, generated.request_id).status == "closed"
    assert {"bri"} <= User.by_email(generated.bri).roles and {"admin"} <= User.by_email(generated.admin).roles


def test_generated_notifications_are_written_from_their_kind_in_each_language(app, generated):
    """The generator stores what the application stores (a kind and its params): the page writes them again."""
    notes = _db.session.scalars(select(Notification)).all()
    assert notes and all(n.kind in registry_of(app).notification_kinds for n in notes)
    for language, word in (("fr_CA", "demande"), ("en_CA", "request")):
        with force_locale(language):
            texts = [render(n.kind, n.params) for n in notes]
        assert None not in texts
        assert any(word in t.subject.lower() or word in t.body.lower() for t in texts)


def test_rows_added_after_the_generation_get_new_ids(generated):
    """The ids were given by the generator: PostgreSQL's sequences were moved past them."""
    department = Department(name="Service nouveau", code="NOUV")
    _db.session.add(department)
    _db.session.flush()
    assert department.id > _db.session.scalar(select(func.max(Department.id)).where(Department.id != department.id))


def test_generation_depends_on_the_seed_only(db, generated):
    first = _fingerprint()
    _db.session.remove()
    _clean_tables()
    generate(scale=0.004, seed=5)
    assert _fingerprint() == first


def _fingerprint() -> list:
    return (
        _db.session.execute(
            select(
                LeaveRequest.reference, LeaveRequest.status, LeaveRequest.start_date, LeaveRequest.status_changed_at
            ).order_by(LeaveRequest.id)
        ).all()
        + _db.session.execute(select(User.email, User.manager_id).order_by(User.id)).all()
    )


def test_command_migrates_generates_and_refuses_a_database_that_holds_people(capsys):
    url = fresh_database_url("generate")
    assert main(["--scale", "0.002", "--database-url", url]) == 0
    printed = capsys.readouterr().out
    viewers = json.loads(printed[printed.index("{") :])
    assert viewers["request_count"] == 200 and viewers["employee"].endswith("@ville.montreal.example")
    assert "leave_request" in printed and "transition" in printed
    assert main(["--scale", "0.002", "--database-url", url]) == 2
    assert "already holds people" in capsys.readouterr().err
    assert main(["--scale", "0.002", "--database-url", url, "--reset", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed[printed.index("{") :])["request_count"] == 200
