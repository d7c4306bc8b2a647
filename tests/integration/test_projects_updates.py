"""Progress updates of a project with their photos: written by the BRI, read by whoever may see the project; photos
checked by decoding them, turned upright, resized, stripped of their metadata, served only to the project's
readers; a mission report's photos copied into an update; every change in the project's history."""

import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.core import uploads
from app.core.database import montreal_today
from app.extensions import db as _db
from app.leave.models import Attachment
from app.leave.services import attachments
from app.projects import services, update_queries
from app.projects.models import PHOTO_FOLDER, ProjectChange, ProjectPhoto, ProjectUpdate
from tests.factories import make_project, make_user, page_link, text

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(size=(3000, 2000), colour=(200, 60, 30), orientation=None, gps=False) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = image.getexif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        info = exif.get_ifd(GPS_IFD)
        info[1], info[2], info[3], info[4] = "N", (45.0, 30.0, 10.0), "W", (73.0, 34.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(2400, 1200), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 255) if mode == "RGBA" else None).save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 200, 0)).save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces ``width`` × ``height`` pixels (one bit each)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _chunk(b"IEND", b"")
    )


@pytest.fixture
def bri(client, login):
    user = make_user(roles=("employee", "bri"), full_name="Rodrigue Officier")
    login(user)
    return user


@pytest.fixture
def project(db):
    return make_project(code="HT-PALMES-MR", title_fr="Matières résiduelles", title_en="Solid waste")


def _update_data(**overrides) -> dict:
    data = {
        "update_date": (montreal_today() - timedelta(days=3)).isoformat(),
        "title_fr": "Ouverture du centre de tri",
        "title_en": "The sorting centre opens",
        "body_fr": "Le centre de tri de Léogâne a ouvert.\n\nLes brigades sont formées.",
        "body_en": "The Léogâne sorting centre opened.",
    }
    data.update(overrides)
    return data


def _write_update(client, project, **overrides) -> ProjectUpdate:
    response = client.post(f"/projets/{project.id}/actualites/nouvelle", data=_update_data(**overrides))
    assert response.status_code == 303, text(response)[:2000]
    return _db.session.scalars(select(ProjectUpdate).order_by(ProjectUpdate.id.desc())).first()


def _post_photo(client, project, update, content: bytes, name="photo.jpg", caption="Les brigades au travail", **extra):
    data = {"photo-photo": (io.BytesIO(content), name), "photo-caption_fr": caption, **extra}
    return client.post(
        f"/projets/{project.id}/actualites/{update.id}/photos", data=data, content_type="multipart/form-data"
    )


def _photos() -> list[ProjectPhoto]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(ProjectPhoto).order_by(ProjectPhoto.id)))


def _stored(photo: ProjectPhoto) -> Image.Image:
    return Image.open(io.BytesIO(uploads.read(photo.stored_name, folder=PHOTO_FOLDER)))


def _stored_files(upload_dir) -> set[str]:
    folder = upload_dir / PHOTO_FOLDER
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _history(project) -> list[tuple[str, str]]:
    _db.session.expire_all()
    rows = _db.session.scalars(
        select(ProjectChange).where(ProjectChange.project_id == project.id).order_by(ProjectChange.id)
    )
    return [(c.action, c.field) for c in rows]


def _updates_section(page: str) -> str:
    """The section of the updates on the project's page (the history below names the updates too)."""
    start = page.index('id="updates"')
    return page[start : page.index("</section>", start)]


# Writing and reading -------------------------------------------------------------------------------------------


def test_bri_writes_an_update_shown_on_the_project_page_and_in_the_history(client, bri, project):
    update = _write_update(client, project)
    assert update.project_id == project.id and update.author_id == bri.id and update.published is False
    assert update.title_fr == "Ouverture du centre de tri"
    assert _history(project) == [("added", "update")]
    page = text(client.get(f"/projets/{project.id}"))
    assert "Actualités" in page and "Ouverture du centre de tri" in page and "Les brigades sont formées." in page
    assert "Ajout — Actualité" in page


