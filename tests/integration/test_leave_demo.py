"""The demo data: every status, coherent histories, within budgets, nothing left for the daily job."""

from sqlalchemy import func, select

from app.accounts import demo as accounts_demo
from app.core.database import montreal_today, utcnow
from app.core.notifications import Notification
from app.extensions import db
from app.leave import demo as leave_demo
from app.leave.models import LeaveRequest, PartnerConfirmation, Transition
from app.leave.notifications import bri_officers
from app.leave.services.rules import cycle_usage
from app.leave.services.scheduler import advance_missions
from app.leave.workflow import PARTNER_ACTIONS, STATUSES, next_status
from app.reference.models import PartnerContact


def test_demo_data_has_every_status_with_coherent_histories(app):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    leave_demo.load(ctx)
    db.session.commit()
    assert set(ctx["requests"]) == set(STATUSES)
    assert {"cycles", "partners", "requests"} <= set(ctx)
    for req in db.session.scalars(select(LeaveRequest)):
        status = "draft"
        for t in req.transitions:
            assert t.from_status == status
            status = next_status(status, t.action)
        assert status == req.status, req.reference
        assert req.amount_requested <= req.total_cost
        deciders = {t.action: t.actor_id for t in req.transitions}
        if "bri_approve" in deciders:
            assert deciders["bri_approve"] != deciders["manager_approve"]
    usage = cycle_usage([c.id for c in ctx["cycles"].values()])
    for cycle in ctx["cycles"].values():
        amount, count = usage[cycle.id]
        assert amount <= cycle.budget_envelope and count <= cycle.places
    late = list(db.session.scalars(select(Transition).filter_by(action="add_attachment")))
    assert [(t.to_status, t.comment) for t in late] == [("manager_approved", leave_demo.LATE_FILE[1])]
    assert late[0].request.attachments[0].original_name == leave_demo.LATE_FILE[1]
    told = db.session.scalars(select(Notification).filter_by(kind="leave/attachment_added")).all()
    assert {n.recipient_id for n in told} == {u.id for u in bri_officers(late[0].request.applicant)}
    with app.test_request_context():
        assert advance_missions(montreal_today()) == "0 mission(s) started, 0 mission(s) ended"


def test_demo_data_has_partner_contacts_and_a_confirmation_pending_given_and_declined(app):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    accounts_demo.load(ctx)
    leave_demo.load(ctx)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PartnerContact)) >= 5
    rows = db.session.scalars(select(PartnerConfirmation).order_by(PartnerConfirmation.id)).all()
    assert [(r.answer, r.used) for r in rows] == [(None, False), ("confirmed", True), ("declined", True)]
    assert rows[0].expires_at > utcnow() and rows[2].comment
    for row in rows:
        actions = [t.action for t in row.request.transitions if t.action in PARTNER_ACTIONS]
        expected = {
            None: ["request_partner_confirmation"],
            "confirmed": ["request_partner_confirmation", "partner_confirm"],
        }
        expected["declined"] = ["request_partner_confirmation", "partner_decline"]
        assert actions == expected[row.answer]
        answer = row.request.transitions[-1] if row.answer else None
        if answer is not None and answer.action.startswith("partner_"):
            assert answer.actor_id is None and answer.actor_name == row.contact_name
