"""Who may manage the programme's reference data: administrators and BRI officers."""

from app.accounts.models import Role, User
from app.accounts.permissions import holds_any_role

REFERENCE_ROLES = (Role.ADMIN, Role.BRI)


def can_manage_reference(user: User | None) -> bool:
    """Programme cycles, destination countries and partner organisations: admins and BRI officers."""
    return holds_any_role(user, REFERENCE_ROLES)


def can_manage_contacts(user: User | None) -> bool:
    """A partner's contacts receive the links that confirm missions: kept by BRI officers only."""
    return holds_any_role(user, (Role.BRI,))
