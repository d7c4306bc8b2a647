"""What no page accepts, checked once for every request before any view runs.

- Control characters (NUL and the other C0 characters but tab, line feed and carriage return) in the query string,
  a form field or an uploaded file's name: 400 with a clear message; the databases would refuse them (PostgreSQL's
  text cannot hold a NUL) or they would be stored invisibly.
- Whole numbers in URLs beyond the database's integers (``/conges/99999999999999999999``): no route matches, 404.
"""

import re

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.core.http import abort

# Every id and page number fits PostgreSQL's ``integer``.
MAX_INT = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only what the database's integers can hold."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's own parameter name
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def has_control_characters(value: str | None) -> bool:
    return bool(value) and _CONTROL.search(value) is not None


def _sent_texts():
    # Every value of a repeated name (``?q=ok&q=%00``), not only the first.
    yield from (value for _name, value in request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH"):
        yield from (value for _name, value in request.form.items(multi=True))
        for upload in request.files.values():
            yield upload.filename


def init_input_guard(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def _refuse_control_characters() -> None:
        if any(has_control_characters(value) for value in _sent_texts()):
            abort(400, _("What you sent contains control characters (such as a NUL byte): remove them and send again."))
