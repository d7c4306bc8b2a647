"""The password policy: at least 12 characters, not common nor guessable from the account (zxcvbn, offline), a
message saying why, no composition rule; on every way a password is chosen. Existing hashes keep working."""

import pytest
from sqlalchemy import select

import config
from app.accounts.models import User
from app.accounts.services import password_link_token, password_problem
from tests.factories import DEFAULT_PASSWORD, text

LOGIN = "/compte/connexion"
# 19 characters that zxcvbn finds strong on their own, but not for Gabrielle Tremblay.
NAME_BASED = "Gabrielle.Tremblay1"

REFUSALS = [
    ("short-pw-11", "Le mot de passe doit compter au moins 12 caractères."),
    ("password1234", "C’est un mot de passe très courant."),
    ("azertyuiop12", "Ce mot de passe ressemble à un mot de passe courant."),
    ("congessolidaires", "Ce mot de passe contient votre nom, votre adresse courriel ou le nom de l’application."),
    (NAME_BASED, "Ce mot de passe contient votre nom, votre adresse courriel ou le nom de l’application."),
]


@pytest.fixture
def gabrielle(make_user):
    return make_user(full_name="Gabrielle Tremblay", email="gabrielle.tremblay@example.org")


def test_every_configuration_asks_for_twelve_characters():
    for name in ("Config", "DevelopmentConfig", "TestingConfig", "ProductionConfig"):
        assert getattr(config, name).PASSWORD_MIN_LENGTH == 12, name
    assert config.TestingConfig.PASSWORD_HASH_METHOD.startswith("pbkdf2")  # the suite's cheap hash stays


def test_the_policy_explains_each_refusal(app):
    with app.test_request_context():
        assert password_problem("password1234").startswith("C’est un mot de passe très courant. Choisissez-en")
        assert password_problem("aaaaaaaaaaaa").startswith("Les répétitions comme « aaa »")
        assert password_problem("abcdefghijkl").startswith("Les suites comme « abc »")
        assert password_problem("zxcvbnm,./qaz").startswith("Les rangées de touches")
        # Strong alone, weak for this person: their name and e-mail are the context.
        assert password_problem(NAME_BASED) is None
        assert password_problem(NAME_BASED, "Gabrielle Tremblay", "gabrielle.tremblay@example.org").startswith(
            "Ce mot de passe contient votre nom"
        )
        # The e-mail's local part counts too.
        assert password_problem("Gtremblay2027!") is None
        assert password_problem("Gtremblay2027!", None, "gtremblay@example.org") is not None
        # No composition rule: lower-case words are fine; long passwords are estimated on their start.
        assert password_problem("a-brand-new-secret") is None
        assert password_problem("mouette violon tramway") is None
        assert password_problem("x" * 150 + "Fj4!kq") is not None
        assert password_problem("Fj4!kq-rutabaga-" * 12) is None


def test_the_default_test_password_passes_the_policy(app):
    """The factories set hashes directly; the suite's one password would pass anyway."""
    with app.test_request_context():
        assert password_problem(DEFAULT_PASSWORD, "Personne 1", "personne1@example.org") is None


@pytest.mark.parametrize(("password", "message"), REFUSALS)
def test_changing_ones_password_refuses_weak_ones_and_says_why(client, login, gabrielle, db, password, message):
    login(gabrielle)
    response = client.post(
        "/compte/mot-de-passe", data={"current_password": DEFAULT_PASSWORD, "password": password, "confirm": password}
    )
    assert response.status_code == 422
    assert message in text(response).replace("'", "’")
    db.session.expire_all()
    assert db.session.get(User, gabrielle.id).check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(("password", "message"), REFUSALS[1:])
def test_a_password_link_refuses_weak_ones_and_stays_usable(app, gabrielle, db, password, message):
    path = f"/compte/definir-mot-de-passe/{password_link_token(gabrielle)}"
    visitor = app.test_client()
    response = visitor.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 422
    assert message in text(response).replace("'", "’")
    db.session.expire_all()
    assert db.session.get(User, gabrielle.id).check_password(DEFAULT_PASSWORD)
    assert (
        visitor.post(path, data={"password": "mouette violon tramway", "confirm": "mouette violon tramway"}).status_code
        == 303
    )
    assert visitor.post(LOGIN, data={"email": gabrielle.email, "password": "mouette violon tramway"}).status_code == 303


@pytest.mark.parametrize(("password", "message"), REFUSALS)
def test_an_administrator_cannot_set_a_weak_password(client, login, admin_user, gabrielle, db, password, message):
    login(admin_user)
    response = client.post(
        f"/admin/utilisateurs/{gabrielle.id}/mot-de-passe", data={"password": password, "confirm": password}
    )
    assert response.status_code == 422
    assert message in text(response).replace("'", "’")
    db.session.expire_all()
    assert db.session.get(User, gabrielle.id).check_password(DEFAULT_PASSWORD)


def test_create_admin_refuses_a_weak_password_and_says_why(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "chef@example.org", "--password", "password1234"])
    assert result.exit_code != 0
    assert "C’est un mot de passe très courant." in result.output
    result = runner.invoke(
        args=[
            "create-admin",
            "gabrielle.tremblay@example.org",
            "--name",
            "Gabrielle Tremblay",
            "--password",
            NAME_BASED,
        ]
    )
    assert result.exit_code != 0
    assert "contient votre nom" in result.output
    result = runner.invoke(args=["create-admin", "chef@example.org", "--password", "short-pw"])
    assert "au moins 12 caractères" in result.output
    assert db.session.scalar(select(User)) is None
    result = runner.invoke(args=["create-admin", "chef@example.org", "--password", "mouette violon tramway"])
    assert result.exit_code == 0, result.output


def test_create_admin_ends_the_sessions_of_an_existing_user(app, login, gabrielle, db):
    their_browser = login(gabrielle, test_client=app.test_client())
    result = app.test_cli_runner().invoke(
        args=["create-admin", gabrielle.email, "--password", "mouette violon tramway"]
    )
    assert result.exit_code == 0, result.output
    assert their_browser.get("/conges/").status_code == 302


def test_an_old_short_password_still_logs_in(client, make_user):
    """Hashes made before the policy keep working: the policy applies when a password is chosen, not at login."""
    user = make_user(password="short1")
    assert client.post(LOGIN, data={"email": user.email, "password": "short1"}).status_code == 303
    assert client.get("/conges/").status_code == 200
