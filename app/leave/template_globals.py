"""Names the leave templates (and the other domains' templates) use: labels, badges, the navigation's tests."""

from flask_babel import format_timedelta
from flask_login import current_user

from app.core.database import montreal_today, utcnow
from app.leave import bp, delegations, permissions
from app.leave.labels import ACTION_LABELS, BADGE_CLASSES, NEXT_STEPS, STATUS_LABELS


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
        LEAVE_STATUS_LABELS=STATUS_LABELS,
        LEAVE_ACTION_LABELS=ACTION_LABELS,
        LEAVE_NEXT_STEPS=NEXT_STEPS,
        LEAVE_BADGE_CLASSES=BADGE_CLASSES,
    )
