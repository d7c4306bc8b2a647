"""Security events are JSON lines on stderr with time, event, outcome, user, address and request id."""

import json

import pytest
from flask import abort


def events(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


@pytest.fixture
def failing_routes(app):
    if "boom" not in app.view_functions:

        @app.route("/_test/boom")
        def boom():
            raise RuntimeError("boom")

        @app.route("/_test/forbidden")
        def forbidden():
            abort(403)

    return app


def test_a_server_error_is_logged_with_its_request_id_and_the_page_shows_the_id(failing_routes, client, capsys):
    failing_routes.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/_test/boom", headers={"X-Request-ID": "lb-request-12345678"})
    finally:
        failing_routes.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "lb-request-12345678"
    assert "lb-request-12345678" in response.get_data(as_text=True)
    [event] = [e for e in events(capsys) if e["event"] == "server_error"]
    assert event["outcome"] == "error" and event["request_id"] == "lb-request-12345678"
    assert event["path"] == "/_test/boom" and event["address"] == "127.0.0.1" and "time" in event
    assert "RuntimeError: boom" in event["exc_info"]


def test_a_refusal_is_logged_with_the_user(failing_routes, client, login, make_user, capsys):
    user = make_user(email="refused@example.org")
    login(user).get("/_test/forbidden")
    [event] = [e for e in events(capsys) if e["event"] == "permission"]
    assert event["outcome"] == "denied" and event["status"] == 403
    assert event["user"] == "refused@example.org" and len(event["request_id"]) == 32


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert len(response.headers["X-Request-ID"]) == 32
