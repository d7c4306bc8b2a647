"""Database helpers shared by every domain: time, mixins, engine settings, the unit of work."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, request
from sqlalchemy import DateTime, Numeric, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.extensions import db

CITY_TZ = ZoneInfo("America/Toronto")
# Every amount of money (CAD): twelve digits, two of them after the decimal point.
Money = Numeric(12, 2)


def utcnow() -> datetime:
    return datetime.now(UTC)


def montreal_today() -> date:
    """Today's date in Montréal (the city's time zone), whatever the server's zone."""
    return datetime.now(CITY_TZ).date()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


# PostgreSQL's planner searches every order of the joins of a statement up to ``join_collapse_limit`` (8) relations.
# A list joins each request to its person, department, cycle, partner, project and report: searching their orders
# took 30 to 60 ms per view (planned again at each one, the custom plans being cheaper than the generic ones), for
# 1 to 3 ms of execution. At 4 the planner still orders the filtering joins, and every list plans in 1 to 3 ms with
# the same plans (``tests/integration/test_query_plans.py``); the lookups joined after them keep their written order.
JOIN_COLLAPSE_LIMIT = 4


def configure_engine_events(app: Flask) -> None:
    """SQLite: WAL, a busy timeout and foreign keys, so that a few workers can share the file. PostgreSQL: the join
    search bounded (``JOIN_COLLAPSE_LIMIT``) on every connection."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":

            @event.listens_for(engine, "connect")
            def _postgres_settings(dbapi_connection, _record):
                with dbapi_connection.cursor() as cursor:
                    cursor.execute(f"SET join_collapse_limit = {JOIN_COLLAPSE_LIMIT}")
                dbapi_connection.commit()  # a SET in a transaction rolled back by the pool would be undone

            return
        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # SQLite's lower() folds ASCII only: the search fields compare names like "Éloïse" with this one.
            dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_read_only_requests(app: Flask) -> None:
    """PostgreSQL: a request that only reads (GET, HEAD: a GET never changes anything) sends its statements outside
    any transaction. At READ COMMITTED each statement sees the latest commits either way, so a page reads the same;
    but the request then ends without a ROLLBACK, and psycopg keeps the statements it prepared (it forgets them all
    at each ROLLBACK). A page's statements are prepared on a worker's connection from their fifth use, and
    PostgreSQL plans them once instead of at every view: a list's joins cost more to plan than to run."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return

    @app.before_request
    def _read_outside_a_transaction():
        if request.method in READ_ONLY_METHODS and request.endpoint != "static":
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


# Tables whose rows are never changed nor deleted once written (histories). A trigger refuses UPDATE and DELETE,
# whoever sends them; it is created with the table (tests, new databases) and by a migration (existing ones).
_APPEND_ONLY: list[str] = []

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_change_of_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING
    MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused', ERRCODE = 'restrict_violation';
END $$
"""


def append_only_ddl(table: str, dialect: str) -> list[str]:
    """The statements that make ``table`` append-only on ``dialect`` (``postgresql`` or ``sqlite``)."""
    if dialect == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history()",
        ]
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def drop_append_only_ddl(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op} " for op in ("update", "delete")]


def append_only(table) -> None:
    """Declare ``table`` (a SQLAlchemy ``Table``) append-only: its trigger comes with ``CREATE TABLE``."""
    _APPEND_ONLY.append(table.name)

    @event.listens_for(table, "after_create")
    def _create_trigger(target, connection, **_kw) -> None:
        for statement in append_only_ddl(target.name, connection.dialect.name):
            connection.exec_driver_sql(statement)


def append_only_tables() -> tuple[str, ...]:
    return tuple(_APPEND_ONLY)
