"""The life of each generated leave request: its path through the workflow, its dates and the moments and actors of
every step (used by :mod:`benchmarks.generate`).

A path is a list of actions of ``app/leave/workflow.py``, checked against the machine's moves when the module is
imported; a :class:`Plan` is one request with its path walked: each event is (action, from, to, actor id, on behalf
of id, comment, moment), moments increasing, all before ``now``, the mission's own steps on the mission's dates.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.leave.workflow import COMMENT_REQUIRED, INITIAL_STATUS, MOVES, STATUSES
from benchmarks.vocabulary import COMMENTS

_MOVE = {(source, action): target for source, action, target in MOVES}

S3 = ["submit", "manager_approve", "bri_approve"]
S4 = [*S3, "start_mission"]
LOOP = ["submit", "manager_request_changes"]
RETURN = ["submit_report", "return_report"]

# The paths leading to each status, with their weights; the first one is the plain path.
PATHS: dict[str, list[tuple[list[str], int]]] = {
    "draft": [([], 1)],
    "submitted": [(["submit"], 5), ([*LOOP, "submit"], 1)],
    "changes_requested": [(LOOP, 2), (["submit", "manager_approve", "bri_request_changes"], 1)],
    "manager_approved": [(["submit", "manager_approve"], 5), ([*LOOP, "submit", "manager_approve"], 1)],
    "approved": [(S3, 5), ([*LOOP, *S3], 1)],
    "in_mission": [(S4, 1)],
    "report_due": [([*S4, "end_mission"], 3), ([*S4, "end_mission", *RETURN], 1)],
    "report_submitted": [
        ([*S4, "end_mission", "submit_report"], 3),
        ([*S4, "end_mission", *RETURN, "submit_report"], 1),
    ],
    "closed": [
        ([*S4, "end_mission", "submit_report", "accept_report"], 6),
        ([*S4, "end_mission", *RETURN, "submit_report", "accept_report"], 1),
    ],
    "rejected": [(["submit", "manager_reject"], 1), (["submit", "manager_approve", "bri_reject"], 1)],
    "withdrawn": [
        (["withdraw"], 1),
        (["submit", "withdraw"], 2),
        (["submit", "manager_approve", "withdraw"], 1),
        ([*S3, "withdraw"], 1),
    ],
    "cancelled": [([*S3, "cancel"], 2), ([*S4, "cancel"], 1)],
}

# The share of each status among the generated requests (percent).
STATUS_WEIGHTS = {
    "closed": 44,
    "rejected": 7,
    "withdrawn": 6,
    "cancelled": 3,
    "report_due": 4,
    "report_submitted": 3,
    "in_mission": 1,
    "approved": 6,
    "manager_approved": 6,
    "submitted": 9,
    "changes_requested": 3,
    "draft": 8,
}
PENDING = frozenset({"draft", "submitted", "changes_requested", "manager_approved", "approved"})
NOTICE_DAYS = 30


def walk(path: list[str]) -> list[tuple[str, str, str]]:
    """(action, from, to) of each step of ``path`` from the initial status; raises KeyError on an illegal move."""
    status, steps = INITIAL_STATUS, []
    for action in path:
        target = _MOVE[(status, action)]
        steps.append((action, status, target))
        status = target
    return steps


def final_status(path: list[str]) -> str:
    return walk(path)[-1][2] if path else INITIAL_STATUS


for _status, _variants in PATHS.items():
    for _path, _weight in _variants:
        assert final_status(_path) == _status, (_status, _path)
assert set(PATHS) == set(STATUSES) == set(STATUS_WEIGHTS)


@dataclass
class Cycle:
    year: int
    opens_on: date
    closes_on: date
    id: int = 0


@dataclass
class Plan:
    applicant: int
    status: str
    start: date
    end: date
    created_at: datetime
    events: list = field(default_factory=list)  # (action, from, to, actor, on_behalf_of, comment, at)
    theme: int = 0
    partner: int = 0
    country: str = "HT"
    city: str = ""
    project_id: int | None = None
    id: int = 0
    reference: str = ""
    costs: tuple = ()
    amount: Decimal = Decimal("0")
    working_days: int = 0

    @property
    def year(self) -> int:
        return self.start.year

    def last(self, action: str):
        return next((e for e in reversed(self.events) if e[0] == action), None)


def instant(rng: random.Random, day: date) -> datetime:
    """A moment of a working day in Montréal (9:00 to 17:59, 13:00 to 21:59 UTC)."""
    return datetime(
        day.year, day.month, day.day, 13 + rng.randrange(9), rng.randrange(60), rng.randrange(60), tzinfo=UTC
    )


def tick_moment(day: date) -> datetime:
    """When the daily job acts on ``day`` (05:15 in Montréal)."""
    return datetime(day.year, day.month, day.day, 10, 15, tzinfo=UTC)


class Deciders:
    """Who acts at each step: the applicant, their manager (sometimes a delegate), a BRI officer who is neither."""

    def __init__(self, rng: random.Random, manager_of: dict[int, int], bri: list[int], delegates: dict[int, list[int]]):
        self.rng, self.manager_of, self.bri, self.delegates = rng, manager_of, bri, delegates
        self.delegations: list[tuple[int, int, date]] = []  # (manager, delegate, day)

    def actor(self, action: str, applicant: int, day: date, manager_actor: int | None) -> tuple[int | None, int | None]:
        if action in ("submit", "withdraw", "submit_report"):
            return applicant, None
        if action in ("start_mission", "end_mission"):
            return None, None
        if action.startswith("manager_"):
            manager = self.manager_of[applicant]
            choices = [d for d in self.delegates.get(manager, ()) if d != applicant]
            if choices and self.rng.random() < 0.03:
                delegate = self.rng.choice(choices)
                self.delegations.append((manager, delegate, day))
                return delegate, manager
            return manager, None
        officers = [b for b in self.bri if b not in (applicant, manager_actor)]
        return self.rng.choice(officers), None


def comment_for(rng: random.Random, action: str) -> str:
    options = COMMENTS.get(action, ("",))
    if action in COMMENT_REQUIRED:
        options = tuple(o for o in options if o)
    return rng.choice(options)


def pre_start_moments(
    rng: random.Random, count: int, start: date, cycle: Cycle, today: date, now: datetime
) -> tuple[datetime, list[datetime]]:
    """The creation and the ``count`` steps taken before the mission's start: the first inside the cycle's
    application window and at least the notice before the start, all before now and before the start."""
    latest_first = min(cycle.closes_on, start - timedelta(days=NOTICE_DAYS), today)
    earliest_first = min(latest_first, max(cycle.opens_on, latest_first - timedelta(days=150)))
    first_day = earliest_first + timedelta(days=rng.randrange((latest_first - earliest_first).days + 1))
    limit = min(now - timedelta(minutes=5), datetime.combine(start - timedelta(days=1), datetime.min.time(), UTC))
    first = min(instant(rng, first_day), limit - timedelta(hours=count + 1))
    created = first - timedelta(minutes=rng.randrange(10, 3 * 24 * 60))
    if count == 0:
        return first, []
    later = sorted(first + (limit - first) * rng.random() * rng.random() for _ in range(count - 1))
    return created, _increasing([first, *later])


def _increasing(moments: list[datetime]) -> list[datetime]:
    for i in range(1, len(moments)):
        if moments[i] <= moments[i - 1]:
            moments[i] = moments[i - 1] + timedelta(minutes=1)
    return moments


REPORT_GAPS = {"submit_report": (3, 25), "return_report": (2, 10), "accept_report": (2, 20)}
# Days the steps after a mission may take at most (end_mission the next day, then the report's steps).
REPORT_MARGIN = 1 + 25 + 10 + 25 + 20 + 2


def moments_for(rng: random.Random, plan: Plan, path: list[str], cycle: Cycle, today: date, now: datetime):
    """The creation moment and one moment per action of ``path`` for the plan's dates."""
    started = "start_mission" in path
    pre = path.index("start_mission") if started else len(path)
    created, moments = pre_start_moments(rng, pre, plan.start, cycle, today, now)
    if not started:
        return created, moments
    moments.append(tick_moment(plan.start))
    for action in path[pre + 1 :]:
        if action == "end_mission":
            moments.append(tick_moment(plan.end + timedelta(days=1)))
        elif action == "cancel":
            end_limit = min(tick_moment(plan.end + timedelta(days=1)), now) - timedelta(hours=1)
            moments.append(moments[-1] + (end_limit - moments[-1]) * rng.random())
        else:
            low, high = REPORT_GAPS[action]
            moments.append(instant(rng, moments[-1].date() + timedelta(days=rng.randint(low, high))))
    return created, _increasing(moments)
