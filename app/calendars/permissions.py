"""Who sees which calendar: every signed-in person their own (and their team's); the BRI every mission."""

from app.accounts.models import Role, User


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and bool(getattr(user, "id", None))


def can_see_calendar(user) -> bool:
    return _authenticated(user)


def sees_every_mission(user) -> bool:
    """The BRI's calendar: every approved mission and every mission under way, with its filters."""
    return _authenticated(user) and user.has_role(Role.BRI)


def can_renew_feed(actor, owner: User) -> bool:
    """A feed's address is renewed by its owner only."""
    return _authenticated(actor) and owner is not None and actor.id == owner.id
