"""Leave requests with their history, attachments and delegations."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.core.database import Money, TimestampMixin, UTCDateTime, append_only, utcnow
from app.extensions import db
from app.leave.workflow import STATUSES
from app.reference.models import Country, PartnerContact, PartnerOrganisation, ProgrammeCycle


class ReferenceCounter(db.Model):
    """The last number given per year; incremented atomically so that references are never reused."""

    __tablename__ = "reference_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


# The longest span of a request's dates: the form refuses longer ones (so does the working-days count of the page),
# and the reads of who is away by dates rely on it to bound their range of end dates.
MAX_MISSION_DAYS = 366

_status_list = ", ".join(f"'{s}'" for s in STATUSES)


class LeaveRequest(TimestampMixin, db.Model):
    __tablename__ = "leave_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("programme_cycle.id"), index=True)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisation.id"), index=True)
    # The cooperation project the mission serves (projects domain).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    # The result of that project the mission served (projects domain; the service checks it is the same project's).
    project_result_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_result.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer, default=0)
    objectives: Mapped[str] = mapped_column(Text, default="")
    expertise: Mapped[str] = mapped_column(Text, default="")
    benefits: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    cost_transport: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    cost_lodging: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    cost_per_diem: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    cost_other: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    amount_requested: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A token carried by the creation form, so that a double click never creates two requests.
    creation_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    applicant = relationship("User", foreign_keys=[applicant_id])
    cycle: Mapped[ProgrammeCycle] = relationship()
    partner: Mapped[PartnerOrganisation | None] = relationship()
    project = relationship("Project", back_populates="missions")
    # The destination's reference row (its travel advisory); none when the country was never recorded.
    destination: Mapped[Country | None] = relationship(
        primaryjoin="foreign(LeaveRequest.country_code) == Country.code", viewonly=True
    )
    project_result = relationship("ProjectResult")
    transitions: Mapped[list["Transition"]] = relationship(
        back_populates="request", order_by="Transition.id", passive_deletes=True
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="request", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    partner_confirmations: Mapped[list["PartnerConfirmation"]] = relationship(
        back_populates="request", order_by="PartnerConfirmation.id", passive_deletes=True
    )

    # The pre-departure checklist's items completed, and in all (app.leave.checklist), when the query asks for them
    # (the request's page, the BRI's lists): no column, a count the same statement makes.
    checklist_done: Mapped[int | None] = query_expression()
    checklist_total: Mapped[int | None] = query_expression()

    # SQLAlchemy adds "AND version = :old" to every UPDATE and raises StaleDataError when another
    # transaction changed the row first: the database settles concurrent decisions.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(f"status IN ({_status_list})", name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_order"),
        CheckConstraint(
            "cost_transport >= 0 AND cost_lodging >= 0 AND cost_per_diem >= 0 AND cost_other >= 0 "
            "AND amount_requested >= 0",
            name="amounts_not_negative",
        ),
        Index("ix_leave_request_applicant_status", "applicant_id", "status"),
        # The lists' filters and orders (keyset pagination reads them in index order, no sort):
        # my requests; the manager's, the BRI's and the report queues; the archive; the BRI's list by status,
        # by cycle (and status), by country.
        Index("ix_leave_request_applicant_list", "applicant_id", "id"),
        Index("ix_leave_request_status_waiting", "status", "status_changed_at", "id"),
        Index("ix_leave_request_status_end", "status", "end_date", "id"),
        Index("ix_leave_request_status_list", "status", "id"),
        Index("ix_leave_request_cycle_status", "cycle_id", "status", "id"),
        # The budget a cycle has committed, summed at every view of the BRI's queue and decision panel (0017).
        Index("ix_leave_request_cycle_status_amount", "cycle_id", "status", "amount_requested", "id"),
        Index("ix_leave_request_country_list", "country_code", "id"),
        # The columns a list sorts by (?sort=, migration 0014): the BRI's list by start date and amount; the queues
        # and the archive (one status) by start date, amount and reference; my requests by start date and reference.
        Index("ix_leave_request_start_list", "start_date", "id"),
        Index("ix_leave_request_amount_list", "amount_requested", "id"),
        Index("ix_leave_request_status_start", "status", "start_date", "id"),
        Index("ix_leave_request_status_amount", "status", "amount_requested", "id"),
        Index("ix_leave_request_status_reference", "status", "reference"),
        Index("ix_leave_request_applicant_start", "applicant_id", "start_date", "id"),
        Index("ix_leave_request_applicant_reference", "applicant_id", "reference"),
    )

    @property
    def total_cost(self) -> Decimal:
        return sum(
            (v or Decimal("0") for v in (self.cost_transport, self.cost_lodging, self.cost_per_diem, self.cost_other)),
            Decimal("0"),
        )

    @property
    def changes_asked(self) -> "Transition | None":
        """While the request waits for changes: the step that asked for them (its comment says what to change)."""
        if self.status != "changes_requested":
            return None
        return next((t for t in reversed(self.transitions) if t.to_status == "changes_requested"), None)

    def __repr__(self) -> str:
        return f"<LeaveRequest {self.reference} {self.status}>"


class Transition(db.Model):
    """One step of a request's history. Append-only: never updated, never deleted."""

    __tablename__ = "transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="RESTRICT"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    # A BRI approval to a destination at travel advisory level 3 or 4: the level the officer made the exception for
    # (the comment gives the reason).
    advisory_exception_level: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An actor without an account (the host partner's contact, through a signed link): their name and e-mail as
    # they were when they acted (``actor_id`` is then empty).
    actor_name: Mapped[str | None] = mapped_column(String(120))
    actor_email: Mapped[str | None] = mapped_column(String(254))

    request: Mapped[LeaveRequest] = relationship(back_populates="transitions")
    actor = relationship("User", foreign_keys=[actor_id])
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id])

    __table_args__ = (
        # The requests that went through a rare step (the BRI's exception to a checklist, read by the daily job and
        # the departures not ready): found from the few rows of that action, not from every step of the history.
        Index("ix_transition_action_request", "action", "request_id"),
    )


