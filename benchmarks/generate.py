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
from benchmarks.builder import Builder

PASSWORD = "benchmark-ville-2026"
# A word of the generated texts that the archive's and the request list's searches find (``benchmarks.pages``).
SEARCH_WORD = "compostage"
NAME_WORD = "Toussaint"


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
    builder = Builder(scale=scale, seed=seed, today=today, password=PASSWORD, report=report)
    chosen = builder.build()
    db.session.commit()
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
            print("This database already holds people: refused (use --reset to empty it first).", file=sys.stderr)
            return 2

        def report(table: str, rows: int, seconds: float) -> None:
            print(f"  {table:<24} {rows:>9,} rows {seconds:>7.1f} s", flush=True)

        started = time.perf_counter()
        viewers = generate(scale=args.scale, seed=args.seed, report=report)
        print(f"generated scale {args.scale:g} (seed {args.seed}) in {time.perf_counter() - started:.1f} s")
        print(json.dumps(asdict(viewers), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
