"""Reference-data pages: who may see and use them (admins and BRI officers), 404 and 405."""

from datetime import date
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_login import login_user

from app.reference.models import PartnerOrganisation, ProgrammeCycle

GET_PAGES = [
    "/referentiel/cycles",
    "/referentiel/cycles/nouveau",
    "/referentiel/cycles/{cid}",
    "/referentiel/pays",
    "/referentiel/partenaires",
    "/referentiel/partenaires/nouveau",
    "/referentiel/partenaires/{pid}",
]
POST_ACTIONS = [
    "/referentiel/cycles/nouveau",
    "/referentiel/cycles/{cid}",
    "/referentiel/pays/HT/eligible",
    "/referentiel/pays/HT/non-eligible",
    "/referentiel/partenaires/nouveau",
    "/referentiel/partenaires/{pid}",
    "/referentiel/partenaires/{pid}/desactiver",
    "/referentiel/partenaires/{pid}/reactiver",
]
ALL_ROUTES = [("GET", url) for url in GET_PAGES] + [("POST", url) for url in POST_ACTIONS]
POST_ONLY = [
    "/referentiel/pays/HT/eligible",
    "/referentiel/pays/HT/non-eligible",
    "/referentiel/partenaires/{pid}/desactiver",
    "/referentiel/partenaires/{pid}/reactiver",
]


@pytest.fixture
def target(db):
    cycle = ProgrammeCycle(
        year=2027,
        opens_on=date(2027, 1, 10),
        closes_on=date(2027, 3, 31),
        budget_envelope=Decimal("150000.00"),
        places=12,
        min_working_days=5,
        max_working_days=30,
        min_notice_days=45,
    )
    partner = PartnerOrganisation(name="Mairie de Jacmel", kind="municipality", country_code="HT", city="Jacmel")
    db.session.add_all([cycle, partner])
    db.session.commit()
    return {"cid": cycle.id, "pid": partner.id}


@pytest.mark.parametrize(("method", "url"), ALL_ROUTES)
def test_anonymous_is_sent_to_login(client, target, method, url):
    response = client.open(url.format(**target), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion")


@pytest.mark.parametrize("roles", [("employee",), ("employee", "manager")])
@pytest.mark.parametrize(("method", "url"), ALL_ROUTES)
def test_employees_and_managers_are_refused(client, login, make_user, target, method, url, roles, db):
    login(make_user(roles=roles))
    assert client.open(url.format(**target), method=method).status_code == 403
    db.session.expire_all()
    assert db.session.get(PartnerOrganisation, target["pid"]).active  # nothing changed


@pytest.mark.parametrize("roles", [("employee", "bri"), ("employee", "admin")])
@pytest.mark.parametrize("url", GET_PAGES)
def test_bri_officers_and_admins_see_every_page(client, login, make_user, target, url, roles):
    login(make_user(roles=roles))
    assert client.get(url.format(**target)).status_code == 200


@pytest.mark.parametrize("roles", [("employee", "bri"), ("employee", "admin")])
def test_bri_officers_and_admins_use_every_action(client, login, make_user, target, roles, db):
    login(make_user(roles=roles))
    for url in POST_ONLY:
        assert client.post(url.format(**target)).status_code == 303, url


@pytest.mark.parametrize("url", POST_ONLY)
def test_get_on_an_action_is_405(client, login, make_user, target, url):
    login(make_user(roles=("employee", "bri")))
    assert client.get(url.format(**target)).status_code == 405


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/referentiel/cycles/999999"),
        ("POST", "/referentiel/cycles/999999"),
        ("GET", "/referentiel/partenaires/999999"),
        ("POST", "/referentiel/partenaires/999999"),
        ("POST", "/referentiel/partenaires/999999/desactiver"),
        ("POST", "/referentiel/partenaires/999999/reactiver"),
        ("POST", "/referentiel/pays/QQ/eligible"),
        ("POST", "/referentiel/pays/XYZ/non-eligible"),
    ],
)
def test_missing_objects_are_404(client, login, make_user, method, url):
    login(make_user(roles=("employee", "admin")))
    assert client.open(url, method=method).status_code == 404


def test_admins_find_the_pages_in_the_administration_menu(client, login, make_user):
    login(make_user(roles=("employee", "admin")))
    page = client.get("/").get_data(as_text=True)
    assert 'class="dropdown-item" href="/referentiel/cycles"' in page
    assert 'href="/referentiel/pays"' in page
    assert 'href="/referentiel/partenaires"' in page


def test_reference_menu_for_bri_officers_who_are_not_admins(app, make_user):
    """The partial the main navigation includes for BRI officers (admins use the Administration menu)."""

    template = '{% include "reference/_nav_bri.html" %}'
    for roles, shown in [(("employee", "bri"), True), (("employee", "bri", "admin"), False), (("employee",), False)]:
        user = make_user(roles=roles)
        with app.test_request_context("/"):
            login_user(user)
            html = render_template_string(template)
        assert ('href="/referentiel/pays"' in html) is shown, roles
        if shown:
            assert "Référentiel" in html
