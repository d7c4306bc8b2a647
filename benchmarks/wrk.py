"""Running Debian's ``wrk`` against one address and reading what it measured.

wrk counts only statuses above 399 as errors; a page that answers 302 (to the login) would look fast. The Lua script
below counts every response outside 200-299 in each thread and prints, when wrk is done, one line of JSON that
:func:`parse` reads.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARKER = "WRK_JSON "

LUA = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  bad_status = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  local non2xx, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + (thread:get("non2xx") or 0)
    local status = thread:get("bad_status") or 0
    if status ~= 0 then bad_status = status end
  end
  local e = summary.errors
  io.write(string.format(
    '%s{"duration_us": %d, "requests": %d, "bytes": %d, "non2xx": %d, "bad_status": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    "MARKER", summary.duration, summary.requests, summary.bytes, non2xx, bad_status,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
""".replace('"MARKER"', json.dumps(MARKER))


@dataclass(frozen=True)
class Run:
    """One run of wrk: what it counted, in seconds and requests per second."""

    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    non2xx: int  # responses outside 200-299
    bad_status: int  # the last such status seen (0: none)
    socket_errors: int  # connect, read, write errors and timeouts

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def ok(self) -> bool:
        """Every response was a 2xx, without socket errors or timeouts, and there was at least one."""
        return self.requests > 0 and self.non2xx == 0 and self.socket_errors == 0


def parse(output: str) -> Run:
    """Read the JSON line the Lua script's ``done()`` printed among wrk's own output."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            break
    else:
        raise ValueError(f"wrk printed no result line ({MARKER.strip()}): {output[-500:]!r}")
    errors = data["errors"]
    latency = data["latency_us"]
    completed = data["requests"]
    return Run(
        requests=completed,
        duration_s=data["duration_us"] / 1_000_000,
        # With no request completed, wrk's percentiles are 0: they mean nothing, say so.
        p50_ms=latency["p50"] / 1000 if completed else float("nan"),
        p99_ms=latency["p99"] / 1000 if completed else float("nan"),
        non2xx=data["non2xx"],
        bad_status=data["bad_status"],
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    )


class Wrk:
    """``wrk`` with the Lua script written once to a temporary file."""

    def __init__(self, threads: int = 1, connections: int = 4, timeout_s: int = 10):
        self.executable = shutil.which("wrk")
        if not self.executable:
            raise SystemExit("wrk is not installed: run ./scripts/system-deps.sh bench (make bench does).")
        self.threads = threads
        self.connections = connections
        self.timeout_s = timeout_s
        self._dir = tempfile.TemporaryDirectory(prefix="conges-wrk-")
        self.script = Path(self._dir.name) / "report.lua"
        self.script.write_text(LUA)

    def run(self, url: str, duration_s: float, cookie: str | None = None) -> Run:
        if not url.startswith("http://127.0.0.1:"):
            raise ValueError(f"the benchmark talks to 127.0.0.1 only, not {url}")
        command = [
            self.executable,
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{duration_s:g}s",
            f"--timeout={self.timeout_s}s",
            "-s",
            str(self.script),
        ]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        command.append(url)
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + self.timeout_s + 30)  # noqa: S603
        return parse(done.stdout)

    def close(self) -> None:
        self._dir.cleanup()
