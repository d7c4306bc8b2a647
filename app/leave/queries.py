"""The leave domain's reads: the list pages' queries (eager loading, so that the number of SQL statements does not
grow with the rows), the delegations in force, the request page's loading."""

import re
from datetime import date

from sqlalchemy import Select, event, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.accounts.models import User
from app.core.database import montreal_today
from app.core.search import search_words
from app.core.sorting import SortColumn
from app.extensions import db
from app.leave import search as request_search
from app.leave.models import Delegation, LeaveRequest, Transition
from app.leave.workflow import BRI_DECISION_STATUSES, MANAGER_DECISION_STATUSES
from app.reference.models import ProgrammeCycle


def delegators_of(user: User, day: date) -> list[int]:
    """Ids of the managers who delegated to ``user`` for ``day``.

    Remembered until the next flush or the end of the transaction: the view's check and the service's check of
    one decision ask the same, and ask it once."""
    if user is None or not getattr(user, "id", None):
        return []
    session = db.session()
    session.flush()  # a delegation being written counts (and the flush forgets what was remembered)
    transaction = session.get_transaction()
    held = session.info.get("delegators_of")
    memo = held[1] if held is not None and held[0] is transaction and transaction is not None else {}
    key = (user.id, day)
    if key not in memo:
        memo[key] = list(
            db.session.scalars(
                select(Delegation.manager_id).where(
                    Delegation.delegate_id == user.id, Delegation.starts_on <= day, Delegation.ends_on >= day
                )
            ).all()
        )
        if transaction is not None:
            session.info["delegators_of"] = (transaction, memo)
    return list(memo[key])


@event.listens_for(Session, "after_flush")
def _forget_delegators(session: Session, _context) -> None:
    session.info.pop("delegators_of", None)


def has_direct_reports(user: User) -> bool:
    """Whether someone reports to ``user`` (one EXISTS, not the list of the reports)."""
    return bool(db.session.scalar(select(select(User.id).where(User.manager_id == user.id).exists())))


def manager_queue_flag(user: User):
    """SQL: does ``user`` have an "À approuver" page besides their role: a direct report, or a delegation in force
    today (part of the navigation's one statement)."""
    today = montreal_today()
    return or_(
        select(User.id).where(User.manager_id == user.id).exists(),
        select(Delegation.id)
        .where(Delegation.delegate_id == user.id, Delegation.starts_on <= today, Delegation.ends_on >= today)
        .exists(),
    )


def is_delegate_of(user: User, manager_id: int | None, day: date) -> bool:
    return manager_id is not None and manager_id in delegators_of(user, day)


def request_with_details(request_id: int) -> LeaveRequest | None:
    """A request with what its page shows, in three statements: the request with its applicant (their department
    and manager), cycle, partner and project (one statement); its files; its history with who acted. The people's roles
    are not shown on the page: not loaded (a statement per group of people otherwise)."""
    return db.session.scalar(
        select(LeaveRequest)
        .where(LeaveRequest.id == request_id)
        .options(
            joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
            joinedload(LeaveRequest.applicant).joinedload(User.department),
            joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
            joinedload(LeaveRequest.cycle),
            joinedload(LeaveRequest.partner),
            # The relationship is leave's own (the projects domain's fact on the page reads it): named, not imported.
            joinedload(LeaveRequest.project),
            selectinload(LeaveRequest.attachments),
            selectinload(LeaveRequest.transitions).options(
                joinedload(Transition.actor).lazyload(User.role_rows),
                joinedload(Transition.on_behalf_of).lazyload(User.role_rows),
            ),
        )
    )


def request_for_decision(request_id: int) -> LeaveRequest | None:
    """A request with what a decision reads, in one statement: its applicant and their manager (without their
    roles), its cycle, its history (who took the manager's decision)."""
    return (
        db.session.execute(
            select(LeaveRequest)
            .where(LeaveRequest.id == request_id)
            .options(
                joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
                joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
                joinedload(LeaveRequest.cycle),
                joinedload(LeaveRequest.transitions).lazyload("*"),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def _with_people(query: Select) -> Select:
    # The people's roles are not shown in the lists: not loaded (their rows would cost a statement each).
    return query.options(
        joinedload(LeaveRequest.applicant).joinedload(User.department),
        joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
        joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
        joinedload(LeaveRequest.cycle),
        joinedload(LeaveRequest.partner),
    )


# The columns the lists sort by (``?sort=``), each served by an index of ``leave_request`` (migration 0014). The
# reference is unique: it orders alone. "waiting" ascending is the shortest wait first: the latest change first.
BY_REFERENCE = SortColumn("reference", (LeaveRequest.reference,))
BY_DATES = SortColumn("dates", (LeaveRequest.start_date, LeaveRequest.id))
BY_AMOUNT = SortColumn("amount", (LeaveRequest.amount_requested, LeaveRequest.id))
BY_WAITING = SortColumn("waiting", (LeaveRequest.status_changed_at.desc(), LeaveRequest.id.desc()))
MY_SORTS = (BY_REFERENCE, BY_DATES)
QUEUE_SORTS = (BY_REFERENCE, BY_DATES, BY_AMOUNT, BY_WAITING)
QUEUE_DEFAULT = ("waiting", True)  # the queues' own order: the longest waiting first
BRI_LIST_SORTS = (BY_REFERENCE, BY_DATES, BY_AMOUNT)


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


# A reference, whole or its beginning ("CS-2027-00", "2027-00", "cs-2027"): searched by prefix on the reference.
_REFERENCE = re.compile(r"(?:CS-?)?(\d{4}(?:-\d{0,4})?)", re.IGNORECASE)


def bri_requests(filters: dict) -> Select:
    """Every request matching the filters. ``q``: a reference's beginning, or words searched in the request's texts
    and the applicant's and the partner's names (full-text, ``app.leave.search``), the most relevant first;
    otherwise the most recent first."""
    query = select(LeaveRequest).join(User, User.id == LeaveRequest.applicant_id)
    order = [LeaveRequest.id.desc()]
    if filters.get("status"):
        query = query.where(LeaveRequest.status == filters["status"])
    if filters.get("cycle_id"):
        query = query.where(LeaveRequest.cycle_id == filters["cycle_id"])
    if filters.get("country_code"):
        query = query.where(LeaveRequest.country_code == filters["country_code"])
    if filters.get("department_id"):
        query = query.where(User.department_id == filters["department_id"])
    q = (filters.get("q") or "").strip()
    if reference := _REFERENCE.fullmatch(q):
        prefix = f"CS-{reference.group(1)}"
        # The range lets the database walk the reference's unique index; LIKE keeps the match exact whatever the
        # collation. The prefix holds digits and hyphens only: no LIKE wildcard.
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        query = query.where(
            LeaveRequest.reference >= prefix, LeaveRequest.reference < after, LeaveRequest.reference.like(f"{prefix}%")
        )
    elif words := search_words(q):
        query, rank = request_search.matching(query, LeaveRequest.id, words, request_search.REQUEST_GROUPS)
        order = [rank.desc(), LeaveRequest.id.desc()]
    return _with_people(query.order_by(*order))


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
