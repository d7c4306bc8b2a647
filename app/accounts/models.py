"""People, their roles and their departments."""

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.database import TimestampMixin, UTCDateTime, utcnow
from app.core.enums import LabelledEnum
from app.extensions import db


class Role(LabelledEnum):
    EMPLOYEE = "employee", _l("Employee")
    MANAGER = "manager", _l("Manager")
    BRI = "bri", _l("BRI officer")
    ADMIN = "admin", _l("Administrator")


class Department(TimestampMixin, db.Model):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    users: Mapped[list["User"]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (CheckConstraint(f"role IN ({', '.join(repr(r.value) for r in Role)})", name="role_known"),)


def _new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    employee_number: Mapped[str] = mapped_column(String(20), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fr", server_default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of every one-time password link: it changes with the password (and at deactivation), so that a link
    # given before stops working. The sessions themselves are rows of ``user_session``.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_session_token)

    # The token of the session this request runs in (set at login and by the user loader; not a column): what
    # Flask-Login keeps in the session cookie.
    current_session = None

    department: Mapped[Department | None] = relationship(back_populates="users")
    manager: Mapped["User | None"] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list["User"]] = relationship(back_populates="manager")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        CheckConstraint("language IN ('fr', 'en')", name="language_known"),
        Index("ix_user_name_list", "full_name", "id"),  # the administration's list of users, by name
    )

    # Flask-Login
    def get_id(self) -> str:
        # No session opened: an id that matches no row, so that nothing is let in by mistake.
        return self.current_session or ""

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    @roles.setter
    def roles(self, values) -> None:
        wanted = {Role(v).value for v in values}
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - self.roles)
        ]

    def has_role(self, role: Role | str) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles, key=lambda r: list(Role).index(Role(r)))]

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if current_app else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_session_token()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        """Kill the one-time password links given so far (the open sessions are ended by
        ``services.end_sessions``)."""
        self.session_token = _new_session_token()

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == email.strip().lower()))

    def __repr__(self) -> str:
        return f"<User {self.email}>"


def session_digest(token: str) -> str:
    """What ``user_session`` keeps of a session's token: its SHA-256, so that reading the table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(db.Model):
    """One open session: its token is in the (signed) session cookie; logging out deletes the row."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # session_digest(token)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<UserSession of user {self.user_id}>"
