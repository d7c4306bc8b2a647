"""The data rules of a leave request: dates, amounts, overlap, the cycle's period, window and budget.

Each check raises :class:`RuleError` with a translated message and the form field it belongs to.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from app.core.i18n import country_name, format_day, money
from app.core.workdays import working_days
from app.extensions import db
from app.leave.models import LeaveRequest
from app.leave.services import RuleError
from app.leave.workflow import (
    ACTIVE_STATUSES,
    BRI_DECISION_STATUSES,
    COMMITTED_STATUSES,
    MANAGER_DECISION_STATUSES,
)
from app.reference.advisories import level_text, needs_exception
from app.reference.models import ProgrammeCycle


def check_amounts(req: LeaveRequest) -> None:
    for field in ("cost_transport", "cost_lodging", "cost_per_diem", "cost_other", "amount_requested"):
        value = getattr(req, field)
        if value is None or value < 0:
            raise RuleError(_("The amount cannot be negative."), field=field)
    if req.amount_requested > req.total_cost:
        raise RuleError(_("The amount asked cannot exceed the total estimated costs."), field="amount_requested")


def open_cycles(today: date) -> list[ProgrammeCycle]:
    """The cycles taking applications today, the most recent first."""
    return list(
        db.session.scalars(
            select(ProgrammeCycle)
            .where(ProgrammeCycle.opens_on <= today, ProgrammeCycle.closes_on >= today)
            .order_by(ProgrammeCycle.year.desc())
        )
    )


def cycle_holding(start: date, end: date | None = None) -> ProgrammeCycle | None:
    """The cycle whose missions' period holds these dates (a mission belongs to one cycle)."""
    return db.session.scalars(
        select(ProgrammeCycle)
        .where(ProgrammeCycle.period_start <= start, ProgrammeCycle.period_end >= (end or start))
        .order_by(ProgrammeCycle.year.desc())
    ).first()


def cycle_for_dates(start: date | None, end: date | None, today: date) -> ProgrammeCycle | None:
    """The open cycle the mission's dates fall in (the server's choice when the form names none)."""
    if start is None:
        return None
    return next((c for c in open_cycles(today) if c.holds(start, end)), None)


def default_cycle(today: date) -> ProgrammeCycle | None:
    """The form's first choice: the open cycle whose period holds the earliest possible departure (today plus its
    notice), else the most recent open one."""
    cycles = open_cycles(today)
    earliest = (c for c in cycles if c.holds(today + timedelta(days=c.min_notice_days)))
    return next(earliest, cycles[0] if cycles else None)


def check_period(req: LeaveRequest, today: date) -> None:
    """The mission falls within its cycle's period; otherwise the message names the cycle it belongs to."""
    cycle = req.cycle
    if cycle.holds(req.start_date, req.end_date):
        return
    right = cycle_holding(req.start_date, req.end_date)
    if right is not None and right.is_open_on(today):
        message = _("These dates belong to the %(year)s call (%(code)s): choose it.", year=right.year, code=right.code)
    elif right is not None:
        message = _(
            "These dates belong to the %(year)s call (%(code)s), which does not take applications now.",
            year=right.year,
            code=right.code,
        )
    else:
        message = _(
            "The missions of the %(year)s call take place from %(start)s to %(end)s: these dates fall outside.",
            year=cycle.year,
            start=format_day(cycle.period_start),
            end=format_day(cycle.period_end),
        )
    raise RuleError(message, field="cycle_id")


def check_period_at_decision(req: LeaveRequest) -> None:
    """The BRI's approval checks the period again (the cycle's period may have changed since the submission)."""
    cycle = req.cycle
    if cycle.holds(req.start_date, req.end_date):
        return
    right = cycle_holding(req.start_date, req.end_date)
    if right is not None:
        message = _(
            "This mission's dates belong to the %(right)s call (%(code)s), not to the %(year)s call it was submitted "
            "to: ask the applicant for changes so that they choose the right call.",
            right=right.year,
            code=right.code,
            year=cycle.year,
        )
    else:
        message = _(
            "This mission's dates fall outside the %(year)s call's period (%(start)s to %(end)s): ask the applicant "
            "for changes.",
            year=cycle.year,
            start=format_day(cycle.period_start),
            end=format_day(cycle.period_end),
        )
    raise RuleError(message, field="comment")


