"""A Hypothesis state machine drives the services with random people, actions and days.

Invariants: each request's history replays to its status; a refused action changes nothing; the approved amounts
and missions of a cycle never exceed its envelope and places.
"""

import itertools
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from app.accounts.models import Department
from app.core.database import montreal_today
from app.core.notifications import discard_queued
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services import WorkflowError, decisions, requests
from app.leave.services.scheduler import advance_missions
from app.leave.workflow import COMMITTED_STATUSES, next_status
from tests.factories import ensure_country, make_cycle, make_user

_codes = itertools.count(1)
OUTCOMES: dict[str, int] = {}
PEOPLE = ["applicant", "colleague", "manager", "boss", "bri", "bri_manager", "outsider"]
ACTIONS = [
    "submit",
    "withdraw",
    "manager_approve",
    "manager_reject",
    "manager_request_changes",
    "bri_approve",
    "bri_reject",
    "bri_request_changes",
    "cancel",
]


def call(action: str, req: LeaveRequest, actor, comment: str, today):
    if action == "submit":
        return requests.submit_request(req, actor, today=today)
    if action == "withdraw":
        return requests.withdraw_request(req, actor, comment, today=today)
    if action.startswith("manager_"):
        return decisions.manager_decide(req, actor, action, comment, today=today)
    if action.startswith("bri_"):
        return decisions.bri_decide(req, actor, action, comment, today=today)
    return decisions.cancel_request(req, actor, comment, today=today)