class PartnerConfirmation(db.Model):
    """One ask of the host partner to confirm a mission, and its answer.

    Sent by the BRI (``sent_by``) or by the application when the manager approves (``sent_by`` empty), to one of the
    partner's contacts (their name, e-mail and language kept as they were): the link carries a random secret of
    which only ``token_digest`` (SHA-256) is kept; it opens until ``expires_at``, once (``used``: answered, or
    replaced by a newer ask or by the BRI's record). A confirmation the BRI received by other means is a row without
    a link (``recorded_by``). Each ask and each answer is also a Transition of the request's history."""

    __tablename__ = "partner_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("partner_contact.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    used: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[LeaveRequest] = relationship(back_populates="partner_confirmations")
    contact: Mapped[PartnerContact | None] = relationship()
    sent_by = relationship("User", foreign_keys=[sent_by_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    __table_args__ = (
        CheckConstraint("answer IS NULL OR answer IN ('confirmed', 'declined')", name="answer_known"),
        CheckConstraint("answer IS NULL OR answered_at IS NOT NULL", name="answer_dated"),
        CheckConstraint("language IN ('fr', 'en')", name="language_known"),
        Index("ix_partner_confirmation_request", "request_id", "id"),
    )

    @property
    def pending(self) -> bool:
        return not self.used and self.answered_at is None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class Attachment(db.Model):
    """A file attached to a request (``purpose`` = request) or to its mission report (``purpose`` = report)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="request")
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[LeaveRequest] = relationship(back_populates="attachments")

    __table_args__ = (CheckConstraint("purpose IN ('request', 'report')", name="purpose_known"),)


class Delegation(TimestampMixin, db.Model):
    """A manager names a delegate who decides their team's requests during a date range."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    manager = relationship("User", foreign_keys=[manager_id])
    delegate = relationship("User", foreign_keys=[delegate_id])

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_order"),
        CheckConstraint("manager_id <> delegate_id", name="not_self"),
    )

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


append_only(Transition.__table__)
