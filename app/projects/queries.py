"""Reading projects: the filtered list with its sums, one project with its summary, choices for forms.

The list runs a fixed number of statements whatever the number of projects: the sums come from GROUP BY
subqueries joined to the page's projects, and related rows are eager-loaded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from textwrap import shorten

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import BigInteger, Select, and_, cast, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core.cache import cached
from app.core.i18n import country_name, current_language, date_filter, datetime_filter, money, number
from app.core.pagination import KeysetPage, paginate
from app.core.sorting import Sort, SortColumn
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.workflow import COMMITTED_STATUSES
from app.projects.models import (
    LINE_SEPARATOR,
    ChangeAction,
    ChangeField,
    Expenditure,
    FundingLine,
    FundingSource,
    PartnerRole,
    Project,
    ProjectChange,
    ProjectPartner,
    ProjectStatus,
    Sector,
)
from app.projects.results import IndicatorMeasure, ResultType
from app.reference.models import PartnerOrganisation, ProgrammeCycle

ZERO = Decimal("0.00")
UNLINKABLE_STATUSES = frozenset({"cancelled", "withdrawn", "rejected"})


def project_label(project: Project, lang: str | None = None) -> str:
    """How a choice names a project: "HT-PAP-FISC – Title" in the reader's language."""
    return f"{project.code} – {project.title(lang or current_language())}"


def of_project(query: Select, project_id: int) -> Select:
    """A query of leave requests narrowed to the missions of one project."""
    return query.where(LeaveRequest.project_id == project_id)


def with_project(query: Select) -> Select:
    """A query of leave requests that loads their project with them (one statement, whatever the page size)."""
    return query.options(joinedload(LeaveRequest.project))


# The list ------------------------------------------------------------------------------------------------------


@dataclass
class ProjectFilters:
    status: str | None = None
    sector_id: int | None = None
    partner_id: int | None = None
    source: str | None = None
    year: int | None = None
    public: bool = False  # employees: active projects only


def filtered_ids(filters: ProjectFilters) -> Select:
    query = select(Project.id)
    if filters.public:
        query = query.where(Project.status == ProjectStatus.ACTIVE)
    elif filters.status:
        query = query.where(Project.status == filters.status)
    if filters.sector_id:
        query = query.where(Project.sector_id == filters.sector_id)
    if filters.partner_id:
        query = query.where(
            select(ProjectPartner.id)
            .where(ProjectPartner.project_id == Project.id, ProjectPartner.partner_id == filters.partner_id)
            .exists()
        )
    if filters.source and not filters.public:
        query = query.where(
            select(FundingLine.id)
            .where(FundingLine.project_id == Project.id, FundingLine.source == filters.source)
            .exists()
        )
    if filters.year:
        query = query.where(
            Project.start_date <= date(filters.year, 12, 31), Project.end_date >= date(filters.year, 1, 1)
        )
    return query


def _funded_subquery():
    return (
        select(FundingLine.project_id, func.sum(FundingLine.amount).label("funded"))
        .group_by(FundingLine.project_id)
        .subquery()
    )


def _spent_subquery():
    return (
        select(Expenditure.project_id, func.sum(Expenditure.amount).label("spent"))
        .group_by(Expenditure.project_id)
        .subquery()
    )


# The columns the list sorts by (``?sort=``): the code (unique) and the dates (index on (start_date, id)).
LIST_SORTS = (SortColumn("project", (Project.code,)), SortColumn("dates", (Project.start_date, Project.id)))
LIST_DEFAULT = ("dates", True)  # the list's own order: the latest start first


def project_list(filters: ProjectFilters, sort: Sort | None = None) -> Select:
    """The projects the filters select, with their sector, in the chosen order (the latest start first)."""
    query = (
        select(Project)
        .where(Project.id.in_(filtered_ids(filters)))
        .options(joinedload(Project.sector))
        .order_by(Project.start_date.desc(), Project.code)
    )
    return sort.apply(query) if sort is not None else query


