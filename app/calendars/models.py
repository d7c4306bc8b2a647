"""The secret address of a user's calendar feed: only its digest is kept."""

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


def feed_digest(token: str) -> str:
    """What ``calendar_feed`` keeps of a feed's token: its SHA-256, so that reading the table opens no feed."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(db.Model):
    """A user's feed; renewing it replaces the digest, so that the old address answers 404."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<CalendarFeed of user {self.user_id}>"
