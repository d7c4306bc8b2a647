"""The dashboard's figures in the reader's language: the queries' rows turned into key figures, charts and the
tables beside them (shared by the page and the annual report's PDF)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from flask import url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from markupsafe import Markup

from app.accounts.queries import department_choices
from app.core import charts
from app.core.cache import cached
from app.core.database import montreal_today
from app.core.i18n import country_name, money, number
from app.leave.labels import status_label
from app.leave.workflow import COMMITTED_STATUSES, STATUSES
from app.programme import queries, steps
from app.programme.departures import Departures, departures
from app.programme.queries import PENDING_STATUSES, Breakdowns, Budget, Filters, Group
from app.projects.queries import default_daily_rate, sector_choices

ZERO = Decimal("0.00")


@dataclass
class Table:
    """A chart's data: its caption, column headers and rows of formatted cells (a cell is text or (text, link))."""

    caption: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Chart:
    name: str
    svg: Markup
    table: Table


@dataclass
class KeyFigures:
    envelope: Decimal = ZERO
    committed: Decimal = ZERO
    pending: Decimal = ZERO
    left: Decimal = ZERO
    places: int = 0
    places_committed: int = 0
    places_pending: int = 0
    places_left: int = 0
    requests: int = 0
    in_kind: Decimal = ZERO


def key_figures(budget: Budget, groups: Breakdowns, default_rate: Decimal) -> KeyFigures:
    statuses = groups.of("status")
    committed = [g for g in statuses if g.key in COMMITTED_STATUSES]
    pending = [g for g in statuses if g.key in PENDING_STATUSES]
    return KeyFigures(
        envelope=budget.envelope,
        committed=sum((g.committed for g in committed), ZERO),
        pending=sum((g.asked for g in pending), ZERO),
        left=budget.envelope - budget.committed,
        places=budget.places,
        places_committed=sum(g.missions for g in committed),
        places_pending=sum(g.requests for g in pending),
        places_left=budget.places - budget.committed_places,
        requests=sum(g.requests for g in statuses),
        in_kind=sum((g.in_kind(default_rate) for g in committed), ZERO),
    )


# Labels of the groups' keys --------------------------------------------------------------------------------------


def department_namer() -> Callable[[str | None], str]:
    names = {str(i): name for i, name in department_choices()}
    return lambda key: names.get(key or "", _("No department"))


def _sector_namer(lang: str) -> Callable[[str | None], str]:
    labels = {str(s.id): s.label(lang) for s in sector_choices()}
    return lambda key: labels.get(key or "", "—")


def stage_label(stage: str) -> str:
    return {
        "submitted": _("Submitted"),
        "manager_approved": _("Approved by the manager"),
        "approved": _("Approved by the BRI"),
        "in_mission": _("Departed"),
        "report_due": _("Returned"),
        "closed": _("Report accepted"),
    }[stage]


def step_label(step: str) -> str:
    return {
        "manager": _("Manager's decision"),
        "bri": _("BRI's decision"),
        "report": _("Review of the report"),
    }[step]


# Charts -----------------------------------------------------------------------------------------------------------


def _group_table(caption: str, first: str, rows: list[tuple[object, Group]], others: Group | None) -> Table:
    headers = [first, _("Requests"), _("Approved missions"), _("Amount committed")]
    table = Table(caption, headers)
    for label, g in rows:
        table.rows.append([label, number(g.requests), number(g.missions), money(g.committed)])
    if others is not None and others.requests > 0:
        table.rows.append([_("Other"), number(others.requests), number(others.missions), money(others.committed)])
    return table


def _others(total: list[Group] | None, shown: list[Group]) -> Group | None:
    """What the rows beyond the shown ones add up to (a group cut to its largest rows); None without a total."""
    if total is None:
        return None
    requests = sum(g.requests for g in total) - sum(g.requests for g in shown)
    missions = sum(g.missions for g in total) - sum(g.missions for g in shown)
    committed = sum(g.committed_cents for g in total) - sum(g.committed_cents for g in shown)
    return Group(None, None, requests, missions, 0, committed) if requests > 0 else None


def group_chart(name: str, title: str, first: str, labelled, total=None, for_pdf=False, missions=False) -> Chart:
    """A bar per row of ``labelled`` ((label, group) pairs; a label may be (text, link)), with its table; "Other"
    sums what ``total`` holds beyond the rows; ``missions``: bars of approved missions rather than requests."""
    groups = [g for _label, g in labelled]
    values = [g.missions if missions else g.requests for g in groups]
    labels = [label[0] if isinstance(label, tuple) else label for label, _g in labelled]
    svg = charts.bar_chart(title, labels, values, number, for_pdf=for_pdf)
    return Chart(name, svg, _group_table(title, first, labelled, _others(total, groups)))


def breakdown_charts(groups: Breakdowns, lang: str) -> list[Chart]:
    """Requests by destination country, department, linked project and its sector."""
    total = groups.of("status")
    department, sector = department_namer(), _sector_namer(lang)

    def project(g: Group):
        return (g.label or "—", url_for("projects.detail", project_id=int(g.key)))

    specs = [
        ("country", _("Requests by destination country"), _("Country"), lambda g: country_name(g.key), total),
        ("department", _("Requests by department"), _("Department"), lambda g: department(g.key), total),
        ("project", _("Requests by linked cooperation project"), _("Project"), project, None),
        ("sector", _("Requests by sector of the linked project"), _("Sector"), lambda g: sector(g.key), None),
    ]
    return [
        group_chart(name, title, first, [(namer(g), g) for g in groups.of(name)], others)
        for name, title, first, namer, others in specs
    ]


