"""Administration of users and departments: the rules that keep the directory consistent."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Department, User
from app.accounts.services import manager_would_loop
from app.extensions import db


class AdminValidationError(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _check_unique(model, column, value, current_id, field: str, errors: dict, message: str) -> None:
    query = select(model.id).where(func.lower(column) == value.lower())
    if current_id is not None:
        query = query.where(model.id != current_id)
    if db.session.scalar(query) is not None:
        errors[field] = message


def save_user(user: User, data: dict, actor: User) -> User:
    """Create or update ``user`` from validated form data; raises AdminValidationError (nothing changed)."""
    errors: dict[str, str] = {}
    email = data["email"].strip().lower()
    number = data["employee_number"].strip().upper()
    _check_unique(User, User.email, email, user.id, "email", errors, _("Another user already has this e-mail address."))
    _check_unique(
        User,
        User.employee_number,
        number,
        user.id,
        "employee_number",
        errors,
        _("Another user already has this employee number."),
    )
    department = db.session.get(Department, data["department_id"]) if data.get("department_id") else None
    manager = db.session.get(User, data["manager_id"]) if data.get("manager_id") else None
    if data.get("manager_id") and manager is None:
        errors["manager_id"] = _("This manager does not exist.")
    elif manager is not None and manager_would_loop(user, manager):
        errors["manager_id"] = (
            _("A user cannot be their own manager.")
            if manager.id == user.id
            else _("This choice would make a loop in the chain of managers.")
        )
    roles = set(data.get("roles") or [])
    if user.id == actor.id and "admin" not in roles:
        errors["roles"] = _("You cannot remove your own administrator role.")
    if user.id == actor.id and not data.get("active", True):
        errors["active"] = _("You cannot deactivate your own account.")
    if errors:
        raise AdminValidationError(errors)
    was_active = user.active
    user.full_name = data["full_name"].strip()
    user.email = email
    user.employee_number = number
    user.department = department
    user.manager = manager
    user.roles = roles or {"employee"}
    user.language = data.get("language") or "fr"
    user.active = bool(data.get("active", True))
    if user.id is not None and was_active and not user.active:
        user.rotate_session_token()
    db.session.add(user)
    db.session.flush()
    return user


def deactivate_user(user: User, actor: User) -> None:
    if user.id == actor.id:
        raise AdminValidationError({"active": _("You cannot deactivate your own account.")})
    user.active = False
    user.rotate_session_token()  # open sessions stop working at once
    db.session.flush()


def reactivate_user(user: User) -> None:
    user.active = True
    db.session.flush()


def save_department(department: Department, data: dict) -> Department:
    errors: dict[str, str] = {}
    name = data["name"].strip()
    code = data["code"].strip().upper()
    _check_unique(
        Department, Department.name, name, department.id, "name", errors, _("Another department already has this name.")
    )
    _check_unique(
        Department, Department.code, code, department.id, "code", errors, _("Another department already has this code.")
    )
    if errors:
        raise AdminValidationError(errors)
    department.name = name
    department.code = code
    department.active = bool(data.get("active", True))
    db.session.add(department)
    db.session.flush()
    return department
