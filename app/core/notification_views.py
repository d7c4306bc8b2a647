"""The in-app notifications of the logged-in user: the list, mark read, the unread count in the navigation."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core import bp
from app.core.http import abort, is_safe_next
from app.core.navigation import nav_count
from app.core.notification_texts import NotificationText, render, text_of
from app.core.notifications import (
    Notification,
    latest_unread_expression,
    mark_all_read,
    mark_read,
    unread_count_expression,
)
from app.core.pagination import paginate
from app.core.registry import registry_of
from app.core.uow import unit_of_work
from app.extensions import db


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav_count("unread_notifications", unread_count_expression)
    # The navigation's menu shows the newest unread notification, in the same statement as the counts.
    for column in (Notification.kind, Notification.params, Notification.subject):
        registry.add_nav_count(f"latest_notification_{column.key}", latest_unread_expression(column))


@bp.app_context_processor
def _notification_context():
    def unread_notification_count() -> int:
        """Part of the navigation's one statement (:func:`app.core.navigation.nav_counts`)."""
        return int(nav_count("unread_notifications") or 0)

    def latest_notification() -> NotificationText | None:
        """The reader's newest unread notification, in the reader's language (None: nothing unread)."""
        subject = nav_count("latest_notification_subject", None)
        if subject is None:
            return None
        text = render(nav_count("latest_notification_kind", None), nav_count("latest_notification_params", None))
        return text or NotificationText(subject, "")

    return {
        "unread_notification_count": unread_notification_count,
        "latest_notification": latest_notification,
        "notification_text": text_of,
    }


@bp.route("/notifications")
@login_required
def notifications():
    query = (
        select(Notification)
        .where(Notification.recipient_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return render_template("notifications/list.html", page=paginate(query))


@bp.route("/notifications/<int:notification_id>/lire", methods=["POST"])
@login_required
def notification_read(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != current_user.id:
        abort(404)  # another user's notification is not even acknowledged to exist
    with unit_of_work():
        mark_read(notification, current_user)
    if is_safe_next(notification.link):
        return redirect(notification.link, code=303)
    return redirect(url_for("core.notifications"), code=303)


@bp.route("/notifications/tout-lire", methods=["POST"])
@login_required
def notifications_read_all():
    with unit_of_work():
        count = mark_all_read(current_user)
    if count:
        flash(
            ngettext("%(num)s notification marked as read.", "%(num)s notifications marked as read.", count), "success"
        )
    else:
        flash(_("You had no unread notification."), "info")
    return redirect(url_for("core.notifications"), code=303)