def missions_by_country_chart(groups: Breakdowns, for_pdf: bool = False) -> Chart:
    labelled = [(country_name(g.key), g) for g in groups.of("country") if g.missions]
    title = _("Missions by destination country")
    return group_chart("country", title, _("Country"), labelled, groups.of("status"), for_pdf, missions=True)


def funnel_chart(groups: Breakdowns, for_pdf: bool = False) -> Chart:
    reached = groups.by_key("funnel")
    counts = [(stage_label(stage), reached[stage].requests if stage in reached else 0) for stage in queries.FUNNEL]
    title = _("Stages reached by the requests")
    svg = charts.bar_chart(title, [c[0] for c in counts], [c[1] for c in counts], number, for_pdf=for_pdf)
    table = Table(title, [_("Stage"), _("Requests")], [[label, number(n)] for label, n in counts])
    return Chart("funnel", svg, table)


def status_table(groups: Breakdowns) -> Table:
    by_status = groups.by_key("status")
    rows = [[status_label(s), number(by_status[s].requests)] for s in STATUSES if s in by_status]
    return Table(_("Requests by current status"), [_("Status"), _("Requests")], rows)


def envelope_chart(figures: KeyFigures, for_pdf: bool = False) -> Chart:
    title = _("Budget envelope")
    parts = [(_("Committed"), figures.committed), (_("Pending"), figures.pending), (_("Left"), figures.left)]
    svg = charts.stacked_bar(title, [(label, float(v)) for label, v in parts], money, for_pdf=for_pdf)
    rows = [
        [_("Envelope"), money(figures.envelope), number(figures.places)],
        [_("Committed (approved and later)"), money(figures.committed), number(figures.places_committed)],
        [_("Pending (waiting for the manager or the BRI)"), money(figures.pending), number(figures.places_pending)],
        [_("Left"), money(figures.left), number(figures.places_left)],
    ]
    return Chart("envelope", svg, Table(title, [_("Figure"), _("Amount"), _("Places")], rows))


def history_chart(groups: Breakdowns, for_pdf: bool = False) -> Chart:
    years = sorted(
        ((queries.cycle_year(int(g.key)), g) for g in groups.of("history") if queries.cycle_year(int(g.key))),
        key=lambda pair: pair[0],
    )
    title = _("Missions per year")
    svg = charts.bar_chart(
        title, [str(y) for y, _g in years], [g.missions for _y, g in years], number, False, for_pdf=for_pdf
    )
    rows = [[str(y), number(g.missions)] for y, g in years]
    headers = [_("Year"), _("Missions")]
    return Chart("history", svg, Table(title, headers, rows))


def steps_chart(times: dict[str, steps.StepTime], for_pdf: bool = False) -> Chart:
    title = _("Median time at each step (days)")
    names = list(steps.STEPS)
    medians = [round(times[n].median.total_seconds() / 86400, 1) if n in times else 0 for n in names]
    svg = charts.bar_chart(title, [step_label(n) for n in names], medians, number, for_pdf=for_pdf, counts=False)
    headers = [_("Step"), _("Decisions"), _("Median"), _("Slowest")]
    rows = []
    for name in names:
        t = times.get(name)
        if t is None:
            rows.append([step_label(name), number(0), "—", "—"])
        else:
            rows.append([step_label(name), number(t.visits), _duration(t.median), _duration(t.slowest)])
    return Chart("steps", svg, Table(_("Time spent at each step"), headers, rows))


def _duration(value) -> str:
    return format_timedelta(value, threshold=1.1, add_direction=False)


@dataclass
class Dashboard:
    filters: Filters
    figures: KeyFigures
    envelope: Chart
    funnel: Chart
    statuses: Table
    breakdowns: list[Chart]
    history: Chart
    steps: Chart
    waiting: dict[str, list[steps.Waiting]]
    # The countries of the breakdown by destination, whose travel advisories the page shows beside it.
    destinations: list[str]
    # The approved missions' pre-departure checklists.
    departures: Departures


# The dashboard, kept by each process until a request, a step, a person, a department, a project, a partner, a cycle
# or a checklist changes (``app.programme`` watches their tables): summing the programme's 100,000 requests took 150
# to 500 ms per view and drawing its charts 20 ms more, and the BRI opens the dashboard far more often than the data
# change.
DASHBOARD_CACHE = "programme-dashboard"
DASHBOARD_TABLES = (
    "leave_request",
    "transition",
    "user",
    "department",
    "project",
    "partner_organisation",
    "checklist_entry",
    "checklist_item",
)


def dashboard(filters: Filters, lang: str) -> Dashboard:
    """Everything the dashboard shows, in five statements, or none when nothing changed since this process drew it
    (the same day: the waiting times count days)."""
    return cached(DASHBOARD_CACHE, lambda: _dashboard(filters, lang), variant=(filters, lang, montreal_today()))


def _dashboard(filters: Filters, lang: str) -> Dashboard:
    rate = default_daily_rate()
    budget = queries.budget(filters)
    groups = queries.breakdowns(filters, lang)
    figures = key_figures(budget, groups, rate)
    return Dashboard(
        filters=filters,
        figures=figures,
        envelope=envelope_chart(figures),
        funnel=funnel_chart(groups),
        statuses=status_table(groups),
        breakdowns=breakdown_charts(groups, lang),
        history=history_chart(groups),
        steps=steps_chart(steps.step_times(filters)),
        waiting=steps.waiting_longest(filters),
        destinations=[g.key for g in groups.of("country") if g.key],
        departures=departures(filters),
    )
