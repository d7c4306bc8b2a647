"""Account rules: authentication, passwords, the manager chain, one-time password links."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db

# Checked against when the e-mail is unknown, so that both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$k9vQ8Tz1o3lq7l9V$" + "0" * 128


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (the caller gives one generic message)."""
    user = User.by_email(email or "")
    if user is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def change_password(user: User, current_password: str, new_password: str) -> bool:
    if not user.check_password(current_password):
        return False
    user.set_password(new_password)
    db.session.flush()
    return True


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
    if user is None or not user.active or user.session_token != data.get("st"):
        return None
    return user


def set_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    db.session.flush()


def load_user_by_session_token(token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))
