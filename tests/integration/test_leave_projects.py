"""A leave request linked to a cooperation project from the request form; the project on the request page, in the
BRI's list and in the mission archive. Projects adds these to pages of leave and reports through their extension
points (app.projects.views.extensions): the page tests hold whichever side draws them."""

import re

import pytest
from flask import render_template
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from app.core.errors import Invalid, NotAllowed
from app.core.registry import FormExtension, Registry
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import ProjectChange
from app.projects.views.extensions import (
    ARCHIVE_PROJECT_FILTER,
    REQUEST_PROJECT_FACT,
    REQUEST_PROJECT_FIELD,
    REQUESTS_PROJECT_FILTER,
)
from tests.factories import client_for, form_data, make_project, make_request, make_sector, make_user, text

REFUSED = "Choisissez un projet de coopération actif."
NOT_OFFERED = "Aucun projet que vous pouvez choisir n’a ce code"


@pytest.fixture
def projects():
    sector = make_sector()
    return {
        status: make_project(sector, status=status, title_fr=f"Projet {status}", title_en=f"Project {status}")
        for status in ("active", "planned", "on_hold", "completed", "cancelled")
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def project_input(page: str) -> str:
    """The project field: a search-as-you-type text input, never a <select> of every project."""
    assert not re.search(r'<select[^>]*name="project_id"', page)
    return re.search(r'<input[^>]*name="project_id"[^>]*>', page).group(0)


def found_ids(client, q: str) -> list[int]:
    response = client.get("/choix/projects.projects", query_string={"q": q})
    assert response.status_code == 200
    return [int(r["value"]) for r in response.get_json()["results"]]


def changes(project) -> list[tuple[str, str, str, str, int]]:
    rows = db.session.scalars(
        select(ProjectChange).where(ProjectChange.project_id == project.id).order_by(ProjectChange.id)
    )
    return [(c.action, c.field, c.old_value, c.new_value, c.actor_id) for c in rows]


def reload(req: LeaveRequest) -> LeaveRequest:
    db.session.expire_all()
    return db.session.get(LeaveRequest, req.id)


# The field -----------------------------------------------------------------------------------------------------


def test_the_project_field_lists_the_active_projects_only(app, world, projects):
    client = client_for(app, world.applicant)
    page = text(client.get("/conges/nouvelle"))
    field = project_input(page)
    assert 'data-picker-url="/choix/projects.projects"' in field and 'value=""' in field
    assert found_ids(client, "projet") == [projects["active"].id]  # a word of the title
    assert found_ids(client, projects["planned"].code[:6]) == [projects["active"].id]  # a code's start


def test_editing_a_draft_keeps_its_project_in_the_choices_when_it_is_no_longer_active(app, world, projects):
    project = projects["on_hold"]
    req = make_request(world, "draft")
    # Linked without its history row on purpose (no service links a draft silently): the assertions below are
    # about the rows the edit itself writes.
    req.project = project
    db.session.commit()
    client = client_for(app, world.applicant)
    page = text(client.get(f"/conges/{req.id}/modifier"))
    field = project_input(page)
    assert f'value="{project.code}"' in field and f'data-picker-label="{project.code} – Projet on_hold"' in field
    # Still the applicant's project, so still found and accepted: the search of another applicant does not offer it.
    assert set(found_ids(client, "projet")) == {projects["active"].id, project.id}
    assert found_ids(client_for(app, world.colleague), "projet") == [projects["active"].id]

    # Posted back as the page shows it without JavaScript: the project's code.
    data = form_data(world, save="x", city="Cap-Haïtien", version=req.version, project_id=project.code)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    req = reload(req)
    assert (req.city, req.project_id) == ("Cap-Haïtien", project.id)
    assert changes(project) == []  # unchanged: no history row, no rule applied


# Saving --------------------------------------------------------------------------------------------------------


def test_a_new_draft_saved_with_a_project_is_linked_and_the_project_history_says_so(app, world, projects):
    project = projects["active"]
    client = client_for(app, world.applicant)
    response = client.post(
        "/conges/nouvelle", data=form_data(world, save="x", creation_token="t1", project_id=project.id)
    )
    assert response.status_code == 303
    req = db.session.scalar(select(LeaveRequest))
    assert req.project_id == project.id
    assert req.version == 1  # one INSERT, the link included
    assert changes(project) == [("linked", "mission", "", req.reference, world.applicant.id)]


def test_saving_and_submitting_with_a_project_links_it(app, world, projects):
    project = projects["active"]
    client = client_for(app, world.applicant)
    data = form_data(world, save_submit="x", creation_token="t2", project_id=project.id)
    assert client.post("/conges/nouvelle", data=data).status_code == 303
    req = db.session.scalar(select(LeaveRequest))
    assert (req.status, req.project_id) == ("submitted", project.id)
    assert [c[0] for c in changes(project)] == ["linked"]


def test_changing_the_project_then_choosing_none_unlinks_it_with_the_history_of_both(app, world, projects):
    first = projects["active"]
    second = make_project(first.sector, status="active")
    req = make_request(world, "draft")
    client = client_for(app, world.applicant)

    data = form_data(world, save="x", version=req.version, project_id=first.id)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    req = reload(req)
    assert req.project_id == first.id
    version = req.version

    data = form_data(world, save="x", version=req.version, project_id=second.id)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    req = reload(req)
    assert req.project_id == second.id
    assert req.version == version + 1  # one UPDATE per save

    data = form_data(world, save="x", version=req.version, project_id=0)
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    req = reload(req)
    assert req.project_id is None
    who = world.applicant.id
    assert changes(first) == [
        ("linked", "mission", "", req.reference, who),
        ("unlinked", "mission", req.reference, "", who),
    ]
    assert changes(second) == [
        ("linked", "mission", "", req.reference, who),
        ("unlinked", "mission", req.reference, "", who),
    ]


def test_a_form_without_the_project_field_leaves_the_link_alone(app, world, projects):
    project = projects["active"]
    req = make_request(world, "draft", project=project)
    client = client_for(app, world.applicant)
    data = form_data(world, save="x", city="Jérémie", version=req.version)  # no project_id at all
    assert client.post(f"/conges/{req.id}/modifier", data=data).status_code == 303
    assert reload(req).project_id == project.id


@pytest.mark.parametrize("status", ["planned", "on_hold", "completed", "cancelled", None])
def test_a_project_that_is_not_active_or_does_not_exist_is_refused_next_to_the_field(app, world, projects, status):
    project_id = projects[status].id if status else 999999
    client = client_for(app, world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, save_submit="x", project_id=project_id))
    assert response.status_code == 422
    page = text(response)
    assert 'id="project_id-error"' in page
    assert NOT_OFFERED in page  # the field refuses what the employee's search does not offer
    assert count(LeaveRequest) == 0
    assert count(ProjectChange) == 0


