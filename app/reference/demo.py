"""Demo reference data: programme cycles, eligible countries of Montréal's diasporas, partner organisations.

Puts ``ctx["cycles"]`` (by year), ``ctx["countries"]`` (eligible codes) and ``ctx["partners"]`` (by key) for the
domains loaded after this one.
"""

from datetime import date
from decimal import Decimal

from app.extensions import db
from app.leave.models import Country, PartnerKind, PartnerOrganisation, ProgrammeCycle

# Haïti first, then countries from which many Montrealers originate.
ELIGIBLE = ("HT", "SN", "CM", "CI", "ML", "BF", "BJ", "CD", "RW", "MA", "DZ", "TN", "VN", "CO", "PE", "LB")
NOT_ELIGIBLE = ("FR", "US")

# (year, opens, closes, envelope, places, min days, max days, notice, daily rate)
CYCLES = [
    (2025, date(2025, 1, 6), date(2025, 3, 28), "120000.00", 10, 5, 30, 45, None),
    (2026, date(2026, 1, 5), date(2026, 12, 18), "150000.00", 12, 5, 30, 30, "450.00"),
    (2027, date(2027, 1, 11), date(2027, 4, 2), "175000.00", 15, 5, 35, 45, "475.00"),
]

# (key, name, kind, country, city, active) — fictional organisations.
PARTNERS = [
    (
        "pap",
        "Mairie de Port-au-Prince (service de l'urbanisme)",
        PartnerKind.MUNICIPALITY,
        "HT",
        "Port-au-Prince",
        True,
    ),
    ("palmes", "Communauté des municipalités de la Région des Palmes", PartnerKind.ASSOCIATION, "HT", "Léogâne", True),
    ("ueh", "Faculté des sciences appliquées (démo)", PartnerKind.UNIVERSITY, "HT", "Port-au-Prince", True),
    ("lakay", "ONG Lakay Pwòp (démo)", PartnerKind.NGO, "HT", "Jacmel", True),
    ("dakar", "Commune de Dakar-Plateau (démo)", PartnerKind.MUNICIPALITY, "SN", "Dakar", True),
    ("douala", "Communauté urbaine de Douala (démo)", PartnerKind.MUNICIPALITY, "CM", "Douala", True),
    ("hue", "Comité populaire de Huế, service de l'eau (démo)", PartnerKind.GOVERNMENT, "VN", "Huế", True),
    ("medellin", "Fundación Agua Limpia (démo)", PartnerKind.NGO, "CO", "Medellín", True),
    ("old", "Association des maires ruraux (démo, inactive)", PartnerKind.ASSOCIATION, "ML", "Bamako", False),
]


def load(ctx: dict) -> None:
    for code in ELIGIBLE:
        db.session.add(Country(code=code, eligible=True))
    for code in NOT_ELIGIBLE:
        db.session.add(Country(code=code, eligible=False))
    cycles = {}
    for year, opens, closes, envelope, places, low, high, notice, rate in CYCLES:
        cycles[year] = ProgrammeCycle(
            year=year,
            opens_on=opens,
            closes_on=closes,
            budget_envelope=Decimal(envelope),
            places=places,
            min_working_days=low,
            max_working_days=high,
            min_notice_days=notice,
            daily_rate=Decimal(rate) if rate else None,
        )
        db.session.add(cycles[year])
    partners = {}
    for key, name, kind, country, city, active in PARTNERS:
        partners[key] = PartnerOrganisation(name=name, kind=kind.value, country_code=country, city=city, active=active)
        db.session.add(partners[key])
    db.session.flush()
    ctx["cycles"] = cycles
    ctx["countries"] = list(ELIGIBLE)
    ctx["partners"] = partners
