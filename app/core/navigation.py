"""The navigation's numbers and flags for the reader (unread notifications, whether they have a queue...): every
expression the domains registered (``registry.add_nav_count``) in one ``SELECT`` per page, kept on ``g``. On the home
page the same statement also computes the numbers of what waits for the reader (``registry.add_home_count``)."""

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from app.core.registry import registry_of
from app.extensions import db

HOME_ENDPOINT = "core.index"


def nav_counts() -> dict[str, object]:
    """``{name: value}`` of the registered navigation counts for the logged-in reader; empty for a visitor."""
    if "nav_counts" not in g:
        registry = registry_of()
        expressions = dict(registry.nav_counts)
        if has_request_context() and request.endpoint == HOME_ENDPOINT:
            expressions.update(registry.home_counts)
        values: dict[str, object] = {}
        if expressions and current_user and current_user.is_authenticated:
            user = current_user._get_current_object()
            query = select(*(expression(user).label(name) for name, expression in expressions.items()))
            values = dict(db.session.execute(query).one()._mapping)
        g.nav_counts = values
    return g.nav_counts


def nav_count(name: str, default=0):
    return nav_counts().get(name, default)
