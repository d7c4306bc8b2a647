"""The benchmark's database: PostgreSQL ``conges_bench`` on 127.0.0.1, or an SQLite file with ``--sqlite``.

Generating a city takes minutes, and the benchmark changes what it measures (a decision, the daily job, the e-mails
sent): so the generated data are kept in a database of their own, one per scale (``conges_bench_data_1``, or a
file), marked with the scale, the seed, the migration head, the day and a digest of the generator, and every run works
on a fresh copy of it (``CREATE DATABASE ... TEMPLATE``, or a file copy). A marker that does not match means
generating again.
"""

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432"
NAME = "conges_bench"
DATA_PREFIX = "conges_bench_data"


def data_name(scale: float) -> str:
    """The kept data of one scale (``conges_bench_data_1``, ``conges_bench_data_0_05``): a quick run at a small
    scale does not throw away the city."""
    return f"{DATA_PREFIX}_{scale:g}".replace(".", "_").replace("-", "_")


SQLITE_DIR = ROOT / "instance" / "bench"


# The harness's own modules: a change to them leaves the generated data as they are.
HARNESS = {"__init__", "__main__", "database", "hello", "inprocess", "pages", "report", "servers", "tick", "wrk"}


def marker(scale: float, seed: int, head: str, day: str) -> str:
    """What the kept data were generated from: a change of any of these means generating again. The generator
    anchors the statuses on the day it runs (missions under way cover it), so data of another day are not reused."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        if path.stem not in HARNESS:
            digest.update(path.name.encode() + path.read_bytes())
    return f"conges-bench scale={scale:g} seed={seed} head={head} day={day} generator={digest.hexdigest()[:16]}"


@dataclass
class Prepared:
    url: str  # DATABASE_URL of the copy the run works on
    generated: bool  # False: the kept data matched the marker and were copied
    seconds: float
    kept: dict  # what ``fill`` returned when the data were generated (the viewers)


def _read(text: str | None, want: str) -> dict | None:
    """What was kept with the data, if they were generated from ``want``."""
    try:
        data = json.loads(text or "")
    except ValueError:
        return None
    return data["kept"] if isinstance(data, dict) and data.get("marker") == want and "kept" in data else None


def _write(want: str, kept: dict) -> str:
    return json.dumps({"marker": want, "kept": kept})


class Postgres:
    """Databases on the PostgreSQL server of 127.0.0.1 (user postgres, trust), through an autocommit connection."""

    def __init__(self, server: str = SERVER):
        if "@127.0.0.1:" not in server:
            raise ValueError("the benchmark uses the PostgreSQL server of 127.0.0.1 only")
        self.server = server

    def url(self, name: str) -> str:
        return f"{self.server}/{name}"

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def comment(self, name: str) -> str | None:
        rows = self._execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
        )
        return rows[0][0] if rows else None

    def recreate(self, name: str, template: str | None = None) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def set_comment(self, name: str, text: str) -> None:
        from psycopg import sql

        self._execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(text)).as_string()
        )

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_postgres(want: str, fill: Callable[[str], dict], scale: float, fresh: bool = False) -> Prepared:
    """A fresh ``conges_bench``, copied from the kept data when their marker is ``want``; else generate them first
    (``fill(url)`` migrates and generates into the empty database at ``url``, and returns what to keep with them)."""
    started = time.monotonic()
    pg = Postgres()
    kept_name = data_name(scale)
    kept = None if fresh else _read(pg.comment(kept_name), want)
    generated = kept is None
    if generated:
        pg.recreate(kept_name)
        try:
            kept = fill(pg.url(kept_name))
        except BaseException:
            pg.drop(kept_name)  # half a city is no city: never keep it
            raise
        pg.set_comment(kept_name, _write(want, kept))
    pg.recreate(NAME, template=kept_name)
    return Prepared(pg.url(NAME), generated, time.monotonic() - started, kept)


def prepare_sqlite(want: str, fill: Callable[[str], dict], scale: float, fresh: bool = False) -> Prepared:
    """The same with files: ``instance/bench/conges_bench_data_SCALE.db`` (its marker beside it) copied to
    ``bench.db``."""
    started = time.monotonic()
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    data, work = SQLITE_DIR / f"{data_name(scale)}.db", SQLITE_DIR / "bench.db"
    mark = data.with_suffix(".marker")
    kept = None if fresh or not data.exists() or not mark.exists() else _read(mark.read_text(), want)
    generated = kept is None
    if generated:
        for path in (mark, *_sqlite_files(data)):
            path.unlink(missing_ok=True)
        try:
            kept = fill(f"sqlite:///{data}")
        except BaseException:
            for path in _sqlite_files(data):
                path.unlink(missing_ok=True)
            raise
        mark.write_text(_write(want, kept))
    for path in _sqlite_files(work):
        path.unlink(missing_ok=True)
    shutil.copyfile(data, work)
    return Prepared(f"sqlite:///{work}", generated, time.monotonic() - started, kept)


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
