"""Hostile input never gives a 500: control characters, integers beyond the database's, absurd pages."""

import pytest


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "x\x1by", "\x7f"])
def test_control_characters_in_the_login_form_are_refused_with_a_400(client, value):
    response = client.post("/compte/connexion", data={"email": value, "password": "whatever-password"})
    assert response.status_code == 400
    assert "caractères de contrôle" in response.get_data(as_text=True)


def test_control_characters_in_a_query_string_are_refused(client, login, world):
    response = login(world.bri).get("/conges/bri/demandes?q=ab%00c")
    assert response.status_code == 400


def test_tabs_and_line_breaks_are_ordinary_text(client, login, world):
    response = login(world.bri).get("/conges/bri/demandes?q=a%09b%0Ac")
    assert response.status_code == 200


def test_a_file_name_with_a_nul_byte_is_refused(client, login, world):
    from io import BytesIO

    response = login(world.applicant).post(
        "/conges/nouvelle", data={"file": (BytesIO(b"%PDF-1.4"), "lettre\x00.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/conges/99999999999999999999", "/conges/2147483648", "/projets/99999999999999999999"]
)
def test_ids_beyond_the_database_integers_are_not_found(client, login, world, path):
    assert login(world.bri).get(path).status_code == 404


def test_the_largest_integer_id_is_an_ordinary_missing_object(client, login, world):
    assert login(world.bri).get("/conges/2147483647").status_code == 404


def test_an_unreachable_page_number_is_not_found_and_a_page_past_the_end_is_empty(app, login, world):
    from app.core.pagination import paginate
    from app.extensions import db
    from app.leave.models import LeaveRequest

    with app.test_request_context(f"/?page={10**20}"):
        with pytest.raises(Exception) as refused:
            paginate(db.select(LeaveRequest))
        assert getattr(refused.value, "code", None) == 404
    with app.test_request_context("/?page=1000"):
        assert paginate(db.select(LeaveRequest)).items == []
