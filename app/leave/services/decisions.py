"""The deciders' services: the manager's decision (or their delegate's), the BRI's decision, the BRI's cancellation."""

from datetime import date

from flask_babel import gettext as _

from app.core.database import montreal_today
from app.leave import permissions
from app.leave.models import LeaveRequest, Transition
from app.leave.notifications import after_transition
from app.leave.services import NotAllowedError
from app.leave.services.partners import auto_ask_partner
from app.leave.services.requests import check_state, check_version
from app.leave.services.rules import check_advisory_exception, check_budget, check_period_at_decision
from app.leave.services.transitions import perform
from app.leave.workflow import BRI_ACTIONS, MANAGER_ACTIONS


def _decide(
    req: LeaveRequest,
    actor,
    action: str,
    comment: str,
    expected_version: int | None,
    today: date,
    on_behalf_of=None,
    advisory_exception: bool = False,
) -> Transition:
    """The decision itself, once the decider is known: still possible now, within the budget, recorded, told."""
    check_version(req, expected_version)
    check_state(req, action)
    exception_level = None
    if action == "bri_approve":
        exception_level = check_advisory_exception(req, advisory_exception, comment)
        check_period_at_decision(req)
        check_budget(req)
    transition = perform(
        req, action, actor, comment=comment, on_behalf_of=on_behalf_of, advisory_exception_level=exception_level
    )
    after_transition(req, transition, today)
    if action == "manager_approve":
        auto_ask_partner(req)  # with PARTNER_CONFIRMATION_AUTO only
    return transition


def manager_decide(
    req: LeaveRequest,
    actor,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> Transition:
    """Approve, reject or ask for changes as the applicant's manager or the manager's delegate."""
    today = today or montreal_today()
    if action not in MANAGER_ACTIONS:
        raise ValueError(action)
    if not permissions.acts_as_manager(actor, req, today):
        raise NotAllowedError(_("Only the applicant's manager or their delegate decides at this step."))
    on_behalf_of = permissions.acting_on_behalf_of(actor, req)
    return _decide(req, actor, action, comment, expected_version, today, on_behalf_of)


def bri_decide(
    req: LeaveRequest,
    actor,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
    today: date | None = None,
    advisory_exception: bool = False,
) -> Transition:
    """Approve (within the cycle's budget and places), reject or ask for changes as a BRI officer. An approval to a
    destination at travel advisory level 3 or 4 needs ``advisory_exception`` and a comment that explains it."""
    today = today or montreal_today()
    if action not in BRI_ACTIONS:
        raise ValueError(action)
    if not permissions.acts_as_bri(actor, req):
        raise NotAllowedError(
            _("Only a BRI officer who neither applied nor took the manager's decision decides at this step.")
        )
    return _decide(req, actor, action, comment, expected_version, today, advisory_exception=advisory_exception)


def cancel_request(
    req: LeaveRequest, actor, comment: str = "", expected_version: int | None = None, today: date | None = None
) -> Transition:
    today = today or montreal_today()
    if not permissions.acts_as_canceller(actor, req):
        raise NotAllowedError(_("Only a BRI officer cancels a mission, never their own."))
    return _decide(req, actor, "cancel", comment, expected_version, today)
