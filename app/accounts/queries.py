"""Reading accounts: users by session token, counts, the demo accounts, the choices of the forms."""

from sqlalchemy import func, select

from app.accounts.models import Department, User
from app.extensions import db

DEMO_EMAIL_DOMAIN = "@demo.montreal.example"


def active_user_by_session_token(token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def demo_accounts() -> list[User]:
    """The accounts ``flask demo-data`` made (their e-mails end in the demo domain)."""
    return list(db.session.scalars(select(User).where(User.email.like(f"%{DEMO_EMAIL_DOMAIN}")).order_by(User.id)))


def departments_by_name() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def active_users_by_name() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name)))
