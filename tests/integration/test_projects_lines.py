"""The project form, the lines of a project (partners, milestones, expenditure documents), the missions linked to
it, the sectors page, and the history every change writes."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core import uploads
from app.core.database import montreal_today
from app.extensions import db as _db
from app.leave.models import LeaveRequest
from app.projects import services
from app.projects.models import Expenditure, Milestone, Project, ProjectChange, ProjectPartner, Sector
from app.projects.pickers import PROJECTS
from tests.factories import (
    add_lines,
    make_partner,
    make_project,
    make_request,
    make_sector,
    text,
    year_cycle,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bri(client, login, make_user):
    user = make_user(roles=("employee", "bri"), full_name="Rodrigue Officier")
    login(user)
    return user


def _project_data(sector, **overrides):
    data = {
        "code": "ht-pap-fisc",
        "title_fr": "Fiscalité municipale – Port-au-Prince",
        "title_en": "",
        "description_fr": "Rôle foncier.",
        "country_code": "HT",
        "locality": "Port-au-Prince",
        "sector_id": sector.id,
        "status": "planned",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "budget": "420 000,00",
    }
    data.update(overrides)
    return data


def _changes(project_id):
    _db.session.expire_all()
    return _db.session.scalars(
        select(ProjectChange).where(ProjectChange.project_id == project_id).order_by(ProjectChange.id)
    ).all()


def test_bri_creates_a_project_and_the_history_says_so(client, bri):
    sector = make_sector("15114")
    response = client.post("/projets/nouveau", data=_project_data(sector))
    assert response.status_code == 303
    project = _db.session.scalar(select(Project))
    assert response.headers["Location"] == f"/projets/{project.id}"
    assert project.code == "HT-PAP-FISC" and project.budget == Decimal("420000.00")
    assert [(c.action, c.field, c.actor_id) for c in _changes(project.id)] == [("created", "project", bri.id)]
    page = text(client.get(f"/projets/{project.id}"))
    assert "Projet HT-PAP-FISC créé." in page
    assert "Création — Projet" in page and "Rodrigue Officier" in page


def test_editing_a_project_records_each_changed_field(client, bri):
    project = make_project(code="HT-E", budget=Decimal("10.00"), status="planned")
    data = _project_data(project.sector, code="HT-E", status="active", budget="12,50", start_date="2026-01-01")
    data["end_date"] = "2027-12-31"
    assert client.post(f"/projets/{project.id}/modifier", data=data).status_code == 303
    changes = {c.field: (c.old_value, c.new_value) for c in _changes(project.id)}
    assert changes["status"] == ("planned", "active")
    assert changes["budget"] == ("10.00", "12.50")
    assert "code" not in changes and "sector" not in changes
    page = text(client.get(f"/projets/{project.id}"))
    assert "Modification — Statut" in page and "Prévu" in page and "Actif" in page
    assert "10,00 $" in page and "12,50 $" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2025-12-31"}, "end_date", "La date de fin doit être égale ou postérieure à la date de début."),
        ({"title_fr": ""}, "title_fr", ""),
        ({"code": "HT PAP"}, "code", "Lettres, chiffres et traits d'union seulement."),
        ({"budget": "-3"}, "budget", "Le montant ne peut pas être négatif."),
        ({"start_date": ""}, "start_date", "Saisissez une date."),
    ],
)
def test_project_form_refuses_bad_input_next_to_the_field(client, bri, overrides, field, message):
    sector = make_sector()
    response = client.post("/projets/nouveau", data=_project_data(sector, **overrides))
    assert response.status_code == 422
    page = text(response)
    assert f'id="{field}-error"' in page and message in page
    assert _db.session.scalar(select(func.count(Project.id))) == 0


def test_project_code_is_unique_whatever_the_case(client, bri):
    existing = make_project(code="HT-PAP-FISC")
    response = client.post("/projets/nouveau", data=_project_data(existing.sector, code="ht-pap-fisc"))
    assert response.status_code == 422
    assert "Un autre projet porte déjà ce code." in text(response)


def test_project_dates_cannot_leave_expenditures_outside(client, bri):
    project = make_project(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    add_lines(project, expenditures=[(date(2026, 11, 1), "5", "other")])
    data = _project_data(project.sector, code=project.code, start_date="2026-01-01", end_date="2026-10-31")
    response = client.post(f"/projets/{project.id}/modifier", data=data)
    assert response.status_code == 422
    assert "1 dépense tomberait hors des dates du projet" in text(response)


def test_new_project_defaults_to_haiti_and_offers_any_country(client, bri):
    make_sector()
    page = text(client.get("/projets/nouveau"))
    assert '<option selected value="HT">Haïti</option>' in page
    assert '<option value="SN">Sénégal</option>' in page


# Partners ----------------------------------------------------------------------------------------------------


def test_partners_are_added_once_per_role_and_removed(client, bri):
    project, partner = make_project(), make_partner(name="Mairie de Léogâne")
    data = {"partner-partner_id": partner.id, "partner-role": "accountable"}
    assert client.post(f"/projets/{project.id}/partenaires", data=data).status_code == 303
    again = client.post(f"/projets/{project.id}/partenaires", data=data)
    assert again.status_code == 422
    assert "Ce partenaire a déjà ce rôle dans le projet." in text(again)
    link = _db.session.scalar(select(ProjectPartner))
    assert client.post(f"/projets/{project.id}/partenaires/{link.id}/retirer").status_code == 303
    assert _db.session.scalar(select(ProjectPartner.id)) is None
    assert [(c.action, c.field) for c in _changes(project.id)] == [("added", "partner"), ("removed", "partner")]
    assert "Mairie de Léogâne (Responsable)" in text(client.get(f"/projets/{project.id}"))


# Milestones --------------------------------------------------------------------------------------------------


def test_milestones_late_ones_are_said_in_words(client, bri):
    project = make_project(start_date=date(2020, 1, 1), end_date=date(2035, 12, 31))
    today = montreal_today()
    add_lines(
        project,
        milestones=[
            ("Passé non atteint", today - timedelta(days=1), False),
            ("Passé atteint", today - timedelta(days=5), True),
            ("Aujourd'hui", today, False),
        ],
    )
    page = text(client.get(f"/projets/{project.id}"))
    assert page.count('data-testid="milestone-late"') == 1
    late_row = page.split("Passé non atteint")[1].split("</tr>")[0]
    assert "En retard" in late_row
    assert "Atteint" in page.split("Passé atteint")[1].split("</tr>")[0]
    assert "À venir" in page.split("Aujourd'hui")[1].split("</tr>")[0]


def test_milestones_are_added_toggled_and_deleted(client, bri):
    project = make_project()
    response = client.post(
        f"/projets/{project.id}/jalons", data={"milestone-title": "Atelier", "milestone-due_on": "2026-04-01"}
    )
    assert response.status_code == 303
    milestone = _db.session.scalar(select(Milestone))
    client.post(f"/projets/{project.id}/jalons/{milestone.id}/basculer")
    _db.session.expire_all()
    assert milestone.done is True
    client.post(f"/projets/{project.id}/jalons/{milestone.id}/basculer")
    _db.session.expire_all()
    assert milestone.done is False
    client.post(f"/projets/{project.id}/jalons/{milestone.id}/supprimer")
    assert _db.session.scalar(select(Milestone.id)) is None
    actions = [c.action for c in _changes(project.id)]
    assert actions == ["added", "done", "reopened", "removed"]
    bad = client.post(f"/projets/{project.id}/jalons", data={"milestone-title": "", "milestone-due_on": ""})
    assert bad.status_code == 422
    assert 'id="milestone-title-error"' in text(bad) and 'id="milestone-due_on-error"' in text(bad)


# Expenditure documents ---------------------------------------------------------------------------------------


def _spend_with_file(client, project, content: bytes, name: str):
    data = {
        "expenditure-spent_on": "2026-03-01",
        "expenditure-amount": "12,00",
        "expenditure-description": "Facture",
        "expenditure-source": "other",
        "expenditure-attachment": (io.BytesIO(content), name),
    }
    return client.post(f"/projets/{project.id}/depenses", data=data, content_type="multipart/form-data")


def test_expenditure_document_is_stored_and_downloaded_as_attachment_by_bri_only(app, client, bri, login, make_user):
    project = make_project()
    assert _spend_with_file(client, project, PDF, "facture.pdf").status_code == 303
    expenditure = _db.session.scalar(select(Expenditure))
    assert expenditure.attachment_type == "application/pdf" and expenditure.attachment_name == "facture.pdf"
    assert expenditure.attachment_stored != "facture.pdf"
    url = f"/projets/{project.id}/depenses/{expenditure.id}/piece"
    with client.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
    other = app.test_client()
    login(make_user(), test_client=other)
    assert other.get(url).status_code == 403
    assert client.post(f"/projets/{project.id}/depenses/{expenditure.id}/supprimer").status_code == 303
    assert client.get(url).status_code == 404


def test_expenditure_document_of_another_type_is_refused(client, bri):
    project = make_project()
    response = _spend_with_file(client, project, b"MZ\x90\x00 not a document", "virus.pdf")
    assert response.status_code == 422
    assert 'id="expenditure-attachment-error"' in text(response)
    assert "Seuls les fichiers PDF, JPEG, PNG et Word (DOCX) sont acceptés." in text(response)
    assert _db.session.scalar(select(Expenditure.id)) is None


def test_expenditure_document_over_10_mb_is_refused(client, bri, monkeypatch):
    # A smaller limit: a 10 MB upload in the test client spools to an unclosed temporary file.
    monkeypatch.setattr(uploads, "MAX_SIZE", 1024)
    project = make_project()
    response = _spend_with_file(client, project, PDF + b"0" * 1024, "gros.pdf")
    assert response.status_code == 422
    assert "Le fichier dépasse 10 Mo." in text(response)
    assert _db.session.scalar(select(Expenditure.id)) is None


def test_expenditure_accepts_png_and_docx_documents(client, bri):
    project = make_project()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    assert _spend_with_file(client, project, buffer.getvalue(), "rapport.docx").status_code == 303
    assert _spend_with_file(client, project, png, "recu.png").status_code == 303
    types = set(_db.session.scalars(select(Expenditure.attachment_type)))
    assert types == {"image/png", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


# Missions ----------------------------------------------------------------------------------------------------


def test_bri_links_and_unlinks_a_mission(client, bri, make_user):
    project = make_project()
    applicant = make_user(full_name="Farah Louissaint")
    req = make_request(applicant=applicant, cycle=year_cycle(daily_rate=Decimal("100.00")), status="approved", days=5)
    page = text(client.get(f"/projets/{project.id}"))
    assert (
        'data-picker-url="/choix/projects.missions"' in page and "<option" not in page.split("link-request_id")[1][:300]
    )
    found = client.get("/choix/projects.missions?q=farah").get_json()["results"]
    assert found == [{"value": str(req.id), "label": f"{req.reference} – Farah Louissaint – Approuvée par le BRI"}]
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": req.id})
    assert response.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(LeaveRequest, req.id).project_id == project.id
    page = text(client.get(f"/projets/{project.id}"))
    assert "Mission liée au projet." in page and "Farah Louissaint" in page
    assert "500,00 $" in page  # 5 days at 100.00
    assert "Liaison — Mission" in page and req.reference in page
    assert client.post(f"/projets/{project.id}/missions/{req.id}/delier").status_code == 303
    _db.session.expire_all()
    assert _db.session.get(LeaveRequest, req.id).project_id is None
    assert [c.action for c in _changes(project.id)] == ["linked", "unlinked"]


@pytest.mark.parametrize("status", ["cancelled", "withdrawn", "rejected"])
def test_finished_requests_cannot_be_linked(client, bri, make_user, status):
    project = make_project()
    req = make_request(applicant=make_user(), cycle=year_cycle(), status=status, days=10)
    assert client.get(f"/choix/projects.missions?q={req.reference}").get_json()["results"] == []
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": req.id})
    assert response.status_code == 422
    assert "Une demande annulée, retirée ou refusée ne peut pas être liée." in text(response)
    _db.session.expire_all()
    assert _db.session.get(LeaveRequest, req.id).project_id is None


def test_linking_an_unknown_request_says_so(client, bri):
    project = make_project()
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": 999999})
    assert response.status_code == 422
    assert "Aucune demande n’a cette référence" in text(response)
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": ""})
    assert response.status_code == 422
    assert "Choisissez une demande." in text(response)


def test_moving_a_mission_records_it_on_both_projects(db, make_user):
    officer = make_user(roles=("employee", "bri"))
    first, second = make_project(), make_project()
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    services.link_request_to_project(req, first, officer)
    with pytest.raises(services.MoveNotConfirmed):
        services.link_request_to_project(req, second, officer)
    services.link_request_to_project(req, second, officer, confirm_move=True)
    db.session.commit()
    assert [c.action for c in _changes(first.id)] == ["linked", "unlinked"]
    assert [c.action for c in _changes(second.id)] == ["linked"]


def test_mission_picker_names_the_current_project(client, bri, make_user):
    first = make_project(code="HT-PAP-EAU")
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    services.link_request_to_project(req, first, bri)
    _db.session.commit()
    [choice] = client.get(f"/choix/projects.missions?q={req.reference}").get_json()["results"]
    assert choice["label"].endswith("– projet HT-PAP-EAU")


def test_linking_a_mission_of_another_project_asks_to_confirm_the_move(client, bri, make_user):
    first = make_project(code="HT-PAP-EAU", title_fr="Eau potable")
    second = make_project(code="HT-PAL-DEC")
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    services.link_request_to_project(req, first, bri)
    _db.session.commit()

    asked = client.post(f"/projets/{second.id}/missions", data={"link-request_id": req.id})
    assert asked.status_code == 422
    page = text(asked)
    assert "Cette mission est liée au projet HT-PAP-EAU (Eau potable)." in page
    assert "Confirmer le déplacement" in page
    _db.session.expire_all()
    assert _db.session.get(LeaveRequest, req.id).project_id == first.id
    assert [c.action for c in _changes(second.id)] == []

    moved = client.post(
        f"/projets/{second.id}/missions",
        data={"link-request_id": req.id, "link-confirm_move": "Confirmer le déplacement"},
    )
    assert moved.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(LeaveRequest, req.id).project_id == second.id
    assert [(c.action, c.old_value) for c in _changes(first.id)] == [("linked", ""), ("unlinked", req.reference)]
    assert [(c.action, c.new_value) for c in _changes(second.id)] == [("linked", req.reference)]


def test_request_form_link_applicant_picks_an_active_project_only(app, db, make_user):
    applicant, stranger = make_user(), make_user()
    active, planned = make_project(status="active", title_fr="Actif"), make_project(status="planned")
    req = make_request(applicant=applicant, cycle=year_cycle(), status="draft", days=10)
    found = {c.id for c in PROJECTS.search("ht-", applicant, 20)}
    assert active.id in found and planned.id not in found
    with pytest.raises(services.NotAllowed):
        services.link_request_to_project(req, planned, applicant)
    with pytest.raises(services.NotAllowed):
        services.link_request_to_project(req, active, stranger)
    services.link_request_to_project(req, active, applicant)
    db.session.commit()
    assert req.project is active
    assert _changes(active.id)[0].actor_id == applicant.id


def test_cancelled_project_receives_no_mission(app, db, make_user):
    officer = make_user(roles=("employee", "bri"))
    project = make_project(status="cancelled")
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    with app.test_request_context(), pytest.raises(services.ProjectRuleError) as refused:
        services.link_request_to_project(req, project, officer)
    assert refused.value.errors == {"request_id": "Un projet annulé ne peut pas recevoir de missions."}


# Sectors -----------------------------------------------------------------------------------------------------


def test_bri_adds_and_edits_sectors(client, bri):
    response = client.post("/projets/secteurs", data={"code": "15150", "name_fr": "Participation", "name_en": "P"})
    assert response.status_code == 303
    sector = _db.session.scalar(select(Sector))
    page = text(client.get("/projets/secteurs"))
    assert "Secteur 15150 ajouté." in page and "Participation" in page
    duplicate = client.post("/projets/secteurs", data={"code": "15150", "name_fr": "X", "name_en": "X"})
    assert duplicate.status_code == 422 and "Ce code figure déjà dans la liste." in text(duplicate)
    bad = client.post("/projets/secteurs", data={"code": "151", "name_fr": "X", "name_en": "X"})
    assert bad.status_code == 422 and "Cinq chiffres, par exemple 15112." in text(bad)
    edit = {"code": "15150", "name_fr": "Participation démocratique", "name_en": "Democratic participation"}
    assert client.post(f"/projets/secteurs/{sector.id}", data={**edit, "active": "0"}).status_code == 303
    _db.session.expire_all()
    assert sector.name_fr == "Participation démocratique" and sector.active is False
    make_project(sector=make_sector())
    assert "Participation démocratique" not in text(client.get("/projets/nouveau"))  # retired from new projects


def test_a_concurrent_change_of_the_request_is_a_409(client, bri, make_user, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    project = make_project()
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)

    def stale(*args, **kwargs):
        raise StaleDataError("changed meanwhile")

    monkeypatch.setattr(services, "link_request_to_project", stale)
    response = client.post(f"/projets/{project.id}/missions", data={"link-request_id": req.id})
    assert response.status_code == 409
    assert "modifiée par quelqu'un d'autre" in text(response)


def test_services_refuse_negative_amounts_and_dates_outside_the_project_by_themselves(app, db, make_user):
    officer = make_user(roles=("employee", "bri"))
    project = make_project(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    outside = {"spent_on": date(2027, 1, 1), "amount": Decimal("1"), "description": "x", "source": "other"}
    with app.test_request_context():
        with pytest.raises(services.ProjectRuleError) as refused:
            services.add_expenditure(project, outside, officer)
        assert set(refused.value.errors) == {"spent_on"}
        with pytest.raises(services.ProjectRuleError) as refused:
            services.add_funding_line(project, "federal", Decimal("-0.01"), "", officer)
        assert refused.value.errors == {"amount": "Le montant ne peut pas être négatif."}
        with pytest.raises(services.NotAllowed):
            services.add_milestone(project, "Atelier", date(2026, 5, 1), make_user())
    assert db.session.scalar(select(func.count(ProjectChange.id))) == 0


def test_a_code_taken_between_the_check_and_the_insert_is_told_next_to_the_field(client, bri, monkeypatch):
    """The database's unique constraint settles two creations at the same moment (the real race is in
    test_projects_concurrency.py, on PostgreSQL): here the other creation committed just after our check."""
    existing = make_project(code="HT-PAP-FISC")
    monkeypatch.setattr(services.projects, "_code_taken", lambda *args: False)
    response = client.post("/projets/nouveau", data=_project_data(existing.sector, code="ht-pap-fisc"))
    assert response.status_code == 422
    page = text(response)
    assert "Un autre projet porte déjà ce code." in page and 'id="code-error"' in page
    assert _db.session.scalar(select(func.count()).select_from(Project)) == 1


def test_a_sector_code_added_between_the_check_and_the_insert_is_told_next_to_the_field(client, bri, monkeypatch):
    make_sector("15150")
    monkeypatch.setattr(services.projects, "_sector_code_taken", lambda *args: False)
    response = client.post("/projets/secteurs", data={"code": "15150", "name_fr": "Doublon", "name_en": "Twin"})
    assert response.status_code == 422
    assert "Ce code figure déjà dans la liste." in text(response)
    assert _db.session.scalar(select(func.count()).select_from(Sector)) == 1
