"""What the benchmark concludes from its measures: the ratios to hello-world, the targets of issue 10, the table.

Pure functions (no server, no database), tested in tests/unit/test_bench.py.
"""

import math
import statistics
from dataclasses import dataclass, field
from html.parser import HTMLParser

from benchmarks.wrk import Run

# Pages whose users wait on them all day: at least 1/10 of hello-world's requests per second. Every other list and
# the project page: 1/20. Known by the endpoint the page's address reaches, whatever the page list calls it.
FAST_ENDPOINTS = frozenset(
    {"core.index", "leave.my_requests", "leave.manager_queue", "core.notifications", "leave.detail"}
)
FAST_SHARE = 10
OTHER_SHARE = 20
MAX_STATEMENTS = 8
MAX_WORKER_MB = 150
MAX_DEEP_RATIO = 1.2
MAX_DECISION_STATEMENTS = 8
MAX_DECISION_COMMITS = 1
MAX_IDLE_TICK_S = 2.0


def share_target(endpoint: str | None) -> int:
    """N in "at least 1/N of hello-world's requests per second" for the page served by ``endpoint``."""
    return FAST_SHARE if endpoint in FAST_ENDPOINTS else OTHER_SHARE


def one_in(ratio: float) -> str:
    """A share of hello-world's rate as people say it: 0.125 → "1/8", 0.0004 → "1/2,500", 0 → "0". N is rounded
    up, so that a share shown as 1/20 meets a target of 1/20 and one that misses it never looks as if it met it."""
    if not ratio or math.isnan(ratio):
        return "0"
    n = 1 / ratio
    if n < 1:
        return f"{ratio:.1f}×"
    if n < 10:
        return f"1/{math.ceil(n * 10 - 1e-9) / 10:g}"
    step = 1 if n < 100 else 10 if n < 1000 else 100
    return f"1/{math.ceil(n / step - 1e-9) * step:,}"


