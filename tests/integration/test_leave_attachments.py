"""Attachments: type from the content, size and count limits, storage under generated names, downloads."""

import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from app.core.notifications import Notification
from app.extensions import db
from app.leave.models import Attachment, Transition
from tests.factories import client_for, make_request

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def as_(app):
    return lambda user: client_for(app, user)


def upload(client, req, content: bytes, name: str):
    return client.post(
        f"/conges/{req.id}/pieces-jointes",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def attachments_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Attachment))


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (PDF, "invitation.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (docx_bytes(), "cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_types_are_stored_under_a_generated_name_outside_static(world, as_, content, name, mime):
    req = make_request(world, "draft")
    response = upload(as_(world.applicant), req, content, name)
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.content_type == mime
    assert attachment.original_name == name
    assert attachment.stored_name != name
    stored = Path(current_app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == content
    assert "static" not in stored.parts


def test_a_wrong_type_is_refused_even_with_a_pdf_name(world, as_):
    req = make_request(world, "draft")
    response = upload(as_(world.applicant), req, b"MZ\x90\x00 this is an executable", "lettre.pdf")
    assert response.status_code == 422
    assert "d'après leur contenu" in response.get_data(as_text=True).replace("&#39;", "'")
    assert attachments_count() == 0


def test_a_file_over_10_mb_is_refused_by_the_service(app, world):
    from werkzeug.datastructures import FileStorage

    from app.leave.services.attachments import AttachmentError, save_attachment

    req = make_request(world, "draft")
    exactly = FileStorage(io.BytesIO(PDF + b"0" * (10 * 1024 * 1024 - len(PDF))), "limite.pdf")
    too_big = FileStorage(io.BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "gros.pdf")
    with app.test_request_context():
        assert save_attachment(req, exactly, "request", world.applicant).size == 10 * 1024 * 1024
        with pytest.raises(AttachmentError, match="10 Mo"):
            save_attachment(req, too_big, "request", world.applicant)


def test_a_file_over_the_limit_is_refused_next_to_the_field(world, as_, monkeypatch):
    # The page's behaviour with a smaller limit (the test client spools big bodies to unclosed temporary files).
    monkeypatch.setattr("app.core.uploads.MAX_SIZE", 1000)
    req = make_request(world, "draft")
    response = upload(as_(world.applicant), req, PDF + b"0" * 1000, "gros.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and "10 Mo" in page
    assert attachments_count() == 0


def test_at_most_five_files_per_request(world, as_):
    req = make_request(world, "draft")
    client = as_(world.applicant)
    for n in range(5):
        assert upload(client, req, PDF, f"piece{n}.pdf").status_code == 303
    response = upload(client, req, PDF, "sixieme.pdf")
    assert response.status_code == 422
    assert attachments_count() == 5


def test_an_empty_upload_says_to_choose_a_file(world, as_):
    req = make_request(world, "draft")
    response = as_(world.applicant).post(f"/conges/{req.id}/pieces-jointes", data={})
    assert response.status_code == 422
    assert "Choisissez un fichier." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["colleague", "manager", "bri"])
def test_only_the_applicant_uploads(world, as_, who):
    req = make_request(world, "submitted")
    assert upload(as_(getattr(world, who)), req, PDF, "x.pdf").status_code == 403


def _history(req) -> list[Transition]:
    db.session.expire_all()
    return list(db.session.scalars(select(Transition).filter_by(request_id=req.id).order_by(Transition.id)))


def _told(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).filter_by(recipient_id=user.id, kind="leave/attachment_added")))


def test_a_file_added_after_the_submission_is_in_the_history_and_the_manager_is_told(world, as_):
    req = make_request(world, "submitted")
    before = (req.status_changed_at, req.version)
    client = as_(world.applicant)
    response = upload(client, req, PDF, "lettre-invitation.pdf")
    assert response.status_code == 303
    page = client.get(f"/conges/{req.id}").get_data(as_text=True)
    assert "lettre-invitation.pdf" in page and "Fichier ajouté après la soumission" in page
    added = _history(req)[-1]
    assert (added.action, added.from_status, added.to_status) == ("add_attachment", "submitted", "submitted")
    assert added.actor_id == world.applicant.id and added.comment == "lettre-invitation.pdf"
    db.session.refresh(req)
    assert req.status == "submitted" and req.status_changed_at == before[0] and req.version == before[1] + 1
    [note] = _told(world.manager)
    assert note.params["file"] == "lettre-invitation.pdf" and note.link == f"/conges/{req.id}"
    assert note.subject == f"Demande {req.reference}\u00a0: un fichier a été ajouté"
    assert _told(world.bri) == []
    assert "Retirer lettre-invitation.pdf" not in page  # added after the submission: kept


