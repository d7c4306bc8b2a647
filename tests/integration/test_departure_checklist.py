"""The pre-departure checklist (issue 13): the applicant completes its items on their approved mission's page, the
BRI adds items to a cycle and sees each mission's readiness, the daily job reminds, escalates, and does not start a
mission whose checklist is incomplete until it is complete or the BRI records an exception (a staying Transition)."""

import io
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.core.notification_texts import render
from app.core.notifications import Notification
from app.extensions import db
from app.leave.checklist import months_after, passport_needed_until
from app.leave.checklist_models import ChecklistEntry, ChecklistItem, ChecklistReminder
from app.leave.models import LeaveRequest, Transition
from app.leave.services.checklist import add_cycle_item, record_checklist_exception
from tests.factories import PDF, client_for, complete_checklist, make_request, make_user, text, year_cycle

TODAY = montreal_today()
EXCEPTION = "Assurance confirmée par téléphone avec l'assureur ; l'attestation suit."


@pytest.fixture
def req(world):
    return make_request(world, "approved")


def _entries(req) -> dict[str, ChecklistEntry]:
    db.session.expire_all()
    return {e.key: e for e in db.session.scalars(select(ChecklistEntry).filter_by(request_id=req.id))}


def _status(req) -> str:
    db.session.expire_all()
    return db.session.get(LeaveRequest, req.id).status


def _kinds(user) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.kind).filter_by(recipient_id=user.id).order_by(Notification.id)))


def fill(app, user, req, key: str, data: dict):
    fields = {f"item-{key}-{name}": value for name, value in data.items()}
    return client_for(app, user).post(f"/conges/{req.id}/preparatifs/{key}", data=fields)