def test_an_edit_to_an_inactive_project_is_refused_and_nothing_is_saved(app, world, projects):
    req = make_request(world, "draft")
    # Linked without its history row on purpose (no service links a draft silently): the assertions below count
    # the rows the refused edit writes. The version is read after, as the applicant's page would.
    req.project = projects["active"]
    db.session.commit()
    version = req.version
    client = client_for(app, world.applicant)
    data = form_data(world, save="x", city="Jacmel-Ouest", version=req.version, project_id=projects["planned"].id)
    response = client.post(f"/conges/{req.id}/modifier", data=data)
    assert response.status_code == 422
    assert NOT_OFFERED in text(response)
    req = reload(req)
    assert (req.city, req.project_id, req.version) == ("Jacmel", projects["active"].id, version)
    assert count(ProjectChange) == 0


def test_a_project_id_that_is_not_a_number_is_an_error_next_to_the_field(app, world, projects):
    client = client_for(app, world.applicant)
    response = client.post("/conges/nouvelle", data=form_data(world, save="x", project_id="abc"))
    assert response.status_code == 422
    assert 'id="project_id-error"' in text(response)
    assert count(LeaveRequest) == 0


# The pages -----------------------------------------------------------------------------------------------------


def test_the_request_page_shows_the_project_with_a_link_for_those_who_may_see_it(app, world, projects):
    active = make_request(world, "submitted", project=projects["active"])
    page = text(client_for(app, world.applicant).get(f"/conges/{active.id}"))
    assert "Projet de coopération lié" in page
    assert f'href="/projets/{projects["active"].id}"' in page
    assert f"{projects['active'].code} – Projet active" in page

    english = text(client_for(app, world.bri2).get(f"/conges/{active.id}"))
    assert f"{projects['active'].code} – Project active" in english


def test_an_employee_sees_the_title_of_an_inactive_project_without_a_link_the_bri_with_one(app, world, projects):
    project = projects["completed"]
    req = make_request(world, "approved", project=project)
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}"))
    assert "Projet completed" in page
    assert f'href="/projets/{project.id}"' not in page
    page = text(client_for(app, world.bri).get(f"/conges/{req.id}"))
    assert f'href="/projets/{project.id}"' in page


def test_a_request_without_project_says_none(app, world):
    req = make_request(world, "draft")
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}"))
    assert re.search(r'data-testid="project">\s*aucun', page)


