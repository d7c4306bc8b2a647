"""Hostile values posted to every form and every list's query string, as the user each page is for.

Two passes over the same catalogue of forms (``FORMS``): a sweep gives each field of each form, the others valid,
each of the worst values (``SWEEP``); then Hypothesis draws forms with one field hostile among valid ones, or
hostile values all over (very long text, NaN, Infinity, huge and negative numbers, impossible or extreme dates,
blanks, unicode, integers beyond 2**63, several values for one field), and query strings for every list.

Whatever is sent: no 5xx (the testing configuration lets an exception through, so a 500 fails the example), and
no row in an invalid state afterwards (no negative amount, no end before its start, no request in a status its
history does not lead to).
"""

import io
import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import exists, or_, select
from werkzeug.datastructures import FileStorage

from app.core.database import montreal_today
from app.extensions import db
from app.leave.checklist_models import BUILTIN_ITEMS, ChecklistEntry
from app.leave.models import Delegation, LeaveRequest, Transition
from app.projects import services as project_services
from app.projects.models import Expenditure, FundingLine, Project, ProjectUpdate
from app.projects.proposals import IndicatorProposal
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reference.models import ProgrammeCycle
from tests.factories import (
    DEFAULT_PASSWORD,
    REPORT_TEXT,
    client_for,
    form_data,
    make_contact,
    make_partner,
    make_project,
    make_request,
    make_sector,
)
from tests.integration import test_hostile_input as hostile_input

# The whole file runs in well under a minute on SQLite.
EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    database=None,  # nothing written in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that broke, or could break, a parser, a comparison, a column or a date.
HOSTILE_WORDS = [
    "",
    " ",
    "\t",
    "NaN",
    "sNaN",
    "-nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "-1e309",
    "1E+5",
    "-1",
    "-0",
    "-0.01",
    "0",
    "0.001",
    "10000000000",
    "9999999999.995",
    "9999999999.99",
    "-9999999999.99",
    "1 234,50",
    "1,234.50",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 30,
    "9" * 5000,
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2027-02-30",
    "2027-13-01",
    "31/12/2027",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "é" * 300,
    "\U0001f600" * 50,
    "ZZ",
    "on",
    "true",
]

# Control characters are refused by the input guard before any form (tests/integration/test_hostile_input.py).
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
_extreme_ints = st.sampled_from([2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**20])
hostile_scalar = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    _extreme_ints.map(str),
    _text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.integers(min_value=1, max_value=30).map(lambda n: "Un texte très long. " * (n * 50)),
)
# A list posts the field several times.
hostile_value = st.one_of(hostile_scalar, st.lists(hostile_scalar, min_size=2, max_size=3))


def posts(valid: dict) -> st.SearchStrategy[dict]:
    """The valid form with one field made hostile (or left out), or every field valid, hostile or left out."""
    names = sorted(valid)
    one = st.tuples(st.sampled_from(names), st.one_of(hostile_value, st.none())).map(
        lambda pair: {k: v for k, v in {**valid, pair[0]: pair[1]}.items() if v is not None}
    )
    many = st.fixed_dictionaries({name: st.one_of(st.just(valid[name]), hostile_value, st.none()) for name in names})
    # Mostly one hostile field among valid ones, so that the others pass and the service is reached.
    return st.one_of(one, one, many.map(lambda d: {k: v for k, v in d.items() if v is not None}))


