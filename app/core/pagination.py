"""One way to cut a list into pages: the page number from the query string, the size from the configuration."""

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.core.http import abort, get_page
from app.core.input_guard import MAX_INT
from app.extensions import db


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """The page of ``query`` that ``?page=`` asks for (``ITEMS_PER_PAGE`` rows). A page past the end is empty; a
    page number no list could reach (its offset beyond the database's integers) is a 404."""
    per_page = per_page or current_app.config["ITEMS_PER_PAGE"]
    page = get_page()
    if page * per_page > MAX_INT:
        abort(404)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
