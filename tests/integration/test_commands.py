"""``flask demo-data`` and ``flask create-admin``."""

from sqlalchemy import func, select

from app.accounts.models import Role, User


def _count(db):
    return db.session.scalar(select(func.count(User.id)))


def test_demo_data_covers_every_role_and_prints_the_accounts(app, db):
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    users = db.session.scalars(select(User)).all()
    assert 18 <= len(users) <= 30
    by_role = {role: [u for u in users if u.has_role(role) and u.active] for role in Role}
    assert len(by_role[Role.ADMIN]) >= 1
    assert len(by_role[Role.BRI]) >= 2
    managers = [m for m in by_role[Role.MANAGER] if m.reports]
    assert len(managers) >= 3
    for user in users:
        assert user.email in result.output
    assert users[0].check_password("demo-password-1")
    assert all(u.email.endswith("@demo.montreal.example") for u in users)


def test_demo_data_refuses_a_database_with_users_unless_forced(app, db, make_user):
    make_user()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "already has users" in result.output
    assert _count(db) == 1
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert _count(db) == 1


def test_demo_data_if_empty_loads_then_keeps_the_data(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data", "--if-empty"]).exit_code == 0
    loaded = _count(db)
    second = runner.invoke(args=["demo-data", "--if-empty"])
    assert second.exit_code == 0
    assert "nothing loaded" in second.output
    assert _count(db) == loaded


def test_demo_data_refuses_the_production_configuration(app, db):
    app.config["CONFIG_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo-data"])
    finally:
        app.config["CONFIG_NAME"] = "testing"
    assert result.exit_code != 0
    assert "production" in result.output
    assert _count(db) == 0


def test_create_admin_asks_for_a_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "Chef@Example.org"], input="a-long-password\na-long-password\n"
    )
    assert result.exit_code == 0, result.output
    user = User.by_email("chef@example.org")
    assert user.has_role("admin")
    assert user.check_password("a-long-password")


def test_create_admin_refuses_a_short_password(app, db):
    result = app.test_cli_runner().invoke(args=["create-admin", "chef@example.org"], input="short\nshort\n")
    assert result.exit_code != 0
    assert _count(db) == 0


def test_demo_data_if_empty_lists_the_demo_accounts_already_there(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert "Demo accounts (password given when they were loaded, by default demo-demo-2026):" in result.output
    assert "denis.marchand@demo.montreal.example" in result.output
    assert "; inactive)" in result.output


def test_create_admin_promotes_and_reactivates_an_existing_user(app, db, make_user):
    user = make_user(email="someone@example.org", active=False)
    result = app.test_cli_runner().invoke(
        args=["create-admin", "  SomeOne@Example.org ", "--password", "a-long-password"]
    )
    assert result.exit_code == 0, result.output
    assert "Administrator ready: someone@example.org" in result.output
    assert _count(db) == 1
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.active
    assert user.roles == {Role.ADMIN, Role.EMPLOYEE}
    assert user.check_password("a-long-password")


def test_demo_accounts_say_their_manager_and_their_language(app, db):
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo-data"]).output
    listed = runner.invoke(args=["demo-data", "--if-empty"]).output
    for output in (loaded, listed):
        lines = {line.split()[0]: line for line in output.splitlines() if "@demo.montreal.example" in line}
        assert "(manager: Bernard Lachance)" in lines["jean-robert.desir@demo.montreal.example"]
        assert "(manager: Bernard Lachance; English)" in lines["olivier.mbeki-gagnon@demo.montreal.example"]
        assert "(English)" in lines["karim.belkacem@demo.montreal.example"]
        assert "(manager: Aline Tremblay-Joseph; inactive)" in lines["denis.marchand@demo.montreal.example"]
        assert "manager:" not in lines["rodrigue.saint-fleur@demo.montreal.example"]
