"""Administration of users and departments: access, validation, the manager chain, passwords."""

import re
from html import unescape

import pytest

from app.accounts.models import Department, User
from tests.factories import DEFAULT_PASSWORD, page_link

ADMIN_GET_PAGES = [
    "/admin/utilisateurs",
    "/admin/utilisateurs/nouveau",
    "/admin/utilisateurs/{uid}",
    "/admin/utilisateurs/{uid}/mot-de-passe",
    "/admin/services",
    "/admin/services/nouveau",
    "/admin/services/{did}",
]
ADMIN_POST_ACTIONS = [
    "/admin/utilisateurs/nouveau",
    "/admin/utilisateurs/{uid}",
    "/admin/utilisateurs/{uid}/desactiver",
    "/admin/utilisateurs/{uid}/reactiver",
    "/admin/utilisateurs/{uid}/mot-de-passe",
    "/admin/utilisateurs/{uid}/lien-mot-de-passe",
    "/admin/services/nouveau",
    "/admin/services/{did}",
]


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def target(make_user, make_department):
    return {"uid": make_user().id, "did": make_department().id}


ALL_ROUTES = [("GET", url) for url in ADMIN_GET_PAGES] + [("POST", url) for url in ADMIN_POST_ACTIONS]


@pytest.mark.parametrize(("method", "url"), ALL_ROUTES)
def test_anonymous_is_sent_to_login(client, target, method, url):
    response = client.open(url.format(**target), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion")


@pytest.mark.parametrize("roles", [("employee",), ("employee", "manager"), ("employee", "bri")])
@pytest.mark.parametrize(("method", "url"), ALL_ROUTES)
def test_non_admins_are_refused(client, login, make_user, target, method, url, roles):
    login(make_user(roles=roles))
    assert client.open(url.format(**target), method=method).status_code == 403


def test_admin_lists_and_searches_users(client, login, admin_user, make_user):
    make_user(full_name="Zoé Lafleur", email="zoe@example.org")
    make_user(full_name="Marc Dubois", email="marc@example.org")
    login(admin_user)
    page = client.get("/admin/utilisateurs?q=lafleur").get_data(as_text=True)
    assert "Zoé Lafleur" in page
    assert "Marc Dubois" not in page
    empty = client.get("/admin/utilisateurs?q=nobody-at-all").get_data(as_text=True)
    assert "Aucun utilisateur ne correspond à cette recherche." in empty


def test_user_list_is_paginated(client, login, admin_user, make_user):
    for _ in range(25):
        make_user()
    login(admin_user)
    response = client.get("/admin/utilisateurs")
    first = response.get_data(as_text=True)
    second = client.get(page_link(response)).get_data(as_text=True)
    assert first.count("/admin/utilisateurs/") - second.count("/admin/utilisateurs/") > 0
    assert "26 résultats" in first
    assert client.get("/admin/utilisateurs?cursor=abc").status_code == 200


def _user_data(**overrides):
    data = {
        "full_name": "Nouvelle Personne",
        "email": "Nouvelle@Example.org",
        "employee_number": "n-777",
        "department_id": "0",
        "manager_id": "0",
        "roles": ["employee", "manager"],
        "language": "en",
        "active": "y",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user(client, login, admin_user, make_department, db):
    department = make_department(name="Service de l'eau", code="EAU")
    login(admin_user)
    response = client.post(
        "/admin/utilisateurs/nouveau", data=_user_data(department_id=str(department.id), manager_id=str(admin_user.id))
    )
    assert response.status_code == 303
    user = User.by_email("nouvelle@example.org")
    assert user is not None
    assert user.employee_number == "N-777"
    assert user.roles == {"employee", "manager"}
    assert user.manager_id == admin_user.id
    assert user.department_id == department.id
    assert user.language == "en"
    assert "Utilisateur Nouvelle Personne créé." in client.get("/admin/utilisateurs").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Entrez une adresse courriel valide."),
        ({"email": "TAKEN@example.org"}, "Un autre utilisateur a déjà cette adresse courriel."),
        ({"employee_number": "t-taken"}, "Un autre utilisateur a déjà ce matricule."),
        ({"employee_number": "bad number!"}, "Lettres, chiffres et traits d'union seulement."),
        ({"full_name": ""}, 'id="full_name-error"'),
    ],
)
def test_user_validation_errors_are_shown_next_to_the_field_and_nothing_is_saved(
    client, login, admin_user, make_user, db, overrides, message
):
    make_user(email="taken@example.org", employee_number="T-TAKEN")
    login(admin_user)
    before = db.session.query(User).count()
    response = client.post("/admin/utilisateurs/nouveau", data=_user_data(**overrides))
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.query(User).count() == before


