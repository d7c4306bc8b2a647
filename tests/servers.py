"""Real application servers for the tests about several workers and hosts: gunicorn processes on 127.0.0.1 sharing
one database and Redis, driven over HTTP with a cookie jar (what a browser keeps)."""

import copy
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST_"))}
    env.update(
        APP_CONFIG="development",
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance),
        SECRET_KEY="servers-test-secret-key-shared-by-every-host",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/8",  # a database of its own: other tests reset theirs
    )
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextmanager
def gunicorn_servers(env: dict[str, str], count: int = 2, workers: int = 1, own: list[dict[str, str]] | None = None):
    """``count`` gunicorn servers (each with ``workers`` sync workers) on their own ports; yields their base URLs.

    ``own`` gives each server settings of its own over ``env`` (its folders, as on separate hosts)."""
    ports = [free_port() for _ in range(count)]
    own = own or [{} for _ in ports]
    processes = [
        subprocess.Popen(
            [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "30", "app:create_app()"],
            cwd=ROOT,
            env={**env, **settings},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port, settings in zip(ports, own, strict=True)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_until_up(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            process.stderr.close()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - 127.0.0.1 only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):  # refused, reset or timed out while the worker boots
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Browser:
    """What a browser keeps between requests: cookies (one jar for every host, as behind one load balancer)."""

    def __init__(self, behind_tls_proxy: bool = False):
        # Behind the TLS-terminating proxy of a production deployment the browser speaks HTTPS and sends the
        # `Secure` cookies back; this test talks to gunicorn directly, on 127.0.0.1.
        self.jar = http.cookiejar.CookieJar(policy=_TlsProxyPolicy() if behind_tls_proxy else None)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        status, _headers, content = self.fetch(url, body)
        return status, content.decode()

    def fetch(self, url: str, body: bytes | None = None, headers: dict | None = None):
        """The status, headers and bytes of the answer (a download)."""
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 - 127.0.0.1 only
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    def upload(self, url: str, fields: dict, field: str, filename: str, content: bytes, content_type: str):
        """A multipart form with one file, as a browser sends it; returns the status and the page."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        status, _headers, page = self.fetch(url, b"".join(parts), headers)
        return status, page.decode()

    def replay(self) -> "Browser":
        """Another browser holding a copy of this one's cookies (an old cookie, replayed)."""
        other = Browser()
        for cookie in self.jar:
            other.jar.set_cookie(copy.copy(cookie))
        return other

    def csrf_token(self, url: str) -> str:
        status, html = self.request(url)
        assert status == 200, status
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        assert match, "no CSRF token on the page"
        return match.group(1)


class _TlsProxyPolicy(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The object store of the tests: moto's S3 server, on 127.0.0.1, with credentials that only it accepts.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "moto-test-key", "AWS_SECRET_ACCESS_KEY": "moto-test-secret"}
S3_REGION = "us-east-1"


@contextmanager
def s3_server():
    """moto's S3 server in a thread of the test process, on a free port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint_url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
