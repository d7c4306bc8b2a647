"""A mission report's proposal to update one of its project's indicators (:mod:`app.projects.proposals`).

The employee proposes while writing the report (the report's own service calls :func:`propose_indicator_update`
through the ``reports.report_form`` extension, in its unit of work); the BRI accepts, which records the actual value
through :func:`~app.projects.services.results.record_actual` (who, when and the project's history, as for any actual
value), or declines with a comment. A decision is taken once: of two decisions on the same proposal, a conditional
UPDATE lets one through and the other is a 409.
"""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import errors
from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.permissions import can_manage_projects
from app.projects.proposals import IndicatorProposal, ProposalDecision
from app.projects.results import IndicatorPeriod, ResultIndicator
from app.projects.services.results import actual_errors, record_actual
from app.projects.services.rules import NotAllowed, ProjectRuleError

# The name of the proposal's sub-form in the report's form: its fields are "proposal-indicator_id", ...
PREFIX = "proposal"
# record_actual's fields, as the proposal's form names them.
_FIELDS = {"actual_value": f"{PREFIX}-value", "actual_comment": f"{PREFIX}-comment"}


SAVED_MEANWHILE = _l(
    "The report's proposal was saved in the meantime (in another tab or by another click), so yours was not. "
    "Reload the report to see it."
)


class ProposalConflict(errors.Conflict):
    """The proposal was already decided (by someone else, or by a second click): nothing was changed (409)."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _l(
                "This proposal was already decided (accepted or declined) in the meantime, so your decision was not "
                "recorded. Reload the page to see its current state."
            )
        )


def pending_proposal(req: LeaveRequest) -> IndicatorProposal | None:
    """The report's proposal that waits for the BRI, if any (a report has at most one at a time)."""
    query = select(IndicatorProposal).where(
        IndicatorProposal.request_id == req.id, IndicatorProposal.decision == ProposalDecision.PENDING.value
    )
    return db.session.scalars(query.order_by(IndicatorProposal.id.desc()).limit(1)).first()


def _chosen(req: LeaveRequest, indicator_id, period_id) -> tuple[ResultIndicator, IndicatorPeriod]:
    """The indicator, of the mission's project, and its period; a field error otherwise."""
    if req.project_id is None:
        raise ProjectRuleError(errors={f"{PREFIX}-indicator_id": _("This mission is not linked to a project.")})
    indicator = db.session.get(ResultIndicator, indicator_id) if indicator_id else None
    if indicator is None or indicator.result.project_id != req.project_id:
        raise ProjectRuleError(errors={f"{PREFIX}-indicator_id": _("Choose an indicator of the mission's project.")})
    period = db.session.get(IndicatorPeriod, period_id) if period_id else None
    if period is None or period.indicator_id != indicator.id:
        raise ProjectRuleError(errors={f"{PREFIX}-period_id": _("Choose a period of this indicator.")})
    return indicator, period


def propose_indicator_update(req: LeaveRequest, data: dict | None, actor: User) -> IndicatorProposal | None:
    """Keep the report's proposal: ``data`` holds ``indicator_id``, ``period_id``, ``value`` and ``comment``.

    No indicator chosen: no proposal (a pending one is withdrawn). The value follows the rule of an actual value
    (:func:`~app.projects.services.results.actual_errors`). A proposal still pending is replaced; a decided one
    stays as it was decided."""
    if req.applicant_id != getattr(actor, "id", None):
        raise NotAllowed
    data = data or {}
    # The request's row locked (PostgreSQL): two saves of the report at the same moment read the pending proposal
    # one after the other, and the second replaces what the first wrote.
    db.session.execute(select(LeaveRequest.id).where(LeaveRequest.id == req.id).with_for_update()).all()
    pending = pending_proposal(req)
    if not data.get("indicator_id"):
        if pending is not None:
            db.session.delete(pending)
            db.session.flush()
        return None
    indicator, period = _chosen(req, data.get("indicator_id"), data.get("period_id"))
    value: Decimal | None = data.get("value")
    comment = (data.get("comment") or "").strip()
    problems = actual_errors(indicator, value, comment)
    if problems:
        raise ProjectRuleError(errors={_FIELDS[name]: message for name, message in problems.items()})
    proposal = pending or IndicatorProposal(request_id=req.id, proposed_by_id=actor.id)
    proposal.indicator_id, proposal.period_id = indicator.id, period.id
    proposal.value, proposal.comment = value, comment
    proposal.proposed_at = utcnow()
    db.session.add(proposal)
    try:
        db.session.flush()
    except IntegrityError:  # a second pending proposal (uq_indicator_proposal_one_pending): the other save came first
        raise ProposalConflict(SAVED_MEANWHILE) from None
    return proposal


def can_decide_proposal(user, proposal: IndicatorProposal) -> bool:
    """A BRI officer other than the employee who proposed (nobody decides on their own proposal)."""
    return can_manage_projects(user) and proposal.request.applicant_id != user.id


def _decide(proposal: IndicatorProposal, actor: User, decision: ProposalDecision, comment: str) -> None:
    """Mark the proposal decided if it is still pending: a conditional UPDATE, so that of two decisions one wins."""
    if not can_decide_proposal(actor, proposal):
        raise NotAllowed
    report = proposal.request.mission_report
    if report is None or report.submitted_at is None:
        raise ProposalConflict(_l("The report of this proposal has not been submitted: it cannot be decided yet."))
    done = db.session.execute(
        update(IndicatorProposal)
        .where(IndicatorProposal.id == proposal.id, IndicatorProposal.decision == ProposalDecision.PENDING.value)
        .values(decision=decision.value, decided_by_id=actor.id, decided_at=utcnow(), decision_comment=comment)
        .execution_options(synchronize_session="fetch")
    )
    if done.rowcount != 1:
        raise ProposalConflict()


def accept_proposal(proposal: IndicatorProposal, actor: User, comment: str = "") -> IndicatorProposal:
    """The BRI accepts: the period's actual value is recorded from the proposal (:func:`record_actual`)."""
    _decide(proposal, actor, ProposalDecision.ACCEPTED, (comment or "").strip())
    try:
        record_actual(proposal.period, {"actual_value": proposal.value, "actual_comment": proposal.comment}, actor)
    except ProjectRuleError as exc:  # the indicator changed since (its measure): said above the form
        raise ProjectRuleError(errors={"": " ".join(exc.errors.values())}) from None
    db.session.refresh(proposal)
    return proposal


def decline_proposal(proposal: IndicatorProposal, actor: User, comment: str) -> IndicatorProposal:
    """The BRI declines, with a comment (required) that the employee reads on the report."""
    if not can_decide_proposal(actor, proposal):
        raise NotAllowed
    comment = (comment or "").strip()
    if not comment:
        raise ProjectRuleError(errors={"comment": _("A comment is required to decline the proposal.")})
    _decide(proposal, actor, ProposalDecision.DECLINED, comment)
    db.session.refresh(proposal)
    return proposal
