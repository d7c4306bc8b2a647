"""The rows of the city-scale data set, built in memory and bulk-inserted table by table (``benchmarks.generate``)."""

import math
import random
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import Integer, select, text
from werkzeug.security import generate_password_hash

from app.core.database import CITY_TZ, montreal_today
from app.core.workdays import working_days
from app.extensions import db
from app.leave.workflow import COMMITTED_STATUSES, REPORT_STATUSES
from app.models import (
    Country,
    Delegation,
    Department,
    LeaveRequest,
    MissionReport,
    Notification,
    PartnerOrganisation,
    ProgrammeCycle,
    ReferenceCounter,
    Sector,
    Transition,
    User,
    UserRole,
)
from benchmarks import vocabulary as words
from benchmarks.histories import (
    PATHS,
    PENDING,
    REPORT_MARGIN,
    STATUS_WEIGHTS,
    Cycle,
    Deciders,
    Plan,
    comment_for,
    moments_for,
    walk,
)
from benchmarks.projects import ProjectBuilder

BATCH = 5000
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


class Builder:
    def __init__(self, scale: float, seed: int, today: date | None, password: str, report=None):
        self.scale, self.rng = scale, random.Random(seed)
        self.today = today or montreal_today()
        # Everything happened before today began in Montréal: the data depend on the seed and the day only.
        self.now = datetime.combine(self.today, datetime.min.time(), CITY_TZ).astimezone(UTC)
        self.password = password
        self.report = report or (lambda *_args: None)
        self.counts: Counter = Counter()
        self._working_days: dict = {}

    def n(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    # Inserting ----------------------------------------------------------------------------------------------------

    def insert(self, model, rows) -> None:
        started, table, batch, total = time.perf_counter(), model.__table__, [], 0
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                db.session.execute(table.insert(), batch)
                total, batch = total + len(batch), []
        if batch:
            db.session.execute(table.insert(), batch)
            total += len(batch)
        self.counts[table.name] += total
        self.report(table.name, total, time.perf_counter() - started)

    def reset_sequences(self) -> None:
        if db.engine.dialect.name != "postgresql":
            return
        for table in db.metadata.sorted_tables:
            id_column = table.columns.get("id")
            if id_column is None or not isinstance(id_column.type, Integer):
                continue
            name = f'"{table.name}"'
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - names of the schema
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
            )

    # The whole --------------------------------------------------------------------------------------------------

    def build(self) -> dict:
        self.people()
        self.reference()
        self.plan_requests()
        self.insert_cycles()
        projects = ProjectBuilder(self)
        self.chosen_project = projects.build(self.sector_ids())
        projects.link_missions(self.plans, self.chosen_project)
        self.insert_requests()
        projects.insert_changes(self.plans)
        self.reset_sequences()
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
        self.insert(
            Country,
            [{"code": c, "eligible": True} for c in words.CITIES]
            + [{"code": c, "eligible": False} for c in words.NOT_ELIGIBLE],
        )
        countries = list(words.CITIES)
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
        variants = PATHS[status]
        path = variants[0][0] if plain else rng.choices([p for p, _ in variants], [w for _, w in variants])[0]
        kind = self.kind_of(status, path)
        if kind == "future" and not self.month_choices["future"]:
            kind = "past_end"
        span = self.dates(kind, applicant)
        if span is None:
            return None
        start, end = span
        country = "HT" if rng.random() < 0.55 else rng.choice(list(words.CITIES))
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
        days = working_days(start, end)
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
            self.plans.append(plan)
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        for _ in range(EMPLOYEE_REQUESTS - len(EMPLOYEE_STATUSES)):
            self.add_plan(self.employee, rng.choices(statuses, weights)[0])
        for i in range(self.waiting):
            self.add_plan(self.team[i % len(self.team)], "submitted")
        pool = [uid for uid in self.users if uid not in (1, self.employee, *self.team)]
        total = self.n(100_000, minimum=len(self.plans) + 60)
        while len(self.plans) < total:
            self.add_plan(rng.choice(pool), rng.choices(statuses, weights)[0])
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

    def request_row(self, plan: Plan) -> dict:
        theme = words.THEMES[plan.theme]
        partner = self.partners[plan.partner - 1]
        last = plan.events[-1][6] if plan.events else plan.created_at
        submit = plan.last("submit")
        return {
            "id": plan.id,
            "reference": plan.reference,
            "applicant_id": plan.applicant,
            "cycle_id": self.cycles[plan.year].id,
            "country_code": plan.country,
            "city": plan.city,
            "partner_id": plan.partner,
            "project_id": plan.project_id,
            "start_date": plan.start,
            "end_date": plan.end,
            "working_days": plan.working_days,
            "objectives": f"Accompagner l'équipe de {partner['name']} dans {theme}.",
            "expertise": self.rng.choice(words.EXPERTISE),
            "benefits": f"Retour d'expérience sur {theme} pour les équipes de Montréal.",
            "languages": "Français, créole" if plan.country == "HT" else "Français",
            "cost_transport": plan.costs[0],
            "cost_lodging": plan.costs[1],
            "cost_per_diem": plan.costs[2],
            "cost_other": plan.costs[3],
            "amount_requested": plan.amount,
            "status": plan.status,
            "status_changed_at": last,
            "submitted_at": submit[6] if submit else None,
            "creation_token": None,
            "version": 1 + len(plan.events),
            "created_at": plan.created_at,
            "updated_at": last,
        }

    def transition_rows(self):
        tid = 0
        for plan in self.plans:
            for action, source, target, actor, on_behalf_of, comment, at in plan.events:
                tid += 1
                yield {
                    "id": tid,
                    "request_id": plan.id,
                    "action": action,
                    "from_status": source,
                    "to_status": target,
                    "actor_id": actor,
                    "on_behalf_of_id": on_behalf_of,
                    "comment": comment,
                    "created_at": at,
                }

    def report_rows(self):
        rng, rid = self.rng, 0
        for plan in self.plans:
            if plan.status not in REPORT_STATUSES:
                continue
            submitted, returned, accepted = (
                plan.last("submit_report"),
                plan.last("return_report"),
                plan.last("accept_report"),
            )
            if submitted is None and rng.random() < 0.5:
                continue  # a report due and never opened
            theme = words.THEMES[plan.theme]
            opened = plan.last("end_mission")[6] + timedelta(days=1)
            decision = accepted if plan.status == "closed" else (returned if plan.status == "report_due" else None)
            updated = max(e[6] for e in (submitted, returned, accepted) if e) if submitted else opened
            rid += 1
            yield {
                "id": rid,
                "request_id": plan.id,
                "activities": rng.choice(words.ACTIVITIES).format(theme=theme),
                "results": rng.choice(words.RESULTS).format(theme=theme) if submitted else "",
                "lessons_learned": rng.choice(words.LESSONS) if submitted else "",
                "recommendations_city": f"Poursuivre la coopération sur {theme}." if submitted else "",
                "recommendations_partner": "Désigner une personne responsable du suivi." if submitted else "",
                "testimony": rng.choice(words.TESTIMONIES) if submitted else "",
                "consent_to_quote": bool(submitted) and rng.random() < 0.6,
                "submitted_at": submitted[6] if submitted else None,
                "decided_at": decision[6] if decision else None,
                "decided_by_id": decision[3] if decision else None,
                "decision": {"accept_report": "accepted", "return_report": "returned"}[decision[0]]
                if decision
                else None,
                "bri_comment": returned[5] if returned else "",
                "version": 1
                + sum(1 for e in plan.events if e[0] in ("submit_report", "return_report", "accept_report")),
                "created_at": opened,
                "updated_at": updated,
            }

    def insert_requests(self) -> None:
        self.insert(LeaveRequest, (self.request_row(p) for p in self.plans))
        self.insert(Transition, self.transition_rows())
        self.insert(MissionReport, self.report_rows())
        self.insert(Notification, self.notification_rows())
        self.insert(Delegation, self.delegation_rows())
        self.insert(ReferenceCounter, [{"year": y, "last": n} for y, n in sorted(self.reference_numbers.items())])

    # Notifications and delegations -------------------------------------------------------------------------------

    SUBJECTS = {
        "manager_approve": ("Votre demande {ref} est approuvée par votre gestionnaire", "Your manager approved {ref}"),
        "manager_reject": ("Votre demande {ref} est refusée", "Your request {ref} was rejected"),
        "manager_request_changes": ("Modifications demandées pour {ref}", "Changes requested on {ref}"),
        "bri_approve": ("Le BRI approuve votre demande {ref}", "The BRI approved your request {ref}"),
        "bri_reject": ("Le BRI refuse votre demande {ref}", "The BRI rejected your request {ref}"),
        "bri_request_changes": ("Le BRI demande des modifications pour {ref}", "The BRI asks for changes on {ref}"),
        "cancel": ("Mission {ref} annulée", "Mission {ref} cancelled"),
        "start_mission": ("Bonne mission ! ({ref})", "Have a good mission! ({ref})"),
        "end_mission": ("Rapport de mission attendu pour {ref}", "Mission report due for {ref}"),
        "return_report": ("Votre rapport {ref} est à revoir", "Your report {ref} needs changes"),
        "accept_report": ("Votre rapport {ref} est accepté", "Your report {ref} was accepted"),
        "submitted": ("Demande {ref} à décider", "Request {ref} to decide"),
        "manager_approved": ("Demande {ref} à décider par le BRI", "Request {ref} for the BRI to decide"),
        "report_submitted": ("Rapport {ref} à examiner", "Report {ref} to review"),
    }

    def notification(self, nid: int, recipient: int, key: str, plan: Plan, at: datetime, unread: bool) -> dict:
        user = self.users[recipient]
        subject = self.SUBJECTS[key][user["language"] == "en"].format(ref=plan.reference)
        link = f"/rapports/{plan.id}" if key in ("report_submitted", "return_report", "accept_report") else None
        return {
            "id": nid,
            "recipient_id": recipient,
            "subject": subject,
            "body": f"{subject}.",
            "link": link or f"/conges/{plan.id}",
            "created_at": at,
            "read_at": None if unread else at + timedelta(hours=self.rng.randint(1, 72)),
            "emailed_at": at + timedelta(minutes=1) if user["active"] else None,
        }

    def notification_rows(self):
        """The applicant hears of the last step someone else took; the next decider of a waiting request is told."""
        rng, nid, recent = self.rng, 0, self.now - timedelta(days=21)
        for plan in self.plans:
            told = next((e for e in reversed(plan.events) if e[3] != plan.applicant), None)
            if told is not None:
                nid += 1
                unread = told[6] > recent and (plan.applicant == self.employee or rng.random() < 0.5)
                yield self.notification(nid, plan.applicant, told[0], plan, told[6], unread)
            if plan.status in ("submitted", "manager_approved", "report_submitted"):
                last = plan.events[-1]
                recipient = self.manager_of[plan.applicant] if plan.status == "submitted" else rng.choice(self.bri)
                if last[4] is not None:  # decided by a delegate before: the manager is told all the same
                    recipient = last[4]
                nid += 1
                yield self.notification(nid, recipient, plan.status, plan, last[6], rng.random() < 0.6)

    def delegation_rows(self):
        rows = sorted(set(self.deciders.delegations))
        # The chosen manager named delegates in the past (their delegations page).
        colleagues = [m for m in self.managers_by_dept[self.users[self.manager]["department_id"]] if m != self.manager]
        for k in range(2):
            day = self.today - timedelta(days=200 * (k + 1))
            rows.append((self.manager, colleagues[k % len(colleagues)], day))
        for i, (manager, delegate, day) in enumerate(rows, start=1):
            yield {
                "id": i,
                "manager_id": manager,
                "delegate_id": delegate,
                "starts_on": day - timedelta(days=3),
                "ends_on": day + timedelta(days=10),
                **self.stamps(datetime.combine(day - timedelta(days=5), datetime.min.time(), UTC)),
            }
