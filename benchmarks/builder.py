"""The rows of the city-scale data set, built in memory and bulk-inserted table by table (``benchmarks.generate``)."""

import math
import random
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, text
from werkzeug.security import generate_password_hash

from app.core.database import CITY_TZ, montreal_today
from app.core.workdays import is_working_day
from app.extensions import db
from app.leave.workflow import COMMITTED_STATUSES
from app.models import (
    Country,
    Department,
    PartnerOrganisation,
    ProgrammeCycle,
    Sector,
    User,
    UserRole,
)
from benchmarks import vocabulary as words
from benchmarks.bulk import bulk_insert, reset_sequences
from benchmarks.histories import (
    PATH_CHOICES,
    PENDING,
    REPORT_MARGIN,
    STATUS_CHOICES,
    Cycle,
    Deciders,
    Plan,
    comment_for,
    moments_for,
    walk,
)
from benchmarks.projects import ProjectBuilder
from benchmarks.rows import RequestRows

CYCLES_BACK = 8  # cycles from today's year minus 8 to next year's: ten cycles
# The chosen employee's first requests, one per status, on the plain path: the pages show the same thing whatever
# the scale.
EMPLOYEE_STATUSES = (
    "closed",
    "report_submitted",
    "manager_approved",
    "submitted",
    "draft",
    "approved",
    "in_mission",
    "report_due",
    "changes_requested",
    "rejected",
    "withdrawn",
    "cancelled",
)
EMPLOYEE_REQUESTS = 40


