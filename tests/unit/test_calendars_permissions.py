"""Who sees which calendar, who renews a feed (app/calendars/permissions.py): role × relationship."""

from types import SimpleNamespace

import pytest

from app.calendars.permissions import can_renew_feed, can_see_calendar, sees_every_mission


def person(id_, *roles, authenticated=True):
    return SimpleNamespace(id=id_, is_authenticated=authenticated, has_role=lambda role: role in roles)


ANONYMOUS = SimpleNamespace(id=None, is_authenticated=False, has_role=lambda role: False)


@pytest.mark.parametrize(
    ("user", "sees", "every"),
    [
        (person(1, "employee"), True, False),
        (person(2, "employee", "manager"), True, False),
        (person(3, "employee", "bri"), True, True),
        (person(4, "employee", "admin"), True, False),
        (ANONYMOUS, False, False),
        (None, False, False),
    ],
)
def test_everyone_signed_in_has_a_calendar_and_the_bri_sees_every_mission(user, sees, every):
    assert can_see_calendar(user) is sees
    assert sees_every_mission(user) is every


@pytest.mark.parametrize("roles", [("employee",), ("employee", "bri"), ("employee", "admin")])
@pytest.mark.parametrize(("actor_id", "allowed"), [(1, True), (2, False)])
def test_only_the_owner_renews_their_feed(roles, actor_id, allowed):
    owner = person(1, "employee")
    assert can_renew_feed(person(actor_id, *roles), owner) is allowed
    assert can_renew_feed(ANONYMOUS, owner) is False
