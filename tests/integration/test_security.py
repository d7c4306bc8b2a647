"""Headers, CSRF, request size, error pages in both languages."""

import re

import pytest
from flask_babel import force_locale

from app import create_app
from app.core.error_pages import ERROR_TEXTS, render_error
from app.extensions import db as _db
from tests.conftest import IsolatedClient
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def csrf_app(database_url, upload_dir):
    app = create_app(
        "testing",
        overrides={"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(upload_dir), "WTF_CSRF_ENABLED": True},
    )

    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():  # its own engine: its connections are closed, not left to the garbage collector
        _db.session.remove()
        _db.engine.dispose()


@pytest.mark.parametrize("path", ["/compte/connexion", "/this-does-not-exist"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script(client, login, admin_user):
    login(admin_user)
    for path in ("/", "/admin/utilisateurs", "/compte/mot-de-passe"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert " onclick=" not in html and " style=" not in html


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused_with_a_clear_400_page(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    response = client.post("/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "jeton de sécurité absent ou invalide" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_post_with_a_valid_csrf_token_is_accepted(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    page = client.get("/compte/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_language_switch_without_token_is_refused(csrf_app):
    response = csrf_app.test_client().post("/langue", data={"language": "en"})
    assert response.status_code == 400


def test_request_larger_than_the_maximum_is_refused_with_413(app, client):
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/compte/connexion", data=too_big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)


def test_404_page_in_french_and_english(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    client.post("/langue", data={"language": "en"})
    response = client.get("/nowhere")
    assert "Page not found" in response.get_data(as_text=True)
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_405_page(client):
    response = client.get("/compte/deconnexion")
    assert response.status_code == 405
    assert "Méthode non permise" in response.get_data(as_text=True)


def test_403_page(client, login, make_user):
    login(make_user())
    response = client.get("/admin/utilisateurs")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_unknown_language_is_400(client):
    assert client.post("/langue", data={"language": "xx"}).status_code == 400


@pytest.mark.parametrize("code", [400, 403, 404, 405, 409, 413, 429, 500])
def test_every_error_page_exists_in_both_languages(app, code):
    rendered = {}
    with app.test_request_context("/"):
        for language in ("fr", "en"):
            with force_locale(f"{language}_CA"):
                body, status = render_error(code)
                title, message = (str(text) for text in ERROR_TEXTS[code])
                assert status == code
                assert title in body and message in body
                assert f'<html lang="{language}">' in body
                rendered[language] = (title, message)
    assert rendered["fr"][0] != rendered["en"][0]
    assert rendered["fr"][1] != rendered["en"][1]


def test_a_server_error_shows_the_500_page_and_no_traceback(csrf_app):
    csrf_app.config["PROPAGATE_EXCEPTIONS"] = False

    @csrf_app.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    response = csrf_app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Erreur du serveur" in text
    assert "secret internals" not in text
