"""The texts of a mission report in the search of its request (group ``report`` of ``request_search``, see
``app.leave.search``), kept up to date by triggers on ``mission_report``."""

# ruff: noqa: S608 - DDL written from the schema's own names; typed words reach SQL only as bound parameters

from app.core import search
from app.leave import search as request_search
from app.reports.models import REPORT_TEXT_FIELDS


def _texts_of(request_id: str) -> str:
    fields = search.joined(*(f"m.{name}" for name in REPORT_TEXT_FIELDS))
    return f"(SELECT {fields} FROM mission_report m WHERE m.request_id = {request_id})"


def _set_report(dialect: str, request_id: str) -> str:
    key = request_search.REQUEST_SEARCH.key_column(dialect)
    return (
        f"UPDATE request_search SET report = {search.vector(dialect, _texts_of(request_id))} WHERE {key} = {request_id}"
    )


def _triggers(dialect: str) -> list[tuple[str, str, list[str], str]]:
    fields = ", ".join(REPORT_TEXT_FIELDS)
    return [
        ("request_search_report_insert", "AFTER INSERT", [_set_report(dialect, "NEW.request_id")], ""),
        (
            "request_search_report_update",
            f"AFTER UPDATE OF {fields}",
            [_set_report(dialect, "NEW.request_id")],
            search.changed(REPORT_TEXT_FIELDS, dialect),
        ),
        (
            "request_search_report_delete",
            "AFTER DELETE",
            [_set_report(dialect, "OLD.request_id")],
            "",
        ),
    ]


def create_ddl(dialect: str) -> list[str]:
    """The triggers on ``mission_report`` and the texts of the reports already there."""
    statements: list[str] = []
    for name, when, body, condition in _triggers(dialect):
        statements += search.trigger_ddl(name, dialect, when, "mission_report", body, condition)
    return statements + refill_ddl(dialect)


def refill_ddl(dialect: str) -> list[str]:
    """The texts of the reports already there."""
    key = f"request_search.{request_search.REQUEST_SEARCH.key_column(dialect)}"
    return [
        f"UPDATE request_search SET report = {search.vector(dialect, _texts_of(key))} "
        f"WHERE {key} IN (SELECT request_id FROM mission_report)"
    ]


def drop_ddl(dialect: str) -> list[str]:
    statements: list[str] = []
    for name, *_rest in _triggers(dialect):
        statements += search.drop_trigger_ddl(name, dialect, "mission_report")
    return statements


request_search.add_source(create_ddl, refill_ddl)
