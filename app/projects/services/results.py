"""The results framework of a project: results, their indicators (with a baseline), the indicators' periods (with a
target) and the actual value recorded for a period. Only the BRI writes; each change writes its row of the project's
history. An edit carries the version of the row the form was shown with: a stale one is refused (409), nothing saved.
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import ChangeAction, ChangeField, Project
from app.projects.results import IndicatorMeasure, IndicatorPeriod, ProjectResult, ResultIndicator, ResultType
from app.projects.services.changes import line_value, record_change
from app.projects.services.rules import ProjectRuleError, ResultConflict, require_manager

RESULT_TEXTS = ("title_fr", "title_en", "description_fr", "description_en")
HUNDRED = Decimal(100)


def _text(data: dict, name: str) -> str:
    return (data.get(name) or "").strip()


def _check_version(row, expected: int | None) -> None:
    """A row edited from a page that showed an older version of it: refused, nothing saved."""
    if row.id is not None and expected is not None and expected != row.version:
        raise ResultConflict()


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:  # saved by someone else between our read and our write
        raise ResultConflict() from None


def _next_position(rows) -> int:
    return max((r.position for r in rows), default=0) + 1


def _apply(row, values: dict) -> bool:
    """Set the values that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _record(project: Project, actor: User, creating: bool, changed: bool, field: ChangeField, old: str, new: str):
    if creating:
        record_change(project, actor, ChangeAction.ADDED, field, new=new)
    elif changed:
        record_change(project, actor, ChangeAction.CHANGED, field, old=old, new=new)


# Results -------------------------------------------------------------------------------------------------------


def save_result(
    project: Project, result: ProjectResult, data: dict, actor: User, expected_version: int | None = None
) -> ProjectResult:
    """Add (``result.id`` None) or edit a result of ``project``."""
    require_manager(actor)
    _check_version(result, expected_version)
    if data.get("type") not in ResultType.labels():
        raise ProjectRuleError(errors={"type": _("Choose the kind of result.")})
    values = {"type": data["type"], **{name: _text(data, name) for name in RESULT_TEXTS}}
    if not values["title_fr"]:
        raise ProjectRuleError(errors={"title_fr": _("Enter the title in French.")})
    creating = result.id is None
    old = "" if creating else line_value(result.type, result.title_fr)
    if creating:
        result.position = _next_position(project.results)
        db.session.add(result)
        result.project = project
    changed = _apply(result, values)
    _record(project, actor, creating, changed, ChangeField.RESULT, old, line_value(result.type, result.title_fr))
    _flush()
    return result


def remove_result(result: ProjectResult, actor: User) -> None:
    """Delete a result with its indicators and periods; the missions that served it keep their project."""
    require_manager(actor)
    project = result.project
    record_change(
        project, actor, ChangeAction.REMOVED, ChangeField.RESULT, old=line_value(result.type, result.title_fr)
    )
    db.session.execute(
        update(LeaveRequest)
        .where(LeaveRequest.project_result_id == result.id)
        .values(project_result_id=None)
        .execution_options(synchronize_session="fetch")
    )
    project.results.remove(result)
    _flush()


# Indicators ----------------------------------------------------------------------------------------------------


def save_indicator(
    result: ProjectResult, indicator: ResultIndicator, data: dict, actor: User, expected_version: int | None = None
) -> ResultIndicator:
    """Add (``indicator.id`` None) or edit an indicator of ``result``, with its baseline."""
    require_manager(actor)
    _check_version(indicator, expected_version)
    project = result.project  # read before any change: a lazy load would flush it early
    measure = data.get("measure")
    if measure not in IndicatorMeasure.labels():
        raise ProjectRuleError(errors={"measure": _("Choose how the indicator is measured.")})
    values = {
        **{name: _text(data, name) for name in RESULT_TEXTS},
        "measure": measure,
        "ascending": bool(data.get("ascending", True)),
        "baseline_year": data.get("baseline_year"),
        "baseline_value": data.get("baseline_value"),
        "baseline_comment": _text(data, "baseline_comment"),
    }
    errors = _indicator_errors(indicator, values)
    if errors:
        raise ProjectRuleError(errors=errors)
    creating = indicator.id is None
    old = "" if creating else _indicator_line(indicator)
    if creating:
        indicator.position = _next_position(result.indicators)
        db.session.add(indicator)
        indicator.result = result
    changed = _apply(indicator, values)
    _record(project, actor, creating, changed, ChangeField.INDICATOR, old, _indicator_line(indicator))
    _flush()
    return indicator


