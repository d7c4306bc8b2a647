"""How a project page runs its one service call: :func:`app.core.actions.run_action`, plus what is particular to
projects."""

from collections.abc import Callable

from flask_babel import gettext as _

from app.core.actions import Outcome, run_action
from app.core.uow import StaleConflict


def run(call: Callable, form=None) -> Outcome:
    """Run ``call`` in a unit of work. A leave request carries a version: one changed in the meantime is the 409
    page (nothing applied)."""
    try:
        outcome = run_action(call, form=form)
    except StaleConflict:
        raise StaleConflict(
            _("This request was changed by someone else in the meantime. Reload the project page and try again.")
        ) from None
    return outcome
