"""The unit of work: every view and command commits through here, once, and only then do e-mails and files go.

``with unit_of_work():`` runs a block of service calls; it commits at the end (that commit writes the
notifications and outbox rows the block queued; then the files it deleted are removed) or, on any exception, rolls
everything back (the notifications it queued are forgotten and the files it wrote are removed) and lets the
exception go on. No e-mail leaves here: the worker sends the outbox.

A row that another transaction changed first (a versioned row's UPDATE matching nothing: SQLAlchemy's
``StaleDataError``, at a flush inside the block or at the commit) is a :class:`~app.core.errors.Conflict`, the 409
page, with a generic message: a domain that can say more catches it at its own flush and raises its own conflict.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.core import uploads
from app.core.errors import Conflict
from app.core.notifications import discard_queued
from app.core.outbox import send_queued, take_queued
from app.extensions import db


def commit() -> None:
    """Commit the session (with the notifications queued), then let the deleted files go.

    No e-mail leaves here: the worker sends them. Only a development server (``MAIL_SEND_AFTER_COMMIT``) sends
    the outbox right after the commit."""
    db.session.commit()
    uploads.remove_discarded()
    send_queued(take_queued())


def rollback() -> None:
    """The one rollback path: nothing of the unit of work stays, nothing it queued is sent."""
    db.session.rollback()
    discard_queued()


class StaleConflict(Conflict):
    """A versioned row changed by another transaction first (SQLAlchemy's ``StaleDataError``): nothing was saved."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _l("Someone else changed this in the meantime, so nothing was saved. Reload the page and try again.")
        )


@contextmanager
def unit_of_work() -> Iterator[None]:
    try:
        yield
    except StaleDataError:
        rollback()
        raise StaleConflict() from None
    except BaseException:
        rollback()
        raise
    try:
        commit()
    except StaleDataError:
        rollback()
        raise StaleConflict() from None
