"""Who reads the programme's figures: BRI officers (the dashboard, the annual report)."""

from app.accounts.models import Role


def can_view_programme(user) -> bool:
    """A BRI officer; nobody else (managers and administrators included)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.has_role(Role.BRI)
