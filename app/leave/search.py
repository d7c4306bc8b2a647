"""The search text of leave requests (table ``request_search``, one row per request), kept up to date by triggers.

Groups, heaviest first:

- ``names``: the applicant's full name and the partner's name;
- ``request``: the reference and the texts of the request (city, objectives, expertise, benefits, languages);
- ``report``: left empty here, filled by the domains above with the texts they attach to a request (the mission
  report: ``app.reports.search``).

The BRI's request search reads ``names`` and ``request``; the archive of missions reads all three. The triggers come
with ``CREATE TABLE`` (``db.create_all``: tests, new databases) and with migration 0011 (existing databases).
"""

# ruff: noqa: S608 - DDL written from the schema's own names; typed words reach SQL only as bound parameters

from collections.abc import Callable

from sqlalchemy import Select, event
from sqlalchemy.sql.elements import Label

from app.core import search
from app.extensions import db

REQUEST_SEARCH = search.SearchIndex("request_search", key="request_id", groups=("names", "request", "report"))
# What the BRI's list searches: the request itself, not what was written after the mission.
REQUEST_GROUPS = ("names", "request")
REQUEST_TEXT_FIELDS = ("reference", "city", "objectives", "expertise", "benefits", "languages")
_INDEXED = (*REQUEST_TEXT_FIELDS, "applicant_id", "partner_id")
EMPTY = "''"


def _names_of(request_id: str) -> str:
    return (
        f"(SELECT {search.joined('u.full_name', 'p.name')} FROM leave_request r "
        'JOIN "user" u ON u.id = r.applicant_id LEFT JOIN partner_organisation p ON p.id = r.partner_id '
        f"WHERE r.id = {request_id})"
    )


def _texts_of(request_id: str) -> str:
    fields = search.joined(*(f"r.{name}" for name in REQUEST_TEXT_FIELDS))
    return f"(SELECT {fields} FROM leave_request r WHERE r.id = {request_id})"


def _refresh(dialect: str, request_id: str) -> str:
    key = REQUEST_SEARCH.key_column(dialect)
    return (
        f"UPDATE request_search SET names = {search.vector(dialect, _names_of(request_id))}, "
        f"request = {search.vector(dialect, _texts_of(request_id))} WHERE {key} = {request_id}"
    )


def _triggers(dialect: str) -> list[tuple[str, str, str, list[str], str]]:
    key = REQUEST_SEARCH.key_column(dialect)
    of_request = f"request_search.{key}"
    return [
        (
            "request_search_insert",
            "AFTER INSERT",
            "leave_request",
            [
                f"INSERT INTO request_search ({key}, names, request, report) VALUES (NEW.id, "
                f"{search.vector(dialect, _names_of('NEW.id'))}, {search.vector(dialect, _texts_of('NEW.id'))}, "
                f"{search.vector(dialect, EMPTY)})"
            ],
            "",
        ),
        (
            "request_search_update",
            f"AFTER UPDATE OF {', '.join(_INDEXED)}",
            "leave_request",
            [_refresh(dialect, "NEW.id")],
            search.changed(_INDEXED, dialect),
        ),
        (
            "request_search_delete",
            "AFTER DELETE",
            "leave_request",
            [f"DELETE FROM request_search WHERE {key} = OLD.id"],
            "",
        ),
        (
            "request_search_applicant",
            "AFTER UPDATE OF full_name",
            '"user"',
            [
                f"UPDATE request_search SET names = {search.vector(dialect, _names_of(of_request))} "
                f"WHERE {key} IN (SELECT id FROM leave_request WHERE applicant_id = NEW.id)"
            ],
            search.changed(("full_name",), dialect),
        ),
        (
            "request_search_partner",
            "AFTER UPDATE OF name",
            "partner_organisation",
            [
                f"UPDATE request_search SET names = {search.vector(dialect, _names_of(of_request))} "
                f"WHERE {key} IN (SELECT id FROM leave_request WHERE partner_id = NEW.id)"
            ],
            search.changed(("name",), dialect),
        ),
    ]


def _fill(dialect: str) -> str:
    key = REQUEST_SEARCH.key_column(dialect)
    return (
        f"INSERT INTO request_search ({key}, names, request, report) SELECT lr.id, "
        f"{search.vector(dialect, _names_of('lr.id'))}, {search.vector(dialect, _texts_of('lr.id'))}, "
        f"{search.vector(dialect, EMPTY)} FROM leave_request lr"
    )


def create_ddl(dialect: str) -> list[str]:
    """The search table, its triggers and the rows of the requests already there."""
    statements = search.table_ddl(REQUEST_SEARCH, dialect)
    for name, when, on, body, condition in _triggers(dialect):
        statements += search.trigger_ddl(name, dialect, when, on, body, condition)
    return [*statements, _fill(dialect)]


def refill_ddl(dialect: str) -> list[str]:
    """The statements that fill the table again from the tables (after a bulk load that bypassed the triggers)."""
    return ["DELETE FROM request_search", _fill(dialect), *(s for _create, refill in _SOURCES for s in refill(dialect))]


def drop_ddl(dialect: str) -> list[str]:
    statements = []
    for name, _when, on, _body, _condition in _triggers(dialect):
        statements += search.drop_trigger_ddl(name, dialect, on)
    return statements + search.drop_table_ddl(REQUEST_SEARCH, dialect)


def matching(query: Select, key, words: list[str], groups: tuple[str, ...] | None = None) -> tuple[Select, Label]:
    """``query`` restricted to the requests (``key``: their id) matching every word, and the relevance."""
    return search.search(query, REQUEST_SEARCH, key, words, groups, db.engine.dialect.name)


# The DDL of the domains above that fill a group of the table (their triggers and back-fill), run after ours.
_SOURCES: list[tuple[Callable[[str], list[str]], Callable[[str], list[str]]]] = []


def add_source(create: Callable[[str], list[str]], refill: Callable[[str], list[str]]) -> None:
    """Declare the statements (for a dialect) with which a domain above fills its group of ``request_search``:
    ``create`` its triggers and its texts, ``refill`` its texts only."""
    _SOURCES.append((create, refill))


@event.listens_for(db.metadata, "after_create")
def _create(_target, connection, **_kw) -> None:
    dialect = connection.dialect.name
    if connection.dialect.has_table(connection, REQUEST_SEARCH.table):
        return
    for statement in [*create_ddl(dialect), *(s for create, _refill in _SOURCES for s in create(dialect))]:
        connection.exec_driver_sql(statement)


@event.listens_for(db.metadata, "before_drop")
def _drop(_target, connection, **_kw) -> None:
    # The triggers go with their tables.
    for statement in search.drop_table_ddl(REQUEST_SEARCH, connection.dialect.name):
        connection.exec_driver_sql(statement)