def test_user_cannot_be_their_own_manager(client, login, admin_user, make_user, db):
    user = make_user()
    login(admin_user)
    response = client.post(f"/admin/utilisateurs/{user.id}", data=_user_data(manager_id=str(user.id), email=user.email))
    assert response.status_code == 422
    # The picker's search cannot know whom the form edits: the service refuses, next to the field.
    assert "Un utilisateur ne peut pas être son propre gestionnaire." in text(response)
    db.session.expire_all()
    assert db.session.get(User, user.id).manager_id is None


def test_manager_chain_has_no_cycle(client, login, admin_user, make_user, db):
    top = make_user()
    middle = make_user(manager=top)
    bottom = make_user(manager=middle)
    login(admin_user)
    response = client.post(
        f"/admin/utilisateurs/{top.id}",
        data=_user_data(email=top.email, employee_number=top.employee_number, manager_id=str(bottom.id)),
    )
    assert response.status_code == 422
    assert "Ce choix créerait une boucle dans la chaîne des gestionnaires." in text(response)
    db.session.expire_all()
    assert db.session.get(User, top.id).manager_id is None


def test_admin_cannot_remove_own_admin_role(client, login, admin_user, db):
    login(admin_user)
    response = client.post(
        f"/admin/utilisateurs/{admin_user.id}",
        data=_user_data(email=admin_user.email, employee_number=admin_user.employee_number, roles=["employee"]),
    )
    assert response.status_code == 422
    assert "Vous ne pouvez pas retirer votre propre rôle d'administrateur." in text(response)


def test_deactivating_a_user_ends_their_sessions(app, client, login, admin_user, make_user, db):
    user = make_user()
    their_browser = app.test_client()
    login(user, test_client=their_browser)
    assert their_browser.get("/").status_code == 200
    login(admin_user)
    assert client.post(f"/admin/utilisateurs/{user.id}/desactiver").status_code == 303
    assert their_browser.get("/").status_code == 302
    response = their_browser.post("/compte/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    assert client.post(f"/admin/utilisateurs/{user.id}/reactiver").status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).active


def test_admin_cannot_deactivate_themselves(client, login, admin_user, db):
    login(admin_user)
    assert client.post(f"/admin/utilisateurs/{admin_user.id}/desactiver").status_code == 303
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).active


def test_missing_user_is_404(client, login, admin_user):
    login(admin_user)
    assert client.get("/admin/utilisateurs/999999").status_code == 404
    assert client.post("/admin/utilisateurs/999999/desactiver").status_code == 404


def test_admin_sets_a_password(app, client, login, admin_user, make_user):
    user = make_user()
    login(admin_user)
    response = client.post(
        f"/admin/utilisateurs/{user.id}/mot-de-passe", data={"password": "set-by-admin-1", "confirm": "set-by-admin-1"}
    )
    assert response.status_code == 303
    other = app.test_client()
    assert other.post("/compte/connexion", data={"email": user.email, "password": "set-by-admin-1"}).status_code == 303


def test_one_time_link_sets_the_password_once(app, client, login, admin_user, make_user):
    user = make_user()
    login(admin_user)
    page = client.post(f"/admin/utilisateurs/{user.id}/lien-mot-de-passe").get_data(as_text=True)
    link = re.search(r'value="(http[^"]+/compte/definir-mot-de-passe/[^"]+)"', page).group(1)
    path = link.split("127.0.0.1:5000", 1)[-1] if "127.0.0.1:5000" in link else "/" + link.split("/", 3)[3]
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    response = visitor.post(path, data={"password": "chosen-by-user", "confirm": "chosen-by-user"})
    assert response.status_code == 303
    assert visitor.get(path).status_code == 404  # used once
    assert (
        visitor.post("/compte/connexion", data={"email": user.email, "password": "chosen-by-user"}).status_code == 303
    )


def test_forged_password_link_is_404(client):
    assert client.get("/compte/definir-mot-de-passe/not-a-token").status_code == 404


def test_admin_creates_and_edits_departments(client, login, admin_user, db):
    login(admin_user)
    assert (
        client.post(
            "/admin/services/nouveau", data={"name": "Service de l'eau", "code": "eau", "active": "y"}
        ).status_code
        == 303
    )
    department = db.session.query(Department).filter_by(code="EAU").one()
    response = client.post(f"/admin/services/{department.id}", data={"name": "Eau potable", "code": "EAU"})
    assert response.status_code == 303
    db.session.expire_all()
    department = db.session.get(Department, department.id)
    assert department.name == "Eau potable"
    assert not department.active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Existant", "code": "NEW"}, "Un autre service a déjà ce nom."),
        ({"name": "Nouveau", "code": "ex"}, "Un autre service a déjà ce code."),
        ({"name": "Nouveau", "code": "a b"}, "Lettres, chiffres et traits d'union seulement."),
        ({"name": "", "code": "OK"}, 'id="name-error"'),
    ],
)
def test_department_validation(client, login, admin_user, make_department, db, data, message):
    make_department(name="Existant", code="EX")
    login(admin_user)
    response = client.post("/admin/services/nouveau", data=data)
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.query(Department).count() == 1
