"""French by default, English on request; the choice is remembered; dates and numbers follow the language."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

import pytest
from babel import numbers
from flask_babel import force_locale, gettext

from app.accounts.models import User
from app.core.i18n import country_name, date_filter, money, number, reader_locale, sorted_country_choices


def test_language_before_login_is_kept_in_the_session(client):
    assert "Se connecter" in client.get("/compte/connexion").get_data(as_text=True)
    response = client.post("/langue", data={"language": "en", "next": "/compte/connexion"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/compte/connexion"
    assert "Log in" in client.get("/compte/connexion").get_data(as_text=True)


def test_language_switch_refuses_an_outside_next(client):
    response = client.post("/langue", data={"language": "en", "next": "https://evil.example.org/"})
    assert response.headers["Location"] == "/"


def _switch_target(response) -> str:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', response.get_data(as_text=True))
    assert found, "no language switch on the page"
    return unescape(found.group(1))


def test_the_switch_on_a_page_asked_by_get_returns_to_it_with_its_query(client):
    assert _switch_target(client.get("/compte/connexion?next=/conges/")) == "/compte/connexion?next=/conges/"


def test_the_switch_on_a_form_shown_again_returns_to_a_page_that_takes_get(client, make_user):
    user = make_user()
    wrong = client.post("/compte/connexion", data={"email": user.email, "password": "not-this-one"})
    assert wrong.status_code in (200, 401, 422) and _switch_target(wrong) == "/compte/connexion"


def test_the_switch_after_a_post_only_address_returns_to_the_page_the_form_was_on(app, world):
    from tests.factories import client_for, make_request

    req = make_request(world, "approved")
    applicant = client_for(app, world.applicant)
    page = f"/conges/{req.id}/preparatifs"
    post_only = f"{page}/passport"
    assert applicant.get(post_only).status_code == 405
    errors = {"item-passport-expires_on": "2000-01-01"}
    shown = applicant.post(post_only, data=errors, headers={"Referer": f"http://localhost{page}"})
    assert shown.status_code == 422 and _switch_target(shown) == page
    # Without a referrer of ours (none, or another site's), the home page: never an address that answers 405.
    assert _switch_target(applicant.post(post_only, data=errors)) == "/"
    outside = applicant.post(post_only, data=errors, headers={"Referer": "https://evil.example.org/x"})
    assert _switch_target(outside) == "/"


def test_language_is_remembered_in_the_profile(app, client, login, make_user, db):
    user = make_user(language="fr")
    login(user)
    client.post("/langue", data={"language": "en"})
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "en"
    # A new browser: the profile's language applies as soon as the user logs in.
    other = app.test_client()
    login(user, test_client=other)
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_dates_and_amounts_are_formatted_per_language(app):
    with app.test_request_context("/"):
        with force_locale("fr_CA"):
            assert date_filter(date(2027, 3, 1)) == "1er mars 2027"
            assert money(Decimal("1234.5")) == "1\xa0234,50\xa0$"
            # Instants are stored in UTC and shown in Montréal's time.
            assert date_filter(datetime(2027, 3, 1, 13, 30, tzinfo=UTC)) == "1er mars 2027, 08 h 30"
        with force_locale("en_CA"):
            assert date_filter(date(2027, 3, 1)) == "Mar 1, 2027"
            assert money(Decimal("1234.5")) == "$1,234.50"


def test_country_names_come_from_babel_in_the_readers_language(app):
    with app.test_request_context("/"):
        assert country_name("HT", "fr") == "Haïti"
        assert country_name("HT", "en") == "Haiti"
        codes = ["EG", "HT", "DZ", "SN"]
        assert [c for c, _ in sorted_country_choices(codes, "fr")] == ["DZ", "EG", "HT", "SN"]  # Algérie, Égypte…
        assert [c for c, _ in sorted_country_choices(codes, "en")] == ["DZ", "EG", "HT", "SN"]
        assert [n for _, n in sorted_country_choices(["EG", "ES"], "fr")] == ["Égypte", "Espagne"]


def test_translation_works_outside_a_request(app):
    """CLI commands (the daily job) translate without a request: French by default, or the locale forced."""
    with app.app_context():
        assert gettext("Page not found") == "Page introuvable"
        with force_locale("en_CA"):
            assert gettext("Page not found") == "Page not found"


def test_the_readers_catalog_found_once_follows_a_forced_locale(app):
    """The catalog kept for the request gives way to ``force_locale`` (an e-mail in its recipient's language) and
    comes back after it, in templates, in lazy strings and in the filters."""
    from flask import render_template_string

    from app.core.i18n import gettext as fast_gettext
    from app.leave.labels import status_label

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert fast_gettext("My requests") == "Mes demandes"
        assert render_template_string("{{ _('My requests') }}") == "Mes demandes"
        assert render_template_string("{{ pgettext('a context', 'My requests') }}") == "My requests"
        with force_locale("en_CA"):
            assert fast_gettext("My requests") == "My requests"
            assert render_template_string("{{ _('My requests') }}") == "My requests"
            assert status_label("approved") == "Approved"
            assert money(Decimal("1234.5")) == "$1,234.50"
            assert date_filter(date(2027, 3, 8)) == "Mar 8, 2027"
        assert status_label("approved") == "Approuvée"
        assert render_template_string("{{ _('My requests') }}") == "Mes demandes"
        assert date_filter(date(2027, 3, 8)) == "8 mars 2027"


def test_select_options_are_written_as_wtforms_writes_them(app):
    """:class:`OptionsSelect` writes the same HTML as WTForms' own select (escaping, the selected option, numbers)."""
    from wtforms import Form, SelectChoice
    from wtforms import SelectField as WTFormsSelect

    from app.core.forms import SelectField

    pairs = [("", "Tous"), (3, "<b>Trois</b> & «quatre»"), ('a"b', "Guillemet"), (True, "Oui")]
    choices = [SelectChoice(value, label) for value, label in pairs]

    class Ours(Form):
        pick = SelectField(choices=choices, coerce=str)

    class Theirs(Form):
        pick = WTFormsSelect(choices=choices, coerce=str)

    for data in ({}, {"pick": "3"}, {"pick": 'a"b'}, {"pick": "True"}):
        ours, theirs = Ours(data=data), Theirs(data=data)
        assert ours.pick(class_="form-select") == theirs.pick(class_="form-select")


def test_every_select_of_the_application_writes_its_options_straight_out(app):
    """No form of ``app`` falls back on WTForms' own select (the calendar's and the dashboard's filters did)."""
    import wtforms
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    from app.core.forms import SelectField

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    selects = [
        (f"{form.__module__}.{form.__name__}.{name}", value.field_class)
        for form in subclasses(FlaskForm)
        if form.__module__.startswith("app.")
        for name, value in vars(form).items()
        if isinstance(value, UnboundField)
        and issubclass(value.field_class, wtforms.SelectField)
        and not issubclass(value.field_class, (wtforms.RadioField, wtforms.SelectMultipleField))  # not <select>s
    ]
    assert len(selects) > 10, selects
    assert [where for where, field_class in selects if not issubclass(field_class, SelectField)] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_amounts_and_numbers_are_written_as_babel_writes_them(app, lang):
    values = [0, 7, Decimal("0.5"), Decimal("1234.5"), Decimal("-98765.432"), Decimal("1000000.00"), 12345678901, 3.25]
    with app.test_request_context(f"/?lang={lang}"), force_locale("en_CA" if lang == "en" else "fr_CA"):
        locale = reader_locale()
        for value in values:
            assert money(value) == numbers.format_currency(value, "CAD", locale=locale)
            assert number(value) == numbers.format_decimal(value, locale=locale)
    assert money(None) == number(None) == ""
