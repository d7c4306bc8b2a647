"""Mission reports (one per leave request) and the log of reminders sent by the daily job."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.core.database import TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

# The text fields of a report, in the order of the form (also the fields searched by the archive).
REPORT_TEXT_FIELDS = (
    "activities",
    "results",
    "lessons_learned",
    "recommendations_city",
    "recommendations_partner",
    "testimony",
)


class MissionReport(TimestampMixin, db.Model):
    """The employee's report after a mission and the BRI's last decision on it."""

    __tablename__ = "mission_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"), unique=True)
    activities: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    lessons_learned: Mapped[str] = mapped_column(Text, default="")
    recommendations_city: Mapped[str] = mapped_column(Text, default="")
    recommendations_partner: Mapped[str] = mapped_column(Text, default="")
    testimony: Mapped[str] = mapped_column(Text, default="")
    # The employee agrees that the BRI quotes the testimony in its communications.
    consent_to_quote: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    # The BRI's comment of the last return for revision (shown above the form).
    bri_comment: Mapped[str] = mapped_column(Text, default="")
    # The version the form carries (hidden field): a save from a page older than the report is a 409, and of two
    # saves at the same moment the database lets one through ("AND version = :old" on every UPDATE).
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    request = relationship(
        "LeaveRequest", backref=backref("mission_report", uselist=False, passive_deletes=True, lazy="select")
    )
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("decision IS NULL OR decision IN ('accepted', 'returned')", name="decision_known"),
    )

    @property
    def is_returned(self) -> bool:
        return self.decision == "returned"

    def __repr__(self) -> str:
        return f"<MissionReport request={self.request_id} decision={self.decision}>"


class ReminderLog(db.Model):
    """One reminder sent by the daily job; the job sends a kind again for a request only after the repeat delay."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    sent_on: Mapped[date] = mapped_column(Date)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("request_id", "kind", "sent_on", "recipient_id", name="uq_reminder_log_once_a_day"),
        Index("ix_reminder_log_request_kind", "request_id", "kind", "sent_on"),
    )
