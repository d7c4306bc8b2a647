"""Who may administer users and departments: administrators."""

from app.accounts.models import Role, User
from app.accounts.permissions import holds_any_role


def can_administer(user: User | None) -> bool:
    return holds_any_role(user, (Role.ADMIN,))
