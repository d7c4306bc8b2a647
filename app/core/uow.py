"""The unit of work: every view and command commits through here, once, and only then do e-mails and files go.

``with unit_of_work():`` runs a block of service calls; it commits at the end (then sends the e-mails the block
queued and removes the files it deleted) or, on any exception, rolls everything back (the e-mails it queued are
forgotten and the files it wrote are removed) and lets the exception go on.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from app.core import uploads
from app.core.notifications import discard_queued, send_queued, take_queued
from app.extensions import db


def commit() -> None:
    """Commit the session, then let the queued e-mails leave and the deleted files go."""
    queued = take_queued()
    db.session.commit()
    uploads.remove_discarded()
    send_queued(queued)


def rollback() -> None:
    """The one rollback path: nothing of the unit of work stays, nothing it queued is sent."""
    db.session.rollback()
    discard_queued()


@contextmanager
def unit_of_work() -> Iterator[None]:
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()
