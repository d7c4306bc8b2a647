"""Reading accounts: live sessions and their users, counts, the demo accounts, the choices of the forms."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Department, User, UserSession
from app.core.cache import cached
from app.extensions import db

DEMO_EMAIL_DOMAIN = "@demo.montreal.example"


def live_session(digest: str, seen_after: datetime, created_after: datetime) -> tuple[UserSession, User] | None:
    """The session row of this digest and its active user with their roles (one statement: every page starts with
    it), when it was seen and opened recently enough."""
    row = (
        db.session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .options(joinedload(User.role_rows))
            .where(
                UserSession.id == digest,
                User.active.is_(True),
                UserSession.last_seen_at > seen_after,
                UserSession.created_at > created_after,
            )
        )
        .unique()
        .first()
    )
    return None if row is None else (row[0], row[1])


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def demo_accounts() -> list[User]:
    """The accounts ``flask demo-data`` made (their e-mails end in the demo domain)."""
    return list(db.session.scalars(select(User).where(User.email.like(f"%{DEMO_EMAIL_DOMAIN}")).order_by(User.id)))


def departments_by_name() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def department_choices() -> tuple[tuple[int, str], ...]:
    """(id, name) of every department by name, from the reference cache (rebuilt after a change of ``department``).
    A city has a few hundred at most: a bounded <select>."""
    by_name = select(Department.id, Department.name).order_by(Department.name)
    return cached("departments", lambda: tuple(tuple(row) for row in db.session.execute(by_name)))