def tick(app, day):
    result = app.test_cli_runner().invoke(args=["workflow", "tick", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _valid(req) -> dict[str, dict]:
    return {
        "training": {"done_on": TODAY.isoformat()},
        "insurance": {"file": (io.BytesIO(PDF), "assurance.pdf")},
        "passport": {"expires_on": months_after(req.end_date, 7).isoformat()},
        "visa": {"needed": "yes", "reference": "HT-VISA-0042"},
        "registration": {"done": "y", "done_on": TODAY.isoformat()},
        "health": {"done": "y"},
        "emergency": {"contact_name": "Lucie Tremblay", "contact_phone": "+1 514 555-0199"},
    }


# Filling the items -------------------------------------------------------------------------------------------------


def test_the_applicant_completes_each_item_and_each_completion_is_recorded(app, world, req):
    page = client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs")
    assert page.status_code == 200 and 'data-done="0" data-total="7"' in text(page)
    for key, data in _valid(req).items():
        response = fill(app, world.applicant, req, key, data)
        assert response.status_code == 303, (key, text(response))
    entries = _entries(req)
    assert set(entries) == {"training", "insurance", "passport", "visa", "registration", "health", "emergency"}
    assert all(e.completed_by_id == world.applicant.id and e.completed_at is not None for e in entries.values())
    assert (
        entries["insurance"].original_name == "assurance.pdf" and entries["insurance"].content_type == "application/pdf"
    )
    assert entries["visa"].needed is True and entries["visa"].reference == "HT-VISA-0042"
    assert entries["emergency"].contact_phone == "+1 514 555-0199"
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs"))
    assert 'data-done="7" data-total="7"' in page
    # Each form shows what was saved, to correct it rather than type it all again.
    passport = _valid(req)["passport"]["expires_on"]
    assert f'id="item-passport-expires_on" name="item-passport-expires_on" type="date" value="{passport}"' in page
    assert 'value="HT-VISA-0042"' in page and 'value="+1 514 555-0199"' in page
    visa_yes = r'<input checked [^>]*id="item-visa-needed-0" name="item-visa-needed" type="radio" value="yes">'
    assert re.search(visa_yes, page)


def test_a_passport_expiring_less_than_six_months_after_the_return_is_refused_next_to_its_field(app, world, req):
    needed = passport_needed_until(req)
    response = fill(app, world.applicant, req, "passport", {"expires_on": (needed - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    page = text(response)
    assert 'id="item-passport-expires_on-error"' in page and "six mois après le retour" in page
    assert _entries(req) == {}
    assert fill(app, world.applicant, req, "passport", {"expires_on": needed.isoformat()}).status_code == 303
    assert _entries(req)["passport"].expires_on == needed


@pytest.mark.parametrize(
    ("key", "data", "field"),
    [
        ("training", {}, "done_on"),
        ("training", {"done_on": (TODAY + timedelta(days=3)).isoformat()}, "done_on"),
        ("training", {"done_on": "0001-01-01"}, "done_on"),
        ("training", {"done_on": "99999-01-01"}, "done_on"),
        ("passport", {"expires_on": "9999-12-31"}, "expires_on"),
        ("passport", {"expires_on": "NaN"}, "expires_on"),
        ("insurance", {}, "file"),
        ("insurance", {"file": (io.BytesIO(b"just some text, not a document"), "assurance.pdf")}, "file"),
        ("insurance", {"file": (io.BytesIO(b""), "vide.pdf")}, "file"),
        ("visa", {}, "needed"),
        ("visa", {"needed": "peut-etre"}, "needed"),
        ("visa", {"needed": "yes"}, "file"),
        ("registration", {"done_on": TODAY.isoformat()}, "done"),
        ("registration", {"done": "y"}, "done_on"),
        ("health", {}, "done"),
        ("emergency", {"contact_phone": "514 555-0199"}, "contact_name"),
        ("emergency", {"contact_name": "Lucie", "contact_phone": "appelez-moi"}, "contact_phone"),
        ("emergency", {"contact_name": "Lucie", "contact_phone": "1" * 41}, "contact_phone"),
    ],
)
def test_an_invalid_item_is_refused_with_its_message_next_to_the_field(app, world, req, key, data, field):
    response = fill(app, world.applicant, req, key, data)
    assert response.status_code == 422
    assert f'id="item-{key}-{field}-error"' in text(response)
    assert _entries(req) == {}


def test_a_nul_byte_or_a_huge_value_never_makes_a_500(app, world, req):
    for data in ({"reference": "a\x00b", "needed": "yes"}, {"contact_name": "x" * 100_000, "contact_phone": "1"}):
        key = "visa" if "reference" in data else "emergency"
        response = fill(app, world.applicant, req, key, data)
        assert 400 <= response.status_code < 500
    assert _entries(req) == {}


def test_a_visa_not_needed_is_complete_without_document_and_a_visa_document_goes_through_the_upload_rules(
    app, world, req
):
    assert fill(app, world.applicant, req, "visa", {"needed": "no", "reference": "ignored"}).status_code == 303
    assert _entries(req)["visa"].needed is False and _entries(req)["visa"].reference == ""
    visa = {"needed": "yes", "file": (io.BytesIO(PDF), "visa.pdf")}
    assert fill(app, world.applicant, req, "visa", visa).status_code == 303
    entry = _entries(req)["visa"]
    assert entry.needed is True and entry.original_name == "visa.pdf"
    for who in ("applicant", "bri"):
        with client_for(app, getattr(world, who)).get(f"/conges/{req.id}/preparatifs/visa/document") as download:
            assert download.status_code == 200 and download.data == PDF, who
            assert download.headers["Content-Disposition"].startswith("attachment;")
    assert client_for(app, world.colleague).get(f"/conges/{req.id}/preparatifs/visa/document").status_code == 403


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "colleague", "bri", "admin"])
def test_only_the_applicant_completes_the_checklist(app, world, req, who):
    response = fill(app, getattr(world, who), req, "health", {"done": "y"})
    assert response.status_code == 403
    assert _entries(req) == {}


def test_the_checklist_is_completed_only_while_the_mission_is_approved(app, world):
    waiting = make_request(world, "manager_approved")
    assert fill(app, world.applicant, waiting, "health", {"done": "y"}).status_code == 409
    assert _entries(waiting) == {}


def test_an_unknown_item_or_an_item_of_another_cycle_is_a_404(app, world, req):
    elsewhere = add_cycle_item(year_cycle(2031), "Autre cycle", "Other cycle", False, world.bri)
    db.session.commit()
    for key in ("x999999", "nothing", "x" + "9" * 30, elsewhere.key):
        assert fill(app, world.applicant, req, key, {"done": "y"}).status_code == 404, key
    assert _entries(req) == {}


def test_the_bri_adds_an_item_to_a_cycle_and_it_counts_in_the_missions_of_the_cycle(app, world, req):
    url = f"/conges/bri/cycles/{req.cycle_id}/preparatifs"
    item = {"label_fr": "Certificat de vaccination", "label_en": "Vaccination certificate", "document_required": "y"}
    for who in ("applicant", "manager", "admin"):
        assert client_for(app, getattr(world, who)).post(url, data=item).status_code == 403
    assert client_for(app, world.bri).post(url, data={"label_fr": "", "label_en": "x"}).status_code == 422
    assert client_for(app, world.bri).post(url, data=item).status_code == 303
    added = db.session.scalars(select(ChecklistItem)).one()
    assert (added.cycle_id, added.document_required, added.created_by_id) == (req.cycle_id, True, world.bri.id)
    complete_checklist(req, keys=set(_valid(req)))
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs"))
    assert 'data-done="7" data-total="8"' in page and "Certificat de vaccination" in page
    assert fill(app, world.applicant, req, added.key, {"done": "y"}).status_code == 422  # its document is required
    files = {"done": "y", "file": (io.BytesIO(PDF), "vaccin.pdf")}
    assert fill(app, world.applicant, req, added.key, files).status_code == 303
    assert 'data-done="8" data-total="8"' in text(client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs"))


def test_the_bri_reaches_the_cycles_items_from_a_missions_checklist(app, world, req):
    link = f'href="/conges/bri/cycles/{req.cycle_id}/preparatifs"'
    assert link in text(client_for(app, world.bri).get(f"/conges/{req.id}/preparatifs"))
    assert link not in text(client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs"))


# Readiness for the BRI ---------------------------------------------------------------------------------------------


def test_the_bri_sees_each_approved_missions_readiness_on_its_list_and_on_the_request_page(app, world, req):
    complete_checklist(req, keys={"training", "health", "emergency"})
    bri = client_for(app, world.bri)
    listing = text(bri.get("/conges/bri/demandes?status=approved"))
    assert 'data-testid="checklist-cell" data-done="3" data-total="7"' in listing
    detail = text(bri.get(f"/conges/{req.id}"))
    assert 'data-testid="checklist-fact" data-done="3" data-total="7"' in detail and "3/7" in detail


def _teammate(world):
    return make_user(manager=world.manager, department=world.department)


def _four_missions(world, req):
    """``req`` incomplete (3/7), one ready, one excepted, and a second incomplete leaving a week before ``req``."""
    complete_checklist(req, keys={"training", "health", "emergency"})
    ready = make_request(world, "approved", applicant=world.colleague, start=req.start_date)
    complete_checklist(ready)
    excepted = make_request(world, "approved", applicant=_teammate(world), start=req.start_date)
    with cli_request_context():
        record_checklist_exception(excepted, world.bri, EXCEPTION, excepted.version)
    db.session.commit()
    sooner = make_request(world, "approved", applicant=_teammate(world), start=req.start_date - timedelta(days=7))
    return ready, excepted, sooner


def test_the_bri_queue_lists_the_departures_not_ready_the_soonest_first(app, world, req):
    ready, excepted, sooner = _four_missions(world, req)
    waiting = make_request(world, "manager_approved", applicant=_teammate(world))  # not approved: not listed
    page = text(client_for(app, world.bri).get("/conges/bri/file?liste=preparatifs"))
    assert "Départs non prêts" in page and 'aria-current="page"' in page
    rows = [f'data-testid="unready-{r.reference}"' for r in (sooner, req)]
    assert page.index(rows[0]) < page.index(rows[1])
    assert f'data-testid="readiness-{req.reference}" data-done="3" data-total="7"' in page
    assert f'data-testid="readiness-{sooner.reference}" data-done="0" data-total="7"' in page
    assert f"/conges/{req.id}/preparatifs" in page
    for other in (ready, excepted, waiting):
        assert other.reference not in page
    days = (sooner.start_date - TODAY).days
    assert f"dans {days} jours" in page
    # Every tab of the queue links to the others.
    decisions = text(client_for(app, world.bri).get("/conges/bri/file"))
    assert "/conges/bri/file?liste=preparatifs" in decisions and "/conges/bri/file?liste=avis" in decisions


def test_the_departures_not_ready_are_the_bris_only(app, world, req):
    for who in ("applicant", "manager", "admin"):
        assert client_for(app, getattr(world, who)).get("/conges/bri/file?liste=preparatifs").status_code == 403


def test_the_departures_list_says_when_every_mission_is_ready(app, world, req):
    complete_checklist(req)
    page = text(client_for(app, world.bri).get("/conges/bri/file?liste=preparatifs"))
    assert "Chaque mission approuvée est prête à partir, ou a une exception du BRI." in page
    assert req.reference not in page


def test_the_dashboard_counts_the_departures_by_checklist_and_names_the_soonest_incomplete(app, world, req):
    ready, excepted, sooner = _four_missions(world, req)
    bri = client_for(app, world.bri)
    page = text(bri.get(f"/bri/tableau-de-bord?cycle={req.cycle_id}"))
    assert 'data-ready="1" data-excepted="1" data-incomplete="2"' in page
    assert "4 missions approuvées attendent leur départ :" in page
    soonest = page[page.index('data-testid="departures-soonest"') :]
    assert soonest.index(sooner.reference) < soonest.index(req.reference)
    assert f"/conges/{req.id}/preparatifs" in soonest and ready.reference not in soonest
    assert "/conges/bri/file?liste=preparatifs" in page
    # The dashboard is kept until a watched table changes: an item completed counts at the next view.
    complete_checklist(req)
    again = text(bri.get(f"/bri/tableau-de-bord?cycle={req.cycle_id}"))
    assert 'data-ready="2" data-excepted="1" data-incomplete="1"' in again


def test_the_dashboard_says_when_no_mission_waits_for_its_departure(app, world):
    make_request(world, "submitted")
    page = text(client_for(app, world.bri).get(f"/bri/tableau-de-bord?cycle={world.cycle.id}"))
    assert "Aucune mission approuvée n'attend son départ." in page


def test_the_cycles_pages_link_the_bri_to_the_cycles_checklist_items(app, world):
    url = f"/conges/bri/cycles/{world.cycle.id}/preparatifs"
    for page in ("/referentiel/cycles", f"/referentiel/cycles/{world.cycle.id}"):
        assert url in text(client_for(app, world.bri).get(page))
        listing = client_for(app, world.admin).get(page)  # the administrator manages cycles, not checklists
        assert listing.status_code == 200 and url not in text(listing)


# The daily job -----------------------------------------------------------------------------------------------------


def test_the_tick_does_not_start_an_unready_mission_and_tells_the_bri_once_a_day(app, world, req):
    output = tick(app, req.start_date)
    assert "0 mission(s) started" in output and "blocked 1" in output
    assert _status(req) == "approved"
    assert "leave/checklist_blocked" in _kinds(world.bri) and "leave/checklist_blocked" in _kinds(world.bri2)
    assert "leave/checklist_blocked" not in _kinds(world.applicant)
    before = db.session.scalar(select(func.count(Notification.id)))
    tick(app, req.start_date)
    assert db.session.scalar(select(func.count(Notification.id))) == before
    assert _status(req) == "approved"


def test_the_tick_starts_the_mission_once_its_checklist_is_complete(app, world, req):
    complete_checklist(req, keys={"training", "insurance", "passport", "visa", "registration", "health"})
    tick(app, req.start_date)
    assert _status(req) == "approved"
    complete_checklist(req, keys={"emergency"})
    assert "1 mission(s) started" in tick(app, req.start_date + timedelta(days=1))
    assert _status(req) == "in_mission"


def test_the_bri_records_an_exception_and_the_tick_then_starts_the_mission(app, world, req):
    tick(app, req.start_date)
    assert _status(req) == "approved"
    bri = client_for(app, world.bri)
    url = f"/conges/{req.id}/preparatifs/derogation"
    empty = bri.post(url, data={"checklist_exception-comment": " ", "checklist_exception-version": req.version})
    assert empty.status_code == 422 and 'id="checklist_exception-comment-error"' in text(empty)
    data = {"checklist_exception-comment": EXCEPTION, "checklist_exception-version": req.version}
    assert bri.post(url, data=data).status_code == 303
    exception = db.session.scalars(
        select(Transition).filter_by(request_id=req.id, action="record_checklist_exception")
    ).one()
    assert (exception.from_status, exception.to_status, exception.actor_id) == ("approved", "approved", world.bri.id)
    assert exception.comment == EXCEPTION
    assert "leave/checklist_exception" in _kinds(world.applicant)
    assert "1 mission(s) started" in tick(app, req.start_date)
    assert _status(req) == "in_mission"
    history = [t.action for t in db.session.get(LeaveRequest, req.id).transitions]
    assert history[-2:] == ["record_checklist_exception", "start_mission"]


def test_once_the_exception_is_recorded_the_checklist_page_shows_it_and_no_longer_offers_it(app, world, req):
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}/preparatifs"))
    assert 'data-testid="checklist-exception-form"' in page
    with cli_request_context():
        record_checklist_exception(req, world.bri, EXCEPTION, req.version)
    db.session.commit()
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}/preparatifs"))
    assert 'data-testid="checklist-exception"' in page and EXCEPTION in page
    assert 'data-testid="checklist-exception-form"' not in page


def test_an_exception_from_a_stale_page_is_a_409(app, world, req):
    seen = req.version
    url = f"/conges/{req.id}/preparatifs/derogation"
    data = {"checklist_exception-comment": EXCEPTION, "checklist_exception-version": seen}
    assert client_for(app, world.bri).post(url, data=data).status_code == 303
    assert client_for(app, world.bri2).post(url, data=data).status_code == 409
    assert db.session.scalar(select(func.count(Transition.id)).filter_by(action="record_checklist_exception")) == 1


def test_no_exception_once_the_mission_has_left_or_was_cancelled(app, world, req):
    complete_checklist(req)
    tick(app, req.start_date)
    data = {"checklist_exception-comment": EXCEPTION, "checklist_exception-version": _version(req)}
    assert client_for(app, world.bri).post(f"/conges/{req.id}/preparatifs/derogation", data=data).status_code == 409


def _version(req) -> int:
    db.session.expire_all()
    return db.session.get(LeaveRequest, req.id).version


@pytest.mark.parametrize("who", ["applicant", "manager", "colleague", "admin"])
def test_only_a_bri_officer_records_an_exception(app, world, req, who):
    data = {"checklist_exception-comment": EXCEPTION, "checklist_exception-version": req.version}
    response = client_for(app, getattr(world, who)).post(f"/conges/{req.id}/preparatifs/derogation", data=data)
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Transition.id)).filter_by(action="record_checklist_exception")) == 0


