"""Who may do what with an account: log in, and hold one of a set of roles."""

from collections.abc import Iterable

from app.accounts.models import Role, User


def can_log_in(user: User | None) -> bool:
    """Only an active account opens a session (or uses a password link)."""
    return user is not None and bool(user.active)


def holds_any_role(user: User | None, roles: Iterable[Role]) -> bool:
    """True when ``user`` is logged in and holds at least one of ``roles``."""
    return bool(user is not None and user.is_authenticated and any(user.has_role(role) for role in roles))
