"""Account rules: authentication, sessions, the password policy, the manager chain, one-time password links,
administrators.

Services flush, never commit: the view or the command owns the transaction (the "last seen" time of a session is
written with the request's statements, or in a short transaction of its own when the request only reads on SQLite:
see :func:`resume_session`).
"""

import logging
import re
import secrets
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, or_, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

from app.accounts import queries
from app.accounts.models import Role, User, UserSession, session_digest
from app.accounts.permissions import can_log_in
from app.core.database import utcnow
from app.core.errors import Conflict, Invalid
from app.extensions import db

log = logging.getLogger(__name__)

# Checked against when the e-mail is unknown, so that both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$k9vQ8Tz1o3lq7l9V$" + "0" * 128


class WrongPassword(Invalid):
    """The current password given to change it is not the user's."""


class InactiveAccount(Conflict):
    """The account is deactivated: nothing that would let its owner in again."""


class LoginFailed(Invalid):
    """Unknown e-mail, wrong password or deactivated account: one message for all three."""


class WeakPassword(Invalid):
    """The new password is too short or too easy to guess; the message says why."""


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (the caller gives one generic message)."""
    user = User.by_email(email or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not can_log_in(user):
        return None
    return user


def log_in(email: str, password: str) -> User:
    """Authenticate and open a session (its token is then ``user.current_session``)."""
    user = authenticate(email, password)
    if user is None:
        raise LoginFailed(_("Unknown e-mail address or wrong password."), field="password")
    open_session(user)
    return user


# Sessions -------------------------------------------------------------------------------------------------------

# A session's "last seen" time is written at most this often (not on every request).
SEEN_EVERY = timedelta(minutes=1)


def open_session(user: User) -> str:
    """A new session of ``user``: a random token for the cookie, its digest in ``user_session``."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=session_digest(token), user_id=user.id))
    db.session.flush()
    user.current_session = token
    return token


def _bounds() -> tuple:
    """Now, and the oldest "last seen" and login times a live session may have."""
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    return now, now - idle, now - lifetime


def resume_session(token: str | None, reading: bool = True) -> User | None:
    """The user of the session whose token the cookie carries, or None: no such row (logged out, ended), too long
    idle, too old, or the account deactivated. Notes the visit at most once every :data:`SEEN_EVERY`; ``reading``:
    the request only reads (a GET), else its unit of work commits the note with its own work."""
    if not token:
        return None
    now, seen_after, created_after = _bounds()
    found = queries.live_session(session_digest(token), seen_after=seen_after, created_after=created_after)
    if found is None:
        return None
    row, user = found
    if row.last_seen_at <= now - SEEN_EVERY:
        _note_seen(row.id, now, reading)
    user.current_session = token
    return user


def _note_seen(digest: str, now, reading: bool) -> None:
    """The visit is written with the request's own statements: a change (a POST) commits it with its own work, in
    its one commit; a read on PostgreSQL runs outside a transaction (``init_read_only_requests``), so the update is
    written as it runs. A read on SQLite, whose transaction ends in a rollback, writes it in a short transaction of
    its own. A failure (a locked database) costs at most a minute of idle time, never the page."""
    statement = (
        update(UserSession)
        .where(UserSession.id == digest, UserSession.last_seen_at <= now - SEEN_EVERY)
        .values(last_seen_at=now)
    )
    try:
        if not reading or db.engine.dialect.name == "postgresql":
            db.session.execute(statement)
            return
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not note the last visit of a session", exc_info=True)


def end_session(token: str | None) -> None:
    """Log out: the session's row goes, its cookie opens nothing any more."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.id == session_digest(token)))


def end_sessions(user: User, keep: str | None = None) -> int:
    """End every session of ``user`` (but the one whose token is ``keep``); returns how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.id != session_digest(keep))
    return db.session.execute(query).rowcount or 0


def end_idle_sessions(_day=None) -> str:
    """The daily job's step: delete the rows of the sessions that are over (too long idle or too old)."""
    _now, seen_after, created_after = _bounds()
    ended = db.session.execute(
        delete(UserSession).where(or_(UserSession.last_seen_at < seen_after, UserSession.created_at < created_after))
    ).rowcount
    return f"{ended or 0} session(s) ended"


