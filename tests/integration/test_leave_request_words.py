"""The request page speaks to its reader: the next step and the comment's help follow who reads (the applicant, the
one who decides now, anyone else), and the changes asked are on top of the page while they are awaited."""

import re
from datetime import timedelta
from html import unescape

import pytest

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.extensions import db
from app.leave.services import decisions
from app.leave.services import requests as request_services
from tests.factories import client_for, delegate, make_request


def text(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def next_step(page: str) -> str:
    return re.search(r'data-testid="next-step">([^<]*)<', page).group(1)


@pytest.mark.parametrize(
    ("status", "reader", "expected"),
    [
        ("submitted", "applicant", "Votre gestionnaire décide."),
        ("submitted", "manager", "Votre décision : approuver, demander des modifications ou refuser."),
        ("submitted", "bri", "Le gestionnaire de la personne requérante décide."),
        ("manager_approved", "applicant", "Le BRI décide."),
        ("manager_approved", "manager", "Le BRI décide."),
        ("manager_approved", "bri", "Votre décision : approuver, demander des modifications ou refuser."),
        ("changes_requested", "applicant", "Modifiez la demande comme demandé et soumettez-la de nouveau."),
        (
            "changes_requested",
            "manager",
            "La personne requérante modifie la demande comme demandé et la soumet de nouveau.",
        ),
        ("approved", "applicant", "Préparez-vous : la mission commence à sa date de début."),
        ("approved", "bri", "La mission commence à sa date de début."),
    ],
)
def test_the_next_step_is_worded_for_its_reader(app, world, status, reader, expected):
    req = make_request(world, status)
    page = text(client_for(app, getattr(world, reader)).get(f"/conges/{req.id}"))
    assert next_step(page) == expected


def test_a_delegate_deciding_reads_that_the_decision_is_theirs(app, world):
    req = make_request(world, "submitted")
    today = montreal_today()
    delegate(world.manager, world.delegate, today - timedelta(days=1), today + timedelta(days=1))
    page = text(client_for(app, world.delegate).get(f"/conges/{req.id}"))
    assert next_step(page).startswith("Votre décision")


def test_the_comments_help_offers_only_what_the_reader_can_do(app, world):
    submitted = make_request(world, "submitted")
    manager_page = text(client_for(app, world.manager).get(f"/conges/{submitted.id}"))
    assert "Obligatoire pour refuser ou pour demander des modifications." in manager_page
    assert "annuler" not in manager_page.lower()
    approved = make_request(world, "approved", applicant=world.colleague)
    bri_page = text(client_for(app, world.bri).get(f"/conges/{approved.id}"))
    assert "Obligatoire pour annuler la mission." in bri_page
    assert "pour refuser" not in bri_page


def test_the_changes_asked_are_shown_on_top_until_the_request_is_submitted_again(app, world):
    req = make_request(world, "submitted")
    with cli_request_context():
        decisions.manager_decide(req, world.manager, "manager_request_changes", comment="Précisez le budget du séjour.")
    db.session.commit()
    client = client_for(app, world.applicant)
    page = text(client.get(f"/conges/{req.id}"))
    top = page.index('data-testid="changes-asked"')
    assert top < page.index("Résumé") < page.index('data-testid="history"')
    box = page[top : page.index("</section>", top)]
    assert "Précisez le budget du séjour." in box and "Modifications demandées par le gestionnaire" in box
    assert "par Bernard Lachance" in box
    with cli_request_context():
        request_services.submit_request(req, world.applicant)
    db.session.commit()
    assert 'data-testid="changes-asked"' not in text(client.get(f"/conges/{req.id}"))


def test_the_bri_changes_asked_are_the_ones_on_top(app, world):
    req = make_request(world, "manager_approved")
    with cli_request_context():
        decisions.bri_decide(req, world.bri, "bri_request_changes", comment="Ajoutez la lettre d'invitation.")
    db.session.commit()
    page = text(client_for(app, world.applicant).get(f"/conges/{req.id}"))
    top = page.index('data-testid="changes-asked"')
    box = page[top : page.index("</section>", top)]
    assert "Ajoutez la lettre d'invitation." in box and "Modifications demandées par le BRI" in box
