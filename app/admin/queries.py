"""The lists of the administration: users found by a search, departments with their number of users."""

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Department, User
from app.core.sorting import SortColumn
from app.extensions import db

# Which accounts the user list shows: the values of the search form's ``status``.
ACCOUNT_STATUS_FILTERS = {
    "active": User.active.is_(True),
    "inactive": User.active.is_(False),
    "all": None,
}


# The columns the user list sorts by (``?sort=``): the name (index on (full_name, id)), the e-mail and the employee
# number (unique, each its own index).
USER_SORTS = (
    SortColumn("name", (User.full_name, User.id)),
    SortColumn("email", (User.email,)),
    SortColumn("number", (User.employee_number,)),
)
USER_DEFAULT = ("name", False)


def user_search(text: str | None, status: str) -> Select:
    """Users by name, with their department and manager; ``text`` matches a part of the name, e-mail or number."""
    query = (
        select(User).options(joinedload(User.department), joinedload(User.manager)).order_by(User.full_name, User.id)
    )
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.full_name).like(pattern),
                func.lower(User.email).like(pattern),
                func.lower(User.employee_number).like(pattern),
            )
        )
    condition = ACCOUNT_STATUS_FILTERS.get(status)
    return query if condition is None else query.where(condition)


def department_list() -> Select:
    return select(Department).order_by(Department.name, Department.id)


def users_per_department() -> dict[int | None, int]:
    return dict(db.session.execute(select(User.department_id, func.count(User.id)).group_by(User.department_id)).all())
