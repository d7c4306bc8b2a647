"""The clash check on the decision panels: who else of the department is away on overlapping dates."""

from datetime import date

import pytest

from app.leave.queries import CLASHES_SHOWN
from tests.factories import client_for, make_department, make_user, text


@pytest.fixture
def colleague_away(world, make_mission):
    return make_mission("approved", applicant=world.colleague, start=date(2027, 3, 8), end=date(2027, 3, 19))


def _panel(page: str) -> str:
    return page.split('data-testid="clashes"')[1].split("</section>")[0] if 'data-testid="clashes"' in page else ""


def test_the_manager_sees_who_else_of_the_department_is_away(app, world, make_mission, colleague_away):
    req = make_mission("submitted", start=date(2027, 3, 1), end=date(2027, 3, 12))
    panel = _panel(text(client_for(app, world.manager).get(f"/conges/{req.id}")))
    assert "Nadia Ferland" in panel and "8 mars 2027" in panel and "19 mars 2027" in panel


def test_the_bri_sees_it_on_its_decision_panel_pending_ones_marked(app, world, make_mission):
    make_mission("submitted", applicant=world.colleague, start=date(2027, 3, 8), end=date(2027, 3, 19))
    req = make_mission("manager_approved", start=date(2027, 3, 1), end=date(2027, 3, 12))
    panel = _panel(text(client_for(app, world.bri).get(f"/conges/{req.id}")))
    assert "Nadia Ferland" in panel and "en attente" in panel


def test_no_clash_no_list(app, world, make_mission, colleague_away):
    req = make_mission("submitted", start=date(2027, 4, 5), end=date(2027, 4, 16))
    page = text(client_for(app, world.manager).get(f"/conges/{req.id}"))
    assert 'data-testid="approve"' in page and 'data-testid="clashes"' not in page


def test_other_departments_finished_and_refused_requests_do_not_clash(app, world, make_mission):
    elsewhere = make_user(full_name="Karim Belkacem", manager=world.manager, department=make_department())
    make_mission("approved", applicant=elsewhere, start=date(2027, 3, 8), end=date(2027, 3, 19))
    make_mission("rejected", applicant=world.colleague, start=date(2027, 3, 8), end=date(2027, 3, 19))
    req = make_mission("submitted", start=date(2027, 3, 1), end=date(2027, 3, 12))
    assert 'data-testid="clashes"' not in text(client_for(app, world.manager).get(f"/conges/{req.id}"))


def test_at_most_five_are_named_then_and_n_others(app, world, make_mission):
    for n in range(CLASHES_SHOWN + 2):
        person = make_user(full_name=f"Collègue {n}", manager=world.manager, department=world.department)
        make_mission("approved", applicant=person, start=date(2027, 3, 2 + n), end=date(2027, 3, 20))
    req = make_mission("submitted", start=date(2027, 3, 1), end=date(2027, 3, 12))
    panel = _panel(text(client_for(app, world.manager).get(f"/conges/{req.id}")))
    assert panel.count("<li>") == CLASHES_SHOWN
    assert "et 2 autres" in panel
    assert "Collègue 0" in panel and "Collègue 6" not in panel


def test_the_panel_is_only_beside_a_decision(app, world, make_mission, colleague_away):
    req = make_mission("submitted", start=date(2027, 3, 1), end=date(2027, 3, 12))
    for reader in (world.applicant, world.bri):  # the applicant; the BRI before the manager decided
        assert 'data-testid="clashes"' not in text(client_for(app, reader).get(f"/conges/{req.id}"))


def test_the_request_page_with_the_clash_check_stays_within_eight_statements(
    app, world, make_mission, colleague_away, count_queries
):
    req = make_mission("submitted", start=date(2027, 3, 1), end=date(2027, 3, 12))
    client = client_for(app, world.manager)
    client.get(f"/conges/{req.id}")
    with count_queries() as statements:
        assert client.get(f"/conges/{req.id}").status_code == 200
    assert len(statements) <= 8, "\n".join(statements)
