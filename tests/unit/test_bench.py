"""The benchmark's own logic (benchmarks/): reading wrk's output, the ratios and targets, the rows of a page, the kept
data's marker. No wrk, no server, no database: `make bench` runs those."""

import math
import os
import subprocess

import pytest

from benchmarks import database, report, servers, wrk
from benchmarks.report import PageResult

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40123/conges/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.12ms    9.80ms  98.31ms   81.02%
    Req/Sec    97.43     12.11   120.00     70.00%
  487 requests in 5.01s, 3.10MB read
Requests/sec:     97.21
Transfer/sec:    633.70KB
WRK_JSON {"duration_us": 5010000, "requests": 487, "bytes": 3250000, "non2xx": 0, "bad_status": 0, \
"errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}, \
"latency_us": {"p50": 39870, "p90": 52000, "p99": 88120, "max": 98310, "mean": 41120.5}}
"""


def run(rps: float, non2xx: int = 0, status: int = 0, errors: int = 0, p50: float = 10.0) -> wrk.Run:
    return wrk.Run(
        requests=int(rps * 5), duration_s=5.0, p50_ms=p50, p99_ms=p50 * 3, non2xx=non2xx, bad_status=status,
        socket_errors=errors,
    )  # fmt: skip


def page(name="my requests", endpoint="leave.my_requests", pages=(), hellos=(), status=200, **fields) -> PageResult:
    result = PageResult(name, "/conges/", endpoint, status=status, **fields)
    result.runs = list(pages)
    result.hello = list(hellos)
    return result


def test_the_json_line_of_the_lua_script_gives_rate_and_percentiles():
    parsed = wrk.parse(WRK_OUTPUT)
    assert parsed.requests == 487
    assert parsed.rps == pytest.approx(97.2, abs=0.1)
    assert parsed.p50_ms == pytest.approx(39.87)
    assert parsed.p99_ms == pytest.approx(88.12)
    assert parsed.ok


def test_wrk_output_without_the_json_line_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="no result line"):
        wrk.parse(WRK_OUTPUT.split("WRK_JSON")[0])


def test_redirects_and_timeouts_make_a_run_not_ok():
    redirected = wrk.parse(WRK_OUTPUT.replace('"non2xx": 0, "bad_status": 0', '"non2xx": 487, "bad_status": 302'))
    assert (redirected.non2xx, redirected.bad_status, redirected.ok) == (487, 302, False)
    timed_out = wrk.parse(WRK_OUTPUT.replace('"timeout": 0', '"timeout": 3'))
    assert timed_out.socket_errors == 3 and not timed_out.ok


def test_a_run_where_nothing_completed_has_no_percentiles():
    parsed = wrk.parse(WRK_OUTPUT.replace('"requests": 487', '"requests": 0'))
    assert math.isnan(parsed.p50_ms) and not parsed.ok


def test_the_lua_script_counts_every_status_outside_2xx_and_prints_the_marker():
    assert "status < 200 or status > 299" in wrk.LUA
    assert f'"{wrk.MARKER}"' in wrk.LUA and '"MARKER"' not in wrk.LUA


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (0.125, "1/8"),
        (1 / 8.51, "1/8.6"),
        (0.1, "1/10"),
        (0.05, "1/20"),
        (1 / 20.1, "1/21"),
        (1 / 44.4, "1/45"),
        (1 / 2_537, "1/2,600"),
        (0.0, "0"),
    ],
)
def test_a_share_of_hello_world_is_said_as_one_in_n_rounded_up(ratio, shown):
    assert report.one_in(ratio) == shown


@pytest.mark.parametrize(
    ("endpoint", "n"),
    [
        ("core.index", 10),
        ("leave.my_requests", 10),
        ("leave.manager_queue", 10),
        ("core.notifications", 10),
        ("leave.detail", 10),
        ("leave.bri_requests", 20),
        ("reports.archive", 20),
        ("projects.detail", 20),
        (None, 20),
    ],
)
def test_the_pages_people_use_all_day_must_reach_a_tenth_the_others_a_twentieth(endpoint, n):
    assert report.share_target(endpoint) == n


def test_the_share_is_the_median_of_each_page_run_over_the_hello_world_run_before_it():
    result = page(pages=[run(100), run(50), run(120)], hellos=[run(1000), run(250), run(1000)])
    assert result.ratio == pytest.approx(0.12)  # ratios 0.1, 0.2, 0.12
    assert result.rps == 100 and result.hello_rps == 1000


@pytest.mark.parametrize(("page_rps", "passed"), [(100, True), (99, False)])
def test_a_fast_page_passes_from_one_tenth_of_hello_world(page_rps, passed):
    result = page(pages=[run(page_rps)], hellos=[run(1000)], statements=6, worker_mb=[90.0, 95.0])
    assert [c.passed for c in result.checks()] == [passed, True, True]


def test_a_page_answering_a_redirect_is_an_error_with_no_share_however_fast():
    result = page(pages=[run(900, non2xx=4500, status=302)], hellos=[run(1000)], statements=3, worker_mb=[80.0])
    assert result.error == "4500 × HTTP 302"
    assert result.ratio == 0
    assert result.checks()[0].passed is False


def test_a_page_refused_before_wrk_is_reported_by_its_status():
    result = page(status=403, statements=4, worker_mb=[80.0])
    assert result.error == "HTTP 403" and result.checks()[0].passed is False


@pytest.mark.parametrize(("statements", "mb", "passed"), [(8, 150.0, [True, True]), (9, 151.0, [False, False])])
def test_statements_and_memory_have_their_ceilings(statements, mb, passed):
    result = page(pages=[run(200)], hellos=[run(1000)], statements=statements, worker_mb=[mb, 60.0])
    assert [c.passed for c in result.checks()[1:]] == passed


def test_unmeasured_statements_or_memory_do_not_pass():
    result = page(pages=[run(200)], hellos=[run(1000)])
    assert [c.passed for c in result.checks()[1:]] == [False, False]


def test_the_deep_page_is_compared_with_the_first_page_of_the_same_list():
    first = page("BRI list", "leave.bri_requests", pages=[run(50, p50=80)], hellos=[run(1000)])
    deep = page("BRI list, deep page", "leave.bri_requests", pages=[run(40, p50=100)], hellos=[run(1000)])
    other = page("BRI queue", "leave.bri_queue", pages=[run(50)], hellos=[run(1000)])
    assert report.deep_pair([other, first, deep]) == (first, deep)
    assert report.deep_ratio(first, deep) == pytest.approx(1.25)
    assert report.deep_pair([other, first]) is None


def test_a_deep_page_in_error_has_no_ratio():
    first = page("BRI list", pages=[run(50)], hellos=[run(1000)])
    deep = page("BRI list, deep page", pages=[run(50, non2xx=3, status=500)], hellos=[run(1000)])
    assert math.isnan(report.deep_ratio(first, deep))


MAIN_TABLE = """
<table><thead><tr><th>Référence</th><th>Demandeur</th></tr></thead>
<tbody>
  <tr><td>CS-1</td><td>A</td></tr>
  <tr><td>CS-2</td><td>B<table><tr><td>nested</td></tr></table></td></tr>
  <tr><th scope="row">CS-3</th><td>C</td></tr>
</tbody></table>
<table><tr><th>Total</th></tr><tr><td>1</td></tr></table>
"""


def test_the_rows_shown_are_those_of_the_largest_table_without_its_header():
    assert report.count_rows(MAIN_TABLE) == 3


def test_the_nothing_to_show_line_of_an_empty_list_is_no_row():
    empty = (
        '<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td colspan="2">Aucune</td></tr></tbody></table>'
    )
    assert report.count_rows(empty) == 0
    assert report.count_rows("<main><p>Bonjour</p></main>") is None


def test_the_summary_names_every_missed_target():
    checks = [report.Check("a", "1/5", "≥ 1/10", True), report.Check("b", "12", "≤ 8", False)]
    checks.append(report.Check("c", "not measured", "≤ 1.2", None))
    lines = report.summary(checks)
    assert lines[0] == "Targets met: 1 of 3; missed: 1"
    assert "  MISS  b: 12 (target ≤ 8)" in lines
    assert any(line.startswith("  n/a   c") for line in lines)


def test_kept_data_are_reused_only_with_the_same_marker():
    text = database._write("scale=1 head=0009", {"employee": "e@x"})
    assert database._read(text, "scale=1 head=0009") == {"employee": "e@x"}
    assert database._read(text, "scale=1 head=0010") is None
    assert database._read("a comment someone wrote", "scale=1 head=0009") is None
    assert database._read(None, "scale=1 head=0009") is None


def test_the_marker_changes_with_the_scale_the_migration_head_and_the_day():
    same = database.marker(1, 2026, "0009", "2026-12-01")
    assert same == database.marker(1, 2026, "0009", "2026-12-01")
    assert same != database.marker(0.5, 2026, "0009", "2026-12-01")
    assert same != database.marker(1, 2026, "0010", "2026-12-01")
    assert same != database.marker(1, 2026, "0009", "2026-12-02")


def test_secure_cookies_are_kept_for_the_plain_http_of_127_0_0_1():
    cookies: dict[str, str] = {}
    servers._keep_cookies(cookies, {"set-cookie": ["session=abc.def; Secure; HttpOnly; Path=/; SameSite=Lax"]})
    assert servers.cookie_header(cookies) == "session=abc.def"


def test_the_benchmark_talks_to_127_0_0_1_only():
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        servers.request("http://example.org/")


def test_worker_memory_and_children_are_read_from_proc():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert child.pid in servers.children(os.getpid())
        assert servers.rss_mb(os.getpid()) > 1
    finally:
        child.kill()
        child.wait()
    assert servers.rss_mb(child.pid) == 0