def invalid_rows() -> dict[str, list[int]]:
    """The rows no input may leave behind, by rule (each list empty when all is well)."""
    lr = LeaveRequest
    has_transition = exists().where(Transition.request_id == lr.id, Transition.to_status == lr.status)
    checks = {
        "negative request amount": select(lr.id).where(
            or_(
                lr.cost_transport < 0,
                lr.cost_lodging < 0,
                lr.cost_per_diem < 0,
                lr.cost_other < 0,
                lr.amount_requested < 0,
            )
        ),
        "request ends before it starts": select(lr.id).where(lr.end_date < lr.start_date),
        "status without its transition": select(lr.id).where(lr.status != "draft", ~has_transition),
        "negative project budget": select(Project.id).where(Project.budget < 0),
        "project ends before it starts": select(Project.id).where(Project.end_date < Project.start_date),
        "negative funding line": select(FundingLine.id).where(FundingLine.amount < 0),
        "negative expenditure": select(Expenditure.id).where(Expenditure.amount < 0),
        "expenditure outside its project": select(Expenditure.id)
        .join(Project)
        .where(or_(Expenditure.spent_on < Project.start_date, Expenditure.spent_on > Project.end_date)),
        "negative cycle money": select(ProgrammeCycle.id).where(
            or_(ProgrammeCycle.budget_envelope < 0, ProgrammeCycle.daily_rate < 0)
        ),
        "cycle closes before it opens": select(ProgrammeCycle.id).where(
            ProgrammeCycle.closes_on < ProgrammeCycle.opens_on
        ),
        "checklist entry of no item": select(ChecklistEntry.id).where(
            ChecklistEntry.key.not_in(BUILTIN_ITEMS), ChecklistEntry.item_id.is_(None)
        ),
        "passport expiring before the return": select(ChecklistEntry.id)
        .join(lr, lr.id == ChecklistEntry.request_id)
        .where(ChecklistEntry.key == "passport", ChecklistEntry.expires_on < lr.end_date),
        "delegation ends before it starts": select(Delegation.id).where(Delegation.ends_on < Delegation.starts_on),
        "indicator period ends before it starts": select(IndicatorPeriod.id).where(
            IndicatorPeriod.period_end < IndicatorPeriod.period_start
        ),
        "percentage outside 0 to 100": select(IndicatorPeriod.id)
        .join(ResultIndicator)
        .where(
            ResultIndicator.measure == "2",
            or_(
                IndicatorPeriod.target_value < 0,
                IndicatorPeriod.target_value > 100,
                IndicatorPeriod.actual_value < 0,
                IndicatorPeriod.actual_value > 100,
            ),
        ),
        "proposal for an indicator of another project": select(IndicatorProposal.id)
        .join(ResultIndicator, ResultIndicator.id == IndicatorProposal.indicator_id)
        .join(ProjectResult, ProjectResult.id == ResultIndicator.result_id)
        .join(lr, lr.id == IndicatorProposal.request_id)
        .where(or_(lr.project_id.is_(None), lr.project_id != ProjectResult.project_id)),
        "proposal for a period of another indicator": select(IndicatorProposal.id)
        .join(IndicatorPeriod, IndicatorPeriod.id == IndicatorProposal.period_id)
        .where(IndicatorPeriod.indicator_id != IndicatorProposal.indicator_id),
        "percentage proposed outside 0 to 100": select(IndicatorProposal.id)
        .join(ResultIndicator, ResultIndicator.id == IndicatorProposal.indicator_id)
        .where(ResultIndicator.measure == "2", or_(IndicatorProposal.value < 0, IndicatorProposal.value > 100)),
        "declined proposal without a comment": select(IndicatorProposal.id).where(
            IndicatorProposal.decision == "declined", IndicatorProposal.decision_comment == ""
        ),
    }
    db.session.rollback()  # read what the requests committed
    found = {name: list(db.session.scalars(query)) for name, query in checks.items()}
    return {name: ids for name, ids in found.items() if ids}


def check(response, target) -> None:
    assert response.status_code < 500, (target.url, response.status_code)
    assert invalid_rows() == {}


# The forms -----------------------------------------------------------------------------------------------------


@dataclass
class Target:
    """A form as its user posts it: who (a World attribute, or None for an anonymous visitor), where, what."""

    who: str | None
    url: str
    valid: dict


def _reset_password(user_id: int) -> None:
    from app.accounts.models import User

    db.session.rollback()
    user = db.session.get(User, user_id)
    user.set_password(DEFAULT_PASSWORD)
    db.session.commit()


def login_form(w):
    return Target(None, "/compte/connexion", {"email": w.applicant.email, "password": DEFAULT_PASSWORD})


NEW_PASSWORD = {"password": "une phrase de passe assez longue", "confirm": "une phrase de passe assez longue"}


def own_password_form(w):
    _reset_password(w.colleague.id)  # a password changed by the previous post is the usual one again
    return Target("colleague", "/compte/mot-de-passe", {"current_password": DEFAULT_PASSWORD, **NEW_PASSWORD})


def password_link_form(w):
    from app.accounts.models import User
    from app.accounts.services import password_link_token

    _reset_password(w.colleague.id)
    token = password_link_token(db.session.get(User, w.colleague.id))
    return Target(None, f"/compte/definir-mot-de-passe/{token}", dict(NEW_PASSWORD))


