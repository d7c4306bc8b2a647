"""The programme's figures for a chosen cycle or year: aggregates with GROUP BY over the filtered requests.

A page of figures costs a fixed number of statements whatever the number of requests:

1. :func:`budget` — the envelope and places of the chosen cycles and what their committed requests hold;
2. :func:`breakdowns` — one ``UNION ALL`` of the groups (by status, destination country, department, linked project,
   sector, partner; the funnel of the stages reached, from the Transition rows; the missions of each cycle of the
   programme's history), each group cut to its largest rows;
3. :func:`app.programme.steps.step_times` and 4. :func:`app.programme.steps.waiting_longest`.

Every sum of money is taken in whole cents (exact on SQLite, which has no decimal type).

The filtered set is narrowed through ``leave_request.cycle_id`` (its index), the chosen cycles given as a list of ids:
a year selects the cycles whose period overlaps it, then the missions starting in it. The Transition rows of the set
are read by the range of its ids (:func:`transitions_of`); the history only counts, from the index
``(cycle_id, status, id)``. ``tests/integration/test_programme_plans.py`` checks the plans on PostgreSQL.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, String, and_, case, cast, func, literal_column, null, select, union_all

from app.accounts.models import User
from app.core.cache import cached
from app.core.database import montreal_today
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.workflow import BRI_DECISION_STATUSES, COMMITTED_STATUSES, MANAGER_DECISION_STATUSES
from app.projects.models import Project
from app.reference.models import PartnerOrganisation, ProgrammeCycle
from app.reference.queries import cycle_choices

PENDING_STATUSES = MANAGER_DECISION_STATUSES | BRI_DECISION_STATUSES
# The stages of the funnel, in the order a request reaches them.
FUNNEL = ("submitted", "manager_approved", "approved", "in_mission", "report_due", "closed")
TOP = 10  # the rows of each group a dashboard shows (the others are summed as "other")


@dataclass(frozen=True)
class Filters:
    """What the dashboard counts: the requests of a cycle and/or of the missions starting in a year, of a department,
    to a country. ``cycle_id`` or ``year`` is always set once :func:`resolve` has run (unless there is no cycle)."""

    cycle_id: int | None = None
    year: int | None = None
    department_id: int | None = None
    country: str | None = None


def default_cycle_id(today: date | None = None) -> int | None:
    """The cycle of this year, else the newest (from the reference cache: no statement)."""
    choices = cycle_choices()
    year = (today or montreal_today()).year
    return next((cid for cid, y in choices if y == year), choices[0][0] if choices else None)


def resolve(filters: Filters) -> Filters:
    """``filters`` with the default cycle when neither a cycle nor a year was chosen."""
    if filters.cycle_id or filters.year:
        return filters
    return Filters(default_cycle_id(), None, filters.department_id, filters.country)


def cycle_year(cycle_id: int | None) -> int | None:
    return dict(cycle_choices()).get(cycle_id)


def cycle_periods() -> tuple[tuple[int, date, date], ...]:
    """(id, first day, last day) of every cycle's missions, from the reference cache (rebuilt after a change of
    ``programme_cycle``: see the blueprint's ``watch``)."""
    query = select(ProgrammeCycle.id, ProgrammeCycle.period_start, ProgrammeCycle.period_end)
    return cached("programme-cycle-periods", lambda: tuple(tuple(row) for row in db.session.execute(query)))


def chosen_cycle_ids(filters: Filters) -> list[int]:
    """The cycles of the filters: the chosen one, and those whose period overlaps the chosen year. Given to the
    database as a list of ids, so that PostgreSQL reads the index of ``leave_request.cycle_id`` (a subquery on the
    periods would hide how few they are)."""
    ids = []
    for cycle_id, first, last in cycle_periods():
        if filters.cycle_id and cycle_id != filters.cycle_id:
            continue
        if filters.year and not (first <= date(filters.year, 12, 31) and last >= date(filters.year, 1, 1)):
            continue
        ids.append(cycle_id)
    return ids


