"""Keyset pagination (app/core/pagination.py): every row once, in order, forwards and backwards, whatever the ties
in the sort key, the directions of its terms or a computed term; the filters kept; the total capped."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import delete, func, select

from app.core.database import utcnow
from app.core.notifications import Notification
from app.core.pagination import CURSOR_ARG, capped_count, paginate
from app.extensions import db
from tests.factories import make_project, make_sector, page_link, text


def _walk(app, query, per_page, order=None):
    """The pages of ``query`` followed through their "next" cursors, then back through their "previous" ones."""
    forward, cursor = [], None
    while True:
        with app.test_request_context("/", query_string={CURSOR_ARG: cursor} if cursor else {}):
            page = paginate(query, per_page=per_page, order=order)
        forward.append(page)
        if not page.has_next:
            break
        cursor = page.next_cursor
    backward, cursor = [forward[-1]], forward[-1].prev_cursor
    while cursor:
        with app.test_request_context("/", query_string={CURSOR_ARG: cursor}):
            page = paginate(query, per_page=per_page, order=order)
        backward.append(page)
        cursor = page.prev_cursor if page.has_prev else None
    return forward, backward


@pytest.fixture
def notifications(make_user):
    """17 notifications of one user, in three groups of the same instant (ties in the sort key)."""
    me = make_user()
    moment = utcnow()
    for n in range(17):
        db.session.add(
            Notification(recipient_id=me.id, subject=f"N{n}", body="", created_at=moment - timedelta(hours=n // 6))
        )
    db.session.commit()
    return me


@pytest.mark.parametrize("per_page", [1, 4, 6, 17, 20])
def test_every_row_comes_once_in_order_forwards_and_backwards(app, notifications, per_page):
    order = [Notification.created_at.desc(), Notification.id.desc()]
    query = select(Notification).where(Notification.recipient_id == notifications.id)
    expected = [n.id for n in db.session.scalars(query.order_by(*order))]
    forward, backward = _walk(app, query, per_page, order)
    assert [n.id for page in forward for n in page.items] == expected
    assert [n.id for page in reversed(backward) for n in page.items] == expected
    assert not forward[0].has_prev and not backward[-1].has_prev
    assert all(len(page.items) == per_page for page in forward[:-1])
    assert {page.total for page in forward} == {17}


def test_an_order_of_mixed_directions_and_a_computed_term(app, notifications):
    # A computed term first (as a relevance rank would be), ascending, then the id descending.
    rank = func.length(Notification.subject)
    order = [rank.asc(), Notification.id.desc()]
    query = select(Notification).where(Notification.recipient_id == notifications.id)
    expected = [n.id for n in db.session.scalars(query.order_by(*order))]
    forward, backward = _walk(app, query, 4, order)
    assert [n.id for page in forward for n in page.items] == expected
    assert [n.id for page in reversed(backward) for n in page.items] == expected


def test_a_row_added_before_the_cursor_does_not_shift_the_next_page(app, notifications):
    query = (
        select(Notification)
        .where(Notification.recipient_id == notifications.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    with app.test_request_context("/"):
        first = paginate(query, per_page=5)
    with app.test_request_context("/", query_string={CURSOR_ARG: first.next_cursor}):
        second = [n.id for n in paginate(query, per_page=5).items]
    db.session.add(Notification(recipient_id=notifications.id, subject="new", body="", created_at=utcnow()))
    db.session.commit()
    with app.test_request_context("/", query_string={CURSOR_ARG: first.next_cursor}):
        assert [n.id for n in paginate(query, per_page=5).items] == second


def test_a_cursor_past_every_row_gives_an_empty_page_leading_back_to_the_first(app, notifications):
    query = select(Notification).order_by(Notification.id)
    with app.test_request_context("/"):
        cut = paginate(query, per_page=16)
    db.session.execute(delete(Notification).where(Notification.id > cut.items[-1].id))  # the rows beyond go
    db.session.commit()
    with app.test_request_context("/", query_string={CURSOR_ARG: cut.next_cursor}):
        empty = paginate(query, per_page=16)
        assert empty.items == [] and empty.has_prev and not empty.has_next
        assert CURSOR_ARG not in empty.link_args("prev")


def test_the_total_is_counted_up_to_the_cap_only(app, notifications):
    query = select(Notification).where(Notification.recipient_id == notifications.id)
    assert capped_count(query, cap=20) == 17
    assert capped_count(query, cap=10) == 11  # "more than 10"
    with app.test_request_context("/"):
        page = paginate(query.order_by(Notification.id), per_page=5)
        page.total = 1001
        assert page.more_than_cap and "1" in page.total_label and "000" in page.total_label


def test_the_links_keep_the_filters_and_carry_the_cursor(app, client, login, make_user):
    bri = make_user(roles=["bri"])
    sector = make_sector()
    for i in range(app.config["ITEMS_PER_PAGE"] + 5):
        make_project(sector=sector, code=f"HT-K-{i:02d}")
    login(bri)
    seen = []
    response = client.get("/projets/", query_string={"sector": sector.id})
    for _ in range(5):
        seen += re.findall(r"HT-K-\d\d", text(response))
        if 'rel="next"' not in response.get_data(as_text=True):
            break
        link = page_link(response)
        assert parse_qs(urlsplit(link).query)["sector"] == [str(sector.id)]
        response = client.get(link)
    assert sorted(seen) == sorted(f"HT-K-{i:02d}" for i in range(app.config["ITEMS_PER_PAGE"] + 5))
    back = client.get(page_link(response, "prev"))
    assert back.status_code == 200 and "HT-K-" in text(back)