def admin_password_form(w):
    return Target("admin", f"/admin/utilisateurs/{w.colleague.id}/mot-de-passe", dict(NEW_PASSWORD))


_tokens = itertools.count(1)


def request_creation_form(w, button="save"):
    valid = {**form_data(w, **{button: "x"}), "creation_token": f"token-{next(_tokens)}", "project_id": "0"}
    return Target("applicant", "/conges/nouvelle", valid)


def request_submission_form(w):
    return request_creation_form(w, "save_submit")


def request_edition_form(w):
    req = make_request(w, "draft")
    valid = {**form_data(w, start=req.start_date, save="x"), "version": str(req.version), "project_id": "0"}
    return Target("applicant", f"/conges/{req.id}/modifier", valid)


def _decision(who: str, status: str, path: str):
    def build(w):
        req = make_request(w, status)
        return Target(who, f"/conges/{req.id}/{path}", {"comment": "Un commentaire.", "version": str(req.version)})

    build.__name__ = path.replace("/", "_")
    return build


def delegation_form(w):
    today = montreal_today()
    valid = {
        "delegate_id": str(w.delegate.id),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=10)).isoformat(),
    }
    return Target("manager", "/conges/delegations", valid)


def _report(path: str):
    def build(w):
        req = make_request(w, "report_due")
        valid = {**REPORT_TEXT, "consent_to_quote": "y", "version": str(req.version)}
        return Target("applicant", f"/rapports/{req.id}/{path}", valid)

    build.__name__ = f"report_{path}"
    return build


def _report_decision(path: str):
    def build(w):
        req = make_request(w, "report_submitted")
        return Target("bri", f"/rapports/{req.id}/{path}", {"comment": "À compléter.", "version": str(req.version)})

    build.__name__ = f"report_{path}"
    return build


def _project_data(project, code: str) -> dict:
    return {
        "code": code,
        "title_fr": "Projet",
        "title_en": "",
        "description_fr": "",
        "description_en": "",
        "country_code": "HT",
        "locality": "Jacmel",
        "sector_id": str(project.sector_id),
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "budget": "1000",
    }


def _project(w):
    return make_project(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))


def project_creation_form(w):
    return Target("bri", "/projets/nouveau", _project_data(_project(w), f"HT-NEW-{next(_tokens)}"))


def project_edition_form(w):
    project = _project(w)
    return Target("bri", f"/projets/{project.id}/modifier", _project_data(project, project.code))


def _line(path: str, valid: dict):
    def build(w):
        return Target("bri", f"/projets/{_project(w).id}/{path}", dict(valid))

    build.__name__ = f"project_{path}"
    return build


def project_partner_form(w):
    partner = make_partner()
    return Target(
        "bri", f"/projets/{_project(w).id}/partenaires", {"partner-partner_id": str(partner.id), "partner-role": "lead"}
    )


def project_mission_form(w):
    req = make_request(w, "approved")
    return Target("bri", f"/projets/{_project(w).id}/missions", {"link-request_id": str(req.id), "link-result_id": "0"})


