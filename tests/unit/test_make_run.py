"""`make run PORT=…`: the links of the e-mails name the port actually served, unless SERVER_BASE_URL says otherwise."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _base_urls(port: str, **env: str) -> list[str]:
    """The SERVER_BASE_URL that `make run` gives the demo loader and the server, read by running their lines with a
    stand-in for flask."""
    dry = subprocess.run(
        ["make", "-n", "run", f"PORT={port}", "FLASK=printenv SERVER_BASE_URL #"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in dry.stdout.splitlines() if line.startswith("SERVER_BASE_URL=")]
    assert any("# run --host" in line for line in lines) and any("# demo-data" in line for line in lines), lines
    clean = {k: v for k, v in os.environ.items() if k != "SERVER_BASE_URL"}
    return [
        subprocess.run(["bash", "-c", line], env={**clean, **env}, capture_output=True, text=True).stdout.strip()
        for line in lines
    ]


@pytest.mark.parametrize("port", ["5000", "8123"])
def test_make_run_builds_links_with_the_port_it_serves(port):
    assert _base_urls(port) == [f"http://127.0.0.1:{port}"] * 2


def test_an_explicit_server_base_url_wins():
    assert _base_urls("8123", SERVER_BASE_URL="https://conges.example") == ["https://conges.example"] * 2
