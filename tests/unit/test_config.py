"""Configuration: development keeps a generated secret, production refuses to start without its settings."""

import pytest

import config as config_module
from app import create_app


def test_production_refuses_to_start_without_secret_key_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app("production")


def test_production_refuses_to_start_without_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 40
    assert not app.debug


def test_postgres_urls_use_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://user@db.example/conges")
    app = create_app("production")
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config_module.DevelopmentConfig, "SECRET_KEY", None)
    monkeypatch.setattr(config_module.DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", None)
    first = create_app("development")
    second = create_app("development")
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'conges.db'}"


def test_testing_configuration_is_french_by_default():
    assert config_module.TestingConfig.BABEL_DEFAULT_LOCALE == "fr"
    assert config_module.Config.BABEL_DEFAULT_TIMEZONE == "America/Toronto"
    assert config_module.Config.MAX_CONTENT_LENGTH > 5 * 10 * 1024 * 1024
