"""Leave-request services: create, edit, submit, withdraw, decide, cancel.

Each takes the actor as an argument, re-checks the permission (``NotAllowedError`` → 403), the state and version
(``ConflictError`` → 409) and the data rules (``RuleError`` → the message next to the field), applies the action
through :func:`perform`, queues the notifications and flushes. The caller commits (or rolls back on error).
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.database import montreal_today
from app.extensions import db
from app.leave import permissions
from app.leave.models import LeaveRequest, Transition
from app.leave.notifications import after_transition
from app.leave.references import next_reference
from app.leave.rules import check_budget, check_request, check_submission_window, working_days
from app.leave.transitions import ConflictError, RuleError, WorkflowError, perform
from app.leave.workflow import allowed_actions
from app.projects.models import Project, ProjectStatus
from app.projects.services import NotAllowed as ProjectNotAllowed
from app.projects.services import ProjectRuleError, link_request_to_project
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle

MANAGER_ACTIONS = frozenset(permissions.DECIDERS_ACTIONS["manager"])
BRI_ACTIONS = frozenset(permissions.DECIDERS_ACTIONS["bri"])
FIELDS = (
    "country_code",
    "city",
    "objectives",
    "expertise",
    "benefits",
    "languages",
    "start_date",
    "end_date",
    "cost_transport",
    "cost_lodging",
    "cost_per_diem",
    "cost_other",
    "amount_requested",
)


class NotAllowedError(WorkflowError):
    """The actor may not do this to this request (HTTP 403)."""


def _changed_message() -> str:
    return _("This request changed in the meantime: the action is no longer possible in its current status.")


def _check_version(req: LeaveRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != req.version:
        raise ConflictError(_changed_message(), req.id)


def _check_state(req: LeaveRequest, action: str) -> None:
    if action not in allowed_actions(req.status):
        raise ConflictError(_changed_message(), req.id)


def _apply_data(req: LeaveRequest, data: dict) -> None:
    cycle = db.session.get(ProgrammeCycle, data.get("cycle_id") or 0)
    if cycle is None:
        raise RuleError(_("Choose a programme cycle."), field="cycle_id")
    if cycle.id != req.cycle_id and not cycle.is_open_on(data["today"]):
        raise RuleError(_("Applications to this cycle are not open."), field="cycle_id")
    country = db.session.get(Country, (data.get("country_code") or "").upper())
    if country is None or not country.eligible:
        raise RuleError(_("Choose an eligible country."), field="country_code")
    partner = None
    if data.get("partner_id"):
        partner = db.session.get(PartnerOrganisation, data["partner_id"])
        if partner is None or (not partner.active and partner.id != req.partner_id):
            raise RuleError(_("Choose an active partner organisation."), field="partner_id")
    for field in FIELDS:
        value = data.get(field)
        if field.startswith(("cost_", "amount_")):
            value = Decimal(value if value is not None else "0")
        elif isinstance(value, str):
            value = value.strip()
        setattr(req, field, value)
    req.country_code = country.code
    req.cycle = cycle
    req.partner = partner
    if req.start_date is None or req.end_date is None:
        raise RuleError(_("This field is required."), field="start_date" if req.start_date is None else "end_date")
    req.working_days = working_days(req.start_date, req.end_date)


def _apply_project(req: LeaveRequest, data: dict, actor) -> None:
    """Link the request to the project chosen on the form (0: none) through the projects domain, which checks its
    own rules and writes the project's history. An unchanged choice is left alone, so that a draft keeps a project
    that is no longer active; a new choice must be an active project."""
    if "project_id" not in data:
        return
    project_id = data["project_id"] or None
    if project_id == req.project_id:
        return
    project = db.session.get(Project, project_id) if project_id else None
    if project_id and (project is None or project.status != ProjectStatus.ACTIVE.value):
        raise RuleError(_("Choose an active cooperation project."), field="project_id")
    try:
        link_request_to_project(req, project, actor)
    except ProjectNotAllowed:
        raise NotAllowedError(_("Only the applicant edits a request.")) from None
    except ProjectRuleError as exc:
        raise RuleError(next(iter(exc.errors.values())), field="project_id") from None


def create_request(
    applicant, data: dict, creation_token: str | None = None, submit: bool = False, today: date | None = None
) -> tuple[LeaveRequest, bool]:
    """A new draft (submitted at once when ``submit``). Returns (request, created): a second post of the same
    creation form (``creation_token``) returns the request of the first instead of creating another."""
    today = today or montreal_today()
    if creation_token:
        existing = db.session.scalar(select(LeaveRequest).where(LeaveRequest.creation_token == creation_token))
        if existing is not None:
            if existing.applicant_id != applicant.id:
                raise NotAllowedError(_("This form belongs to someone else."))
            return existing, False
    req = LeaveRequest(
        applicant=applicant, applicant_id=applicant.id, status="draft", creation_token=creation_token or None
    )
    with db.session.no_autoflush:
        _apply_data(req, {**data, "today": today})
        check_request(req, today)
    req.reference = next_reference(req.cycle.year)
    db.session.add(req)
    with db.session.no_autoflush:
        _apply_project(req, data, applicant)
    db.session.flush()
    if submit:
        submit_request(req, applicant, today=today)
    return req, True


def update_request(
    req: LeaveRequest,
    actor,
    data: dict,
    expected_version: int | None = None,
    submit: bool = False,
    today: date | None = None,
) -> LeaveRequest:
    """Edit a draft or a request sent back for changes (and submit it again when ``submit``)."""
    today = today or montreal_today()
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant edits a request."))
    _check_version(req, expected_version)
    if req.status not in permissions.EDITABLE_STATUSES:
        raise ConflictError(_changed_message(), req.id)
    with db.session.no_autoflush:
        _apply_data(req, {**data, "today": today})
        check_request(req, today)
        _apply_project(req, data, actor)
    db.session.flush()
    if submit:
        submit_request(req, actor, today=today)
    return req


def submit_request(req: LeaveRequest, actor, expected_version: int | None = None, today: date | None = None):
    today = today or montreal_today()
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant submits a request."))
    _check_version(req, expected_version)
    _check_state(req, "submit")
    if req.applicant.manager is None:
        raise RuleError(_("You have no manager in the application: ask the administrator to name one."))
    with db.session.no_autoflush:
        check_request(req, today)
        if req.status == "draft":
            check_submission_window(req, today)
    transition = perform(req, "submit", actor)
    after_transition(req, transition, today)
    return transition


def withdraw_request(
    req: LeaveRequest, actor, comment: str = "", expected_version: int | None = None, today: date | None = None
) -> Transition:
    today = today or montreal_today()
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant withdraws a request."))
    _check_version(req, expected_version)
    _check_state(req, "withdraw")
    if today >= req.start_date:
        raise RuleError(_("The mission has started: it can no longer be withdrawn; the BRI may cancel it."))
    transition = perform(req, "withdraw", actor, comment=comment)
    after_transition(req, transition, today)
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
    _check_version(req, expected_version)
    _check_state(req, action)
    on_behalf_of = permissions.acting_on_behalf_of(actor, req)
    transition = perform(req, action, actor, comment=comment, on_behalf_of=on_behalf_of)
    after_transition(req, transition, today)
    return transition


def bri_decide(
    req: LeaveRequest,
    actor,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> Transition:
    """Approve (within the cycle's budget and places), reject or ask for changes as a BRI officer."""
    today = today or montreal_today()
    if action not in BRI_ACTIONS:
        raise ValueError(action)
    if not permissions.acts_as_bri(actor, req):
        raise NotAllowedError(
            _("Only a BRI officer who neither applied nor took the manager's decision decides at this step.")
        )
    _check_version(req, expected_version)
    _check_state(req, action)
    if action == "bri_approve":
        check_budget(req)
    transition = perform(req, action, actor, comment=comment)
    after_transition(req, transition, today)
    return transition


def cancel_request(
    req: LeaveRequest, actor, comment: str = "", expected_version: int | None = None, today: date | None = None
) -> Transition:
    today = today or montreal_today()
    if not permissions.is_bri(actor) or permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only a BRI officer cancels a mission, never their own."))
    _check_version(req, expected_version)
    _check_state(req, "cancel")
    transition = perform(req, "cancel", actor, comment=comment)
    after_transition(req, transition, today)
    return transition
