"""Security events, logged as structured lines (one JSON object per line on stderr).

Each line says when, what (``event``), how it ended (``outcome``), who (``user``), from where (``address``) and in
which request (``request_id``, also sent back in the ``X-Request-ID`` header and shown on the 500 page, so that a
user can quote it). Domains call :func:`security_event` for logins, logouts, password changes, administration
changes and downloads; the error handlers log refusals (403) and server errors (5xx).
"""

import logging
import re
import sys
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger("conges.security")

# A request id given by the load balancer is kept when it looks like one; otherwise a new one is made.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class _StderrHandler(logging.StreamHandler):
    """Writes to the current ``sys.stderr`` (the one of the moment, not the one at start-up)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def init_audit(app: Flask) -> None:
    if not any(isinstance(handler, _StderrHandler) for handler in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter("%(asctime)s %(message)s", rename_fields={"asctime": "time"}))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex

    @app.after_request
    def _send_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def security_event(event: str, outcome: str, **fields) -> None:
    """Log one security event: ``outcome`` is ``success``, ``failure``, ``denied`` or ``error``. ``fields`` must not
    use the names of the log record's own attributes (``name``, ``message``, ``args``...)."""
    record = {"event": event, "outcome": outcome}
    if has_request_context():
        user = current_user if current_user and current_user.is_authenticated else None
        record.update(
            request_id=request_id(),
            address=request.remote_addr,
            method=request.method,
            path=request.path,
            user=user.email if user is not None else None,
            user_id=user.id if user is not None else None,
        )
    record.update(fields)
    log.log(logging.ERROR if outcome == "error" else logging.INFO, event, extra=record, exc_info=outcome == "error")
