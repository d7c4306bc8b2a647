"""Who may do what with a leave request: ``can_*(user, req)`` guards used by views, templates and services.

Each decision guard has two parts: the *relationship* (``acts_as_manager``, ``acts_as_bri``: role and link to the
request, whatever its status; failing it is a 403) and the *state* (the action is legal now; failing only that is
a 409 "the request changed"). Nobody acts on their own request as a decider, whatever their roles, and the
manager decision and the BRI decision on one request are made by two different people.

Who sees a request: its applicant; the applicant's manager and that manager's delegates during the delegation
(every status but ``draft``: a draft is the employee's work in progress); BRI officers (every request). The
administrator administers users and reference data: the role alone does not open requests.
"""

from datetime import date

from app.accounts.models import Role
from app.core.database import montreal_today
from app.leave import labels, queries
from app.leave.models import LeaveRequest
from app.leave.workflow import (
    ATTACHMENT_ADDED_IN,
    BRI_DECISION_STATUSES,
    CHECKLIST_STATUSES,
    EDITABLE_STATUSES,
    INITIAL_STATUS,
    MANAGER_DECISION_STATUSES,
    PARTNER_CONFIRMATION_STATUSES,
    allowed_actions,
)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and bool(getattr(user, "id", None))


def is_applicant(user, req: LeaveRequest) -> bool:
    return _authenticated(user) and req.applicant_id == user.id


def manager_of_request(user, req: LeaveRequest, today: date | None = None) -> bool:
    """The applicant's direct manager, or their delegate on ``today`` (never the applicant)."""
    if not _authenticated(user) or is_applicant(user, req):
        return False
    manager_id = req.applicant.manager_id
    if manager_id is None:
        return False
    return manager_id == user.id or queries.is_delegate_of(user, manager_id, today or montreal_today())


def acting_on_behalf_of(user, req: LeaveRequest):
    """The manager a delegate decides for (None when the manager decides themselves)."""
    manager = req.applicant.manager
    return None if manager is None or manager.id == user.id else manager


def is_bri(user) -> bool:
    return _authenticated(user) and user.has_role(Role.BRI)


def manager_decider_id(req: LeaveRequest) -> int | None:
    """Who took the manager's decision that is in force (the last ``manager_approve``)."""
    for transition in reversed(req.transitions):
        if transition.action == "manager_approve":
            return transition.actor_id
    return None


def acts_as_manager(user, req: LeaveRequest, today: date | None = None) -> bool:
    return manager_of_request(user, req, today)


def acts_as_bri(user, req: LeaveRequest) -> bool:
    return is_bri(user) and not is_applicant(user, req) and manager_decider_id(req) != user.id


def acts_as_canceller(user, req: LeaveRequest) -> bool:
    """A BRI officer, never on their own request."""
    return is_bri(user) and not is_applicant(user, req)


def acts_as_partner_asker(user, req: LeaveRequest) -> bool:
    """Who asks the host partner to confirm a mission, or records its confirmation: a BRI officer, never on their
    own request."""
    return is_bri(user) and not is_applicant(user, req)


def can_ask_partner(user, req: LeaveRequest) -> bool:
    return (
        req.partner_id is not None and req.status in PARTNER_CONFIRMATION_STATUSES and acts_as_partner_asker(user, req)
    )


def can_fill_checklist(user, req: LeaveRequest) -> bool:
    """The pre-departure checklist is the applicant's to complete, while the mission is approved and not started."""
    return is_applicant(user, req) and req.status in CHECKLIST_STATUSES


def acts_as_checklist_excepter(user, req: LeaveRequest) -> bool:
    """Who lets a mission leave with its checklist incomplete: a BRI officer, never on their own request."""
    return is_bri(user) and not is_applicant(user, req)


def can_except_checklist(user, req: LeaveRequest) -> bool:
    return req.status in CHECKLIST_STATUSES and acts_as_checklist_excepter(user, req)


def can_view(user, req: LeaveRequest, today: date | None = None) -> bool:
    if not _authenticated(user):
        return False
    if is_applicant(user, req) or is_bri(user):
        return True
    return req.status != INITIAL_STATUS and manager_of_request(user, req, today)


def can_edit(user, req: LeaveRequest) -> bool:
    return is_applicant(user, req) and req.status in EDITABLE_STATUSES


def can_submit(user, req: LeaveRequest) -> bool:
    return is_applicant(user, req) and "submit" in allowed_actions(req.status)


def can_withdraw(user, req: LeaveRequest, today: date | None = None) -> bool:
    """The applicant withdraws before the start date (an approved mission included)."""
    return (
        is_applicant(user, req)
        and "withdraw" in allowed_actions(req.status)
        and (today or montreal_today()) < req.start_date
    )


def can_manager_decide(user, req: LeaveRequest, today: date | None = None) -> bool:
    return req.status in MANAGER_DECISION_STATUSES and acts_as_manager(user, req, today)


def can_bri_decide(user, req: LeaveRequest) -> bool:
    return req.status in BRI_DECISION_STATUSES and acts_as_bri(user, req)


def can_cancel(user, req: LeaveRequest) -> bool:
    return "cancel" in allowed_actions(req.status) and acts_as_canceller(user, req)


def can_download_attachment(user, req: LeaveRequest, today: date | None = None) -> bool:
    return can_view(user, req, today)


def can_manage_attachments(user, req: LeaveRequest) -> bool:
    """Add or remove the request's own attachments: the applicant, while the request can be edited."""
    return can_edit(user, req)


def can_add_attachment(user, req: LeaveRequest) -> bool:
    """Add a file: the applicant, while the request can be edited and, after its submission, until the BRI's
    decision (each such file then recorded in the history). Removing stays for the editable statuses."""
    return can_manage_attachments(user, req) or (is_applicant(user, req) and req.status in ATTACHMENT_ADDED_IN)


def can_delegate(user) -> bool:
    """Managers (by role, or because someone reports to them) name delegates."""
    return _authenticated(user) and (user.has_role(Role.MANAGER) or queries.has_direct_reports(user))


def can_see_manager_queue(user, today: date | None = None) -> bool:
    """Managers (by role or with a team) and today's delegates have an "À approuver" page."""
    return can_delegate(user) or bool(queries.delegators_of(user, today or montreal_today()))


def allowed_for(user, req: LeaveRequest, today: date | None = None) -> dict[str, bool]:
    """The buttons a page shows for ``user``."""
    return {
        "edit": can_edit(user, req),
        "submit": can_submit(user, req),
        "withdraw": can_withdraw(user, req, today),
        "manager": can_manager_decide(user, req, today),
        "bri": can_bri_decide(user, req),
        "cancel": can_cancel(user, req),
        "attachments": can_manage_attachments(user, req),
        "add_attachment": can_add_attachment(user, req),
        "partner": can_ask_partner(user, req),
        "checklist": can_fill_checklist(user, req),
        "checklist_exception": can_except_checklist(user, req),
    }


def next_step_reader(user, req: LeaveRequest, can: dict[str, bool]) -> str:
    """Whose words the request's next step takes for ``user`` (``can``: :func:`allowed_for`): the applicant's, the
    decider's (the manager, their delegate or a BRI officer who may decide now), or anyone else's."""
    if is_applicant(user, req):
        return labels.APPLICANT
    if can["manager"] or can["bri"]:
        return labels.DECIDER
    return labels.OTHER