def project_page(filters: ProjectFilters, sort: Sort | None = None) -> KeysetPage:
    return paginate(project_list(filters, sort))


def with_amounts(query: Select) -> Select:
    """The list's query with each project's funded and spent sums: rows of (project, funded, spent)."""
    funded, spent = _funded_subquery(), _spent_subquery()
    return (
        query.add_columns(funded.c.funded, spent.c.spent)
        .outerjoin(funded, funded.c.project_id == Project.id)
        .outerjoin(spent, spent.c.project_id == Project.id)
    )


def finance_lines(project_id: int) -> tuple[Select, Select]:
    """A project's funding lines (by source) and its expenditures (by date), for its exports."""
    lines = select(FundingLine).where(FundingLine.project_id == project_id).order_by(FundingLine.source, FundingLine.id)
    spent = (
        select(Expenditure).where(Expenditure.project_id == project_id).order_by(Expenditure.spent_on, Expenditure.id)
    )
    return lines, spent


@dataclass
class Amounts:
    budget: Decimal = ZERO
    funded: Decimal = ZERO
    spent: Decimal = ZERO
    count: int = 0  # the number of projects summed (the totals of the list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent


def amounts_for(projects: list[Project]) -> dict[int, Amounts]:
    """Funded and spent per project of the page, in one statement."""
    if not projects:
        return {}
    funded, spent = _funded_subquery(), _spent_subquery()
    rows = db.session.execute(
        select(Project.id, Project.budget, funded.c.funded, spent.c.spent)
        .outerjoin(funded, funded.c.project_id == Project.id)
        .outerjoin(spent, spent.c.project_id == Project.id)
        .where(Project.id.in_([p.id for p in projects]))
    ).all()
    return {pid: Amounts(budget or ZERO, f or ZERO, s or ZERO) for pid, budget, f, s in rows}


def totals(filters: ProjectFilters) -> Amounts:
    """The sums over every project the filters select (all pages), in one statement."""
    funded, spent = _funded_subquery(), _spent_subquery()
    row = db.session.execute(
        select(func.sum(Project.budget), func.sum(funded.c.funded), func.sum(spent.c.spent), func.count(Project.id))
        .select_from(Project)
        .outerjoin(funded, funded.c.project_id == Project.id)
        .outerjoin(spent, spent.c.project_id == Project.id)
        .where(Project.id.in_(filtered_ids(filters)))
    ).one()
    *sums, count = row
    return Amounts(*(Decimal(v).quantize(Decimal("0.01")) if v is not None else ZERO for v in sums), count=count)


# One project ---------------------------------------------------------------------------------------------------


MISSIONS_SHOWN = 20  # the missions a project's page lists, the earliest first (the others: the BRI's list)
HISTORY_SHOWN = 50  # the changes a project's page lists, the most recent first


def recent_changes(project_id: int, limit: int | None = None) -> tuple[list[ProjectChange], bool]:
    """The project's ``limit`` (``HISTORY_SHOWN``) most recent changes with who made them (one statement), and
    whether there are more."""
    limit = limit or HISTORY_SHOWN
    rows = db.session.scalars(
        select(ProjectChange)
        .where(ProjectChange.project_id == project_id)
        .options(joinedload(ProjectChange.actor).lazyload(User.role_rows))
        .order_by(ProjectChange.id.desc())
        .limit(limit + 1)
    ).all()
    return list(rows[:limit]), len(rows) > limit


def load_project(project_id: int, full: bool) -> Project | None:
    """The project with what its page shows; ``full`` adds the money and the history (the missions: see
    :func:`first_missions`). Sector, milestones and partners come with the project in one statement, and with
    ``full`` its funding lines too (milestones × partners × funding lines rows: three short lists, a handful each,
    which keeps the page within its statement budget once its results and updates are shown); expenditures and
    changes are a statement each. The users' roles are not shown: not loaded."""
    return _project_query(project_id, full).scalars().one_or_none()


