"""The permission matrix: relationship to the request × status × guard, on rows that never touch the database.

The delegations are looked up through ``queries.delegators_of``, replaced here by an in-memory table.
"""

from datetime import date, timedelta

import pytest

from app.accounts.models import User
from app.leave import permissions, queries
from app.leave.models import LeaveRequest, Transition
from app.leave.workflow import STATUSES

TODAY = date(2026, 11, 29)
ALL = frozenset(STATUSES)
BEFORE_START = frozenset({"draft", "submitted", "changes_requested", "manager_approved", "approved"})

# What each person may do, by status (DOMAIN.md, with: drafts are private to the applicant and the BRI).
EXPECTED = {
    "applicant": {
        "view": ALL,
        "download": ALL,
        "edit": {"draft", "changes_requested"},
        "submit": {"draft", "changes_requested"},
        "withdraw": BEFORE_START,
        "fill_checklist": {"approved"},
    },
    "manager": {"view": ALL - {"draft"}, "download": ALL - {"draft"}, "manager_decide": {"submitted"}},
    "delegate_in_period": {"view": ALL - {"draft"}, "download": ALL - {"draft"}, "manager_decide": {"submitted"}},
    "delegate_out_of_period": {},
    "other_manager": {},
    "colleague": {},
    "bri": {
        "view": ALL,
        "download": ALL,
        "bri_decide": {"manager_approved"},
        "cancel": {"approved", "in_mission"},
        "except_checklist": {"approved"},
    },
    "admin": {},
    "anonymous": {},
}

GUARDS = {
    "view": lambda u, r: permissions.can_view(u, r, TODAY),
    "download": lambda u, r: permissions.can_download_attachment(u, r, TODAY),
    "edit": permissions.can_edit,
    "submit": permissions.can_submit,
    "withdraw": lambda u, r: permissions.can_withdraw(u, r, TODAY),
    "manager_decide": lambda u, r: permissions.can_manager_decide(u, r, TODAY),
    "bri_decide": permissions.can_bri_decide,
    "cancel": permissions.can_cancel,
    "fill_checklist": permissions.can_fill_checklist,
    "except_checklist": permissions.can_except_checklist,
}


class Anonymous:
    is_authenticated = False
    id = None

    def has_role(self, role):
        return False


def person(user_id: int, roles=("employee",), manager=None) -> User:
    user = User(
        id=user_id, full_name=f"P{user_id}", email=f"p{user_id}@example.org", employee_number=f"N{user_id}", active=True
    )
    user.roles = roles
    if manager is not None:
        user.manager = manager
        user.manager_id = manager.id
    return user


@pytest.fixture
def people(monkeypatch):
    manager = person(1, ("employee", "manager"))
    people = {
        "manager": manager,
        "applicant": person(2, manager=manager),
        "colleague": person(3, manager=manager),
        "other_manager": person(4, ("employee", "manager")),
        "delegate_in_period": person(5),
        "delegate_out_of_period": person(6),
        "bri": person(7, ("employee", "bri")),
        "admin": person(8, ("employee", "admin")),
        "anonymous": Anonymous(),
    }
    table = [(1, 5, TODAY - timedelta(days=3), TODAY + timedelta(days=3)), (1, 6, TODAY + timedelta(days=1), TODAY)]

    def delegators_of(user, day):
        return [m for m, d, start, end in table if d == getattr(user, "id", None) and start <= day <= end]

    monkeypatch.setattr(queries, "delegators_of", delegators_of)
    return people


def request_in(status: str, applicant: User, manager_decider: User | None = None) -> LeaveRequest:
    """An unsaved request in ``status`` (no database, no history but the manager's decision the guards read): the
    permission functions are pure, and these unit tests give them every status directly on purpose."""
    req = LeaveRequest(
        id=10, applicant=applicant, applicant_id=applicant.id, status=status, start_date=TODAY + timedelta(days=20)
    )
    req.end_date = req.start_date + timedelta(days=10)
    if manager_decider is not None:
        req.transitions = [
            Transition(action="manager_approve", actor=manager_decider, actor_id=manager_decider.id, from_status="x")
        ]
    return req


@pytest.mark.parametrize("guard", sorted(GUARDS))
@pytest.mark.parametrize("relation", sorted(EXPECTED))
@pytest.mark.parametrize("status", STATUSES)
def test_permission_matrix(people, status, relation, guard):
    req = request_in(status, people["applicant"], manager_decider=people["manager"])
    expected = status in EXPECTED[relation].get(guard, ())
    assert GUARDS[guard](people[relation], req) is expected


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_the_applicant_cannot_withdraw_on_or_after_the_start_date(people, status):
    req = request_in(status, people["applicant"])
    assert not permissions.can_withdraw(people["applicant"], req, req.start_date)
    assert permissions.can_withdraw(people["applicant"], req, req.start_date - timedelta(days=1))


def test_a_bri_officer_never_decides_their_own_request(people):
    bri = person(20, ("employee", "bri"), manager=people["manager"])
    req = request_in("manager_approved", bri, manager_decider=people["manager"])
    assert not permissions.can_bri_decide(bri, req)
    assert not permissions.can_cancel(bri, request_in("approved", bri))


def test_the_manager_who_approved_cannot_also_take_the_bri_decision(people):
    boss = person(21, ("employee", "manager", "bri"))
    employee = person(22, manager=boss)
    req = request_in("manager_approved", employee, manager_decider=boss)
    assert not permissions.can_bri_decide(boss, req)
    assert permissions.can_bri_decide(people["bri"], req)


def test_a_delegate_never_decides_their_own_request(people):
    # The delegate in period is also one of the manager's reports and applies.
    delegate = people["delegate_in_period"]
    delegate.manager, delegate.manager_id = people["manager"], people["manager"].id
    req = request_in("submitted", delegate)
    assert not permissions.can_manager_decide(delegate, req, TODAY)
    assert permissions.can_manager_decide(people["manager"], req, TODAY)


def test_a_delegate_decides_on_behalf_of_the_manager(people):
    req = request_in("submitted", people["applicant"])
    assert permissions.acting_on_behalf_of(people["delegate_in_period"], req) is people["manager"]
    assert permissions.acting_on_behalf_of(people["manager"], req) is None


def test_the_delegation_period_is_checked_against_the_day(people):
    req = request_in("submitted", people["applicant"])
    delegate = people["delegate_in_period"]
    assert permissions.can_manager_decide(delegate, req, TODAY + timedelta(days=3))
    assert not permissions.can_manager_decide(delegate, req, TODAY + timedelta(days=4))


def test_who_names_delegates(people):
    assert permissions.can_delegate(people["manager"])
    assert not permissions.can_delegate(people["colleague"])
    assert not permissions.can_delegate(people["anonymous"])
