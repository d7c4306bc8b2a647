"""Partner organisations: list with filters, creation, edition, uniqueness per country, (de)activation."""

from html import unescape

import pytest
from sqlalchemy import func, select

from app.reference.models import PartnerOrganisation
from tests.factories import make_partner, page_link


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def admin(make_user):
    return make_user(roles=("employee", "admin"))


def _data(**overrides) -> dict:
    data = {"name": "Mairie de Jacmel", "kind": "municipality", "country_code": "HT", "city": "Jacmel"}
    data.update(overrides)
    return data


def _count(db) -> int:
    return db.session.scalar(select(func.count(PartnerOrganisation.id)))


def test_admin_creates_a_partner(client, login, admin, db):
    login(admin)
    response = client.post("/referentiel/partenaires/nouveau", data=_data(name="  Mairie   de Jacmel "))
    assert response.status_code == 303
    partner = db.session.scalars(select(PartnerOrganisation)).one()
    assert (partner.name, partner.kind, partner.country_code, partner.city, partner.active) == (
        "Mairie de Jacmel",
        "municipality",
        "HT",
        "Jacmel",
        True,
    )
    page = text(client.get("/referentiel/partenaires"))
    assert "Organisation partenaire Mairie de Jacmel créée." in page
    assert "Haïti" in page and "Municipalité" in page


def test_the_country_select_offers_every_country_named_by_babel(client, login, admin):
    login(admin)
    page = text(client.get("/referentiel/partenaires/nouveau"))
    assert '<option value="HT">Haïti</option>' in page
    assert page.count("<option") > 240
    client.post("/langue", data={"language": "en"})
    assert '<option value="HT">Haiti</option>' in text(client.get("/referentiel/partenaires/nouveau"))


def test_a_name_is_unique_within_a_country_with_a_clear_message(client, login, admin, db):
    make_partner("Mairie de Jacmel", "HT")
    login(admin)
    response = client.post("/referentiel/partenaires/nouveau", data=_data(name="MAIRIE DE JACMEL"))
    assert response.status_code == 422
    page = text(response)
    assert "Une organisation partenaire portant ce nom existe déjà dans ce pays." in page
    assert 'id="name-error"' in page
    assert _count(db) == 1
    # The same name in another country is another organisation.
    assert client.post("/referentiel/partenaires/nouveau", data=_data(country_code="SN")).status_code == 303
    assert _count(db) == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"country_code": ""}, "country_code"),
        ({"country_code": "QQ"}, "country_code"),
        ({"kind": "cartel"}, "kind"),
        ({"city": "y" * 121}, "city"),
    ],
)
def test_invalid_partner_is_refused_next_to_the_field(client, login, admin, db, overrides, field):
    login(admin)
    response = client.post("/referentiel/partenaires/nouveau", data=_data(**overrides))
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)
    assert _count(db) == 0


def test_admin_edits_a_partner(client, login, admin, db):
    partner = make_partner("ONG Lakay", kind="ngo")
    other = make_partner("Université d'État d'Haïti", kind="university")
    login(admin)
    assert 'value="ONG Lakay"' in text(client.get(f"/referentiel/partenaires/{partner.id}"))
    response = client.post(f"/referentiel/partenaires/{partner.id}", data=_data(name="ONG Lakay", city="Jérémie"))
    assert response.status_code == 303
    response = client.post(f"/referentiel/partenaires/{partner.id}", data=_data(name=other.name))
    assert "existe déjà dans ce pays" in text(response)
    db.session.expire_all()
    edited = db.session.get(PartnerOrganisation, partner.id)
    assert (edited.name, edited.city, edited.kind) == ("ONG Lakay", "Jérémie", "municipality")


def test_deactivated_partner_leaves_the_default_list_and_comes_back(client, login, admin, db):
    partner = make_partner("Mairie des Cayes")
    login(admin)
    response = client.post(f"/referentiel/partenaires/{partner.id}/desactiver")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(PartnerOrganisation, partner.id).active is False
    assert "Mairie des Cayes est désactivée" in text(client.get(response.headers["Location"]))
    assert "Mairie des Cayes" not in text(client.get("/referentiel/partenaires"))
    assert "Mairie des Cayes" in text(client.get("/referentiel/partenaires?status=inactive"))
    assert "Réactiver cette organisation" in text(client.get(f"/referentiel/partenaires/{partner.id}"))
    assert client.post(f"/referentiel/partenaires/{partner.id}/reactiver").status_code == 303
    db.session.expire_all()
    assert db.session.get(PartnerOrganisation, partner.id).active is True


def test_partner_list_filters_by_country_kind_and_search(client, login, admin):
    make_partner("Mairie de Jacmel", "HT", "municipality", "Jacmel")
    make_partner("ONG Lakay", "HT", "ngo", "Port-au-Prince")
    make_partner("Commune de Dakar", "SN", "municipality", "Dakar")
    login(admin)

    def names(query: str) -> set[str]:
        page = text(client.get(f"/referentiel/partenaires?{query}"))
        return {n for n in ("Mairie de Jacmel", "ONG Lakay", "Commune de Dakar") if n in page}

    assert names("") == {"Mairie de Jacmel", "ONG Lakay", "Commune de Dakar"}
    assert names("country=HT") == {"Mairie de Jacmel", "ONG Lakay"}
    assert names("kind=municipality") == {"Mairie de Jacmel", "Commune de Dakar"}
    assert names("country=HT&kind=ngo") == {"ONG Lakay"}
    assert names("q=dakar") == {"Commune de Dakar"}
    assert names("q=port-au") == {"ONG Lakay"}
    # Unknown filter values are ignored rather than failing.
    assert names("country=ZZZ&kind=nothing&status=weird") == {"Mairie de Jacmel", "ONG Lakay", "Commune de Dakar"}
    empty = text(client.get("/referentiel/partenaires?q=atlantide"))
    assert "Aucune organisation partenaire ne correspond à ces filtres." in empty


def test_partner_list_is_paginated_with_a_constant_number_of_queries(client, login, admin, count_queries):
    for n in range(25):
        make_partner(f"Partenaire {n:02d}")
    login(admin)
    with count_queries() as statements:
        response = client.get("/referentiel/partenaires")
        first = text(response)
        n_first = len(statements)
        for n in range(25, 50):
            make_partner(f"Partenaire {n:02d}")
        statements.clear()
        client.get(page_link(response))
        n_second = len(statements)
    assert "Partenaire 00" in first and "Partenaire 24" not in first
    assert "25 résultats" in first
    assert n_second == n_first
