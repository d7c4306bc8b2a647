"""The leave domain's services, one module per topic, and the errors they raise.

- :mod:`.requests`: create, edit, submit, withdraw a request (the applicant);
- :mod:`.decisions`: the manager's and the BRI's decisions, the BRI's cancellation;
- :mod:`.transitions`: :func:`~.transitions.perform`, the one door every status change goes through;
- :mod:`.rules`: the data rules (dates, amounts, overlap, the cycle's window and budget);
- :mod:`.references`, :mod:`.delegations`, :mod:`.attachments`, :mod:`.scheduler` (the daily job's step).

Each service takes the actor as an argument, re-checks the permission (:class:`NotAllowedError`, 403), the state and
version (:class:`ConflictError`, 409) and the data rules (:class:`RuleError`, the message next to the field), and
flushes: the caller commits through :mod:`app.core.uow` (or rolls back on error).

This module imports none of its submodules: they import the errors from here.
"""

from flask_babel import gettext as _

from app.core.errors import Conflict, DomainError, Invalid, NotAllowed


class WorkflowError(DomainError):
    """Any refusal of the leave domain (the three kinds below)."""


class RuleError(WorkflowError, Invalid):
    """The data do not allow the action (the form shows the message next to ``field``, 422)."""


class ConflictError(WorkflowError, Conflict):
    """The request changed since the user saw it, or the decision was already taken (409); ``subject`` is the
    request, whose current status the 409 page shows."""


class NotAllowedError(WorkflowError, NotAllowed):
    """The actor may not do this to this request (403)."""


def changed(req) -> ConflictError:
    """The conflict of an action no longer possible in the request's current status (or on a stale page)."""
    return ConflictError(
        _("This request changed in the meantime: the action is no longer possible in its current status."), req
    )
