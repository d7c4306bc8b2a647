"""Every action through the test client: 303 on success, 403, 404, 405, 409 (already decided, stale), comment
required, budget and places, two different deciders, delegation recorded "au nom de"."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from tests.factories import client_for, delegate, make_request, make_user

ACTIONS = {
    # endpoint suffix: (status before, who acts, status after, comment required)
    "soumettre": ("draft", "applicant", "submitted", False),
    "retirer": ("submitted", "applicant", "withdrawn", False),
    "gestionnaire/approuver": ("submitted", "manager", "manager_approved", False),
    "gestionnaire/refuser": ("submitted", "manager", "rejected", True),
    "gestionnaire/modifications": ("submitted", "manager", "changes_requested", True),
    "bri/approuver": ("manager_approved", "bri", "approved", False),
    "bri/refuser": ("manager_approved", "bri", "rejected", True),
    "bri/modifications": ("manager_approved", "bri", "changes_requested", True),
    "annuler": ("approved", "bri", "cancelled", True),
}
WRONG_PEOPLE = ["colleague", "other_manager", "admin", "delegate"]


def text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def as_(app):
    return lambda user: client_for(app, user)


def transitions_of(req) -> list[str]:
    db.session.expire_all()
    return [t.action for t in db.session.scalars(select(Transition).filter_by(request_id=req.id).order_by("id"))]


def status_of(req) -> str:
    db.session.expire_all()
    return db.session.get(LeaveRequest, req.id).status


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_succeeds_with_a_303_and_one_transition(world, as_, action):
    before, who, after, _ = ACTIONS[action]
    req = make_request(world, before)
    history = transitions_of(req)
    response = as_(getattr(world, who)).post(
        f"/conges/{req.id}/{action}", data={"comment": "Une raison.", "version": req.version}
    )
    assert response.status_code == 303, text(response)[:2000]
    assert response.headers["Location"].endswith(f"/conges/{req.id}")
    assert status_of(req) == after
    assert len(transitions_of(req)) == len(history) + 1


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_get_on_an_action_is_405(world, as_, action):
    req = make_request(world, ACTIONS[action][0])
    assert as_(world.applicant).get(f"/conges/{req.id}/{action}").status_code == 405


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_action_on_a_missing_request_is_404(world, as_, action):
    assert as_(world.bri).post(f"/conges/999/{action}", data={"comment": "x"}).status_code == 404


@pytest.mark.parametrize("who", WRONG_PEOPLE)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_wrong_people_get_403_and_nothing_changes(world, as_, action, who):
    before, rightful, _, _ = ACTIONS[action]
    req = make_request(world, before)
    history = transitions_of(req)
    response = as_(getattr(world, who)).post(f"/conges/{req.id}/{action}", data={"comment": "x"})
    assert response.status_code == 403
    assert status_of(req) == before
    assert transitions_of(req) == history


@pytest.mark.parametrize("action", [a for a, spec in ACTIONS.items() if spec[3]])
def test_a_missing_comment_is_shown_next_to_the_field_and_nothing_changes(world, as_, action):
    before, who, _, _ = ACTIONS[action]
    req = make_request(world, before)
    history = transitions_of(req)
    response = as_(getattr(world, who)).post(f"/conges/{req.id}/{action}", data={"comment": "  "})
    assert response.status_code == 422
    page = text(response)
    assert 'id="comment-error"' in page
    assert "Un commentaire est obligatoire" in page
    assert status_of(req) == before
    assert transitions_of(req) == history


@pytest.mark.parametrize("action", ["gestionnaire/approuver", "gestionnaire/refuser", "bri/approuver", "annuler"])
def test_a_decision_already_taken_is_a_409_showing_the_current_status(world, as_, action):
    before, who, after, _ = ACTIONS[action]
    req = make_request(world, before)
    client = as_(getattr(world, who))
    data = {"comment": "Une raison."}
    assert client.post(f"/conges/{req.id}/{action}", data=data).status_code == 303
    second = client.post(f"/conges/{req.id}/{action}", data=data)
    assert second.status_code == 409
    assert 'data-testid="current-status"' in text(second)
    assert f'data-status="{after}"' in text(second)
    assert len([a for a in transitions_of(req) if a != "submit"]) >= 1


def test_a_decision_from_a_stale_page_is_a_409(world, as_):
    req = make_request(world, "submitted")
    stale_version = req.version
    # The applicant withdraws while the manager's page is open.
    assert as_(world.applicant).post(f"/conges/{req.id}/retirer", data={"version": stale_version}).status_code == 303
    response = as_(world.manager).post(
        f"/conges/{req.id}/gestionnaire/approuver", data={"version": stale_version, "comment": ""}
    )
    assert response.status_code == 409
    assert "La demande a changé" in text(response)
    assert "Retirée" in text(response)
    assert transitions_of(req) == ["submit", "withdraw"]


def test_a_stale_version_is_refused_even_when_the_status_would_allow_the_action(world, as_):
    req = make_request(world, "changes_requested")
    old = req.version
    client = as_(world.applicant)
    client.post(f"/conges/{req.id}/soumettre", data={"version": old})
    as_(world.manager).post(f"/conges/{req.id}/gestionnaire/modifications", data={"comment": "Encore."})
    assert status_of(req) == "changes_requested"
    assert client.post(f"/conges/{req.id}/soumettre", data={"version": old}).status_code == 409


def test_withdraw_is_refused_once_the_mission_has_started(world, as_):
    today = montreal_today()
    req = make_request(world, "approved", start=today, end=today + timedelta(days=5))
    response = as_(world.applicant).post(f"/conges/{req.id}/retirer", data={})
    assert response.status_code in (403, 409, 422)
    assert status_of(req) == "approved"


def test_an_approved_mission_can_be_withdrawn_before_it_starts(world, as_):
    req = make_request(world, "approved")
    assert as_(world.applicant).post(f"/conges/{req.id}/retirer", data={}).status_code == 303
    assert status_of(req) == "withdrawn"


def test_the_bri_cancels_a_mission_in_progress(world, as_):
    req = make_request(world, "in_mission", start=montreal_today() + timedelta(days=12))
    assert as_(world.bri).post(f"/conges/{req.id}/annuler", data={"comment": "Avis aux voyageurs"}).status_code == 303
    assert status_of(req) == "cancelled"


def test_the_manager_cannot_approve_their_own_request_even_as_bri(world, as_):
    boss = make_user(roles=("employee", "manager", "bri"), manager=world.other_manager)
    employee = make_user(manager=boss)
    own = make_request(world, "manager_approved", applicant=boss)
    assert as_(boss).post(f"/conges/{own.id}/bri/approuver", data={}).status_code == 403
    theirs = make_request(world, "submitted", applicant=employee)
    client = as_(boss)
    assert client.post(f"/conges/{theirs.id}/gestionnaire/approuver", data={}).status_code == 303
    # The same person cannot take the BRI decision too.
    assert client.post(f"/conges/{theirs.id}/bri/approuver", data={}).status_code == 403
    assert as_(world.bri).post(f"/conges/{theirs.id}/bri/approuver", data={}).status_code == 303


def test_a_delegate_decides_on_behalf_of_the_manager_and_the_history_says_so(world, as_):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    client = as_(world.delegate)
    assert client.post(f"/conges/{req.id}/gestionnaire/approuver", data={}).status_code == 303
    db.session.expire_all()
    last = db.session.scalars(select(Transition).filter_by(request_id=req.id).order_by(Transition.id.desc())).first()
    assert last.actor_id == world.delegate.id
    assert last.on_behalf_of_id == world.manager.id
    page = text(client.get(f"/conges/{req.id}"))
    assert "par Thomas Bergeron au nom de Bernard Lachance" in page


def test_an_expired_delegation_gives_no_power(world, as_):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=10), today - timedelta(days=1))
    assert as_(world.delegate).post(f"/conges/{req.id}/gestionnaire/approuver", data={}).status_code == 403


def test_the_bri_approval_is_refused_beyond_the_budget_envelope(world, as_):
    world.cycle.budget_envelope = Decimal("5000")
    db.session.commit()
    make_request(world, "approved", amount="2500")
    other = make_user(manager=world.manager)
    req = make_request(world, "manager_approved", applicant=other, amount="2600")
    response = as_(world.bri).post(f"/conges/{req.id}/bri/approuver", data={})
    assert response.status_code == 422
    page = text(response)
    assert "dépasserait le budget" in page
    assert "2 600,00 $" in page and "2 500,00 $" in page
    assert status_of(req) == "manager_approved"


def test_the_bri_approval_is_refused_when_no_place_is_left(world, as_):
    world.cycle.places = 1
    db.session.commit()
    make_request(world, "in_mission", start=montreal_today() + timedelta(days=3))
    other = make_user(manager=world.manager)
    req = make_request(world, "manager_approved", applicant=other)
    response = as_(world.bri).post(f"/conges/{req.id}/bri/approuver", data={})
    assert response.status_code == 422
    assert "n'a plus de place" in text(response)
    assert status_of(req) == "manager_approved"


def test_withdrawn_rejected_and_cancelled_requests_do_not_hold_budget(world, as_):
    world.cycle.places = 1
    db.session.commit()
    for status in ("withdrawn", "rejected", "cancelled"):
        make_request(world, status, applicant=make_user(manager=world.manager))
    req = make_request(world, "manager_approved")
    assert as_(world.bri).post(f"/conges/{req.id}/bri/approuver", data={}).status_code == 303


def test_submission_outside_the_application_window_is_refused(world, as_):
    world.cycle.closes_on = montreal_today() - timedelta(days=1)
    db.session.commit()
    req = make_request(world, "draft")
    response = as_(world.applicant).post(f"/conges/{req.id}/soumettre", data={})
    assert response.status_code == 422
    assert "sont reçues du" in text(response)
    assert status_of(req) == "draft"


def test_an_applicant_without_manager_cannot_submit(world, as_):
    loner = make_user()
    req = make_request(world, "draft", applicant=loner)
    response = as_(loner).post(f"/conges/{req.id}/soumettre", data={})
    assert response.status_code == 422
    assert 'data-testid="action-error"' in text(response)
    assert status_of(req) == "draft"


def test_a_double_click_on_a_decision_writes_one_transition(world, as_):
    req = make_request(world, "submitted")
    client = as_(world.manager)
    data = {"version": req.version}
    codes = [client.post(f"/conges/{req.id}/gestionnaire/approuver", data=data).status_code for _ in range(2)]
    assert codes == [303, 409]
    assert db.session.scalar(select(func.count()).select_from(Transition).filter_by(action="manager_approve")) == 1


def test_the_request_page_shows_only_the_buttons_the_user_may_use(world, as_):
    req = make_request(world, "submitted")
    manager_page = text(as_(world.manager).get(f"/conges/{req.id}"))
    assert "/gestionnaire/approuver" in manager_page and "/bri/approuver" not in manager_page
    applicant_page = text(as_(world.applicant).get(f"/conges/{req.id}"))
    assert "/gestionnaire/approuver" not in applicant_page and "/retirer" in applicant_page
    bri_page = text(as_(world.bri).get(f"/conges/{req.id}"))
    assert "/approuver" not in bri_page and "/annuler" not in bri_page


def test_delegations_page_names_and_ends_a_delegate(world, as_):
    client = as_(world.manager)
    today = montreal_today()
    assert client.get("/conges/delegations").status_code == 200
    bad = client.post(
        "/conges/delegations",
        data={"delegate_id": world.delegate.id, "starts_on": today.isoformat(), "ends_on": "2000-01-01"},
    )
    assert bad.status_code == 422
    assert 'id="ends_on-error"' in text(bad)
    good = client.post(
        "/conges/delegations",
        data={
            "delegate_id": world.delegate.id,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=7)).isoformat(),
        },
    )
    assert good.status_code == 303
    from app.core.notifications import Notification
    from app.leave.models import Delegation

    delegation = db.session.scalar(select(Delegation))
    assert delegation.delegate_id == world.delegate.id
    assert db.session.scalar(select(Notification).filter_by(recipient_id=world.delegate.id)) is not None
    assert as_(world.colleague).post(f"/conges/delegations/{delegation.id}/terminer").status_code == 403
    assert as_(world.colleague).get("/conges/delegations").status_code == 403
    assert client.get(f"/conges/delegations/{delegation.id}/terminer").status_code == 405
    assert client.post(f"/conges/delegations/{delegation.id}/terminer").status_code == 303
    assert client.post("/conges/delegations/999/terminer").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
