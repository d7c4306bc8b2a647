"""The one way a view runs an action: one service call in a unit of work, refusals mapped the same everywhere.

    outcome = run_action(lambda: services.approve(req, current_user, comment), form=form)
    if outcome.ok:
        flash(...); return redirect(..., code=303)
    return render_template(..., form=form), FORM_ERROR_STATUS

:class:`~app.core.errors.Invalid` puts its messages next to the form's fields (or flashes them) and returns a failed
outcome; :class:`~app.core.errors.NotAllowed` and :class:`~app.core.errors.Conflict` go on to the application's
handlers (403, the 409 page). Whatever happens, a refused action leaves nothing behind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, request

from app.core.errors import FORM_ERROR_STATUS, Invalid
from app.core.uow import unit_of_work


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None
    error: Invalid | None = None


def _field_of(form, name: str):
    """The field ``name`` of ``form``, or of one of its sub-forms (``FormField``) by its full name
    ("proposal-value"); None when there is none."""
    if form is None or not name:
        return None
    if name in form:
        return form[name]
    head, separator, rest = name.partition("-")
    if separator and head in form and hasattr(form[head], "form"):
        return _field_of(form[head].form, rest)
    return None


def apply_error(form, field: str | None, message: str) -> bool:
    """Put ``message`` next to ``field`` of ``form`` (or of one of its sub-forms); False when there is no such
    field."""
    found = _field_of(form, field)
    if found is None or hasattr(found, "form"):
        return False
    found.errors = [*found.errors, message]
    return True


def run_action(call: Callable[[], Any], form=None) -> Outcome:
    """Run ``call`` (one service call) and commit; on :class:`Invalid`, roll back and show the message."""
    try:
        with unit_of_work():
            value = call()
    except Invalid as exc:
        for field, message in exc.errors.items():
            if not apply_error(form, field, message):
                flash(message, "danger")
        return Outcome(ok=False, error=exc)
    return Outcome(ok=True, value=value)


def form_status() -> int:
    """The status of a page showing a form: 200 on GET, 422 when a sent form comes back with errors."""
    return FORM_ERROR_STATUS if request.method == "POST" else 200
