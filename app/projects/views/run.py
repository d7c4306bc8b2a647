"""How a project page runs its one service call: :func:`app.core.actions.run_action`, plus what is particular to
projects."""

from collections.abc import Callable

from flask import flash
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.core.actions import Outcome, apply_error, run_action
from app.core.errors import Conflict
from app.projects.services import ProjectRuleError


def run(call: Callable, form=None) -> Outcome:
    """Run ``call`` in a unit of work. A project rule may refuse several fields at once: every message goes next
    to its field. A leave request carries a version: one changed in the meantime is the 409 page (nothing
    applied)."""
    try:
        outcome = run_action(call, form=form)
    except StaleDataError:
        raise Conflict(
            _("This request was changed by someone else in the meantime. Reload the project page and try again.")
        ) from None
    if isinstance(outcome.error, ProjectRuleError):
        for field, message in list(outcome.error.errors.items())[1:]:
            if not apply_error(form, field, message):
                flash(message, "danger")
    return outcome