def load_project_page(project_id: int, full: bool) -> tuple[Project, "MissionFigures"] | None:
    """:func:`load_project`, with the figures of its missions (:class:`MissionFigures`) in the project's statement."""
    row = _project_query(project_id, full, *mission_figure_columns(project_id)).one_or_none()
    if row is None:
        return None
    project, *figures = row
    return project, MissionFigures.of(*figures)


def _project_query(project_id: int, full: bool, *columns):
    # Milestones and partners are joined to the project's row (milestones × partners rows, both a handful per
    # project): one statement fewer, which the page spends on its results framework (``result_figures``).
    options = [
        joinedload(Project.sector),
        joinedload(Project.milestones),
        joinedload(Project.partners).joinedload(ProjectPartner.partner),
    ]
    if full:
        options += [
            joinedload(Project.funding_lines),
            selectinload(Project.expenditures),
        ]
    query = select(Project, *columns).where(Project.id == project_id).options(*options)
    # Every row is read (one per milestone and partner), never only the first: ``one_or_none`` after ``unique``.
    return db.session.execute(query).unique()


def first_missions(project_id: int, limit: int | None = None) -> list[LeaveRequest]:
    """The project's first ``limit`` (:data:`MISSIONS_SHOWN`) missions by start date, with their applicant (one
    statement)."""
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.project_id == project_id)
            .options(
                joinedload(LeaveRequest.applicant).lazyload(User.role_rows), joinedload(LeaveRequest.project_result)
            )
            .order_by(LeaveRequest.start_date, LeaveRequest.id)
            .limit(limit or MISSIONS_SHOWN)
        )
    )


def default_daily_rate() -> Decimal:
    return Decimal(str(current_app.config["IN_KIND_DAILY_RATE"]))


@dataclass
class MissionFigures:
    """What the missions of a project add up to: how many are linked; the working days of the committed ones
    (approved or later), those whose cycle has a daily rate valued in cents, the others to value at the default."""

    count: int = 0
    days_at_cycle_rate: int = 0
    cents_at_cycle_rate: int = 0
    days_at_default_rate: int = 0

    @classmethod
    def of(cls, *values) -> "MissionFigures":
        return cls(*(int(v or 0) for v in values))

    @property
    def in_kind_days(self) -> int:
        return self.days_at_cycle_rate + self.days_at_default_rate

    def in_kind(self, default_rate: Decimal) -> Decimal:
        at_cycle_rate = Decimal(self.cents_at_cycle_rate) / 100
        return (at_cycle_rate + self.days_at_default_rate * default_rate).quantize(Decimal("0.01"))


def mission_figure_columns(project_id: int, started: tuple[date, date] | None = None) -> list:
    """The scalar subqueries of :class:`MissionFigures`, in its order. The rates are summed in whole cents, so that
    the sum is exact on SQLite too (which has no decimal type). With ``started`` (first and last day): the missions
    carried out then, those committed (approved or later) that started in those days, so that two consecutive
    periods never count a mission twice; the count is theirs too."""
    linked = LeaveRequest.project_id == project_id
    committed = and_(linked, LeaveRequest.status.in_(COMMITTED_STATUSES))
    if started is not None:
        linked = committed = and_(committed, LeaveRequest.start_date.between(*started))
    days = func.coalesce(LeaveRequest.working_days, 0)
    cents = cast(func.round(ProgrammeCycle.daily_rate * 100), BigInteger)
    rated = and_(committed, ProgrammeCycle.daily_rate.is_not(None))

    def of_committed(column, condition):
        return (
            select(column)
            .select_from(LeaveRequest)
            .outerjoin(ProgrammeCycle, ProgrammeCycle.id == LeaveRequest.cycle_id)
            .where(condition)
            .scalar_subquery()
        )

    return [
        select(func.count(LeaveRequest.id)).where(linked).scalar_subquery(),
        of_committed(func.sum(days), rated),
        of_committed(cast(func.sum(days * cents), BigInteger), rated),
        of_committed(func.sum(days), and_(committed, ProgrammeCycle.daily_rate.is_(None))),
    ]


