"""One way to cut a list into pages: keyset pagination on the list's order, with an opaque cursor.

A page is the ``ITEMS_PER_PAGE`` rows that come after (or before) the last row the reader saw, in the list's order:
``WHERE (sort key, id) > (the last row's) ORDER BY sort key, id LIMIT n + 1``. Its cost does not depend on how deep
the page is, unlike ``OFFSET``, and an index on the list's filter and order delivers it without a sort. The order is
any list of ``ORDER BY`` expressions (columns, or a computed rank), each ascending or descending, the last ones
making it unique (the id).

The cursor in the query string (``?cursor=``) is the sort key of the row the page starts after, with the direction,
signed with the application's secret key: a cursor that was tampered with, truncated, comes from another list or
order, or is no cursor at all gives the first page. The total is counted up to :data:`COUNT_CAP` rows (a
``COUNT`` over a ``LIMIT``), never over the whole table: beyond it the page says "more than 1,000".
"""

import enum
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, request
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import ColumnElement, Select, and_, func, inspect, literal, or_, select, tuple_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import Label, UnaryExpression, _label_reference

from app.extensions import db

CURSOR_ARG = "cursor"
COUNT_CAP = 1000  # the total is exact up to this many rows; beyond, "more than 1,000"
MAX_CURSOR_LENGTH = 1000  # a longer value is no cursor of ours
_SALT = "keyset-cursor"


@dataclass(frozen=True)
class SortKey:
    """One term of a list's order."""

    expr: ColumnElement
    descending: bool = False


def sort_keys(order: Sequence) -> list[SortKey]:
    """The terms of ``ORDER BY`` expressions (``col``, ``col.asc()``, ``col.desc()``, ``rank.desc()``...)."""
    keys = []
    for term in order:
        if isinstance(term, _label_reference):  # ORDER BY a labelled expression (a rank): SQLAlchemy wraps it
            term = term.element
        if isinstance(term, UnaryExpression) and term.modifier in (operators.desc_op, operators.asc_op):
            element = term.element.element if isinstance(term.element, Label) else term.element
            keys.append(SortKey(element, term.modifier is operators.desc_op))
        elif isinstance(term, UnaryExpression) and term.modifier is not None:
            raise ValueError(f"keyset pagination cannot follow {term} (NULLS FIRST/LAST): sort on non-null keys")
        else:
            keys.append(SortKey(term))
    if not keys:
        raise ValueError("keyset pagination needs an order")
    return keys


def _fingerprint(keys: Sequence[SortKey]) -> int:
    """Which order a cursor belongs to: a cursor of another list or order is not applied."""
    return zlib.crc32("|".join(f"{key.expr}:{key.descending}" for key in keys).encode())


def _encode(value):
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode(value):
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        return {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}[tag](text)
    return value


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_cursor(keys: Sequence[SortKey], values: Sequence, backwards: bool = False) -> str:
    return _serializer().dumps({"o": _fingerprint(keys), "b": backwards, "v": [_encode(v) for v in values]})


def read_cursor(keys: Sequence[SortKey], text: str | None) -> tuple[bool, list] | None:
    """(backwards, values) of the query string's cursor, or None for the first page: no cursor, or one that is not
    ours (bad signature, garbage, too long, another order, values that do not decode)."""
    if not text or len(text) > MAX_CURSOR_LENGTH:
        return None
    try:
        data = _serializer().loads(text)
        if not isinstance(data, dict) or data.get("o") != _fingerprint(keys):
            return None
        values = [_decode(v) for v in data["v"]]
        backwards = bool(data["b"])
    except (BadData, KeyError, TypeError, ValueError, ArithmeticError):
        return None
    if len(values) != len(keys) or any(v is None for v in values):
        return None
    return backwards, values


def beyond(keys: Sequence[SortKey], values: Sequence, backwards: bool = False) -> ColumnElement[bool]:
    """The rows after ``values`` in the order of ``keys`` (before them when ``backwards``)."""
    bound = [literal(value, key.expr.type) for key, value in zip(keys, values, strict=True)]
    smaller = [key.descending != backwards for key in keys]  # True: the rows beyond have smaller values
    if all(smaller) or not any(smaller):
        # One row comparison: PostgreSQL uses it as an index condition on (key..., id).
        left, right = tuple_(*(key.expr for key in keys)), tuple_(*bound)
        return left < right if smaller[0] else left > right
    terms = []
    for i, key in enumerate(keys):
        equal = [keys[j].expr == bound[j] for j in range(i)]
        terms.append(and_(*equal, key.expr < bound[i] if smaller[i] else key.expr > bound[i]))
    first = keys[0].expr <= bound[0] if smaller[0] else keys[0].expr >= bound[0]
    return and_(first, or_(*terms))


