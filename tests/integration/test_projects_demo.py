"""The demo data of the projects: fictional Haïti projects in every state, linked to the leave demo's missions
when there are some."""

import io

from PIL import Image
from sqlalchemy import func, select

from app.accounts import demo as accounts_demo
from app.core import uploads
from app.core.database import montreal_today
from app.projects import demo
from app.projects.models import PHOTO_FOLDER, Project, ProjectChange, ProjectPhoto, ProjectUpdate
from app.projects.queries import summarise
from tests.factories import make_request, year_cycle


def test_demo_projects_cover_every_state_and_use_the_missions_given(db):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    cycle = year_cycle()
    ctx["requests"] = {
        "approved": [make_request(applicant=ctx["users"]["emp4"], cycle=cycle, status="approved", days=10)],
        "draft": [make_request(applicant=ctx["users"]["emp5"], cycle=cycle, status="draft", days=5)],
    }
    demo.load(ctx)
    db.session.commit()
    statuses = set(db.session.scalars(select(Project.status)))
    assert statuses == {"planned", "active", "on_hold", "completed", "cancelled"}
    waste = ctx["projects"]["HT-PALMES-MR"]
    assert {r.reference for r in waste.missions} == {r.reference for rs in ctx["requests"].values() for r in rs}
    summary = summarise(waste)
    assert summary.in_kind_days == 10 and summary.funded > summary.spent
    assert summarise(ctx["projects"]["HT-PALMES-GOUV"]).overspent
    assert db.session.scalar(select(func.count(ProjectChange.id))) > 20


def test_demo_running_projects_have_results_with_an_actual_value_and_a_late_period(db):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    cycle = year_cycle()
    ctx["requests"] = {"approved": [make_request(applicant=ctx["users"]["emp4"], cycle=cycle, status="approved")]}
    demo.load(ctx)
    db.session.commit()
    today = montreal_today()
    for code in ("HT-PALMES-MR", "HT-PAP-FISC"):
        results = ctx["projects"][code].results
        assert {r.type for r in results} == {"1", "2"}, code  # an output and an outcome
        periods = [p for r in results for i in r.indicators for p in i.periods]
        assert all(i.baseline_value is not None for r in results for i in r.indicators)
        assert any(p.has_actual and p.actual_recorded_by_id == ctx["users"]["bri1"].id for p in periods), code
        assert any(p.is_late(today) for p in periods), code
    waste = ctx["projects"]["HT-PALMES-MR"]
    assert [m.project_result_id for m in waste.missions] == [waste.results[0].id]


def test_demo_projects_load_without_the_leave_demo(db):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    demo.load(ctx)
    db.session.commit()
    assert db.session.scalar(select(func.count(Project.id))) == len(demo.PROJECTS)


def test_two_demo_projects_have_updates_with_photos_drawn_at_load_time(db):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    demo.load(ctx)
    db.session.commit()
    updates = db.session.scalars(select(ProjectUpdate).order_by(ProjectUpdate.id)).all()
    by_project = {}
    for update in updates:
        by_project.setdefault(update.project.code, []).append(update)
    assert {code: len(u) for code, u in by_project.items()} == {"HT-PALMES-MR": 2, "HT-PAP-FISC": 2}
    assert {u.published for u in updates} == {True, False}
    photos = db.session.scalars(select(ProjectPhoto)).all()
    assert all(u.photos for u in updates) and {p.consent_to_publish for p in photos} == {True, False}
    assert all(p.caption_fr for p in photos)
    for photo in photos:
        image = Image.open(io.BytesIO(uploads.read(photo.stored_name, folder=PHOTO_FOLDER)))
        assert image.format == "JPEG" and image.size == (photo.width, photo.height) == (900, 600)
    fields = db.session.scalars(select(ProjectChange.field).where(ProjectChange.field.in_(("update", "photo"))))
    assert sorted(set(fields)) == ["photo", "update"]