def test_a_bri_officer_never_excepts_their_own_mission(app, world):
    own = make_request(world, "approved", applicant=world.bri)
    data = {"checklist_exception-comment": EXCEPTION, "checklist_exception-version": own.version}
    assert client_for(app, world.bri).post(f"/conges/{own.id}/preparatifs/derogation", data=data).status_code == 403


# Reminders ---------------------------------------------------------------------------------------------------------


def test_the_employee_is_reminded_within_the_reminder_days_then_the_bri_within_the_escalation_days(app, world, req):
    start = req.start_date
    tick(app, start - timedelta(days=15))
    assert _kinds(world.applicant) == [] and _kinds(world.bri) == []
    tick(app, start - timedelta(days=14))
    assert _kinds(world.applicant) == ["leave/checklist_missing"] and _kinds(world.bri) == []
    tick(app, start - timedelta(days=13))  # within REMINDER_REPEAT_DAYS: not again
    assert _kinds(world.applicant) == ["leave/checklist_missing"]
    tick(app, start - timedelta(days=3))
    assert _kinds(world.applicant) == ["leave/checklist_missing"] * 2
    assert _kinds(world.bri) == ["leave/checklist_escalation"]
    tick(app, start - timedelta(days=3))  # the same day again: nothing twice
    assert _kinds(world.bri) == ["leave/checklist_escalation"]
    note = db.session.scalars(select(Notification).filter_by(recipient_id=world.bri.id)).one()
    assert req.reference in note.subject and "Formation prédépart" in note.body
    assert note.link.endswith(f"/conges/{req.id}/preparatifs")


