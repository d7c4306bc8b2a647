"""Errors: the family every domain raises.

A service refuses an action by raising one of the three kinds below (each domain subclasses them); the view's
:func:`app.core.actions.run_action` and the handlers of :mod:`app.core.error_pages` map them once for the whole
application:

- :class:`NotAllowed` — the actor may not do this: 403;
- :class:`Conflict` — the object changed since the user saw it, or the decision is already taken: 409, a page that
  shows the object's current state (and the long texts the user had typed, so that nothing is lost);
- :class:`Invalid` — the data do not allow it: the form is shown again with the message next to the field (422);
- :class:`Unavailable` — not a refusal but a service that failed (the file store): 503, nothing saved.
"""

# The HTTP status of a form shown again with errors, in every domain.
FORM_ERROR_STATUS = 422


class DomainError(Exception):
    """An action refused. ``message`` is translated and shown to the user; ``field`` names the form field."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this to this object (403)."""

    status_code = 403


class Conflict(DomainError):
    """The object changed in the meantime, or the decision was already taken (409).

    ``subject`` is the object whose current state the 409 page shows (its domain registers how, see
    :meth:`app.core.registry.Registry.conflict_state`). The page shows back the long texts the user had sent, and
    always those of the fields named in ``keep``."""

    status_code = 409

    def __init__(self, message: str, subject=None, keep: tuple[str, ...] = ()):
        super().__init__(message)
        self.subject = subject
        self.keep = keep


class Invalid(DomainError):
    """The data do not allow the action: the message goes next to ``field`` (or above the form).

    A refusal may name several fields at once: ``errors`` maps each field ("" for the whole form) to its message;
    the first one is also ``field`` and ``message``."""

    status_code = FORM_ERROR_STATUS

    def __init__(self, message: str | None = None, field: str | None = None, errors: dict[str, str] | None = None):
        if errors:
            field, message = next(iter(errors.items()))
        super().__init__(message, field=field or None)
        self.errors = dict(errors) if errors else {field or "": message}


class Unavailable(Exception):
    """A service the application depends on (the file store) cannot be reached or refused the operation: 503.

    The unit of work rolls the transaction back, so nothing is half saved; the page says to try again later and the
    detail (``str(exc)``) goes to the log only."""

    status_code = 503
