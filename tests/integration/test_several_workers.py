"""Several application servers (gunicorn) on one database and one Redis: what one of them counts, the others see."""

import uuid

import pytest

from tests.conftest import fresh_database_url
from tests.servers import Browser, gunicorn_servers, migrate, server_env


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    env = server_env(fresh_database_url("servers"), tmp_path_factory.mktemp("instance"))
    migrate(env)
    with gunicorn_servers(env, count=2) as urls:
        yield urls


def test_the_sixth_failed_login_within_a_minute_is_refused_whichever_server_answers(servers):
    browser = Browser()
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    answers = []
    for attempt in range(6):
        url = servers[attempt % 2]  # one server, then the other, as a load balancer would
        token = browser.csrf_token(f"{url}/compte/connexion")
        status, _page = browser.request(
            f"{url}/compte/connexion", {"csrf_token": token, "email": email, "password": "wrong-password-123"}
        )
        answers.append(status)
    assert answers == [422, 422, 422, 422, 422, 429]
