"""The list pages measured by the benchmark, each with a function that loads N rows and returns the viewer."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.accounts.models import Department, User
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import FundingLine, Project, Sector
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle
from app.reports.models import MissionReport

PASSWORD = "benchmark-password"


@dataclass
class Page:
    name: str
    path: str
    setup: Callable[[int], User]
    password: str = PASSWORD


def _user(key: str, roles: set[str], **fields) -> User:
    user = User(full_name=f"Personne {key}", email=f"{key}@bench.example", employee_number=f"B-{key}", **fields)
    user.roles = roles
    user.password_hash = "x"
    db.session.add(user)
    return user


def _viewer(roles: set[str]) -> User:
    viewer = _user("viewer", roles)
    viewer.set_password(PASSWORD)
    return viewer


def users_list(size: int) -> User:
    admin = _viewer({"employee", "admin"})
    departments = [Department(name=f"Service {i}", code=f"S{i}") for i in range(10)]
    db.session.add_all(departments)
    for i in range(size):
        _user(str(i), {"employee"}, department=departments[i % 10], manager=admin)
    return admin


def _requests(size: int, status: str, manager: User | None = None) -> list[LeaveRequest]:
    department = Department(name="Service de l'eau", code="EAU")
    cycle = ProgrammeCycle(
        year=2027,
        opens_on=date(2026, 10, 1),
        closes_on=date(2027, 3, 31),
        budget_envelope=Decimal("10000000"),
        places=100000,
        min_working_days=1,
        max_working_days=60,
        min_notice_days=0,
    )
    partner = PartnerOrganisation(name="Mairie de Jacmel", kind="municipality", country_code="HT", city="Jacmel")
    db.session.add_all([department, cycle, partner, Country(code="HT", eligible=True)])
    requests = []
    for i in range(size):
        applicant = _user(f"a{i}", {"employee"}, department=department, manager=manager)
        start = date(2027, 1, 4) + timedelta(days=i % 200)
        req = LeaveRequest(
            reference=f"CS-2027-{i + 1:04d}",
            applicant=applicant,
            cycle=cycle,
            country_code="HT",
            city="Jacmel",
            partner=partner,
            start_date=start,
            end_date=start + timedelta(days=13),
            working_days=10,
            objectives="Gestion des matières résiduelles",
            amount_requested=Decimal("2500.00"),
            status=status,
        )
        db.session.add(req)
        requests.append(req)
    return requests


def bri_requests(size: int) -> User:
    viewer = _viewer({"employee", "bri"})
    _requests(size, "manager_approved")
    return viewer


def manager_queue(size: int) -> User:
    viewer = _viewer({"employee", "manager"})
    _requests(size, "submitted", manager=viewer)
    return viewer


def archive(size: int) -> User:
    viewer = _viewer({"employee", "bri"})
    for req in _requests(size, "closed"):
        db.session.add(MissionReport(request=req, activities="Ateliers", results="Plan adopté", decision="accepted"))
    return viewer


def projects_list(size: int) -> User:
    viewer = _viewer({"employee", "bri"})
    sector = Sector(code="14050", name_fr="Gestion des déchets", name_en="Waste management")
    db.session.add(sector)
    for i in range(size):
        project = Project(
            code=f"HT-{i:04d}",
            title_fr=f"Projet {i}",
            sector=sector,
            status="active",
            start_date=date(2026, 1, 1),
            end_date=date(2027, 12, 31),
            budget=Decimal("100000.00"),
        )
        db.session.add(project)
        db.session.add(FundingLine(project=project, source="federal", amount=Decimal("50000.00")))
    return viewer


PAGES = [
    Page("admin: users", "/admin/utilisateurs?status=all", users_list),
    Page("leave: manager queue", "/conges/a-approuver", manager_queue),
    Page("leave: BRI queue", "/conges/bri/file", bri_requests),
    Page("leave: all requests (BRI)", "/conges/bri/demandes", bri_requests),
    Page("reports: archive", "/rapports/archive", archive),
    Page("projects: list (BRI)", "/projets/", projects_list),
]