def test_the_project_page_shows_the_newest_updates_first_and_links_to_all(client, bri, project):
    for days in (30, 10, 20, 40):
        _write_update(
            client, project, title_fr=f"Il y a {days} jours", update_date=str(montreal_today() - timedelta(days))
        )
    page = _updates_section(text(client.get(f"/projets/{project.id}")))
    shown = [t for t in ("Il y a 10 jours", "Il y a 20 jours", "Il y a 30 jours", "Il y a 40 jours") if t in page]
    assert shown == ["Il y a 10 jours", "Il y a 20 jours", "Il y a 30 jours"]
    assert page.index("Il y a 10 jours") < page.index("Il y a 20 jours") < page.index("Il y a 30 jours")
    assert 'data-testid="all-updates"' in client.get(f"/projets/{project.id}").get_data(as_text=True)
    everything = text(client.get(f"/projets/{project.id}/actualites"))
    assert all(f"Il y a {d} jours" in everything for d in (10, 20, 30, 40))


def test_the_page_of_all_updates_goes_from_page_to_page(client, bri, project):
    today = montreal_today()
    for n in range(25):
        data = _update_data(title_fr=f"Numéro {n:02d}", update_date=today - timedelta(days=n))
        services.save_update(project, ProjectUpdate(), data, bri)
    _db.session.commit()
    first = client.get(f"/projets/{project.id}/actualites")
    assert "Numéro 00" in text(first) and "Numéro 19" in text(first) and "Numéro 20" not in text(first)
    second = client.get(page_link(first))
    assert second.status_code == 200
    assert "Numéro 20" in text(second) and "Numéro 24" in text(second) and "Numéro 19" not in text(second)
    assert client.get(page_link(second, "prev")).status_code == 200


def test_saving_an_update_unchanged_writes_nothing_in_the_history(client, bri, project):
    update = _write_update(client, project)
    response = client.post(f"/projets/{project.id}/actualites/{update.id}/modifier", data=_update_data())
    assert response.status_code == 303
    assert _history(project) == [("added", "update")]
    client.post(f"/projets/{project.id}/actualites/{update.id}/modifier", data=_update_data(body_en="New text."))
    assert _history(project) == [("added", "update"), ("changed", "update")]


