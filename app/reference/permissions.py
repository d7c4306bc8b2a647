"""Who may manage the programme's reference data: administrators and BRI officers."""

from app.accounts.models import User

REFERENCE_ROLES = ("admin", "bri")


def can_manage_reference(user: User | None) -> bool:
    """Programme cycles, destination countries and partner organisations: admins and BRI officers."""
    return bool(user is not None and user.is_authenticated and any(user.has_role(r) for r in REFERENCE_ROLES))
