"""The annual report: a year's figures and charts, its missions by country and partner, the testimonies their authors
agreed to have quoted, the cooperation projects with their funding and the city's in-kind contribution; a PDF
written by WeasyPrint in French (default) or English.

Like the mission report's PDF it needs the fonts of ``scripts/system-deps.sh app`` and fetches nothing: the charts
are inline SVG, the stylesheets are read from the package (:mod:`app.core.pdf`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import render_template
from flask_babel import force_locale, format_date
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.database import montreal_today
from app.core.i18n import country_name, locale_for
from app.core.pdf import STATIC, write_pdf
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.workflow import REPORT_STATUSES
from app.programme import figures, queries, steps
from app.programme.queries import Breakdowns, Filters, Group
from app.projects.models import FundingLine, FundingSource, Project
from app.projects.queries import default_daily_rate
from app.reports.models import MissionReport

STYLESHEET = STATIC / "programme-pdf.css"
QUOTES_SHOWN = 12
PROJECTS_SHOWN = 100
PARTNERS_SHOWN = 60
REPORT_GROUPS = ("status", "funnel", "country", "partner", "project", "history")


def default_year(choices) -> str:
    """The last year whose cycle is over, else the newest (the report of a year is written after it)."""
    today = montreal_today()
    years = [y for _id, y in choices]
    past = [y for y in years if y < today.year]
    return str(max(past) if past else max(years))


def long_date(day: date, lang: str) -> str:
    """A date written out, the city's way in French: "1er janvier 2027", "31 décembre 2027"."""
    text = format_date(day, "long")
    return "1er" + text[1:] if lang == "fr" and day.day == 1 and text.startswith("1 ") else text


@dataclass
class Quote:
    text: str
    department: str
    country: str
    city: str


@dataclass
class ProjectLine:
    project: Project
    funding: list[tuple[str, Decimal]] = field(default_factory=list)
    in_kind: Decimal = Decimal("0.00")
    missions: int = 0

    @property
    def funded(self) -> Decimal:
        return sum((amount for _label, amount in self.funding), Decimal("0.00"))


def quotes(filters: Filters, limit: int = QUOTES_SHOWN) -> list[Quote]:
    """Testimonies of the filtered missions whose authors agreed to be quoted, reports submitted (one statement)."""
    rows = db.session.execute(
        select(MissionReport.testimony, LeaveRequest.country_code, LeaveRequest.city, User.department_id)
        .join(LeaveRequest, LeaveRequest.id == MissionReport.request_id)
        .join(User, User.id == LeaveRequest.applicant_id)
        .where(
            *queries.scope(filters),
            LeaveRequest.status.in_(REPORT_STATUSES),
            MissionReport.consent_to_quote.is_(True),
            MissionReport.submitted_at.is_not(None),
            MissionReport.testimony != "",
        )
        .order_by(LeaveRequest.end_date, LeaveRequest.id)
        .limit(limit)
    ).all()
    department = figures.department_namer()
    return [Quote(text.strip(), department(str(d) if d else None), country, city) for text, country, city, d in rows]


def project_lines(year: int, groups: Breakdowns, default_rate: Decimal) -> tuple[list[ProjectLine], bool]:
    """The projects under way during ``year`` (by code) with their funding by source (two statements), and the
    in-kind contribution of the year's missions linked to them; and whether there are more than shown."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    projects = list(
        db.session.scalars(
            select(Project)
            .where(Project.start_date <= last, Project.end_date >= first)
            .options(joinedload(Project.sector))
            .order_by(Project.code)
            .limit(PROJECTS_SHOWN + 1)
        )
    )
    more, projects = len(projects) > PROJECTS_SHOWN, projects[:PROJECTS_SHOWN]
    funding: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if projects:
        rows = db.session.execute(
            select(FundingLine.project_id, FundingLine.source, func.sum(queries.cents(FundingLine.amount)))
            .where(FundingLine.project_id.in_([p.id for p in projects]))
            .group_by(FundingLine.project_id, FundingLine.source)
        )
        for project_id, source, amount in rows:
            funding[project_id][source] = queries.to_money(amount)
    linked = {g.key: g for g in groups.of("project")}
    lines = []
    for project in projects:
        by_source = funding.get(project.id, {})
        group = linked.get(str(project.id)) or Group(str(project.id), None)
        sources = [(s.label, by_source[s.value]) for s in FundingSource if s.value in by_source]
        lines.append(ProjectLine(project, sources, group.in_kind(default_rate), group.missions))
    return lines, more


def report_data(year: int, lang: str) -> dict:
    """What the annual report of ``year`` shows (the requests charged to the year's cycle)."""
    cycle_id = next((cid for cid, y in queries.cycle_choices() if y == year), None)
    filters = Filters(cycle_id=cycle_id)
    rate = default_daily_rate()
    budget = queries.budget(filters)
    groups = queries.breakdowns(filters, lang, REPORT_GROUPS, top=PARTNERS_SHOWN, by_missions=True)
    key = figures.key_figures(budget, groups, rate)
    projects, more_projects = project_lines(year, groups, rate)
    partners = [g for g in groups.of("partner") if g.missions]
    partners.sort(key=lambda g: (country_name(g.key), -g.missions, g.label or ""))
    return {
        "year": year,
        "lang": lang,
        "figures": key,
        "charts": [
            figures.envelope_chart(key, for_pdf=True),
            figures.funnel_chart(groups, for_pdf=True),
            figures.missions_by_country_chart(groups, for_pdf=True),
            figures.history_chart(groups, for_pdf=True),
            figures.steps_chart(steps.step_times(filters), for_pdf=True),
        ],
        "partners": partners,
        "quotes": quotes(filters),
        "projects": projects,
        "more_projects": more_projects,
        "period": (long_date(date(year, 1, 1), lang), long_date(date(year, 12, 31), lang)),
        "today": long_date(montreal_today(), lang),
    }


def render_pdf(year: int, lang: str) -> bytes:
    with force_locale(locale_for(lang)):
        html = render_template("programme/annual_report_pdf.html", **report_data(year, lang))
    return write_pdf(html, STYLESHEET, "the annual report")
