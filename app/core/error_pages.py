"""The page of every HTTP error a user can meet, in both languages, and the mapping of the errors' family."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.audit import request_id, security_event
from app.core.errors import Conflict, NotAllowed, Unavailable
from app.core.registry import registry_of
from app.core.uow import rollback
from app.extensions import db

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Check what you entered and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to see this page or to do this action.")),
    404: (_l("Page not found"), _l("The page or the item you asked for does not exist, or no longer exists.")),
    405: (
        _l("Method not allowed"),
        _l("This address does not accept this kind of request. Use the buttons of the application."),
    ),
    409: (_l("Conflict"), _l("This item was changed in the meantime. Reload the page to see its current state.")),
    413: (_l("File too large"), _l("What you sent is larger than the maximum allowed size.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute, then try again.")),
    503: (
        _l("Service unavailable"),
        _l("The service is unavailable at the moment. Nothing was saved; try again in a few minutes."),
    ),
    500: (_l("Server error"), _l("Something went wrong on our side. Nothing was changed; try again in a moment.")),
}

# Form fields that carry no text of the user's (the 409 page shows back the others).
_MACHINE_FIELDS = frozenset({"csrf_token", "version", "creation_token", "next"})


def render_error(code: int, description: str | None = None):
    title, default_text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    page = render_template(
        "errors/error.html",
        code=code,
        title=title,
        message=description or default_text,
        request_id=request_id() if code >= 500 else None,
    )
    return page, code


def posted_texts(keep: tuple[str, ...] = ()) -> dict[str, str]:
    """The texts the user sent that a 409 page shows back: those of the fields in ``keep``, and any other of more
    than one line or of some length."""
    return {
        name: value
        for name, value in request.form.items()
        if name not in _MACHINE_FIELDS and value.strip() and (name in keep or "\n" in value or len(value) > 80)
    }


def render_conflict(exc: Conflict, title: str | None = None):
    """The one 409 page: the message, the object's current state as its domain shows it, the user's texts."""
    rollback()
    subject = exc.subject
    state_template = None
    if subject is not None:
        db.session.expire_all()
        state_template = registry_of().conflict_state_template(subject)
    return (
        render_template(
            "errors/conflict.html",
            code=409,
            title=title or _("This changed in the meantime"),
            message=exc.message,
            subject=subject,
            state_template=state_template,
            posted=posted_texts(exc.keep) if request.method == "POST" else {},
        ),
        409,
    )


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(
            400,
            _(
                "The form has expired or was not sent by this application (security token missing or invalid). "
                "Go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(NotAllowed)
    def _not_allowed(error: NotAllowed):
        rollback()
        security_event("permission", "denied", status=403, reason=str(error.message))
        return render_error(403)

    @app.errorhandler(Conflict)
    def _conflict(error: Conflict):
        return render_conflict(error)

    @app.errorhandler(Unavailable)
    def _unavailable(error: Unavailable):
        rollback()
        security_event("server_error", "error", status=503, detail=str(error)[:500])
        page, code = render_error(
            503, _("The file store cannot be reached at the moment. Nothing was saved; try again in a few minutes.")
        )
        return page, code, {"Retry-After": "60"}

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code not in ERROR_TEXTS:
            return error
        # Only descriptions we set ourselves (translated) are shown; werkzeug's English defaults are not.
        description = getattr(error, "user_message", None)
        if error.code == 403:
            security_event("permission", "denied", status=403)
        response = render_error(error.code, description)
        if request.method == "HEAD":
            return "", error.code
        return response

    @app.errorhandler(500)
    def _server_error(error):
        rollback()
        security_event("server_error", "error", status=500)
        return render_error(500)
