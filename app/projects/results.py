"""The results framework of a project, after IATI 2.03's result model: a project's results (``<result>``), each with
indicators (``<indicator>``: measure, ascending, baseline) and the periods of each indicator (``<period>``: start,
end, target, actual). The codes are IATI's, taken from ``okfn_iati.enums`` (ResultType, IndicatorMeasure).

Texts come in French (required) and English (optional), like the project's own. Each row carries a version: an edit
made from a page older than the row is refused (409), and of two saves at the same moment one wins.

Imported by :mod:`app.projects.models` (which declares ``Project.results``); imports no other module of the domain.
"""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from okfn_iati.enums import IndicatorMeasure as IatiMeasure
from okfn_iati.enums import ResultType as IatiResultType
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import UTCDateTime
from app.core.enums import LabelledEnum
from app.extensions import db
from app.projects.progress import is_late, progress_percent

# The values of indicators (a count, a percentage): exact decimals, at most 12 digits before the point.
IndicatorValue = Numeric(14, 2)


class ResultType(LabelledEnum):
    """IATI's ResultType codelist."""

    OUTPUT = IatiResultType.OUTPUT.value, _l("Output")
    OUTCOME = IatiResultType.OUTCOME.value, _l("Outcome")
    IMPACT = IatiResultType.IMPACT.value, _l("Impact")
    OTHER = IatiResultType.OTHER.value, _l("Other result")


class IndicatorMeasure(LabelledEnum):
    """The codes of IATI's IndicatorMeasure codelist that the BRI uses (not nominal nor ordinal)."""

    UNIT = IatiMeasure.UNIT.value, _l("Unit (a number)")
    PERCENTAGE = IatiMeasure.PERCENTAGE.value, _l("Percentage")
    QUALITATIVE = IatiMeasure.QUALITATIVE.value, _l("Qualitative (a description)")


def _in(values) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class _Texts:
    """title_fr/en and description_fr/en, read in the reader's language (French when the English is blank)."""

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_fr

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_fr


class ProjectResult(_Texts, db.Model):
    __tablename__ = "project_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(1))
    title_fr: Mapped[str] = mapped_column(String(250))
    title_en: Mapped[str] = mapped_column(String(250), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    project = relationship("Project", back_populates="results")
    indicators: Mapped[list["ResultIndicator"]] = relationship(
        back_populates="result",
        cascade="all, delete-orphan",
        order_by=lambda: (ResultIndicator.position, ResultIndicator.id),
    )

    __table_args__ = (CheckConstraint(f"type IN ({_in(ResultType)})", name="type_known"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def type_label(self) -> str:
        return ResultType.label_of(self.type)


class ResultIndicator(_Texts, db.Model):
    __tablename__ = "project_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("project_result.id", ondelete="CASCADE"), index=True)
    title_fr: Mapped[str] = mapped_column(String(250))
    title_en: Mapped[str] = mapped_column(String(250), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(1), default=IndicatorMeasure.UNIT.value)
    # True: a higher value is better (IATI's default).
    ascending: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[Decimal | None] = mapped_column(IndicatorValue)
    baseline_comment: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    result: Mapped[ProjectResult] = relationship(back_populates="indicators")
    periods: Mapped[list["IndicatorPeriod"]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by=lambda: (IndicatorPeriod.period_start, IndicatorPeriod.id),
    )

    __table_args__ = (
        CheckConstraint(f"measure IN ({_in(IndicatorMeasure)})", name="measure_known"),
        CheckConstraint("baseline_year IS NULL OR baseline_year BETWEEN 1900 AND 2200", name="baseline_year_sane"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def measure_label(self) -> str:
        return IndicatorMeasure.label_of(self.measure)

    @property
    def qualitative(self) -> bool:
        return self.measure == IndicatorMeasure.QUALITATIVE


class IndicatorPeriod(db.Model):
    __tablename__ = "project_indicator_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("project_indicator.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    target_value: Mapped[Decimal | None] = mapped_column(IndicatorValue)
    target_comment: Mapped[str] = mapped_column(Text, default="")
    actual_value: Mapped[Decimal | None] = mapped_column(IndicatorValue)
    actual_comment: Mapped[str] = mapped_column(Text, default="")
    actual_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actual_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    indicator: Mapped[ResultIndicator] = relationship(back_populates="periods")
    actual_recorded_by = relationship("User")

    __table_args__ = (CheckConstraint("period_end >= period_start", name="dates_order"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def has_actual(self) -> bool:
        return self.actual_recorded_at is not None

    def is_late(self, today: date) -> bool:
        return is_late(self.period_end, self.has_actual, today)

    @property
    def progress(self) -> Decimal | None:
        """The percentage of the target reached (:func:`app.projects.progress.progress_percent`)."""
        indicator = self.indicator
        if indicator.qualitative:
            return None
        return progress_percent(self.actual_value, self.target_value, indicator.baseline_value, indicator.ascending)
