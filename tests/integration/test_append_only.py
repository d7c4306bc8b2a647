"""What is written stays written: the histories (requests' transitions, projects' changes) refuse UPDATE and DELETE
from whoever sends them, through a trigger — created with the tables here, and by migration 0007 on a database
built by the migrations."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db as _db
from app.leave.models import Transition
from app.projects.models import ProjectChange
from tests import factories
from tests.conftest import fresh_database_url


def _refused(statement: str, **params) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        _db.session.execute(text(statement), params)
        _db.session.flush()
    _db.session.rollback()


def test_a_transition_can_be_neither_changed_nor_deleted(db, world, make_mission):
    req = make_mission("approved")
    [first, *_] = db.session.scalars(select(Transition).where(Transition.request_id == req.id)).all()
    _refused("UPDATE transition SET comment = 'rewritten' WHERE id = :id", id=first.id)
    _refused("DELETE FROM transition WHERE id = :id", id=first.id)
    _refused("DELETE FROM transition")
    db.session.expire_all()
    assert db.session.get(Transition, first.id).comment != "rewritten"


def test_the_orm_cannot_change_a_transition_either(db, world, make_mission):
    req = make_mission("submitted")
    transition = db.session.scalars(select(Transition).where(Transition.request_id == req.id)).first()
    transition.comment = "rewritten"
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_a_project_change_can_be_neither_changed_nor_deleted(db, world):
    project = factories.make_project()
    db.session.add(ProjectChange(project_id=project.id, actor_id=world.bri.id, action="created"))
    db.session.commit()
    change_id = db.session.scalar(select(ProjectChange.id))
    _refused("UPDATE project_change SET new_value = 'x' WHERE id = :id", id=change_id)
    _refused("DELETE FROM project_change WHERE id = :id", id=change_id)


def test_the_migrations_create_the_triggers():
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": fresh_database_url("append_only")})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        if _db.engine.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        with _db.engine.connect() as connection:
            names = set(connection.execute(text(query)).scalars())
        expected = (
            {"transition_append_only", "project_change_append_only"}
            if _db.engine.dialect.name == "postgresql"
            else {
                "transition_no_update",
                "transition_no_delete",
                "project_change_no_update",
                "project_change_no_delete",
            }
        )
        assert expected <= names
        assert runner.invoke(args=["db", "downgrade", "0006"]).exit_code == 0
        with _db.engine.connect() as connection:
            assert not expected & set(connection.execute(text(query)).scalars())
        _db.engine.dispose()
