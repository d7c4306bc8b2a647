"""The pre-departure checklist, written: the applicant completes its items, the BRI adds items to a cycle and
records an exception for a mission whose checklist is incomplete (after which the daily job starts it).

An item's entry is written only when what it holds completes the item (each item's rule below, the message next
to its field otherwise); completing it again replaces the entry, and who completed it and when. Its documents go
through the one upload store (:mod:`app.core.uploads`: type read from the content, 10 MB, generated names). The
BRI's exception goes through :func:`~app.leave.services.transitions.perform` (a staying action of the machine, one
Transition row, the request's version bumped), so that a stale page's exception is a 409.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from app.core import uploads
from app.core.database import utcnow
from app.core.i18n import format_day
from app.extensions import db
from app.leave import permissions
from app.leave.checklist import passport_needed_until
from app.leave.checklist_models import BUILTIN_ITEMS, EXTRA_PREFIX, ChecklistEntry, ChecklistItem
from app.leave.models import LeaveRequest, Transition
from app.leave.notifications import after_checklist_exception
from app.leave.services import ConflictError, NotAllowedError, RuleError, changed
from app.leave.services.requests import check_state, check_version
from app.leave.services.transitions import perform
from app.leave.workflow import CHECKLIST_STATUSES
from app.reference.models import ProgrammeCycle

# A date given for a past step (training, registration) is at most this old; a passport expires within this many
# years (ten, and some slack): anything outside is a typing error, refused next to its field.
PAST_DAYS = 5 * 366
PASSPORT_YEARS = 12
PHONE = re.compile(r"\+?[0-9 ().\-]{7,40}")
LABEL_LENGTH = 200


@dataclass
class ItemData:
    """What the applicant gives for one item (each item reads the fields it asks for)."""

    done: bool = False
    done_on: date | None = None
    expires_on: date | None = None
    needed: str | None = None  # "yes" or "no" (the visa)
    reference: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    file: FileStorage | None = None


def _given(file_storage: FileStorage | None) -> bool:
    return file_storage is not None and bool(file_storage.filename)


def _past_day(day: date | None, today: date, field: str, missing: str) -> date:
    if day is None:
        raise RuleError(missing, field=field)
    if day > today:
        raise RuleError(_("This date is in the future: give the day it was done."), field=field)
    if day < today - timedelta(days=PAST_DAYS):
        raise RuleError(_("This date is too far in the past."), field=field)
    return day


def _checked(data: ItemData, message: str) -> None:
    if not data.done:
        raise RuleError(message, field="done")


def _document(entry: ChecklistEntry, data: ItemData, required_message: str | None) -> None:
    """Store the file given (replacing the entry's); none given: the entry's document stays, or, when the item
    needs one (``required_message``), refused."""
    if _given(data.file):
        stored = uploads.store(data.file)  # UploadRejected: the message next to "file"
        if entry.stored_name:
            uploads.discard(entry.stored_name)
        entry.original_name, entry.stored_name = stored.original_name, stored.stored_name
        entry.content_type, entry.size = stored.content_type, stored.size
    elif required_message and not entry.stored_name:
        raise RuleError(required_message, field="file")


def _apply(req: LeaveRequest, key: str, item: ChecklistItem | None, entry: ChecklistEntry, data: ItemData, today):
    """Check what ``data`` gives for the item ``key`` and write it in ``entry`` (RuleError otherwise)."""
    if key == "training":
        entry.done_on = _past_day(data.done_on, today, "done_on", _("Give the date you attended the training."))
    elif key == "insurance":
        _document(entry, data, _("Attach your insurance certificate."))
    elif key == "passport":
        needed = passport_needed_until(req)
        if data.expires_on is None:
            raise RuleError(_("Give your passport's expiry date."), field="expires_on")
        if data.expires_on < needed:
            raise RuleError(
                _(
                    "Your passport must be valid until %(day)s at least (six months after the return).",
                    day=format_day(needed, "long"),
                ),
                field="expires_on",
            )
        if data.expires_on > max(today, req.end_date) + timedelta(days=PASSPORT_YEARS * 366):
            raise RuleError(_("This expiry date is too far away: check it."), field="expires_on")
        entry.expires_on = data.expires_on
    elif key == "visa":
        if data.needed not in ("yes", "no"):
            raise RuleError(_("Say whether a visa is needed."), field="needed")
        entry.needed = data.needed == "yes"
        entry.reference = (data.reference or "").strip() if entry.needed else ""
        if entry.needed and not entry.reference:
            _document(entry, data, _("Attach the visa or give its reference."))
        elif entry.needed:
            _document(entry, data, None)
        elif entry.stored_name:  # no visa needed after all: its document goes
            uploads.discard(entry.stored_name)
            entry.original_name = entry.stored_name = entry.content_type = entry.size = None
    elif key == "registration":
        _checked(data, _("Tick to confirm your registration."))
        entry.done_on = _past_day(data.done_on, today, "done_on", _("Give the date of your registration."))
    elif key == "health":
        _checked(data, _("Tick to confirm you have seen the travel health advice."))
    elif key == "emergency":
        name, phone = (data.contact_name or "").strip(), (data.contact_phone or "").strip()
        if not name:
            raise RuleError(_("Give your emergency contact's name."), field="contact_name")
        if not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 7:
            raise RuleError(_("Give a telephone number (digits, spaces, +, dashes)."), field="contact_phone")
        entry.contact_name, entry.contact_phone = name, phone
    else:
        _checked(data, _("Tick to confirm this item is done."))
        _document(entry, data, _("This item needs a document.") if item.document_required else None)


def checklist_item(req: LeaveRequest, key: str) -> ChecklistItem | None:
    """The cycle's item ``key`` names ("x<id>"); None for an item every mission has. Unknown: a 404's LookupError."""
    if key in BUILTIN_ITEMS:
        return None
    number = key[len(EXTRA_PREFIX) :]
    if not key.startswith(EXTRA_PREFIX) or not number.isdigit() or len(number) > 9:
        raise LookupError(key)
    item = db.session.get(ChecklistItem, int(number))
    if item is None or item.cycle_id != req.cycle_id:
        raise LookupError(key)
    return item


def not_fillable(req: LeaveRequest) -> ConflictError:
    return ConflictError(_("The checklist is completed while the mission is approved and not yet started."), req)


def fill_checklist_item(req: LeaveRequest, key: str, data: ItemData, actor, today: date) -> ChecklistEntry:
    """The applicant completes one item of their approved mission's checklist. Flushes."""
    if not permissions.is_applicant(actor, req):
        raise NotAllowedError(_("Only the applicant completes their mission's checklist."))
    if req.status not in CHECKLIST_STATUSES:
        raise not_fillable(req)
    item = checklist_item(req, key)
    entry = db.session.scalar(
        select(ChecklistEntry).where(ChecklistEntry.request_id == req.id, ChecklistEntry.key == key)
    ) or ChecklistEntry(request_id=req.id, key=key, item_id=item.id if item else None, reference="")
    entry.contact_name = entry.contact_name or ""
    entry.contact_phone = entry.contact_phone or ""
    _apply(req, key, item, entry, data, today)
    entry.completed_by_id, entry.completed_at = actor.id, utcnow()
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        # The same item completed at the same moment from another page: that one is kept.
        raise changed(req) from None
    return entry


def add_cycle_item(
    cycle: ProgrammeCycle, label_fr: str, label_en: str, document_required: bool, actor
) -> ChecklistItem:
    """A BRI officer adds an item to the checklists of a cycle's missions (those already approved included)."""
    if not permissions.is_bri(actor):
        raise NotAllowedError(_("Only a BRI officer adds items to a cycle's checklist."))
    label_fr, label_en = (label_fr or "").strip(), (label_en or "").strip()
    if not label_fr:
        raise RuleError(_("Give the item's label in French."), field="label_fr")
    if not label_en:
        raise RuleError(_("Give the item's label in English."), field="label_en")
    if len(label_fr) > LABEL_LENGTH or len(label_en) > LABEL_LENGTH:
        raise RuleError(_("At most %(count)s characters.", count=LABEL_LENGTH), field="label_fr")
    item = ChecklistItem(
        cycle=cycle,
        label_fr=label_fr,
        label_en=label_en,
        document_required=bool(document_required),
        created_by_id=actor.id,
    )
    db.session.add(item)
    db.session.flush()
    return item


def record_checklist_exception(
    req: LeaveRequest, actor, comment: str, expected_version: int | None = None
) -> Transition:
    """A BRI officer lets an approved mission start although its checklist is incomplete, saying why; the daily job
    then starts it on its date (or at once, if the date has passed). The applicant hears of it."""
    if not permissions.acts_as_checklist_excepter(actor, req):
        raise NotAllowedError(_("Only a BRI officer records an exception to the checklist, never for their own."))
    check_version(req, expected_version)
    check_state(req, "record_checklist_exception")
    if not (comment or "").strip():
        raise RuleError(_("Say why the mission may leave with its checklist incomplete."), field="comment")
    transition = perform(req, "record_checklist_exception", actor, comment=comment)
    after_checklist_exception(req, transition)
    return transition
