"""Writing the append-only history of a project: one ProjectChange row per change, values in a neutral form."""

from datetime import date
from decimal import Decimal

from app.extensions import db
from app.projects.models import LINE_SEPARATOR, ChangeAction, ChangeField, Project, ProjectChange


def neutral(value) -> str:
    """A value as stored in the history: ISO dates, amounts with two decimals and a dot, codes as they are."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def line_value(*parts) -> str:
    """Several neutral values of one line (a funding line: source, amount, note) in one history cell."""
    return LINE_SEPARATOR.join(neutral(p) for p in parts)


def record_change(
    project: Project, actor, action: ChangeAction, field: ChangeField | str = "", old=None, new=None
) -> ProjectChange:
    change = ProjectChange(
        project=project,
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        field=str(field),
        old_value=neutral(old),
        new_value=neutral(new),
    )
    db.session.add(change)
    return change