@dataclass
class KeysetPage:
    """A page of a list: its rows, whether there are others before and after, their cursors, the capped total."""

    items: list
    has_prev: bool = False
    has_next: bool = False
    prev_cursor: str | None = None
    next_cursor: str | None = None
    total: int = 0  # exact up to COUNT_CAP, COUNT_CAP + 1 meaning "more"
    arg: str = CURSOR_ARG

    @property
    def more_than_cap(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def total_label(self) -> str:
        if self.more_than_cap:
            return _("More than %(num)s results", num=format_decimal(COUNT_CAP))
        return ngettext("%(num)s result", "%(num)s results", self.total)

    def link_args(self, which: str) -> dict:
        """The query string of the previous or next page: the filters kept, the cursor replaced."""
        args = kept_args()
        cursor = self.next_cursor if which == "next" else self.prev_cursor
        if cursor is not None:  # none: the first page
            args[self.arg] = cursor
        return args


def written_limit(n: int) -> ColumnElement:
    """A LIMIT written into the SQL rather than sent as a parameter. PostgreSQL keeps one generic plan per prepared
    statement only when it costs no more than the plans made for each execution; with the LIMIT a parameter, the
    generic plan must expect every row and loses, so the list's joins were planned again at every view (planning
    then cost fifty times the execution). The page sizes are a handful of constants: as many statements."""
    return literal(int(n), literal_execute=True)


def kept_args(*dropped: str) -> dict:
    """The query string a list's links keep (filters, sort), without the cursor, ``dropped``, and the names that
    ``url_for`` reads for itself (``_method``, ``_scheme``, ``_external``...): no hostile link breaks the page."""
    dropped = (CURSOR_ARG, "page", *dropped)
    return {name: value for name, value in request.args.items() if name not in dropped and not name.startswith("_")}


def capped_count_query(query: Select, cap: int = COUNT_CAP) -> Select:
    """``SELECT count(*) FROM (SELECT id FROM ... LIMIT cap + 1)``: exact up to ``cap``, ``cap + 1`` for "more".
    Only the primary key of the list's entity is selected (joins and filters kept; no eager load), so that an
    index-only scan can answer. ``.scalar_subquery()`` of it is a count that another statement carries (the
    navigation's)."""
    inner = query.order_by(None)
    entity = query.column_descriptions[0].get("entity") if query.column_descriptions else None
    if entity is not None:
        inner = inner.with_only_columns(*inspect(entity).primary_key)
    limited = inner.limit(written_limit(cap + 1)).subquery()
    return select(func.count()).select_from(limited)


def capped_count(query: Select, cap: int = COUNT_CAP) -> int:
    """The capped total of ``query`` (:func:`capped_count_query`), in one statement."""
    return db.session.scalar(capped_count_query(query, cap)) or 0


def paginate(query: Select, per_page: int | None = None, order: Sequence | None = None) -> KeysetPage:
    """The page of ``query`` that ``?cursor=`` asks for, in ``order`` (by default the query's own ``ORDER BY``,
    which must end with a unique key such as the id). Two statements: the rows (one more than a page, to know
    whether another follows) and the capped count; the query's eager loads add theirs."""
    per_page = per_page or current_app.config["ITEMS_PER_PAGE"]
    keys = sort_keys(order if order is not None else query._order_by_clauses)
    cursor = read_cursor(keys, request.args.get(CURSOR_ARG))
    backwards, values = cursor if cursor else (False, None)
    page_query = query.order_by(None)
    if values is not None:
        page_query = page_query.where(beyond(keys, values, backwards))
    descending = [key.descending != backwards for key in keys]
    page_query = page_query.order_by(
        *(key.expr.desc() if desc else key.expr.asc() for key, desc in zip(keys, descending, strict=True))
    )
    labels = [f"_keyset_{i}" for i in range(len(keys))]
    page_query = page_query.add_columns(*(key.expr.label(name) for key, name in zip(keys, labels, strict=True)))
    rows = db.session.execute(page_query.limit(written_limit(per_page + 1))).unique().all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    items = [row[0] for row in rows]
    row_keys = [tuple(row[-len(keys) :]) for row in rows]
    page = KeysetPage(items=items, total=capped_count(query))
    if backwards:
        page.has_prev, page.has_next = more, True
    else:
        page.has_prev, page.has_next = values is not None, more
    if rows and page.has_prev:
        page.prev_cursor = make_cursor(keys, row_keys[0], backwards=True)
    if rows and page.has_next:
        page.next_cursor = make_cursor(keys, row_keys[-1])
    if not rows and values is not None:
        # Nothing beyond the cursor (the rows went meanwhile): a link back to the first page (no cursor).
        page.has_prev, page.has_next, page.prev_cursor = True, False, None
    return page
