"""The migrations build the whole schema from an empty database, and match the models (``flask db check``)."""

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, Table, create_engine, inspect

from app import create_app
from app.extensions import db
from tests.conftest import fresh_database_url


@pytest.fixture
def empty_app():
    url = fresh_database_url("migrations")
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_to_head_then_check_finds_no_difference(empty_app):
    runner = empty_app.test_cli_runner()
    with empty_app.app_context():
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        assert "alembic_version" in tables
        check = runner.invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output


def test_check_fails_when_a_model_has_no_migration(empty_app):
    """The check above is not vacuous: a table without migration is reported."""

    runner = empty_app.test_cli_runner()
    with empty_app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        probe = Table("probe_without_migration", db.metadata, Column("id", Integer, primary_key=True))
        try:
            check = runner.invoke(args=["db", "check"])
        finally:
            db.metadata.remove(probe)
        assert check.exit_code != 0


def test_downgrade_to_base_and_upgrade_again(empty_app):
    runner = empty_app.test_cli_runner()
    with empty_app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        down = runner.invoke(args=["db", "downgrade", "base"])
        assert down.exit_code == 0, down.output
        engine = create_engine(empty_app.config["SQLALCHEMY_DATABASE_URI"])
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0


def test_migrations_have_a_single_head():
    directory = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations"))
    assert len(directory.get_heads()) == 1
