"""Demo data of the leave domain: cycles, eligible countries, partners, and requests in every status.

Runs after ``app/accounts/demo.py``. Dates are relative to today in Montréal so that the demo stays coherent
whenever it is loaded. The histories are written as the workflow would have written them (same actions, same
order, the same rules of who decides), with past timestamps.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from app.core.database import montreal_today
from app.extensions import db
from app.leave.demo_requests import add_requests
from app.leave.models import Delegation, LeaveRequest, Transition
from app.leave.references import next_reference
from app.leave.rules import working_days
from app.leave.workflow import next_status
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle

# Haïti and countries of Montréal's diasporas.
ELIGIBLE = ("HT", "SN", "CM", "CI", "MA", "DZ", "TN", "VN", "LB", "CO", "PE", "ML", "BF", "CD", "RW")

PARTNERS = [
    ("Mairie de Jacmel", "municipality", "HT", "Jacmel"),
    ("Association des maires de la Région des Palmes", "association", "HT", "Petit-Goâve"),
    ("Mairie de Port-au-Prince", "municipality", "HT", "Port-au-Prince"),
    ("Université d'État d'Haïti — Faculté des sciences", "university", "HT", "Port-au-Prince"),
    ("Commune de Dakar-Plateau", "municipality", "SN", "Dakar"),
    ("Communauté urbaine de Douala", "municipality", "CM", "Douala"),
    ("District autonome d'Abidjan", "government", "CI", "Abidjan"),
    ("Ville de Tunis — Direction de l'environnement", "municipality", "TN", "Tunis"),
    ("Comité populaire du district de Hoàn Kiếm", "government", "VN", "Hanoï"),
    ("Alcaldía de Medellín — Planeación", "municipality", "CO", "Medellín"),
    ("Fondation Eau vive Sahel", "ngo", "ML", "Bamako"),
    ("Ville de Kigali — One Stop Centre", "municipality", "RW", "Kigali"),
]

TEXTS = {
    "objectives": "Accompagner l'équipe municipale dans la planification de la gestion des matières résiduelles.",
    "expertise": "Planification urbaine, collecte sélective, mobilisation citoyenne.",
    "benefits": "Retour d'expérience sur les quartiers denses et renforcement des liens avec la diaspora.",
    "languages": "Français, créole",
}


def _cycles(today: date) -> dict[int, ProgrammeCycle]:
    year = today.year
    specs = [
        (year - 1, date(year - 1, 1, 12), date(year - 1, 3, 31), "120000", 10),
        (year, date(year, 1, 12), date(year, 12, 18), "150000", 12),
        (year + 1, date(year, 10, 1), date(year + 1, 3, 31), "160000", 12),
    ]
    cycles = {}
    for y, opens, closes, budget, places in specs:
        cycles[y] = ProgrammeCycle(
            year=y,
            opens_on=opens,
            closes_on=closes,
            budget_envelope=Decimal(budget),
            places=places,
            min_working_days=5,
            max_working_days=30,
            min_notice_days=30,
        )
        db.session.add(cycles[y])
    return cycles


def _at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class _Builder:
    def __init__(self, ctx: dict, cycles: dict[int, ProgrammeCycle], partners: dict[str, PartnerOrganisation]):
        self.users = ctx["users"]
        self.bri = self.users["bri1"]
        self.cycles = cycles
        self.partners = partners
        self.by_status: dict[str, list[LeaveRequest]] = {}

    def request(self, who: str, cycle_year: int, partner: str, start: date, days: int, amount: str, steps):
        """A request of ``who`` and its history: ``steps`` = [(action, actor key or None, day, comment), ...]."""
        partner_row = self.partners[partner]
        end = start + timedelta(days=days)
        amount_dec = Decimal(amount)
        req = LeaveRequest(
            reference=next_reference(cycle_year),
            applicant=self.users[who],
            cycle=self.cycles[cycle_year],
            country_code=partner_row.country_code,
            city=partner_row.city,
            partner=partner_row,
            start_date=start,
            end_date=end,
            working_days=working_days(start, end),
            cost_transport=Decimal("1850.00"),
            cost_lodging=Decimal("120.00") * days,
            cost_per_diem=Decimal("85.00") * days,
            cost_other=Decimal("150.00"),
            amount_requested=amount_dec,
            status="draft",
            **TEXTS,
        )
        # The BRI rarely funds everything: at most 80 % of the estimated costs.
        req.amount_requested = min(amount_dec, (req.total_cost * Decimal("0.8")).quantize(Decimal("1")))
        first_day = steps[0][2] if steps else start - timedelta(days=60)
        req.created_at = _at(first_day - timedelta(days=2))
        req.status_changed_at = req.created_at
        db.session.add(req)
        for action, actor_key, day, comment in steps:
            from_status = req.status
            req.status = next_status(from_status, action)
            actor, on_behalf_of = (self.users.get(actor_key) if actor_key else None), None
            if actor_key == "delegate":  # emp5 decides for mgr_env, who delegated to him
                actor, on_behalf_of = self.users["emp5"], self.users["mgr_env"]
            db.session.add(
                Transition(
                    request=req,
                    action=action,
                    from_status=from_status,
                    to_status=req.status,
                    actor=actor,
                    on_behalf_of=on_behalf_of,
                    comment=comment,
                    created_at=_at(day),
                )
            )
            req.status_changed_at = _at(day)
            if action == "submit":
                req.submitted_at = _at(day)
        self.by_status.setdefault(req.status, []).append(req)
        return req


def load(ctx: dict) -> None:
    today = montreal_today()
    for code in ELIGIBLE:
        db.session.add(Country(code=code, eligible=True))
    db.session.add(Country(code="US", eligible=False))
    cycles = _cycles(today)
    partners = {}
    for name, kind, country, city in PARTNERS:
        partners[name] = PartnerOrganisation(name=name, kind=kind, country_code=country, city=city)
        db.session.add(partners[name])
    db.session.flush()
    users = ctx["users"]
    # Sophie Nguyen-Roy (environment) is away: Thomas Bergeron decides for her team.
    db.session.add(
        Delegation(
            manager=users["mgr_env"],
            delegate=users["emp5"],
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=15),
        )
    )
    builder = _Builder(ctx, cycles, partners)
    add_requests(builder, today)
    db.session.flush()
    ctx["cycles"] = cycles
    ctx["partners"] = partners
    ctx["requests"] = builder.by_status
    ctx["countries"] = list(ELIGIBLE)
