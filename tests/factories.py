"""The test suite's factories: people, reference data, projects, and leave requests in any status.

Plain functions that add rows and commit (the database session comes from the ``db`` fixture of
``tests/conftest.py``, which also wraps the most used ones in fixtures: ``make_user``, ``world``, ``make_mission``...).

A request never gets its status by assignment: :func:`make_request` walks it through the application's own
services, acting as the right person on a suitable day — ``app.leave.services`` for the decisions, the daily job's
step (:func:`start_mission` / :func:`end_mission`) for the dates, ``app.reports.services`` for the report — so that its
Transition rows, notifications, version and report are the ones the application would have written.
"""

import functools
import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape
from unittest import mock

from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from app.accounts.models import Department, User
from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.core.notifications import Notification, OutboxEmail
from app.core.workdays import is_working_day
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest
from app.leave.notifications import after_transition
from app.leave.services import decisions as leave_decisions
from app.leave.services import requests as leave_requests
from app.leave.services.transitions import perform
from app.leave.workflow import ACTIVE_STATUSES
from app.projects import services as project_services
from app.projects.models import Expenditure, FundingLine, Milestone, Project, ProjectPartner, ProjectStatus, Sector
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reference import advisory_services
from app.reference.advisories import needs_exception
from app.reference.models import Country, PartnerContact, PartnerOrganisation, ProgrammeCycle
from app.reports import services as report_services
from app.reports.models import REPORT_TEXT_FIELDS

DEFAULT_PASSWORD = "correct-horse-battery"

_counter = itertools.count(1)
_years = itertools.count(3000)


def text(response) -> str:
    """The page's text with entities decoded and Babel's non-breaking spaces made plain."""
    return unescape(response.get_data(as_text=True)).replace("\u00a0", " ").replace("\u202f", " ")


def page_link(response, rel: str = "next") -> str:
    """The URL of a list's "Next" (or "Previous": ``rel="prev"``) link, cursor and filters included."""
    found = re.search(rf'<a class="page-link" rel="{rel}" href="([^"]+)"', response.get_data(as_text=True))
    assert found, f"no {rel} link on the page"
    return unescape(found.group(1))


def at_noon(day: date) -> datetime:
    """An instant on ``day`` in Montréal (17:00 UTC is noon or 13:00 there)."""
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


def days_after(day: date, n: int) -> date:
    return day + timedelta(days=n)


# People ---------------------------------------------------------------------------------------------------------


@functools.cache
def _default_hash(method: str) -> str:
    # The suite creates many users with the same password: hash it once (with the testing config's method).
    return generate_password_hash(DEFAULT_PASSWORD, method=method)


def make_user(roles=("employee",), password: str = DEFAULT_PASSWORD, **fields) -> User:
    """``make_user(roles=("employee", "manager"), manager=boss, ...)``: a committed user (password DEFAULT_PASSWORD)."""
    from flask import current_app

    n = next(_counter)
    fields.setdefault("full_name", f"Personne {n}")
    fields.setdefault("email", f"personne{n}@example.org")
    fields.setdefault("employee_number", f"T{n:05d}")
    user = User(**fields)
    user.roles = roles
    if password == DEFAULT_PASSWORD:
        user.password_hash = _default_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
        user.rotate_session_token()
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_department(**fields) -> Department:
    n = next(_counter)
    fields.setdefault("name", f"Service {n}")
    fields.setdefault("code", f"S{n}")
    department = Department(**fields)
    db.session.add(department)
    db.session.commit()
    return department


