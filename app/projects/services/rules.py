"""The refusals of the projects domain and the checks several services share."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.core import errors
from app.core.i18n import current_language, format_day
from app.projects.models import FundingSource, Project
from app.projects.permissions import can_manage_projects


class ProjectRuleError(errors.Invalid):
    """A refused change: ``errors`` maps each form field (or "" for the whole form) to a translated message; the
    first one is the core error's ``field`` and ``message``."""


class MoveNotConfirmed(ProjectRuleError):
    """The mission is linked to another project: moving it needs the BRI's explicit confirmation."""

    def __init__(self, previous: Project):
        self.previous = previous
        super().__init__(
            errors={
                "request_id": _(
                    "This mission is linked to the project %(code)s (%(title)s). Confirm the move to take it away "
                    "from that project.",
                    code=previous.code,
                    title=previous.title(current_language()),
                )
            }
        )


class ResultConflict(errors.Conflict):
    """A result, indicator or period changed by someone else since the form was shown (409): nothing was saved."""

    def __init__(self):
        super().__init__(
            _l(
                "Someone else changed this part of the results framework after you opened the form, so nothing was "
                "saved. Reload the project page to see its current state, then make your change again."
            )
        )


class NotAllowed(errors.NotAllowed):
    """The actor may not do this to a project (403)."""

    def __init__(self, message=None):
        super().__init__(message or _l("You do not have permission to see this page or to do this action."))


def require_manager(actor: User) -> None:
    if not can_manage_projects(actor):
        raise NotAllowed


def check_amount(amount: Decimal | None, field: str = "amount") -> Decimal:
    if amount is None:
        raise ProjectRuleError(errors={field: _("Enter an amount.")})
    if amount < 0:
        raise ProjectRuleError(errors={field: _("The amount cannot be negative.")})
    if amount.as_tuple().exponent < -2:
        raise ProjectRuleError(errors={field: _("At most two decimals (cents).")})
    return amount.quantize(Decimal("0.01"))


def check_source(source: str) -> str:
    if source not in FundingSource.labels():
        raise ProjectRuleError(errors={"source": _("Unknown funding source.")})
    return source


def outside_dates_message(project: Project) -> str:
    return _(
        "The date must be within the project's dates (%(start)s to %(end)s).",
        start=format_day(project.start_date),
        end=format_day(project.end_date),
    )