def mission_figures(project_id: int, started: tuple[date, date] | None = None) -> MissionFigures:
    """:class:`MissionFigures` of one project (of its missions carried out in ``started``), in one statement."""
    return MissionFigures.of(*db.session.execute(select(*mission_figure_columns(project_id, started))).one())


@dataclass
class Summary:
    budget: Decimal
    funded_by_source: dict[str, Decimal] = field(default_factory=dict)
    funded: Decimal = ZERO
    spent: Decimal = ZERO
    spent_by_source: dict[str, Decimal] = field(default_factory=dict)
    in_kind: Decimal = ZERO
    in_kind_days: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.funded

    @property
    def sources(self) -> list[tuple[str, Decimal]]:
        """(source label, amount) in the order of the sources, only those with a line."""
        return [(s.label, self.funded_by_source[s.value]) for s in FundingSource if s.value in self.funded_by_source]


def summarise(project: Project, default_rate: Decimal | None = None, figures: MissionFigures | None = None) -> Summary:
    """The money of a project, in exact decimals: funding and spending from its lines; in-kind, the working days of
    the approved-or-later missions times their cycle's daily rate (the configuration's when the cycle has none),
    from ``figures`` (one statement when not given)."""
    rate = default_rate if default_rate is not None else default_daily_rate()
    if figures is None:
        figures = mission_figures(project.id)
    summary = Summary(budget=project.budget or ZERO)
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in project.funding_lines:
        by_source[line.source] += line.amount
    spent_by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for expenditure in project.expenditures:
        spent_by_source[expenditure.source] += expenditure.amount
    summary.funded_by_source = dict(by_source)
    summary.spent_by_source = dict(spent_by_source)
    summary.funded = sum(by_source.values(), ZERO)
    summary.spent = sum(spent_by_source.values(), ZERO)
    summary.in_kind_days = figures.in_kind_days
    summary.in_kind = figures.in_kind(rate)
    return summary


def is_overspent(project: Project) -> bool:
    """After a change: do the expenditures exceed the funding? (Two sums, straight from the database.)"""
    funded = db.session.scalar(select(func.sum(FundingLine.amount)).where(FundingLine.project_id == project.id))
    spent = db.session.scalar(select(func.sum(Expenditure.amount)).where(Expenditure.project_id == project.id))
    return (spent or ZERO) > (funded or ZERO)


# Choices -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorChoice:
    id: int
    code: str
    name_fr: str
    name_en: str
    active: bool

    def label(self, locale: str) -> str:
        return f"{self.code} – {self.name_en if locale == 'en' else self.name_fr}"


def sector_choices(active_only: bool = False, keep_id: int | None = None) -> list[SectorChoice]:
    """The sectors by code, from the reference cache (rebuilt after a change of ``project_sector``)."""
    rows = cached(
        "sectors",
        lambda: tuple(
            SectorChoice(*row)
            for row in db.session.execute(
                select(Sector.id, Sector.code, Sector.name_fr, Sector.name_en, Sector.active).order_by(Sector.code)
            )
        ),
    )
    return [s for s in rows if not active_only or s.active or s.id == keep_id]


def sectors(active_only: bool = False, keep_id: int | None = None) -> list[Sector]:
    query = select(Sector).order_by(Sector.code)
    if active_only:
        query = query.where((Sector.active.is_(True)) | (Sector.id == keep_id))
    return list(db.session.scalars(query))


def partners() -> list[PartnerOrganisation]:
    return list(
        db.session.scalars(
            select(PartnerOrganisation).where(PartnerOrganisation.active.is_(True)).order_by(PartnerOrganisation.name)
        )
    )


# The history, as the reader reads it ---------------------------------------------------------------------------


