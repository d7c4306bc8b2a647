"""Choosing a person among the city's employees (:mod:`app.core.pickers`): by the start of their name or e-mail.

The domains that need a person (the delegate of a manager, the manager of a user) register a picker made by
:func:`person_picker` with their own permission.
"""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.accounts.models import User
from app.core.pickers import Choice, Picker, id_or_key, starts_with
from app.extensions import db

PERSON_HINT = _l("Type the start of a name or an e-mail")
PERSON_NOT_FOUND = _l("No active person has this e-mail: choose one of the proposed names.")


def person_choice(user: User) -> Choice:
    return Choice(user.id, user.email, f"{user.full_name} ({user.email})")


def _candidates(actor, exclude_self: bool):
    query = select(User).where(User.active.is_(True))
    if exclude_self and getattr(actor, "id", None) is not None:
        query = query.where(User.id != actor.id)
    return query


def person_picker(name: str, allowed: Callable[[object], bool], exclude_self: bool = False) -> Picker:
    """A picker of active people (without the actor when ``exclude_self``), allowed to whom ``allowed(user)``."""

    def search(query: str, actor, limit: int) -> list[Choice]:
        found = db.session.scalars(
            _candidates(actor, exclude_self)
            .where(or_(starts_with(User.full_name, query), starts_with(User.email, query)))
            .order_by(User.full_name, User.id)
            .limit(limit)
        )
        return [person_choice(u) for u in found]

    def lookup(text: str, actor) -> Choice | None:
        user_id, email = id_or_key(text)
        condition = User.id == user_id if user_id else User.email == email
        if not user_id and not email:
            return None
        user = db.session.scalar(_candidates(actor, exclude_self).where(condition))
        return person_choice(user) if user is not None else None

    def describe(user_id: int) -> Choice | None:
        user = db.session.get(User, user_id)
        return person_choice(user) if user is not None else None

    return Picker(name, allowed, search, lookup, describe, hint=PERSON_HINT, not_found=PERSON_NOT_FOUND)
