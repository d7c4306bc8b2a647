"""Sorting the lists by their column headers (``?sort=&dir=``, app/core/sorting.py): every sortable column of every
list, in both directions, over several pages: the right order, every row once, no gap; the headers say the order
(aria-sort, an arrow); the filters and the cursor keep the sort; an unknown sort is the default order."""

import re
from datetime import date
from html import unescape
from operator import attrgetter

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects.models import Project
from tests.factories import make_project, make_sector, make_user, page_link
from tests.integration.bulk import bulk_requests

PER_STATUS = 45  # three pages of 20 in each list


@pytest.fixture
def many(world):
    for status in ("submitted", "manager_approved", "report_submitted", "closed"):
        bulk_requests(world, PER_STATUS, status, prefix=f"S{status[:2].upper()}")
    return world


def _references(response) -> list[str]:
    return re.findall(r">(S[A-Z]{2}-\d{5})<", response.get_data(as_text=True))


def _walk(client, url) -> list[str]:
    """The references of every page of the list, following its "Next" links."""
    response = client.get(url)
    assert response.status_code == 200, url
    seen = _references(response)
    while 'rel="next"' in response.get_data(as_text=True):
        response = client.get(page_link(response))
        seen += _references(response)
    return seen


def _expected(condition, keys, descending: bool) -> list[str]:
    rows = db.session.scalars(select(LeaveRequest).where(condition)).all()
    return [r.reference for r in sorted(rows, key=keys, reverse=descending)]


def _by(*names):
    getters = [attrgetter(name) for name in names]
    return lambda row: tuple(get(row) for get in getters)


REFERENCE, DATES, AMOUNT = _by("reference"), _by("start_date", "id"), _by("amount_requested", "id")
WAITING = lambda r: (-r.status_changed_at.timestamp(), -r.id)  # noqa: E731 - ascending: the latest change first
RETURN, SUBMITTED = _by("end_date", "id"), _by("status_changed_at", "id")

# (who, url, the rows it lists, {sort: key})
LISTS = [
    ("applicant", "/conges/", lambda w: LeaveRequest.applicant_id == w.applicant.id,
     {"reference": REFERENCE, "dates": DATES}),
    ("manager", "/conges/a-approuver", lambda w: LeaveRequest.status == "submitted",
     {"reference": REFERENCE, "dates": DATES, "amount": AMOUNT, "waiting": WAITING}),
    ("bri", "/conges/bri/file", lambda w: LeaveRequest.status == "manager_approved",
     {"reference": REFERENCE, "dates": DATES, "amount": AMOUNT, "waiting": WAITING}),
    ("bri", "/conges/bri/demandes", lambda w: LeaveRequest.id > 0,
     {"reference": REFERENCE, "dates": DATES, "amount": AMOUNT}),
    ("bri", "/rapports/a-examiner", lambda w: LeaveRequest.status == "report_submitted",
     {"reference": REFERENCE, "return": RETURN, "submitted": SUBMITTED}),
    ("bri", "/rapports/archive", lambda w: LeaveRequest.status == "closed", {"reference": REFERENCE, "return": RETURN}),
]  # fmt: skip
CASES = [
    pytest.param(who, url, rows, sort, key, direction, id=f"{url} {sort} {direction}")
    for who, url, rows, sorts in LISTS
    for sort, key in sorts.items()
    for direction in ("asc", "desc")
]


@pytest.mark.parametrize(("who", "url", "rows", "sort", "key", "direction"), CASES)
def test_each_sortable_column_orders_every_page_in_both_directions(many, login, who, url, rows, sort, key, direction):
    client = login(getattr(many, who))
    seen = _walk(client, f"{url}?sort={sort}&dir={direction}")
    expected = _expected(rows(many), key, direction == "desc")
    assert len(expected) > 40
    assert seen == expected


def test_the_sorted_header_says_its_direction_and_links_to_the_other(many, login):
    client = login(many.bri)
    page = unescape(client.get("/conges/bri/demandes?sort=amount&dir=desc&status=closed").get_data(as_text=True))
    sorted_header = r'<th scope="col"(?: class="[^"]*")? aria-sort="descending">\s*<a [^>]*href="([^"]+)"[^>]*>([^<]*)'
    header = re.search(sorted_header, page)
    assert header and "Montant demandé" in header.group(2) and "▼" in page
    assert "sort=amount" in header.group(1) and "dir=asc" in header.group(1) and "status=closed" in header.group(1)
    assert page.count("aria-sort=") == 1
    # The other headers sort ascending first; the filter form keeps the sort.
    assert re.search(r'href="[^"]*sort=reference&amp;dir=asc|href="[^"]*sort=reference&dir=asc', page)
    assert '<input type="hidden" name="sort" value="amount">' in page
    assert '<input type="hidden" name="dir" value="desc">' in page


