"""A mission report proposes an update of one of its project's indicators (issue 12): the employee proposes with the
report (only the project's indicators and their periods; the number checked like any actual value, next to the
field), the BRI accepts (the actual value recorded through record_actual: who, when, history) or declines (comment
required) on the report's page or in the project's results; a second decision is a 409; the employee sees the
proposal's fate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.core.database import montreal_today
from app.extensions import db as _db
from app.projects import services
from app.projects.models import ProjectChange
from app.projects.proposals import IndicatorProposal
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from tests.factories import REPORT_TEXT, client_for, make_project, text

TODAY = montreal_today()


def _framework(project, measure="2", title="Part des ménages desservis"):
    """A result of ``project`` with one indicator (a percentage by default) and two periods."""
    result = ProjectResult(project=project, type="2", title_fr="Les ménages trient", title_en="Sorting", position=1)
    indicator = ResultIndicator(
        result=result, title_fr=title, title_en="Share of households served", measure=measure, position=1
    )
    first = IndicatorPeriod(
        indicator=indicator, period_start=TODAY - timedelta(days=300), period_end=TODAY - timedelta(days=40)
    )
    current = IndicatorPeriod(
        indicator=indicator,
        period_start=TODAY - timedelta(days=39),
        period_end=TODAY + timedelta(days=300),
        target_value=Decimal("60"),
    )
    _db.session.add_all([result, indicator, first, current])
    _db.session.commit()
    return indicator, first, current


@pytest.fixture
def linked(world, make_mission):
    """A mission back from Haïti whose report is expected, linked to a project with a percentage indicator."""
    project = make_project()
    indicator, first, current = _framework(project)
    req = make_mission("report_due", project=project)
    return req, project, indicator, current


def _report_post(req, **proposal) -> dict:
    data = dict(REPORT_TEXT, version=str(req.version), report_version=str(_report_version(req)))
    data.update({f"proposal-{name}": value for name, value in proposal.items()})
    return data


def _report_version(req) -> int:
    _db.session.expire_all()
    return req.mission_report.version if req.mission_report is not None else 0


def _proposals() -> list[IndicatorProposal]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(IndicatorProposal).order_by(IndicatorProposal.id)))


def _propose_and_submit(client, req, indicator, period, value="42,5", comment="Comptage de fin de mission."):
    data = _report_post(req, indicator_id=indicator.id, period_id=period.id, value=value, comment=comment)
    response = client.post(f"/rapports/{req.id}/soumettre", data=data)
    assert response.status_code == 303, text(response)[:2000]
    [proposal] = _proposals()
    return proposal


def _decide(client, proposal, verb="accepter", comment="", back="report"):
    prefix = f"decide{proposal.id}"
    data = {f"{prefix}-comment": comment, f"{prefix}-back": back}
    return client.post(f"/projets/propositions/{proposal.id}/{verb}", data=data)


# The employee proposes ------------------------------------------------------------------------------------------


def test_report_form_offers_the_indicators_and_periods_of_the_missions_project_only(app, world, linked):
    req, _project, indicator, current = linked
    other = make_project(title_fr="Autre projet")
    foreign, *_ = _framework(other, title="Indicateur d'un autre projet")
    page = text(client_for(app, world.applicant).get(f"/rapports/{req.id}/modifier"))
    assert 'data-testid="proposal-fields"' in page
    indicators = _select(page, "proposal-indicator_id")
    periods = _select(page, "proposal-period_id")
    assert f'<option value="{indicator.id}">Part des ménages desservis</option>' in indicators
    assert f'<option value="{foreign.id}">' not in indicators
    assert f'value="{current.id}">Part des ménages desservis · ' in periods
    assert "Indicateur d'un autre projet" not in page


def _select(page: str, name: str) -> str:
    return page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_a_mission_without_a_project_offers_no_proposal(app, world, make_mission):
    req = make_mission("report_due")
    page = text(client_for(app, world.applicant).get(f"/rapports/{req.id}/modifier"))
    assert 'data-testid="proposal-fields"' not in page
    response = client_for(app, world.applicant).post(f"/rapports/{req.id}/modifier", data=_report_post(req))
    assert response.status_code == 303 and _proposals() == []


def test_applicant_proposes_an_update_with_the_report_and_finds_it_again(app, world, linked):
    req, _project, indicator, current = linked
    client = client_for(app, world.applicant)
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="42,5", comment=" Comptage. ")
    assert client.post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    [proposal] = _proposals()
    assert (proposal.request_id, proposal.indicator_id, proposal.period_id) == (req.id, indicator.id, current.id)
    assert proposal.value == Decimal("42.50") and proposal.comment == "Comptage."
    assert proposal.proposed_by_id == world.applicant.id and proposal.proposed_at is not None
    assert proposal.decision == "pending" and proposal.decided_by_id is None
    page = text(client.get(f"/rapports/{req.id}/modifier"))
    assert 'name="proposal-value" type="text" value="42.50"' in page or 'value="42.50"' in page
    # Saved again: the pending proposal is replaced, not doubled; a blank indicator withdraws it.
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="45", comment="")
    assert client.post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    [proposal] = _proposals()
    assert proposal.value == Decimal("45.00")
    assert client.post(f"/rapports/{req.id}/modifier", data=_report_post(req, indicator_id="0")).status_code == 303
    assert _proposals() == []


def test_an_indicator_of_another_project_is_refused_next_to_the_field_and_nothing_is_stored(app, world, linked):
    req, _project, _indicator, _current = linked
    foreign, _first, foreign_period = _framework(make_project(title_fr="Autre projet"))
    client = client_for(app, world.applicant)
    data = _report_post(req, indicator_id=foreign.id, period_id=foreign_period.id, value="12")
    response = client.post(f"/rapports/{req.id}/modifier", data=data)
    assert response.status_code == 422
    page = text(response)
    assert 'id="proposal-indicator_id-error"' in page
    assert "Choisissez un indicateur du projet de la mission." in page
    assert _proposals() == []
    assert _report_version(req) == 0  # the report itself was not saved either: one unit of work


def test_a_period_of_another_indicator_is_refused(app, world, linked):
    req, project, indicator, _current = linked
    second = ResultIndicator(result=indicator.result, title_fr="Dépôts sauvages", measure="1", position=2)
    other_period = IndicatorPeriod(indicator=second, period_start=TODAY, period_end=TODAY + timedelta(days=30))
    _db.session.add_all([second, other_period])
    _db.session.commit()
    data = _report_post(req, indicator_id=indicator.id, period_id=other_period.id, value="12")
    response = client_for(app, world.applicant).post(f"/rapports/{req.id}/modifier", data=data)
    assert response.status_code == 422
    assert "Choisissez une période de cet indicateur." in text(response)
    assert _proposals() == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "Entrez un nombre"),
        ("Infinity", "Entrez un nombre"),
        ("1e309", "Entrez un nombre"),
        ("9" * 30, "Ce nombre est trop grand"),
        ("99999999999999", "Ce nombre est trop grand"),
        ("12.345", "Au plus 2 décimales."),
        ("150", "Un pourcentage est compris entre 0 et 100."),
        ("", "Entrez la valeur réelle."),
    ],
)
def test_a_bad_number_is_refused_next_to_the_field_and_nothing_is_stored(app, world, linked, value, message):
    req, _project, indicator, current = linked
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value=value)
    response = client_for(app, world.applicant).post(f"/rapports/{req.id}/modifier", data=data)
    assert response.status_code == 422
    page = text(response)
    assert 'id="proposal-value-error"' in page
    assert message in page.split('id="proposal-value-error"', 1)[1][:300]
    assert _proposals() == []


def test_a_qualitative_indicator_takes_a_comment_and_no_number(app, world, make_mission):
    project = make_project()
    indicator, _first, current = _framework(project, measure="5", title="Appropriation par la mairie")
    req = make_mission("report_due", project=project)
    client = client_for(app, world.applicant)
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="3", comment="")
    response = client.post(f"/rapports/{req.id}/modifier", data=data)
    assert response.status_code == 422
    assert "Cet indicateur est qualitatif" in text(response)
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="", comment="Le conseil l'adopte.")
    assert client.post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    [proposal] = _proposals()
    assert proposal.value is None and proposal.comment == "Le conseil l'adopte."


# The BRI decides ------------------------------------------------------------------------------------------------


def test_bri_accepts_and_the_actual_is_recorded_through_record_actual_with_who_when_and_history(app, world, linked):
    req, project, indicator, current = linked
    proposal = _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    bri = client_for(app, world.bri)
    page = text(bri.get(f"/rapports/{req.id}"))
    assert 'data-testid="report-proposals"' in page and 'data-testid="accept-proposal"' in page
    response = _decide(bri, proposal, "accepter")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rapports/{req.id}#proposals")
    _db.session.expire_all()
    period = _db.session.get(IndicatorPeriod, current.id)
    assert period.actual_value == Decimal("42.50") and period.actual_comment == "Comptage de fin de mission."
    assert period.actual_recorded_by_id == world.bri.id and period.actual_recorded_at is not None
    changes = _db.session.scalars(select(ProjectChange).where(ProjectChange.project_id == project.id)).all()
    recorded = [c for c in changes if c.action == "recorded"]
    assert len(recorded) == 1 and recorded[0].actor_id == world.bri.id and "42.50" in recorded[0].new_value
    [proposal] = _proposals()
    assert proposal.decision == "accepted" and proposal.decided_by_id == world.bri.id and proposal.decided_at
    # The employee sees the fate of the proposal on their report's page.
    page = text(client_for(app, world.applicant).get(f"/rapports/{req.id}"))
    assert "Acceptée par le BRI" in page and "Rodrigue Saint-Fleur" in page
    assert 'data-testid="accept-proposal"' not in page


def test_bri_declines_only_with_a_comment_that_the_employee_reads(app, world, linked):
    req, _project, indicator, current = linked
    proposal = _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    bri = client_for(app, world.bri)
    response = _decide(bri, proposal, "refuser", comment="  ")
    assert response.status_code == 422
    assert "Un commentaire est requis pour refuser la proposition." in text(response)
    assert _proposals()[0].decision == "pending"
    response = _decide(bri, proposal, "refuser", comment="Le comptage ne couvre qu'un quartier.", back="project")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/projets/{proposal.indicator.result.project_id}#results")
    [proposal] = _proposals()
    assert proposal.decision == "declined" and proposal.decision_comment == "Le comptage ne couvre qu'un quartier."
    assert _db.session.get(IndicatorPeriod, current.id).actual_recorded_at is None
    page = text(client_for(app, world.applicant).get(f"/rapports/{req.id}"))
    assert "Refusée par le BRI" in page and "Le comptage ne couvre qu'un quartier." in page


def test_a_second_decision_on_the_same_proposal_is_a_409_and_changes_nothing(app, world, linked):
    req, _project, indicator, current = linked
    proposal = _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    assert _decide(client_for(app, world.bri), proposal, "accepter").status_code == 303
    again = _decide(client_for(app, world.bri2), proposal, "refuser", comment="Non.")  # bri2 reads English
    assert again.status_code == 409
    assert "This proposal was already decided" in text(again)
    again = _decide(client_for(app, world.bri), proposal, "accepter")
    assert again.status_code == 409 and "Cette proposition a déjà été décidée" in text(again)
    [proposal] = _proposals()
    assert proposal.decision == "accepted" and proposal.decided_by_id == world.bri.id


def test_the_conditional_update_refuses_a_decision_taken_meanwhile_by_another_worker(app, world, linked):
    req, _project, indicator, current = linked
    proposal = _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    proposal = _db.session.get(IndicatorProposal, proposal.id)
    assert proposal.pending
    # Declined behind the ORM's back between our read and our write (as another worker would): our copy still says
    # "pending", the database does not.
    _db.session.execute(
        update(IndicatorProposal.__table__).where(IndicatorProposal.id == proposal.id).values(decision="declined")
    )
    assert proposal.pending
    with app.test_request_context(), pytest.raises(services.ProposalConflict):
        services.accept_proposal(proposal, world.bri)
    _db.session.rollback()
    assert _db.session.get(IndicatorPeriod, current.id).actual_recorded_at is None


@pytest.mark.parametrize("who", ["applicant", "manager", "colleague"])
def test_only_the_bri_decides(app, world, linked, who):
    req, _project, indicator, current = linked
    proposal = _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    assert _decide(client_for(app, getattr(world, who)), proposal, "accepter").status_code == 403
    assert _decide(client_for(app, getattr(world, who)), proposal, "refuser", comment="x").status_code == 403
    assert _proposals()[0].decision == "pending"


def test_a_missing_proposal_is_a_404_and_a_get_a_405(app, world):
    bri = client_for(app, world.bri)
    assert bri.post("/projets/propositions/999999/accepter").status_code == 404
    assert bri.get("/projets/propositions/1/accepter").status_code == 405


def test_a_draft_reports_proposal_waits_for_the_submission(app, world, linked):
    req, project, indicator, current = linked
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="40")
    assert client_for(app, world.applicant).post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    [proposal] = _proposals()
    bri = client_for(app, world.bri)
    assert 'data-testid="pending-proposals"' not in text(bri.get(f"/projets/{project.id}"))
    assert _decide(bri, proposal, "accepter").status_code == 409
    assert _proposals()[0].decision == "pending"


def test_a_report_holds_one_pending_proposal_the_database_refuses_a_second(app, world, linked):
    req, project, indicator, current = linked
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="40")
    assert client_for(app, world.applicant).post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    [first] = _proposals()
    second = IndicatorProposal(
        request_id=req.id, proposed_by_id=world.applicant.id, indicator_id=indicator.id, period_id=current.id
    )
    _db.session.add(second)
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()
    # A decided proposal is no obstacle to a new pending one.
    _db.session.execute(update(IndicatorProposal).where(IndicatorProposal.id == first.id).values(decision="declined"))
    _db.session.add(
        IndicatorProposal(
            request_id=req.id, proposed_by_id=world.applicant.id, indicator_id=indicator.id, period_id=current.id
        )
    )
    _db.session.commit()
    assert [p.decision for p in _proposals()] == ["declined", "pending"]


def test_a_save_that_races_another_pending_proposal_is_a_409_and_keeps_the_first(app, world, linked, monkeypatch):
    """The other save's proposal committed between this save's read and its write (PostgreSQL's row lock keeps
    them apart; the index is what holds on any database): the page says so, and nothing of this save is kept."""
    req, project, indicator, current = linked
    data = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="40")
    applicant = client_for(app, world.applicant)
    assert applicant.post(f"/rapports/{req.id}/modifier", data=data).status_code == 303
    from app.projects.services import proposals as proposal_services

    monkeypatch.setattr(proposal_services, "pending_proposal", lambda _req: None)  # it did not see the first
    again = _report_post(req, indicator_id=indicator.id, period_id=current.id, value="55")
    response = applicant.post(f"/rapports/{req.id}/modifier", data=again)
    assert response.status_code == 409 and "La proposition du rapport a été enregistrée entre-temps" in text(response)
    [kept] = _proposals()
    assert kept.value == Decimal("40") and kept.decision == "pending"


# The pages ------------------------------------------------------------------------------------------------------


def test_project_results_show_the_pending_proposals_to_the_bri_only(app, world, linked):
    req, project, indicator, current = linked
    _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    page = text(client_for(app, world.bri).get(f"/projets/{project.id}"))
    assert 'data-testid="pending-proposals"' in page
    assert req.reference in page and "Éloïse Tremblay" in page and "42,5" in page
    assert 'data-testid="accept-proposal"' in page
    employee_page = text(client_for(app, world.colleague).get(f"/projets/{project.id}"))
    assert 'data-testid="pending-proposals"' not in employee_page


def test_the_pages_speak_english_to_an_english_reader(app, world, linked):
    req, project, indicator, current = linked
    _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    bri2 = client_for(app, world.bri2)  # reads English
    page = text(bri2.get(f"/rapports/{req.id}"))
    assert "Proposed update of an indicator" in page and "Waiting for the BRI" in page
    assert "Accept and record the actual value" in page
    page = text(bri2.get(f"/projets/{project.id}"))
    assert "Indicator updates proposed by mission reports" in page
    french = text(client_for(app, world.bri).get(f"/rapports/{req.id}"))
    assert "Mise à jour proposée d’un indicateur" in french and "En attente du BRI" in french


def test_the_pages_with_a_proposal_keep_their_statement_budget(app, world, linked, count_queries):
    req, project, indicator, current = linked
    _propose_and_submit(client_for(app, world.applicant), req, indicator, current)
    bri = client_for(app, world.bri)
    employee = client_for(app, world.applicant)
    pages = [(bri, f"/rapports/{req.id}"), (bri, f"/projets/{project.id}"), (employee, f"/rapports/{req.id}")]
    for client, url in pages:
        client.get(url)  # warm: the reference caches
        _db.session.expire_all()
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= 8, (url, len(statements), statements)


def test_the_demo_has_a_submitted_report_with_a_pending_proposal(app, db):
    from app.core.registry import registry_of

    ctx = {"password": "demo-demo-2026", "accounts": []}
    for step in registry_of(app).demo_loaders:
        step.run(ctx)
    db.session.commit()
    pending = db.session.scalars(select(IndicatorProposal).where(IndicatorProposal.decision == "pending")).all()
    assert len(pending) == 1
    [proposal] = pending
    assert proposal.request.status == "report_submitted" and proposal.request.mission_report.submitted_at
    assert proposal.indicator.result.project_id == proposal.request.project_id
    assert db.session.scalar(select(func.count()).select_from(IndicatorProposal)) == 1
