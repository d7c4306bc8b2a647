"""Two application hosts (two gunicorn servers, each with folders of its own) behind one load balancer, sharing the
database, Redis and the object store (moto's S3 server): what one host does, the other sees."""

import re
import uuid
from pathlib import Path

import pytest

from app import create_app
from tests import factories
from tests.conftest import fresh_database_url
from tests.servers import S3_CREDENTIALS, S3_REGION, Browser, gunicorn_servers, migrate, s3_client, server_env

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"% deux serveurs\n" * 64


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, s3_endpoint):
    """Two servers on one fresh database, Redis database 7 and one bucket prefix; the people and a draft request
    are created in that database beforehand. Yields the two URLs and what the tests need to know."""
    database_url = fresh_database_url("hosts")
    prefix = f"hosts-{uuid.uuid4().hex[:12]}"
    env = server_env(
        database_url,
        tmp_path_factory.mktemp("instance"),
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/7",
        STORAGE_BACKEND="s3",
        S3_BUCKET="conges-test",
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION=S3_REGION,
        S3_PREFIX=prefix,
        **S3_CREDENTIALS,
    )
    migrate(env)
    seeded = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": database_url})
    with seeded.app_context():
        world = factories.make_world()
        draft = factories.make_request(world, "draft")
        known = {
            "applicant": world.applicant.email,
            # The throttling counts per account in Redis for a minute: an account of this run's own.
            "throttled": factories.make_user(email=f"hote-{uuid.uuid4().hex[:8]}@example.org").email,
            "request_id": draft.id,
            "prefix": prefix,
        }
        factories.db.session.remove()
        factories.db.engine.dispose()
    own = [{"UPLOAD_FOLDER": str(tmp_path_factory.mktemp(f"uploads-{n}"))} for n in (1, 2)]
    with gunicorn_servers(env, count=2, own=own) as urls:
        yield urls, known, own


def log_in(browser: Browser, url: str, email: str, password: str = factories.DEFAULT_PASSWORD) -> int:
    token = browser.csrf_token(f"{url}/compte/connexion")
    status, _page = browser.request(
        f"{url}/compte/connexion", {"csrf_token": token, "email": email, "password": password}
    )
    return status


def test_a_file_uploaded_through_one_host_downloads_through_the_other(hosts, s3_endpoint):
    (first, second), known, own = hosts
    browser = Browser()
    assert log_in(browser, first, known["applicant"]) == 303
    page = f"/conges/{known['request_id']}"
    token = browser.csrf_token(f"{first}{page}")
    status, _page = browser.upload(
        f"{first}{page}/pieces-jointes", {"csrf_token": token}, "file", "invitation.pdf", PDF, "application/pdf"
    )
    assert status == 303

    status, html = browser.request(f"{second}{page}")
    assert status == 200
    [link] = set(re.findall(rf'href="({re.escape(page)}/pieces-jointes/\d+)"', html))
    status, headers, content = browser.fetch(f"{second}{link}")
    assert status == 200
    assert content == PDF
    assert headers["Content-Disposition"].startswith("attachment;")
    # The file is in the bucket, in neither host's folder: the second host could only have read it there.
    listing = s3_client(s3_endpoint).list_objects_v2(Bucket="conges-test", Prefix=known["prefix"])
    assert len(listing.get("Contents", [])) == 1
    assert not [path for settings in own for path in Path(settings["UPLOAD_FOLDER"]).rglob("*") if path.is_file()]


def test_a_logout_on_one_host_ends_the_session_on_the_other(hosts):
    (first, second), known, _own = hosts
    browser = Browser()
    assert log_in(browser, first, known["applicant"]) == 303
    old_cookie = browser.replay()
    assert old_cookie.request(f"{second}/conges/")[0] == 200  # the copied cookie opens the session on either host

    token = browser.csrf_token(f"{second}/conges/")
    assert browser.request(f"{second}/compte/deconnexion", {"csrf_token": token})[0] == 303

    for url in (first, second):
        status, _page = old_cookie.request(f"{url}/conges/")
        assert status == 302, url  # to the login page: the replayed cookie opens nothing, on either host


def test_login_failures_on_one_host_count_on_the_other(hosts):
    (first, second), known, _own = hosts
    browser = Browser()
    answers = [
        log_in(browser, (first, second)[attempt % 2], known["throttled"], "not-the-password") for attempt in range(5)
    ]
    assert answers == [422] * 5
    # The sixth attempt within the minute is refused, on whichever host, even with the right password.
    assert log_in(browser, second, known["throttled"]) == 429
    assert log_in(Browser(), first, known["applicant"]) == 303  # another account is not held back
