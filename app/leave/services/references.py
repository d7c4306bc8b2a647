"""References ``CS-<year>-0042``: one counter row per year, incremented atomically by the database.

``UPDATE ... SET last = last + 1 ... RETURNING last`` takes the row lock, so two requests created at the same
moment (even by two workers) never get the same number; a rolled-back creation gives its number back with it.
"""

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.leave.models import ReferenceCounter


def _insert_counter_if_missing(year: int) -> None:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(ReferenceCounter).values(year=year, last=0).on_conflict_do_nothing())


def next_reference(year: int) -> str:
    stmt = (
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
        .execution_options(synchronize_session=False)
    )
    number = db.session.execute(stmt).scalar_one_or_none()
    if number is None:
        _insert_counter_if_missing(year)
        number = db.session.execute(stmt).scalar_one()
    return f"CS-{year}-{number:04d}"
