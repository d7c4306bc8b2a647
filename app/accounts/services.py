"""Account rules: authentication, passwords, the manager chain, one-time password links, administrators.

Services flush, never commit: the view or the command owns the transaction.
"""

import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash

from app.accounts.models import Role, User
from app.accounts.permissions import can_log_in
from app.core.errors import Conflict, Invalid
from app.extensions import db

# Checked against when the e-mail is unknown, so that both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$k9vQ8Tz1o3lq7l9V$" + "0" * 128


class WrongPassword(Invalid):
    """The current password given to change it is not the user's."""


class InactiveAccount(Conflict):
    """The account is deactivated: nothing that would let its owner in again."""


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (the caller gives one generic message)."""
    user = User.by_email(email or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not can_log_in(user):
        return None
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise WrongPassword(_("The current password is wrong."), field="current_password")
    user.set_password(new_password)
    db.session.flush()


def manager_would_loop(user: User, manager: User | None) -> bool:
    """True when making ``manager`` the manager of ``user`` makes a cycle (including oneself)."""
    if manager is None:
        return False
    if user.id is not None and manager.id == user.id:
        return True
    seen = set()
    current = manager
    while current is not None and current.id not in seen:
        if user.id is not None and current.id == user.id:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def password_link_token(user: User) -> str:
    """The token of a one-time link that lets ``user`` choose a password; refused for a deactivated account."""
    if not can_log_in(user):
        raise InactiveAccount(_("This account is deactivated: reactivate it before sending a link."))
    # The session token is part of the payload: once the password is set it rotates and the link dies.
    return _serializer().dumps({"uid": user.id, "st": user.session_token})


def user_from_password_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_LINK_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if not can_log_in(user) or user.session_token != data.get("st"):
        return None
    return user


def set_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    db.session.flush()


def make_administrator(email: str, full_name: str, password: str) -> User:
    """Create an administrator, or give the role to the user who has this e-mail; either way active, with
    this password."""
    email = email.strip().lower()
    user = User.by_email(email)
    if user is None:
        user = User(email=email, full_name=full_name, employee_number=f"ADM-{secrets.token_hex(3).upper()}")
        db.session.add(user)
    user.roles = user.roles | {Role.ADMIN, Role.EMPLOYEE}
    user.active = True
    user.set_password(password)
    db.session.flush()
    return user
