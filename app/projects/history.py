"""The append-only history of a project: writing a row, and rendering one in the reader's language."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from textwrap import shorten

from flask_babel import lazy_gettext as _l

from app.core.i18n import country_name, date_filter, money
from app.extensions import db
from app.projects.models import (
    FUNDING_SOURCE_LABELS,
    PARTNER_ROLE_LABELS,
    PROJECT_STATUS_LABELS,
    FundingSource,
    PartnerRole,
    Project,
    ProjectChange,
    ProjectStatus,
)

ACTION_LABELS = {
    "created": _l("Creation"),
    "changed": _l("Modification"),
    "added": _l("Addition"),
    "removed": _l("Removal"),
    "done": _l("Marked as done"),
    "reopened": _l("Marked as not done"),
    "linked": _l("Linking"),
    "unlinked": _l("Unlinking"),
}

FIELD_LABELS = {
    "project": _l("Project"),
    "code": _l("Code"),
    "title_fr": _l("Title (French)"),
    "title_en": _l("Title (English)"),
    "description_fr": _l("Description (French)"),
    "description_en": _l("Description (English)"),
    "country_code": _l("Country"),
    "locality": _l("Locality"),
    "sector": _l("Sector"),
    "status": _l("Status"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "budget": _l("Budget"),
    "partner": _l("Partner"),
    "funding_line": _l("Funding line"),
    "expenditure": _l("Expenditure"),
    "milestone": _l("Milestone"),
    "mission": _l("Mission"),
}

SEPARATOR = " | "


def neutral(value) -> str:
    """A value as stored in the history: ISO dates, amounts with two decimals and a dot, codes as they are."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def record(project: Project, actor, action: str, field: str = "", old=None, new=None) -> ProjectChange:
    change = ProjectChange(
        project=project,
        actor_id=actor.id if actor is not None else None,
        action=action,
        field=field,
        old_value=neutral(old),
        new_value=neutral(new),
    )
    db.session.add(change)
    return change


def line_value(*parts) -> str:
    """Several neutral values of one line (a funding line: source, amount, note) in one history cell."""
    return SEPARATOR.join(neutral(p) for p in parts)


def _amount(text: str) -> str:
    try:
        return money(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


def _day(text: str) -> str:
    try:
        return date_filter(date.fromisoformat(text))
    except ValueError:
        return text


def _label(labels: dict, enum_class, text: str) -> str:
    try:
        return str(labels[enum_class(text)])
    except ValueError:
        return text


def _render(field: str, text: str) -> str:
    if not text:
        return ""
    if field == "budget":
        return _amount(text)
    if field in ("start_date", "end_date"):
        return _day(text)
    if field == "status":
        return _label(PROJECT_STATUS_LABELS, ProjectStatus, text)
    if field == "country_code":
        return country_name(text)
    if field.startswith("description"):
        return shorten(text, width=200, placeholder=" …")
    parts = text.split(SEPARATOR)
    if field == "partner" and len(parts) == 2:
        return f"{parts[0]} ({_label(PARTNER_ROLE_LABELS, PartnerRole, parts[1])})"
    if field == "funding_line" and len(parts) == 3:
        source = _label(FUNDING_SOURCE_LABELS, FundingSource, parts[0])
        return " · ".join(p for p in (source, _amount(parts[1]), parts[2]) if p)
    if field == "expenditure" and len(parts) == 4:
        source = _label(FUNDING_SOURCE_LABELS, FundingSource, parts[3])
        return " · ".join((_day(parts[0]), _amount(parts[1]), parts[2], source))
    if field == "milestone" and len(parts) == 2:
        return f"{parts[1]} ({_day(parts[0])})"
    return text


@dataclass
class ChangeView:
    change: ProjectChange
    action: str
    field: str
    old: str
    new: str


def describe(change: ProjectChange) -> ChangeView:
    return ChangeView(
        change=change,
        action=str(ACTION_LABELS.get(change.action, change.action)),
        field=str(FIELD_LABELS.get(change.field, change.field)),
        old=_render(change.field, change.old_value),
        new=_render(change.field, change.new_value),
    )
