"""Factories of the projects tests: plain functions that add rows and commit (the database comes from the
``db`` fixture of tests/conftest.py)."""

import itertools
from datetime import date
from decimal import Decimal
from html import unescape

from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import Expenditure, FundingLine, Milestone, Project, ProjectPartner, Sector
from app.reference.models import PartnerOrganisation, ProgrammeCycle

_counter = itertools.count(1)


def text(response) -> str:
    """The page's text with entities decoded and Babel's non-breaking spaces made plain."""
    return unescape(response.get_data(as_text=True)).replace("\u00a0", " ").replace("\u202f", " ")


def create_sector(code: str | None = None, **fields) -> Sector:
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


def create_partner(**fields) -> PartnerOrganisation:
    n = next(_counter)
    fields.setdefault("name", f"Mairie fictive {n}")
    fields.setdefault("kind", "municipality")
    fields.setdefault("country_code", "HT")
    fields.setdefault("city", "Léogâne")
    partner = PartnerOrganisation(**fields)
    db.session.add(partner)
    db.session.commit()
    return partner


def create_project(sector: Sector | None = None, **fields) -> Project:
    n = next(_counter)
    fields.setdefault("code", f"HT-TEST-{n}")
    fields.setdefault("title_fr", f"Projet d'essai {n}")
    fields.setdefault("status", "active")
    fields.setdefault("start_date", date(2026, 1, 1))
    fields.setdefault("end_date", date(2027, 12, 31))
    fields.setdefault("budget", Decimal("100000.00"))
    fields.setdefault("locality", "Petit-Goâve")
    project = Project(sector=sector or create_sector(), **fields)
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


def create_cycle(year: int = 2026, daily_rate: Decimal | None = None) -> ProgrammeCycle:
    cycle = ProgrammeCycle(
        year=year,
        opens_on=date(year - 1, 9, 1),
        closes_on=date(year - 1, 12, 1),
        budget_envelope=Decimal("500000.00"),
        places=20,
        min_working_days=5,
        max_working_days=60,
        min_notice_days=30,
        daily_rate=daily_rate,
    )
    db.session.add(cycle)
    db.session.commit()
    return cycle


def create_request(applicant, cycle: ProgrammeCycle, status: str = "approved", working_days: int = 10, **fields):
    n = next(_counter)
    fields.setdefault("reference", f"CS-{cycle.year}-{n:04d}")
    fields.setdefault("country_code", "HT")
    fields.setdefault("city", "Léogâne")
    fields.setdefault("start_date", date(cycle.year, 3, 2))
    fields.setdefault("end_date", date(cycle.year, 3, 13))
    req = LeaveRequest(applicant_id=applicant.id, cycle_id=cycle.id, status=status, working_days=working_days, **fields)
    db.session.add(req)
    db.session.commit()
    return req
