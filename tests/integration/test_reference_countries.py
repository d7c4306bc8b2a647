"""Destination countries: every ISO code from Babel, names and order in the reader's language, eligibility."""

import re
from html import unescape

import pytest

from app.core.i18n import all_country_codes, sorted_country_choices
from app.reference.models import Country


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def bri(make_user):
    return make_user(roles=("employee", "bri"))


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>', page)


def test_every_iso_code_from_babel_is_listed_over_the_pages(client, login, bri):
    login(bri)
    codes: list[str] = []
    for number in range(1, 10):
        codes += re.findall(r"<td><code>([A-Z]{2})</code></td>", text(client.get(f"/referentiel/pays?page={number}")))
    assert sorted(codes) == all_country_codes()
    assert len(codes) > 240
    assert "HT" in codes and "CA" in codes


def test_country_names_follow_the_readers_language(client, login, bri):
    login(bri)
    french = text(client.get("/referentiel/pays?q=HT"))
    assert "Haïti" in french
    assert "Pays de destination" in french
    client.post("/langue", data={"language": "en"})
    english = text(client.get("/referentiel/pays?q=HT"))
    assert "Haiti" in english and "Haïti" not in english
    assert "Destination countries" in english


def test_countries_are_sorted_for_the_readers_language(client, login, bri):
    login(bri)
    french = _names(text(client.get("/referentiel/pays")))
    assert french == [name for _, name in sorted_country_choices(all_country_codes(), "fr_CA")][:50]
    # Accents are folded: "Égypte" is among the E, not after the Z.
    first_page = _names(text(client.get("/referentiel/pays?q=gypte")))
    assert first_page == ["Égypte"]
    everything_fr = [n for p in (1, 2, 3) for n in _names(text(client.get(f"/referentiel/pays?page={p}")))]
    assert everything_fr.index("Égypte") < everything_fr.index("Équateur") < everything_fr.index("Espagne")
    assert everything_fr.index("Allemagne") < everything_fr.index("Haïti")
    client.post("/langue", data={"language": "en"})
    everything_en = [n for p in (1, 2, 3) for n in _names(text(client.get(f"/referentiel/pays?page={p}")))]
    assert everything_en.index("Germany") < everything_en.index("Haiti")
    assert everything_en.index("Haiti") > everything_en.index("Egypt")
    assert everything_fr != everything_en


def test_search_ignores_accents_and_case_and_matches_codes(client, login, bri):
    login(bri)
    assert _names(text(client.get("/referentiel/pays?q=HAITI"))) == ["Haïti"]
    assert "Sénégal" in _names(text(client.get("/referentiel/pays?q=sn")))
    assert "Aucun pays ne correspond à cette recherche." in text(client.get("/referentiel/pays?q=atlantide"))


def test_bri_marks_a_country_eligible_then_not_eligible(client, login, bri, db):
    login(bri)
    response = client.post("/referentiel/pays/ht/eligible", data={"next": "/referentiel/pays?q=ha"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/referentiel/pays?q=ha"
    db.session.expire_all()
    assert db.session.get(Country, "HT").eligible is True
    page = text(client.get("/referentiel/pays?show=eligible"))
    assert _names(page) == ["Haïti"]
    assert "Haïti est maintenant admissible." in page
    assert "1 pays est admissible" in page
    assert "Rendre Haïti non admissible" in page

    response = client.post("/referentiel/pays/HT/non-eligible", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/referentiel/pays"
    db.session.expire_all()
    assert db.session.get(Country, "HT").eligible is False
    assert "Aucun pays ne correspond" in text(client.get("/referentiel/pays?show=eligible"))


def test_a_country_without_a_row_is_not_eligible(client, login, bri):
    login(bri)
    page = text(client.get("/referentiel/pays?q=Haïti"))
    assert "Non admissible" in page
    assert "Rendre Haïti admissible" in page


def test_marking_twice_is_harmless(client, login, bri, db):
    login(bri)
    client.post("/referentiel/pays/SN/eligible")
    client.post("/referentiel/pays/SN/eligible")
    assert db.session.query(Country).count() == 1


def test_the_page_stays_light(client, login, bri):
    login(bri)
    page = text(client.get("/referentiel/pays"))
    assert page.count("<tr>") <= 51
    assert 'aria-label="Pages"' in page
