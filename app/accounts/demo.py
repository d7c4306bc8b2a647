"""Fictional departments and people covering every role: two tables, and a loader that walks through them.

The loader leaves in ``ctx`` what the demo loaders of the domains above read: ``departments`` by code, ``users``
by key (``"bri1"``, ``"mgr_env"``, ``"emp5"``...), and the ``accounts`` that ``flask demo-data`` prints.
"""

import unicodedata

from app.accounts.models import Department, Role, User
from app.extensions import db

EMPLOYEE = (Role.EMPLOYEE,)
MANAGER = (Role.EMPLOYEE, Role.MANAGER)
BRI = (Role.EMPLOYEE, Role.BRI)
ADMIN = (Role.EMPLOYEE, Role.ADMIN)

# (code, name)
DEPARTMENTS = [
    ("URB", "Service de l'urbanisme et de la mobilité"),
    ("ENV", "Service de l'environnement"),
    ("FIN", "Service des finances"),
    ("EAU", "Service de l'eau"),
    ("RH", "Service des ressources humaines"),
    ("BRI", "Bureau des relations internationales"),
    ("TI", "Service des technologies de l'information"),
]

# (key, full name, department, manager's key, roles, language); "inactive" is a deactivated account.
PEOPLE = [
    ("admin1", "Aline Tremblay-Joseph", "TI", None, ADMIN, "fr"),
    ("bri1", "Rodrigue Saint-Fleur", "BRI", None, BRI, "fr"),
    ("bri2", "Mireille Okafor", "BRI", "bri1", BRI, "en"),
    ("mgr_urb", "Bernard Lachance", "URB", None, MANAGER, "fr"),
    ("mgr_env", "Sophie Nguyen-Roy", "ENV", None, MANAGER, "fr"),
    ("mgr_fin", "Karim Belkacem", "FIN", None, MANAGER, "en"),
    ("mgr_eau", "Hélène Côté-Pierre", "EAU", None, MANAGER, "fr"),
    ("emp1", "Jean-Robert Désir", "URB", "mgr_urb", EMPLOYEE, "fr"),
    ("emp2", "Nadia Ferland", "URB", "mgr_urb", EMPLOYEE, "fr"),
    ("emp3", "Olivier Mbeki-Gagnon", "URB", "mgr_urb", EMPLOYEE, "en"),
    ("emp4", "Farah Louissaint", "ENV", "mgr_env", EMPLOYEE, "fr"),
    ("emp5", "Thomas Bergeron", "ENV", "mgr_env", EMPLOYEE, "fr"),
    ("emp6", "Amina Diallo", "ENV", "mgr_env", EMPLOYEE, "fr"),
    ("emp7", "Luc Paradis", "FIN", "mgr_fin", EMPLOYEE, "fr"),
    ("emp8", "Valérie Jean-Baptiste", "FIN", "mgr_fin", EMPLOYEE, "fr"),
    ("emp9", "Minh Tran", "EAU", "mgr_eau", EMPLOYEE, "en"),
    ("emp10", "Gisèle Charles", "EAU", "mgr_eau", EMPLOYEE, "fr"),
    ("emp11", "Patrice Étienne", "EAU", "mgr_eau", EMPLOYEE, "fr"),
    ("emp12", "Claudia Restrepo", "RH", "mgr_urb", EMPLOYEE, "fr"),
    ("emp13", "Yves Lapointe", "TI", "admin1", EMPLOYEE, "fr"),
    ("inactive", "Denis Marchand", "TI", "admin1", EMPLOYEE, "fr"),
]

FIRST_EMPLOYEE_NUMBER = 100201


def _email(full_name: str) -> str:
    """The demo e-mail of a name: Hélène Côté-Pierre → helene.cote-pierre@demo.montreal.example."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode().lower()
    first, _, last = ascii_name.partition(" ")
    return f"{first}.{last.replace(' ', '')}@demo.montreal.example".replace("'", "")


def load(ctx: dict) -> None:
    departments = {code: Department(code=code, name=name) for code, name in DEPARTMENTS}
    db.session.add_all(departments.values())
    users: dict[str, User] = {}
    for number, (key, name, department, manager, roles, language) in enumerate(PEOPLE, start=FIRST_EMPLOYEE_NUMBER):
        user = User(
            full_name=name,
            email=_email(name),
            employee_number=f"E{number}",
            department=departments[department],
            manager=users[manager] if manager else None,
            language=language,
            active=key != "inactive",
        )
        user.roles = roles
        user.set_password(ctx["password"])
        db.session.add(user)  # now, not after the loop: the ids follow the table's order
        users[key] = user
    db.session.flush()
    ctx["departments"] = departments
    ctx["users"] = users
    accounts = ctx.setdefault("accounts", [])
    accounts.extend((u.email, ", ".join(sorted(u.roles)), account_note(u)) for u in users.values())


def account_note(user: User) -> str:
    """What a tester needs to know of a demo account beyond its roles: whose team it is in, whether it reads English,
    whether it is deactivated ("manager: Bernard Lachance; English")."""
    notes = [f"manager: {user.manager.full_name}"] if user.manager else []
    notes += ["English"] if user.language == "en" else []
    notes += [] if user.active else ["inactive"]
    return "; ".join(notes)