def test_bri_edits_and_deletes_an_update_with_its_photos(client, bri, project, upload_dir):
    update = _write_update(client, project)
    assert _post_photo(client, project, update, jpeg()).status_code == 303
    stored = _photos()[0].stored_name
    response = client.post(
        f"/projets/{project.id}/actualites/{update.id}/modifier",
        data=_update_data(title_fr="Titre corrigé", published="y"),
    )
    assert response.status_code == 303
    _db.session.expire_all()
    assert update.title_fr == "Titre corrigé" and update.published is True
    response = client.post(f"/projets/{project.id}/actualites/{update.id}/supprimer")
    assert response.status_code == 303 and response.headers["Location"] == f"/projets/{project.id}/actualites"
    assert _db.session.scalar(select(func.count(ProjectUpdate.id))) == 0 and _photos() == []
    assert stored not in _stored_files(upload_dir)
    assert _history(project) == [
        ("added", "update"),
        ("added", "photo"),
        ("changed", "update"),
        ("removed", "update"),
    ]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title_fr": "   "}, "title_fr", "Saisissez un titre en français."),
        ({"body_fr": ""}, "body_fr", "Rédigez l'actualité en français."),
        ({"body_fr": "x" * 20001}, "body_fr", "20000"),
        ({"title_fr": "t" * 201}, "title_fr", "200"),
        ({"update_date": str(date.today() + timedelta(days=5))}, "update_date", "dans le futur"),
        ({"update_date": "1850-01-01"}, "update_date", "2000"),
        ({"update_date": "pas une date"}, "update_date", "date"),
    ],
)
def test_a_refused_update_shows_the_error_next_to_its_field_and_saves_nothing(
    client, bri, project, overrides, field, message
):
    response = client.post(f"/projets/{project.id}/actualites/nouvelle", data=_update_data(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in text(response)
    assert _db.session.scalar(select(func.count(ProjectUpdate.id))) == 0
    assert _history(project) == []


def test_a_nul_byte_is_refused_before_anything_is_saved(client, bri, project):
    response = client.post(f"/projets/{project.id}/actualites/nouvelle", data=_update_data(body_fr="a\x00b"))
    assert response.status_code == 400
    assert _db.session.scalar(select(func.count(ProjectUpdate.id))) == 0


# Who may do what -----------------------------------------------------------------------------------------------


def test_an_employee_reads_the_updates_of_an_active_project_but_writes_nothing(app, client, bri, project, login):
    update = _write_update(client, project)
    assert _post_photo(client, project, update, jpeg()).status_code == 303
    photo = _photos()[0]
    employee = make_user(full_name="Éloïse Tremblay")
    reader = login(employee, test_client=app.test_client())
    assert "Ouverture du centre de tri" in text(reader.get(f"/projets/{project.id}"))
    assert reader.get(f"/projets/{project.id}/actualites/{update.id}").status_code == 200
    response = reader.get(f"/projets/{project.id}/photos/{photo.id}")
    assert response.status_code == 200
    response.close()
    base = f"/projets/{project.id}/actualites"
    for path in (f"{base}/nouvelle", f"{base}/{update.id}/modifier"):
        assert reader.get(path).status_code == 403
        assert reader.post(path, data=_update_data()).status_code == 403
    for path in (
        f"{base}/{update.id}/supprimer",
        f"{base}/{update.id}/photos",
        f"/projets/{project.id}/photos/{photo.id}/modifier",
        f"/projets/{project.id}/photos/{photo.id}/retirer",
    ):
        assert reader.post(path).status_code == 403
    assert _db.session.scalar(select(func.count(ProjectUpdate.id))) == 1 and len(_photos()) == 1


def test_the_photos_of_a_project_that_is_not_public_are_refused_to_an_employee(app, client, bri, login):
    planned = make_project(status="planned")
    update = _write_update(client, planned)
    assert _post_photo(client, planned, update, jpeg()).status_code == 303
    photo = _photos()[0]
    reader = login(make_user(), test_client=app.test_client())
    assert reader.get(f"/projets/{planned.id}/photos/{photo.id}").status_code == 403
    assert reader.get(f"/projets/{planned.id}/actualites").status_code == 403
    assert reader.get(f"/projets/{planned.id}/actualites/{update.id}").status_code == 403
    anonymous = app.test_client().get(f"/projets/{planned.id}/photos/{photo.id}")
    assert anonymous.status_code in (302, 303) and "/compte/connexion" in anonymous.headers["Location"]


def test_an_update_or_photo_of_another_project_is_not_found(client, bri, project):
    other = make_project()
    update = _write_update(client, other)
    assert _post_photo(client, other, update, jpeg()).status_code == 303
    photo = _photos()[0]
    assert client.get(f"/projets/{project.id}/actualites/{update.id}").status_code == 404
    assert client.get(f"/projets/{project.id}/photos/{photo.id}").status_code == 404
    assert client.post(f"/projets/{project.id}/photos/{photo.id}/retirer").status_code == 404
    assert client.post(f"/projets/{project.id}/actualites/{update.id}/supprimer").status_code == 404
    assert client.get(f"/projets/{project.id}/actualites/999999").status_code == 404
    assert client.get(f"/projets/{project.id}/actualites/{update.id}/supprimer").status_code == 405
    assert len(_photos()) == 1


# Photos --------------------------------------------------------------------------------------------------------


def test_a_jpeg_is_turned_upright_resized_and_stripped_of_its_gps_position(client, bri, project):
    update = _write_update(client, project)
    original = jpeg(size=(4000, 3000), orientation=6, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's photo has a position
    response = _post_photo(client, project, update, original, **{"photo-consent_to_publish": "y"})
    assert response.status_code == 303
    photo = _photos()[0]
    stored = _stored(photo)
    assert stored.format == "JPEG" and photo.content_type == "image/jpeg"
    # Orientation 6: the camera was turned; the stored photo is upright (portrait), its longest side 1600.
    assert stored.size == (1200, 1600) == (photo.width, photo.height)
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD) and ORIENTATION not in exif and "exif" not in stored.info
    assert photo.size == len(uploads.read(photo.stored_name, folder=PHOTO_FOLDER))
    assert photo.consent_to_publish is True and photo.caption_fr == "Les brigades au travail"
    html = client.get(f"/projets/{project.id}/actualites/{update.id}").get_data(as_text=True)
    assert 'width="1200" height="1600" alt="Les brigades au travail"' in html


def test_a_png_stays_a_png_resized_to_the_page(client, bri, project):
    update = _write_update(client, project)
    assert _post_photo(client, project, update, png(), name="carte.png").status_code == 303
    photo = _photos()[0]
    stored = _stored(photo)
    assert stored.format == "PNG" and photo.content_type == "image/png"
    assert stored.size == (1600, 800) == (photo.width, photo.height)


def test_a_phone_photo_with_a_second_picture_is_a_jpeg(client, bri, project):
    first, second = Image.new("RGB", (2000, 1500), (0, 90, 0)), Image.new("RGB", (2000, 1500), (90, 0, 0))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    update = _write_update(client, project)
    assert _post_photo(client, project, update, out.getvalue()).status_code == 303
    stored = _stored(_photos()[0])
    assert stored.format == "JPEG" and stored.size == (1600, 1200) and getattr(stored, "n_frames", 1) == 1


def test_a_small_photo_is_not_enlarged(client, bri, project):
    update = _write_update(client, project)
    assert _post_photo(client, project, update, jpeg(size=(640, 480))).status_code == 303
    assert _stored(_photos()[0]).size == (640, 480)


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"Ceci n'est pas une photo.\n" * 20, "photo.jpg", "JPEG et PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x13\x37junk" * 500, "carte.png", "JPEG et PNG"),
        (gif(), "anime.gif", "JPEG et PNG"),
        (jpeg()[:2000], "coupee.jpg", "JPEG et PNG"),
        (png_bomb(30000, 30000), "bombe.png", "trop grande"),
        (png_bomb(9000, 9000), "grande.png", "trop grande"),
        (b"", "vide.jpg", "vide"),
    ],
    ids=["text", "png-junk", "gif", "truncated", "bomb", "too-many-pixels", "empty"],
)
def test_what_is_not_a_real_jpeg_or_png_is_refused_next_to_the_field_and_nothing_stored(
    client, bri, project, upload_dir, content, name, message
):
    update = _write_update(client, project)
    before = _stored_files(upload_dir)
    response = _post_photo(client, project, update, content, name=name)
    assert response.status_code == 422
    assert 'id="photo-photo-error"' in response.get_data(as_text=True) and message in text(response)
    assert _photos() == [] and _stored_files(upload_dir) == before
    assert _history(project) == [("added", "update")]