def _indicator_errors(indicator: ResultIndicator, values: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["title_fr"]:
        errors["title_fr"] = _("Enter the title in French.")
    year = values["baseline_year"]
    if year is not None and not 1900 <= year <= 2200:
        errors["baseline_year"] = _("Enter a year between 1900 and 2200.")
    errors.update(_value_errors(values["measure"], {"baseline_value": values["baseline_value"]}))
    if values["baseline_value"] is not None and year is None:
        errors.setdefault("baseline_year", _("Enter the year of the baseline."))
    if indicator.id is not None and values["measure"] != indicator.measure:
        numbers = any(p.target_value is not None or p.actual_value is not None for p in indicator.periods)
        if numbers and IndicatorMeasure.QUALITATIVE in (values["measure"], indicator.measure):
            errors["measure"] = _("The periods of this indicator have values: remove them before changing its measure.")
    return errors


def _value_errors(measure: str, values: dict[str, Decimal | None]) -> dict[str, str]:
    """A qualitative indicator takes no number; a percentage lies between 0 and 100."""
    errors = {}
    for name, value in values.items():
        if value is None:
            continue
        if measure == IndicatorMeasure.QUALITATIVE:
            errors[name] = _("This indicator is qualitative: describe it in the comment, without a number.")
        elif measure == IndicatorMeasure.PERCENTAGE and not 0 <= value <= HUNDRED:
            errors[name] = _("A percentage lies between 0 and 100.")
    return errors


def _indicator_line(indicator: ResultIndicator) -> str:
    return line_value(indicator.title_fr, indicator.measure, indicator.baseline_year, indicator.baseline_value)


def remove_indicator(indicator: ResultIndicator, actor: User) -> None:
    require_manager(actor)
    result = indicator.result
    record_change(result.project, actor, ChangeAction.REMOVED, ChangeField.INDICATOR, old=_indicator_line(indicator))
    result.indicators.remove(indicator)
    _flush()


# Periods -------------------------------------------------------------------------------------------------------


def save_period(
    indicator: ResultIndicator, period: IndicatorPeriod, data: dict, actor: User, expected_version: int | None = None
) -> IndicatorPeriod:
    """Add (``period.id`` None) or edit a period of ``indicator`` and its target. Its actual value is recorded apart
    (:func:`record_actual`)."""
    require_manager(actor)
    _check_version(period, expected_version)
    project = indicator.result.project  # read before any change: a lazy load would flush it early
    start, end = data.get("period_start"), data.get("period_end")
    values = {
        "period_start": start,
        "period_end": end,
        "target_value": data.get("target_value"),
        "target_comment": _text(data, "target_comment"),
    }
    errors = _period_errors(indicator, period, start, end)
    errors.update(_value_errors(indicator.measure, {"target_value": values["target_value"]}))
    if errors:
        raise ProjectRuleError(errors=errors)
    creating = period.id is None
    old = "" if creating else _period_line(period)
    if creating:
        db.session.add(period)
        period.indicator = indicator
    changed = _apply(period, values)
    _record(project, actor, creating, changed, ChangeField.PERIOD, old, _period_line(period))
    _flush()
    return period


def _period_errors(indicator: ResultIndicator, period: IndicatorPeriod, start: date, end: date) -> dict[str, str]:
    if start is None:
        return {"period_start": _("Enter a date.")}
    if end is None:
        return {"period_end": _("Enter a date.")}
    if end < start:
        return {"period_end": _("The end date must be on or after the start date.")}
    for other in indicator.periods:
        if other is not period and other.period_start <= end and start <= other.period_end:
            return {"period_start": _("This period overlaps another period of the indicator.")}
    return {}


def _period_line(period: IndicatorPeriod) -> str:
    return line_value(period.indicator.title_fr, period.period_start, period.period_end, period.target_value)


def remove_period(period: IndicatorPeriod, actor: User) -> None:
    require_manager(actor)
    indicator = period.indicator
    record_change(indicator.result.project, actor, ChangeAction.REMOVED, ChangeField.PERIOD, old=_period_line(period))
    indicator.periods.remove(period)
    _flush()


def actual_errors(indicator: ResultIndicator, value: Decimal | None, comment: str) -> dict[str, str]:
    """What refuses an actual value (a number, or for a qualitative indicator a comment), by field
    ("actual_value", "actual_comment"): the rule of :func:`record_actual`, also that of a report's proposal."""
    errors = _value_errors(indicator.measure, {"actual_value": value})
    if indicator.qualitative and not comment:
        errors.setdefault("actual_comment", _("Describe what was achieved."))
    elif not indicator.qualitative and value is None:
        errors.setdefault("actual_value", _("Enter the actual value."))
    return errors


def record_actual(
    period: IndicatorPeriod, data: dict, actor: User, expected_version: int | None = None
) -> IndicatorPeriod:
    """Record (or correct) the actual value of a period: a number, or for a qualitative indicator a comment. Who and
    when are kept on the period, and the history says it."""
    require_manager(actor)
    _check_version(period, expected_version)
    indicator = period.indicator
    project = indicator.result.project  # read before any change: a lazy load would flush it early
    value, comment = data.get("actual_value"), _text(data, "actual_comment")
    errors = actual_errors(indicator, value, comment)
    if errors:
        raise ProjectRuleError(errors=errors)
    old = line_value(period.actual_value, period.actual_comment) if period.has_actual else ""
    period.actual_value, period.actual_comment = value, comment
    period.actual_recorded_by_id, period.actual_recorded_at = actor.id, utcnow()
    new = line_value(indicator.title_fr, period.period_start, period.period_end, value, comment)
    record_change(project, actor, ChangeAction.RECORDED, ChangeField.PERIOD, old=old, new=new)
    _flush()
    return period
