"""Read-only queries of the report pages (the BRI's queue, the archive of closed missions, a report's history, the
home card).

Every list loads its rows with their related objects in a constant number of statements (eager loading).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, Select, extract, literal, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.core.pagination import capped_count_query
from app.core.registry import ListExtension
from app.core.search import search_words
from app.core.sorting import SortColumn
from app.extensions import db
from app.leave import search as request_search
from app.leave.models import LeaveRequest, Transition
from app.leave.queries import home_rows, list_row_options
from app.leave.workflow import FINAL_STATUSES, REPORT_STATUSES
from app.reports.models import MissionReport


def _with_relations(query: Select) -> Select:
    return query.options(
        *list_row_options(
            joinedload(LeaveRequest.applicant).joinedload(User.department),
            joinedload(LeaveRequest.partner),
            joinedload(LeaveRequest.cycle),
        ),
        # The report's texts are read on its own page, not in a list.
        joinedload(LeaveRequest.mission_report).defer(MissionReport.activities),
        joinedload(LeaveRequest.mission_report).defer(MissionReport.results),
        joinedload(LeaveRequest.mission_report).defer(MissionReport.lessons_learned),
        joinedload(LeaveRequest.mission_report).defer(MissionReport.recommendations_city),
        joinedload(LeaveRequest.mission_report).defer(MissionReport.recommendations_partner),
        joinedload(LeaveRequest.mission_report).defer(MissionReport.testimony),
    )


# The columns the queue and the archive sort by (``?sort=``), each served by an index on (status, ...).
BY_REFERENCE = SortColumn("reference", (LeaveRequest.reference,))
BY_RETURN = SortColumn("return", (LeaveRequest.end_date, LeaveRequest.id))
BY_SUBMITTED = SortColumn("submitted", (LeaveRequest.status_changed_at, LeaveRequest.id))
QUEUE_SORTS = (BY_REFERENCE, BY_RETURN, BY_SUBMITTED)
QUEUE_DEFAULT = ("submitted", False)
ARCHIVE_SORTS = (BY_REFERENCE, BY_RETURN)
ARCHIVE_DEFAULT = ("return", True)  # without words: the latest missions first


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


def archive_query(filters: ArchiveFilters, extended: Sequence[tuple[ListExtension, object]] = ()) -> Select:
    """Closed missions matching every word and every filter: with words the most relevant first (full-text search
    of the request's and its report's texts, the applicant's and the partner's names: ``app.leave.search``),
    otherwise the most recent first.

    ``extended``: the filters that the domains above add to the archive ("reports.archive"), with their values.
    """
    query = select(LeaveRequest).join(User, User.id == LeaveRequest.applicant_id).where(LeaveRequest.status == "closed")
    order = [LeaveRequest.end_date.desc(), LeaveRequest.id.desc()]
    words = search_words(filters.q)
    if words:
        query, rank = request_search.matching(query, LeaveRequest.id, words)
        order = [rank.desc(), LeaveRequest.id.desc()]
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
    for extension, value in extended:
        if value:
            query = extension.apply(query, value)
        query = extension.load(query)
    return _with_relations(query).order_by(*order)


# The moves of a request that belong to its report's life, shown in the report's history.
REPORT_ACTIONS = ("end_mission", "submit_report", "return_report", "accept_report")


def request_with_report(request_id: int) -> LeaveRequest | None:
    """A request with what its report page shows, in two statements: the request with its report, applicant (and
    department), partner and cycle; then its files. The users' roles are not shown: not loaded."""
    return db.session.scalar(
        select(LeaveRequest)
        .where(LeaveRequest.id == request_id)
        .options(
            joinedload(LeaveRequest.applicant).joinedload(User.department),
            joinedload(LeaveRequest.applicant).lazyload(User.role_rows),
            joinedload(LeaveRequest.partner),
            joinedload(LeaveRequest.cycle),
            joinedload(LeaveRequest.mission_report),
            selectinload(LeaveRequest.attachments),
        )
    )


def report_history(req: LeaveRequest) -> list[Transition]:
    """The report's moves with who made them (one statement; the actors' roles are not shown: not loaded)."""
    return list(
        db.session.scalars(
            select(Transition)
            .options(
                joinedload(Transition.actor).lazyload(User.role_rows),
                joinedload(Transition.on_behalf_of).lazyload(User.role_rows),
            )
            .where(Transition.request_id == req.id, Transition.action.in_(REPORT_ACTIONS))
            .order_by(Transition.id)
        )
    )


def reports_owed_by(user: User) -> list[Row]:
    """The user's missions whose report is expected or under review, the oldest return first (home page card; at
    most ``HOME_LIST``)."""
    query = select(LeaveRequest).where(
        LeaveRequest.applicant_id == user.id, LeaveRequest.status.in_(REPORT_STATUSES - FINAL_STATUSES)
    )
    return home_rows(query, LeaveRequest.end_date, LeaveRequest.id)


def _to_review() -> Select:
    return select(LeaveRequest).where(LeaveRequest.status == "report_submitted")


def to_review_count(user: User):
    """SQL: how many reports wait for the BRI's review (capped; zero for a reader who is not a BRI officer)."""
    if not user.has_role(Role.BRI):
        return literal(0)
    return capped_count_query(_to_review()).scalar_subquery()


def to_review_first() -> list[Row]:
    """The reports waiting longest for the BRI's review (home page)."""
    return home_rows(_to_review(), LeaveRequest.status_changed_at, LeaveRequest.id)