def test_an_employee_opens_the_active_projects_from_the_form_and_sees_no_amount(app, world, projects):
    client = client_for(app, world.applicant)
    form = text(client.get("/conges/nouvelle"))
    link = re.search(
        r'<a href="([^"]+)" data-testid="active-projects-link">Voir les projets de coopération actifs', form
    )
    assert link is not None
    response = client.get(link.group(1))
    assert response.status_code == 200
    page = text(response)
    assert "Projet active" in page
    assert "Projet planned" not in page
    assert "100 000,00" not in page  # the budget of every project
    assert "$" not in page


# The BRI's list ------------------------------------------------------------------------------------------------


def test_the_bri_filters_the_requests_by_project(app, world, projects):
    linked = make_request(world, "submitted", project=projects["active"])
    other = make_request(world, "submitted", project=projects["on_hold"])
    alone = make_request(world, "submitted")
    client = client_for(app, world.bri)
    page = text(client.get(f"/conges/bri/demandes?project_id={projects['active'].id}"))
    assert linked.reference in page
    assert other.reference not in page
    assert alone.reference not in page
    everything = text(client.get("/conges/bri/demandes"))
    assert all(r.reference in everything for r in (linked, other, alone))
    assert projects["on_hold"].code in everything  # the project column


@pytest.mark.parametrize("filtered", [False, True])
def test_the_bri_list_with_projects_runs_a_constant_number_of_statements(app, world, count_queries, projects, filtered):
    project = projects["active"]
    url = f"/conges/bri/demandes?project_id={project.id}" if filtered else "/conges/bri/demandes"
    client = client_for(app, world.bri)

    def add(n: int) -> None:
        for i in range(n):
            applicant = make_user(manager=world.manager, department=world.applicant.department)
            other = make_project(project.sector, status="active")
            make_request(world, "submitted", applicant=applicant, project=project if i % 2 else other)

    add(4)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add(4)
    with count_queries() as doubled:
        page = client.get(url)
    assert page.status_code == 200
    assert text(page).count(project.code) >= 4
    assert len(doubled) == len(small), (len(small), len(doubled))


# The extension objects, one by one ------------------------------------------------------------------------------
# Leave and reports declare the points ("leave.request_form", "leave.request_facts", "leave.bri_list",
# "reports.archive") and use what projects puts there; the tests below drive each object alone, as its owner will.


def request_form_class():
    """A form with the one extension field, as ``extended_form(LeaveRequestForm, "leave.request_form")`` makes it."""
    return type("RequestForm", (FlaskForm,), {REQUEST_PROJECT_FIELD.name: REQUEST_PROJECT_FIELD.field()})


def test_the_request_form_field_is_a_search_field_that_shows_the_current_project(app, world, projects):
    req = make_request(world, "draft")
    req.project = projects["on_hold"]  # linked before it was put on hold (no history row needed here)
    db.session.commit()
    with app.test_request_context("/conges/nouvelle"):
        form = request_form_class()()
        REQUEST_PROJECT_FIELD.fill(form, None)
        assert form.project_id.data is None
        assert 'data-picker-label=""' in str(form.project_id())
    with app.test_request_context(f"/conges/{req.id}/modifier"):
        form = request_form_class()()
        REQUEST_PROJECT_FIELD.fill(form, req)
        assert form.project_id.data == projects["on_hold"].id  # the initial value on GET
        assert f'value="{projects["on_hold"].code}"' in str(form.project_id())


def test_the_request_form_field_keeps_what_was_posted(app, world, projects):
    req = make_request(world, "draft", project=projects["active"])
    with app.test_request_context(f"/conges/{req.id}/modifier", method="POST", data={"project_id": ""}):
        form = request_form_class()(meta={"csrf": False})
        REQUEST_PROJECT_FIELD.fill(form, req)
        assert form.validate()
        assert form.project_id.data is None


def test_applying_the_request_form_field_links_refuses_and_leaves_an_unchanged_choice_alone(app, world, projects):
    req = make_request(world, "draft")
    with app.test_request_context():
        REQUEST_PROJECT_FIELD.apply(req, projects["active"].id, world.applicant)
        assert req.project is projects["active"]
        REQUEST_PROJECT_FIELD.apply(req, projects["active"].id, world.applicant)  # unchanged: nothing written
        for refused_id in (projects["planned"].id, 999999):
            with pytest.raises(Invalid) as refused:
                REQUEST_PROJECT_FIELD.apply(req, refused_id, world.applicant)
            assert (refused.value.field, str(refused.value.message)) == ("project_id", REFUSED)
        with pytest.raises(NotAllowed):
            REQUEST_PROJECT_FIELD.apply(req, 0, world.colleague)
        REQUEST_PROJECT_FIELD.apply(req, 0, world.applicant)
        assert req.project is None
    assert [c[:2] for c in changes(projects["active"])] == [("linked", "mission"), ("unlinked", "mission")]


