"""Sessions end on the server: logging out (here or everywhere), a password change, a deactivation, an idle time
and an absolute lifetime; a cookie replayed afterwards opens nothing."""

from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import func, select, update

from app.accounts.models import UserSession, session_digest
from app.accounts.services import password_link_token
from app.core.database import utcnow
from tests.factories import DEFAULT_PASSWORD

LOGIN = "/compte/connexion"
PAGE = "/conges/"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def session_token(app, client) -> str:
    """The session's token, as Flask-Login keeps it in the (signed) session cookie."""
    return app.session_interface.get_signing_serializer(app).loads(session_cookie(client))["_user_id"]


def sessions_of(db, user) -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id))


def opens(client) -> bool:
    response = client.get(PAGE)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response.headers["Location"].startswith(LOGIN)
    return response.status_code == 200


def move_times(db, user, **ago) -> None:
    """Move the user's session rows back in time: ``last_seen_at=timedelta(...)``, ``created_at=...``."""
    now = utcnow()
    db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id).values({k: now - v for k, v in ago.items()})
    )
    db.session.commit()


@pytest.fixture
def user(make_user):
    return make_user()


def test_login_opens_a_session_row_that_keeps_only_a_digest_of_the_token(app, client, login, user, db):
    login(user)
    token = session_token(app, client)
    [row] = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    assert row.id == session_digest(token) != token
    assert user.session_token != token  # no longer the user's own token either


def test_replaying_the_session_cookie_after_logout_opens_nothing(app, client, login, user, db):
    login(user)
    cookie = session_cookie(client)
    assert opens(client)
    assert client.post("/compte/deconnexion").status_code == 303
    assert sessions_of(db, user) == 0
    client.set_cookie("session", cookie)
    assert not opens(client)
    # Nor in another browser.
    other = app.test_client()
    other.set_cookie("session", cookie)
    assert not opens(other)


def test_a_replayed_remember_cookie_opens_nothing_once_logged_out(app, client, login, user):
    login(user)
    with app.test_request_context():
        remember = encode_cookie(session_token(app, client))
    while_open = app.test_client()
    while_open.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert opens(while_open)  # the same token, while the session lives
    client.post("/compte/deconnexion")
    after = app.test_client()
    after.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert not opens(after)


def test_logging_out_one_browser_keeps_the_others(app, client, login, user):
    other = login(user, test_client=app.test_client())
    login(user)
    client.post("/compte/deconnexion")
    assert opens(other)


def test_log_out_everywhere_ends_every_session_of_the_user_only(app, client, login, user, make_user, db):
    phone = login(user, test_client=app.test_client())
    colleague = make_user()
    colleagues_browser = login(colleague, test_client=app.test_client())
    login(user)
    cookie = session_cookie(client)
    assert 'data-testid="logout-everywhere"' in client.get("/").get_data(as_text=True)
    response = client.post("/compte/deconnexion-partout")
    assert response.status_code == 303 and response.headers["Location"] == LOGIN
    assert not opens(phone)
    assert not opens(client)
    client.set_cookie("session", cookie)
    assert not opens(client)
    assert sessions_of(db, user) == 0
    assert opens(colleagues_browser)


def test_log_out_everywhere_is_a_post_for_logged_in_users(client, login, user):
    assert client.post("/compte/deconnexion-partout").status_code == 302  # to the login page
    login(user)
    assert client.get("/compte/deconnexion-partout").status_code == 405


@pytest.mark.parametrize(("minutes", "still_open"), [(59, True), (61, False)])
def test_a_session_ends_after_the_idle_time(app, client, login, user, db, minutes, still_open):
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    login(user)
    move_times(db, user, last_seen_at=timedelta(minutes=minutes))
    assert opens(client) is still_open


def test_the_idle_time_comes_from_the_configuration(app, client, login, user, db, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    login(user)
    move_times(db, user, last_seen_at=timedelta(minutes=6))
    assert not opens(client)


@pytest.mark.parametrize(
    ("age", "still_open"), [(timedelta(hours=11, minutes=59), True), (timedelta(hours=12, minutes=1), False)]
)
def test_a_session_ends_after_its_lifetime_even_when_used(app, client, login, user, db, age, still_open):
    assert app.config["SESSION_LIFETIME_HOURS"] == 12
    login(user)
    move_times(db, user, created_at=age, last_seen_at=timedelta(seconds=5))
    assert opens(client) is still_open


def test_the_last_visit_is_written_at_most_once_a_minute(client, login, user, db):
    login(user)
    move_times(db, user, last_seen_at=timedelta(seconds=30))
    before = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user.id))
    assert opens(client)
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user.id)) == before
    move_times(db, user, last_seen_at=timedelta(minutes=50))
    assert opens(client)
    db.session.expire_all()
    seen = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user.id))
    assert utcnow() - seen < timedelta(seconds=30)
    # So that a session used every few minutes never reaches the idle time.
    move_times(db, user, last_seen_at=timedelta(minutes=50), created_at=timedelta(hours=1))
    assert opens(client)
    move_times(db, user, last_seen_at=timedelta(minutes=50), created_at=timedelta(hours=1))
    assert opens(client)


