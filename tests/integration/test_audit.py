"""Security events are JSON lines on stderr with time, event, outcome, user, address and request id."""

import json

import pytest


def events(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


@pytest.fixture
def failing_health_check(app, monkeypatch):
    """The health check raises, as a bug would; the error is handled as in production (not propagated)."""

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.healthz", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    return app


def test_a_server_error_is_logged_with_its_request_id_and_the_page_shows_the_id(failing_health_check, client, capsys):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-request-12345678"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "lb-request-12345678"
    assert "lb-request-12345678" in response.get_data(as_text=True)
    [event] = [e for e in events(capsys) if e["event"] == "server_error"]
    assert event["outcome"] == "error" and event["request_id"] == "lb-request-12345678"
    assert event["path"] == "/healthz" and event["address"] == "127.0.0.1" and "time" in event
    assert "RuntimeError: boom" in event["exc_info"]


def test_a_refusal_is_logged_with_the_user(client, login, make_user, capsys):
    user = make_user(email="refused@example.org")
    assert login(user).get("/conges/bri/demandes").status_code == 403
    [event] = [e for e in events(capsys) if e["event"] == "permission"]
    assert event["outcome"] == "denied" and event["status"] == 403
    assert event["user"] == "refused@example.org" and len(event["request_id"]) == 32


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert len(response.headers["X-Request-ID"]) == 32


def test_a_download_is_logged(app, db, capsys):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from app.core import uploads

    with app.test_request_context("/download"):
        stored = uploads.store(FileStorage(BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="lettre.pdf"), folder="audit")
        db.session.commit()
        uploads.send(stored.stored_name, "lettre.pdf", stored.content_type, folder="audit").close()
    [event] = [e for e in events(capsys) if e["event"] == "download"]
    assert event["outcome"] == "success" and event["download_name"] == "lettre.pdf"
    assert event["file"] == f"audit/{stored.stored_name}"


def test_a_report_pdf_download_is_logged(client, login, world, make_mission, capsys):
    req = make_mission("report_submitted")
    capsys.readouterr()
    response = login(world.bri).get(f"/rapports/{req.id}/pdf")
    assert response.status_code == 200
    [event] = [e for e in events(capsys) if e["event"] == "download"]
    assert event["document"] == "report_pdf" and event["request_reference"] == req.reference
    assert event["user"] == world.bri.email
