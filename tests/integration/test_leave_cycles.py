"""A mission is charged to the cycle it belongs to: each cycle's missions' period, the form's default cycle, the
server's choice by the dates, the refusal naming the right call, the BRI's re-check at approval, and the BRI's
decision panel (what is left after this approval, what is still pending)."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services import RuleError, decisions
from tests.factories import form_data, make_cycle, make_request, make_user

TODAY = montreal_today()
THIS_YEAR, NEXT_YEAR = TODAY.year, TODAY.year + 1


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def calendar_cycle(year: int, **fields):
    """The call of ``year``, open today, its missions within ``year``."""
    fields.setdefault("opens_on", TODAY - timedelta(days=30))
    fields.setdefault("closes_on", TODAY + timedelta(days=30))
    return make_cycle(year=year, period_start=date(year, 1, 1), period_end=date(year, 12, 31), **fields)


@pytest.fixture(autouse=True)
def _world_cycle_in_its_own_year(world):
    """The world's cycle (of a far year) takes only the missions of its year here, so that the calls of these tests
    are the only ones this year's and next year's dates belong to."""
    world.cycle.period_start, world.cycle.period_end = date(world.cycle.year, 1, 1), date(world.cycle.year, 12, 31)
    db.session.commit()


@pytest.fixture
def two_calls(world):
    """This year's call and next year's, both open today (the issue's December: the 2026 call still open while the
    2027 one is)."""
    return calendar_cycle(THIS_YEAR), calendar_cycle(NEXT_YEAR)


def june_next_year() -> dict:
    start = date(NEXT_YEAR, 6, 7)
    return {"start": start}


def requests_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LeaveRequest))


def test_a_june_mission_of_next_year_is_refused_in_this_years_call_with_the_right_call_named(
    client, login, world, two_calls
):
    this_call, next_call = two_calls
    login(world.applicant)
    before = requests_count()
    response = client.post("/conges/nouvelle", data=form_data(world, cycle_id=this_call.id, **june_next_year()))
    assert response.status_code == 422
    page = text(response)
    assert f"Ces dates relèvent de l'appel {NEXT_YEAR} (CS-{NEXT_YEAR})\xa0: choisissez-le." in page
    assert 'id="cycle_id-error"' in page
    assert requests_count() == before

    response = client.post("/conges/nouvelle", data=form_data(world, cycle_id=next_call.id, **june_next_year()))
    assert response.status_code == 303
    req = db.session.scalars(select(LeaveRequest).order_by(LeaveRequest.id.desc())).first()
    assert req.cycle_id == next_call.id and req.reference.startswith(f"CS-{NEXT_YEAR}-")


def test_dates_that_no_cycle_holds_are_refused_with_the_chosen_cycles_period(client, login, world, two_calls):
    this_call, _next = two_calls
    login(world.applicant)
    response = client.post(
        "/conges/nouvelle", data=form_data(world, cycle_id=this_call.id, start=date(NEXT_YEAR + 1, 3, 1))
    )
    assert response.status_code == 422
    assert f"Les missions de l'appel {THIS_YEAR} ont lieu du 1er janv. {THIS_YEAR} au 31 déc. {THIS_YEAR}" in text(
        response
    )


def test_a_cycle_whose_call_is_closed_is_named_but_not_offered(client, login, world):
    this_call = calendar_cycle(THIS_YEAR)
    calendar_cycle(NEXT_YEAR, opens_on=TODAY + timedelta(days=5), closes_on=TODAY + timedelta(days=60))
    login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, cycle_id=this_call.id, **june_next_year()))
    assert response.status_code == 422
    assert f"relèvent de l'appel {NEXT_YEAR} (CS-{NEXT_YEAR}), qui ne reçoit pas de candidatures" in text(response)


def test_editing_a_draft_into_next_years_dates_is_refused_too(client, login, world, two_calls):
    this_call, _next = two_calls
    req = make_request(world, "draft", cycle=this_call, start=TODAY + timedelta(days=12), length=5)
    login(world.applicant)
    data = form_data(world, cycle_id=this_call.id, version=req.version, **june_next_year())
    response = client.post(f"/conges/{req.id}/modifier", data=data)
    assert response.status_code == 422
    assert f"(CS-{NEXT_YEAR})" in text(response)
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).start_date.year == THIS_YEAR


@pytest.mark.parametrize("cycle_id", ["0", ""])
def test_without_a_chosen_cycle_the_server_takes_the_open_call_the_dates_fall_in(
    client, login, world, two_calls, cycle_id
):
    _this, next_call = two_calls
    login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, cycle_id=cycle_id, **june_next_year()))
    assert response.status_code == 303
    req = db.session.scalars(select(LeaveRequest).order_by(LeaveRequest.id.desc())).first()
    assert req.cycle_id == next_call.id and req.reference.startswith(f"CS-{NEXT_YEAR}-")


def test_without_a_chosen_cycle_dates_no_open_call_holds_are_refused(client, login, world, two_calls):
    login(world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, cycle_id="0", start=date(NEXT_YEAR + 2, 3, 1)))
    assert response.status_code == 422
    assert "Choisissez un cycle du programme." in text(response) or 'id="cycle_id-error"' in text(response)


def _selected_cycle(page: str) -> str:
    start = page.index('id="cycle_id"')
    return re.search(r'<option selected value="(\d+)"', page[start : page.index("</select>", start)]).group(1)


def test_the_form_chooses_by_default_the_call_of_the_earliest_possible_departure(client, login, world):
    # This year's call needs more notice than the days left in the year: its missions can no longer start.
    days_left = (date(THIS_YEAR, 12, 31) - TODAY).days
    calendar_cycle(THIS_YEAR, min_notice_days=days_left + 1)
    next_call = calendar_cycle(NEXT_YEAR, min_notice_days=days_left + 1)  # the earliest departure: 1 January
    login(world.applicant)
    page = client.get("/conges/nouvelle").get_data(as_text=True)
    assert _selected_cycle(page) == str(next_call.id)


def test_the_form_chooses_this_years_call_while_its_missions_can_still_start(client, login, world):
    this_call = calendar_cycle(THIS_YEAR, min_notice_days=0)
    calendar_cycle(NEXT_YEAR, min_notice_days=0)
    login(world.applicant)
    page = client.get("/conges/nouvelle").get_data(as_text=True)
    assert _selected_cycle(page) == str(this_call.id)
    assert f"{THIS_YEAR}\xa0: missions du 1er janv. {THIS_YEAR} au 31 déc. {THIS_YEAR}." in unescape(page)


def test_without_a_call_for_the_earliest_departure_the_form_takes_the_most_recent_open_one(client, login, world):
    # The world's cycle (a far year) and two calls whose periods end before the earliest departure.
    old = calendar_cycle(THIS_YEAR - 2, min_notice_days=400)
    older = calendar_cycle(THIS_YEAR - 3, min_notice_days=400)
    world.cycle.closes_on = TODAY - timedelta(days=1)  # not open any more
    db.session.commit()
    login(world.applicant)
    page = client.get("/conges/nouvelle").get_data(as_text=True)
    assert _selected_cycle(page) == str(old.id) != str(older.id)


# The BRI's approval ---------------------------------------------------------------------------------------------


def test_the_bri_approval_checks_the_period_again(client, login, world, two_calls):
    this_call, _next = two_calls
    req = make_request(world, "manager_approved", cycle=this_call, start=TODAY + timedelta(days=12), length=5)
    # Since the submission, the call's period was shortened (the cycle form): the mission is no longer in it.
    this_call.period_end = req.start_date - timedelta(days=1)
    db.session.commit()
    login(world.bri)
    response = client.post(f"/conges/{req.id}/bri/approuver", data={"version": req.version})
    assert response.status_code == 422
    assert f"Les dates de cette mission sortent de la période de l'appel {THIS_YEAR}" in text(response)
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).status == "manager_approved"
    assert db.session.scalar(select(func.count()).select_from(Transition).filter_by(action="bri_approve")) == 0


def test_the_bri_approval_names_the_call_the_mission_belongs_to(app, world, two_calls):
    this_call, next_call = two_calls
    req = make_request(world, "manager_approved", cycle=this_call, start=TODAY + timedelta(days=12), length=5)
    # The mission's dates now belong to next year's call (its period was moved to take them).
    this_call.period_end = req.start_date - timedelta(days=1)
    next_call.period_start = req.start_date
    db.session.commit()
    with app.test_request_context(), pytest.raises(RuleError) as refused:
        decisions.bri_decide(req, world.bri, "bri_approve")
    db.session.rollback()
    assert refused.value.field == "comment"
    assert f"appel {NEXT_YEAR} (CS-{NEXT_YEAR}), et non de l'appel {THIS_YEAR}" in refused.value.message


def test_the_bri_panel_shows_what_is_left_after_this_approval_and_what_is_still_pending(client, login, world):
    cycle = make_cycle(budget_envelope=Decimal("10000"), places=3)
    other = make_user(manager=world.manager)
    third = make_user(manager=world.manager)
    fourth = make_user(manager=world.manager)
    make_request(world, "approved", applicant=other, cycle=cycle, amount="2000")
    make_request(world, "submitted", applicant=third, cycle=cycle, amount="1500")
    make_request(world, "manager_approved", applicant=fourth, cycle=cycle, amount="1000")
    make_request(world, "rejected", applicant=make_user(manager=world.manager), cycle=cycle, amount="900")
    req = make_request(world, "manager_approved", cycle=cycle, amount="2500")
    login(world.bri)
    page = text(client.get(f"/conges/{req.id}"))
    assert 'data-testid="budget-envelope">10\xa0000,00\xa0$' in page
    assert 'data-testid="budget-left">8\xa0000,00\xa0$' in page
    assert 'data-testid="places-left">2 / 3' in page
    assert 'data-testid="budget-after" class="">5\xa0500,00\xa0$' in page
    assert 'data-testid="places-after" class="">1 / 3' in page
    assert "2\xa0500,00\xa0$" in page[page.index('data-testid="pending"') :]
    assert "1 demande en attente du gestionnaire\xa0: 1\xa0500,00\xa0$" in page
    assert "1 demande en attente du BRI\xa0: 1\xa0000,00\xa0$" in page


def test_the_bri_panel_warns_when_this_approval_would_exceed_the_envelope(client, login, world):
    cycle = make_cycle(budget_envelope=Decimal("1000"), places=1)
    make_request(world, "approved", applicant=make_user(manager=world.manager), cycle=cycle, amount="500")
    req = make_request(world, "manager_approved", cycle=cycle, amount="800")
    login(world.bri)
    page = text(client.get(f"/conges/{req.id}"))
    assert 'data-testid="budget-after" class="text-danger fw-bold">-300,00\xa0$' in page
    assert 'data-testid="places-after" class="text-danger fw-bold">-1 / 1' in page


def test_an_approved_request_shows_no_after_figures(client, login, world):
    req = make_request(world, "approved", cycle=make_cycle())
    login(world.bri)
    page = text(client.get(f"/conges/{req.id}"))
    assert 'data-testid="budget-left"' in page and 'data-testid="budget-after"' not in page