def _framework(w, measure="2"):
    """A percentage indicator (the strictest measure: 0 to 100) with one period, in a project."""
    project = _project(w)
    result = ProjectResult(project=project, type="1", title_fr="Résultat", position=1)
    indicator = ResultIndicator(result=result, title_fr="Indicateur", measure=measure, position=1)
    period = IndicatorPeriod(indicator=indicator, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    db.session.add_all([result, indicator, period])
    db.session.commit()
    return project, result, indicator, period


def result_form(w):
    project, result, *_ = _framework(w)
    valid = {"type": "2", "title_fr": "Effet", "title_en": "", "description_fr": "", "version": str(result.version)}
    return Target("bri", f"/projets/{project.id}/resultats/{result.id}/modifier", valid)


def indicator_form(w):
    project, result, *_ = _framework(w)
    valid = {
        "title_fr": "Part des ménages",
        "measure": "2",
        "ascending": "y",
        "baseline_year": "2025",
        "baseline_value": "12,5",
        "baseline_comment": "",
    }
    return Target("bri", f"/projets/{project.id}/resultats/{result.id}/indicateurs/nouveau", valid)


def period_form(w):
    project, _result, indicator, _period = _framework(w)
    valid = {"period_start": "2026-07-01", "period_end": "2026-12-31", "target_value": "45", "target_comment": ""}
    return Target("bri", f"/projets/{project.id}/resultats/indicateurs/{indicator.id}/periodes/nouvelle", valid)


def actual_form(w):
    project, _result, _indicator, period = _framework(w)
    valid = {"actual_value": "42,5", "actual_comment": "", "version": str(period.version)}
    return Target("bri", f"/projets/{project.id}/resultats/periodes/{period.id}/reel", valid)


def report_proposal_form(w):
    """The mission report's form with a proposal to update an indicator of the mission's project."""
    project, _result, indicator, period = _framework(w)
    req = make_request(w, "report_due", project=project)
    valid = {
        **REPORT_TEXT,
        "version": str(req.version),
        "report_version": "0",
        "proposal-indicator_id": str(indicator.id),
        "proposal-period_id": str(period.id),
        "proposal-value": "42,5",
        "proposal-comment": "Comptage de fin de mission.",
    }
    return Target("applicant", f"/rapports/{req.id}/modifier", valid)


def _proposal_decision(verb: str):
    def build(w):
        project, _result, indicator, period = _framework(w)
        req = make_request(w, "report_submitted", project=project)
        proposal = IndicatorProposal(
            request_id=req.id, indicator_id=indicator.id, period_id=period.id, value=42, proposed_by_id=w.applicant.id
        )
        db.session.add(proposal)
        db.session.commit()
        prefix = f"decide{proposal.id}"
        valid = {f"{prefix}-comment": "Le comptage ne couvre qu'un quartier.", f"{prefix}-back": "project"}
        return Target("bri", f"/projets/propositions/{proposal.id}/{verb}", valid)

    build.__name__ = f"proposal_{verb}"
    return build


def _update_fields(day: date | None = None) -> dict:
    return {
        "update_date": (day or montreal_today() - timedelta(days=1)).isoformat(),
        "title_fr": "Avancement",
        "title_en": "",
        "body_fr": "Les travaux avancent.",
        "body_en": "",
        "published": "y",
    }


def _update(w):
    project = _project(w)
    data = _update_fields() | {"update_date": montreal_today() - timedelta(days=1), "published": False}
    update = project_services.save_update(project, ProjectUpdate(), data, w.bri)
    db.session.commit()
    return project, update


def update_creation_form(w):
    return Target("bri", f"/projets/{_project(w).id}/actualites/nouvelle", _update_fields())


def update_edition_form(w):
    project, update = _update(w)
    return Target("bri", f"/projets/{project.id}/actualites/{update.id}/modifier", _update_fields())


def photo_caption_form(w):
    project, update = _update(w)
    image = io.BytesIO()
    Image.new("RGB", (60, 40), (120, 30, 30)).save(image, "JPEG")
    upload = FileStorage(io.BytesIO(image.getvalue()), "photo.jpg")
    photo = project_services.add_photo(update, upload, {"caption_fr": "Légende"}, w.bri)
    db.session.commit()
    valid = {f"photo{photo.id}-caption_fr": "Une légende", f"photo{photo.id}-consent_to_publish": "y"}
    return Target("bri", f"/projets/{project.id}/photos/{photo.id}/modifier", valid)


def sector_form(w, new=True):
    sector = make_sector()
    valid = {"code": f"{10000 + next(_tokens)}", "name_fr": "Secteur", "name_en": "Sector", "active": "1"}
    return Target("bri", "/projets/secteurs" if new else f"/projets/secteurs/{sector.id}", valid)


def sector_edition_form(w):
    return sector_form(w, new=False)


def cycle_form(w, new=True):
    year = 2030 + next(_tokens) % 60
    valid = {
        "year": str(year),
        "opens_on": f"{year}-01-10",
        "closes_on": f"{year}-03-31",
        "budget_envelope": "150 000,50",
        "places": "12",
        "min_working_days": "5",
        "max_working_days": "30",
        "min_notice_days": "45",
        "daily_rate": "",
    }
    return Target("bri", "/referentiel/cycles/nouveau" if new else f"/referentiel/cycles/{w.cycle.id}", valid)


def cycle_edition_form(w):
    return cycle_form(w, new=False)


def country_eligibility_form(w):
    return Target("bri", "/referentiel/pays/SN/eligible", {"next": "/referentiel/pays"})


def partner_form(w, new=True):
    partner = make_partner()
    valid = {"name": f"Mairie {next(_tokens)}", "kind": "municipality", "country_code": "HT", "city": "Jacmel"}
    return Target("bri", "/referentiel/partenaires/nouveau" if new else f"/referentiel/partenaires/{partner.id}", valid)


def partner_edition_form(w):
    return partner_form(w, new=False)


def contact_form(w, new=True):
    partner = make_partner()
    n = next(_tokens)
    valid = {"name": "Marie-Ange Joseph", "email": f"contact{n}@jacmel.example", "language": "fr"}
    base = f"/referentiel/partenaires/{partner.id}/contacts"
    return Target("bri", f"{base}/nouveau" if new else f"{base}/{make_contact(partner).id}", valid)


def contact_edition_form(w):
    return contact_form(w, new=False)


def _asked(w):
    partner = make_partner()
    contact = make_contact(partner)
    return make_request(w, "manager_approved", partner=partner), contact


def partner_ask_form(w):
    req, contact = _asked(w)
    valid = {"partner_ask-contact_id": str(contact.id), "partner_ask-version": str(req.version)}
    return Target("bri", f"/conges/{req.id}/partenaire/demander", valid)


def partner_record_form(w):
    req, _contact = _asked(w)
    valid = {"partner_record-comment": "Confirmé par téléphone.", "partner_record-version": str(req.version)}
    return Target("bri", f"/conges/{req.id}/partenaire/consigner", valid)


def partner_answer_form(w):
    """The host partner's page, without an account."""
    from app.core.cli import cli_request_context
    from app.leave.services.partners import send_partner_confirmation

    req, contact = _asked(w)
    with cli_request_context():
        _row, token = send_partner_confirmation(req, contact.id, w.bri)
    db.session.commit()
    return Target(None, f"/partenaire/confirmation/{token}", {"answer": "declined", "comment": "Pas cette année."})


def _checklist_item(key: str, valid: dict):
    """One item of an approved mission's pre-departure checklist, as its applicant completes it."""

    def build(w):
        req = make_request(w, "approved")
        return Target(
            "applicant", f"/conges/{req.id}/preparatifs/{key}", {f"item-{key}-{k}": v for k, v in valid.items()}
        )

    build.__name__ = f"checklist_{key}_form"
    return build


def checklist_exception_form(w):
    req = make_request(w, "approved")
    valid = {
        "checklist_exception-comment": "Attestation reçue par courriel.",
        "checklist_exception-version": str(req.version),
    }
    return Target("bri", f"/conges/{req.id}/preparatifs/derogation", valid)


def checklist_cycle_item_form(w):
    valid = {"label_fr": "Certificat de vaccination", "label_en": "Vaccination certificate", "document_required": "y"}
    return Target("bri", f"/conges/bri/cycles/{w.cycle.id}/preparatifs", valid)


def admin_user_form(w, new=True):
    n = next(_tokens)
    valid = {
        "full_name": "Nouvelle Personne",
        "email": f"nouvelle{n}@example.org",
        "employee_number": f"N{n}",
        "department_id": str(w.department.id),
        "manager_id": str(w.manager.id),
        "roles": ["employee"],
        "language": "fr",
        "active": "y",
    }
    return Target("admin", "/admin/utilisateurs/nouveau" if new else f"/admin/utilisateurs/{w.colleague.id}", valid)


def admin_user_edition_form(w):
    return admin_user_form(w, new=False)


def department_form(w, new=True):
    valid = {"name": f"Service {next(_tokens)}", "code": f"SRV{next(_tokens)}", "active": "y"}
    return Target("admin", "/admin/services/nouveau" if new else f"/admin/services/{w.department.id}", valid)


def department_edition_form(w):
    return department_form(w, new=False)


FORMS = [
    login_form,
    own_password_form,
    password_link_form,
    admin_password_form,
    request_creation_form,
    request_submission_form,
    request_edition_form,
    _decision("applicant", "draft", "soumettre"),
    _decision("applicant", "submitted", "retirer"),
    _decision("manager", "submitted", "gestionnaire/approuver"),
    _decision("manager", "submitted", "gestionnaire/refuser"),
    _decision("manager", "submitted", "gestionnaire/modifications"),
    _decision("bri", "manager_approved", "bri/approuver"),
    _decision("bri", "manager_approved", "bri/refuser"),
    _decision("bri", "manager_approved", "bri/modifications"),
    _decision("bri", "approved", "annuler"),
    delegation_form,
    _report("modifier"),
    _report("soumettre"),
    _report_decision("accepter"),
    _report_decision("retourner"),
    project_creation_form,
    project_edition_form,
    project_partner_form,
    _line("financement", {"funding-source": "federal", "funding-amount": "100", "funding-note": ""}),
    _line(
        "depenses",
        {
            "expenditure-spent_on": "2026-03-15",
            "expenditure-amount": "10",
            "expenditure-description": "Billets",
            "expenditure-source": "federal",
        },
    ),
    _line("jalons", {"milestone-title": "Jalon", "milestone-due_on": "2026-06-01"}),
    project_mission_form,
    update_creation_form,
    update_edition_form,
    photo_caption_form,
    result_form,
    indicator_form,
    period_form,
    actual_form,
    report_proposal_form,
    _proposal_decision("accepter"),
    _proposal_decision("refuser"),
    sector_form,
    sector_edition_form,
    cycle_form,
    cycle_edition_form,
    country_eligibility_form,
    partner_form,
    partner_edition_form,
    contact_form,
    contact_edition_form,
    partner_ask_form,
    partner_record_form,
    partner_answer_form,
    _checklist_item("training", {"done_on": montreal_today().isoformat()}),
    _checklist_item("passport", {"expires_on": (montreal_today() + timedelta(days=3000)).isoformat()}),
    _checklist_item("visa", {"needed": "yes", "reference": "HT-VISA-0042"}),
    _checklist_item("registration", {"done": "y", "done_on": montreal_today().isoformat()}),
    _checklist_item("emergency", {"contact_name": "Lucie Tremblay", "contact_phone": "+1 514 555-0199"}),
    checklist_exception_form,
    checklist_cycle_item_form,
    admin_user_form,
    admin_user_edition_form,
    department_form,
    department_edition_form,
]


class Clients:
    """One logged-in test client per person, made when first needed; a new one after a password change."""

    def __init__(self, app, world):
        self.app, self.world, self.known = app, world, {}

    def of(self, who: str | None):
        if who is None:
            return self.app.test_client()
        if who == "colleague":  # the password forms change this person's password: log in again each time
            return client_for(self.app, getattr(self.world, who))
        if who not in self.known:
            self.known[who] = client_for(self.app, getattr(self.world, who))
        return self.known[who]

    def post(self, target: Target, data: dict) -> int:
        response = self.of(target.who).post(target.url, data=data)
        check(response, target)
        return response.status_code


@pytest.fixture
def clients(app, world):
    return Clients(app, world)


@pytest.fixture(autouse=True)
def _roomy_cycle(world):
    """The world's cycle takes every mission the examples approve."""
    world.cycle.places = 100_000
    world.cycle.budget_envelope = 10**9
    db.session.commit()


# The values every field of every form gets once, in the sweep.
SWEEP = ["NaN", str(2**63), "-1", "9999-12-31", "x" * 6000, ["1", "2"]]


# The submission posts the creation's fields: the random examples cover it.
SWEPT = [form for form in FORMS if form is not request_submission_form]


@pytest.mark.parametrize("form", SWEPT, ids=lambda f: f.__name__)
def test_every_field_of_every_form_takes_the_worst_values(world, clients, form):
    target = form(world)
    for name in list(target.valid):
        for value in SWEEP:
            if clients.post(target, {**target.valid, name: value}) < 400:
                target = form(world)  # it was accepted: the next post starts again from a fresh object


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
@EXAMPLES
@given(data=st.data())
def test_hostile_values_in_any_form(world, clients, form, data):
    target = form(world)
    clients.post(target, data.draw(posts(target.valid)))


# Query strings -------------------------------------------------------------------------------------------------

# The lists and the filter names of the plain hostile-input tests, plus what only the sweep asks for.
LISTS = [*hostile_input.LISTS, ("applicant", "/conges/jours-ouvrables")]
QUERY_NAMES = [*(name for name in hostile_input.FILTER_NAMES if name != "unknown"), "page", "cursor", "start", "end"]


@pytest.fixture
def closed_mission(make_mission):
    """A row in every list of requests, the archive included."""
    return make_mission("closed")


@pytest.mark.parametrize(("who", "url"), LISTS, ids=[f"{w}:{u}" for w, u in LISTS])
@EXAMPLES
@given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_value, max_size=6))
def test_hostile_list_query_strings(world, closed_mission, clients, who, url, query):
    response = clients.of(who).get(url, query_string=query)
    assert response.status_code < 500, (url, query, response.status_code)