def test_a_photo_heavier_than_the_upload_limit_is_refused(client, bri, project, upload_dir, monkeypatch):
    assert uploads.MAX_SIZE == 10 * 1024 * 1024
    monkeypatch.setattr(uploads, "MAX_SIZE", 1024)
    update = _write_update(client, project)
    before = _stored_files(upload_dir)
    response = _post_photo(client, project, update, jpeg(size=(800, 600), colour=(1, 2, 3)) + b"\0" * 2000)
    assert response.status_code == 422 and "10 Mo" in text(response)
    assert _photos() == [] and _stored_files(upload_dir) == before


def test_a_photo_needs_a_caption(client, bri, project, upload_dir):
    update = _write_update(client, project)
    before = _stored_files(upload_dir)
    response = _post_photo(client, project, update, jpeg(), caption="  ")
    assert response.status_code == 422 and 'id="photo-caption_fr-error"' in response.get_data(as_text=True)
    assert _photos() == [] and _stored_files(upload_dir) == before


def test_an_update_holds_at_most_six_photos(client, bri, project):
    update = _write_update(client, project)
    for _ in range(update_queries.MAX_PHOTOS):
        assert _post_photo(client, project, update, jpeg(size=(100, 80))).status_code == 303
    response = _post_photo(client, project, update, jpeg(size=(100, 80)))
    assert response.status_code == 422 and "au plus 6 photos" in text(response)
    assert len(_photos()) == 6 and [p.position for p in _photos()] == [0, 1, 2, 3, 4, 5]


