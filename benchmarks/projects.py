"""The cooperation projects of the city-scale data set: partners, funding lines, expenditures, milestones, results
with their indicators and periods, the missions linked to them and their append-only history
(``benchmarks.generate``)."""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.models import (
    Expenditure,
    FundingLine,
    Milestone,
    Project,
    ProjectChange,
    ProjectPartner,
    ProjectPhoto,
    ProjectUpdate,
)
from app.projects.models import ChangeAction, ChangeField, FundingSource, PartnerRole
from app.projects.queries import UNLINKABLE_STATUSES
from app.projects.results import IndicatorMeasure, IndicatorPeriod, ProjectResult, ResultIndicator, ResultType
from app.projects.services.changes import line_value
from benchmarks import vocabulary as words
from benchmarks.histories import instant

STATUS_WEIGHTS = {"planned": 15, "active": 40, "on_hold": 10, "completed": 30, "cancelled": 5}
SOURCES = [s.value for s in FundingSource]
OTHER_ROLES = [r.value for r in PartnerRole if r != PartnerRole.ACCOUNTABLE]


def with_a(theme: str) -> str:
    """« à » before a theme: « à la gestion », « au compostage », « aux finances »."""
    if theme.startswith("le "):
        return "au " + theme[3:]
    if theme.startswith("les "):
        return "aux " + theme[4:]
    return "à " + theme