def test_the_daily_job_deletes_the_sessions_that_are_over(app, login, make_user, db):
    idle, old, live = make_user(), make_user(), make_user()
    for person in (idle, old, live):
        login(person, test_client=app.test_client())
    move_times(db, idle, last_seen_at=timedelta(minutes=61))
    move_times(db, old, created_at=timedelta(hours=13), last_seen_at=timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["workflow", "tick"])
    assert result.exit_code == 0, result.output
    assert "end_idle_sessions: 2 session(s) ended" in result.output
    db.session.expire_all()
    assert [sessions_of(db, person) for person in (idle, old, live)] == [0, 0, 1]


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, login, user, db):
    other_browser = login(user, test_client=app.test_client())
    old_cookie = session_cookie(other_browser)
    login(user)
    response = client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"},
    )
    assert response.status_code == 303
    assert opens(client)
    assert not opens(other_browser)
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert not opens(replay)
    assert sessions_of(db, user) == 1


def test_deactivation_by_an_administrator_ends_the_sessions_even_after_a_reactivation(
    app, client, login, admin_user, user, db
):
    their_browser = login(user, test_client=app.test_client())
    cookie = session_cookie(their_browser)
    login(admin_user)
    assert client.post(f"/admin/utilisateurs/{user.id}/desactiver").status_code == 303
    assert not opens(their_browser)
    assert sessions_of(db, user) == 0
    assert client.post(f"/admin/utilisateurs/{user.id}/reactiver").status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert not opens(replay)


def test_deactivation_through_the_user_form_ends_the_sessions(app, client, login, admin_user, user, db):
    their_browser = login(user, test_client=app.test_client())
    login(admin_user)
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "employee_number": user.employee_number,
        "department_id": 0,
        "manager_id": 0,
        "roles": ["employee"],
        "language": "fr",
    }  # "active" unticked
    assert client.post(f"/admin/utilisateurs/{user.id}", data=data).status_code == 303
    assert sessions_of(db, user) == 0
    assert not opens(their_browser)


def test_a_password_set_by_an_administrator_ends_the_users_sessions_not_the_administrators(
    app, client, login, admin_user, user, db
):
    their_browser = login(user, test_client=app.test_client())
    login(admin_user)
    data = {"password": "set-by-admin-1", "confirm": "set-by-admin-1"}
    assert client.post(f"/admin/utilisateurs/{user.id}/mot-de-passe", data=data).status_code == 303
    assert not opens(their_browser)
    # Their own password: the administrator's other sessions end, this one stays.
    admins_phone = login(admin_user, test_client=app.test_client())
    assert client.post(f"/admin/utilisateurs/{admin_user.id}/mot-de-passe", data=data).status_code == 303
    assert opens(client)
    assert not opens(admins_phone)


def test_a_password_set_by_link_ends_the_sessions(app, client, login, user, make_user, db):
    their_browser = login(user, test_client=app.test_client())
    path = f"/compte/definir-mot-de-passe/{password_link_token(user)}"
    # Someone else was logged in in the browser where the link is opened: logged out too.
    login(make_user())
    assert client.post(path, data={"password": "chosen-by-user", "confirm": "chosen-by-user"}).status_code == 303
    assert not opens(their_browser)
    assert not opens(client)
    assert sessions_of(db, user) == 0


def test_a_cookie_of_the_old_kind_opens_nothing(app, user):
    """Before sessions had rows the cookie carried the user's session_token: it no longer opens anything."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.session_token
        flask_session["_fresh"] = True
    assert not opens(client)


def test_a_login_with_a_wrong_password_opens_no_session(client, user, db):
    assert client.post(LOGIN, data={"email": user.email, "password": "wrong-password"}).status_code == 422
    assert sessions_of(db, user) == 0
