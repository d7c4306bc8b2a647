"""Names the leave templates (and the other domains' templates) use: labels, badges, the navigation's tests."""

from flask_babel import format_timedelta
from flask_login import current_user

from app.core.database import montreal_today, utcnow
from app.leave import bp, delegations, permissions
from app.leave.labels import STATUS_WORDS, action_label, mission_label, report_state, status_label


def sees_manager_queue(user) -> bool:
    """Managers (by role or with a team) and today's delegates have an "À approuver" page."""
    return permissions.can_delegate(user) or bool(delegations.delegators_of(user, montreal_today()))


def _show_manager_queue() -> bool:
    return current_user.is_authenticated and sees_manager_queue(current_user)


def _waiting_time(since) -> str:
    return format_timedelta(utcnow() - since, threshold=1.1) if since else ""


@bp.record_once
def _register(state) -> None:
    state.app.jinja_env.globals.update(
        leave_show_manager_queue=_show_manager_queue,
        leave_waiting_time=_waiting_time,
        STATUS_WORDS=STATUS_WORDS,
        status_label=status_label,
        action_label=action_label,
        mission_label=mission_label,
        report_state=report_state,
    )
