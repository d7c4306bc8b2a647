"""Reading the proposals of mission reports (:mod:`app.projects.proposals`): those of one report for its page and the
choices of the report's form, one statement each. Those waiting for the BRI in a project's results come with the
results framework (:func:`app.projects.result_figures.load_results`)."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.projects.proposals import IndicatorProposal
from app.projects.result_figures import load_results, period_label
from app.projects.results import ResultIndicator

# A report's proposals shown (a report has one pending at a time; the decided ones stay).
SHOWN = 20


def _with_rows(query):
    return query.options(
        joinedload(IndicatorProposal.indicator).lazyload(ResultIndicator.result),
        joinedload(IndicatorProposal.period),
        joinedload(IndicatorProposal.decided_by).lazyload(User.role_rows),
    )


def report_proposals(request_id: int) -> list[IndicatorProposal]:
    """The proposals of a report, the latest first, with their indicator, period and who decided."""
    query = select(IndicatorProposal).where(IndicatorProposal.request_id == request_id)
    return list(db.session.scalars(_with_rows(query).order_by(IndicatorProposal.id.desc()).limit(SHOWN)).unique())


def proposal_choices(project_id: int, lang: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The report form's choices: (the project's indicators, their periods), each led by "none"."""
    indicators = [(0, "—")]
    periods = [(0, "—")]
    for result in load_results(project_id):
        for indicator in result.indicators:
            if not indicator.periods:
                continue
            indicators.append((indicator.id, indicator.title(lang)))
            periods += [(p.id, f"{indicator.title(lang)} · {period_label(p)}") for p in indicator.periods]
    return indicators, periods
