"""The README's deployment section, followed word for word in a copy of the checkout, boots."""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import fresh_database_url
from tests.servers import ROOT, Browser, free_port

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the deployment is on PostgreSQL: it runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL)",
)
ADMIN_PASSWORD = "Quatre-saisons-sur-le-Saint-Laurent"  # noqa: S105 - the test's own administrator


def readme_deployment_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deployment", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)


def checkout_copy(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_the_readme_deployment_boots(tmp_path, s3_endpoint):
    block = readme_deployment_block()
    database = make_url(fresh_database_url("deployment")).set(drivername="postgresql")
    port = free_port()
    secret_key = tmp_path / "secret_key"
    secret_key.write_text(secrets.token_hex(32))
    # Only the addresses of this machine replace the README's: the database, Redis, the object store (moto's S3
    # server, whose credentials the suite puts in the environment), the mail server, the port, the secret key's file.
    replacements = {
        "postgresql://conges_app@db.internal/conges": database.render_as_string(hide_password=False),
        "redis://redis.internal:6379": "redis://127.0.0.1:6379/9",
        "S3_BUCKET=conges-documents": "S3_BUCKET=conges-test",
        "S3_ENDPOINT_URL=https://s3.montreal.example": f"S3_ENDPOINT_URL={s3_endpoint}",
        "MAIL_SERVER=smtp.montreal.example": "MAIL_SERVER=127.0.0.1",
        "/etc/conges/secret_key": str(secret_key),
        "0.0.0.0:8000": f"127.0.0.1:{port}",
    }
    script = block
    for readme_text, here in replacements.items():
        assert readme_text in script, readme_text
        script = script.replace(readme_text, here)
    *setup, serve = [line for line in script.splitlines() if line.strip()]
    assert serve.startswith(".venv/bin/gunicorn")
    workdir = checkout_copy(tmp_path / "checkout")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST_", "VIRTUAL_ENV", "FLASK_"))}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    prepared = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(setup) + "\nenv > .deployed-env\n"],
        cwd=workdir,
        env=env,
        input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert prepared.returncode == 0, prepared.stdout[-3000:] + prepared.stderr[-3000:]
    deployed_env = dict(
        line.split("=", 1) for line in (workdir / ".deployed-env").read_text().splitlines() if "=" in line
    )
    server = subprocess.Popen(
        ["bash", "-c", f"exec {serve}"],
        cwd=workdir,
        env=deployed_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - 127.0.0.1
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
                time.sleep(0.5)
        browser = Browser(behind_tls_proxy=True)
        token = browser.csrf_token(f"{base}/compte/connexion")
        status, _page = browser.request(
            f"{base}/compte/connexion",
            {"csrf_token": token, "email": "admin@montreal.example", "password": ADMIN_PASSWORD},
        )
        assert status == 303  # logged in: the production configuration, its database and its Redis work
        assert deployed_env["STORAGE_BACKEND"] == "s3"  # production took the object store (it refuses a local folder)
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()
