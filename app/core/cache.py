"""Reference choices (countries, cycles, departments, sectors…) built once per process and version, not per page.

A domain names what it caches and the tables it is built from (``watch(table, name)``) and reads it with
``cached(name, build)``; ``build()`` returns plain data (tuples, never ORM objects, which belong to one session).
Each process keeps the values it built with the *version* it read before building. Any write to a watched table
through the ORM or the session (a flush of a changed row, an ``UPDATE``/``INSERT``/``DELETE`` statement) marks its
names, and once the transaction commits their versions go up, so the next page of *every* process rebuilds them:

- ``REFERENCE_CACHE_URL=redis://…`` keeps the versions in one Redis hash (several hosts; one ``HGETALL`` per request,
  no SQL); it defaults to ``RATELIMIT_STORAGE_URI`` when that is a Redis URL;
- unset, they are files of ``<instance>/reference-versions/`` (the workers of one host);
- ``memory://`` keeps them in the process (the test suite, a single process).

A version is read before the value is built and goes up only after the commit: a build that races a write is kept
under the old version and replaced at the next page.
"""

import logging
import os
import threading
import uuid
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

REDIS_KEY = "conges:reference-versions"
# The variants of one name a process keeps (languages, a page's filters...): the least recently built go first.
MAX_VARIANTS = 64
_PENDING = "reference_cache_pending"


class _MemoryVersions:
    def __init__(self) -> None:
        self.versions: dict[str, int] = {}

    def read(self) -> dict[str, Hashable]:
        return dict(self.versions)

    def bump(self, names: set[str]) -> None:
        for name in names:
            self.versions[name] = self.versions.get(name, 0) + 1


class _FileVersions:
    """One file per name; a bump replaces it (new inode), so any worker of the host sees the change."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self) -> dict[str, Hashable]:
        versions: dict[str, Hashable] = {}
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return versions
        for entry in entries:
            stat = entry.stat()
            versions[entry.name] = (stat.st_ino, stat.st_mtime_ns)
        return versions

    def bump(self, names: set[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            temporary = self.folder / f".{name}.{uuid.uuid4().hex}"
            temporary.write_text(uuid.uuid4().hex)
            os.replace(temporary, self.folder / name)


class _RedisVersions:
    def __init__(self, url: str) -> None:
        import redis  # the Redis client the rate limiter already uses

        self.client = redis.Redis.from_url(url, socket_timeout=2)

    def read(self) -> dict[str, Hashable]:
        return {key.decode(): int(value) for key, value in self.client.hgetall(REDIS_KEY).items()}

    def bump(self, names: set[str]) -> None:
        pipe = self.client.pipeline()
        for name in names:
            pipe.hincrby(REDIS_KEY, name, 1)
        pipe.execute()


class ReferenceCache:
    def __init__(self, app: Flask) -> None:
        url = app.config.get("REFERENCE_CACHE_URL")
        if not url and str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
            url = app.config["RATELIMIT_STORAGE_URI"]
        if url == "memory://":
            self.versions = _MemoryVersions()
        elif url:
            self.versions = _RedisVersions(url)
        else:
            self.versions = _FileVersions(Path(app.instance_path) / "reference-versions")
        self.tables: dict[str, set[str]] = {}  # table -> names built from it
        self.values: dict[tuple[str, Hashable], tuple[Hashable, Any]] = {}
        self.lock = threading.Lock()

    def current_versions(self) -> dict[str, Hashable] | None:
        """The versions, read once per request (None when the store does not answer: nothing is cached then)."""
        if "reference_versions" not in g:
            try:
                g.reference_versions = self.versions.read()
            except Exception:  # noqa: BLE001 - a cache that does not answer must not break the page
                log.warning("reference cache: the versions cannot be read, building without cache", exc_info=True)
                g.reference_versions = None
        return g.reference_versions

    def get(self, name: str, build: Callable[[], Any], variant: Hashable = None) -> Any:
        versions = self.current_versions()
        if versions is None:
            return build()
        version = versions.get(name, 0)
        key = (name, variant)
        hit = self.values.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = build()
        with self.lock:
            self.values.pop(key, None)
            self.values[key] = (version, value)
            variants = [k for k in self.values if k[0] == name]
            for oldest in variants[: max(0, len(variants) - MAX_VARIANTS)]:
                del self.values[oldest]
        return value

    def bump(self, names: set[str]) -> None:
        try:
            self.versions.bump(names)
        except Exception:  # noqa: BLE001 - the change is committed; say loudly that other hosts may lag
            log.error("reference cache: could not publish the change of %s", sorted(names), exc_info=True)
        with self.lock:
            for key in [k for k in self.values if k[0] in names]:
                del self.values[key]
        g.pop("reference_versions", None)


def _cache() -> ReferenceCache | None:
    return current_app.extensions.get("reference_cache") if has_app_context() else None


def init_reference_cache(app: Flask) -> ReferenceCache:
    cache = ReferenceCache(app)
    app.extensions["reference_cache"] = cache
    return cache


def watch(app: Flask, table: str, name: str) -> None:
    """``name`` is built from ``table``: a committed write to it makes every process rebuild ``name``."""
    app.extensions["reference_cache"].tables.setdefault(table, set()).add(name)


def cached(name: str, build: Callable[[], Any], variant: Hashable = None) -> Any:
    """The value of ``name`` (for ``variant``, e.g. a language), built by ``build()`` when its version changed."""
    cache = _cache()
    return build() if cache is None else cache.get(name, build, variant)


def _mark(session: Session, tables) -> None:
    cache = _cache()
    if cache is None:
        return
    names = {name for table in tables for name in cache.tables.get(table, ())}
    if names:
        session.info.setdefault(_PENDING, set()).update(names)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    # A row whose columns changed, not one whose collection grew (a new user does not change its department).
    dirty = (obj for obj in session.dirty if session.is_modified(obj, include_collections=False))
    changed = (*session.new, *dirty, *session.deleted)
    _mark(session, {getattr(obj, "__tablename__", None) for obj in changed})


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _mark(state.session, {getattr(table, "name", None)})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    names = session.info.pop(_PENDING, None)
    cache = _cache()
    if names and cache is not None:
        cache.bump(names)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
