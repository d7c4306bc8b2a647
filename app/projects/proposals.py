"""An update of one indicator that a mission report proposes (issue 12): the employee, writing the report of a
mission linked to a project, proposes an actual value for a period of one of that project's indicators; the BRI
accepts it (the actual value is then recorded like any other, :func:`app.projects.services.results.record_actual`)
or declines it with a comment.

The projects domain owns it: it names the report's request (below it) and the indicators (its own). The report's
form and page offer it through the extension points that ``app.reports`` declares.
"""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, and_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime, utcnow
from app.core.enums import LabelledEnum
from app.extensions import db
from app.projects.results import IndicatorPeriod, IndicatorValue, ResultIndicator


class ProposalDecision(LabelledEnum):
    PENDING = "pending", _l("Waiting for the BRI")
    ACCEPTED = "accepted", _l("Accepted by the BRI")
    DECLINED = "declined", _l("Declined by the BRI")


class IndicatorProposal(db.Model):
    __tablename__ = "indicator_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("project_indicator.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("project_indicator_period.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal | None] = mapped_column(IndicatorValue)
    comment: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[str] = mapped_column(String(10), default=ProposalDecision.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_comment: Mapped[str] = mapped_column(Text, default="")

    request = relationship("LeaveRequest")
    indicator: Mapped[ResultIndicator] = relationship()
    period: Mapped[IndicatorPeriod] = relationship()
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint("decision IN ('pending', 'accepted', 'declined')", name="decision_known"),
        # The proposals of a report, the latest first; and the pending ones of a project's indicators.
        Index("ix_indicator_proposal_request", "request_id", "id"),
        Index("ix_indicator_proposal_decision", "decision", "indicator_id"),
        # A report has at most one proposal waiting for the BRI (the service replaces it; two saves at once cannot
        # make two).
        Index(
            "uq_indicator_proposal_one_pending",
            "request_id",
            unique=True,
            postgresql_where=text("decision = 'pending'"),
            sqlite_where=text("decision = 'pending'"),
        ),
    )

    @property
    def pending(self) -> bool:
        return self.decision == ProposalDecision.PENDING

    @property
    def decision_label(self) -> str:
        return ProposalDecision.label_of(self.decision)


# A period's proposals still waiting for the BRI: read with the project's results framework for the BRI
# (:func:`app.projects.result_figures.load_results`), which narrows them to those of submitted reports.
IndicatorPeriod.pending_proposals = relationship(
    IndicatorProposal,
    primaryjoin=and_(
        IndicatorProposal.period_id == IndicatorPeriod.id,
        IndicatorProposal.decision == ProposalDecision.PENDING.value,
    ),
    viewonly=True,
    order_by=IndicatorProposal.id,
)