def _period(filters: Filters) -> list:
    """The conditions of the chosen cycles and year (not the department and country)."""
    conditions = [LeaveRequest.cycle_id.in_(chosen_cycle_ids(filters))]
    if filters.year:
        conditions.append(LeaveRequest.start_date.between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    return conditions


def _people_and_places(filters: Filters) -> list:
    conditions = []
    if filters.department_id:
        team = select(User.id).where(User.department_id == filters.department_id)
        conditions.append(LeaveRequest.applicant_id.in_(team))
    if filters.country:
        conditions.append(LeaveRequest.country_code == filters.country)
    return conditions


def scope(filters: Filters) -> list:
    """The conditions of the filtered set: requests submitted at least once (no drafts) of the filters."""
    return [LeaveRequest.status != "draft", *_period(filters), *_people_and_places(filters)]


def transitions_of(conditions: list) -> list:
    """The conditions on Transition rows of the requests matching ``conditions``. Besides the list of ids, the range
    of those ids: the requests of a cycle are created during its application window, so their ids are close, and
    the range lets PostgreSQL read the index of ``transition.request_id`` rather than the whole history."""
    ids = select(LeaveRequest.id).where(*conditions)
    lowest = select(func.min(LeaveRequest.id)).where(*conditions).scalar_subquery()
    highest = select(func.max(LeaveRequest.id)).where(*conditions).scalar_subquery()
    return [Transition.request_id.in_(ids), Transition.request_id.between(lowest, highest)]


def cents(column):
    return cast(func.round(column * 100), BigInteger)


def to_money(value) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


# 1. The envelope ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    envelope: Decimal = Decimal("0.00")
    places: int = 0
    committed: Decimal = Decimal("0.00")  # by the committed requests of the chosen cycles (every department)
    committed_places: int = 0


def budget(filters: Filters) -> Budget:
    """The chosen cycles' envelope and places, and what all their committed requests hold (one statement)."""
    cycles = chosen_cycle_ids(filters)
    committed = and_(LeaveRequest.cycle_id.in_(cycles), LeaveRequest.status.in_(COMMITTED_STATUSES))
    held = select(func.sum(cents(LeaveRequest.amount_requested))).where(committed).scalar_subquery()
    taken = select(func.count()).select_from(LeaveRequest).where(committed).scalar_subquery()
    row = db.session.execute(
        select(func.sum(cents(ProgrammeCycle.budget_envelope)), func.sum(ProgrammeCycle.places), held, taken).where(
            ProgrammeCycle.id.in_(cycles)
        )
    ).one()
    return Budget(to_money(row[0]), int(row[1] or 0), to_money(row[2]), int(row[3] or 0))


# 2. The groups --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: how many requests, how many committed missions, what they ask and hold, their
    working days valued at their cycle's rate (cents) and those to value at the default rate."""

    key: str | None
    label: str | None
    requests: int = 0
    missions: int = 0
    asked_cents: int = 0
    committed_cents: int = 0
    in_kind_cents: int = 0
    default_rate_days: int = 0

    @property
    def asked(self) -> Decimal:
        return to_money(self.asked_cents)

    @property
    def committed(self) -> Decimal:
        return to_money(self.committed_cents)

    def in_kind(self, default_rate: Decimal) -> Decimal:
        return (to_money(self.in_kind_cents) + self.default_rate_days * default_rate).quantize(Decimal("0.01"))


def _measures() -> list:
    """The aggregate columns of a :class:`Group`, over requests outer-joined to their cycle."""
    committed = LeaveRequest.status.in_(COMMITTED_STATUSES)
    days = func.coalesce(LeaveRequest.working_days, 0)
    rated = and_(committed, ProgrammeCycle.daily_rate.is_not(None))
    unrated = and_(committed, ProgrammeCycle.daily_rate.is_(None))
    return [
        func.count(LeaveRequest.id).label("requests"),
        func.count(case((committed, LeaveRequest.id))).label("missions"),
        func.coalesce(func.sum(cents(LeaveRequest.amount_requested)), 0).label("asked"),
        func.coalesce(func.sum(case((committed, cents(LeaveRequest.amount_requested)), else_=0)), 0).label("held"),
        func.coalesce(func.sum(case((rated, days * cents(ProgrammeCycle.daily_rate)), else_=0)), 0).label("rated"),
        func.coalesce(func.sum(case((unrated, days), else_=0)), 0).label("unrated"),
    ]


def _grouped(key, label, conditions, joins=(), top: int | None = None, by_missions: bool = False):
    """A subquery of :class:`Group` rows of the requests matching ``conditions``, grouped by ``key``."""
    measures = _measures()
    shown = cast(label if label is not None else null(), String)
    query = select(cast(key, String).label("key"), shown.label("label"), *measures)
    query = query.select_from(LeaveRequest).outerjoin(ProgrammeCycle, ProgrammeCycle.id == LeaveRequest.cycle_id)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(*conditions).group_by(key, *([label] if label is not None else []))
    if top is not None:
        rank = [measures[1].desc(), measures[0].desc()] if by_missions else [measures[0].desc(), measures[1].desc()]
        query = query.order_by(*rank, key).limit(top)
    return query.subquery()


def _project_label(lang: str):
    title = func.coalesce(func.nullif(Project.title_en, ""), Project.title_fr) if lang == "en" else Project.title_fr
    return Project.code.concat(" – ").concat(title)


def _arms(filters: Filters, lang: str, top: int, by_missions: bool) -> dict:
    conditions = scope(filters)
    on_project = [(Project, Project.id == LeaveRequest.project_id)]
    on_applicant = [(User, User.id == LeaveRequest.applicant_id)]
    on_partner = [(PartnerOrganisation, PartnerOrganisation.id == LeaveRequest.partner_id)]
    none = None
    committed = [LeaveRequest.status.in_(COMMITTED_STATUSES), *_people_and_places(filters)]
    return {
        "status": lambda: _grouped(LeaveRequest.status, none, conditions),
        "country": lambda: _grouped(LeaveRequest.country_code, none, conditions, (), top, by_missions),
        "department": lambda: _grouped(User.department_id, none, conditions, on_applicant, top, by_missions),
        "project": lambda: _grouped(Project.id, _project_label(lang), conditions, on_project, top, by_missions),
        "sector": lambda: _grouped(Project.sector_id, none, conditions, on_project, top, by_missions),
        # Keyed by country, labelled by the partner's name: the missions by country and partner.
        "partner": lambda: _grouped(
            LeaveRequest.country_code, PartnerOrganisation.name, conditions, on_partner, top, by_missions
        ),
        "history": lambda: _history(committed),
        "funnel": lambda: _funnel(conditions),
    }


def _history(conditions):
    """The committed missions per cycle: counted only, so that the index ``(cycle_id, status, id)`` answers alone
    (an index-only scan: no row of the table is read)."""
    zero = literal_column("0")
    return (
        select(
            cast(LeaveRequest.cycle_id, String).label("key"),
            cast(null(), String).label("label"),
            func.count(LeaveRequest.id).label("requests"),
            func.count(LeaveRequest.id).label("missions"),
            *(zero.label(name) for name in ("asked", "held", "rated", "unrated")),
        )
        .where(*conditions)
        .group_by(LeaveRequest.cycle_id)
        .subquery()
    )


def _funnel(conditions):
    """How many requests of the filtered set reached each stage (from their Transition rows)."""
    zero = literal_column("0")
    return (
        select(
            Transition.to_status.label("key"),
            cast(null(), String).label("label"),
            func.count(Transition.request_id.distinct()).label("requests"),
            *(zero.label(name) for name in ("missions", "asked", "held", "rated", "unrated")),
        )
        .where(*transitions_of(conditions), Transition.to_status.in_(FUNNEL))
        .group_by(Transition.to_status)
        .subquery()
    )


DASHBOARD_GROUPS = ("status", "funnel", "country", "department", "project", "sector", "history")


@dataclass
class Breakdowns:
    groups: dict[str, list[Group]] = field(default_factory=dict)

    def of(self, name: str) -> list[Group]:
        return self.groups.get(name, [])

    def by_key(self, name: str) -> dict[str | None, Group]:
        return {g.key: g for g in self.of(name)}


def breakdowns(
    filters: Filters, lang: str, names=DASHBOARD_GROUPS, top: int = TOP, by_missions: bool = False
) -> Breakdowns:
    """The groups ``names`` of the filtered set in one ``UNION ALL`` statement."""
    arms = _arms(filters, lang, top, by_missions)
    selects = []
    for name in names:
        sub = arms[name]()
        selects.append(select(literal_column(f"'{name}'").label("dim"), *sub.c))
    result = Breakdowns({name: [] for name in names})
    for dim, *values in db.session.execute(union_all(*selects)):
        key, label, *numbers = values
        result.groups[dim].append(Group(key, label, *(int(n or 0) for n in numbers)))
    for rows in result.groups.values():
        rows.sort(key=lambda g: (-g.requests, -g.missions, g.key or ""))
    return result