def median(values: list[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


@dataclass
class PageResult:
    name: str
    path: str
    endpoint: str | None
    runs: list[Run] = field(default_factory=list)
    hello: list[Run] = field(default_factory=list)  # the hello-world run just before each run of the page
    status: int | None = None  # of the page's first GET over HTTP
    statements: int | None = None
    rows: int | None = None
    kb: float | None = None
    worker_mb: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def target(self) -> int:
        return share_target(self.endpoint)

    @property
    def error(self) -> str:
        """Why the page cannot be called fast: it did not answer 200, or answered something else than 2xx, or
        wrk's connections failed or timed out. Empty when every response was a 2xx."""
        if self.status is not None and self.status != 200:
            return f"HTTP {self.status}"
        for run in self.runs:
            if run.non2xx:
                return f"{run.non2xx} × HTTP {run.bad_status}"
            if run.socket_errors:
                return f"{run.socket_errors} timeouts/socket errors"
            if not run.requests:
                return "no response in time"
        return "" if self.runs else "not measured"

    @property
    def rps(self) -> float:
        return median([run.rps for run in self.runs])

    @property
    def hello_rps(self) -> float:
        return median([run.rps for run in self.hello])

    @property
    def ratio(self) -> float:
        """The page's requests per second over hello-world's, the median of the interleaved pairs (each page run
        against the hello-world run just before it, so that the load of the machine at that moment cancels)."""
        if self.error:
            return 0.0
        return median([p.rps / h.rps for p, h in zip(self.runs, self.hello, strict=False) if h.rps > 0])

    @property
    def p50_ms(self) -> float:
        return median([run.p50_ms for run in self.runs])

    @property
    def p99_ms(self) -> float:
        return median([run.p99_ms for run in self.runs])

    @property
    def max_worker_mb(self) -> float:
        return max(self.worker_mb, default=float("nan"))

    def checks(self) -> list["Check"]:
        ratio = self.ratio
        return [
            Check(f"{self.name}: share of hello-world", one_in(ratio), f"≥ 1/{self.target}", ratio * self.target >= 1),
            Check(
                f"{self.name}: SQL statements",
                str(self.statements),
                f"≤ {MAX_STATEMENTS}",
                self.statements is not None and self.statements <= MAX_STATEMENTS,
            ),
            Check(
                f"{self.name}: worker memory",
                f"{self.max_worker_mb:.0f} MB",
                f"≤ {MAX_WORKER_MB} MB",
                bool(self.worker_mb) and self.max_worker_mb <= MAX_WORKER_MB,
            ),
        ]


@dataclass(frozen=True)
class Check:
    what: str
    value: str
    target: str
    passed: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.passed]


def deep_ratio(first: PageResult, deep: PageResult) -> float:
    """How much longer the deep page takes than the first page of the same list (median p50s)."""
    if first.error or deep.error or not first.p50_ms or math.isnan(first.p50_ms):
        return float("nan")
    return deep.p50_ms / first.p50_ms


def deep_pair(results: list[PageResult]) -> tuple[PageResult, PageResult] | None:
    """The deep page (its name says "deep") and the first page of the same list (same endpoint, not deep)."""
    for deep in results:
        if "deep" in deep.name.lower():
            firsts = [
                r for r in results if r is not deep and r.endpoint == deep.endpoint and "deep" not in r.name.lower()
            ]
            if firsts:
                return min(firsts, key=lambda r: len(r.path)), deep
    return None


class _TableRows(HTMLParser):
    """Counts, for each table, its rows of data: rows outside ``<thead>`` with at least one ``<td>``, except a lone
    cell spanning the columns (the "nothing to show" line of an empty list)."""

    def __init__(self):
        super().__init__()
        self.open: list[dict] = []  # the tables being read (a table may hold another)
        self.counts: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.open.append({"rows": 0, "in_head": False, "cells": 0, "spanning": False})
        elif self.open:
            table = self.open[-1]
            if tag == "thead":
                table["in_head"] = True
            elif tag == "tr":
                table["cells"], table["spanning"] = 0, False
            elif tag == "td":
                table["cells"] += 1
                table["spanning"] = (dict(attrs).get("colspan") or "1").strip() != "1"

    def handle_endtag(self, tag):
        if not self.open:
            return
        table = self.open[-1]
        if tag == "thead":
            table["in_head"] = False
        elif tag == "tr":
            lone_spanning_cell = table["cells"] == 1 and table["spanning"]
            if table["cells"] and not table["in_head"] and not lone_spanning_cell:
                table["rows"] += 1
        elif tag == "table":
            self.counts.append(self.open.pop()["rows"])


def count_rows(html: str) -> int | None:
    """The rows shown by the page's main table: the table with the most body rows; None when there is no table."""
    parser = _TableRows()
    parser.feed(html)
    parser.close()
    return max(parser.counts) if parser.counts else None


def _num(value: float | None, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format(value, fmt)


COLUMNS = (
    ("page", 36, "<"),
    ("req/s", 7, ">"),
    ("hello", 6, ">"),
    ("share", 8, ">"),
    ("target", 6, ">"),
    ("p50 ms", 8, ">"),
    ("p99 ms", 8, ">"),
    ("SQL", 4, ">"),
    ("rows", 5, ">"),
    ("KB", 6, ">"),
    ("worker MB", 9, ">"),
    ("", 4, "<"),
)


def _line(cells: list[str]) -> str:
    return " ".join(f"{cell:{align}{width}}" for cell, (_n, width, align) in zip(cells, COLUMNS, strict=True)).rstrip()


def page_table(results: list[PageResult]) -> list[str]:
    lines = [_line([name for name, _w, _a in COLUMNS])]
    for r in results:
        verdict = "PASS" if all(c.passed for c in r.checks()) else "MISS"
        lines.append(
            _line(
                [
                    r.name[:36],
                    _num(r.rps, ".0f") if not r.error else "ERR",
                    _num(r.hello_rps, ".0f"),
                    one_in(r.ratio),
                    f"1/{r.target}",
                    _num(r.p50_ms, ".1f"),
                    _num(r.p99_ms, ".1f"),
                    _num(r.statements, "d"),
                    _num(r.rows, "d"),
                    _num(r.kb, ".0f"),
                    " ".join(f"{mb:.0f}" for mb in r.worker_mb) or "—",
                    verdict,
                ]
            )
        )
        if r.error or r.note:
            lines.append(f"    {r.name}: {'; '.join(x for x in (r.error, r.note) if x)}")
    return lines


def summary(checks: list[Check]) -> list[str]:
    met = [c for c in checks if c.passed]
    missed = [c for c in checks if c.passed is False]
    lines = [f"Targets met: {len(met)} of {len(checks)}" + (f"; missed: {len(missed)}" if missed else "")]
    lines += [f"  MISS  {c.what}: {c.value} (target {c.target})" for c in missed]
    lines += [f"  n/a   {c.what}: {c.value}" for c in checks if c.passed is None]
    return lines