def test_the_caption_and_consent_of_a_photo_are_changed_and_recorded(client, bri, project):
    update = _write_update(client, project)
    _post_photo(client, project, update, jpeg())
    photo = _photos()[0]
    data = {f"photo{photo.id}-caption_fr": "Nouvelle légende", f"photo{photo.id}-consent_to_publish": "y"}
    response = client.post(f"/projets/{project.id}/photos/{photo.id}/modifier", data=data)
    assert response.status_code == 303
    photo = _photos()[0]
    assert photo.caption_fr == "Nouvelle légende" and photo.consent_to_publish is True
    refused = client.post(f"/projets/{project.id}/photos/{photo.id}/modifier", data={f"photo{photo.id}-caption_fr": ""})
    assert refused.status_code == 422 and _photos()[0].caption_fr == "Nouvelle légende"
    assert _history(project)[-1] == ("changed", "photo")
    page = text(client.get(f"/projets/{project.id}"))
    assert "Nouvelle légende" in page


def test_a_removed_photo_goes_from_the_store_once_committed(client, bri, project, upload_dir):
    update = _write_update(client, project)
    _post_photo(client, project, update, jpeg())
    photo = _photos()[0]
    stored = photo.stored_name
    assert stored in _stored_files(upload_dir)
    assert client.post(f"/projets/{project.id}/photos/{photo.id}/retirer").status_code == 303
    assert _photos() == [] and stored not in _stored_files(upload_dir)
    assert _history(project)[-1] == ("removed", "photo")


