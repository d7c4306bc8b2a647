"""Browser tests: the application served by a real WSGI server in a thread, driven by Playwright through Debian's
chromium (``/usr/bin/chromium``; Playwright's own browser download is not used). CSRF protection is on."""

import os
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FORM_ERROR_CONSOLE_LINE = "Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(app, database_url, upload_dir):
    """The application, with CSRF on, on a free port of 127.0.0.1, sharing the suite's database."""
    served = create_app(
        "testing",
        overrides={
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(upload_dir),
            "WTF_CSRF_ENABLED": True,
        },
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.config["SERVER_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package).")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    # A Content-Security-Policy violation or a script error shows in the console. Chromium also reports there the
    # status of a page that is no error of ours: a form shown again with its errors answers 422.
    errors = [e for e in errors if e != FORM_ERROR_CONSOLE_LINE]
    assert not errors, errors
