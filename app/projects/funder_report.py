"""A project's report to one of its funders, for a period: what the source funded (its lines), what was spent from it
in the period (by date), the results against their targets in the periods that overlap it, the missions carried out
then (figures only: no one's name), and the progress updates of the period; a PDF written by WeasyPrint in French
(default) or English.

A fixed number of statements whatever the number of lines, expenditures, missions or updates: the sums are made by
the database (in whole cents, exact on SQLite too), the lists are bounded. Like the annual report's PDF it fetches
nothing (the charts are inline SVG, the stylesheets are read from the package: :mod:`app.core.pdf`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import BigInteger, and_, cast, func, select

from app.core.database import montreal_today
from app.core.i18n import format_day, locale_for
from app.core.pdf import STATIC, write_pdf
from app.extensions import db
from app.projects.models import Expenditure, FundingLine, FundingSource, Project, ProjectUpdate
from app.projects.queries import default_daily_rate, mission_figures
from app.projects.result_figures import indicator_charts, load_results

STYLESHEET = STATIC / "projects-pdf.css"
LINES_SHOWN = 100
EXPENDITURES_SHOWN = 200
UPDATES_SHOWN = 50


@dataclass(frozen=True)
class FunderChoice:
    """What a funder's report is about: a funding source (a :class:`FundingSource` value), a period, a language."""

    source: str
    first: date
    last: date
    lang: str = "fr"

    @property
    def between(self) -> tuple[date, date]:
        return self.first, self.last

    def args(self) -> dict:
        """The PDF's query string."""
        return {"source": self.source, "debut": self.first.isoformat(), "fin": self.last.isoformat(), "lang": self.lang}


def default_choice(project: Project) -> dict:
    """The form's defaults: the first of the sources that fund the project (else the first source), its dates,
    French (one statement)."""
    funding = set(db.session.scalars(select(FundingLine.source).where(FundingLine.project_id == project.id).distinct()))
    source = next((s.value for s in FundingSource if s.value in funding), next(iter(FundingSource)).value)
    return {"source": source, "debut": project.start_date, "fin": project.end_date, "lang": "fr"}


def calendar_years(project: Project) -> list[date]:
    """The first day of each calendar year the project runs through (at most 30), for the form's shortcuts."""
    first, last = project.start_date.year, min(project.end_date.year, project.start_date.year + 29)
    return [date(year, 1, 1) for year in range(first, last + 1)]


@dataclass
class SourceMoney:
    funded: Decimal
    spent: Decimal  # in the period
    spent_count: int
    spent_to_end: Decimal  # from the project's start to the end of the period

    @property
    def left(self) -> Decimal:
        return self.funded - self.spent_to_end


def _cents(column):
    return cast(func.round(column * 100), BigInteger)


def _money(value) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


def source_money(project_id: int, choice: FunderChoice) -> SourceMoney:
    """The source's funding of the project and its spending in and up to the end of the period (one statement)."""
    of_source = and_(Expenditure.project_id == project_id, Expenditure.source == choice.source)
    in_period = and_(of_source, Expenditure.spent_on.between(choice.first, choice.last))
    row = db.session.execute(
        select(
            select(func.sum(_cents(FundingLine.amount)))
            .where(FundingLine.project_id == project_id, FundingLine.source == choice.source)
            .scalar_subquery(),
            select(func.sum(_cents(Expenditure.amount))).where(in_period).scalar_subquery(),
            select(func.count(Expenditure.id)).where(in_period).scalar_subquery(),
            select(func.sum(_cents(Expenditure.amount)))
            .where(of_source, Expenditure.spent_on <= choice.last)
            .scalar_subquery(),
        )
    ).one()
    funded, spent, count, to_end = row
    return SourceMoney(_money(funded), _money(spent), int(count or 0), _money(to_end))


def funding_lines(project_id: int, source: str) -> list[FundingLine]:
    return list(
        db.session.scalars(
            select(FundingLine)
            .where(FundingLine.project_id == project_id, FundingLine.source == source)
            .order_by(FundingLine.id)
            .limit(LINES_SHOWN)
        )
    )


def expenditures(project_id: int, choice: FunderChoice) -> list[Expenditure]:
    """The first :data:`EXPENDITURES_SHOWN` expenditures of the source in the period, by date (their sum: see
    :func:`source_money`)."""
    return list(
        db.session.scalars(
            select(Expenditure)
            .where(
                Expenditure.project_id == project_id,
                Expenditure.source == choice.source,
                Expenditure.spent_on.between(choice.first, choice.last),
            )
            .order_by(Expenditure.spent_on, Expenditure.id)
            .limit(EXPENDITURES_SHOWN)
        )
    )


def period_updates(project_id: int, choice: FunderChoice) -> tuple[list[ProjectUpdate], bool]:
    """The first :data:`UPDATES_SHOWN` updates dated in the period, published and internal, the oldest first (no
    photo, no author), and whether there are more."""
    rows = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id == project_id, ProjectUpdate.update_date.between(choice.first, choice.last))
        .order_by(ProjectUpdate.update_date, ProjectUpdate.id)
        .limit(UPDATES_SHOWN + 1)
    ).all()
    return list(rows[:UPDATES_SHOWN]), len(rows) > UPDATES_SHOWN


def report_data(project: Project, choice: FunderChoice) -> dict:
    """What the report shows; to be called in the report's locale (the charts' labels)."""
    lang = choice.lang
    results = load_results(project.id, between=choice.between)
    updates, more_updates = period_updates(project.id, choice)
    return {
        "project": project,
        "lang": lang,
        "source_label": FundingSource.label_of(choice.source),
        "sums": source_money(project.id, choice),
        "lines": funding_lines(project.id, choice.source),
        "expenditures": expenditures(project.id, choice),
        "results": results,
        "charts": indicator_charts(results, lang, for_pdf=True),
        "missions": mission_figures(project.id, choice.between),
        "daily_rate": default_daily_rate(),
        "updates": updates,
        "more_updates": more_updates,
        "period": (format_day(choice.first, "long"), format_day(choice.last, "long")),
        "today": montreal_today(),
        "produced_on": format_day(montreal_today(), "long"),
    }


def render_html(project: Project, choice: FunderChoice) -> str:
    with force_locale(locale_for(choice.lang)):
        return render_template("projects/funder_report_pdf.html", **report_data(project, choice))


def render_pdf(project: Project, choice: FunderChoice) -> bytes:
    return write_pdf(render_html(project, choice), STYLESHEET, "the funder's report")
