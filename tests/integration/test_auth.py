"""Logging in and out, throttled failures, the ``next`` check, deactivated users, password changes."""

import pytest

import config
from app.accounts.models import User
from tests.factories import DEFAULT_PASSWORD

LOGIN = "/compte/connexion"


def test_login_page_is_french_by_default(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert "Se connecter" in response.get_data(as_text=True)


def test_login_with_good_password_redirects_home(client, make_user):
    user = make_user()
    response = client.post(LOGIN, data={"email": user.email.upper(), "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert user.full_name in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email_kind", ["unknown", "known"])
def test_login_failure_message_is_the_same_for_unknown_email_and_wrong_password(client, make_user, email_kind):
    user = make_user()
    email = user.email if email_kind == "known" else "nobody@example.org"
    response = client.post(LOGIN, data={"email": email, "password": "wrong-password"})
    assert response.status_code == 422
    assert "Adresse courriel inconnue ou mot de passe erroné." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_repeated_failures_are_slowed_down_with_a_clear_message(client, make_user):
    user = make_user()
    for _ in range(5):
        assert client.post(LOGIN, data={"email": user.email, "password": "wrong"}).status_code == 422
    response = client.post(LOGIN, data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_throttling_counts_per_account(client, make_user):
    victim, other = make_user(), make_user()
    for _ in range(5):
        client.post(LOGIN, data={"email": victim.email, "password": "wrong"})
    response = client.post(LOGIN, data={"email": other.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303


def test_successful_logins_are_not_counted_as_failures(client, make_user):
    user = make_user()
    for _ in range(7):
        assert client.post(LOGIN, data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code in (302, 303)
        client.post("/compte/deconnexion")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/utilisateurs", "/admin/utilisateurs"),
        ("https://evil.example.org/", "/"),
        ("//evil.example.org/", "/"),
        ("/\\evil.example.org", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_parameter_only_leads_inside_the_application(client, make_user, target, expected):
    user = make_user()
    response = client.post(f"{LOGIN}?next={target}", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post(LOGIN, data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    assert "Adresse courriel inconnue ou mot de passe erroné." in response.get_data(as_text=True)


def test_deactivation_ends_open_sessions(client, login, make_user, db):
    user = make_user()
    login(user)
    assert client.get("/").status_code == 200
    user.active = False
    user.rotate_session_token()
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGIN)


def test_logout_is_a_post_and_ends_the_session(client, login, make_user):
    login(make_user())
    assert client.get("/compte/deconnexion").status_code == 405
    response = client.post("/compte/deconnexion")
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_user_changes_password(client, login, make_user, db):
    user = make_user()
    login(user)
    response = client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"},
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # still logged in with the rotated token
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a-brand-new-secret")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"current_password": "wrong", "password": "long-enough-pw", "confirm": "long-enough-pw"},
            "Le mot de passe actuel est erroné.",
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "password": "short", "confirm": "short"},
            "Le mot de passe doit compter au moins 12 caractères.",
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "password": "long-enough-pw", "confirm": "other-long-pw"},
            "Les deux mots de passe diffèrent.",
        ),
    ],
)
def test_password_change_errors_are_shown_and_change_nothing(client, login, make_user, db, data, message):
    user = make_user()
    login(user)
    response = client.post("/compte/mot-de-passe", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(DEFAULT_PASSWORD)


def test_password_change_ends_other_sessions(app, client, login, make_user):
    user = make_user()
    other_browser = app.test_client()
    login(user, test_client=other_browser)
    login(user)
    client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"},
    )
    assert other_browser.get("/").status_code == 302


def test_passwords_are_hashed_with_a_modern_algorithm(make_user):
    user = make_user()
    assert user.password_hash.startswith("pbkdf2:sha256:")  # the suite's cheap setting
    assert DEFAULT_PASSWORD not in user.password_hash
    # Outside the test suite: scrypt.
    assert config.DevelopmentConfig.PASSWORD_HASH_METHOD == "scrypt"
    assert config.ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"