class ProjectBuilder:
    def __init__(self, builder):
        self.b, self.rng = builder, builder.rng
        self.projects: list[dict] = []
        self.changes: list[tuple[datetime, int, int | None, str, str, str]] = []  # (at, project, actor, action, ...)

    def dates(self, status: str) -> tuple[date, date]:
        rng, today = self.rng, self.b.today
        if status == "planned":
            start = today + timedelta(days=rng.randint(30, 400))
            return start, start + timedelta(days=rng.randint(365, 1800))
        if status in ("active", "on_hold"):
            return today - timedelta(days=rng.randint(30, 1500)), today + timedelta(days=rng.randint(30, 1500))
        if status == "completed":
            end = today - timedelta(days=rng.randint(10, 2500))
            return end - timedelta(days=rng.randint(365, 1800)), end
        start = today - timedelta(days=rng.randint(-400, 1500))
        return start, start + timedelta(days=rng.randint(365, 1800))

    def build(self, sector_ids: list[int]) -> int:
        b, rng = self.b, self.rng
        countries = [c for c in words.CITIES if b.partners_by_country[c]]
        rows = {"project": [], "partner": [], "funding": [], "expenditure": [], "milestone": []}
        rows |= {"update": [], "photo": [], "result": [], "indicator": [], "period": []}
        for i in range(b.n(1000, minimum=3)):
            chosen = i == 0
            country = "HT" if chosen or rng.random() < 0.8 else rng.choice(countries)
            status = "active" if chosen else rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            start, end = (
                (date(b.today.year - 3, 1, 1), date(b.today.year + 2, 12, 31)) if chosen else self.dates(status)
            )
            theme, locality = rng.choice(words.THEMES), rng.choice(words.CITIES[country])
            created = min(instant(rng, start - timedelta(days=30)), b.now - timedelta(days=rng.randint(1, 60), hours=1))
            project = {
                "id": i + 1,
                "code": f"{country}-{i + 1:04d}",
                "title_fr": f"Appui {with_a(theme)} – {locality}",
                "title_en": f"Cooperation project {country}-{i + 1:04d}" if rng.random() < 0.3 else "",
                "description_fr": f"Projet de coopération portant sur {theme} à {locality}, avec l'expertise des "
                "services de la Ville de Montréal.",
                "description_en": "",
                "country_code": country,
                "locality": locality,
                "sector_id": rng.choice(sector_ids),
                "status": status,
                "start_date": start,
                "end_date": end,
                "budget": Decimal(rng.randrange(50, 2000) * 1000),
                "created_at": created,
                "updated_at": created,
            }
            self.projects.append(project)
            rows["project"].append(project)
            actor = rng.choice(b.bri)
            self.change(created, project["id"], actor, ChangeAction.CREATED, ChangeField.PROJECT, project["code"])
            self.lines(project, created, actor, rows, chosen)
            self.updates(project, actor, rows, chosen)
        b.insert(Project, rows["project"])
        b.insert(ProjectPartner, rows["partner"])
        b.insert(FundingLine, rows["funding"])
        b.insert(Expenditure, rows["expenditure"])
        b.insert(Milestone, rows["milestone"])
        b.insert(ProjectUpdate, rows["update"])
        b.insert(ProjectPhoto, rows["photo"])
        b.insert(ProjectResult, rows["result"])
        b.insert(ResultIndicator, rows["indicator"])
        b.insert(IndicatorPeriod, rows["period"])
        return 1

    def updates(self, project: dict, actor: int, rows: dict, chosen: bool) -> None:
        """Progress updates with photos (rows only: no page of the benchmark reads the files), many on the chosen
        project, a few on the others that have started."""
        b, rng, pid = self.b, self.rng, project["id"]
        last_day = min(project["end_date"], b.today - timedelta(days=1))
        if project["status"] == "planned" or last_day <= project["start_date"]:
            return
        span = (last_day - project["start_date"]).days
        for _ in range(12 if chosen else rng.randint(0, 3)):
            day = project["start_date"] + timedelta(days=rng.randrange(span + 1))
            moment = min(instant(rng, day), b.now - timedelta(minutes=2))
            update_id = len(rows["update"]) + 1
            title = f"Avancement du {day.isoformat()}"
            rows["update"].append(
                {
                    "id": update_id,
                    "project_id": pid,
                    "update_date": day,
                    "title_fr": title,
                    "title_en": "",
                    "body_fr": f"Les travaux {with_a(rng.choice(words.THEMES))} avancent à {project['locality']}.",
                    "body_en": "",
                    "author_id": actor,
                    "created_at": moment,
                    "published": rng.random() < 0.5,
                }
            )
            self.change(moment, pid, actor, ChangeAction.ADDED, ChangeField.UPDATE, line_value(day, title, "0"))
            for position in range(rng.randint(1, 4) if chosen else rng.randint(0, 2)):
                photo_id = len(rows["photo"]) + 1
                rows["photo"].append(
                    {
                        "id": photo_id,
                        "update_id": update_id,
                        "stored_name": f"benchmark-{photo_id:08d}.jpg",
                        "content_type": "image/jpeg",
                        "width": 1600,
                        "height": 1067,
                        "size": 180_000 + photo_id,
                        "caption_fr": f"Photo {position + 1} de l'actualité",
                        "caption_en": "",
                        "consent_to_publish": rng.random() < 0.5,
                        "position": position,
                        "source_attachment_id": None,
                        "created_at": moment,
                    }
                )

    def change(self, at, project_id, actor, action: ChangeAction, field: ChangeField, new: str) -> None:
        self.changes.append((at, project_id, actor, action.value, field.value, new))

    def lines(self, project: dict, created: datetime, actor: int, rows: dict, chosen: bool) -> None:
        b, rng, pid = self.b, self.rng, project["id"]
        at = created + timedelta(minutes=5)
        partners = rng.sample(b.partners_by_country[project["country_code"]], k=1)
        others = b.partners_by_country[project["country_code"]]
        partners += rng.sample(others, k=min(len(others), rng.randint(0, 3)))
        for k, partner in enumerate({p["id"]: p for p in partners}.values()):
            role = "accountable" if k == 0 else rng.choice(OTHER_ROLES)
            rows["partner"].append(
                {"id": len(rows["partner"]) + 1, "project_id": pid, "partner_id": partner["id"], "role": role}
            )
            self.change(at, pid, actor, ChangeAction.ADDED, ChangeField.PARTNER, line_value(partner["name"], role))
        sources = rng.sample(SOURCES, k=rng.randint(1, 3))
        funded = project["budget"] * Decimal(rng.choice(("0.8", "0.9", "1", "1.05")))
        for k, source in enumerate(sources):
            share = (funded / len(sources)).quantize(Decimal("1"))
            note = f"Entente {project['start_date'].year}" if k == 0 else ""
            rows["funding"].append(
                {"id": len(rows["funding"]) + 1, "project_id": pid, "source": source, "amount": share, "note": note}
            )
            self.change(at, pid, actor, ChangeAction.ADDED, ChangeField.FUNDING_LINE, line_value(source, share, note))
        last_day = min(project["end_date"], b.today - timedelta(days=1))
        if project["status"] != "planned" and last_day > project["start_date"]:
            span = (last_day - project["start_date"]).days
            count = 15 if chosen else rng.randint(0, 10)
            for _ in range(count):
                spent_on = project["start_date"] + timedelta(days=rng.randrange(span + 1))
                value = (funded / Decimal(count * rng.randint(1, 2))).quantize(Decimal("0.01"))
                description, source = rng.choice(words.EXPENDITURES), rng.choice(sources)
                moment = instant(rng, spent_on)
                rows["expenditure"].append(
                    {
                        "id": len(rows["expenditure"]) + 1,
                        "project_id": pid,
                        "spent_on": spent_on,
                        "amount": value,
                        "description": description,
                        "source": source,
                        "attachment_name": None,
                        "attachment_stored": None,
                        "attachment_type": None,
                        "attachment_size": None,
                        "recorded_by_id": actor,
                        "created_at": moment,
                    }
                )
                self.change(
                    moment,
                    pid,
                    actor,
                    ChangeAction.ADDED,
                    ChangeField.EXPENDITURE,
                    line_value(spent_on, value, description, source),
                )
        length = (project["end_date"] - project["start_date"]).days
        for title in rng.sample(words.MILESTONES, k=rng.randint(2, 6)):
            due_on = project["start_date"] + timedelta(days=rng.randrange(length + 1))
            done = due_on < b.today and rng.random() < 0.8
            rows["milestone"].append(
                {"id": len(rows["milestone"]) + 1, "project_id": pid, "title": title, "due_on": due_on, "done": done}
            )
            self.change(at, pid, actor, ChangeAction.ADDED, ChangeField.MILESTONE, line_value(due_on, title))
        self.results(project, at, actor, rows, chosen)

    def results(self, project: dict, at: datetime, actor: int, rows: dict, chosen: bool) -> None:
        """A results framework: results, each with indicators, each with yearly periods over the project's dates;
        the past periods mostly have an actual value (the others are late). The chosen project has two results of
        two indicators each."""
        # A generator of its own, so that the rest of the data set stays what it was with the same seed.
        rng, pid, today = random.Random(f"results-{project['id']}-{project['code']}"), project["id"], self.b.today
        years = range(project["start_date"].year, project["end_date"].year + 1)
        for r in range(2 if chosen else rng.randint(0, 2)):
            result = {
                "id": len(rows["result"]) + 1,
                "project_id": pid,
                "type": (ResultType.OUTPUT if r == 0 else ResultType.OUTCOME).value,
                "title_fr": f"Résultat {r + 1} du projet {project['code']}",
                "title_en": "",
                "description_fr": "",
                "description_en": "",
                "position": r + 1,
                "version": 1,
            }
            rows["result"].append(result)
            self.change(
                at, pid, actor, ChangeAction.ADDED, ChangeField.RESULT, line_value(result["type"], result["title_fr"])
            )
            for k in range(2 if chosen else rng.randint(1, 2)):
                measure = rng.choice((IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE)).value
                baseline = Decimal(rng.randint(0, 40))
                indicator = {
                    "id": len(rows["indicator"]) + 1,
                    "result_id": result["id"],
                    "title_fr": f"Indicateur {k + 1} du résultat {r + 1}",
                    "title_en": "",
                    "description_fr": "",
                    "description_en": "",
                    "measure": measure,
                    "ascending": True,
                    "baseline_year": project["start_date"].year,
                    "baseline_value": baseline,
                    "baseline_comment": "",
                    "position": k + 1,
                    "version": 1,
                }
                rows["indicator"].append(indicator)
                for year in years:
                    end = date(year, 12, 31)
                    recorded = end < today and rng.random() < 0.8
                    actual = Decimal(rng.randint(int(baseline), 100)) if recorded else None
                    rows["period"].append(
                        {
                            "id": len(rows["period"]) + 1,
                            "indicator_id": indicator["id"],
                            "period_start": date(year, 1, 1),
                            "period_end": end,
                            "target_value": Decimal(rng.randint(int(baseline) + 1, 100)),
                            "target_comment": "",
                            "actual_value": actual,
                            "actual_comment": "",
                            "actual_recorded_by_id": actor if recorded else None,
                            "actual_recorded_at": (
                                min(instant(rng, end + timedelta(days=20)), self.b.now - timedelta(hours=1))
                                if recorded
                                else None
                            ),
                            "version": 1,
                        }
                    )

    def link_missions(self, plans, chosen: int) -> None:
        """Missions serve projects of their country whose dates are near theirs; the chosen project gets many."""
        b, rng = self.b, self.rng
        by_country = defaultdict(list)
        for project in self.projects:
            if project["status"] != "cancelled" and project["id"] != chosen:
                by_country[project["country_code"]].append(project)
        fixed = {id(p) for p in b.employee_plans.values()}
        wanted = b.n(300, minimum=3)
        chosen_project = self.projects[chosen - 1]
        b.employee_plans["closed"].project_id = chosen
        linked = 1
        for plan in plans:
            if id(plan) in fixed or plan.status in UNLINKABLE_STATUSES:
                continue
            near = chosen_project["start_date"] - timedelta(days=180) <= plan.start <= chosen_project["end_date"]
            if plan.country == "HT" and linked < wanted and near and plan.applicant != b.employee:
                plan.project_id, linked = chosen, linked + 1
            elif rng.random() < 0.2 and by_country[plan.country]:
                for project in rng.sample(by_country[plan.country], k=min(3, len(by_country[plan.country]))):
                    if project["start_date"] - timedelta(days=180) <= plan.start <= project["end_date"]:
                        plan.project_id = project["id"]
                        break

    def insert_changes(self, plans) -> None:
        b, rng = self.b, self.rng
        created = {p["id"]: p["created_at"] for p in self.projects}
        for plan in plans:
            if plan.project_id is None:
                continue
            at = max(plan.created_at + timedelta(days=rng.randint(1, 20)), created[plan.project_id] + timedelta(days=1))
            at = min(at, b.now - timedelta(minutes=1))
            self.change(
                at, plan.project_id, rng.choice(b.bri), ChangeAction.LINKED, ChangeField.MISSION, plan.reference
            )
        self.changes.sort(key=lambda c: (c[0], c[1]))
        b.insert(
            ProjectChange,
            (
                {
                    "id": i,
                    "project_id": pid,
                    "actor_id": actor,
                    "created_at": at,
                    "action": action,
                    "field": field,
                    "old_value": "",
                    "new_value": new,
                }
                for i, (at, pid, actor, action, field, new) in enumerate(self.changes, start=1)
            ),
        )