class LeaveWorkflow(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        n = next(_codes)
        dept = Department(name=f"Service H{n}", code=f"H{n}")
        db.session.add(dept)
        boss = make_user(roles=("employee", "manager"))
        # bri_manager is both the manager of "colleague" and a BRI officer: they never decide twice on one request.
        bri_manager = make_user(roles=("employee", "manager", "bri"))
        manager = make_user(roles=("employee", "manager"), manager=boss)
        self.people = {
            "boss": boss,
            "manager": manager,
            "bri_manager": bri_manager,
            "applicant": make_user(manager=manager, department=dept),
            "colleague": make_user(manager=bri_manager, department=dept),
            "bri": make_user(roles=("employee", "bri"), manager=manager),
            "outsider": make_user(),
        }
        ensure_country("HT")
        self.cycle = make_cycle(budget_envelope=Decimal("5000"), places=2, min_notice_days=5)
        self.today = montreal_today()
        self.ids: list[int] = []

    def _snapshot(self):
        rows = db.session.execute(
            select(LeaveRequest.id, LeaveRequest.status, LeaveRequest.version).where(LeaveRequest.id.in_(self.ids))
        ).all()
        count = db.session.scalar(
            select(func.count()).select_from(Transition).where(Transition.request_id.in_(self.ids))
        )
        return sorted(rows), count

    @rule(
        who=st.sampled_from(["applicant", "colleague", "bri", "manager"]),
        offset=st.integers(min_value=0, max_value=40),
        length=st.integers(min_value=0, max_value=10),
        amount=st.sampled_from(["0", "1500", "2000", "2600"]),
    )
    def create(self, who, offset, length, amount):
        start = self.today + timedelta(days=offset)
        data = {
            "cycle_id": self.cycle.id,
            "country_code": "HT",
            "city": "Jacmel",
            "partner_id": None,
            "objectives": "o",
            "expertise": "e",
            "benefits": "b",
            "languages": "fr",
            "start_date": start,
            "end_date": start + timedelta(days=length),
            "cost_transport": Decimal("3000"),
            "cost_lodging": Decimal("0"),
            "cost_per_diem": Decimal("0"),
            "cost_other": Decimal("0"),
            "amount_requested": Decimal(amount),
        }
        before = self._snapshot()
        try:
            req, _ = requests.create_request(self.people[who], data, today=self.today)
        except WorkflowError:
            db.session.rollback()
            discard_queued()
            assert self._snapshot() == before
        else:
            db.session.commit()
            self.ids.append(req.id)

    @rule(
        index=st.integers(min_value=0, max_value=20),
        who=st.sampled_from(PEOPLE),
        action=st.sampled_from(ACTIONS),
        comment=st.sampled_from(["", "Une raison."]),
    )
    def act(self, index, who, action, comment):
        if not self.ids:
            return
        req = db.session.get(LeaveRequest, self.ids[index % len(self.ids)])
        before = self._snapshot()
        try:
            call(action, req, self.people[who], comment, self.today)
        except WorkflowError as exc:
            db.session.rollback()
            discard_queued()
            assert self._snapshot() == before
            key = f"{action} refused ({type(exc).__name__})"
            OUTCOMES[key] = OUTCOMES.get(key, 0) + 1
        else:
            db.session.commit()
            OUTCOMES[action] = OUTCOMES.get(action, 0) + 1

    @rule(index=st.integers(min_value=0, max_value=20), bri=st.sampled_from(["bri", "bri_manager"]))
    def push_forward(self, index, bri):
        """The rightful next steps of a request, up to the BRI's decision (random actions alone rarely get there)."""
        if not self.ids:
            return
        for _ in range(3):
            req = db.session.get(LeaveRequest, self.ids[index % len(self.ids)])
            by_applicant = next(k for k, u in self.people.items() if u.id == req.applicant_id)
            manager = next((k for k, u in self.people.items() if u.id == req.applicant.manager_id), "outsider")
            step = {
                "draft": ("submit", by_applicant),
                "changes_requested": ("submit", by_applicant),
                "submitted": ("manager_approve", manager),
                "manager_approved": ("bri_approve", bri),
            }.get(req.status)
            if step is None:
                return
            self.act(index, step[1], step[0], "")

    @rule(days=st.integers(min_value=1, max_value=20))
    def tick(self, days):
        self.today += timedelta(days=days)
        advance_missions(self.today)
        db.session.commit()

    @invariant()
    def history_replays_to_the_status(self):
        for req in db.session.scalars(select(LeaveRequest).where(LeaveRequest.id.in_(self.ids))):
            status = "draft"
            for t in req.transitions:
                assert t.from_status == status
                status = next_status(status, t.action)
                assert t.to_status == status
            assert status == req.status

    @invariant()
    def nobody_decides_twice_or_on_their_own_request(self):
        for req in db.session.scalars(select(LeaveRequest).where(LeaveRequest.id.in_(self.ids))):
            deciders = {t.action: t.actor_id for t in req.transitions}
            for t in req.transitions:
                if t.action not in {"submit", "withdraw", "start_mission", "end_mission"}:
                    assert t.actor_id != req.applicant_id
            if "bri_approve" in deciders and "manager_approve" in deciders:
                assert deciders["bri_approve"] != deciders["manager_approve"]

    @invariant()
    def committed_amounts_stay_within_the_envelope_and_places(self):
        if not self.ids:
            return
        amount, count = db.session.execute(
            select(func.coalesce(func.sum(LeaveRequest.amount_requested), 0), func.count(LeaveRequest.id)).where(
                LeaveRequest.cycle_id == self.cycle.id, LeaveRequest.status.in_(COMMITTED_STATUSES)
            )
        ).one()
        assert Decimal(amount) <= self.cycle.budget_envelope
        assert count <= self.cycle.places

    def teardown(self):
        db.session.rollback()


def test_random_journeys_keep_the_workflow_invariants(app):
    with app.test_request_context():
        run_state_machine_as_test(
            LeaveWorkflow,
            settings=settings(
                max_examples=30,
                stateful_step_count=15,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )


def test_the_state_machine_reaches_approvals_and_budget_refusals(app):
    """A sanity check of the driver itself: scripted steps through the same rules approve, then refuse for budget."""
    with app.test_request_context():
        machine = LeaveWorkflow()
        machine.setup()
        for who, offset in [("applicant", 20), ("colleague", 20), ("bri", 20)]:
            machine.create(who, offset, 3, "2000")
        for index, bri in [(0, "bri"), (1, "bri"), (2, "bri_manager")]:
            machine.push_forward(index, bri)
        statuses = [db.session.get(LeaveRequest, i).status for i in machine.ids]
        assert statuses == ["approved", "approved", "manager_approved"]  # two places only
        assert OUTCOMES.get("bri_approve refused (RuleError)", 0) >= 1
        machine.committed_amounts_stay_within_the_envelope_and_places()
        machine.tick(25)
        machine.history_replays_to_the_status()
        machine.nobody_decides_twice_or_on_their_own_request()