# Passwords ------------------------------------------------------------------------------------------------------

# zxcvbn's score goes from 0 (guessed at once) to 4; below this one a password is refused.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer inputs; the first characters are enough to tell.
_ESTIMATED_LENGTH = 72
# zxcvbn keeps the user's words in a module-level dictionary during a call: one call at a time.
_zxcvbn_lock = threading.Lock()
# Words anyone would try first against an account of this application.
_APPLICATION_WORDS = ("congés solidaires", "conges", "congés", "solidaires", "montreal", "montréal", "bri")

# zxcvbn's warnings (English, as it gives them), in the reader's language.
_WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l('Sequences like "abc" or "6543" are easy to guess.'),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "This is a top-10 common password.": _l("This is one of the 10 most common passwords."),
    "This is a top-100 common password.": _l("This is one of the 100 most common passwords."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l("Names and surnames by themselves are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Common names and surnames are easy to guess."),
}


def personal_words(full_name: str | None, email: str | None) -> list[str]:
    """What an attacker knows of the account: the name and its words, the e-mail, its local part and its words."""
    words = [full_name or "", email or ""]
    words += re.split(r"[\W_]+", full_name or "")
    local, _at, domain = (email or "").partition("@")
    words += [local, *re.split(r"[\W_]+", local), *domain.split(".")[:-1]]
    return sorted({w.strip().lower() for w in words if len(w.strip()) >= 3})


def password_problem(password: str, full_name: str | None = None, email: str | None = None) -> str | None:
    """Why ``password`` is refused (translated), or None when it is acceptable: at least ``PASSWORD_MIN_LENGTH``
    characters, and not common or guessable from the account's name and e-mail (zxcvbn, offline). No rule on
    the kinds of characters."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        return _("The password must have at least %(n)d characters.", n=minimum)
    with _zxcvbn_lock:
        result = zxcvbn(
            password[:_ESTIMATED_LENGTH], user_inputs=[*personal_words(full_name, email), *_APPLICATION_WORDS]
        )
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    advice = _("Choose a longer one, for instance a few words that have nothing to do with each other.")
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        why = _("This password contains your name, your e-mail address or the name of the application.")
    elif result["feedback"]["warning"] in _WARNINGS:
        why = str(_WARNINGS[result["feedback"]["warning"]])
    else:
        why = _("This password is too easy to guess.")
    return f"{why} {advice}"


def check_new_password(user: User, password: str, field: str = "password") -> None:
    """Raise :class:`WeakPassword` (next to ``field``) when ``password`` may not become ``user``'s."""
    problem = password_problem(password, user.full_name, user.email)
    if problem:
        raise WeakPassword(problem, field=field)


def change_password(user: User, current_password: str, new_password: str) -> int:
    """The user changes their own password: the other sessions end, this one goes on. Returns how many ended."""
    if not user.check_password(current_password):
        raise WrongPassword(_("The current password is wrong."), field="current_password")
    check_new_password(user, new_password)
    user.set_password(new_password)
    ended = end_sessions(user, keep=user.current_session)
    db.session.flush()
    return ended


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


def set_password(user: User, new_password: str, keep: str | None = None) -> int:
    """Set ``user``'s password (by a one-time link or by an administrator): their sessions end (but the one whose
    token is ``keep``), and so do the links given so far. Returns how many sessions ended."""
    check_new_password(user, new_password)
    user.set_password(new_password)
    ended = end_sessions(user, keep=keep)
    db.session.flush()
    return ended


def make_administrator(email: str, full_name: str, password: str) -> User:
    """Create an administrator, or give the role to the user who has this e-mail; either way active, with
    this password (which must pass the policy; the user's open sessions end)."""
    email = email.strip().lower()
    user = User.by_email(email)
    if user is None:
        user = User(email=email, full_name=full_name, employee_number=f"ADM-{secrets.token_hex(3).upper()}")
        db.session.add(user)
    check_new_password(user, password)
    user.roles = user.roles | {Role.ADMIN, Role.EMPLOYEE}
    user.active = True
    user.set_password(password)
    db.session.flush()
    end_sessions(user)
    return user
