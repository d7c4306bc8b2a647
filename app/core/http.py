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


def return_path() -> str:
    """Where a link of this page (the language switch) brings the reader back: this page, asked again by GET. A form
    shown again with its errors answers a POST to an address that may take no GET; then the page the form was on
    (the referrer, when it is ours), or the home page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == urlsplit(request.host_url).netloc:
        back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        if is_safe_next(back):
            return back
    return "/"


def get_page() -> int:
    try:
        page = int(request.args.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return max(page, 1)


__all__ = ["abort", "flask_abort", "is_safe_next", "get_page", "HTTPException"]