def client_for(app, user):
    """A new test client logged in as ``user``."""
    client = app.test_client()
    response = client.post("/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def delegate(manager, delegate_user, starts_on: date, ends_on: date) -> Delegation:
    delegation = Delegation(manager=manager, delegate=delegate_user, starts_on=starts_on, ends_on=ends_on)
    db.session.add(delegation)
    db.session.commit()
    return delegation


# Reference data -------------------------------------------------------------------------------------------------


def make_cycle(**fields) -> ProgrammeCycle:
    """A cycle open today (applications from 30 days ago to 60 days ahead), of a far year unless told."""
    today = montreal_today()
    fields.setdefault("year", next(_years))
    fields.setdefault("opens_on", today - timedelta(days=30))
    fields.setdefault("closes_on", today + timedelta(days=60))
    fields.setdefault("budget_envelope", Decimal("100000"))
    fields.setdefault("places", 10)
    fields.setdefault("min_working_days", 1)
    fields.setdefault("max_working_days", 40)
    fields.setdefault("min_notice_days", 10)
    # Its missions' period: from a year ago to the end of its (far) year, so that any mission near today fits.
    fields.setdefault("period_start", min(date(fields["year"], 1, 1), today - timedelta(days=365)))
    fields.setdefault("period_end", max(date(fields["year"], 12, 31), today + timedelta(days=3 * 365)))
    cycle = ProgrammeCycle(**fields)
    db.session.add(cycle)
    db.session.commit()
    return cycle


def year_cycle(year: int = 2026, **fields) -> ProgrammeCycle:
    """The cycle of ``year`` (created once): applications in the autumn before, missions during ``year``."""
    cycle = db.session.scalars(select(ProgrammeCycle).filter_by(year=year)).one_or_none()
    if cycle is not None:
        return cycle
    values = {
        "opens_on": date(year - 1, 9, 1),
        "closes_on": date(year - 1, 12, 1),
        "budget_envelope": Decimal("500000.00"),
        "places": 50,
        "min_working_days": 1,
        "max_working_days": 60,
        "min_notice_days": 30,
        "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
    }
    values.update(fields)
    return make_cycle(year=year, **values)


def ensure_country(code: str = "HT", eligible: bool = True) -> Country:
    country = db.session.get(Country, code)
    if country is None:
        country = Country(code=code, eligible=eligible)
        db.session.add(country)
        db.session.commit()
    return country


def make_partner(
    name: str | None = None, country_code: str = "HT", kind: str = "municipality", city: str = "", **fields
) -> PartnerOrganisation:
    """A partner organisation (its country is created, eligible, when missing)."""
    ensure_country(country_code)
    name = name or f"Mairie fictive {next(_counter)}"
    partner = PartnerOrganisation(name=name, country_code=country_code, kind=kind, city=city, **fields)
    db.session.add(partner)
    db.session.commit()
    return partner


def make_contact(partner: PartnerOrganisation, language: str = "fr", active: bool = True, **fields) -> PartnerContact:
    """A contact of ``partner`` (committed)."""
    n = next(_counter)
    fields.setdefault("name", f"Contact {n}")
    fields.setdefault("email", f"contact{n}@partenaire.example")
    contact = PartnerContact(partner=partner, language=language, active=active, **fields)
    db.session.add(contact)
    db.session.commit()
    return contact


def partner_named(name: str, country: str = "HT") -> PartnerOrganisation:
    """The partner ``name`` of ``country``, created on first use."""
    partner = db.session.scalars(select(PartnerOrganisation).filter_by(name=name, country_code=country)).first()
    return partner or make_partner(name, country)


# Projects -------------------------------------------------------------------------------------------------------
# A project's status is a plain attribute, not a workflow with Transition rows: the factories write the rows
# directly, and the tests that need a project's history build it through the pages or app.projects.services.


def make_sector(code: str | None = None, **fields) -> Sector:
    n = next(_counter)
    sector = Sector(
        code=code or f"{90000 + n}",
        name_fr=fields.pop("name_fr", f"Secteur {n}"),
        name_en=fields.pop("name_en", f"Sector {n}"),
        **fields,
    )
    db.session.add(sector)
    db.session.commit()
    return sector


def make_project(sector: Sector | None = None, **fields) -> Project:
    n = next(_counter)
    fields.setdefault("code", f"HT-TEST-{n}")
    fields.setdefault("title_fr", f"Projet d'essai {n}")
    fields.setdefault("status", "active")
    fields.setdefault("start_date", date(2026, 1, 1))
    fields.setdefault("end_date", date(2027, 12, 31))
    fields.setdefault("budget", Decimal("100000.00"))
    fields.setdefault("locality", "Petit-Goâve")
    project = Project(sector=sector or make_sector(), **fields)
    db.session.add(project)
    db.session.commit()
    return project


def add_lines(project: Project, funding=(), expenditures=(), partners=(), milestones=()) -> Project:
    """``funding``: (source, "amount"); ``expenditures``: (date, "amount", source); ``partners``: (partner, role);
    ``milestones``: (title, due date, done)."""
    for source, amount in funding:
        db.session.add(FundingLine(project=project, source=source, amount=Decimal(amount), note=""))
    for spent_on, amount, source in expenditures:
        db.session.add(
            Expenditure(project=project, spent_on=spent_on, amount=Decimal(amount), description="Achat", source=source)
        )
    for partner, role in partners:
        db.session.add(ProjectPartner(project=project, partner=partner, role=role))
    for title, due_on, done in milestones:
        db.session.add(Milestone(project=project, title=title, due_on=due_on, done=done))
    db.session.commit()
    return project


@dataclass
class Framework:
    """The results framework :func:`add_results` writes: an outcome with three indicators, and an output still
    without any."""

    outcome: ProjectResult
    output: ProjectResult
    unit: ResultIndicator  # a number, higher is better: a period with an actual value, one without
    percentage: ResultIndicator  # lower is better: one period with an actual value
    qualitative: ResultIndicator  # words only: one period with an actual comment
    periods: dict[str, IndicatorPeriod]


def add_results(project: Project, actor: User, day: date = date(2026, 1, 1)) -> Framework:
    """A results framework written through the services (the BRI's ``actor`` records the actual values), committed."""
    services = project_services
    outcome = services.save_result(
        project,
        ProjectResult(),
        {
            "type": "2",
            "title_fr": "Collecte des déchets améliorée",
            "title_en": "Better waste collection",
            "description_fr": "Les quartiers sont desservis chaque semaine.",
            "description_en": "",
        },
        actor,
    )
    output = services.save_result(project, ProjectResult(), {"type": "1", "title_fr": "Brigades formées"}, actor)

    def indicator(measure: str, title: str, **fields) -> ResultIndicator:
        data = {"measure": measure, "title_fr": title, "ascending": True, **fields}
        return services.save_indicator(outcome, ResultIndicator(), data, actor)

    unit = indicator(
        "1", "Ménages desservis", title_en="Households served", baseline_year=2025, baseline_value=Decimal("120")
    )
    percentage = indicator(
        "2",
        "Part des déchets brûlés",
        description_fr="Relevé du service municipal.",
        ascending=False,
        baseline_year=2025,
        baseline_value=Decimal("40.50"),
        baseline_comment="Estimation de départ",
    )
    qualitative = indicator("5", "Appropriation par la mairie", baseline_year=2025, baseline_comment="Aucun comité")

    def period(ind: ResultIndicator, start: int, end: int, target=None, comment="") -> IndicatorPeriod:
        data = {"period_start": day + timedelta(days=start), "period_end": day + timedelta(days=end)}
        data |= {"target_value": Decimal(target) if target else None, "target_comment": comment}
        return services.save_period(ind, IndicatorPeriod(), data, actor)

    periods = {
        "unit_done": period(unit, 0, 179, "300"),
        "unit_open": period(unit, 180, 364, "600", "Deuxième année"),
        "percentage": period(percentage, 0, 364, "10"),
        "qualitative": period(qualitative, 0, 364, comment="Un comité de suivi se réunit"),
    }
    services.record_actual(periods["unit_done"], {"actual_value": Decimal("240"), "actual_comment": "Relevé"}, actor)
    services.record_actual(periods["percentage"], {"actual_value": Decimal("25")}, actor)
    services.record_actual(periods["qualitative"], {"actual_comment": "Le comité s'est réuni deux fois"}, actor)
    db.session.commit()
    return Framework(outcome, output, unit, percentage, qualitative, periods)


# The world: the people around a request --------------------------------------------------------------------------


@dataclass
class World:
    department: Department
    applicant: User
    manager: User
    colleague: User
    other_manager: User
    delegate: User
    bri: User
    bri2: User
    admin: User
    cycle: ProgrammeCycle


def make_world() -> World:
    """An applicant and a colleague under their manager, another manager (with the delegate in their team), two BRI
    officers (one reads French, one English), an administrator, Haiti eligible and a cycle open today."""
    dept = make_department(name="Service de l'urbanisme", code="URB")
    manager = make_user(roles=("employee", "manager"), full_name="Bernard Lachance", department=dept)
    other_manager = make_user(roles=("employee", "manager"), full_name="Hélène Côté", department=dept)
    applicant = make_user(full_name="Éloïse Tremblay", manager=manager, department=dept)
    colleague = make_user(full_name="Nadia Ferland", manager=manager, department=dept)
    delegate_user = make_user(full_name="Thomas Bergeron", manager=other_manager, department=dept)
    bri = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur", language="fr")
    bri2 = make_user(roles=("employee", "bri"), full_name="Mireille Okafor", language="en")
    admin = make_user(roles=("employee", "admin"), full_name="Aline Admin")
    ensure_country("HT")
    return World(dept, applicant, manager, colleague, other_manager, delegate_user, bri, bri2, admin, make_cycle())


# Leave requests -------------------------------------------------------------------------------------------------

# The actions that lead to each status from a draft.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "changes_requested": ["submit", "manager_request_changes"],
    "manager_approved": ["submit", "manager_approve"],
    "approved": ["submit", "manager_approve", "bri_approve"],
    "rejected": ["submit", "manager_reject"],
    "withdrawn": ["withdraw"],
}
PATHS["cancelled"] = [*PATHS["approved"], "cancel"]
PATHS["in_mission"] = [*PATHS["approved"], "start_mission"]
PATHS["report_due"] = [*PATHS["in_mission"], "end_mission"]
PATHS["report_submitted"] = [*PATHS["report_due"], "submit_report"]
PATHS["closed"] = [*PATHS["report_submitted"], "accept_report"]

