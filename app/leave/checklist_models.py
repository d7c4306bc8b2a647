"""The pre-departure checklist of an approved mission: the items every mission has, the items the BRI adds to a
cycle, the employee's entry for each item, and the log of the daily job's reminders about it.

New tables only: ``leave_request`` is not altered (on SQLite a batch rebuild of it would drop its search triggers).
"""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.extensions import db
from app.leave.models import LeaveRequest
from app.reference.models import ProgrammeCycle

# The items of every mission's checklist, in the order the page shows them (their words: ``app.leave.checklist``).
BUILTIN_ITEMS: tuple[str, ...] = ("training", "insurance", "passport", "visa", "registration", "health", "emergency")
# An item the BRI added to a cycle is keyed "x<id>" in the entries (one key column for both kinds of item).
EXTRA_PREFIX = "x"


class ChecklistItem(db.Model):
    """An item the BRI adds to a cycle's checklists (for instance a vaccination certificate)."""

    __tablename__ = "checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("programme_cycle.id", ondelete="CASCADE"))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    document_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cycle: Mapped[ProgrammeCycle] = relationship()

    __table_args__ = (Index("ix_checklist_item_cycle", "cycle_id", "id"),)

    @property
    def key(self) -> str:
        return f"{EXTRA_PREFIX}{self.id}"

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_fr


class ChecklistEntry(db.Model):
    """The employee's completion of one item of their mission's checklist: what they gave (the fields the item
    asks for), who completed it and when. A row exists only for a completed item; completing it again replaces
    what it holds (and who and when)."""

    __tablename__ = "checklist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_item.id", ondelete="CASCADE"))
    # training attended on, registration done on, an extra item's date; the passport's expiry
    done_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    # the visa: needed or not; its reference when no document is given
    needed: Mapped[bool | None] = mapped_column(Boolean)
    reference: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # a document, through the one upload store (app.core.uploads)
    original_name: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[LeaveRequest] = relationship()
    item: Mapped[ChecklistItem | None] = relationship()
    completed_by = relationship("User", foreign_keys=[completed_by_id])

    __table_args__ = (
        UniqueConstraint("request_id", "key", name="uq_checklist_entry_request_key"),
        CheckConstraint("size IS NULL OR size >= 0", name="size_not_negative"),
    )


class ChecklistReminder(db.Model):
    """One reminder of the daily job about a checklist: to whom, of which kind, on which day (so that running the
    job again the same day sends nothing twice, and the employee's reminder waits REMINDER_REPEAT_DAYS)."""

    __tablename__ = "checklist_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    sent_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("kind IN ('missing', 'escalation', 'blocked')", name="kind_known"),
        Index("ix_checklist_reminder_request_kind", "request_id", "kind", "sent_on"),
    )
