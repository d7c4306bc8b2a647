"""The S3-compatible store (``STORAGE_BACKEND=s3``) against moto's S3 server on 127.0.0.1: the backend alone, request
and report attachments through the application, removal on rollback and after commit, and the failures of the store
(503 page, nothing saved)."""

import io
import json
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app.core import uploads
from app.core.errors import Unavailable
from app.core.object_store import ObjectStore
from app.extensions import db
from app.leave.models import Attachment, LeaveRequest
from app.leave.services import attachments
from app.projects.models import Expenditure
from app.projects.services.lines import DOCUMENT_FOLDER
from app.reports.models import MissionReport
from tests.factories import client_for, make_project, make_request
from tests.servers import S3_REGION, free_port, s3_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def stored_keys(s3_endpoint: str, prefix: str) -> list[str]:
    """The keys of the bucket under ``prefix``, read with a client of the test's own (not the application's)."""
    listing = s3_client(s3_endpoint).list_objects_v2(Bucket="conges-test", Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def attachment_rows() -> list[Attachment]:
    db.session.expire_all()
    return db.session.scalars(select(Attachment).order_by(Attachment.id)).all()


def upload_to_request(client, req, content: bytes, name: str):
    return client.post(
        f"/conges/{req.id}/pieces-jointes",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def save_report(client, req, files, **fields):
    version = db.session.scalar(select(MissionReport.version).where(MissionReport.request_id == req.id))
    data = {"activities": "Ateliers d'urbanisme", "version": str(req.version), "report_version": str(version or 0)}
    data.update(fields)
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/rapports/{req.id}/modifier", data=data, content_type="multipart/form-data")


def events(capsys, name: str) -> list[dict]:
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    return [line for line in lines if line["event"] == name]


@pytest.fixture
def store_down(app, s3_storage, monkeypatch):
    """The store's address answers nothing (a closed port): every operation on it fails."""
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    return uploads.backend()


# The backend alone


def test_the_backend_writes_reads_and_deletes_objects_under_its_prefix(s3_endpoint):
    store = ObjectStore("conges-test", endpoint_url=s3_endpoint, region=S3_REGION, prefix="/backend-alone/")
    store.write("documents/a.pdf", PDF)
    assert store.read("documents/a.pdf") == PDF
    assert store.exists("documents/a.pdf")
    assert stored_keys(s3_endpoint, "backend-alone/") == ["backend-alone/documents/a.pdf"]
    store.delete("documents/a.pdf")
    assert not store.exists("documents/a.pdf")
    assert stored_keys(s3_endpoint, "backend-alone/") == []
    store.delete("documents/a.pdf")  # deleting what is gone is not an error (a rollback after a failed write)


def test_a_missing_object_is_not_found(s3_storage):
    with pytest.raises(NotFound):
        s3_storage.read("nothing-here.pdf")


def test_a_missing_bucket_is_reported_as_unavailable(s3_endpoint):
    store = ObjectStore("no-such-bucket", endpoint_url=s3_endpoint, region=S3_REGION)
    with pytest.raises(Unavailable, match="write"):
        store.write("a.pdf", PDF)
    with pytest.raises(Unavailable, match="read"):
        store.read("a.pdf")


def test_the_application_uses_the_local_folder_unless_told(app):
    assert app.config["STORAGE_BACKEND"] == "local"
    assert isinstance(uploads.backend(), uploads.LocalFolder)


# Through the application


def test_a_request_attachment_is_stored_in_the_bucket_and_downloaded_through_the_app(
    app, world, s3_storage, s3_endpoint, capsys
):
    req = make_request(world, "draft")
    applicant = client_for(app, world.applicant)
    assert upload_to_request(applicant, req, PDF, "Lettre d'invitation é.pdf").status_code == 303
    [attachment] = attachment_rows()
    assert stored_keys(s3_endpoint, s3_storage.prefix) == [s3_storage.prefix + attachment.stored_name]
    assert not (Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name).exists()

    applicant.post(f"/conges/{req.id}/soumettre", data={})
    url = f"/conges/{req.id}/pieces-jointes/{attachment.id}"
    capsys.readouterr()
    for who in ("applicant", "manager", "bri"):
        with client_for(app, getattr(world, who)).get(url) as response:
            assert response.status_code == 200, who
            assert response.data == PDF
            assert response.headers["Content-Length"] == str(len(PDF))
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert "filename*=UTF-8''Lettre%20d%27invitation%20%C3%A9.pdf" in response.headers["Content-Disposition"]
            assert response.mimetype == "application/pdf"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "private, no-store"
    assert [e["outcome"] for e in events(capsys, "download")] == ["success"] * 3
    assert client_for(app, world.colleague).get(url).status_code == 403


def test_a_report_attachment_is_stored_in_the_bucket_and_downloaded_through_the_app(
    app, world, make_mission, s3_storage, s3_endpoint
):
    req = make_mission("report_due")
    writer = client_for(app, world.applicant)
    assert save_report(writer, req, [("photo.png", PNG)]).status_code == 303
    [attachment] = attachment_rows()
    assert attachment.purpose == "report"
    assert s3_storage.read(attachment.stored_name) == PNG
    with writer.get(f"/rapports/{req.id}/fichiers/{attachment.id}") as response:
        assert response.status_code == 200
        assert response.data == PNG
        assert response.mimetype == "image/png"
        assert response.headers["Content-Disposition"].startswith("attachment;")
    assert client_for(app, world.colleague).get(f"/rapports/{req.id}/fichiers/{attachment.id}").status_code == 403


def test_a_file_removed_from_the_bucket_behind_the_app_s_back_is_a_404(app, world, s3_storage):
    req = make_request(world, "draft")
    applicant = client_for(app, world.applicant)
    upload_to_request(applicant, req, PDF, "x.pdf")
    [attachment] = attachment_rows()
    s3_storage.delete(attachment.stored_name)
    assert applicant.get(f"/conges/{req.id}/pieces-jointes/{attachment.id}").status_code == 404


def test_a_deleted_attachment_leaves_the_bucket_after_the_commit(app, world, s3_storage, s3_endpoint):
    req = make_request(world, "draft")
    applicant = client_for(app, world.applicant)
    upload_to_request(applicant, req, PDF, "x.pdf")
    [attachment] = attachment_rows()
    assert s3_storage.exists(attachment.stored_name)
    assert applicant.post(f"/conges/{req.id}/pieces-jointes/{attachment.id}/supprimer").status_code == 303
    assert attachment_rows() == []
    assert stored_keys(s3_endpoint, s3_storage.prefix) == []


def test_a_rollback_removes_the_objects_written_and_keeps_the_deleted_ones(app, world, make_mission, s3_storage):
    req = make_mission("report_due")
    with app.test_request_context():
        kept = attachments.save_attachment(req, FileStorage(io.BytesIO(PNG), "garde.png"), "report", world.applicant)
        db.session.commit()
        dropped = attachments.save_attachment(req, FileStorage(io.BytesIO(PDF), "jete.pdf"), "report", world.applicant)
        attachments.delete_attachment(kept)
        assert s3_storage.exists(dropped.stored_name)
        db.session.rollback()
    assert not s3_storage.exists(dropped.stored_name)
    assert s3_storage.read(kept.stored_name) == PNG  # its deletion was rolled back: the file stays
    assert [a.original_name for a in attachment_rows()] == ["garde.png"]


# When the store fails


def test_an_upload_the_store_cannot_take_is_a_503_and_saves_nothing(app, world, store_down, capsys):
    req = make_request(world, "draft")
    version = req.version
    response = upload_to_request(client_for(app, world.applicant), req, PDF, "x.pdf")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    body = unescape(response.get_data(as_text=True))
    assert "Le dépôt de fichiers est injoignable pour le moment. Rien n’a été enregistré" in body
    assert "Traceback" not in body and "botocore" not in body and "127.0.0.1" not in body
    assert attachment_rows() == []
    db.session.expire_all()
    assert db.session.get(LeaveRequest, req.id).version == version
    [event] = [e for e in events(capsys, "server_error") if e.get("status") == 503]
    assert "write" in event["detail"]


def test_a_report_whose_file_cannot_be_stored_is_not_saved(app, world, make_mission, store_down):
    req = make_mission("report_due")
    writer = client_for(app, world.applicant)
    response = save_report(writer, req, [("photo.png", PNG)], activities="Texte qui ne doit pas rester")
    assert response.status_code == 503
    assert attachment_rows() == []
    db.session.expire_all()
    saved = db.session.scalar(select(MissionReport.activities).where(MissionReport.request_id == req.id))
    assert saved != "Texte qui ne doit pas rester"


def test_a_missing_bucket_is_a_503_too(app, world, s3_storage, monkeypatch):
    monkeypatch.setitem(app.config, "S3_BUCKET", "no-such-bucket")
    req = make_request(world, "draft")
    assert upload_to_request(client_for(app, world.applicant), req, PDF, "x.pdf").status_code == 503
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_download_while_the_store_is_down_is_a_503(app, world, s3_storage, monkeypatch):
    req = make_request(world, "draft")
    applicant = client_for(app, world.applicant)
    upload_to_request(applicant, req, PDF, "x.pdf")
    [attachment] = attachment_rows()
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    response = applicant.get(f"/conges/{req.id}/pieces-jointes/{attachment.id}")
    assert response.status_code == 503
    assert "Le dépôt de fichiers est injoignable" in unescape(response.get_data(as_text=True))


def test_a_deletion_committed_while_the_store_is_down_still_succeeds_and_logs_the_orphan(
    app, world, s3_storage, monkeypatch, caplog
):
    req = make_request(world, "draft")
    applicant = client_for(app, world.applicant)
    upload_to_request(applicant, req, PDF, "x.pdf")
    [attachment] = attachment_rows()
    key = attachment.stored_name
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    with caplog.at_level("WARNING", logger="app.core.uploads"):
        response = applicant.post(f"/conges/{req.id}/pieces-jointes/{attachment.id}/supprimer")
    assert response.status_code == 303  # the row is gone: the user's deletion is done
    assert attachment_rows() == []
    assert [r.getMessage() for r in caplog.records if key in r.getMessage() and "not removed" in r.getMessage()]


# Expenditure documents of the projects go the same way


def spend_with_file(client, project, content: bytes, name: str):
    data = {
        "expenditure-spent_on": "2026-03-01",
        "expenditure-amount": "12,00",
        "expenditure-description": "Facture",
        "expenditure-source": "other",
        "expenditure-attachment": (io.BytesIO(content), name),
    }
    return client.post(f"/projets/{project.id}/depenses", data=data, content_type="multipart/form-data")


def test_an_expenditure_document_lives_in_the_bucket_until_its_line_is_deleted(app, world, s3_storage, s3_endpoint):
    project = make_project()
    bri = client_for(app, world.bri)
    assert spend_with_file(bri, project, PDF, "facture.pdf").status_code == 303
    expenditure = db.session.scalar(select(Expenditure))
    assert stored_keys(s3_endpoint, s3_storage.prefix) == [
        f"{s3_storage.prefix}{DOCUMENT_FOLDER}/{expenditure.attachment_stored}"
    ]
    url = f"/projets/{project.id}/depenses/{expenditure.id}/piece"
    with bri.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
    assert bri.post(f"/projets/{project.id}/depenses/{expenditure.id}/supprimer").status_code == 303
    assert stored_keys(s3_endpoint, s3_storage.prefix) == []


def test_an_expenditure_whose_document_cannot_be_stored_is_not_recorded(app, world, store_down):
    project = make_project()
    response = spend_with_file(client_for(app, world.bri), project, PDF, "facture.pdf")
    assert response.status_code == 503
    assert db.session.scalar(select(func.count()).select_from(Expenditure)) == 0


def test_a_store_without_credentials_is_a_503(app, world, s3_storage, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role to ask for on this machine
    monkeypatch.setitem(app.config, "S3_PREFIX", "no-credentials")  # a client of its own, made without them
    req = make_request(world, "draft")
    assert upload_to_request(client_for(app, world.applicant), req, PDF, "x.pdf").status_code == 503
    assert attachment_rows() == []


def test_a_local_folder_that_cannot_be_written_is_a_503_too(app, world, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(not_a_folder / "uploads"))  # a shared folder gone, say
    req = make_request(world, "draft")
    response = upload_to_request(client_for(app, world.applicant), req, PDF, "x.pdf")
    assert response.status_code == 503
    assert "Le dépôt de fichiers est injoignable" in unescape(response.get_data(as_text=True))
    assert attachment_rows() == []


# flask storage check: what an operator runs on a new host


def test_the_storage_check_writes_reads_and_deletes_a_probe_in_the_bucket(app, s3_storage, s3_endpoint):
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert f"S3 bucket conges-test at {s3_endpoint}, prefix {s3_storage.prefix.rstrip('/')}" in result.output
    assert "written, read back and deleted" in result.output
    assert stored_keys(s3_endpoint, s3_storage.prefix) == []  # the probe is gone


def test_the_storage_check_works_on_the_local_folder(app):
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert f"local folder {app.config['UPLOAD_FOLDER']}" in result.output
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "probes").glob("*"))


def test_the_storage_check_fails_with_what_failed(app, store_down):
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "The file store (S3 bucket conges-test" in result.output
    assert "failed: write probes/" in result.output
