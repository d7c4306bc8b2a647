"""What a travel advisory changes for the leave requests: the travellers told when their destination's level goes
up, and the missions the BRI reviews since (registered on the point ``reference.advisory_raised``)."""

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload

from app.accounts.models import User
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.notification_texts import request_params
from app.leave.queries import request_row_options
from app.leave.workflow import MOVES
from app.reference.models import Country

# The missions an advisory concerns: approved and not yet back, those the BRI may still cancel.
UNDER_ADVISORY_STATUSES = frozenset(source for source, action, _target in MOVES if action == "cancel")


def notify_travellers(raised, actor) -> None:
    """Each employee whose approved or running mission goes to a country whose level went up hears of it at once
    (through the outbox, after the change's commit). One statement for every country of the change."""
    by_code = {change.country_code: change for change in raised}
    missions = db.session.scalars(
        select(LeaveRequest)
        .where(LeaveRequest.country_code.in_(by_code), LeaveRequest.status.in_(UNDER_ADVISORY_STATUSES))
        .order_by(LeaveRequest.id)
        .options(joinedload(LeaveRequest.applicant))
    ).all()
    for req in missions:
        change = by_code[req.country_code]
        notify(
            req.applicant,
            "leave/advisory_raised",
            link=url_for("leave.detail", request_id=req.id),
            **request_params(req),
            old=change.old_level,
            new=change.new_level,
            note_fr=change.note_fr,
            note_en=change.note_en,
        )


def _approved_at():
    """When the BRI approved the request (its history's bri_approve step)."""
    return (
        select(func.max(Transition.created_at))
        .where(Transition.request_id == LeaveRequest.id, Transition.action == "bri_approve")
        .correlate(LeaveRequest)
        .scalar_subquery()
    )


def to_review() -> Select:
    """The approved or running missions whose destination's level went up after the BRI approved them, the
    soonest departure first. (An approval made since, by exception, knew the level.)

    Only the applicant's name is shown, loaded by its own statement for the page's rows: joined, it was joined to
    each of the thousands of missions the filter keeps before the sort took the first page."""
    return (
        select(LeaveRequest)
        .join(Country, Country.code == LeaveRequest.country_code)
        .where(
            LeaveRequest.status.in_(UNDER_ADVISORY_STATUSES),
            Country.advisory_raised_at.is_not(None),
            Country.advisory_raised_at > _approved_at(),
        )
        .order_by(LeaveRequest.start_date, LeaveRequest.id)
        .options(
            *request_row_options(),
            selectinload(LeaveRequest.applicant).options(load_only(User.id, User.full_name), lazyload(User.role_rows)),
        )
    )
