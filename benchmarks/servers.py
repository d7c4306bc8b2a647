"""The processes of the benchmark, all on 127.0.0.1: gunicorn (the application and the hello-world), a local SMTP
server; logging in over HTTP; the memory of gunicorn's workers read from /proc.

Every process is started in a session of its own and stopped, with its children, by its own process-group id when the
benchmark ends, fails or is interrupted.
"""

import http.client
import http.cookies
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
FLASK = str(Path(sys.executable).with_name("flask"))
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process started by this module, and whatever it started (its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)


class Gunicorn:
    """``gunicorn -w 2`` (sync workers, gunicorn's other settings left as they are) serving ``target``."""

    def __init__(self, target: str, env: dict[str, str], log: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}", target]
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
            command, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_until_up(self, path: str = "/", timeout: float = 60) -> None:
        """Wait until every worker has booted and the server answers ``path``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.url} exited; its log: {self.log}\n{self.log.read_text()[-2000:]}")
            if len(self.worker_pids()) == WORKERS:
                try:
                    status, _headers, _body = request(self.url + path, timeout=5)
                    if status < 500:
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.url} did not answer within {timeout:.0f} s; its log: {self.log}")

    def wait_until_idle(self, timeout: float = 90) -> bool:
        """Wait until both workers are free again (a page slower than wrk's run keeps them busy after it ends):
        as many quick requests in parallel as there are workers must all be answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            results: list[bool] = []
            probes = [threading.Thread(target=self._probe, args=(results,)) for _ in range(WORKERS)]
            for thread in probes:
                thread.start()
            for thread in probes:
                thread.join()
            if all(results):
                return True
            time.sleep(0.5)
        return False

    def _probe(self, results: list[bool]) -> None:
        try:
            results.append(request(self.url + "/healthz", timeout=2)[0] == 200)
        except OSError:
            results.append(False)

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in self.worker_pids()]

    def stop(self) -> None:
        stop(self.process)
        self._log_file.close()


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (gunicorn's workers under its master), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(found)


def rss_mb(pid: int) -> float:
    """The resident memory of a process in MB (VmRSS of /proc/PID/status), 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def request(
    url: str, data: dict | None = None, cookies: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, dict[str, list[str]], str]:
    """One HTTP request to 127.0.0.1 (no redirect followed). Returns the status, the headers, the body."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise ValueError(f"the benchmark talks to 127.0.0.1 only, not {url}")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST" if data is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        received: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            received.setdefault(name.lower(), []).append(value)
        return response.status, received, response.read().decode(errors="replace")
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _keep_cookies(cookies: dict[str, str], headers: dict[str, list[str]]) -> None:
    # The production configuration marks the cookies Secure: a browser behind the TLS proxy sends them back, and so
    # does this client, which talks to gunicorn directly.
    for line in headers.get("set-cookie", []):
        jar = http.cookies.SimpleCookie()
        jar.load(line)
        for name, morsel in jar.items():
            cookies[name] = morsel.value


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def log_in(base_url: str, email: str, password: str) -> dict[str, str]:
    """Log in through the login form (its CSRF token included) and return the session's cookies."""
    cookies: dict[str, str] = {}
    status, headers, html = request(f"{base_url}/compte/connexion")
    _keep_cookies(cookies, headers)
    match = CSRF.search(html)
    if status != 200 or not match:
        raise RuntimeError(f"the login page answered {status} without a CSRF token")
    form = {"csrf_token": match.group(1) or match.group(2), "email": email, "password": password}
    status, headers, _html = request(f"{base_url}/compte/connexion", data=form, cookies=cookies)
    if status != 303:
        raise RuntimeError(f"logging in as {email} answered {status}, not 303")
    _keep_cookies(cookies, headers)
    return cookies


class SmtpServer:
    """aiosmtpd on 127.0.0.1: counts the messages it receives and when each arrived."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's name
                with server._lock:
                    server.arrivals.append(time.monotonic())
                return "250 OK"

        self.arrivals: list[float] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
