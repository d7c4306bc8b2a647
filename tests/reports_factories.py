"""Factories of the report tests: a cycle, a partner, the people around a mission, and a request brought to any
status through ``perform`` so that its Transition history is consistent.

Registered as a pytest plugin by ``tests/conftest.py`` (``pytest_plugins``); fixture names are specific to the
report tests so that they do not clash with the leave tests' own factories.
(The leave engineer has their own factories; the lead deduplicates at merge.)
"""

import functools
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.core.database import utcnow
from app.leave.models import LeaveRequest
from app.leave.transitions import perform
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle
from app.reports.models import MissionReport
from tests.conftest import DEFAULT_PASSWORD

_numbers = itertools.count(1)

# The actions that lead from a draft to each status, with who performs them.
PATHS = {
    "draft": [],
    "submitted": [("submit", "applicant")],
    "manager_approved": [("submit", "applicant"), ("manager_approve", "manager")],
    "approved": [("submit", "applicant"), ("manager_approve", "manager"), ("bri_approve", "bri")],
}
PATHS["in_mission"] = [*PATHS["approved"], ("start_mission", None)]
PATHS["report_due"] = [*PATHS["in_mission"], ("end_mission", None)]
PATHS["report_submitted"] = [*PATHS["report_due"], ("submit_report", "applicant")]
PATHS["closed"] = [*PATHS["report_submitted"], ("accept_report", "bri")]

REPORT_TEXT = {
    "activities": "Ateliers de planification urbaine avec la mairie de Jacmel.",
    "results": "Un plan de gestion des déchets adopté par le conseil municipal.",
    "lessons_learned": "Prévoir plus de temps pour les rencontres communautaires.",
    "recommendations_city": "Renouveler la collaboration l'an prochain.",
    "recommendations_partner": "Former une équipe locale de suivi.",
    "testimony": "Une expérience marquante, humaine et professionnelle.",
}


@pytest.fixture
def make_report_cycle(db):
    def make(year: int = 2027, **fields) -> ProgrammeCycle:
        cycle = db.session.query(ProgrammeCycle).filter_by(year=year).one_or_none()
        if cycle is not None:
            return cycle
        values = {
            "year": year,
            "opens_on": date(year - 1, 9, 1),
            "closes_on": date(year - 1, 12, 1),
            "budget_envelope": Decimal("100000.00"),
            "places": 50,
            "min_working_days": 5,
            "max_working_days": 40,
            "min_notice_days": 30,
        }
        values.update(fields)
        cycle = ProgrammeCycle(**values)
        db.session.add(cycle)
        db.session.commit()
        return cycle

    return make


@pytest.fixture
def make_report_partner(db):
    def make(name: str = "Mairie de Jacmel", country_code: str = "HT", **fields) -> PartnerOrganisation:
        if db.session.get(Country, country_code) is None:
            db.session.add(Country(code=country_code, eligible=True))
        partner = PartnerOrganisation(name=name, country_code=country_code, kind="municipality", **fields)
        db.session.add(partner)
        db.session.commit()
        return partner

    return make


@functools.cache
def _fast_hash() -> str:
    # A cheap hash of the suite's password: the report tests create many users.
    return generate_password_hash(DEFAULT_PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def report_user(db):
    """Like ``make_user`` (same password), but without the slow password hashing."""

    def make(roles=("employee",), **fields) -> User:
        n = next(_numbers)
        fields.setdefault("full_name", f"Personne R{n}")
        fields.setdefault("email", f"rapport{n}@example.org")
        fields.setdefault("employee_number", f"R{n:05d}")
        user = User(**fields)
        user.roles = roles
        user.password_hash = _fast_hash()
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def crew(report_user, make_department):
    """An applicant, their manager, two BRI officers, another manager and a colleague."""
    make_user = report_user
    department = make_department(name="Service de l'urbanisme", code="URB")
    manager = make_user(roles=("employee", "manager"), full_name="Marie Gestionnaire", department=department)
    applicant = make_user(full_name="Éloïse Tremblay", manager=manager, department=department)
    return SimpleNamespace(
        department=department,
        manager=manager,
        applicant=applicant,
        bri=make_user(roles=("employee", "bri"), full_name="Bruno Bri"),
        bri2=make_user(roles=("employee", "bri"), full_name="Béatrice Bri"),
        other_manager=make_user(roles=("employee", "manager"), full_name="Omar Autre"),
        colleague=make_user(full_name="Camille Collègue", manager=manager, department=department),
    )


@pytest.fixture
def make_mission(db, crew, make_report_cycle, make_report_partner):
    """``make_mission(status="report_due", applicant=..., end=date(...), changed_at=datetime(...), report={...})``."""
    partners: dict[str, PartnerOrganisation] = {}

    def make(
        status: str = "report_due",
        applicant=None,
        start: date = date(2027, 3, 1),
        end: date = date(2027, 3, 26),
        country: str = "HT",
        partner_name: str = "Mairie de Jacmel",
        year: int | None = None,
        changed_at: datetime | None = None,
        report: dict | None = None,
        **fields,
    ) -> LeaveRequest:
        applicant = applicant or crew.applicant
        actors = {"applicant": applicant, "manager": applicant.manager or crew.manager, "bri": crew.bri}
        key = f"{partner_name}/{country}"
        if key not in partners:
            partners[key] = make_report_partner(partner_name, country)
        cycle = make_report_cycle(year or start.year)
        number = next(_numbers)
        values = {
            "objectives": "Partager l'expertise en urbanisme.",
            "expertise": "Urbanisme participatif",
            "city": "Jacmel",
            "working_days": 20,
            "amount_requested": Decimal("2500.00"),
        }
        values.update(fields)
        req = LeaveRequest(
            reference=f"CS-{cycle.year}-{number:04d}",
            applicant=applicant,
            cycle=cycle,
            country_code=country,
            partner=partners[key],
            start_date=start,
            end_date=end,
            **values,
        )
        db.session.add(req)
        db.session.flush()
        for action, who in PATHS[status]:
            if action == "submit_report" and req.mission_report is None:
                db.session.add(MissionReport(request=req, **(report if report is not None else REPORT_TEXT)))
            perform(req, action, actors[who] if who else None)
            if action == "submit_report":
                req.mission_report.submitted_at = utcnow()
            if action == "accept_report":
                req.mission_report.decision = "accepted"
                req.mission_report.decided_at = utcnow()
                req.mission_report.decided_by = crew.bri
        if status == "report_due" and report is not None:
            db.session.add(MissionReport(request=req, **report))
        if changed_at is not None:
            req.status_changed_at = changed_at
        db.session.commit()
        return req

    return make


def at_noon(day: date) -> datetime:
    """An instant on ``day`` in Montréal (17:00 UTC is noon or 13:00 there)."""
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


def days_after(day: date, n: int) -> date:
    return day + timedelta(days=n)
