"""The number of SQL statements of each list page does not grow when the data double."""

import itertools

import pytest

from tests.factories import client_for, make_request, make_user

_drafts = itertools.count()  # each batch's drafts of the applicant take new dates (no overlap)


def add_batch(world, n: int) -> None:
    """``n`` requests of new people of the team, in the statuses the list pages show."""
    for i in range(n):
        applicant = make_user(manager=world.manager, department=world.applicant.department)
        make_request(world, ("submitted", "manager_approved", "approved")[i % 3], applicant=applicant)
        make_request(world, "draft", applicant=world.applicant, start=_far(next(_drafts)))


def _far(i: int):
    from datetime import timedelta

    from app.core.database import montreal_today

    return montreal_today() + timedelta(days=60 + 15 * i)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/conges/", "applicant"),
        ("/conges/a-approuver", "manager"),
        ("/conges/bri/file", "bri"),
        ("/conges/bri/demandes", "bri"),
    ],
)
def test_list_pages_run_a_constant_number_of_statements(app, world, count_queries, url, who):
    client = client_for(app, getattr(world, who))
    add_batch(world, 3)
    client.get(url)  # warm-up: caches of the first request
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_batch(world, 3)
    with count_queries() as doubled:
        page = client.get(url)
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("/conges/") > 0
    assert len(small) > 3  # the listener sees the page's queries
    assert len(doubled) == len(small), (len(small), len(doubled))
