"""Small helpers for views: aborts with a translated message, safe redirects, the page number, field errors."""

from urllib.parse import urljoin, urlsplit

from flask import abort as flask_abort
from flask import request
from werkzeug.exceptions import HTTPException, default_exceptions


def abort(code: int, message: str | None = None):
    """Abort with an HTTP error whose page shows ``message`` (already translated)."""
    exc_class = default_exceptions[code]
    exc = exc_class()
    exc.user_message = message
    raise exc


def is_safe_next(target: str | None) -> bool:
    """True when ``target`` leads inside this application (a relative path, same host)."""
    if not target:
        return False
    if target.startswith(("//", "\\")) or "\\" in target or any(ord(c) < 32 for c in target):
        return False
    host = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and test.netloc == host.netloc and target.startswith("/")


def get_page() -> int:
    try:
        page = int(request.args.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return max(page, 1)


__all__ = ["abort", "flask_abort", "is_safe_next", "get_page", "HTTPException"]