FORM_DEFAULTS = {
    "city": "Jacmel",
    "objectives": "Former l'équipe technique.",
    "expertise": "Urbanisme",
    "benefits": "Partage d'expérience",
    "languages": "Français, créole",
    "cost_transport": "1200.00",
    "cost_lodging": "900.00",
    "cost_per_diem": "500.00",
    "cost_other": "0",
    "amount_requested": "2000.00",
}

REPORT_TEXT = {
    "activities": "Ateliers de planification urbaine avec la mairie de Jacmel.",
    "results": "Un plan de gestion des déchets adopté par le conseil municipal.",
    "lessons_learned": "Prévoir plus de temps pour les rencontres communautaires.",
    "recommendations_city": "Renouveler la collaboration l'an prochain.",
    "recommendations_partner": "Former une équipe locale de suivi.",
    "testimony": "Une expérience marquante, humaine et professionnelle.",
}

COMMENT = "Motif."
ADVISORY_EXCEPTION_COMMENT = "Exception : mission essentielle, encadrée par le partenaire."


def form_data(world: World, **overrides) -> dict:
    """The fields of the request form, as posted (a mission 40 days ahead in the world's cycle)."""
    start = overrides.pop("start", montreal_today() + timedelta(days=40))
    data = {
        "cycle_id": str(world.cycle.id),
        "country_code": "HT",
        "partner_id": "0",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=11)).isoformat(),
        **FORM_DEFAULTS,
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def end_after_working_days(start: date, days: int) -> date:
    """The day on which a mission starting on ``start`` (a working day) has lasted ``days`` working days."""
    end, counted = start, 1 if is_working_day(start) else 0
    while counted < days:
        end += timedelta(days=1)
        counted += is_working_day(end)
    return end


