"""Browser tests: the application served by a real WSGI server in a thread, driven by Playwright through Debian's
chromium (``/usr/bin/chromium``; Playwright's own browser download is not used). CSRF protection is on."""

import os
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

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
    # Its pool's connections, closed here rather than by the garbage collector at exit (psycopg warns then).
    with served.app_context():
        db.engine.dispose()


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


# Accessibility -------------------------------------------------------------------------------------------------------

AXE_FAILING_IMPACTS = ("serious", "critical")


def _axe_violations(axe, page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is, one readable line per element."""
    language = page.locator("html").get_attribute("lang")
    lines = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] not in AXE_FAILING_IMPACTS:
            continue
        lines.append(f"[{language}] {page.url} — {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return lines


def _switch_language(page, language: str) -> None:
    from playwright.sync_api import expect

    page.wait_for_load_state("load")
    page.get_by_test_id(f"lang-{language}").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The new page's stylesheets too: axe measured the colours of a page whose app.css had not arrived yet (CI).
    page.wait_for_load_state("load")


@pytest.fixture
def check_accessibility():
    """``check_accessibility(page)``: axe-core (axe-playwright-python, which ships axe.min.js) on the page in its
    language, then in the other one through the page's own language switch, then back; fails listing every
    violation of impact serious or critical. Call it once a page's own assertions are done (the switch reloads it)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        page.wait_for_load_state("load")
        first = page.locator("html").get_attribute("lang")
        other = "en" if first == "fr" else "fr"
        problems = _axe_violations(axe, page)
        _switch_language(page, other)
        problems += _axe_violations(axe, page)
        _switch_language(page, first)
        assert not problems, "Accessibility violations (axe-core):\n" + "\n".join(problems)

    return check
