"""Reading a project's results framework for its page: results, indicators, periods and who recorded each actual
value in one statement, and a chart per indicator (target and actual value of each period) with its numbers."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased, contains_eager

from app.accounts.models import User
from app.core import charts
from app.core.i18n import format_day, number
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.proposals import IndicatorProposal, ProposalDecision
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reports.models import MissionReport


def load_results(
    project_id: int, recorders: bool = True, between: tuple[date, date] | None = None, proposals: bool = False
) -> list[ProjectResult]:
    """The project's results in their order, each with its indicators and their periods, and (``recorders``) the
    people who recorded the actual values: one statement (a row per period; a project has a handful). Without
    ``recorders`` (the public page), nobody is read, and reaching for the recorder raises. With ``between`` (first
    and last day), each indicator holds only the periods that overlap those days (a funder's report). With
    ``proposals`` (the BRI's page), each period also brings the proposals of submitted mission reports that wait for
    the BRI, with the mission and its applicant (``IndicatorPeriod.pending_proposals``), in the same statement."""
    period_join = ResultIndicator.periods
    if between is not None:
        period_join = period_join.and_(
            IndicatorPeriod.period_start <= between[1], IndicatorPeriod.period_end >= between[0]
        )
    periods = contains_eager(ProjectResult.indicators).contains_eager(ResultIndicator.periods)
    query = select(ProjectResult).outerjoin(ProjectResult.indicators).outerjoin(period_join)
    if recorders:
        recorder = aliased(User)
        query = query.outerjoin(recorder, recorder.id == IndicatorPeriod.actual_recorded_by_id)
        options = [
            periods.contains_eager(IndicatorPeriod.actual_recorded_by.of_type(recorder)).lazyload(recorder.role_rows)
        ]
    else:
        options = [periods.raiseload(IndicatorPeriod.actual_recorded_by)]
    query = query.where(ProjectResult.project_id == project_id)
    if proposals:
        query, proposal_options = _with_pending_proposals(query, periods)
        options += proposal_options
    query = query.options(*options).order_by(
        ProjectResult.position,
        ProjectResult.id,
        ResultIndicator.position,
        ResultIndicator.id,
        IndicatorPeriod.period_start,
        IndicatorPeriod.id,
        *([IndicatorProposal.id] if proposals else []),
    )
    if between is not None:  # the periods kept are the join's: a collection already loaded in the session is replaced
        query = query.execution_options(populate_existing=True)
    return list(db.session.scalars(query).unique())


def _with_pending_proposals(query, periods):
    """Outer-join each period's pending proposals of submitted reports, their mission and its applicant."""
    applicant = aliased(User)
    submitted = select(MissionReport.request_id).where(MissionReport.submitted_at.is_not(None))
    query = (
        query.outerjoin(
            IndicatorProposal,
            and_(
                IndicatorProposal.period_id == IndicatorPeriod.id,
                IndicatorProposal.decision == ProposalDecision.PENDING.value,
                IndicatorProposal.request_id.in_(submitted),
            ),
        )
        .outerjoin(LeaveRequest, LeaveRequest.id == IndicatorProposal.request_id)
        .outerjoin(applicant, applicant.id == LeaveRequest.applicant_id)
    )
    proposal = periods.contains_eager(IndicatorPeriod.pending_proposals)
    options = [
        proposal.contains_eager(IndicatorProposal.request)
        .contains_eager(LeaveRequest.applicant.of_type(applicant))
        .lazyload(applicant.role_rows)
    ]
    return query, options


def pending_proposals(results: list[ProjectResult]) -> list[IndicatorProposal]:
    """The proposals waiting for the BRI that :func:`load_results` brought with ``proposals``, in the framework's
    order (no statement)."""
    return [p for r in results for i in r.indicators for period in i.periods for p in period.pending_proposals]


def result_choices(results: list[ProjectResult], lang: str) -> list[tuple[int, str]]:
    """The choices of "the result a mission served": none, then the project's results."""
    return [(0, _("(none)"))] + [(r.id, f"{r.type_label} – {r.title(lang)}") for r in results]


def period_label(period: IndicatorPeriod) -> str:
    return _("%(start)s to %(end)s", start=format_day(period.period_start), end=format_day(period.period_end))


@dataclass
class IndicatorChart:
    svg: Markup
    title: str


def indicator_chart(indicator: ResultIndicator, lang: str, for_pdf: bool = False) -> IndicatorChart | None:
    """Target and actual value of each period as bars (None for a qualitative indicator or one without periods)."""
    if indicator.qualitative or not indicator.periods:
        return None
    title = _("%(indicator)s: target and actual value", indicator=indicator.title(lang))
    labels = [format_day(p.period_end, "MMM yyyy") for p in indicator.periods]

    def values(name: str) -> list[float | None]:
        return [float(v) if (v := getattr(p, name)) is not None else None for p in indicator.periods]

    series = ((_("Target"), tuple(values("target_value"))), (_("Actual value"), tuple(values("actual_value"))))
    return IndicatorChart(_bars(indicator.id, title, tuple(labels), series, lang, for_pdf), title)


@lru_cache(maxsize=256)
def _bars(indicator_id: int, title: str, labels: tuple[str, ...], series: tuple, lang: str, for_pdf: bool) -> Markup:
    """The chart of these figures, drawn once per process (pygal took 45 ms per chart, four on a project's page): the
    key is what the chart shows, in the reader's language, so a changed value draws it again (and the indicator, so
    that two alike on one page keep their own element ids)."""
    series_lists = [(name, list(values)) for name, values in series]
    return charts.grouped_bars(title, list(labels), series_lists, number, for_pdf=for_pdf)


def indicator_charts(results: list[ProjectResult], lang: str, for_pdf: bool = False) -> dict[int, IndicatorChart]:
    """The chart of each indicator that has one, by indicator id."""
    found = {}
    for result in results:
        for indicator in result.indicators:
            chart = indicator_chart(indicator, lang, for_pdf)
            if chart is not None:
                found[indicator.id] = chart
    return found