def check_dates(req: LeaveRequest, today: date) -> None:
    """End after start, the cycle's period, notice and duration bounds, no overlap with another active request."""
    cycle = req.cycle
    if req.end_date < req.start_date:
        raise RuleError(_("The end date must be on or after the start date."), field="end_date")
    check_period(req, today)
    earliest = today + timedelta(days=cycle.min_notice_days)
    if req.start_date < earliest:
        raise RuleError(
            _(
                "The cycle requires %(days)s days of notice: the mission cannot start before %(date)s.",
                days=cycle.min_notice_days,
                date=format_day(earliest),
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
                opens=format_day(cycle.opens_on),
                closes=format_day(cycle.closes_on),
            ),
            field="cycle_id",
        )


def cycle_usage(cycle_ids) -> dict[int, tuple[Decimal, int]]:
    """Per cycle: (amount committed, missions committed) by the requests that hold the budget."""
    rows = db.session.execute(
        select(
            LeaveRequest.cycle_id,
            func.coalesce(func.sum(LeaveRequest.amount_requested), 0),
            func.count(),  # not count(id): the index (cycle, status, amount) then answers alone (migration 0017)
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


@dataclass(frozen=True)
class Pending:
    """Requests of a cycle still waiting for a decision: how many, and the amount they ask."""

    count: int = 0
    amount: Decimal = Decimal("0")


@dataclass(frozen=True)
class BudgetPanel:
    """What the BRI sees beside its decision: the cycle's envelope and places, what is left now and after approving
    this request, and what the other requests still waiting ask (at the manager, at the BRI)."""

    envelope: Decimal
    places: int
    budget_left: Decimal
    places_left: int
    budget_after: Decimal | None  # None: this request is not waiting for the BRI's approval
    places_after: int | None
    pending_manager: Pending
    pending_bri: Pending

    @property
    def pending_amount(self) -> Decimal:
        return self.pending_manager.amount + self.pending_bri.amount


def budget_panel(req: LeaveRequest) -> BudgetPanel:
    """The panel's figures in one aggregate statement over the cycle's requests: what the committed ones hold, and
    what the others waiting for the manager and for the BRI ask (conditional counts and sums)."""
    cycle = req.cycle
    status, amount = LeaveRequest.status, LeaveRequest.amount_requested
    committed = status.in_(COMMITTED_STATUSES)
    at_manager = and_(status.in_(MANAGER_DECISION_STATUSES), LeaveRequest.id != req.id)
    at_bri = and_(status.in_(BRI_DECISION_STATUSES), LeaveRequest.id != req.id)

    def counted(condition):
        return func.count(case((condition, LeaveRequest.id)))

    def summed(condition):
        return func.coalesce(func.sum(case((condition, amount))), 0)

    row = db.session.execute(
        select(
            summed(committed),
            counted(committed),
            counted(at_manager),
            summed(at_manager),
            counted(at_bri),
            summed(at_bri),
        ).where(
            LeaveRequest.cycle_id == cycle.id,
            status.in_(sorted(COMMITTED_STATUSES | MANAGER_DECISION_STATUSES | BRI_DECISION_STATUSES)),
        )
    ).one()
    budget_left = cycle.budget_envelope - Decimal(row[0])
    places_left = cycle.places - int(row[1])
    deciding = req.status in BRI_DECISION_STATUSES
    return BudgetPanel(
        envelope=cycle.budget_envelope,
        places=cycle.places,
        budget_left=budget_left,
        places_left=places_left,
        budget_after=budget_left - req.amount_requested if deciding else None,
        places_after=places_left - 1 if deciding else None,
        pending_manager=Pending(int(row[2]), Decimal(row[3])),
        pending_bri=Pending(int(row[4]), Decimal(row[5])),
    )


def check_budget(req: LeaveRequest) -> None:
    """The BRI's approval must fit in the cycle's envelope and places. Locks the cycle row (PostgreSQL) so that
    two approvals in the same cycle at the same moment are counted one after the other.

    The count is its own statement, after the lock: under READ COMMITTED a statement sees what was committed when
    it began, so a count inside the locking statement would miss the approval it waited for."""
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


def check_advisory_exception(req: LeaveRequest, exception: bool, comment: str) -> int | None:
    """A BRI approval to a destination at travel advisory level 3 or 4 needs an explicit exception with a comment
    that explains it. Returns the level the exception is made for (recorded in the approval's Transition), None when
    the destination needs none."""
    level = req.destination.advisory_level if req.destination is not None else None
    if not needs_exception(level):
        return None
    if not exception:
        raise RuleError(
            _(
                "%(country)s is at travel advisory %(level)s: tick the exception and explain it in the comment to"
                " approve.",
                country=country_name(req.country_code),
                level=level_text(level),
            ),
            field="advisory_exception",
        )
    if not (comment or "").strip():
        raise RuleError(_("Explain the exception to the travel advisory in the comment."), field="comment")
    return level