def test_a_complete_or_excepted_checklist_is_not_reminded(app, world, req):
    complete_checklist(req)
    other = make_request(world, "approved", applicant=world.colleague, start=req.start_date)
    with cli_request_context():
        record_checklist_exception(other, world.bri, EXCEPTION, other.version)
    db.session.commit()
    tick(app, req.start_date - timedelta(days=2))
    assert _kinds(world.applicant) == [] and _kinds(world.colleague) == ["leave/checklist_exception"]
    assert _kinds(world.bri) == []
    assert db.session.scalar(select(func.count(ChecklistReminder.id))) == 0


def test_several_missions_are_told_in_one_digest_per_recipient_and_day(app, world, req):
    other = make_request(world, "approved", applicant=world.colleague, start=req.start_date + timedelta(days=1))
    tick(app, req.start_date - timedelta(days=2))
    assert _kinds(world.bri) == ["leave/checklist_digest"]
    digest = db.session.scalars(select(Notification).filter_by(recipient_id=world.bri.id)).one()
    assert req.reference in digest.body and other.reference in digest.body
    assert db.session.scalar(select(func.count(ChecklistReminder.id)).filter_by(kind="escalation")) == 2 * 2


# Languages ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fr",
            [
                "Liste de vérification avant le départ",
                "Formation prédépart suivie",
                "Inscription des Canadiens à l'étranger",
            ],
        ),
        ("en", ["Pre-departure checklist", "Pre-departure training attended", "Registration of Canadians Abroad"]),
    ],
)
def test_the_checklist_page_reads_in_french_and_in_english(app, world, req, language, words):
    world.applicant.language = language
    db.session.commit()
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}/preparatifs"))
    for word in words:
        assert word in page, word


