"""The data rules of a leave request: dates, amounts, overlap, the cycle's window and budget.

Each check raises :class:`RuleError` with a translated message and the form field it belongs to.
"""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.i18n import money
from app.core.workdays import working_days
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.services import RuleError
from app.leave.workflow import ACTIVE_STATUSES, COMMITTED_STATUSES
from app.reference.models import ProgrammeCycle


def check_amounts(req: LeaveRequest) -> None:
    for field in ("cost_transport", "cost_lodging", "cost_per_diem", "cost_other", "amount_requested"):
        value = getattr(req, field)
        if value is None or value < 0:
            raise RuleError(_("The amount cannot be negative."), field=field)
    if req.amount_requested > req.total_cost:
        raise RuleError(_("The amount asked cannot exceed the total estimated costs."), field="amount_requested")


def check_dates(req: LeaveRequest, today: date) -> None:
    """End after start, the cycle's notice and duration bounds, no overlap with another active request."""
    cycle = req.cycle
    if req.end_date < req.start_date:
        raise RuleError(_("The end date must be on or after the start date."), field="end_date")
    earliest = today + timedelta(days=cycle.min_notice_days)
    if req.start_date < earliest:
        raise RuleError(
            _(
                "The cycle requires %(days)s days of notice: the mission cannot start before %(date)s.",
                days=cycle.min_notice_days,
                date=format_date(earliest),
            ),
            field="start_date",
        )
    days = working_days(req.start_date, req.end_date)
    if not cycle.min_working_days <= days <= cycle.max_working_days:
        raise RuleError(
            _(
                "The mission lasts %(days)s working days; the cycle allows %(min)s to %(max)s.",
                days=days,
                min=cycle.min_working_days,
                max=cycle.max_working_days,
            ),
            field="end_date",
        )
    overlapping = db.session.scalar(
        select(LeaveRequest.reference).where(
            LeaveRequest.applicant_id == req.applicant_id,
            LeaveRequest.id != (req.id or 0),
            LeaveRequest.status.in_(ACTIVE_STATUSES),
            LeaveRequest.start_date <= req.end_date,
            LeaveRequest.end_date >= req.start_date,
        )
    )
    if overlapping:
        raise RuleError(_("These dates overlap your request %(reference)s.", reference=overlapping), field="start_date")


def check_partner(req: LeaveRequest) -> None:
    if req.partner is not None and req.partner.country_code != req.country_code:
        raise RuleError(_("This partner organisation is not in the chosen country."), field="partner_id")


def check_request(req: LeaveRequest, today: date) -> None:
    check_amounts(req)
    check_partner(req)
    check_dates(req, today)


def check_submission_window(req: LeaveRequest, today: date) -> None:
    """A first submission happens inside the cycle's application window (an answer to changes may come later)."""
    cycle = req.cycle
    if not cycle.is_open_on(today):
        raise RuleError(
            _(
                "Applications for the %(year)s cycle are accepted from %(opens)s to %(closes)s.",
                year=cycle.year,
                opens=format_date(cycle.opens_on),
                closes=format_date(cycle.closes_on),
            ),
            field="cycle_id",
        )


def cycle_usage(cycle_ids) -> dict[int, tuple[Decimal, int]]:
    """Per cycle: (amount committed, missions committed) by the requests that hold the budget."""
    rows = db.session.execute(
        select(
            LeaveRequest.cycle_id,
            func.coalesce(func.sum(LeaveRequest.amount_requested), 0),
            func.count(LeaveRequest.id),
        )
        .where(LeaveRequest.cycle_id.in_(list(cycle_ids)), LeaveRequest.status.in_(COMMITTED_STATUSES))
        .group_by(LeaveRequest.cycle_id)
    ).all()
    usage = {cid: (Decimal("0"), 0) for cid in cycle_ids}
    for cycle_id, amount, count in rows:
        usage[cycle_id] = (Decimal(amount), int(count))
    return usage


def remaining(cycle: ProgrammeCycle) -> tuple[Decimal, int]:
    """(budget left, places left) of the cycle."""
    amount, count = cycle_usage([cycle.id])[cycle.id]
    return cycle.budget_envelope - amount, cycle.places - count


def check_budget(req: LeaveRequest) -> None:
    """The BRI's approval must fit in the cycle's envelope and places. Locks the cycle row (PostgreSQL) so that
    two approvals in the same cycle at the same moment are counted one after the other."""
    db.session.execute(select(ProgrammeCycle.id).where(ProgrammeCycle.id == req.cycle_id).with_for_update()).all()
    budget_left, places_left = remaining(req.cycle)
    if places_left < 1:
        raise RuleError(_("The %(year)s cycle has no place left.", year=req.cycle.year), field="comment")
    if req.amount_requested > budget_left:
        raise RuleError(
            _(
                "Approving would exceed the %(year)s cycle's budget: %(asked)s asked, %(left)s left.",
                year=req.cycle.year,
                asked=money(req.amount_requested),
                left=money(budget_left),
            ),
            field="comment",
        )
