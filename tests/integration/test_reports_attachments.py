"""Files of a mission report: the request's rules (``app.leave.attachments``, purpose "report"): PDF, JPEG, PNG or
DOCX recognised by content, 10 MB each, 5 at most, downloaded as attachments only, by the report's readers."""

import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.core import uploads
from app.extensions import db as _db
from app.leave.models import Attachment
from app.leave.services import attachments
from app.reports.models import MissionReport

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n% rapport\n" + b"0" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, req, files, **fields):
    version = _db.session.scalar(select(MissionReport.version).where(MissionReport.request_id == req.id))
    data = {"activities": "Texte conservé", "version": str(req.version), "report_version": str(version or 0), **fields}
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/rapports/{req.id}/modifier", data=data, content_type="multipart/form-data")


def report_files(db):
    db.session.expire_all()
    return db.session.scalars(select(Attachment).where(Attachment.purpose == "report").order_by(Attachment.id)).all()


@pytest.fixture
def writer(app, login, world):
    return login(world.applicant, test_client=app.test_client())


def test_accepted_files_are_stored_under_generated_names(app, db, writer, make_mission):
    req = make_mission("report_due")
    response = upload(writer, req, [("photo.png", PNG), ("lettre.pdf", PDF), ("compte-rendu.docx", docx_bytes())])
    assert response.status_code == 303
    files = report_files(db)
    assert [(f.original_name, f.content_type) for f in files] == [
        ("photo.png", "image/png"),
        ("lettre.pdf", "application/pdf"),
        ("compte-rendu.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]
    folder = Path(app.config["UPLOAD_FOLDER"])
    for f in files:
        assert f.stored_name != f.original_name
        assert (folder / f.stored_name).is_file()


def test_a_file_whose_content_is_not_accepted_is_refused_and_nothing_is_saved(app, db, writer, make_mission):
    req = make_mission("report_due")
    before = set(Path(app.config["UPLOAD_FOLDER"]).iterdir())
    response = upload(writer, req, [("photo.png", PNG), ("script.pdf", b"#!/bin/sh\necho pirate\n")])
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    assert 'id="files-error"' in body
    assert "Le fichier script.pdf n’a pas été joint\u00a0: Seuls les fichiers PDF, JPEG, PNG ou Word (DOCX)" in body
    assert "Texte conservé" in body  # the text is shown again
    assert report_files(db) == []
    assert set(Path(app.config["UPLOAD_FOLDER"]).iterdir()) == before  # the stored PNG is removed again


def test_a_file_larger_than_the_limit_is_refused(db, writer, make_mission, monkeypatch):
    # The limit is 10 MB; lowered here so that the test client does not spool a 10 MB body to a temporary file.
    assert uploads.MAX_SIZE == 10 * 1024 * 1024
    monkeypatch.setattr(uploads, "MAX_SIZE", 1024)
    req = make_mission("report_due")
    response = upload(writer, req, [("grosse.pdf", PDF + b"0" * 1024)])
    assert response.status_code == 422
    assert "Le fichier grosse.pdf n’a pas été joint\u00a0: Le fichier dépasse 10 Mo." in unescape(
        response.get_data(as_text=True)
    )
    assert report_files(db) == []


def test_at_most_five_files(db, writer, make_mission):
    req = make_mission("report_due")
    assert upload(writer, req, [(f"p{i}.png", PNG) for i in range(5)]).status_code == 303
    response = upload(writer, req, [("sixieme.png", PNG)])
    assert response.status_code == 422
    assert "Au plus 5 fichiers" in unescape(response.get_data(as_text=True))
    assert len(report_files(db)) == 5


def test_the_request_files_do_not_count_against_the_report_limit(app, db, world, make_mission):
    req = make_mission("report_due")
    with app.test_request_context():
        for n in range(5):
            attachments.save_attachment(
                req, FileStorage(io.BytesIO(PDF), f"demande{n}.pdf"), "request", world.applicant
            )
        for n in range(5):
            attachments.save_attachment(req, FileStorage(io.BytesIO(PNG), f"photo{n}.png"), "report", world.applicant)
        with pytest.raises(attachments.AttachmentError):
            attachments.save_attachment(req, FileStorage(io.BytesIO(PNG), "sixieme.png"), "report", world.applicant)
    db.session.rollback()


def test_a_rollback_removes_the_files_written_and_a_commit_keeps_them(app, db, world, make_mission):
    req = make_mission("report_due")
    folder = Path(app.config["UPLOAD_FOLDER"])
    with app.test_request_context():
        kept = attachments.save_attachment(req, FileStorage(io.BytesIO(PNG), "garde.png"), "report", world.applicant)
        db.session.commit()
        dropped = attachments.save_attachment(req, FileStorage(io.BytesIO(PDF), "jete.pdf"), "report", world.applicant)
        assert (folder / dropped.stored_name).is_file()
        db.session.rollback()
    assert not (folder / dropped.stored_name).exists()
    assert (folder / kept.stored_name).is_file()
    assert [f.original_name for f in report_files(db)] == ["garde.png"]


def test_files_are_downloaded_as_attachments_by_the_readers_only(app, db, login, world, writer, make_mission):
    req = make_mission("report_due")
    upload(writer, req, [("photo.png", PNG)])
    [attachment] = report_files(db)
    url = f"/rapports/{req.id}/fichiers/{attachment.id}"
    with writer.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == "image/png"
        assert response.data == PNG
    colleague = login(world.colleague, test_client=app.test_client())
    assert colleague.get(url).status_code == 403
    assert writer.get(f"/rapports/{req.id}/fichiers/999999").status_code == 404


def test_the_applicant_removes_a_file_while_writing(app, db, writer, make_mission):
    req = make_mission("report_due")
    upload(writer, req, [("photo.png", PNG)])
    [attachment] = report_files(db)
    path = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    response = writer.post(f"/rapports/{req.id}/fichiers/{attachment.id}/supprimer")
    assert response.status_code == 303
    assert report_files(db) == []
    assert not path.exists()
