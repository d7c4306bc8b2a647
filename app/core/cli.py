"""What the command-line jobs (cron) need from the web side."""

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context


def cli_request_context() -> AbstractContextManager:
    """A request context on ``SERVER_BASE_URL`` for a command run from cron, so that ``url_for`` builds the links
    of notifications and e-mails for the server's address; nothing more inside a request (or a test's)."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"])
