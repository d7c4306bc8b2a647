"""The navigation's numbers and flags for the reader (unread notifications, whether they have a queue...): every
expression the domains registered (``registry.add_nav_count``) in one ``SELECT`` per page, kept on ``g``. On the home
page the same statement also computes the numbers of what waits for the reader (``registry.add_home_count``)."""

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import Integer, Select, bindparam, select

from app.core.database import montreal_today
from app.core.registry import registry_of
from app.extensions import db

HOME_ENDPOINT = "core.index"


class _Reader:
    """The reader as the registered expressions see it while the statement is built: their id a bound parameter
    (``:nav_reader``), their roles their own. The expressions read nothing else of the reader."""

    def __init__(self, roles: frozenset[str]) -> None:
        self.id = bindparam(READER_PARAM, type_=Integer)
        self.roles = roles

    def has_role(self, role) -> bool:
        return role in self.roles


READER_PARAM = "nav_reader"
# The navigation's statements, built once per process for each set of roles, page kind and day (the expressions
# may read today's date): building a dozen subqueries and their cache key at every page cost more than running them.
_STATEMENTS: dict[tuple, Select] = {}
_STATEMENTS_KEPT = 256


def _statement(expressions: dict, roles: frozenset[str], home: bool) -> Select:
    key = (roles, home, montreal_today(), tuple(expressions))
    statement = _STATEMENTS.get(key)
    if statement is None:
        reader = _Reader(roles)
        statement = select(*(expression(reader).label(name) for name, expression in expressions.items()))
        if len(_STATEMENTS) >= _STATEMENTS_KEPT:
            _STATEMENTS.clear()
        _STATEMENTS[key] = statement
    return statement


def nav_counts() -> dict[str, object]:
    """``{name: value}`` of the registered navigation counts for the logged-in reader; empty for a visitor."""
    if "nav_counts" not in g:
        registry = registry_of()
        expressions = dict(registry.nav_counts)
        home = has_request_context() and request.endpoint == HOME_ENDPOINT
        if home:
            expressions.update(registry.home_counts)
        values: dict[str, object] = {}
        if expressions and current_user and current_user.is_authenticated:
            user = current_user._get_current_object()
            statement = _statement(expressions, frozenset(user.roles), home)
            values = dict(db.session.execute(statement, {READER_PARAM: user.id}).one()._mapping)
        g.nav_counts = values
    return g.nav_counts


def nav_count(name: str, default=0):
    return nav_counts().get(name, default)