def test_the_request_form_field_template_shows_the_field_its_help_and_the_link(app, world, projects):
    with app.test_request_context("/conges/nouvelle"):
        form = request_form_class()()
        REQUEST_PROJECT_FIELD.fill(form, None)
        html = render_template(REQUEST_PROJECT_FIELD.template, form=form, req=None)
    assert 'name="project_id"' in html and "Projet de coopération lié" in html
    assert "Facultatif" in html  # the help text
    assert '<a href="/projets/" data-testid="active-projects-link">Voir les projets de coopération actifs' in html


def test_the_request_fact_links_the_project_only_for_those_who_may_see_it(app, world, projects):
    active = make_request(world, "submitted", project=projects["active"])
    done = make_request(world, "draft")
    done.project = projects["completed"]
    db.session.commit()
    alone = make_request(world, "draft")

    def fact(req, user) -> str:
        with app.test_request_context():
            return render_template(REQUEST_PROJECT_FACT, req=req, current_user=user)

    page = fact(active, world.applicant)
    assert "<dt" in page and 'data-testid="project"' in page and "Projet de coopération lié" in page
    assert f'href="/projets/{projects["active"].id}"' in page and f"{projects['active'].code} – Projet active" in page
    assert "Projet completed" in fact(done, world.applicant)
    assert f'href="/projets/{projects["completed"].id}"' not in fact(done, world.applicant)
    assert f'href="/projets/{projects["completed"].id}"' in fact(done, world.bri)
    assert re.search(r'data-testid="project">\s*aucun', fact(alone, world.applicant))


def test_the_bri_list_filter_offers_every_project_filters_and_loads_the_column(app, world, projects):
    linked = make_request(world, "submitted", project=projects["active"])
    make_request(world, "submitted")
    ext = REQUESTS_PROJECT_FILTER
    with app.test_request_context():
        form = type("Filters", (FlaskForm,), {ext.name: ext.field()})(meta={"csrf": False})
        ext.fill(form[ext.name])
        assert 'data-picker-url="/choix/projects.projects"' in str(form[ext.name]())
        rows = db.session.scalars(ext.load(ext.apply(select(LeaveRequest), projects["active"].id))).unique().all()
        assert rows == [linked]
        cell = render_template(ext.cell, row=rows[0])
    assert f'<abbr title="Projet active">{projects["active"].code}</abbr>' in cell
    assert str(ext.header) == "Projet"


def test_the_archive_filter_is_a_search_field_and_ignores_a_bad_value(app, world, projects):
    closed = make_request(world, "closed", project=projects["active"])
    make_request(world, "closed")
    ext = ARCHIVE_PROJECT_FILTER
    with app.test_request_context():
        form = type("Archive", (FlaskForm,), {ext.name: ext.field()})(meta={"csrf": False})
        ext.fill(form[ext.name])
        assert 'data-picker-url="/choix/projects.projects"' in str(form[ext.name]())
        query = select(LeaveRequest).where(LeaveRequest.status == "closed")
        assert db.session.scalars(ext.apply(query, str(projects["active"].id))).all() == [closed]
        assert len(db.session.scalars(ext.apply(query, "abc")).all()) == 2
        assert len(db.session.scalars(ext.apply(query, "")).all()) == 2
        cells = [render_template(ext.cell, row=row) for row in db.session.scalars(ext.load(query)).unique()]
    assert any(f'<a href="/projets/{projects["active"].id}">Projet active</a>' in c for c in cells)
    assert any(c.strip() == "—" for c in cells)


def test_the_extensions_pass_the_start_up_check_once_their_points_are_declared(app):
    registry = Registry()
    for point in ("leave.request_form", "leave.request_facts", "leave.bri_list", "reports.archive"):
        registry.declare(point)
    registry.extend("leave.request_form", REQUEST_PROJECT_FIELD)
    registry.extend("leave.request_facts", REQUEST_PROJECT_FACT)
    registry.extend("leave.bri_list", REQUESTS_PROJECT_FILTER)
    registry.extend("reports.archive", ARCHIVE_PROJECT_FILTER)
    registry.check(app)  # every template exists
    assert isinstance(REQUEST_PROJECT_FIELD, FormExtension)
    assert REQUESTS_PROJECT_FILTER.name == "project_id" and ARCHIVE_PROJECT_FILTER.name == "project"  # the URLs'


def code(project) -> str:
    return project.code
