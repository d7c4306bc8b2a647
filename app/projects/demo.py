"""Fictional Haïti cooperation projects in different states, with partners, money, milestones, missions and, for
the running ones, results with indicators, baselines and periods (one with an actual value, one late without); two
of them with progress updates and photos (``demo_updates``).

Dates are relative to today in Montréal so that the demo always shows running projects and late milestones.
Partners come from ``ctx["partners"]`` when another domain loaded them; the ones named here are found or created
(fictional organisations). Missions come from ``ctx["requests"]`` (status → requests) when the leave demo ran.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.core.database import montreal_today
from app.extensions import db
from app.projects import services
from app.projects.demo_proposals import load_proposal
from app.projects.demo_updates import load_updates
from app.projects.models import Project, Sector
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reference import services as reference_services
from app.reference.models import PartnerOrganisation

PARTNERS = {
    "pap": ("Mairie de Port-au-Prince", "municipality", "Port-au-Prince"),
    "palmes": ("Intercommunalité de la Région des Palmes", "association", "Petit-Goâve"),
    "lakou": ("Fondation Lakou Vèt (fictive)", "ngo", "Léogâne"),
    "ihfm": ("Institut haïtien de formation municipale (fictif)", "university", "Port-au-Prince"),
    "jacmel": ("Mairie de Jacmel", "municipality", "Jacmel"),
    "cap": ("Mairie du Cap-Haïtien", "municipality", "Cap-Haïtien"),
}

# One dict per project: its columns (start in days from today, length in days), its partners (key of PARTNERS, role),
# funding lines (source, amount, note), expenditures (days from today, amount, description, source), milestones
# (days from today, title, done), how many of the leave demo's missions it receives, and whether it is published (its
# public page /p/<code> and its activity in the IATI file).
PROJECTS = [
    {
        "code": "HT-PALMES-MR",
        "sector": "14050",
        "status": "active",
        "start": -420,
        "days": 1000,
        "budget": "850000.00",
        "title_fr": "Appui à la gestion des matières résiduelles – Région des Palmes",
        "title_en": "Support for solid waste management – Région des Palmes",
        "locality": "Gressier, Léogâne, Petit-Goâve, Grand-Goâve",
        "description_fr": "Collecte, tri et valorisation des matières résiduelles dans les quatre communes de la "
        "Région des Palmes, avec l'expertise du Service de l'environnement.",
        "description_en": "Collection, sorting and recovery of solid waste in the four communes of the Région des "
        "Palmes, with the expertise of the Environment department.",
        "partners": [("palmes", "accountable"), ("lakou", "implementing")],
        "funding": [("bri_operating", "250000.00", "Budget de fonctionnement 2025-2027"), ("federal", "500000.00", "")],
        "expenditures": [
            (-400, "42000.00", "Diagnostic des filières de collecte", "bri_operating"),
            (-250, "118500.50", "Équipement du centre de tri de Léogâne", "federal"),
            (-90, "64250.25", "Formation des brigades de collecte", "federal"),
        ],
        "milestones": [
            (-380, "Diagnostic partagé avec les quatre communes", True),
            (-30, "Plan intercommunal de collecte adopté", False),
            (200, "Centre de tri en service", False),
        ],
        "missions": 3,
        "published": True,
    },
    {
        "code": "HT-PAP-FISC",
        "sector": "15114",
        "status": "active",
        "start": -300,
        "days": 900,
        "budget": "420000.00",
        "title_fr": "Renforcement de la fiscalité municipale – Port-au-Prince",
        "title_en": "Strengthening municipal taxation – Port-au-Prince",
        "locality": "Port-au-Prince",
        "description_fr": "Modernisation du rôle d'évaluation foncière et de la perception de la contribution "
        "foncière des propriétés bâties.",
        "description_en": "",
        "partners": [("pap", "accountable"), ("ihfm", "implementing")],
        "funding": [
            ("bri_operating", "120000.00", ""),
            ("federal", "200000.00", ""),
            ("quebec", "50000.00", "Programme québécois de développement international"),
        ],
        "expenditures": [
            (-280, "35000.00", "Atelier de lancement et recensement pilote", "bri_operating"),
            (-120, "78900.10", "Logiciel de gestion du rôle foncier", "federal"),
        ],
        "milestones": [
            (-200, "Recensement pilote du quartier Bois-Verna", True),
            (-10, "Rôle d'évaluation numérisé", False),
            (300, "Premier avis de cotisation émis", False),
        ],
        "missions": 2,
    },
    {
        "code": "HT-PALMES-GOUV",
        "sector": "15112",
        "status": "on_hold",
        "start": -600,
        "days": 1100,
        "budget": "300000.00",
        "title_fr": "Gouvernance locale et décentralisation – Région des Palmes",
        "title_en": "",
        "locality": "Petit-Goâve",
        "description_fr": "Appui aux conseils municipaux : budget participatif, archives et état civil. "
        "Suspendu en attendant une amélioration des conditions de sécurité.",
        "description_en": "",
        "partners": [("palmes", "accountable")],
        "funding": [("bri_operating", "150000.00", "")],
        "expenditures": [
            (-560, "98000.00", "Formation des élus et des cadres", "bri_operating"),
            (-300, "64000.00", "Numérisation des registres d'état civil", "bri_operating"),
        ],
        "milestones": [
            (-450, "Budget participatif pilote à Gressier", True),
            (-60, "Archives municipales classées", False),
        ],
        "missions": 1,
    },
    {
        "code": "HT-PAP-URB",
        "sector": "43030",
        "status": "planned",
        "start": 90,
        "days": 720,
        "budget": "600000.00",
        "title_fr": "Plan d'urbanisme du centre historique – Port-au-Prince",
        "title_en": "Urban plan for the historic centre – Port-au-Prince",
        "locality": "Port-au-Prince",
        "description_fr": "Accompagnement de la mairie pour le plan d'urbanisme et la mobilité du centre historique.",
        "description_en": "Support to the city hall for the urban and mobility plan of the historic centre.",
        "partners": [("pap", "accountable")],
        "funding": [("federal", "400000.00", "Entente en cours de signature")],
        "expenditures": [],
        "milestones": [(120, "Comité de pilotage constitué", False)],
        "missions": 0,
    },
    {
        "code": "HT-JACMEL-RRC",
        "sector": "43060",
        "status": "completed",
        "start": -1100,
        "days": 700,
        "budget": "180000.00",
        "title_fr": "Réduction des risques de catastrophe – Jacmel",
        "title_en": "Disaster risk reduction – Jacmel",
        "locality": "Jacmel",
        "description_fr": "Plan communal de gestion des risques et exercices d'évacuation.",
        "description_en": "Municipal risk management plan and evacuation drills.",
        "partners": [("jacmel", "accountable"), ("lakou", "implementing")],
        "funding": [("bri_operating", "60000.00", ""), ("federal", "120000.00", "")],
        "expenditures": [
            (-1000, "80000.00", "Cartographie des zones inondables", "federal"),
            (-600, "96500.00", "Exercices d'évacuation et équipements", "federal"),
        ],
        "milestones": [(-900, "Carte des risques publiée", True), (-450, "Plan communal adopté", True)],
        "missions": 1,
    },
    {
        "code": "HT-CAP-EAU",
        "sector": "14021",
        "status": "cancelled",
        "start": -200,
        "days": 900,
        "budget": "250000.00",
        "title_fr": "Eau potable – Cap-Haïtien",
        "title_en": "Drinking water – Cap-Haïtien",
        "locality": "Cap-Haïtien",
        "description_fr": "Projet annulé faute de financement externe.",
        "description_en": "Project cancelled for lack of external funding.",
        "partners": [("cap", "accountable")],
        "funding": [],
        "expenditures": [],
        "milestones": [],
        "missions": 0,
    },
]

# The results framework of some projects (fictional): per project code, its results (IATI type code, title in French
# and English), each with indicators (title fr/en, measure code, ascending, baseline year and value), each with
# periods (start and end in days from today, target, actual or None). A period ended without an actual shows late.
RESULTS = {
    "HT-PALMES-MR": [
        (
            "1",
            "Brigades de collecte formées et équipées",
            "Collection crews trained and equipped",
            [
                (
                    "Agents de collecte formés",
                    "Collection workers trained",
                    "1",
                    True,
                    2024,
                    "0",
                    [(-400, -220, "40", "46"), (-219, -30, "80", None), (-29, 200, "120", None)],
                ),
            ],
        ),
        (
            "2",
            "Les ménages de la Région des Palmes trient leurs déchets",
            "Households of the Région des Palmes sort their waste",
            [
                (
                    "Part des ménages desservis par la collecte",
                    "Share of households served by collection",
                    "2",
                    True,
                    2024,
                    "18",
                    [(-400, -40, "35", "29.5"), (-39, 300, "60", None)],
                ),
                (
                    "Dépôts sauvages signalés par mois",
                    "Illegal dumps reported per month",
                    "1",
                    False,
                    2024,
                    "64",
                    [(-400, -40, "40", "31"), (-39, 300, "20", None)],
                ),
            ],
        ),
    ],
    "HT-PAP-FISC": [
        (
            "1",
            "Rôle d'évaluation foncière numérisé",
            "Property assessment roll digitised",
            [
                (
                    "Propriétés inscrites au rôle numérique",
                    "Properties on the digital roll",
                    "1",
                    True,
                    2025,
                    "1200",
                    [(-300, -60, "5000", "4100"), (-59, 400, "15000", None)],
                ),
            ],
        ),
        (
            "2",
            "Hausse des recettes de la contribution foncière",
            "Higher property tax revenue",
            [
                (
                    "Taux de recouvrement de la contribution foncière",
                    "Property tax collection rate",
                    "2",
                    True,
                    2025,
                    "22",
                    [(-300, -10, "30", None), (-9, 500, "45", None)],
                ),
            ],
        ),
    ],
}

# Requests of these statuses make the in-kind contribution; a draft shows a mission still being prepared.
MISSION_STATUSES = ("closed", "report_due", "in_mission", "approved", "report_submitted", "submitted", "draft")

# The columns of a project that the tables above give as they are.
PROJECT_COLUMNS = ("code", "status", "title_fr", "title_en", "description_fr", "description_en", "locality")


def load(ctx: dict) -> None:
    actor = ctx["users"]["bri1"]
    today = montreal_today()
    missions = _missions(ctx)
    ctx["projects"] = {spec["code"]: _load_project(ctx, spec, actor, today, missions) for spec in PROJECTS}
    load_updates(ctx["projects"], actor, today)
    load_proposal(ctx, ctx["projects"], actor)


def _load_project(ctx: dict, spec: dict, actor, today: date, missions) -> Project:
    start = today + timedelta(days=spec["start"])
    data = {name: spec[name] for name in PROJECT_COLUMNS}
    data |= {
        "country_code": "HT",
        "sector_id": _sector(spec["sector"], actor).id,
        "start_date": start,
        "end_date": start + timedelta(days=spec["days"]),
        "budget": Decimal(spec["budget"]),
    }
    project = services.save_project(Project(), data, actor)
    for key, role in spec["partners"]:
        services.add_partner(project, _partner(ctx, key, actor), role, actor)
    for source, amount, note in spec["funding"]:
        services.add_funding_line(project, source, Decimal(amount), note, actor)
    for offset, amount, description, source in spec["expenditures"]:
        spent = {"spent_on": today + timedelta(days=offset), "amount": Decimal(amount), "description": description}
        services.add_expenditure(project, spent | {"source": source}, actor)
    for offset, title, done in spec["milestones"]:
        milestone = services.add_milestone(project, title, today + timedelta(days=offset), actor)
        if done:
            services.toggle_milestone(milestone, actor)
    results = [_load_result(project, spec, actor, today) for spec in RESULTS.get(project.code, [])]
    for n, req in enumerate(itertools.islice(missions, spec["missions"])):
        # The first missions served the project's first result.
        served = results[0].id if results and n < 2 else None
        services.link_request_to_project(req, project, actor, result_id=served)
    if spec.get("published"):
        services.publish_project(project, actor)
    return project


def _load_result(project: Project, spec: tuple, actor, today: date) -> ProjectResult:
    type_, title_fr, title_en, indicators = spec
    data = {"type": type_, "title_fr": title_fr, "title_en": title_en}
    result = services.save_result(project, ProjectResult(), data, actor)
    for title_fr, title_en, measure, ascending, year, baseline, periods in indicators:
        data = {"title_fr": title_fr, "title_en": title_en, "measure": measure, "ascending": ascending}
        data |= {"baseline_year": year, "baseline_value": Decimal(baseline)}
        indicator = services.save_indicator(result, ResultIndicator(), data, actor)
        for start, end, target, actual in periods:
            data = {"period_start": today + timedelta(days=start), "period_end": today + timedelta(days=end)}
            period = services.save_period(indicator, IndicatorPeriod(), data | {"target_value": Decimal(target)}, actor)
            if actual is not None:
                services.record_actual(period, {"actual_value": Decimal(actual)}, actor)
    return result


def _given_partners(ctx: dict) -> list[PartnerOrganisation]:
    given = ctx.get("partners") or []
    return list(given.values()) if isinstance(given, dict) else list(given)


def _partner(ctx: dict, key: str, actor) -> PartnerOrganisation:
    """A partner of the reference demo in the same Haïtian city and of the same kind, or a fictional one of ours."""
    name, kind, city = PARTNERS[key]
    for given in _given_partners(ctx):
        if given.country_code == "HT" and given.city == city and given.kind == kind:
            return given
    partner = db.session.scalar(
        select(PartnerOrganisation).where(PartnerOrganisation.name == name, PartnerOrganisation.country_code == "HT")
    )
    if partner is None:
        data = {"name": name, "kind": kind, "country_code": "HT", "city": city}
        partner = reference_services.save_partner(PartnerOrganisation(), data, actor)
    return partner


def _sector(code: str, actor) -> Sector:
    sector = db.session.scalar(select(Sector).where(Sector.code == code))
    if sector is None:  # a database created without the migration's seed
        sector = services.save_sector(Sector(), {"code": code, "name_fr": code, "name_en": code}, actor)
    return sector


def _missions(ctx: dict):
    """Yield the demo requests that may serve a project, committed ones first."""
    requests = ctx.get("requests") or {}
    for status in MISSION_STATUSES:
        yield from (r for r in requests.get(status, []) if r.project_id is None)
