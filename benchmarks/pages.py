"""The list pages measured by the benchmark, each with a function that loads N rows and returns the viewer."""

from collections.abc import Callable
from dataclasses import dataclass

from app.accounts.models import Department, User
from app.extensions import db

PASSWORD = "benchmark-password"


@dataclass
class Page:
    name: str
    path: str
    setup: Callable[[int], User]
    password: str = PASSWORD


def _admin() -> User:
    admin = User(full_name="Admin Bench", email="admin@bench.example", employee_number="B0")
    admin.roles = {"employee", "admin"}
    admin.set_password(PASSWORD)
    db.session.add(admin)
    return admin


def users_list(size: int) -> User:
    admin = _admin()
    departments = [Department(name=f"Service {i}", code=f"S{i}") for i in range(10)]
    db.session.add_all(departments)
    for i in range(size):
        user = User(
            full_name=f"Personne {i:05d}",
            email=f"p{i}@bench.example",
            employee_number=f"B{i + 1}",
            department=departments[i % 10],
            manager=admin,
            password_hash="x",
        )
        user.roles = {"employee"}
        db.session.add(user)
    return admin


PAGES = [
    Page("admin: users", "/admin/utilisateurs?status=all", users_list),
]
