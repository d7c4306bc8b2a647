"""Two BRI officers record the actual value of the same period at the same moment, from the same page, on two
connections: one is saved, the other is the 409 page and changes nothing (the period's version settles it).
PostgreSQL only: SQLite serialises writers by design."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import ProjectChange
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.projects.services import results as result_services
from tests.factories import make_project, text

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is settled by PostgreSQL row locks: run with TEST_DATABASE_URL=postgresql+psycopg://…")


def test_two_actual_values_recorded_at_once_one_wins_the_other_is_a_conflict(app, login, make_user, monkeypatch):
    project = make_project()
    result = ProjectResult(project=project, type="1", title_fr="Brigades formées", position=1)
    indicator = ResultIndicator(result=result, title_fr="Agents formés", measure="1", position=1)
    period = IndicatorPeriod(
        indicator=indicator, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), target_value=Decimal(50)
    )
    db.session.add_all([result, indicator, period])
    db.session.commit()
    url, version = f"/projets/{project.id}/resultats/periodes/{period.id}/reel", period.version
    bri = make_user(roles=("employee", "bri"))
    first, second = app.test_client(), app.test_client()
    login(bri, test_client=first)
    login(bri, test_client=second)
    barrier = threading.Barrier(2, timeout=20)
    original = result_services._check_version

    def checked_then_wait(*args):  # both have seen the same version before either writes
        original(*args)
        barrier.wait()

    monkeypatch.setattr(result_services, "_check_version", checked_then_wait)
    responses: dict[str, object] = {}

    def record(name, client, value):
        responses[name] = client.post(url, data={"actual_value": value, "version": version})

    threads = [threading.Thread(target=record, args=args) for args in (("un", first, "41"), ("deux", second, "43"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.status_code for r in responses.values()) == [303, 409]
    refused = next(r for r in responses.values() if r.status_code == 409)
    assert "Quelqu'un d'autre a modifié cette partie du cadre de résultats" in text(refused)
    db.session.expire_all()
    saved = db.session.get(IndicatorPeriod, period.id)
    winner = next(name for name, r in responses.items() if r.status_code == 303)
    assert saved.actual_value == Decimal({"un": "41", "deux": "43"}[winner]) and saved.version == version + 1
    recorded = select(func.count()).where(ProjectChange.project_id == project.id, ProjectChange.action == "recorded")
    assert db.session.scalar(recorded) == 1


def test_two_photos_added_at_once_to_an_update_of_five_keep_it_at_six(app, login, make_user, monkeypatch):
    """Both requests have read the update before either adds its photo: the update's row lock counts the second
    after the first is committed, which is refused next to its field instead of making a seventh photo."""
    import io

    from PIL import Image

    from app.projects.models import ProjectPhoto, ProjectUpdate
    from app.projects.services import updates as update_services
    from app.projects.update_queries import MAX_PHOTOS

    project = make_project()
    bri = make_user(roles=("employee", "bri"))
    update = ProjectUpdate(project=project, update_date=date(2026, 5, 1), title_fr="Centre de tri", body_fr="Ouvert.")
    db.session.add(update)
    db.session.commit()

    def jpeg() -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (60, 40), (200, 60, 30)).save(out, "JPEG")
        return out.getvalue()

    with app.test_request_context():
        for _ in range(MAX_PHOTOS - 1):
            update_services.add_photo(update, _upload(jpeg()), {"caption_fr": "Les brigades"}, bri)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(bri, test_client=first)
    login(bri, test_client=second)
    barrier = threading.Barrier(2, timeout=20)
    original = update_services._lock

    def wait_then_lock(*args):  # both have read the update (five photos) before either locks it
        barrier.wait()
        original(*args)

    monkeypatch.setattr(update_services, "_lock", wait_then_lock)
    responses = []
    url, update_id, photo = f"/projets/{project.id}/actualites/{update.id}/photos", update.id, jpeg()

    def add(client):
        data = {"photo-photo": (io.BytesIO(photo), "photo.jpg"), "photo-caption_fr": "Le centre de tri"}
        responses.append(client.post(url, data=data, content_type="multipart/form-data"))

    threads = [threading.Thread(target=add, args=(client,)) for client in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.status_code for r in responses) == [303, 422]
    refused = next(r for r in responses if r.status_code == 422)
    assert "au plus 6 photos" in text(refused)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ProjectPhoto.id)).where(ProjectPhoto.update_id == update_id)) == 6


def _upload(content: bytes):
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename="photo.jpg", content_type="image/jpeg")
