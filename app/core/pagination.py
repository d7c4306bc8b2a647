"""One way to cut a list into pages: the page number from the query string, the size from the configuration."""

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.core.http import get_page
from app.extensions import db


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """The page of ``query`` that ``?page=`` asks for (``ITEMS_PER_PAGE`` rows); an absurd page is empty, not an
    error."""
    return db.paginate(
        query, page=get_page(), per_page=per_page or current_app.config["ITEMS_PER_PAGE"], error_out=False
    )
