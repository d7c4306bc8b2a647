"""Configuration: development keeps a generated secret, production refuses to start without its settings."""

import importlib.util

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
    monkeypatch.setenv("UPLOAD_FOLDER_SHARED", "1")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 40
    assert not app.debug


def test_postgres_urls_use_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("UPLOAD_FOLDER_SHARED", "1")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://user@db.example/conges")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
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


def _production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.delenv("RATELIMIT_ALLOW_MEMORY", raising=False)
    monkeypatch.setenv("UPLOAD_FOLDER_SHARED", "1")


def test_production_refuses_a_login_throttling_kept_in_each_process(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI is memory://"):
        create_app("production")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match="redis://"):
        create_app("production")


def test_production_takes_memory_throttling_only_when_told(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("RATELIMIT_ALLOW_MEMORY", "1")
    assert create_app("production").config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_boots_on_redis_for_the_login_throttling(monkeypatch, tmp_path):
    """The redis client is a dependency: the storage README.md documents starts (it failed at boot before)."""
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    app = create_app("production")
    from app.extensions import limiter

    with app.app_context():
        assert type(limiter.storage).__name__ == "RedisStorage"
        assert limiter.storage.check()


def _fresh_config_module():
    """A new copy of config.py, read with the environment of the moment (the real module stays as it is)."""
    spec = importlib.util.spec_from_file_location("config_copy", config_module.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sessions_end_after_an_hour_idle_and_twelve_hours_by_default(monkeypatch):
    monkeypatch.delenv("SESSION_IDLE_MINUTES", raising=False)
    monkeypatch.delenv("SESSION_LIFETIME_HOURS", raising=False)
    fresh = _fresh_config_module()
    assert (fresh.ProductionConfig.SESSION_IDLE_MINUTES, fresh.ProductionConfig.SESSION_LIFETIME_HOURS) == (60, 12)


def test_the_session_times_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "8")
    fresh = _fresh_config_module()
    assert (fresh.ProductionConfig.SESSION_IDLE_MINUTES, fresh.ProductionConfig.SESSION_LIFETIME_HOURS) == (15, 8)


def _production_on_redis(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    for name in ("STORAGE_BACKEND", "UPLOAD_FOLDER_SHARED", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX"):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_a_local_folder_that_only_one_host_sees(monkeypatch, tmp_path):
    _production_on_redis(monkeypatch, tmp_path)
    with pytest.raises(RuntimeError, match="STORAGE_BACKEND is local") as refused:
        create_app("production")
    assert "STORAGE_BACKEND=s3" in str(refused.value) and "UPLOAD_FOLDER_SHARED=1" in str(refused.value)
    monkeypatch.setenv("UPLOAD_FOLDER_SHARED", "0")
    with pytest.raises(RuntimeError, match="STORAGE_BACKEND is local"):
        create_app("production")


def test_production_takes_a_local_folder_said_to_be_shared(monkeypatch, tmp_path):
    _production_on_redis(monkeypatch, tmp_path)
    monkeypatch.setenv("UPLOAD_FOLDER_SHARED", "1")
    assert create_app("production").config["STORAGE_BACKEND"] == "local"


def test_production_takes_an_s3_bucket_from_the_environment(monkeypatch, tmp_path):
    _production_on_redis(monkeypatch, tmp_path)
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.setenv("S3_BUCKET", "conges-documents")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://minio.montreal.example")
    app = create_app("production")
    assert (app.config["STORAGE_BACKEND"], app.config["S3_BUCKET"]) == ("s3", "conges-documents")
    assert app.config["S3_ENDPOINT_URL"] == "https://minio.montreal.example"


def test_production_refuses_s3_without_a_bucket(monkeypatch, tmp_path):
    _production_on_redis(monkeypatch, tmp_path)
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    with pytest.raises(RuntimeError, match="needs S3_BUCKET"):
        create_app("production")


@pytest.mark.parametrize("backend", ["ftp", "S4", "nfs"])
def test_an_unknown_storage_backend_is_refused_at_start_up(backend):
    with pytest.raises(RuntimeError, match="is not a storage backend: use local"):
        create_app("testing", overrides={"STORAGE_BACKEND": backend})


def _client_seen_by(app, **headers) -> str:
    @app.get("/_seen")
    def _seen():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    return app.test_client().get("/_seen", headers=headers).get_data(as_text=True)


def test_behind_a_trusted_load_balancer_the_client_is_the_forwarded_one():
    app = create_app("testing", overrides={"TRUSTED_PROXIES": 1})
    seen = _client_seen_by(app, **{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == "203.0.113.7 https"


def test_forwarding_headers_are_ignored_unless_a_proxy_is_trusted():
    app = create_app("testing")
    seen = _client_seen_by(app, **{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == "127.0.0.1 http"


def test_an_object_store_address_that_is_not_one_is_refused_at_start_up():
    with pytest.raises(RuntimeError, match="S3_ENDPOINT_URL='minio:9000' is not an address"):
        create_app("testing", overrides={"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_ENDPOINT_URL": "minio:9000"})
