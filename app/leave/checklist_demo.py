"""The demo data of the pre-departure checklist (after the leave domain's own): an item the BRI added to the current
cycle, one approved mission ready to leave, and one whose checklist is incomplete (the daily job will not start it on
its date unless the BRI records an exception). Fictional people, through the real services."""

import io
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.leave.checklist import lines_of
from app.leave.demo import DEMO_PDF
from app.leave.services.checklist import ItemData, add_cycle_item, fill_checklist_item

# (applicant, partner): complete; the other misses its insurance, its visa and the cycle's item.
READY = ("emp7", "Comité populaire du district de Hoàn Kiếm")
INCOMPLETE = ("emp12", "Ville de Kigali — One Stop Centre")
INCOMPLETE_KEYS = ("training", "passport", "registration", "health", "emergency")
CYCLE_ITEM = ("Certificat de vaccination contre la fièvre jaune", "Yellow fever vaccination certificate")


def _pdf(name: str) -> FileStorage:
    return FileStorage(io.BytesIO(DEMO_PDF), filename=name, content_type="application/pdf")


def _data(req, key: str, today) -> ItemData:
    return {
        "training": ItemData(done_on=today - timedelta(days=20)),
        "insurance": ItemData(file=_pdf("attestation-assurance-voyage.pdf")),
        "passport": ItemData(expires_on=req.end_date + timedelta(days=3 * 365)),
        "visa": ItemData(needed="yes", reference="VN-2026-448812"),
        "registration": ItemData(done=True, done_on=today - timedelta(days=5)),
        "health": ItemData(done=True),
        "emergency": ItemData(contact_name="Mireille Gagnon", contact_phone="+1 514 555-0142"),
    }.get(key) or ItemData(done=True, file=_pdf("certificat-vaccination.pdf"))


def _mission(ctx: dict, who_and_partner: tuple[str, str]):
    who, partner = who_and_partner
    applicant = ctx["users"][who]
    return next(r for r in ctx["requests"]["approved"] if r.applicant_id == applicant.id and r.partner.name == partner)


def load(ctx: dict) -> None:
    today = montreal_today()
    ready, incomplete = _mission(ctx, READY), _mission(ctx, INCOMPLETE)
    with cli_request_context():
        add_cycle_item(ready.cycle, *CYCLE_ITEM, True, ctx["users"]["bri1"])
        for req, keys in ((ready, None), (incomplete, INCOMPLETE_KEYS)):
            for line in lines_of(req):
                if keys is None or line.key in keys:
                    fill_checklist_item(req, line.key, _data(req, line.key, today), req.applicant, today)
    ctx["checklist"] = {"ready": ready, "incomplete": incomplete}