def test_the_default_order_is_marked_on_its_column(many, login):
    page = login(many.manager).get("/conges/a-approuver").get_data(as_text=True)
    assert re.search(r'aria-sort="descending">\s*<a [^>]*data-testid="sort-waiting"', page)


def test_the_next_page_keeps_the_sort_and_a_cursor_of_another_sort_gives_the_first_page(many, login):
    client = login(many.bri)
    first = client.get("/conges/bri/demandes?sort=dates&dir=asc")
    next_url = page_link(first)
    assert "sort=dates" in next_url and "dir=asc" in next_url
    cursor = re.search(r"cursor=([^&]+)", next_url).group(1)
    second = _references(client.get(next_url))
    assert second and set(second).isdisjoint(_references(first))
    # The same cursor with another sort, or the other direction: the first page of that order.
    for other in ("sort=amount&dir=asc", "sort=dates&dir=desc", ""):
        url = f"/conges/bri/demandes?{other}&cursor={cursor}"
        without = f"/conges/bri/demandes?{other}"
        assert _references(client.get(url)) == _references(client.get(without)), other


@pytest.mark.parametrize(
    "query",
    ["sort=nothing", "sort=reference&dir=sideways", "sort=&dir=", "sort=__class__", "sort=id&dir=desc", "dir=desc"],
)
def test_an_unknown_sort_is_the_default_order(many, login, query):
    client = login(many.bri)
    default = _references(client.get("/conges/bri/demandes"))
    response = client.get(f"/conges/bri/demandes?{query}")
    assert response.status_code == 200
    assert _references(response) == default


def test_the_projects_list_sorts_by_code_and_dates(world, login):
    sector = make_sector()
    for n in range(25):
        make_project(sector, code=f"HT-S-{(n * 7) % 25:02d}", start_date=date(2026, 1 + n % 12, 1))
    db.session.commit()
    client = login(world.bri)
    projects = db.session.scalars(select(Project)).all()
    for sort, key in (("project", lambda p: p.code), ("dates", lambda p: (p.start_date, p.id))):
        for direction in ("asc", "desc"):
            response = client.get(f"/projets/?sort={sort}&dir={direction}")
            seen = re.findall(r">(HT-S-\d\d)<", response.get_data(as_text=True))
            while 'rel="next"' in response.get_data(as_text=True):
                response = client.get(page_link(response))
                seen += re.findall(r">(HT-S-\d\d)<", response.get_data(as_text=True))
            assert seen == [p.code for p in sorted(projects, key=key, reverse=direction == "desc")], (sort, direction)


def test_the_users_list_sorts_by_name_email_and_number(world, login):
    for n in range(25):
        make_user(
            full_name=f"Zoé Tri {(n * 7) % 25:02d}",
            email=f"tri{n:02d}@example.org",
            employee_number=f"T{(n * 3) % 25:03d}",
        )
    client = login(world.admin)
    users = db.session.scalars(select(User).where(User.active.is_(True))).all()
    keys = {"name": lambda u: (u.full_name, u.id), "email": lambda u: u.email, "number": lambda u: u.employee_number}
    for sort, key in keys.items():
        for direction in ("asc", "desc"):
            response = client.get(f"/admin/utilisateurs?sort={sort}&dir={direction}")
            pattern = r'<td><a href="/admin/utilisateurs/\d+">([^<]+)</a></td>'
            seen = re.findall(pattern, unescape(response.get_data(as_text=True)))
            while 'rel="next"' in response.get_data(as_text=True):
                response = client.get(page_link(response))
                seen += re.findall(pattern, unescape(response.get_data(as_text=True)))
            assert seen == [u.full_name for u in sorted(users, key=key, reverse=direction == "desc")], (sort, direction)


@pytest.mark.parametrize("name", ["_method=POST", "_scheme=javascript", "_external=1", "_anchor=x"])
def test_url_for_arguments_in_the_query_string_break_no_link(many, login, name):
    client = login(many.bri)
    response = client.get(f"/conges/bri/demandes?sort=dates&{name}")
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*(?:sort=|cursor=|export\.)[^"]*)"', unescape(response.get_data(as_text=True)))
    assert len(links) > 5 and not [link for link in links if name in link]
    assert name not in page_link(response)