def test_the_photo_is_served_only_as_the_stored_image(client, bri, project):
    update = _write_update(client, project)
    _post_photo(client, project, update, jpeg())
    photo = _photos()[0]
    response = client.get(f"/projets/{project.id}/photos/{photo.id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(response.data)).size == (1600, 1067)
    response.close()


def test_photos_go_to_the_object_store_when_it_is_s3(client, bri, project, s3_storage):
    update = _write_update(client, project)
    assert _post_photo(client, project, update, jpeg()).status_code == 303
    photo = _photos()[0]
    assert s3_storage.exists(f"{PHOTO_FOLDER}/{photo.stored_name}")
    response = client.get(f"/projets/{project.id}/photos/{photo.id}")
    assert response.status_code == 200 and Image.open(io.BytesIO(response.data)).size == (1600, 1067)
    response.close()


# A mission report's photos -------------------------------------------------------------------------------------


def _report_file(req, content: bytes, name: str) -> Attachment:
    upload = FileStorage(stream=io.BytesIO(content), filename=name)
    attachment = attachments.save_attachment(req, upload, "report", req.applicant)
    _db.session.commit()
    return attachment


@pytest.fixture
def report_photo(world, make_mission, project):
    mission = make_mission(status="report_submitted", project=project)
    return _report_file(mission, jpeg(size=(3200, 2400), gps=True), "atelier.jpg")


def test_a_report_photo_of_the_project_is_offered_and_copied_resized_into_the_update(
    client, bri, project, report_photo
):
    form = client.get(f"/projets/{project.id}/actualites/nouvelle")
    assert f"{report_photo.request.reference} – atelier.jpg" in text(form)
    update = _write_update(client, project, report_photos=str(report_photo.id))
    photo = _photos()[0]
    assert photo.update_id == update.id and photo.source_attachment_id == report_photo.id
    stored = _stored(photo)
    assert stored.size == (1600, 1200) and not stored.getexif().get_ifd(GPS_IFD)
    assert photo.stored_name != report_photo.stored_name and photo.consent_to_publish is False
    assert photo.caption_fr == f"Photo du rapport de mission {report_photo.request.reference}"
    assert _history(project)[-2:] == [("added", "update"), ("added", "photo")]
    # Copied once: no longer offered to this update.
    edit = client.get(f"/projets/{project.id}/actualites/{update.id}/modifier")
    assert "atelier.jpg" not in text(edit)


def test_a_copied_photo_stays_when_the_report_file_is_deleted(client, bri, project, report_photo):
    _write_update(client, project, report_photos=str(report_photo.id))
    attachments.delete_attachment(_db.session.get(Attachment, report_photo.id))
    _db.session.commit()
    photo = _photos()[0]
    assert photo.source_attachment_id is None and _stored(photo).size == (1600, 1200)


def test_a_photo_of_another_project_mission_is_refused(client, bri, project, world, make_mission):
    other = make_project()
    mission = make_mission(status="report_submitted", project=other)
    foreign = _report_file(mission, jpeg(), "ailleurs.jpg")
    response = client.post(
        f"/projets/{project.id}/actualites/nouvelle", data=_update_data(report_photos=str(foreign.id))
    )
    assert response.status_code == 422
    assert "Choisissez des photos des rapports de mission des missions de ce projet." in text(response)
    assert _db.session.scalar(select(func.count(ProjectUpdate.id))) == 0 and _photos() == []


def test_the_files_of_a_draft_report_and_documents_are_not_offered(client, bri, project, world, make_mission):
    draft = make_mission(status="report_due", project=project)
    _report_file(draft, jpeg(), "brouillon.jpg")
    submitted = make_mission(status="report_submitted", project=project)
    _report_file(submitted, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "rapport.pdf")
    offered = update_queries.report_photos(project.id)
    assert offered == []
    assert "Photos des rapports de mission" not in text(client.get(f"/projets/{project.id}/actualites/nouvelle"))


# The public part and the languages ------------------------------------------------------------------------------


def test_published_updates_carry_only_the_photos_whose_people_consented(client, bri, project):
    public = _write_update(client, project, title_fr="Publique", published="y")
    _post_photo(client, project, public, jpeg(), caption="Avec accord", **{"photo-consent_to_publish": "y"})
    _post_photo(client, project, public, jpeg(), caption="Sans accord")
    _write_update(client, project, title_fr="Interne")
    published = update_queries.published_updates(project.id)
    assert [p.update.title_fr for p in published] == ["Publique"]
    assert [photo.caption_fr for photo in published[0].photos] == ["Avec accord"]


def test_an_english_reader_reads_the_english_texts_and_a_french_one_the_french(app, client, bri, project, login):
    update = _write_update(client, project)
    _post_photo(client, project, update, jpeg(), **{"photo-caption_en": "The crews at work"})
    english = login(make_user(roles=("employee", "bri"), language="en"), test_client=app.test_client())
    page = _updates_section(english.get(f"/projets/{project.id}").get_data(as_text=True))
    assert "Progress updates" in page and "The sorting centre opens" in page and 'alt="The crews at work"' in page
    assert "Ouverture du centre de tri" not in page and "Les brigades" not in page
    page = _updates_section(client.get(f"/projets/{project.id}").get_data(as_text=True))
    assert "Actualités" in page and "Ouverture du centre de tri" in page and 'alt="Les brigades au travail"' in page


def test_the_project_page_loads_its_updates_and_photos_in_one_statement(client, bri, project, count_queries):
    def statements() -> int:
        client.get(f"/projets/{project.id}")
        with count_queries() as sent:
            assert client.get(f"/projets/{project.id}").status_code == 200
        return len(sent)

    without = statements()
    for n in range(4):
        update = _write_update(client, project, title_fr=f"Actualité {n}")
        for _ in range(3):
            _post_photo(client, project, update, jpeg(size=(80, 60)))
    assert statements() == without <= 8
    assert client.get(f"/projets/{project.id}").get_data(as_text=True).count('data-testid="update-photo"') == 9


def test_a_truncated_photo_is_refused_even_after_weasyprint_allowed_truncated_images(client, bri, project, upload_dir):
    import weasyprint  # noqa: F401 - its import sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    update = _write_update(client, project)
    before = _stored_files(upload_dir)
    response = _post_photo(client, project, update, jpeg()[:5000], name="coupee.jpg")
    assert response.status_code == 422
    assert _stored_files(upload_dir) == before
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back
