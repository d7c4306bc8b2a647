"""The leave domain's reads: the list pages' queries (eager loading, so that the number of SQL statements does not
grow with the rows), the delegations in force, the request page's loading."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Row, Select, event, func, literal, or_, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from app.accounts.models import Role, User
from app.core.database import montreal_today
from app.core.pagination import capped_count_query
from app.core.search import search_words
from app.core.sorting import SortColumn
from app.extensions import db
from app.leave import checklist
from app.leave import search as request_search
from app.leave.models import MAX_MISSION_DAYS, Delegation, LeaveRequest, PartnerConfirmation, Transition
from app.leave.workflow import (
    ACTIVE_STATUSES,
    BRI_DECISION_STATUSES,
    COMMITTED_STATUSES,
    MANAGER_DECISION_STATUSES,
    REPORT_STATUSES,
)
from app.reference.models import PartnerContact, ProgrammeCycle


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
    and manager), cycle, partner, project and host partner's confirmations (one statement); its files; its history
    with who acted. The people's roles are not shown on the page: not loaded (a statement per group of people
    otherwise)."""
    confirmation = joinedload(LeaveRequest.partner_confirmations)
    return (
        db.session.execute(
            select(LeaveRequest)
            .where(LeaveRequest.id == request_id)
            .options(
                joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
                joinedload(LeaveRequest.applicant).joinedload(User.department),
                joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
                joinedload(LeaveRequest.cycle),
                joinedload(LeaveRequest.partner),
                # The relationship is leave's own (the projects domain's fact on the page reads it): named, not
                # imported.
                joinedload(LeaveRequest.project),
                selectinload(LeaveRequest.attachments),
                *checklist.readiness_options(),
                # The host partner's confirmations, a few rows at most (the panel shows the latest, who sent or recorded
                # it): joined, so that the decision panel costs no statement of its own.
                confirmation.joinedload(PartnerConfirmation.sent_by).lazyload(User.role_rows),
                confirmation.joinedload(PartnerConfirmation.recorded_by).lazyload(User.role_rows),
                selectinload(LeaveRequest.transitions).options(
                    joinedload(Transition.actor).lazyload(User.role_rows),
                    joinedload(Transition.on_behalf_of).lazyload(User.role_rows),
                ),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def active_contacts(partner_id: int | None) -> list[PartnerContact]:
    """The host partner's contacts a confirmation link may be sent to, in order."""
    if partner_id is None:
        return []
    return list(
        db.session.scalars(
            select(PartnerContact)
            .where(PartnerContact.partner_id == partner_id, PartnerContact.active.is_(True))
            .order_by(PartnerContact.id)
        )
    )


def request_for_decision(request_id: int) -> LeaveRequest | None:
    """A request with what a decision reads, in one statement: its applicant and their manager (without their
    roles), its cycle, its destination's travel advisory, its history (who took the manager's decision)."""
    return (
        db.session.execute(
            select(LeaveRequest)
            .where(LeaveRequest.id == request_id)
            .options(
                joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
                joinedload(LeaveRequest.applicant).joinedload(User.manager).lazyload(User.role_rows),
                joinedload(LeaveRequest.cycle),
                joinedload(LeaveRequest.destination),
                joinedload(LeaveRequest.transitions).lazyload("*"),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def request_row_options() -> tuple:
    """The request's long texts and secrets, which no list shows, left unread."""
    return tuple(
        defer(column)
        for column in (
            LeaveRequest.objectives,
            LeaveRequest.expertise,
            LeaveRequest.benefits,
            LeaveRequest.languages,
            LeaveRequest.creation_token,
        )
    )


def list_row_options(*relations) -> tuple:
    """What a list's row needs of a request and its applicant: their long texts and secrets are not shown in any
    list, so they are not read (a list of twenty rows then moves a tenth of the bytes). ``relations`` are the
    options of the joined rows; the applicant's roles are not shown either, and not loaded (their rows would cost a
    statement each)."""
    applicant = joinedload(LeaveRequest.applicant)
    return (
        *request_row_options(),
        applicant.defer(User.password_hash),
        applicant.defer(User.session_token),
        applicant.lazyload(User.role_rows),
        *relations,
    )


def _with_people(query: Select) -> Select:
    manager = joinedload(LeaveRequest.applicant).joinedload(User.manager)
    return query.options(
        *list_row_options(
            joinedload(LeaveRequest.applicant).joinedload(User.department),
            manager.lazyload(User.role_rows),
            manager.load_only(User.id, User.full_name),
            joinedload(LeaveRequest.cycle),
            joinedload(LeaveRequest.partner),
        )
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


def missions_to_prepare() -> Select:
    """The BRI's queue, ``?liste=preparatifs``: the approved missions the daily job will not start for their
    checklist, the soonest departure first, with their readiness."""
    return _with_people(checklist.to_prepare())


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
    query = select(LeaveRequest)
    order = [LeaveRequest.id.desc()]
    if filters.get("status"):
        query = query.where(LeaveRequest.status == filters["status"])
    if filters.get("cycle_id"):
        query = query.where(LeaveRequest.cycle_id == filters["cycle_id"])
    if filters.get("country_code"):
        query = query.where(LeaveRequest.country_code == filters["country_code"])
    if filters.get("department_id"):  # the applicant's: joined only then (the count then reads one index)
        query = query.join(User, User.id == LeaveRequest.applicant_id).where(
            User.department_id == filters["department_id"]
        )
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


# The home page: what waits for the reader. Each number is one expression of the navigation's statement
# (``registry.add_home_count``); each short list is one statement of at most HOME_LIST rows, of columns only.

HOME_LIST = 5
# The requests an applicant still follows before the mission's report (the report card shows the rest).
UNDER_WAY_STATUSES = sorted(ACTIVE_STATUSES - REPORT_STATUSES)


def _decided_by_manager(user: User, today: date) -> Select:
    """The requests waiting for ``user`` as manager: of their direct reports and of the managers who delegated to
    them ``today``, never their own (the delegations as a subquery: no statement of their own)."""
    delegators = select(Delegation.manager_id).where(
        Delegation.delegate_id == user.id, Delegation.starts_on <= today, Delegation.ends_on >= today
    )
    team = select(User.id).where(or_(User.manager_id == user.id, User.manager_id.in_(delegators)))
    return select(LeaveRequest).where(
        LeaveRequest.status.in_(MANAGER_DECISION_STATUSES),
        LeaveRequest.applicant_id.in_(team),
        LeaveRequest.applicant_id != user.id,
    )


def _waiting_for_bri() -> Select:
    return select(LeaveRequest).where(LeaveRequest.status.in_(BRI_DECISION_STATUSES))


def _under_way(user: User) -> Select:
    return select(LeaveRequest).where(LeaveRequest.applicant_id == user.id, LeaveRequest.status.in_(UNDER_WAY_STATUSES))


def to_decide_count(user: User):
    """SQL: how many requests wait for ``user``'s decision as manager or delegate (capped, home page)."""
    return capped_count_query(_decided_by_manager(user, montreal_today())).scalar_subquery()


def bri_waiting_count(user: User):
    """SQL: how many requests wait for the BRI's decision (capped; zero for a reader who is not a BRI officer)."""
    if not user.has_role(Role.BRI):
        return literal(0)
    return capped_count_query(_waiting_for_bri()).scalar_subquery()


def under_way_count(user: User):
    """SQL: how many of ``user``'s requests are under way (home page)."""
    return capped_count_query(_under_way(user)).scalar_subquery()


def home_rows(query: Select, *order) -> list[Row]:
    """The first HOME_LIST rows of ``query`` in ``order``: id, reference, status, dates, since when it waits, and
    the applicant's name (columns only: no object, no relationship loaded)."""
    query = query.with_only_columns(
        LeaveRequest.id,
        LeaveRequest.reference,
        LeaveRequest.status,
        LeaveRequest.start_date,
        LeaveRequest.end_date,
        LeaveRequest.status_changed_at,
        User.full_name.label("applicant"),
    ).join(User, User.id == LeaveRequest.applicant_id)
    return list(db.session.execute(query.order_by(*order).limit(HOME_LIST)).all())


def to_decide_first(user: User, today: date) -> list[Row]:
    """The oldest requests waiting for ``user`` as manager or delegate."""
    return home_rows(_decided_by_manager(user, today), LeaveRequest.status_changed_at, LeaveRequest.id)


def bri_waiting_first() -> list[Row]:
    """The oldest requests waiting for the BRI."""
    return home_rows(_waiting_for_bri(), LeaveRequest.status_changed_at, LeaveRequest.id)


def under_way_first(user: User) -> list[Row]:
    """``user``'s requests under way, the next mission first."""
    return home_rows(_under_way(user), LeaveRequest.start_date, LeaveRequest.id)


@dataclass(frozen=True)
class CycleBudget:
    """What is left of a cycle's envelope and places (the BRI's home page)."""

    cycle: ProgrammeCycle
    budget_left: Decimal
    places_left: int


def open_cycle_budget(today: date) -> CycleBudget | None:
    """The most recent cycle taking applications ``today``, with what its committed requests leave of its envelope
    and places: one statement (the sums are correlated subqueries over the cycle's requests)."""
    committed = (LeaveRequest.cycle_id == ProgrammeCycle.id, LeaveRequest.status.in_(COMMITTED_STATUSES))
    spent = select(func.coalesce(func.sum(LeaveRequest.amount_requested), 0)).where(*committed).scalar_subquery()
    taken = select(func.count()).select_from(LeaveRequest).where(*committed).scalar_subquery()
    row = db.session.execute(
        select(ProgrammeCycle, spent, taken)
        .where(ProgrammeCycle.opens_on <= today, ProgrammeCycle.closes_on >= today)
        .order_by(ProgrammeCycle.year.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    cycle, amount, count = row
    return CycleBudget(cycle, cycle.budget_envelope - Decimal(amount), cycle.places - int(count))


# Who is away: the missions approved or under way, and the requests still waiting for a decision.
AWAY_CONFIRMED = ("approved", "in_mission")
AWAY_PENDING = tuple(sorted(MANAGER_DECISION_STATUSES | BRI_DECISION_STATUSES))
# How many of the others away the decision panel names (then "and N others").
CLASHES_SHOWN = 5


def away_between(first: date, last: date, statuses) -> Select:
    """The requests in ``statuses`` whose dates overlap ``first``..``last`` (id, reference, applicant, dates,
    status, country, city), to cut with :func:`first_away`. No mission lasts longer than ``MAX_MISSION_DAYS``: the
    end dates are bounded on both sides, so that the ``(status, end_date, id)`` index reads only the rows around
    the dates, whatever the size of the table."""
    return select(
        LeaveRequest.id,
        LeaveRequest.reference,
        LeaveRequest.applicant_id,
        LeaveRequest.start_date,
        LeaveRequest.end_date,
        LeaveRequest.status,
        LeaveRequest.country_code,
        LeaveRequest.city,
    ).where(
        LeaveRequest.status.in_(statuses),
        LeaveRequest.start_date <= last,
        LeaveRequest.end_date >= first,
        LeaveRequest.end_date <= last + timedelta(days=MAX_MISSION_DAYS),
    )


def first_away(query: Select, limit: int) -> Select:
    """The first ``limit`` rows of an :func:`away_between` query, soonest first, with the applicant's name: the
    people are read for those rows only (by their primary key), not joined to every row of the range."""
    # The range is read on its own first (a MATERIALIZED common table expression, PostgreSQL and SQLite alike):
    # asked for it sorted by start date, the planner would walk the start-date index of the whole table (the BRI's
    # list sorts by it) and filter every row before the date instead of reading the range from (status, end_date).
    away = query.cte("away").prefix_with("MATERIALIZED")
    rows = select(away).order_by(away.c.start_date, away.c.id).limit(limit).subquery()
    return (
        select(rows, User.full_name).join(User, User.id == rows.c.applicant_id).order_by(rows.c.start_date, rows.c.id)
    )


def people_of_department(department_id: int) -> Select:
    return select(User.id).where(User.department_id == department_id)


@dataclass(frozen=True)
class Clashes:
    """The others of the department away on overlapping dates: the first ones, and how many in all."""

    shown: list
    total: int

    @property
    def others(self) -> int:
        return self.total - len(self.shown)

    @staticmethod
    def is_pending(row) -> bool:
        return row.status in AWAY_PENDING


def clashes(req: LeaveRequest) -> Clashes:
    """Who else of the applicant's department is away (approved, on mission or pending) during ``req``'s dates: one
    statement, the count of all of them alongside the first :data:`CLASHES_SHOWN`."""
    department_id = req.applicant.department_id if req.applicant else None
    if department_id is None:
        return Clashes([], 0)
    query = (
        away_between(req.start_date, req.end_date, (*AWAY_CONFIRMED, *AWAY_PENDING))
        .add_columns(func.count().over().label("total"))
        .where(
            LeaveRequest.applicant_id.in_(people_of_department(department_id)),
            LeaveRequest.applicant_id != req.applicant_id,
        )
    )
    rows = db.session.execute(first_away(query, CLASHES_SHOWN)).all()
    return Clashes(rows, rows[0].total if rows else 0)
