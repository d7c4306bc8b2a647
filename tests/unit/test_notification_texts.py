"""Every kind of notification the domains register reads from its params alone, in French and in English, with
the dates and amounts of each language; params it cannot read give None (the page then shows the stored text)."""

import pytest
from flask_babel import force_locale

from app.core.notification_texts import NotificationText, email_of, render
from app.core.registry import registry_of

LINE = {"reference": "CS-2027-0042", "applicant": "Amina Diallo", "since": "2027-01-04", "end": "2027-01-22"}
PARAMS = {
    "ref": "CS-2027-0042",
    "applicant": "Amina Diallo",
    "country": "HT",
    "start": "2027-03-01",
    "end": "2027-03-19",
    "days": 15,
    "amount": "2000.00",
    "action": "bri_request_changes",
    "status": "changes_requested",
    "comment": "Ajoutez la lettre d'invitation.",
    "delegate_of": "Bernard Lachance",
    "file": "lettre.pdf",
    "manager": "Bernard Lachance",
    "since": "2027-01-04",
    "day": "2027-01-11",
    "total": 3,
    "more": 1,
    "decisions_only": False,
    "queue_url": "http://127.0.0.1:5000/conges/bri",
    "old": 1,
    "new": 3,
    "checked_on": "2027-01-11",
    "note_fr": "Éviter l'Artibonite.",
    "note_en": "Avoid Artibonite.",
    "lines": [
        {**LINE, "kind": "report_due", "url": "http://127.0.0.1:5000/rapports/1/modifier"},
        {**LINE, "kind": "bri_decision", "url": "http://127.0.0.1:5000/conges/2"},
    ],
}


@pytest.fixture
def app(app):
    """The suite's application, in a request context (no table is read)."""
    with app.test_request_context():
        yield app


def _in(language: str, kind: str, params=PARAMS) -> NotificationText | None:
    with force_locale(f"{language}_CA"):
        return render(kind, params)


def test_the_domains_register_their_kinds(app):
    kinds = set(registry_of(app).notification_kinds)
    assert {"leave/decision", "leave/attachment_added", "reports/returned", "reports/reminder_digest"} <= kinds


def test_every_kind_reads_in_french_and_in_english(app):
    for kind in registry_of(app).notification_kinds:
        french, english = _in("fr", kind), _in("en", kind)
        assert french and english, kind
        assert french.subject and french.body and english.subject and english.body, kind
        assert french.subject != english.subject, kind


def test_dates_amounts_and_countries_follow_the_language(app):
    french, english = _in("fr", "leave/to_decide_bri"), _in("en", "leave/to_decide_bri")
    assert "1er mars 2027" in french.body and "2\xa0000,00\xa0$" in french.body and "Haïti" in french.body
    assert "d'Amina Diallo" in french.body and "of Amina Diallo" in english.body
    assert "Mar 1, 2027" in english.body and "$2,000.00" in english.body and "Haiti" in english.body


def test_a_decision_says_the_action_the_status_and_the_comment(app):
    text = _in("en", "leave/decision")
    assert text.subject == "Your request CS-2027-0042: Changes requested by the BRI"
    assert "Its status is now: Changes requested." in text.body
    assert "Ajoutez la lettre d'invitation." in text.body
    assert text.call == "Edit the request and submit it again:"


def test_the_digest_groups_its_lines_and_says_how_many_more(app):
    text = _in("fr", "reports/reminder_digest")
    assert text.subject == "Rappel\xa0: 3\xa0dossiers vous attendent"
    assert text.body.index("rapports/1/modifier") < text.body.index("conges/2") < text.body.index("conges/bri")


def test_a_raised_advisory_reads_its_levels_and_note_in_each_language(app):
    french, english = _in("fr", "reference/advisory_raised"), _in("en", "reference/advisory_raised")
    assert "du niveau 1 (Prendre des mesures de sécurité normales) au niveau 3 (Éviter tout voyage non essentiel)" in (
        french.body
    )
    assert "Éviter l'Artibonite." in french.body and "janv. 2027" in french.body
    assert "from level 1 (Take normal security precautions) to level 3 (Avoid non-essential travel)" in english.body
    assert "Avoid Artibonite." in english.body
    traveller = _in("en", "leave/advisory_raised", {**PARAMS, "old": None})
    assert "CS-2027-0042" in traveller.subject and "is now level 3 (Avoid non-essential travel)" in traveller.body


@pytest.mark.parametrize("params", [None, {}, {"ref": "CS-2027-0001"}, {**PARAMS, "start": "pas une date"}])
def test_params_a_kind_cannot_read_give_none(app, params):
    assert _in("fr", "leave/decision", params) is None


def test_an_unknown_kind_gives_none(app):
    assert _in("fr", "leave/gone") is None and _in("fr", None) is None


def test_the_email_greets_tells_and_links(app):
    with force_locale("en_CA"):
        subject, body = email_of(_in("en", "leave/mission_started"), "Amina Diallo", "http://x/conges/7")
    assert subject == "Mission CS-2027-0042: have a good mission"
    assert body.startswith("Hello Amina Diallo,\n\nYour mission CS-2027-0042 in Haiti starts on Mar 1, 2027")
    assert body.endswith("See the request:\nhttp://x/conges/7")
