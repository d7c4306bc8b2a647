"""Read-only queries of the report pages: the BRI's queue and the archive of closed missions.

Every list loads its rows with their related objects in a constant number of statements (eager loading).
"""

from dataclasses import dataclass

from sqlalchemy import Select, String, and_, cast, extract, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Department, User
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import Project
from app.reference.models import PartnerOrganisation, ProgrammeCycle
from app.reports.models import REPORT_TEXT_FIELDS, MissionReport

# Fields of the request searched by the archive's words.
REQUEST_TEXT_FIELDS = ("reference", "city", "objectives", "expertise", "benefits", "languages")


def _with_relations(query: Select) -> Select:
    return query.options(
        joinedload(LeaveRequest.applicant).joinedload(User.department),
        joinedload(LeaveRequest.partner),
        joinedload(LeaveRequest.cycle),
        joinedload(LeaveRequest.mission_report),
        joinedload(LeaveRequest.project),
    )


def queue_query() -> Select:
    """Reports waiting for the BRI, the longest waiting first."""
    query = select(LeaveRequest).where(LeaveRequest.status == "report_submitted")
    return _with_relations(query).order_by(LeaveRequest.status_changed_at, LeaveRequest.id)


@dataclass
class ArchiveFilters:
    q: str = ""
    country: str = ""
    partner_id: int | None = None
    department_id: int | None = None
    cycle_id: int | None = None
    year: int | None = None
    project_id: int | None = None  # the cooperation project the mission served


def _word_condition(word: str):
    """One word found in any text of the request, its report, the applicant's name or the partner's name
    (case-insensitive LIKE; accents as typed)."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    columns = [getattr(LeaveRequest, name) for name in REQUEST_TEXT_FIELDS]
    columns += [getattr(MissionReport, name) for name in REPORT_TEXT_FIELDS]
    columns += [User.full_name, PartnerOrganisation.name]
    return or_(*(func.lower(cast(column, String)).like(pattern, escape="\\") for column in columns))


def archive_query(filters: ArchiveFilters) -> Select:
    """Closed missions matching every word and every filter, the most recent first."""
    query = (
        select(LeaveRequest)
        .join(User, User.id == LeaveRequest.applicant_id)
        .outerjoin(MissionReport, MissionReport.request_id == LeaveRequest.id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == LeaveRequest.partner_id)
        .where(LeaveRequest.status == "closed")
    )
    words = [w for w in (filters.q or "").split() if w][:10]
    if words:
        query = query.where(and_(*(_word_condition(w) for w in words)))
    if filters.country:
        query = query.where(LeaveRequest.country_code == filters.country)
    if filters.partner_id:
        query = query.where(LeaveRequest.partner_id == filters.partner_id)
    if filters.department_id:
        query = query.where(User.department_id == filters.department_id)
    if filters.cycle_id:
        query = query.where(LeaveRequest.cycle_id == filters.cycle_id)
    if filters.year:
        query = query.where(extract("year", LeaveRequest.start_date) == filters.year)
    if filters.project_id:
        query = query.where(LeaveRequest.project_id == filters.project_id)
    return _with_relations(query).order_by(LeaveRequest.end_date.desc(), LeaveRequest.id.desc())


def archive_choices() -> dict[str, list]:
    """What the archive's filters offer: the values met among closed missions (one statement each)."""
    closed = LeaveRequest.status == "closed"
    countries = db.session.scalars(select(LeaveRequest.country_code).where(closed).distinct()).all()
    partners = db.session.scalars(
        select(PartnerOrganisation)
        .where(PartnerOrganisation.id.in_(select(LeaveRequest.partner_id).where(closed)))
        .order_by(PartnerOrganisation.name)
    ).all()
    departments = db.session.scalars(
        select(Department)
        .where(Department.id.in_(select(User.department_id).join(LeaveRequest, LeaveRequest.applicant_id == User.id)))
        .order_by(Department.name)
    ).all()
    cycles = db.session.scalars(select(ProgrammeCycle).order_by(ProgrammeCycle.year.desc())).all()
    projects = db.session.scalars(
        select(Project).where(Project.id.in_(select(LeaveRequest.project_id).where(closed))).order_by(Project.code)
    ).all()
    return {
        "countries": countries,
        "partners": partners,
        "departments": departments,
        "cycles": cycles,
        "projects": projects,
    }
