"""`make run` shows each e-mail on the console (MAIL_ECHO, on in development), with links on the port served."""

from app.core.outbox import send_outbox
from tests.factories import make_request


def test_without_a_mail_server_the_echo_prints_recipient_subject_and_body_with_links(app, world, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_ECHO", True)
    monkeypatch.setitem(app.config, "SERVER_BASE_URL", "http://127.0.0.1:8123")
    req = make_request(world, "submitted", keep_notifications=True)
    capsys.readouterr()
    sent, failed = send_outbox()
    assert sent >= 1 and failed == 0
    printed = capsys.readouterr().out
    assert f"To: {world.manager.email}" in printed
    assert f"Subject: La demande {req.reference} attend votre décision" in printed
    assert f"http://127.0.0.1:8123/conges/{req.id}" in printed


def test_the_echo_is_off_outside_development(app):
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert DevelopmentConfig.MAIL_ECHO and not TestingConfig.MAIL_ECHO and not ProductionConfig.MAIL_ECHO
