"""What every page spends before its own statements: the session with its user and roles (one statement), the
navigation's counts (one statement, whatever the size of the reader's team)."""

import re
from datetime import timedelta

from app.core.database import montreal_today, utcnow
from app.core.notifications import Notification
from tests.factories import delegate, make_user, text


def test_the_session_user_and_roles_come_in_one_statement_and_the_navigation_in_another(
    client, login, world, count_queries
):
    login(world.manager)
    client.get("/notifications")
    with count_queries() as statements:
        page = text(client.get("/notifications"))
    assert "À approuver" in page
    assert not any("FROM user_role" in s for s in statements), "roles loaded apart from the session"
    assert sum("FROM user_session" in s for s in statements) == 1
    navigation = [s for s in statements if "read_at IS NULL" in s]
    assert len(navigation) == 1 and "delegation" in navigation[0]
    # The session, the navigation, the page's rows and its capped count: nothing else.
    assert len(statements) == 4


def test_the_navigation_costs_the_same_whatever_the_size_of_the_team(client, login, count_queries):
    boss = make_user()
    make_user(manager=boss)
    login(boss)
    client.get("/notifications")
    with count_queries() as small:
        client.get("/notifications")
    for _ in range(30):
        make_user(manager=boss)
    with count_queries() as large:
        client.get("/notifications")
    assert len(large) == len(small)
    # The team is asked about with EXISTS, never loaded.
    assert not any(re.search(r"user\.manager_id\s*=|=\s*user\.manager_id", s) and "EXISTS" not in s for s in large)


def test_to_approve_is_shown_to_whoever_has_a_queue(client, login, world):
    employee = make_user(manager=world.manager)
    team_lead = make_user()  # no manager role, but a direct report
    make_user(manager=team_lead)
    assert "À approuver" not in text(login(employee).get("/notifications"))
    client.post("/compte/deconnexion")
    assert "À approuver" in text(login(team_lead).get("/notifications"))
    client.post("/compte/deconnexion")
    stand_in = make_user()
    today = montreal_today()
    delegate(world.manager, stand_in, today - timedelta(days=1), today + timedelta(days=1))
    assert "À approuver" in text(login(stand_in).get("/notifications"))


def test_the_unread_count_is_that_of_the_reader(client, login, db):
    me, other = make_user(), make_user()
    for recipient, subject, read in [
        (me, "a", False),
        (me, "b", False),
        (me, "c", False),
        (me, "d", True),
        (other, "e", False),
    ]:
        db.session.add(Notification(recipient=recipient, subject=subject, body="", read_at=utcnow() if read else None))
    db.session.commit()
    assert "(3 notifications non lues)" in text(login(me).get("/"))
    # The same statement (built once for readers of these roles) counts the other reader's own.
    assert "(1 notification non lue)" in text(login(other, test_client=client.application.test_client()).get("/"))


def test_the_statement_is_built_once_for_readers_of_the_same_roles(app, login, world):
    from app.core import navigation

    navigation._STATEMENTS.clear()
    for reader in (world.colleague, world.applicant):
        assert "À approuver" not in text(login(reader, test_client=app.test_client()).get("/notifications"))
    # One statement for both employees, read with each one's id.
    assert len(navigation._STATEMENTS) == 1
    assert "À approuver" in text(login(world.manager, test_client=app.test_client()).get("/notifications"))
    assert len(navigation._STATEMENTS) == 2