def test_a_file_added_while_the_bri_decides_tells_the_bri_officers(world, as_):
    req = make_request(world, "manager_approved")
    assert upload(as_(world.applicant), req, PDF, "budget.pdf").status_code == 303
    assert _history(req)[-1].action == "add_attachment"
    assert len(_told(world.bri)) == 1 and len(_told(world.bri2)) == 1
    assert _told(world.manager) == []


def test_a_file_added_to_a_draft_is_not_in_the_history(world, as_):
    req = make_request(world, "draft")
    assert upload(as_(world.applicant), req, PDF, "cv.pdf").status_code == 303
    assert _history(req) == [] and attachments_count() == 1


@pytest.mark.parametrize("status", ["approved", "rejected", "in_mission", "withdrawn"])
def test_no_file_is_added_after_the_bris_decision(world, as_, status):
    req = make_request(world, status)
    history = len(_history(req))
    files = set(Path(current_app.config["UPLOAD_FOLDER"]).glob("*"))
    response = upload(as_(world.applicant), req, PDF, "trop-tard.pdf")
    assert response.status_code == 409
    assert "jusqu’à la décision du BRI" in unescape(response.get_data(as_text=True))
    assert attachments_count() == 0 and len(_history(req)) == history
    assert set(Path(current_app.config["UPLOAD_FOLDER"]).glob("*")) == files


def test_download_is_an_attachment_for_those_who_see_the_request(world, as_):
    req = make_request(world, "draft")
    client = as_(world.applicant)
    upload(client, req, PDF, "Lettre d'invitation é.pdf")
    client.post(f"/conges/{req.id}/soumettre", data={})
    attachment = db.session.scalar(select(Attachment))
    url = f"/conges/{req.id}/pieces-jointes/{attachment.id}"
    for who in ("applicant", "manager", "bri"):
        with as_(getattr(world, who)).get(url) as response:
            assert response.status_code == 200, who
            assert response.data == PDF
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    for who in ("colleague", "other_manager", "admin"):
        assert as_(getattr(world, who)).get(url).status_code == 403, who


def test_an_attachment_of_another_request_is_404(world, as_):
    req = make_request(world, "draft")
    other = make_request(world, "draft", applicant=world.colleague)
    upload(as_(world.colleague), other, PDF, "x.pdf")
    attachment = db.session.scalar(select(Attachment))
    assert as_(world.applicant).get(f"/conges/{req.id}/pieces-jointes/{attachment.id}").status_code == 404


def test_the_applicant_removes_a_file_of_a_draft(world, as_):
    req = make_request(world, "draft")
    client = as_(world.applicant)
    upload(client, req, PDF, "x.pdf")
    attachment = db.session.scalar(select(Attachment))
    stored = Path(current_app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert as_(world.manager).post(f"/conges/{req.id}/pieces-jointes/{attachment.id}/supprimer").status_code == 403
    assert client.post(f"/conges/{req.id}/pieces-jointes/{attachment.id}/supprimer").status_code == 303
    assert attachments_count() == 0
    assert not stored.exists()


def test_the_request_page_lists_the_files(world, as_):
    req = make_request(world, "draft")
    client = as_(world.applicant)
    upload(client, req, PDF, "invitation.pdf")
    page = client.get(f"/conges/{req.id}").get_data(as_text=True)
    assert "invitation.pdf" in page
    assert "pieces-jointes/" in page


def test_a_file_racing_with_the_bris_decision_is_refused_and_leaves_nothing(app, world):
    """The BRI decided after the applicant's page was read: the addition's version check fails, nothing stays."""
    from werkzeug.datastructures import FileStorage

    from app.core.database import montreal_today
    from app.core.uow import unit_of_work
    from app.leave.models import LeaveRequest
    from app.leave.services import ConflictError
    from app.leave.services.attachments import add_request_attachment

    req = make_request(world, "manager_approved")
    history = len(_history(req))
    req = db.session.get(LeaveRequest, req.id)
    files = set(Path(current_app.config["UPLOAD_FOLDER"]).glob("*"))
    with db.engine.begin() as other:  # the BRI's decision, committed by another connection
        other.execute(
            update(LeaveRequest)
            .where(LeaveRequest.id == req.id)
            .values(status="approved", version=LeaveRequest.version + 1)
        )
    upload_file = FileStorage(io.BytesIO(PDF), "en-retard.pdf")
    with app.test_request_context(), pytest.raises(ConflictError), unit_of_work():
        add_request_attachment(req, upload_file, world.applicant, montreal_today())
    assert attachments_count() == 0 and len(_history(req)) == history
    assert set(Path(current_app.config["UPLOAD_FOLDER"]).glob("*")) == files
