"""The one change of the calendars: give a user a new secret address for their feed (the old one stops)."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.calendars.models import CalendarFeed, feed_digest
from app.calendars.permissions import can_renew_feed
from app.core.database import utcnow
from app.core.errors import NotAllowed
from app.extensions import db


def renew_feed(owner: User, actor: User) -> str:
    """A new random token for ``owner``'s feed, returned once; only its digest is stored, replacing the old one."""
    if not can_renew_feed(actor, owner):
        raise NotAllowed(_("Only its owner renews a calendar's address."))
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == owner.id))
    if feed is None:
        try:
            with db.session.begin_nested():  # two first renewals at once: the second one updates the first's row
                db.session.add(CalendarFeed(user_id=owner.id, token_digest=feed_digest(token), created_at=utcnow()))
            return token
        except IntegrityError:
            feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == owner.id))
    feed.token_digest = feed_digest(token)
    feed.created_at = utcnow()
    db.session.flush()
    return token