def test_the_reminders_read_in_french_and_in_english(app):
    params = {
        "ref": "CS-2027-0042",
        "applicant": "Émilie Roy",
        "country": "HT",
        "start": "2027-03-01",
        "end": "2027-03-26",
        "missing": [{"key": "insurance"}, {"key": "x1", "fr": "Vaccin", "en": "Vaccine"}],
    }
    with app.test_request_context():
        with force_locale("fr"):
            fr = render("leave/checklist_blocked", params)
        with force_locale("en"):
            en = render("leave/checklist_blocked", params)
    assert "Assurance voyage et maladie" in fr.body and "Vaccin" in fr.body and "reste approuvée" in fr.body
    assert "Travel and health insurance" in en.body and "Vaccine" in en.body and "stays approved" in en.body


# Demo data ---------------------------------------------------------------------------------------------------------


def test_the_demo_has_a_ready_mission_and_one_its_incomplete_checklist_keeps_from_starting(app):
    from app.accounts import demo as accounts_demo
    from app.leave import checklist_demo
    from app.leave import demo as leave_demo
    from app.leave.services.scheduler import advance_missions

    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    leave_demo.load(ctx)
    checklist_demo.load(ctx)
    db.session.commit()
    ready, blocked = ctx["checklist"]["ready"], ctx["checklist"]["incomplete"]
    assert set(_entries(blocked)) == set(checklist_demo.INCOMPLETE_KEYS)
    with app.test_request_context():
        advance_missions(max(ready.start_date, blocked.start_date))
    db.session.commit()
    assert (_status(ready), _status(blocked)) == ("in_mission", "approved")
