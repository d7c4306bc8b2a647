"""Small helpers of the report pages: labels, the day count since return, the home card's missions."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.database import CITY_TZ, montreal_today
from app.core.http import abort
from app.extensions import db
from app.leave.models import LeaveRequest
from app.reports import bp


def load_request(request_id: int) -> LeaveRequest:
    req = db.session.get(LeaveRequest, request_id)
    if req is None:
        abort(404)
    return req


TRANSITION_LABELS = {
    "end_mission": _l("Mission ended, report due"),
    "submit_report": _l("Report submitted"),
    "return_report": _l("Report returned for revision"),
    "accept_report": _l("Report accepted, mission closed"),
}


@bp.app_template_global()
def transition_label(action: str) -> str:
    return str(TRANSITION_LABELS.get(action, action))


@bp.app_template_global()
def days_since_return(req: LeaveRequest, today: date | None = None) -> int:
    return max(((today or montreal_today()) - req.end_date).days, 0)


@bp.app_context_processor
def _report_permissions() -> dict:
    from app.reports import permissions

    return {
        "can_write_report": permissions.can_write_report,
        "can_view_report": permissions.can_view_report,
        "can_read_report_text": permissions.can_read_report_text,
        "can_review_report": permissions.can_review_report,
    }


@bp.app_template_filter("local_day")
def local_day(value: datetime) -> date:
    """The calendar day of an instant in Montréal."""
    return value.astimezone(CITY_TZ).date()


@bp.app_template_global()
def my_report_requests(user) -> list[LeaveRequest]:
    """The user's missions whose report is expected or under review (home page card)."""
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.applicant_id == user.id, LeaveRequest.status.in_(("report_due", "report_submitted")))
            .order_by(LeaveRequest.end_date)
        )
    )
