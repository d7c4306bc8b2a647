"""Administration of users and departments: the rules that keep the directory consistent.

Services take the actor, flush and never commit: the view owns the transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import Department, Role, User
from app.accounts.services import manager_would_loop
from app.core.errors import Invalid
from app.extensions import db


class AdminValidationError(Invalid):
    """Refused input; ``errors`` maps each form field to its message (the first one is also ``field`` and
    ``message``). Nothing was changed."""


def _taken(model, column, value: str, current_id: int | None) -> bool:
    """True when another row of ``model`` has ``value`` in ``column`` (case ignored)."""
    query = select(model.id).where(func.lower(column) == value.lower())
    if current_id is not None:
        query = query.where(model.id != current_id)
    return db.session.scalar(query) is not None


def _identity_errors(user: User, email: str, number: str) -> dict[str, str]:
    errors = {}
    if _taken(User, User.email, email, user.id):
        errors["email"] = _("Another user already has this e-mail address.")
    if _taken(User, User.employee_number, number, user.id):
        errors["employee_number"] = _("Another user already has this employee number.")
    return errors


def _manager_errors(user: User, manager_id: int | None, manager: User | None) -> dict[str, str]:
    if manager_id and manager is None:
        return {"manager_id": _("This manager does not exist.")}
    if manager is not None and manager_would_loop(user, manager):
        if manager.id == user.id:
            return {"manager_id": _("A user cannot be their own manager.")}
        return {"manager_id": _("This choice would make a loop in the chain of managers.")}
    return {}


def _own_account_errors(user: User, actor: User, roles: set[str], active: bool) -> dict[str, str]:
    """An administrator cannot lock themselves out."""
    errors = {}
    if user.id == actor.id and Role.ADMIN not in roles:
        errors["roles"] = _("You cannot remove your own administrator role.")
    if user.id == actor.id and not active:
        errors["active"] = _("You cannot deactivate your own account.")
    return errors


def _end_everything(user: User) -> None:
    """A deactivated account: its open sessions end at once and its password links die (also after a
    reactivation)."""
    accounts.end_sessions(user)
    user.rotate_session_token()


def user_facts(user: User) -> dict:
    """What the administration changes of a user, to tell afterwards what changed (the security log)."""
    return {
        "full_name": user.full_name,
        "email": user.email,
        "employee_number": user.employee_number,
        "department_id": user.department_id,
        "manager_id": user.manager_id,
        "language": user.language,
        "active": bool(user.active) if user.active is not None else None,
        "roles": sorted(user.roles),
    }


def changed_facts(before: dict, after: dict) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def _fill_user(user: User, data: dict, email: str, number: str, manager: User | None, roles: set[str]) -> None:
    was_active = user.active
    user.full_name = data["full_name"].strip()
    user.email = email
    user.employee_number = number
    user.department = db.session.get(Department, data["department_id"]) if data.get("department_id") else None
    user.manager = manager
    user.roles = roles or {Role.EMPLOYEE}
    user.language = data.get("language") or "fr"
    user.active = bool(data.get("active", True))
    if user.id is not None and was_active and not user.active:
        _end_everything(user)


def save_user(user: User, data: dict, actor: User) -> User:
    """Create or update ``user`` from validated form data; raises AdminValidationError (nothing changed)."""
    email = data["email"].strip().lower()
    number = data["employee_number"].strip().upper()
    manager = db.session.get(User, data["manager_id"]) if data.get("manager_id") else None
    roles = set(data.get("roles") or [])
    errors = {
        **_identity_errors(user, email, number),
        **_manager_errors(user, data.get("manager_id"), manager),
        **_own_account_errors(user, actor, roles, bool(data.get("active", True))),
    }
    if errors:
        raise AdminValidationError(errors=errors)
    _fill_user(user, data, email=email, number=number, manager=manager, roles=roles)
    db.session.add(user)
    db.session.flush()
    return user


def deactivate_user(user: User, actor: User) -> None:
    if user.id == actor.id:
        raise AdminValidationError(errors={"active": _("You cannot deactivate your own account.")})
    user.active = False
    _end_everything(user)
    db.session.flush()


def reactivate_user(user: User, actor: User) -> None:
    user.active = True
    db.session.flush()


def set_user_password(user: User, password: str, actor: User) -> int:
    """An administrator sets ``user``'s password (the policy applies): the user's sessions end, but the
    administrator's own when it is their account. Returns how many sessions ended."""
    keep = actor.current_session if actor.id == user.id else None
    return accounts.set_password(user, password, keep=keep)


def save_department(department: Department, data: dict, actor: User) -> Department:
    """Create or update a department; its name and its code are unique (case ignored)."""
    name = data["name"].strip()
    code = data["code"].strip().upper()
    errors = {}
    if _taken(Department, Department.name, name, department.id):
        errors["name"] = _("Another department already has this name.")
    if _taken(Department, Department.code, code, department.id):
        errors["code"] = _("Another department already has this code.")
    if errors:
        raise AdminValidationError(errors=errors)
    department.name = name
    department.code = code
    department.active = bool(data.get("active", True))
    db.session.add(department)
    db.session.flush()
    return department
