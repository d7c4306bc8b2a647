"""Bulk inserts for the generator: rows straight to the driver, and PostgreSQL's sequences moved past the ids given."""

import itertools
from datetime import UTC, datetime

from sqlalchemy import Integer, text

from app.core.database import UTCDateTime
from app.extensions import db

BATCH = 5000


def _batches(values, size: int):
    batch = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_datetime(value: datetime | None) -> str | None:
    """What SQLAlchemy stores for a UTC datetime in SQLite (naive UTC, always with the microseconds), faster."""
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _processor(column, dialect):
    """The conversion SQLAlchemy applies to a value of ``column`` before the driver (UTC datetimes as SQLite stores
    them done by hand: they are most of the values)."""
    if dialect.name == "sqlite" and isinstance(column.type, UTCDateTime):
        return _sqlite_datetime
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def bulk_insert(table, rows) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction; returns how many.

    The values go through the columns' own bind processing (UTC datetimes, SQLite's date formats...), then
    straight to the driver: COPY on PostgreSQL, ``executemany`` on SQLite."""
    rows = iter(rows)
    first = next(rows, None)
    total = 0
    if first is not None:
        columns = [c for c in table.columns if c.name in first]
        missing = [c.name for c in table.columns if c.name not in first and c.default is not None]
        assert not missing, (table.name, missing)
        dialect = db.engine.dialect
        processors = [_processor(c, dialect) for c in columns]
        names = [c.name for c in columns]

        def values():
            for row in itertools.chain([first], rows):
                yield tuple(row[n] if p is None else p(row[n]) for n, p in zip(names, processors, strict=True))

        quote = dialect.identifier_preparer.quote
        target = f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"
        raw = db.session.connection().connection.driver_connection
        if dialect.name == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for value in values():
                    copy.write_row(value)
                    total += 1
        else:
            cursor, marks = raw.cursor(), ", ".join("?" * len(names))
            for batch in _batches(values(), BATCH):
                cursor.executemany(f"INSERT INTO {target} VALUES ({marks})", batch)  # noqa: S608 - schema names
                total += len(batch)
            cursor.close()
    return total


def reset_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        id_column = table.columns.get("id")
        if id_column is None or not isinstance(id_column.type, Integer):
            continue
        name = f'"{table.name}"'
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - names of the schema
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )
