"""A city-sized data set: ``python -m benchmarks.generate --scale 1 [--database-url URL] [--seed N] [--reset]``.

At scale 1: 10,000 people in about 80 departments (about 1,000 managers, BRI officers, administrators), 100,000 leave
requests in every status over ten programme cycles, each with the history of the path that led to its status,
mission reports, 300 partner organisations, the eligible countries, 1,000 cooperation projects with partners, money,
milestones, history and missions, and in-app notifications. One manager has about 500 requests waiting for their
decision, one employee about 40 requests and unread notifications, one project many missions: the
:class:`Viewers` the benchmark and the statement-count tests log in as (everyone's password is :data:`PASSWORD`).

Rows go in by bulk inserts (SQLAlchemy Core, executemany, ids given here; PostgreSQL's sequences are moved past them
afterwards). Everything derives from the seed (``random.Random(seed)``) and the day of the generation. The command
migrates the database first and refuses one that already holds people (``--reset`` empties it first).
"""

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import flask_migrate
from sqlalchemy import func, make_url, select, text

from app.accounts.models import User
from app.extensions import db
from benchmarks import vocabulary as words
from benchmarks.builder import Builder

PASSWORD = "benchmark-ville-2026"
# What the searches of ``benchmarks.pages`` look for: a word of the missions' texts (the chosen employee's among
# them) and a family name (the chosen employee's among others).
SEARCH_WORD = words.SEARCH_WORD
NAME_WORD = words.NAME_WORD


@dataclass
class Viewers:
    """Who logs in to see the pages, and the objects of the detail pages (``benchmarks.pages``)."""

    employee: str
    manager: str
    bri: str
    admin: str
    request_id: int  # a request of the employee with its whole history (closed, report accepted)
    report_request_id: int  # a submitted report (its review page)
    project_id: int  # the project with many missions
    bri_request_id: int = 0  # a request waiting for the BRI's decision (the BRI's view with the decision panel)
    department_id: int = 0  # a department with people (the BRI list's department filter)
    employee_id: int = 0  # the employee's id (the administration's user page)
    request_count: int = 0  # how many requests there are (the deep page of a list)
    search_word: str = SEARCH_WORD
    name_word: str = NAME_WORD


def generate(scale: float = 1.0, seed: int = 2026, today=None, report=None) -> Viewers:
    """Load the data set into the current app's (migrated, empty) database and commit; returns the viewers.

    ``today`` (a date, default today in Montréal) anchors the statuses: missions under way cover it, pending requests
    come after it. ``report(table, rows, seconds)`` is called after each table."""
    if db.session.scalar(select(func.count()).select_from(User)):
        raise RuntimeError("benchmarks.generate needs an empty database: this one already holds people")
    builder = Builder(scale=scale, seed=seed, today=today, password=PASSWORD, report=report)
    chosen = builder.build()
    db.session.commit()
    # The planner's statistics and the full-text index's pending entries merged, as after a day of autovacuum: the
    # benchmark measures a live database, not one just loaded (a GIN index still holding its pending list scans it
    # at every search). VACUUM runs outside a transaction.
    started = time.perf_counter()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    builder.report("(analyze)", 0, time.perf_counter() - started)
    return Viewers(**chosen)


# The command ----------------------------------------------------------------------------------------------------


def _reset(url: str) -> None:
    """Empty the database (``--reset``): PostgreSQL's public schema is dropped and created again, a SQLite file
    removed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 people, 100,000 requests (default 1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="default: the application's database (DATABASE_URL, APP_CONFIG)")
    parser.add_argument("--reset", action="store_true", help="empty the database first (drops every table)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")

    from app import create_app
    from config import database_url

    overrides = {}
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        overrides["SQLALCHEMY_DATABASE_URI"] = database_url(args.database_url)
    app = create_app(overrides=overrides)
    with app.app_context():
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        if args.reset:
            _reset(url)
        started = time.perf_counter()
        flask_migrate.upgrade()
        print(f"migrated {make_url(url).render_as_string(hide_password=True)} in {time.perf_counter() - started:.1f} s")
        if db.session.scalar(select(func.count()).select_from(User)):
            db.session.remove()
            db.engine.dispose()
            print("This database already holds people: refused (use --reset to empty it first).", file=sys.stderr)
            return 2

        def report(table: str, rows: int, seconds: float) -> None:
            print(f"  {table:<24} {rows:>9,} rows {seconds:>7.1f} s", flush=True)

        started = time.perf_counter()
        try:
            viewers = generate(scale=args.scale, seed=args.seed, report=report)
        finally:
            db.session.remove()
            db.engine.dispose()
        print(f"generated scale {args.scale:g} (seed {args.seed}) in {time.perf_counter() - started:.1f} s")
        print(json.dumps(asdict(viewers), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
