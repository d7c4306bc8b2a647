"""Factories for the leave tests: a small world of people, a cycle open today, requests in any status.

Requests reach their status through :func:`perform`, acting as the right person, so that their history is the one
the application would have written.
"""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.core.database import montreal_today
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest
from app.leave.references import next_reference
from app.leave.rules import working_days
from app.leave.transitions import perform
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle

_years = itertools.count(3000)

# The actions that lead to each status from a draft, and who takes them.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "changes_requested": ["submit", "manager_request_changes"],
    "manager_approved": ["submit", "manager_approve"],
    "approved": ["submit", "manager_approve", "bri_approve"],
    "in_mission": ["submit", "manager_approve", "bri_approve", "start_mission"],
    "report_due": ["submit", "manager_approve", "bri_approve", "start_mission", "end_mission"],
    "report_submitted": ["submit", "manager_approve", "bri_approve", "start_mission", "end_mission", "submit_report"],
    "closed": [
        "submit",
        "manager_approve",
        "bri_approve",
        "start_mission",
        "end_mission",
        "submit_report",
        "accept_report",
    ],
    "rejected": ["submit", "manager_reject"],
    "withdrawn": ["withdraw"],
    "cancelled": ["submit", "manager_approve", "bri_approve", "cancel"],
}

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


def make_cycle(**fields) -> ProgrammeCycle:
    today = montreal_today()
    fields.setdefault("year", next(_years))
    fields.setdefault("opens_on", today - timedelta(days=30))
    fields.setdefault("closes_on", today + timedelta(days=60))
    fields.setdefault("budget_envelope", Decimal("100000"))
    fields.setdefault("places", 10)
    fields.setdefault("min_working_days", 1)
    fields.setdefault("max_working_days", 40)
    fields.setdefault("min_notice_days", 10)
    cycle = ProgrammeCycle(**fields)
    db.session.add(cycle)
    db.session.commit()
    return cycle


def ensure_country(code: str = "HT", eligible: bool = True) -> Country:
    country = db.session.get(Country, code)
    if country is None:
        country = Country(code=code, eligible=eligible)
        db.session.add(country)
        db.session.commit()
    return country


def make_partner(country: str = "HT", name: str = "Mairie de Jacmel") -> PartnerOrganisation:
    ensure_country(country)
    partner = PartnerOrganisation(name=name, kind="municipality", country_code=country, city="Jacmel")
    db.session.add(partner)
    db.session.commit()
    return partner


def actor_for(action: str, world: "World"):
    if action in {"submit", "withdraw", "submit_report"}:
        return world.applicant
    if action.startswith("manager_"):
        return world.manager
    if action in {"start_mission", "end_mission"}:
        return None
    return world.bri


def make_request(world: "World", status: str = "draft", applicant=None, start: date | None = None, **fields):
    """A request of ``applicant`` (the world's applicant by default) brought to ``status``; committed."""
    ensure_country(fields.get("country_code", "HT"))
    start = start or montreal_today() + timedelta(days=40)
    end = fields.pop("end", start + timedelta(days=11))
    cycle = fields.pop("cycle", world.cycle)
    req = LeaveRequest(
        reference=next_reference(cycle.year),
        applicant=applicant or world.applicant,
        cycle=cycle,
        country_code=fields.pop("country_code", "HT"),
        city="Jacmel",
        start_date=start,
        end_date=end,
        working_days=working_days(start, end),
        objectives="Former l'équipe technique.",
        expertise="Urbanisme",
        benefits="Partage d'expérience",
        languages="Français",
        cost_transport=Decimal("1200"),
        cost_lodging=Decimal("900"),
        cost_per_diem=Decimal("500"),
        cost_other=Decimal("0"),
        amount_requested=Decimal(fields.pop("amount", "2000")),
        status="draft",
        **fields,
    )
    db.session.add(req)
    db.session.flush()
    for action in PATHS[status]:
        actor = actor_for(action, world)
        if applicant is not None and actor is world.applicant:
            actor = applicant
        perform(
            req,
            action,
            actor,
            comment="Motif." if action in {"manager_reject", "cancel", "manager_request_changes"} else "",
        )
    db.session.commit()
    return req


def form_data(world: "World", **overrides) -> dict:
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


def delegate(manager, delegate_user, starts_on: date, ends_on: date) -> Delegation:
    delegation = Delegation(manager=manager, delegate=delegate_user, starts_on=starts_on, ends_on=ends_on)
    db.session.add(delegation)
    db.session.commit()
    return delegation


@dataclass
class World:
    applicant: object
    manager: object
    colleague: object
    other_manager: object
    delegate: object
    bri: object
    bri2: object
    admin: object
    cycle: ProgrammeCycle


_HASH: list[str] = []
_people = itertools.count(1)


def fast_user(roles=("employee",), **fields):
    """A committed user whose password is DEFAULT_PASSWORD under a cheap hash (the suite creates many)."""
    from werkzeug.security import generate_password_hash

    from app.accounts.models import User
    from tests.conftest import DEFAULT_PASSWORD

    if not _HASH:
        _HASH.append(generate_password_hash(DEFAULT_PASSWORD, method="pbkdf2:sha256:1000"))
    n = next(_people)
    fields.setdefault("full_name", f"Personne {n}")
    fields.setdefault("email", f"leave{n}@example.org")
    fields.setdefault("employee_number", f"L{n:05d}")
    user = User(password_hash=_HASH[0], **fields)
    user.roles = roles
    db.session.add(user)
    db.session.commit()
    return user


def client_for(app, user):
    """A new test client logged in as ``user``."""
    from tests.conftest import DEFAULT_PASSWORD

    client = app.test_client()
    response = client.post("/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def make_world(make_user=None, make_department=None) -> World:
    make_user = fast_user
    dept = make_department(name="Service de l'urbanisme", code="URB")
    manager = make_user(roles=("employee", "manager"), full_name="Bernard Lachance", department=dept)
    other_manager = make_user(roles=("employee", "manager"), full_name="Hélène Côté", department=dept)
    applicant = make_user(full_name="Jean-Robert Désir", manager=manager, department=dept)
    colleague = make_user(full_name="Nadia Ferland", manager=manager, department=dept)
    delegate_user = make_user(full_name="Thomas Bergeron", manager=other_manager, department=dept)
    bri = make_user(roles=("employee", "bri"), full_name="Rodrigue Saint-Fleur", language="fr")
    bri2 = make_user(roles=("employee", "bri"), full_name="Mireille Okafor", language="en")
    admin = make_user(roles=("employee", "admin"), full_name="Aline Admin")
    ensure_country("HT")
    return World(applicant, manager, colleague, other_manager, delegate_user, bri, bri2, admin, make_cycle())
