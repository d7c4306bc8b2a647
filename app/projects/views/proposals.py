"""The BRI's decision on a mission report's proposal to update an indicator: accept (the actual value is recorded)
or decline (with a comment), from the report's page or from the project's results. Each: load the proposal (404),
permission (403), a proposal already decided (409), validate, one service call in a unit of work, flash, back to
the page of the decision (303). A form with errors comes back on the report's page, beside the proposal."""

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import FORM_ERROR_STATUS
from app.core.http import abort
from app.extensions import db
from app.projects import bp, proposal_queries, services
from app.projects.forms import ProposalDecisionForm
from app.projects.proposals import IndicatorProposal
from app.projects.result_figures import pending_proposals
from app.projects.views.run import run
from app.reports.views.common import load_request_with_report, render_report_page


def decision_form(proposal: IndicatorProposal, failed: ProposalDecisionForm | None = None, back: str = ""):
    """The decision form of ``proposal`` (prefixed by its id); the one that failed validation when it is its."""
    prefix = f"decide{proposal.id}"
    if failed is not None and failed._prefix == f"{prefix}-":
        return failed
    form = ProposalDecisionForm(prefix=prefix, formdata=None)
    form.back.data = back
    return form


def _load(proposal_id: int) -> IndicatorProposal:
    proposal = db.session.get(IndicatorProposal, proposal_id)
    if proposal is None:
        abort(404)
    if not services.can_decide_proposal(current_user, proposal):
        abort(403)
    if not proposal.pending:
        raise services.ProposalConflict()
    return proposal


def _decide(proposal_id: int, call: Callable, success: str):
    proposal = _load(proposal_id)
    form = ProposalDecisionForm(prefix=f"decide{proposal.id}")
    request_id = proposal.request_id
    if form.validate_on_submit() and run(lambda: call(proposal, current_user, form.comment.data), form).ok:
        flash(success, "success")
        if form.back.data == "project":
            project_id = proposal.indicator.result.project_id
            return redirect(url_for("projects.detail", project_id=project_id, _anchor="results"), code=303)
        return redirect(url_for("reports.view", request_id=request_id, _anchor="proposals"), code=303)
    return render_report_page(load_request_with_report(request_id), status=FORM_ERROR_STATUS, proposal_form=form)


@bp.route("/propositions/<int:proposal_id>/accepter", methods=["POST"])
def proposal_accept(proposal_id: int):
    return _decide(proposal_id, services.accept_proposal, _("Proposal accepted: the actual value is recorded."))


@bp.route("/propositions/<int:proposal_id>/refuser", methods=["POST"])
def proposal_decline(proposal_id: int):
    return _decide(proposal_id, services.decline_proposal, _("Proposal declined: the employee sees your comment."))


# Template globals of the report's panel and of the project's results ------------------------------------------


def report_proposals(req) -> list[IndicatorProposal]:
    """The proposals of the report of ``req`` (one statement; none for a mission without a project)."""
    return proposal_queries.report_proposals(req.id) if req.project_id is not None else []


TEMPLATE_GLOBALS = {
    "report_proposals": report_proposals,
    "pending_proposals": pending_proposals,  # of the results loaded with them (no statement)
    "proposal_decision_form": decision_form,
    "can_decide_proposal": services.can_decide_proposal,
}
