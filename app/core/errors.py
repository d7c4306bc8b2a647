"""Error pages for every HTTP error a user can meet, in both languages."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
    500: (_l("Server error"), _l("Something went wrong on our side. Nothing was changed; try again in a moment.")),
}


def render_error(code: int, description: str | None = None):
    title, default_text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, message=description or default_text), code


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        from flask_babel import gettext as _

        return render_error(
            400,
            _(
                "The form has expired or was not sent by this application (security token missing or invalid). "
                "Go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code not in ERROR_TEXTS:
            return error
        # Only descriptions we set ourselves (translated) are shown; werkzeug's English defaults are not.
        description = getattr(error, "user_message", None)
        response = render_error(error.code, description)
        if request.method == "HEAD":
            return "", error.code
        return response

    @app.errorhandler(500)
    def _server_error(error):
        from app.extensions import db

        db.session.rollback()
        return render_error(500)
