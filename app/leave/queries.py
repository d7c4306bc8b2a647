"""The list pages' queries, with eager loading so that the number of SQL statements does not grow with the rows."""

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.leave.delegations import delegators_of
from app.leave.models import LeaveRequest


def _with_people(query: Select) -> Select:
    return query.options(
        joinedload(LeaveRequest.applicant).joinedload(User.department),
        joinedload(LeaveRequest.applicant).joinedload(User.manager),
        joinedload(LeaveRequest.cycle),
        joinedload(LeaveRequest.partner),
    )


def my_requests(user: User) -> Select:
    return _with_people(
        select(LeaveRequest).where(LeaveRequest.applicant_id == user.id).order_by(LeaveRequest.id.desc())
    )


def manager_queue(user: User, day: date) -> Select:
    """Submitted requests of the user's direct reports, and of the managers who delegated to them: oldest first."""
    managers = [user.id, *delegators_of(user, day)]
    return _with_people(
        select(LeaveRequest)
        .join(User, User.id == LeaveRequest.applicant_id)
        .where(
            LeaveRequest.status == "submitted",
            User.manager_id.in_(managers),
            LeaveRequest.applicant_id != user.id,
        )
        .order_by(LeaveRequest.status_changed_at, LeaveRequest.id)
    )


def bri_queue(user: User) -> Select:
    """Manager-approved requests, oldest first (the user's own included, shown without the buttons)."""
    return _with_people(
        select(LeaveRequest)
        .where(LeaveRequest.status == "manager_approved")
        .order_by(LeaveRequest.status_changed_at, LeaveRequest.id)
        .options(selectinload(LeaveRequest.transitions))
    )


def bri_requests(filters: dict) -> Select:
    query = select(LeaveRequest).join(User, User.id == LeaveRequest.applicant_id)
    if filters.get("status"):
        query = query.where(LeaveRequest.status == filters["status"])
    if filters.get("cycle_id"):
        query = query.where(LeaveRequest.cycle_id == filters["cycle_id"])
    if filters.get("country_code"):
        query = query.where(LeaveRequest.country_code == filters["country_code"])
    if filters.get("department_id"):
        query = query.where(User.department_id == filters["department_id"])
    if filters.get("project_id"):
        query = query.where(LeaveRequest.project_id == filters["project_id"])
    if filters.get("q"):
        pattern = f"%{filters['q'].strip().lower()}%"
        query = query.where(or_(LeaveRequest.reference.ilike(pattern), User.full_name.ilike(pattern)))
    return _with_people(query.order_by(LeaveRequest.id.desc())).options(joinedload(LeaveRequest.project))
