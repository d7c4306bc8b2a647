"""The pre-departure checklist, read: its items and their words, what a mission's checklist holds and lacks, and
the SQL expressions the daily job and the BRI's lists read readiness from.

A mission is ready when each of its checklist's items (the seven every mission has, and those the BRI added to
its cycle) has an entry: an entry is written only for a completed item (:mod:`app.leave.services.checklist`
checks it), so "ready" is a count, which the database makes in one statement for a whole list.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, exists, func, not_, or_, select
from sqlalchemy.orm import with_expression

from app.core.i18n import current_language
from app.core.i18n import lazy_gettext as _l
from app.extensions import db
from app.leave.checklist_models import BUILTIN_ITEMS, ChecklistEntry, ChecklistItem
from app.leave.models import LeaveRequest, Transition

# What each item every mission has asks for, and its words.
ITEM_LABELS = {
    "training": _l("Pre-departure training attended"),
    "insurance": _l("Travel and health insurance"),
    "passport": _l("Passport valid six months after the return"),
    "visa": _l("Visa"),
    "registration": _l("Registration of Canadians Abroad"),
    "health": _l("Travel health advice seen"),
    "emergency": _l("Emergency contact"),
}
ITEM_HELP = {
    "training": _l("The date you attended the BRI's pre-departure training."),
    "insurance": _l("Your travel and health insurance certificate (a document)."),
    "passport": _l("Your passport's expiry date: at least six months after the mission's last day."),
    "visa": _l("Whether the destination needs a visa; if so, the visa (a document) or its reference."),
    "registration": _l("Your registration with the Government of Canada's Registration of Canadians Abroad service."),
    "health": _l("The travel health advice for the destination (a travel health clinic or travel.gc.ca)."),
    "emergency": _l("Who to call in an emergency while you are away."),
}
assert set(ITEM_LABELS) == set(BUILTIN_ITEMS) == set(ITEM_HELP), "a checklist item without words"
# The items whose form takes a document.
DOCUMENT_ITEMS = frozenset({"insurance", "visa"})
# How long a passport must still be valid after the mission's last day.
PASSPORT_MONTHS_AFTER = 6


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def passport_needed_until(req: LeaveRequest) -> date:
    return months_after(req.end_date, PASSPORT_MONTHS_AFTER)


@dataclass(frozen=True)
class Line:
    """One item of a mission's checklist as the page shows it."""

    key: str
    label: str
    help: str
    entry: ChecklistEntry | None
    document: bool  # its form takes a document
    document_required: bool
    item: ChecklistItem | None = None

    @property
    def done(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class Readiness:
    done: int
    total: int

    @property
    def ready(self) -> bool:
        return self.done >= self.total

    @property
    def missing(self) -> int:
        return max(self.total - self.done, 0)


def cycle_items(cycle_id: int) -> list[ChecklistItem]:
    return list(
        db.session.scalars(select(ChecklistItem).where(ChecklistItem.cycle_id == cycle_id).order_by(ChecklistItem.id))
    )


def lines_of(req: LeaveRequest) -> list[Line]:
    """The request's checklist, item by item, with its entries (two statements)."""
    entries = {
        e.key: e
        for e in db.session.scalars(
            select(ChecklistEntry).where(ChecklistEntry.request_id == req.id).order_by(ChecklistEntry.id)
        )
    }
    language = current_language()
    lines = [
        Line(
            key,
            str(ITEM_LABELS[key]),
            str(ITEM_HELP[key]),
            entries.get(key),
            key in DOCUMENT_ITEMS,
            key == "insurance",
        )
        for key in BUILTIN_ITEMS
    ]
    for item in cycle_items(req.cycle_id):
        lines.append(
            Line(item.key, item.label(language), "", entries.get(item.key), True, item.document_required, item)
        )
    return lines


def readiness_of(lines: list[Line]) -> Readiness:
    return Readiness(sum(1 for line in lines if line.done), len(lines))


# SQL: the same count for a whole list, correlated with the LeaveRequest row of the outer query.


def done_count():
    return (
        select(func.count(ChecklistEntry.id))
        .where(ChecklistEntry.request_id == LeaveRequest.id)
        .correlate(LeaveRequest)
        .scalar_subquery()
    )


def total_count():
    extra = (
        select(func.count(ChecklistItem.id))
        .where(ChecklistItem.cycle_id == LeaveRequest.cycle_id)
        .correlate(LeaveRequest)
        .scalar_subquery()
    )
    return extra + len(BUILTIN_ITEMS)


def excepted():
    """The BRI recorded an exception to the checklist (the history's record_checklist_exception step)."""
    return (
        exists()
        .where(Transition.request_id == LeaveRequest.id, Transition.action == "record_checklist_exception")
        .correlate(LeaveRequest)
    )


def may_start():
    """What the daily job asks of an approved mission before starting it: ready, or excepted by the BRI."""
    return or_(done_count() >= total_count(), excepted())


def readiness_state():
    """Where an approved mission's checklist stands: ``ready``, ``excepted`` (the BRI let it leave without) or
    ``incomplete``."""
    return case((done_count() >= total_count(), "ready"), (excepted(), "excepted"), else_="incomplete")


# The states :func:`readiness_state` gives, in the order the dashboard shows them.
READINESS_STATES = ("incomplete", "excepted", "ready")


def to_prepare() -> Select:
    """The approved missions whose checklist is incomplete and not excepted, the soonest departure first (the
    BRI's queue, ``?liste=preparatifs``, and the dashboard): the daily job will not start them."""
    return (
        select(LeaveRequest)
        .where(LeaveRequest.status == "approved", not_(may_start()))
        .order_by(LeaveRequest.start_date, LeaveRequest.id)
        .options(*readiness_options())
    )


def readiness_options() -> tuple:
    """Loader options filling ``LeaveRequest.checklist_done`` and ``checklist_total`` in the query's own statement."""
    return (
        with_expression(LeaveRequest.checklist_done, done_count()),
        with_expression(LeaveRequest.checklist_total, total_count()),
    )


def readiness_of_row(req: LeaveRequest) -> Readiness | None:
    """The readiness a query with :func:`readiness_options` loaded (None when it did not)."""
    if req.checklist_done is None or req.checklist_total is None:
        return None
    return Readiness(req.checklist_done, req.checklist_total)


def readiness_by_request(ids: list[int]) -> dict[int, Readiness]:
    """Each request's readiness, in one statement for a page of a list."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(LeaveRequest.id, done_count(), total_count()).where(LeaveRequest.id.in_(ids))
    ).all()
    return {request_id: Readiness(done, total) for request_id, done, total in rows}


def exception_of(req: LeaveRequest) -> Transition | None:
    """The BRI's latest exception to the checklist, read from the request's history (already loaded)."""
    return next((t for t in reversed(req.transitions) if t.action == "record_checklist_exception"), None)
