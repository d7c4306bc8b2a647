"""A partner organisation's contacts (they receive the links that confirm missions): BRI officers only add, edit,
deactivate and reactivate them on the partner's page; what they type is checked field by field, never a 500."""

import pytest
from sqlalchemy import func, select

from app.reference import services
from app.reference.models import PartnerContact
from tests.factories import make_contact, make_partner, make_user, text


@pytest.fixture
def partner(db):
    return make_partner("Mairie de Jacmel", city="Jacmel")


@pytest.fixture
def bri(db):
    return make_user(roles=("employee", "bri"))


def _data(**overrides) -> dict:
    return {"name": "Marie-Ange Joseph", "email": "ma.joseph@jacmel.example", "language": "fr", **overrides}


def _contacts(db) -> list[PartnerContact]:
    db.session.expire_all()
    return list(db.session.scalars(select(PartnerContact).order_by(PartnerContact.id)))


def test_the_bri_adds_edits_deactivates_and_reactivates_a_contact(client, login, bri, partner, db):
    login(bri)
    response = client.post(
        f"/referentiel/partenaires/{partner.id}/contacts/nouveau",
        data=_data(name="  Marie-Ange   Joseph ", email=" MA.Joseph@Jacmel.example "),
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/referentiel/partenaires/{partner.id}"
    [contact] = _contacts(db)
    assert (contact.partner_id, contact.name, contact.email, contact.language, contact.active) == (
        partner.id,
        "Marie-Ange Joseph",
        "ma.joseph@jacmel.example",
        "fr",
        True,
    )
    page = text(client.get(f"/referentiel/partenaires/{partner.id}"))
    assert 'data-testid="partner-contacts"' in page and "ma.joseph@jacmel.example" in page
    edit = f"/referentiel/partenaires/{partner.id}/contacts/{contact.id}"
    assert client.post(edit, data=_data(language="en")).status_code == 303
    assert _contacts(db)[0].language == "en"
    assert client.post(f"{edit}/desactiver").status_code == 303
    assert _contacts(db)[0].active is False
    assert "Désactivé" in text(client.get(f"/referentiel/partenaires/{partner.id}"))
    assert client.post(f"{edit}/reactiver").status_code == 303
    assert _contacts(db)[0].active is True


@pytest.mark.parametrize("roles", [("employee",), ("employee", "manager"), ("employee", "admin")])
def test_only_the_bri_manages_contacts(client, login, partner, db, roles):
    contact = make_contact(partner)
    login(make_user(roles=roles))
    base = f"/referentiel/partenaires/{partner.id}/contacts"
    assert client.get(f"{base}/nouveau").status_code == 403
    assert client.post(f"{base}/nouveau", data=_data()).status_code == 403
    assert client.post(f"{base}/{contact.id}", data=_data(name="Autre")).status_code == 403
    assert client.post(f"{base}/{contact.id}/desactiver").status_code == 403
    assert [(c.name, c.active) for c in _contacts(db)] == [(contact.name, True)]


def test_the_administrator_sees_the_partner_but_not_its_contacts(client, login, partner):
    make_contact(partner, email="secret@jacmel.example")
    login(make_user(roles=("employee", "admin")))
    page = client.get(f"/referentiel/partenaires/{partner.id}")
    assert page.status_code == 200 and "secret@jacmel.example" not in text(page)


def test_an_anonymous_visitor_is_sent_to_the_login(client, partner):
    response = client.get(f"/referentiel/partenaires/{partner.id}/contacts/nouveau")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_a_contact_is_reached_through_its_own_partner_only(client, login, bri, partner):
    contact = make_contact(make_partner("Mairie de Léogâne"))
    login(bri)
    assert client.get(f"/referentiel/partenaires/{partner.id}/contacts/{contact.id}").status_code == 404
    assert client.post(f"/referentiel/partenaires/{partner.id}/contacts/{contact.id}/desactiver").status_code == 404
    assert client.get(f"/referentiel/partenaires/{partner.id}/contacts/999999").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Entrez une adresse courriel valide."),
        ("email", "a@b", "Entrez une adresse courriel valide."),
        ("email", "x" * 250 + "@jacmel.example", "254"),
        ("name", "", "Ce champ est requis."),
        ("name", "N" * 121, "120"),
        ("language", "ht", "Not a valid choice."),
    ],
)
def test_what_is_refused_is_said_next_to_its_field(client, login, bri, partner, db, field, value, message):
    login(bri)
    response = client.post(f"/referentiel/partenaires/{partner.id}/contacts/nouveau", data=_data(**{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    if message != "Not a valid choice.":
        assert message in text(response)
    assert _contacts(db) == []


@pytest.mark.parametrize("field", ["name", "email"])
def test_a_nul_byte_is_refused_before_any_view_and_never_a_500(client, login, bri, partner, db, field):
    login(bri)
    response = client.post(
        f"/referentiel/partenaires/{partner.id}/contacts/nouveau", data=_data(**{field: "Marie\x00Ange"})
    )
    assert response.status_code == 400
    assert "caractères de contrôle" in text(response)
    assert _contacts(db) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_data(name="Marie\x00Ange"), "name"),
        (_data(email="ma\x00@jacmel.example"), "email"),
        (_data(email="x" * 300), "email"),
        (_data(name="N" * 121), "name"),
        (_data(email="nope"), "email"),
        (_data(language="de"), "language"),
        (_data(name="   "), "name"),
    ],
)
def test_the_service_refuses_the_same_field_by_field(db, bri, partner, data, field):
    with pytest.raises(services.ReferenceValidationError) as refused:
        services.save_contact(PartnerContact(), partner, data, bri)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(PartnerContact.id))) == 0
