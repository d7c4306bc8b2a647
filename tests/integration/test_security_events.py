"""The security events of the accounts and the administration: one JSON line on stderr each, saying who did what
to whom, never a password."""

import json

import pytest

from app.accounts.services import password_link_token
from tests.factories import DEFAULT_PASSWORD

LOGIN = "/compte/connexion"


def events(capsys, name: str | None = None) -> list[dict]:
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    return [line for line in lines if name is None or line["event"] == name]


def user_data(user, **changes) -> dict:
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "employee_number": user.employee_number,
        "department_id": user.department_id or 0,
        "manager_id": user.manager_id or 0,
        "roles": sorted(user.roles),
        "language": user.language,
        "active": "y" if user.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_login_success_and_failure_are_logged_with_the_email_tried_never_the_password(client, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    client.post(LOGIN, data={"email": " Gabrielle@Example.org", "password": "not-the-password-1"})
    client.post(LOGIN, data={"email": "nobody@example.org", "password": "not-the-password-2"})
    client.post(LOGIN, data={"email": user.email, "password": DEFAULT_PASSWORD})
    output = capsys.readouterr().err
    assert "not-the-password" not in output and DEFAULT_PASSWORD not in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    failures = [e for e in lines if e["event"] == "login" and e["outcome"] == "failure"]
    assert [e["email"] for e in failures] == ["gabrielle@example.org", "nobody@example.org"]
    assert all(e["user"] is None and e["address"] == "127.0.0.1" and e["request_id"] for e in failures)
    [success] = [e for e in lines if e["event"] == "login" and e["outcome"] == "success"]
    assert success["user"] == "gabrielle@example.org" and success["user_id"] == user.id and "time" in success


def test_logout_and_log_out_everywhere_are_logged(app, client, login, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    login(user, test_client=app.test_client())
    login(user)
    client.post("/compte/deconnexion")
    [logout] = events(capsys, "logout")
    assert logout["outcome"] == "success" and logout["user"] == "gabrielle@example.org"
    login(user)
    client.post("/compte/deconnexion-partout")
    [everywhere] = events(capsys, "logout_everywhere")
    assert everywhere["user"] == "gabrielle@example.org" and everywhere["sessions_ended"] == 2


def test_password_changes_are_logged_success_and_failure(app, client, login, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    login(user, test_client=app.test_client())
    login(user)
    new = "mouette violon tramway"
    client.post("/compte/mot-de-passe", data={"current_password": "wrong-one", "password": new, "confirm": new})
    client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": "password1234", "confirm": "password1234"},
    )
    client.post("/compte/mot-de-passe", data={"current_password": DEFAULT_PASSWORD, "password": new, "confirm": new})
    output = capsys.readouterr().err
    assert new not in output and "password1234" not in output
    changes = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    changes = [
        (e["outcome"], e.get("reason"), e.get("sessions_ended")) for e in changes if e["event"] == "password_change"
    ]
    assert changes == [("failure", "wrong_current_password", None), ("failure", "refused", None), ("success", None, 1)]


def test_a_password_reset_by_link_is_logged_and_so_is_a_bad_link(app, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    visitor = app.test_client()
    assert visitor.get("/compte/definir-mot-de-passe/forged").status_code == 404
    [bad] = events(capsys, "password_reset")
    assert bad["outcome"] == "failure" and bad["reason"] == "invalid_link"
    new = "mouette violon tramway"
    path = f"/compte/definir-mot-de-passe/{password_link_token(user)}"
    assert visitor.post(path, data={"password": new, "confirm": new}).status_code == 303
    [reset] = events(capsys, "password_reset")
    assert reset["outcome"] == "success" and reset["target"] == "gabrielle@example.org"
    assert reset["target_id"] == user.id and reset["user"] is None


@pytest.fixture
def admin_client(client, login, admin_user, capsys):
    login(admin_user)
    capsys.readouterr()
    return client


def test_an_administrator_creating_a_user_is_logged(admin_client, capsys):
    data = {
        "full_name": "Gabrielle Tremblay",
        "email": "gabrielle@example.org",
        "employee_number": "E-4242",
        "department_id": 0,
        "manager_id": 0,
        "roles": ["employee", "manager"],
        "language": "fr",
        "active": "y",
    }
    assert admin_client.post("/admin/utilisateurs/nouveau", data=data).status_code == 303
    [created] = events(capsys, "admin_user_created")
    assert created["user"] == "admin@example.org" and created["target"] == "gabrielle@example.org"
    assert created["roles"] == ["employee", "manager"] and created["active"] is True and created["target_id"]


def test_an_administrator_changing_a_user_and_their_roles_is_logged(admin_client, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    data = user_data(user, full_name="Gabrielle Tremblay-Roy", roles=["employee", "bri"])
    assert admin_client.post(f"/admin/utilisateurs/{user.id}", data=data).status_code == 303
    lines = events(capsys)
    [changed] = [e for e in lines if e["event"] == "admin_user_changed"]
    assert changed["user"] == "admin@example.org" and changed["target_id"] == user.id
    assert changed["changed"] == ["full_name", "roles"]
    [roles] = [e for e in lines if e["event"] == "admin_roles_changed"]
    assert roles["added"] == ["bri"] and roles["removed"] == [] and roles["target"] == "gabrielle@example.org"
    assert not [e for e in lines if e["event"].startswith("admin_user_de")]


def test_an_administrator_deactivating_through_the_form_is_logged(admin_client, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    assert admin_client.post(f"/admin/utilisateurs/{user.id}", data=user_data(user, active="")).status_code == 303
    lines = events(capsys)
    assert [e["changed"] for e in lines if e["event"] == "admin_user_changed"] == [["active"]]
    assert [e["target"] for e in lines if e["event"] == "admin_user_deactivated"] == ["gabrielle@example.org"]


def test_deactivation_and_reactivation_are_logged(admin_client, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    admin_client.post(f"/admin/utilisateurs/{user.id}/desactiver")
    admin_client.post(f"/admin/utilisateurs/{user.id}/reactiver")
    lines = [(e["event"], e["user"], e["target"]) for e in events(capsys) if e["event"].startswith("admin_")]
    assert lines == [
        ("admin_user_deactivated", "admin@example.org", "gabrielle@example.org"),
        ("admin_user_reactivated", "admin@example.org", "gabrielle@example.org"),
    ]


def test_a_refused_administration_change_writes_no_success(admin_client, admin_user, capsys):
    admin_client.post(f"/admin/utilisateurs/{admin_user.id}/desactiver")  # not oneself
    assert not [e for e in events(capsys) if e["event"].startswith("admin_")]


def test_a_password_set_and_a_link_issued_by_an_administrator_are_logged(admin_client, make_user, capsys):
    user = make_user(email="gabrielle@example.org")
    new = "mouette violon tramway"
    admin_client.post(
        f"/admin/utilisateurs/{user.id}/mot-de-passe", data={"password": "password1234", "confirm": "password1234"}
    )
    assert not events(capsys, "admin_password_set")  # refused: nothing set
    admin_client.post(f"/admin/utilisateurs/{user.id}/mot-de-passe", data={"password": new, "confirm": new})
    admin_client.post(f"/admin/utilisateurs/{user.id}/lien-mot-de-passe")
    output = capsys.readouterr().err
    assert new not in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    lines = [(e["event"], e["user"], e["target"]) for e in lines if e["event"].startswith("admin_")]
    assert lines == [
        ("admin_password_set", "admin@example.org", "gabrielle@example.org"),
        ("admin_password_link_issued", "admin@example.org", "gabrielle@example.org"),
    ]


def test_departments_created_and_changed_are_logged(admin_client, capsys):
    admin_client.post("/admin/services/nouveau", data={"name": "Service de l'eau", "code": "eau", "active": "y"})
    [created] = events(capsys, "admin_department_created")
    assert created["department"] == "EAU" and created["user"] == "admin@example.org"
    admin_client.post(f"/admin/services/{created['department_id']}", data={"name": "Eau", "code": "EAU"})
    [changed] = events(capsys, "admin_department_changed")
    assert changed["department_id"] == created["department_id"]