def default_start(cycle: ProgrammeCycle) -> date:
    """40 days ahead in a cycle open today; otherwise the first Monday of March of the cycle's year."""
    today = montreal_today()
    if cycle.opens_on <= today <= cycle.closes_on:
        return today + timedelta(days=40)
    first = date(cycle.year, 3, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _overlaps(applicant, start: date, end: date) -> bool:
    return (
        db.session.scalar(
            select(LeaveRequest.id).where(
                LeaveRequest.applicant_id == applicant.id,
                LeaveRequest.status.in_(ACTIVE_STATUSES),
                LeaveRequest.start_date <= end,
                LeaveRequest.end_date >= start,
            )
        )
        is not None
    )


def _application_day(cycle: ProgrammeCycle, start: date) -> date:
    """A day on which the cycle takes applications for a mission starting on ``start``: today when it can."""
    latest = start - timedelta(days=cycle.min_notice_days)
    today = montreal_today()
    if cycle.opens_on <= today <= min(cycle.closes_on, latest):
        return today
    day = min(cycle.closes_on, latest)
    if day < cycle.opens_on:
        raise ValueError(f"cycle {cycle.year} takes no application for a mission starting on {start}")
    return day


def start_mission(req: LeaveRequest, day: date) -> None:
    """The daily job's step for one request (``app.leave.services.scheduler.advance_missions``), on its start date."""
    assert req.status == "approved" and req.start_date <= day
    with cli_request_context():
        after_transition(req, perform(req, "start_mission", None), day)


def end_mission(req: LeaveRequest, day: date) -> None:
    """The daily job's step for one request, the day after its end date."""
    assert req.status == "in_mission" and req.end_date < day
    with cli_request_context():
        after_transition(req, perform(req, "end_mission", None), day)


def _bri_for(world: World | None, req: LeaveRequest, manager) -> User:
    """A BRI officer allowed to decide: neither the applicant nor the manager's decider."""
    officers = [world.bri, world.bri2] if world is not None else []
    for officer in officers:
        if officer.id not in {req.applicant_id, manager.id}:
            return officer
    return make_user(roles=("employee", "bri"))


def make_request(
    world: World | None = None,
    status: str = "draft",
    applicant: User | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    cycle: ProgrammeCycle | None = None,
    days: int | None = None,
    length: int = 11,
    country_code: str = "HT",
    partner: PartnerOrganisation | None = None,
    project: Project | None = None,
    project_id: int | None = None,
    amount: str = "2000",
    report: dict | None = None,
    changed_at: datetime | None = None,
    keep_notifications: bool = False,
    **fields,
) -> LeaveRequest:
    """A request of ``applicant`` (the world's applicant by default) brought to ``status``; committed.

    Created and moved through the real services, each step by the right person on a day the rules accept (the
    application day falls inside the cycle's window). Without ``start`` the mission starts on
    :func:`default_start` of ``cycle`` (the world's by default), moved on by four weeks while the applicant already
    has a mission then; ``end``, ``days`` (working days) or ``length`` (calendar days after the start, 11 by default)
    set its end. ``report`` is the text of the report (submitted from ``report_submitted`` on, a draft for
    ``report_due``; with ``decision="returned"`` and ``bri_comment`` in it: submitted, returned with that comment,
    then the draft saved). ``changed_at`` back-dates the last step (both the request's ``status_changed_at`` and
    that step's Transition row).

    The services queue their notifications and e-mails as they go; unless ``keep_notifications``, those of the
    set-up are then dropped, as if read and sent long ago: the tests look at the notifications of the step they
    exercise.
    """
    applicant = applicant or world.applicant
    cycle = cycle or world.cycle
    ensure_country(country_code)
    default_dates = start is None
    start = start or default_start(cycle)

    def span(first: date) -> date:
        if end is not None:
            return end
        if days is not None:
            return end_after_working_days(first, days)
        return first + timedelta(days=length)

    if default_dates and end is None:
        while _overlaps(applicant, start, span(start)):
            start += timedelta(days=7 * 4)
    finish = span(start)
    costs = {k: v for k, v in FORM_DEFAULTS.items() if k.startswith("cost_")}
    data = {
        "cycle_id": cycle.id,
        "country_code": country_code,
        "partner_id": partner.id if partner is not None else None,
        "start_date": start,
        "end_date": finish,
        **{k: v for k, v in FORM_DEFAULTS.items() if not k.startswith(("cost_", "amount_"))},
        "languages": "Français",
        **costs,
        "amount_requested": amount,
    }
    data.update(fields)
    total = sum(Decimal(str(data[k])) for k in costs)
    if Decimal(str(amount)) > total:
        # The amount asked never exceeds the estimated costs: the other costs make up the difference.
        data["cost_other"] = str(Decimal(str(amount)) - total + Decimal(str(data["cost_other"])))
    if project_id is not None:
        project = db.session.get(Project, project_id)
    linked_by_form = project is not None and project.status == ProjectStatus.ACTIVE.value
    if linked_by_form:
        data["project_id"] = project.id
    day = _application_day(cycle, start)
    path = PATHS[status]
    last_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    last_email = db.session.scalar(select(func.max(OutboxEmail.id))) or 0
    if applicant.manager is None and "submit" in path:
        # Nobody submits without a manager: the applicant gets the world's (or a new) one.
        applicant.manager = world.manager if world is not None else make_user(roles=("employee", "manager"))
    manager = applicant.manager
    with cli_request_context():
        req, _ = leave_requests.create_request(applicant, data, today=day)
        if project is not None and not linked_by_form:
            # A project the form does not offer (on hold, planned...): the BRI links the mission on its page.
            project_services.link_request_to_project(req, project, _bri_for(world, req, manager or applicant))
        bri = None
        for step, action in enumerate(path):
            with backdated(changed_at if step == len(path) - 1 else None):
                if action == "submit":
                    leave_requests.submit_request(req, applicant, today=day)
                elif action == "withdraw":
                    leave_requests.withdraw_request(req, applicant, today=day)
                elif action.startswith("manager_"):
                    comment = COMMENT if action != "manager_approve" else ""
                    leave_decisions.manager_decide(req, manager, action, comment=comment, today=day)
                elif action == "bri_approve":
                    bri = _bri_for(world, req, manager)
                    # A destination at level 3 or 4: approved by exception, as the BRI would.
                    excepted = needs_exception(db.session.get(Country, req.country_code).advisory_level)
                    comment = ADVISORY_EXCEPTION_COMMENT if excepted else ""
                    leave_decisions.bri_decide(req, bri, action, comment, today=day, advisory_exception=excepted)
                elif action == "cancel":
                    leave_decisions.cancel_request(req, bri, comment=COMMENT, today=day)
                elif action == "start_mission":
                    start_mission(req, req.start_date)
                elif action == "end_mission":
                    end_mission(req, req.end_date + timedelta(days=1))
                elif action == "submit_report":
                    _write_report(req, applicant, bri, report if report is not None else REPORT_TEXT, submit=True)
                elif action == "accept_report":
                    report_services.accept_report(req, bri, None)
        if status == "report_due" and report is not None:
            _write_report(req, applicant, bri, report, submit=False)
    if changed_at is not None and not path:
        req.status_changed_at = changed_at
    if not keep_notifications:
        db.session.flush()
        db.session.execute(delete(OutboxEmail).where(OutboxEmail.id > last_email))
        db.session.execute(delete(Notification).where(Notification.id > last_notification))
    db.session.commit()
    return req


@contextmanager
def backdated(moment: datetime | None):
    """The workflow's moves inside the block happen at ``moment`` (the history is append-only: a step is dated
    when it is written, never changed afterwards); nothing changes when ``moment`` is None."""
    if moment is None:
        yield
        return
    with mock.patch("app.leave.services.transitions.utcnow", return_value=moment):
        yield


def _report_data(texts: dict) -> report_services.ReportData:
    texts = dict(texts)
    consent = bool(texts.pop("consent_to_quote", False))
    return report_services.ReportData(
        texts={k: v for k, v in texts.items() if k in REPORT_TEXT_FIELDS}, consent_to_quote=consent
    )


def _write_report(req: LeaveRequest, applicant: User, bri: User, texts: dict, submit: bool) -> None:
    """The applicant writes the report (and submits it); a draft after a return is submitted and returned first."""
    texts = dict(texts)
    decision = texts.pop("decision", None)
    comment = texts.pop("bri_comment", "")
    if submit:
        report_services.submit_report(req, _report_data(texts), applicant, None)
        return
    if decision == "returned":
        report_services.submit_report(req, _report_data(REPORT_TEXT), applicant, None)
        report_services.return_report(req, bri, comment or COMMENT, None)
        texts = {name: texts.get(name, "") for name in REPORT_TEXT_FIELDS}
    report_services.save_report(req, _report_data(texts), applicant)


# Travel advisories ------------------------------------------------------------------------------------------------


def set_advisory(
    code: str,
    level: int,
    actor: User | None = None,
    checked_on: date | None = None,
    note_fr: str = "",
    note_en: str = "",
):
    """Record ``code``'s travel advisory through the BRI's service (a history row, the raise's notifications);
    committed. ``actor``: a BRI officer (a new one by default)."""
    actor = actor or make_user(roles=("employee", "bri"))
    data = advisory_services.clean(code, level, checked_on or montreal_today(), note_fr, note_en)
    with cli_request_context():
        change = advisory_services.set_advisory(data, actor)
    db.session.commit()
    return change


# A file the upload store accepts (its type read from its content).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "document.pdf"):
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(PDF), name)


def checklist_data(req: LeaveRequest, key: str, today: date):
    """What an applicant gives to complete the item ``key`` (an item of the cycle: done, with a document)."""
    from app.leave.services.checklist import ItemData

    return {
        "training": ItemData(done_on=today),
        "insurance": ItemData(file=pdf_file("assurance.pdf")),
        "passport": ItemData(expires_on=req.end_date + timedelta(days=400)),
        "visa": ItemData(needed="no"),
        "registration": ItemData(done=True, done_on=today),
        "health": ItemData(done=True),
        "emergency": ItemData(contact_name="Lucie Tremblay", contact_phone="+1 514 555-0199"),
    }.get(key) or ItemData(done=True, file=pdf_file("piece.pdf"))


def complete_checklist(req: LeaveRequest, keys=None, today: date | None = None) -> None:
    """The applicant completes their approved mission's checklist (every item, or ``keys``) through the service;
    committed."""
    from app.leave.checklist import lines_of
    from app.leave.services.checklist import fill_checklist_item

    today = today or min(montreal_today(), req.start_date)
    with cli_request_context():
        for line in lines_of(req):
            if keys is None or line.key in keys:
                fill_checklist_item(req, line.key, checklist_data(req, line.key, today), req.applicant, today)
    db.session.commit()
