"""The leave domain's reads: the list pages' queries (eager loading, so that the number of SQL statements does not
grow with the rows), the delegations in force, the request page's loading."""

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest, Transition
from app.leave.workflow import BRI_DECISION_STATUSES, MANAGER_DECISION_STATUSES
from app.reference.models import ProgrammeCycle


def delegators_of(user: User, day: date) -> list[int]:
    """Ids of the managers who delegated to ``user`` for ``day``."""
    if user is None or not getattr(user, "id", None):
        return []
    return list(
        db.session.scalars(
            select(Delegation.manager_id).where(
                Delegation.delegate_id == user.id, Delegation.starts_on <= day, Delegation.ends_on >= day
            )
        ).all()
    )


def is_delegate_of(user: User, manager_id: int | None, day: date) -> bool:
    return manager_id is not None and manager_id in delegators_of(user, day)


def request_with_details(request_id: int) -> LeaveRequest | None:
    """A request with what its page shows (people, cycle, partner, files, history)."""
    return db.session.scalar(
        select(LeaveRequest)
        .where(LeaveRequest.id == request_id)
        .options(
            joinedload(LeaveRequest.applicant),
            joinedload(LeaveRequest.cycle),
            joinedload(LeaveRequest.partner),
            selectinload(LeaveRequest.attachments),
            selectinload(LeaveRequest.transitions).joinedload(Transition.actor),
            selectinload(LeaveRequest.transitions).joinedload(Transition.on_behalf_of),
        )
    )


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
            LeaveRequest.status.in_(MANAGER_DECISION_STATUSES),
            User.manager_id.in_(managers),
            LeaveRequest.applicant_id != user.id,
        )
        .order_by(LeaveRequest.status_changed_at, LeaveRequest.id)
    )


def bri_queue(user: User) -> Select:
    """Manager-approved requests, oldest first (the user's own included, shown without the buttons)."""
    return _with_people(
        select(LeaveRequest)
        .where(LeaveRequest.status.in_(BRI_DECISION_STATUSES))
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
    if filters.get("q"):
        pattern = f"%{filters['q'].strip().lower()}%"
        query = query.where(or_(LeaveRequest.reference.ilike(pattern), User.full_name.ilike(pattern)))
    return _with_people(query.order_by(LeaveRequest.id.desc()))


def delegations_given(user: User) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation).where(Delegation.manager_id == user.id).order_by(Delegation.starts_on.desc())
        )
    )


def delegations_received(user: User) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation).where(Delegation.delegate_id == user.id).order_by(Delegation.starts_on.desc())
        )
    )


def cycles_waiting_for_bri() -> list[ProgrammeCycle]:
    """The cycles of the requests waiting for the BRI's decision."""
    waiting = select(LeaveRequest.cycle_id).where(LeaveRequest.status.in_(BRI_DECISION_STATUSES))
    return list(
        db.session.scalars(select(ProgrammeCycle).where(ProgrammeCycle.id.in_(waiting)).order_by(ProgrammeCycle.year))
    )
