"""Sorting a list by one of its columns: ``?sort=<column>&dir=asc|desc``, kept by the filters and the cursor.

A list offers a few :class:`SortColumn` items, each naming the table column it heads and the ``ORDER BY`` terms of
its ascending order (ending with a unique key, such as the id, for :mod:`app.core.pagination`); the descending
order flips every term, so that one index read forwards or backwards serves both. :func:`choose_sort` reads the
query string: an unknown column or direction is ignored (the list's default order). The keyset cursor is signed with
the order it was made for, so a cursor of another sort shows the first page.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import request
from sqlalchemy import Select

from app.core.pagination import kept_args, sort_keys

SORT_ARG = "sort"
DIR_ARG = "dir"
DIRECTIONS = {"asc": False, "desc": True}


@dataclass(frozen=True)
class SortColumn:
    name: str  # the value of ``?sort=`` and the name of the table column it heads
    terms: tuple  # the ORDER BY terms of the ascending order: ``(LeaveRequest.start_date, LeaveRequest.id)``

    def order(self, descending: bool) -> list:
        keys = sort_keys(self.terms)
        return [key.expr.desc() if key.descending != descending else key.expr.asc() for key in keys]


@dataclass(frozen=True)
class Sort:
    """The order a reader chose (or the list's default) and what the column headers need to show it."""

    columns: dict[str, SortColumn]
    name: str | None = None  # the sorted column, None: the list's own order with no column marked
    descending: bool = False
    chosen: bool = False  # chosen in the query string (else the default)

    def apply(self, query: Select) -> Select:
        """``query`` in the chosen order; the list's own when none was chosen."""
        if not self.chosen or self.name is None:
            return query
        return query.order_by(None).order_by(*self.columns[self.name].order(self.descending))

    def sortable(self, name: str) -> bool:
        return name in self.columns

    def aria(self, name: str) -> str | None:
        """``aria-sort`` of a column header: only the sorted column has one."""
        if name != self.name:
            return None
        return "descending" if self.descending else "ascending"

    def link_args(self, name: str) -> dict:
        """The query string of a header's link: the filters kept, the cursor dropped, this column, the direction
        that is not the one shown (ascending first)."""
        args = kept_args(SORT_ARG, DIR_ARG)
        descending = name == self.name and not self.descending
        return {**args, SORT_ARG: name, DIR_ARG: "desc" if descending else "asc"}

    @property
    def args(self) -> dict:
        """The chosen sort as query-string arguments (none for the default)."""
        return {SORT_ARG: self.name, DIR_ARG: "desc" if self.descending else "asc"} if self.chosen else {}


def choose_sort(columns: Sequence[SortColumn], default: tuple[str, bool] | None = None) -> Sort:
    """The sort of ``?sort=&dir=`` among ``columns``; ``default`` (column, descending) is the column the list's own
    order follows, marked in its header. An unknown column or direction: the default."""
    by_name = {column.name: column for column in columns}
    name = request.args.get(SORT_ARG, type=str)
    direction = request.args.get(DIR_ARG, "asc", type=str)
    if name in by_name and direction in DIRECTIONS:
        return Sort(by_name, name, DIRECTIONS[direction], chosen=True)
    if default is not None:
        return Sort(by_name, default[0], default[1])
    return Sort(by_name)