@dataclass
class ChangeView:
    change: ProjectChange
    action: str
    field: str
    old: str
    new: str


def describe_change(change: ProjectChange) -> ChangeView:
    """One row of the history in the reader's language (the row keeps neutral values, see ``ProjectChange``)."""
    return ChangeView(
        change=change,
        action=ChangeAction.label_of(change.action),
        field=ChangeField.label_of(change.field),
        old=_render(change.field, change.old_value),
        new=_render(change.field, change.new_value),
    )


def _amount(text: str) -> str:
    try:
        return money(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


def _day(text: str) -> str:
    try:
        return date_filter(date.fromisoformat(text))
    except ValueError:
        return text


def _instant(text: str) -> str:
    try:
        return datetime_filter(datetime.fromisoformat(text))
    except ValueError:
        return text


def _render(field: str, text: str) -> str:
    if not text:
        return ""
    if field == ChangeField.PUBLICATION:
        return _instant(text)
    if field == ChangeField.BUDGET:
        return _amount(text)
    if field in (ChangeField.START_DATE, ChangeField.END_DATE):
        return _day(text)
    if field == ChangeField.STATUS:
        return ProjectStatus.label_of(text)
    if field == ChangeField.COUNTRY_CODE:
        return country_name(text)
    if field.startswith("description"):
        return shorten(text, width=200, placeholder=" …")
    return _render_line(field, text.split(LINE_SEPARATOR)) or text


def _render_line(field: str, parts: list[str]) -> str | None:
    """A line of several values (see ``services.changes.line_value``); None when it does not have their number."""
    if field == ChangeField.PARTNER and len(parts) == 2:
        return f"{parts[0]} ({PartnerRole.label_of(parts[1])})"
    if field == ChangeField.FUNDING_LINE and len(parts) == 3:
        source = FundingSource.label_of(parts[0])
        return " · ".join(p for p in (source, _amount(parts[1]), parts[2]) if p)
    if field == ChangeField.EXPENDITURE and len(parts) == 4:
        return " · ".join((_day(parts[0]), _amount(parts[1]), parts[2], FundingSource.label_of(parts[3])))
    if field == ChangeField.MILESTONE and len(parts) == 2:
        return f"{parts[1]} ({_day(parts[0])})"
    if field == ChangeField.UPDATE and len(parts) == 3:
        shown = _("Public") if parts[2] == "1" else _("Internal")
        return f"{parts[1]} ({_day(parts[0])}) · {shown}"
    if field == ChangeField.PHOTO and len(parts) == 3:
        consent = _("consent given") if parts[2] == "1" else _("no consent")
        return f"{parts[1]} · {consent} ({parts[0]})"
    return _render_result_line(field, parts)


def _number(text: str) -> str:
    try:
        return number(Decimal(text)) if text else ""
    except (InvalidOperation, ValueError):
        return text


def _render_result_line(field: str, parts: list[str]) -> str | None:
    """The lines of the results framework (see ``services.results``)."""
    joined = lambda *values: " · ".join(v for v in values if v)  # noqa: E731
    if field == ChangeField.RESULT and len(parts) == 2:
        return f"{parts[1]} ({ResultType.label_of(parts[0])})"
    if field == ChangeField.INDICATOR and len(parts) == 4:
        baseline = f"{_number(parts[3])} ({parts[2]})" if parts[3] else ""
        return joined(parts[0], IndicatorMeasure.label_of(parts[1]), baseline)
    if field == ChangeField.PERIOD and len(parts) in (4, 5):
        return joined(parts[0], f"{_day(parts[1])} – {_day(parts[2])}", _number(parts[3]), *parts[4:])
    if field == ChangeField.PERIOD and len(parts) == 2:  # the actual value a new one replaced
        return joined(_number(parts[0]), parts[1])
    if field == ChangeField.MISSION_RESULT and len(parts) == 2:
        return f"{parts[0]} → {parts[1]}"
    return None
