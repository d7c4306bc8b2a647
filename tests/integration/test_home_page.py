"""The home page says what waits for its reader: their requests under way and reports due (an employee), the
requests waiting for their decision (a manager or delegate), the BRI's queues and the open cycle's budget; numbers
link to the lists; in a bounded number of SQL statements."""

import re
from datetime import timedelta
from html import unescape

import pytest

from app.core.database import montreal_today
from app.extensions import db
from tests.factories import at_noon, client_for, delegate, make_request, make_user

BUDGET = 8  # statements of a page, the session's and the navigation's included


def text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def card(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</div></div>", start)]


def words(html: str) -> str:
    """The text of a piece of page, without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def days_ago(n: int):
    return at_noon(montreal_today() - timedelta(days=n))


def team_of(manager, n: int, department) -> list:
    return [make_user(full_name=f"Équipière {i}", manager=manager, department=department) for i in range(n)]


def test_an_employee_sees_their_requests_under_way_with_their_next_step(app, world):
    draft = make_request(world, "draft")
    submitted = make_request(world, "submitted")
    make_request(world, "rejected")
    page = text(client_for(app, world.applicant).get("/"))
    mine = card(page, "home-my-requests")
    assert re.search(r'href="/conges/"[^>]*>2 demandes en cours</a>', mine)
    assert f'href="/conges/{draft.id}">{draft.reference}</a> · Brouillon' in mine
    assert f'href="/conges/{submitted.id}">{submitted.reference}</a> · En attente du gestionnaire' in mine
    assert "Prochaine étape : Votre gestionnaire décide." in mine
    assert "Prochaine étape : Complétez la demande et soumettez-la." in mine
    assert "home-to-decide" not in page and "home-bri" not in page


def test_an_employee_without_requests_is_invited_to_apply(app, world):
    mine = card(text(client_for(app, world.colleague).get("/")), "home-my-requests")
    assert "Vous n'avez aucune demande en cours." in mine and 'href="/conges/nouvelle"' in mine


def test_an_employee_sees_the_reports_due_with_their_due_dates(app, world, make_mission):
    today = montreal_today()
    late = make_mission("report_due", start=today - timedelta(days=60), end=today - timedelta(days=30))
    soon = make_mission("report_due", start=today - timedelta(days=20), end=today - timedelta(days=3))
    page = text(client_for(app, world.applicant).get("/"))
    reports = card(page, "home-my-reports")
    assert reports.index(late.reference) < reports.index(soon.reference)
    late_due = today - timedelta(days=30) + timedelta(days=14)
    soon_due = today - timedelta(days=3) + timedelta(days=14)
    assert f"En retard : attendu au plus tard le {late_due.day} " in reports
    assert f"Attendu au plus tard le {soon_due.day} " in reports
    # The reports are not counted again among the requests under way.
    assert "home-under-way-count" not in card(page, "home-my-requests")


def test_a_manager_sees_how_many_wait_the_oldest_first_with_the_days_waiting(app, world):
    oldest = make_request(world, "submitted", changed_at=days_ago(6))
    newest = make_request(world, "submitted", applicant=world.colleague, changed_at=days_ago(0))
    middle = make_request(
        world, "submitted", applicant=team_of(world.manager, 1, world.department)[0], changed_at=days_ago(2)
    )
    make_request(world, "submitted", applicant=world.delegate)  # Hélène Côté's team
    make_request(world, "manager_approved", applicant=team_of(world.manager, 1, world.department)[0])
    decide = card(text(client_for(app, world.manager).get("/")), "home-to-decide")
    assert re.search(r'href="/conges/a-approuver"[^>]*>3 demandes attendent votre décision</a>', decide)
    assert decide.index(oldest.reference) < decide.index(middle.reference) < decide.index(newest.reference)
    assert "Éloïse Tremblay · en attente depuis 6 jours" in words(decide)
    assert "en attente depuis 2 jours" in decide and "en attente depuis aujourd'hui" in decide
    assert "autre" not in decide


def test_a_manager_sees_five_and_how_many_more(app, world):
    for member in team_of(world.manager, 7, world.department):
        make_request(world, "submitted", applicant=member)
    decide = card(text(client_for(app, world.manager).get("/")), "home-to-decide")
    assert "7 demandes attendent votre décision" in decide
    assert decide.count('href="/conges/') - decide.count('href="/conges/a-approuver"') - 1 == 5
    assert "et 2 autres" in decide


def test_a_manager_with_nothing_to_decide_reads_so(app, world):
    make_request(world, "manager_approved")
    decide = card(text(client_for(app, world.manager).get("/")), "home-to-decide")
    assert "Rien n'attend votre décision." in decide


def test_a_delegate_sees_the_requests_of_the_manager_who_delegated(app, world):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    decide = card(text(client_for(app, world.delegate).get("/")), "home-to-decide")
    assert "1 demande attend votre décision" in decide and req.reference in decide


def test_the_bri_sees_its_queues_and_the_open_cycles_budget(app, world):
    first = make_request(world, "manager_approved", changed_at=days_ago(3))
    make_request(world, "manager_approved", applicant=world.colleague)
    make_request(world, "approved", applicant=team_of(world.manager, 1, world.department)[0], amount="2500")
    report = make_request(world, "report_submitted", applicant=team_of(world.manager, 1, world.department)[0])
    page = text(client_for(app, world.bri).get("/"))
    bri = card(page, "home-bri")
    assert re.search(r'href="/conges/bri/file"[^>]*>2 demandes attendent la décision du BRI</a>', bri)
    assert f"{first.reference} · Éloïse Tremblay · en attente depuis 3 jours" in words(bri)
    # 100 000 $ and 10 places, less the approved mission and the one whose report is under review.
    cycle = world.cycle.year
    assert f"Appel {cycle} : 95 500,00 $ restants sur 100 000,00 $, 8 places restantes sur 10." in bri
    reports = card(page, "home-reports-to-review")
    assert re.search(r'href="/rapports/a-examiner"[^>]*>1 rapport attend votre examen</a>', reports)
    assert f'href="/rapports/{report.id}">{report.reference}</a>' in reports


def test_the_bri_with_nothing_waiting_and_no_open_cycle(app, world):
    world.cycle.closes_on = montreal_today() - timedelta(days=1)
    db.session.commit()
    page = text(client_for(app, world.bri).get("/"))
    assert "Aucune demande n'attend la décision du BRI." in card(page, "home-bri")
    assert "Aucun appel de candidatures n'est ouvert aujourd'hui." in card(page, "home-bri")
    assert "Aucun rapport n'attend d'examen." in card(page, "home-reports-to-review")


def test_the_counts_are_in_english_for_an_english_reader(app, world):
    for member in team_of(world.manager, 2, world.department):
        make_request(world, "submitted", applicant=member)
    world.manager.language = "en"
    db.session.commit()
    decide = card(text(client_for(app, world.manager).get("/")), "home-to-decide")
    assert "2 requests wait for your decision" in decide


@pytest.mark.parametrize("who", ["applicant", "manager", "bri", "bri_manager"])
def test_the_home_page_stays_within_its_statements(app, world, count_queries, who):
    for member in team_of(world.manager, 6, world.department):
        make_request(world, "submitted", applicant=member)
    make_request(world, "manager_approved")
    reader = getattr(world, who, None)
    if who == "bri_manager":
        reader = make_user(roles=("employee", "manager", "bri"), full_name="Josée Bri-Gestion")
        team_of(reader, 1, world.department)
    client = client_for(app, reader)
    client.get("/")
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert len(statements) <= BUDGET, "\n".join(statements)


def test_the_home_counts_are_computed_on_the_home_page_only(app, world, count_queries):
    client = client_for(app, world.bri)
    for path, expected in (("/", True), ("/conges/", False), ("/notifications", False)):
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        assert any("leave_to_decide" in s for s in statements) is expected, path
