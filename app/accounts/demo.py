"""Fictional departments and people covering every role."""

from app.accounts.models import Department, Role, User
from app.extensions import db

DEPARTMENTS = [
    ("URB", "Service de l'urbanisme et de la mobilité"),
    ("ENV", "Service de l'environnement"),
    ("FIN", "Service des finances"),
    ("EAU", "Service de l'eau"),
    ("RH", "Service des ressources humaines"),
    ("BRI", "Bureau des relations internationales"),
    ("TI", "Service des technologies de l'information"),
]

# (key, full name, department, manager key, roles, language)
PEOPLE = [
    ("admin", "Aline Tremblay-Joseph", "TI", None, ["employee", "admin"], "fr"),
    ("bri1", "Rodrigue Saint-Fleur", "BRI", None, ["employee", "bri"], "fr"),
    ("bri2", "Mireille Okafor", "BRI", "bri1", ["employee", "bri"], "en"),
    ("mgr_urb", "Bernard Lachance", "URB", None, ["employee", "manager"], "fr"),
    ("mgr_env", "Sophie Nguyen-Roy", "ENV", None, ["employee", "manager"], "fr"),
    ("mgr_fin", "Karim Belkacem", "FIN", None, ["employee", "manager"], "en"),
    ("mgr_eau", "Hélène Côté-Pierre", "EAU", None, ["employee", "manager"], "fr"),
    ("emp1", "Jean-Robert Désir", "URB", "mgr_urb", ["employee"], "fr"),
    ("emp2", "Nadia Ferland", "URB", "mgr_urb", ["employee"], "fr"),
    ("emp3", "Olivier Mbeki-Gagnon", "URB", "mgr_urb", ["employee"], "en"),
    ("emp4", "Farah Louissaint", "ENV", "mgr_env", ["employee"], "fr"),
    ("emp5", "Thomas Bergeron", "ENV", "mgr_env", ["employee"], "fr"),
    ("emp6", "Amina Diallo", "ENV", "mgr_env", ["employee"], "fr"),
    ("emp7", "Luc Paradis", "FIN", "mgr_fin", ["employee"], "fr"),
    ("emp8", "Valérie Jean-Baptiste", "FIN", "mgr_fin", ["employee"], "fr"),
    ("emp9", "Minh Tran", "EAU", "mgr_eau", ["employee"], "en"),
    ("emp10", "Gisèle Charles", "EAU", "mgr_eau", ["employee"], "fr"),
    ("emp11", "Patrice Étienne", "EAU", "mgr_eau", ["employee"], "fr"),
    ("emp12", "Claudia Restrepo", "RH", "mgr_urb", ["employee"], "fr"),
    ("emp13", "Yves Lapointe", "TI", "admin", ["employee"], "fr"),
    ("inactive", "Denis Marchand", "TI", "admin", ["employee"], "fr"),
]


def _email(full_name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode().lower()
    first, _, last = ascii_name.partition(" ")
    return f"{first}.{last.replace(' ', '')}@demo.montreal.example".replace("'", "")


def load(ctx: dict) -> None:
    password = ctx["password"]
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code] = Department(code=code, name=name)
        db.session.add(departments[code])
    users: dict[str, User] = {}
    for number, (key, name, dept, manager_key, roles, language) in enumerate(PEOPLE, start=1):
        user = User(
            full_name=name,
            email=_email(name),
            employee_number=f"E{100200 + number}",
            department=departments[dept],
            manager=users.get(manager_key) if manager_key else None,
            language=language,
            active=key != "inactive",
        )
        user.roles = [Role(r) for r in roles]
        user.set_password(password)
        users[key] = user
        db.session.add(user)
    db.session.flush()
    ctx["departments"] = departments
    ctx["users"] = users
    ctx.setdefault("accounts", []).extend(
        (u.email, ", ".join(sorted(u.roles)), "" if u.active else "inactive") for u in users.values()
    )
