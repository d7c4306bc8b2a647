"""The applicant's services: create and edit a request, submit it, withdraw it."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.core.database import montreal_today
from app.core.registry import registry_of
from app.core.workdays import working_days
from app.extensions import db
from app.leave import permissions
from app.leave.models import LeaveRequest, Transition
from app.leave.notifications import after_transition
from app.leave.services import ConflictError, NotAllowedError, RuleError, changed
from app.leave.services.references import next_reference
from app.leave.services.rules import check_request, check_submission_window, cycle_for_dates
from app.leave.services.transitions import perform
from app.leave.workflow import EDITABLE_STATUSES, INITIAL_STATUS, allowed_actions
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle

# The fields of the form copied as they are (amounts as Decimal, texts stripped).
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

# The fields of the form the user types text into: a 409 page shows them back, whatever their length.
TEXT_FIELDS = ("city", "objectives", "expertise", "benefits", "languages")


def edited_meanwhile(req: LeaveRequest) -> ConflictError:
    """The conflict of a save from a page older than the request (another tab, another save at the same moment):
    nothing is saved, the 409 page shows the request's current state and the text the user typed."""
    return ConflictError(
        _(
            "This request was saved in the meantime (in another tab or by another click), so yours was not. "
            "Your text is below."
        ),
        req,
        keep=TEXT_FIELDS,
    )


def check_version(req: LeaveRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != req.version:
        raise changed(req)


def check_state(req: LeaveRequest, action: str) -> None:
    if action not in allowed_actions(req.status):
        raise changed(req)


def _chosen_cycle(req: LeaveRequest, data: dict) -> ProgrammeCycle:
    """The cycle the form names; none named: the open cycle the mission's dates fall in."""
    if not data.get("cycle_id"):
        cycle = cycle_for_dates(data.get("start_date"), data.get("end_date"), data["today"])
        if cycle is None:
            raise RuleError(_("Choose a programme cycle."), field="cycle_id")
        return cycle
    cycle = db.session.get(ProgrammeCycle, data["cycle_id"])
    if cycle is None:
        raise RuleError(_("Choose a programme cycle."), field="cycle_id")
    if cycle.id != req.cycle_id and not cycle.is_open_on(data["today"]):
        raise RuleError(_("Applications to this cycle are not open."), field="cycle_id")
    return cycle


def _chosen_country(data: dict) -> Country:
    country = db.session.get(Country, (data.get("country_code") or "").upper())
    if country is None or not country.eligible:
        raise RuleError(_("Choose an eligible country."), field="country_code")
    return country


def _chosen_partner(req: LeaveRequest, data: dict) -> PartnerOrganisation | None:
    if not data.get("partner_id"):
        return None
    partner = db.session.get(PartnerOrganisation, data["partner_id"])
    if partner is None or (not partner.active and partner.id != req.partner_id):
        raise RuleError(_("Choose an active partner organisation."), field="partner_id")
    return partner


def _apply_data(req: LeaveRequest, data: dict) -> None:
    cycle, country, partner = _chosen_cycle(req, data), _chosen_country(data), _chosen_partner(req, data)
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


def _apply_extensions(req: LeaveRequest, data: dict, actor) -> None:
    """The fields the domains above add to the form (point ``leave.request_form``): each applies its value, with its
    own rules, in this unit of work."""
    for ext in registry_of().extensions("leave.request_form"):
        if ext.name in data:
            ext.apply(req, data[ext.name], actor)


def _existing_creation(applicant, creation_token: str | None) -> LeaveRequest | None:
    """The request a first post of the same creation form made, if any."""
    if not creation_token:
        return None
    existing = db.session.scalar(select(LeaveRequest).where(LeaveRequest.creation_token == creation_token))
    if existing is not None and existing.applicant_id != applicant.id:
        raise NotAllowedError(_("This form belongs to someone else."))
    return existing


def create_request(
    applicant, data: dict, creation_token: str | None = None, submit: bool = False, today: date | None = None
) -> tuple[LeaveRequest, bool]:
    """A new draft (submitted at once when ``submit``). Returns (request, created): a second post of the same
    creation form (``creation_token``) returns the request of the first instead of creating another."""
    today = today or montreal_today()
    existing = _existing_creation(applicant, creation_token)
    if existing is not None:
        return existing, False
    req = LeaveRequest(
        applicant=applicant, applicant_id=applicant.id, status=INITIAL_STATUS, creation_token=creation_token or None
    )
    with db.session.no_autoflush:
        _apply_data(req, {**data, "today": today})
        check_request(req, today)
    req.reference = next_reference(req.cycle.year)
    db.session.add(req)
    with db.session.no_autoflush:
        _apply_extensions(req, data, applicant)
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
    if expected_version is not None and expected_version != req.version:
        raise edited_meanwhile(req)
    if req.status not in EDITABLE_STATUSES:
        raise changed(req)
    with db.session.no_autoflush:
        _apply_data(req, {**data, "today": today})
        check_request(req, today)
        _apply_extensions(req, data, actor)
    try:
        db.session.flush()
    except StaleDataError:  # another save of the same version committed first (its UPDATE took the row lock)
        raise edited_meanwhile(req) from None
    if submit:
        submit_request(req, actor, today=today)
    return req


def submit_request(
    req: LeaveRequest, actor, expected_version: int | None = None, today: date | None = None
) -> Transition:
    today = today or montreal_today()
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant submits a request."))
    check_version(req, expected_version)
    check_state(req, "submit")
    if req.applicant.manager is None:
        raise RuleError(_("You have no manager in the application: ask the administrator to name one."))
    with db.session.no_autoflush:
        check_request(req, today)
        if req.status == INITIAL_STATUS:
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
    check_version(req, expected_version)
    check_state(req, "withdraw")
    if today >= req.start_date:
        raise RuleError(_("The mission has started: it can no longer be withdrawn; the BRI may cancel it."))
    transition = perform(req, "withdraw", actor, comment=comment)
    after_transition(req, transition, today)
    return transition
