"""Congés solidaires: the application factory."""

import os

from flask import Flask

from app import accounts, admin, calendars, core, leave, models, programme, projects, reference, reports  # noqa: F401 - models: the schema
from app.core.audit import init_audit
from app.core.cache import init_reference_cache
from app.core.commands import register_commands as register_core_commands
from app.core.database import configure_engine_events, init_read_only_requests
from app.core.error_pages import register_errorhandlers as register_error_pages
from app.core.i18n import init_babel
from app.core.input_guard import init_input_guard
from app.core.registry import init_registry
from app.core.security import register_security_headers, trust_proxies
from app.core.uploads import init_storage
from app.extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from config import config as config_classes

# The blueprints in the order they register: each domain after those it builds on.
BLUEPRINTS = (core, accounts, admin, reference, leave, reports, projects, calendars, programme)


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application; ``overrides`` (tests) are applied over the configuration class."""
    config_name = config_name or os.environ.get("APP_CONFIG", "development")
    config_class = config_classes[config_name]
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="static",
        instance_path=os.environ.get("INSTANCE_PATH") or None,
        instance_relative_config=False,
    )
    app.config.from_object(config_class)
    app.config["CONFIG_NAME"] = config_name
    app.config.update(overrides or {})
    config_class.init_app(app)

    register_extensions(app)
    register_request_hooks(app)  # first: the URL converters the blueprints' routes use
    registry = init_registry(app)
    register_blueprints(app)
    registry.check(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    configure_engine_events(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    init_reference_cache(app)
    init_babel(app)
    init_storage(app)


def register_blueprints(app: Flask) -> None:
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    register_error_pages(app)


def register_commands(app: Flask) -> None:
    register_core_commands(app)


def register_request_hooks(app: Flask) -> None:
    init_read_only_requests(app)  # first: before anything reads the database
    init_audit(app)
    init_input_guard(app)
    register_security_headers(app)
    trust_proxies(app)
