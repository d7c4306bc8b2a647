"""Publishing a project (its public page ``/p/<code>`` and its activity in the IATI file) and withdrawing it.

Each move is one conditional UPDATE (``... WHERE published_at IS NULL`` to publish, ``IS NOT NULL`` to withdraw):
of two BRI officers who click at the same moment, one moves the project and writes the history, the other is told
that it was already done (409); nothing is recorded twice.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from app.accounts.models import User
from app.core import errors
from app.core.database import utcnow
from app.extensions import db
from app.projects.models import ChangeAction, ChangeField, Project
from app.projects.services.changes import record_change
from app.projects.services.rules import require_manager


class PublicationConflict(errors.Conflict):
    """The project is already in the state asked for (published, or not published): 409."""


def publish_project(project: Project, actor: User, now: datetime | None = None) -> Project:
    require_manager(actor)
    moment = now or utcnow()
    if not _move(project, Project.published_at.is_(None), moment):
        raise PublicationConflict(_("This project is already published."))
    record_change(project, actor, ChangeAction.PUBLISHED, ChangeField.PUBLICATION, new=moment.isoformat())
    db.session.flush()
    return project


def unpublish_project(project: Project, actor: User) -> Project:
    require_manager(actor)
    published = project.published_at
    if not _move(project, Project.published_at.is_not(None), None):
        raise PublicationConflict(_("This project is not published."))
    old = published.isoformat() if published else ""
    record_change(project, actor, ChangeAction.UNPUBLISHED, ChangeField.PUBLICATION, old=old)
    db.session.flush()
    return project


def _move(project: Project, condition, value: datetime | None) -> bool:
    """Set ``published_at`` to ``value`` when ``condition`` still holds in the database; whether it did."""
    result = db.session.execute(
        update(Project)
        .where(Project.id == project.id, condition)
        .values(published_at=value)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(project, ["published_at"])
        return False
    db.session.refresh(project, ["published_at", "updated_at"])
    return True