def amount(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def ascii_slug(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in plain).strip("-").replace("--", "-")


class Builder(RequestRows):
    def __init__(self, scale: float, seed: int, today: date | None, password: str, report=None):
        self.scale, self.rng = scale, random.Random(seed)
        self.today = today or montreal_today()
        # Everything happened before today began in Montréal: the data depend on the seed and the day only.
        self.now = datetime.combine(self.today, datetime.min.time(), CITY_TZ).astimezone(UTC)
        self.password = password
        self.report = report or (lambda *_args: None)
        self.counts: Counter = Counter()
        self._working_days: list[int] = []  # working days from the first day of the first cycle to each day

    def working_days(self, start: date, end: date) -> int:
        """As ``app.core.workdays.working_days``, from a running count of the working days since the first cycle."""
        if not self._working_days:
            first, day, count = date(self.today.year - CYCLES_BACK - 1, 1, 1), None, 0
            self._first_day = first
            for k in range((date(self.today.year + 2, 12, 31) - first).days + 1):
                day = first + timedelta(days=k)
                count += is_working_day(day)
                self._working_days.append(count)
        index = (start - self._first_day).days
        return self._working_days[(end - self._first_day).days] - (self._working_days[index - 1] if index else 0)

    def n(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    # Inserting ----------------------------------------------------------------------------------------------------

    def insert(self, model, rows) -> None:
        started = time.perf_counter()
        total = bulk_insert(model.__table__, rows)
        self.counts[model.__table__.name] += total
        self.report(model.__table__.name, total, time.perf_counter() - started)

    # The whole --------------------------------------------------------------------------------------------------

    def build(self) -> dict:
        if db.engine.dialect.name == "sqlite":
            # The indexes of 100,000 requests and their history do not fit SQLite's default page cache (2 MB).
            db.session.execute(text("PRAGMA cache_size = -262144"))
        self.people()
        self.reference()
        started = time.perf_counter()
        self.plan_requests()
        self.report("(requests planned)", len(self.plans), time.perf_counter() - started)
        self.insert_cycles()
        projects = ProjectBuilder(self)
        self.chosen_project = projects.build(self.sector_ids())
        projects.link_missions(self.plans, self.chosen_project)
        self.insert_requests()
        projects.insert_changes(self.plans)
        reset_sequences()
        return {
            "employee": self.users[self.employee]["email"],
            "manager": self.users[self.manager]["email"],
            "bri": self.users[self.bri_viewer]["email"],
            "admin": self.users[self.admin]["email"],
            "request_id": self.employee_plans["closed"].id,
            "report_request_id": self.employee_plans["report_submitted"].id,
            "project_id": self.chosen_project,
            "bri_request_id": self.employee_plans["manager_approved"].id,
            "department_id": self.users[self.manager]["department_id"],
            "employee_id": self.employee,
            "request_count": len(self.plans),
        }

    # People -------------------------------------------------------------------------------------------------------

    def departments(self) -> list[dict]:
        wanted = self.n(80, minimum=4)
        rows, base = [], list(words.DEPARTMENTS)
        for i in range(wanted):
            code, name = base[i % len(base)]
            if i >= len(base):
                division = words.DIVISIONS[(i // len(base) - 1) % len(words.DIVISIONS)]
                code, name = f"{code}{i // len(base)}", f"{name} — {division} {i // len(base)}"
            rows.append({"id": i + 1, "code": code, "name": name, "active": True, **self.stamps()})
        return rows

    def stamps(self, at: datetime | None = None) -> dict:
        at = at or datetime(self.today.year - CYCLES_BACK - 1, 1, 5, 14, tzinfo=UTC)
        return {"created_at": at, "updated_at": at}

    def people(self) -> None:
        rng = self.rng
        departments = self.departments()
        self.insert(Department, departments)
        total = self.n(10_000, minimum=30)
        n_bri, n_admin = self.n(30, minimum=3), self.n(5, minimum=1)
        n_managers = max(len(departments) + 2, round(total * 0.1))
        self.password_hash = generate_password_hash(
            self.password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        )
        self.users: dict[int, dict] = {}
        self.roles: dict[int, tuple[str, ...]] = {}
        self.managers_by_dept: dict[int, list[int]] = defaultdict(list)
        dg = self.add_user(1, None, ("employee", "manager"))
        heads = {d["id"]: self.add_user(d["id"], dg, ("employee", "manager")) for d in departments[1:]}
        heads[1] = dg
        self.managers_by_dept[1].append(dg)
        for d, head in heads.items():
            if d != 1:
                self.managers_by_dept[d].append(head)
        # The BRI's head is a BRI officer too; the BRI and the administrators report to their department's head.
        self.roles[heads[2]] = ("employee", "manager", "bri")
        self.bri = [heads[2]] + [self.add_user(2, heads[2], ("employee", "bri")) for _ in range(n_bri - 1)]
        self.admins = [self.add_user(3, heads[3], ("employee", "admin")) for _ in range(n_admin)]
        plain_depts = [d["id"] for d in departments[3:]]
        for _ in range(n_managers - len(heads)):
            d = rng.choice(plain_depts)
            self.managers_by_dept[d].append(self.add_user(d, heads[d], ("employee", "manager")))
        # The chosen manager: a team of their own, big enough for the requests waiting for them.
        manager_dept = plain_depts[0]
        self.manager = self.add_user(manager_dept, heads[manager_dept], ("employee", "manager"))
        self.waiting = self.n(500, minimum=3)
        self.team = [
            self.add_user(manager_dept, self.manager, ("employee",)) for _ in range(math.ceil(self.waiting / 4))
        ]
        while len(self.users) < total - 1:
            d = rng.choice(plain_depts)
            self.add_user(d, rng.choice(self.managers_by_dept[d]), ("employee",))
        # The chosen employee: in another department than the chosen manager's, under another manager.
        employee_dept = plain_depts[1 % len(plain_depts)]
        self.employee = self.add_user(employee_dept, heads[employee_dept], ("employee",), active=True)
        # The searches of ``benchmarks.pages`` find something at every scale: the employee's name, their mission.
        employee = self.users[self.employee]
        first = employee["full_name"].split(" ")[0]
        employee["full_name"] = f"{first} {words.NAME_WORD}"
        employee["email"] = f"{ascii_slug(first)}.{ascii_slug(words.NAME_WORD)}.{self.employee}@ville.montreal.example"
        self.bri_viewer, self.admin = self.bri[1], self.admins[0]
        self.insert(User, self.users.values())
        self.insert(UserRole, ({"user_id": uid, "role": r} for uid, roles in self.roles.items() for r in roles))
        self.manager_of = {uid: u["manager_id"] for uid, u in self.users.items() if u["manager_id"]}

    def add_user(self, department: int, manager: int | None, roles: tuple[str, ...], active: bool | None = None) -> int:
        rng, uid = self.rng, len(self.users) + 1
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        if active is None:
            active = roles != ("employee",) or rng.random() > 0.02
        self.users[uid] = {
            "id": uid,
            "email": f"{ascii_slug(first)}.{ascii_slug(last)}.{uid}@ville.montreal.example",
            "full_name": f"{first} {last}",
            "employee_number": f"E{200000 + uid}",
            "department_id": department,
            "manager_id": manager,
            "language": "en" if rng.random() < 0.12 else "fr",
            "active": active,
            "password_hash": self.password_hash,
            "session_token": f"{rng.getrandbits(192):048x}",
            **self.stamps(),
        }
        self.roles[uid] = roles
        return uid

    # Reference data ---------------------------------------------------------------------------------------------

    def reference(self) -> None:
        rng = self.rng
        # Travel advisories: Haïti raised to level 3 yesterday (its approved missions are to be reviewed), one
        # country at level 2, the others at 1.
        checked = self.today - timedelta(days=1)
        advisory = {"advisory_level": 1, "advisory_checked_on": checked, "advisory_note_fr": "", "advisory_note_en": ""}
        raised = {"HT": (3, self.now - timedelta(days=1))}
        second = next(c for c in words.CITIES if c != "HT")
        rows = [{"code": c, "eligible": True, **advisory} for c in words.CITIES]
        rows += [{"code": c, "eligible": False, **advisory} for c in words.NOT_ELIGIBLE]
        for row in rows:
            row["advisory_raised_at"] = None
            if row["code"] in raised:
                row["advisory_level"], row["advisory_raised_at"] = raised[row["code"]]
            elif row["code"] == second:
                row["advisory_level"] = 2
        self.insert(Country, rows)
        countries = self.countries = list(words.CITIES)
        self.partners: list[dict] = []
        self.partners_by_country: dict[str, list[dict]] = defaultdict(list)
        seen = set()
        wanted = self.n(300, minimum=len(countries) + 2)
        while len(self.partners) < wanted:
            # Haïti first: half the partners (every country has at least one).
            i = len(self.partners)
            country = countries[i] if i < len(countries) else ("HT" if rng.random() < 0.5 else rng.choice(countries))
            city = rng.choice(words.CITIES[country])
            kind = rng.choice(list(words.PARTNER_NAMES))
            name = rng.choice(words.PARTNER_NAMES[kind]).format(city=city, word=rng.choice(words.PARTNER_WORDS))
            if (name, country) in seen:
                name = f"{name} ({len(self.partners)})"
            seen.add((name, country))
            row = {"id": i + 1, "name": name, "kind": kind, "country_code": country, "city": city, "active": True}
            row.update(self.stamps())
            self.partners.append(row)
            self.partners_by_country[country].append(row)
        self.insert(PartnerOrganisation, self.partners)
        years = range(self.today.year - CYCLES_BACK, self.today.year + 2)
        self.cycles = {y: Cycle(y, date(y - 1, 6, 1), date(y, 9, 30), id=i + 1) for i, y in enumerate(years)}

    def sector_ids(self) -> list[int]:
        ids = list(db.session.scalars(select(Sector.id).order_by(Sector.id)))
        if ids:
            return ids
        # A database made by ``create_all`` (the tests) has not the sectors the migration loads.
        rows = [
            {"id": i + 1, "code": code, "name_fr": fr, "name_en": en, "active": True}
            for i, (code, fr, en) in enumerate(words.SECTORS)
        ]
        self.insert(Sector, rows)
        return [r["id"] for r in rows]

    def insert_cycles(self) -> None:
        committed: dict[int, list[Decimal]] = defaultdict(list)
        for plan in self.plans:
            if plan.status in COMMITTED_STATUSES:
                committed[plan.year].append(plan.amount)
        rows = []
        for year, cycle in self.cycles.items():
            used = committed.get(year, [])
            # Room left: the BRI's next approvals fit in the envelope and the places.
            budget = (sum(used, Decimal("0")) * Decimal("1.25") + Decimal("50000")).quantize(Decimal("1000"))
            rows.append(
                {
                    "id": cycle.id,
                    "year": year,
                    "opens_on": cycle.opens_on,
                    "closes_on": cycle.closes_on,
                    "budget_envelope": budget,
                    "places": len(used) + max(10, len(used) // 4),
                    "min_working_days": 3,
                    "max_working_days": 30,
                    "min_notice_days": 30,
                    "period_start": date(year, 1, 1),
                    "period_end": date(year, 12, 31),
                    "daily_rate": Decimal("450.00") if year % 3 else None,
                    **self.stamps(datetime.combine(cycle.opens_on, datetime.min.time(), UTC) - timedelta(days=30)),
                }
            )
        self.insert(ProgrammeCycle, rows)

    # Requests ---------------------------------------------------------------------------------------------------

    def months(self) -> dict[str, list[tuple[int, int]]]:
        """The months a mission may take place in, by the kind of its status."""
        today, result = self.today, defaultdict(list)
        open_years = {y for y, c in self.cycles.items() if c.opens_on <= today <= c.closes_on}
        for year in self.cycles:
            for month in range(1, 13):
                first = date(year, month, 1)
                last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
                if year in open_years and first >= today + timedelta(days=31):
                    result["future"].append((year, month))
                if last < today - timedelta(days=REPORT_MARGIN):
                    result["past_report"].append((year, month))
                if last < today - timedelta(days=3):
                    result["past_end"].append((year, month))
        return result

    def kind_of(self, status: str, path: list[str]) -> str:
        if status == "in_mission":
            return "now"
        if "submit_report" in path:
            return "past_report"
        if "start_mission" in path:
            return "past_end"
        if status in PENDING:
            return "future"
        return "future" if self.rng.random() < 0.4 else "past_end"

    def dates(self, kind: str, applicant: int) -> tuple[date, date] | None:
        rng, used = self.rng, self.used[applicant]
        if kind == "now":
            start = max(self.today - timedelta(days=rng.randint(1, 10)), date(self.today.year, 1, 1))
            end = min(self.today + timedelta(days=rng.randint(0, 14)), date(self.today.year, 12, 31))
            touched = {(start.year, start.month), (end.year, end.month)}
            if touched & used:
                return None
            used.update(touched)
            return start, end
        choices = self.month_choices[kind]
        for _ in range(12):
            year, month = rng.choice(choices)
            if (year, month) not in used:
                used.add((year, month))
                start = date(year, month, rng.randint(1, 10))
                return start, start + timedelta(days=rng.randint(6, 17))
        return None

    def plan_request(self, applicant: int, status: str, plain: bool = False) -> Plan | None:
        rng = self.rng
        paths, weights = PATH_CHOICES[status]
        path = paths[0] if plain else rng.choices(paths, cum_weights=weights)[0]
        kind = self.kind_of(status, path)
        if kind == "future" and not self.month_choices["future"]:
            kind = "past_end"
        span = self.dates(kind, applicant)
        if span is None:
            return None
        start, end = span
        country = "HT" if rng.random() < 0.55 else rng.choice(self.countries)
        partner = rng.choice(self.partners_by_country[country])
        plan = Plan(applicant=applicant, status=status, start=start, end=end, created_at=self.now)
        plan.partner, plan.country, plan.city = partner["id"], country, partner["city"]
        plan.theme = rng.randrange(len(words.THEMES))
        created, moments = moments_for(rng, plan, path, self.cycles[start.year], self.today, self.now)
        plan.created_at = created
        manager_actor = None
        for (action, source, target), at in zip(walk(path), moments, strict=True):
            actor, on_behalf_of = self.deciders.actor(action, applicant, at.date(), manager_actor)
            if action == "manager_approve":
                manager_actor = actor
            plan.events.append((action, source, target, actor, on_behalf_of, comment_for(rng, action), at))
        days = self.working_days(start, end)
        transport, other = rng.randint(900, 2600), rng.choice((0, 0, 150, 300))
        length = (end - start).days + 1
        plan.costs = (amount(transport), amount(length * rng.randint(70, 140)), amount(length * 85), amount(other))
        total = sum(plan.costs, Decimal("0"))
        plan.amount = (total * Decimal(rng.choice(("0.5", "0.6", "0.7", "0.8")))).quantize(Decimal("1"))
        plan.working_days = days
        return plan

    def plan_requests(self) -> None:
        rng = self.rng
        self.month_choices = self.months()
        self.used: dict[int, set] = defaultdict(set)
        delegates = {
            m: [o for o in self.managers_by_dept[d] if o not in (m, self.manager)]
            for d, ms in self.managers_by_dept.items()
            for m in ms
        }
        self.deciders = Deciders(rng, self.manager_of, self.bri, delegates)
        self.plans: list[Plan] = []
        self.employee_plans: dict[str, Plan] = {}
        for status in EMPLOYEE_STATUSES:
            plan = self.plan_request(self.employee, status, plain=True)
            assert plan is not None, status
            self.employee_plans[status] = plan
            plan.theme = next(i for i, t in enumerate(words.THEMES) if words.SEARCH_WORD in t)
            self.plans.append(plan)
        statuses, weights = STATUS_CHOICES
        for _ in range(EMPLOYEE_REQUESTS - len(EMPLOYEE_STATUSES)):
            self.add_plan(self.employee, rng.choices(statuses, cum_weights=weights)[0])
        for i in range(self.waiting):
            self.add_plan(self.team[i % len(self.team)], "submitted")
        pool = [uid for uid in self.users if uid not in (1, self.employee, *self.team)]
        total = self.n(100_000, minimum=len(self.plans) + 60)
        while len(self.plans) < total:
            self.add_plan(rng.choice(pool), rng.choices(statuses, cum_weights=weights)[0])
        # Ids and references in the order the requests were created, as the application gives them.
        self.plans.sort(key=lambda p: p.created_at)
        numbers: Counter = Counter()
        for i, plan in enumerate(self.plans, start=1):
            numbers[plan.year] += 1
            plan.id, plan.reference = i, f"CS-{plan.year}-{numbers[plan.year]:04d}"
        self.reference_numbers = numbers

    def add_plan(self, applicant: int, status: str) -> None:
        plan = self.plan_request(applicant, status)
        if plan is None and status != "closed":
            plan = self.plan_request(applicant, "closed")
        if plan is not None:
            self.plans.append(plan)
