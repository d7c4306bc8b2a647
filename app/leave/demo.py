"""Demo data of the leave domain: cycles, eligible countries, partners, a delegation, and requests in every status.

Runs after ``app/accounts/demo.py``. The data are the tables below; dates are relative to today in Montréal (an
``int`` is a number of days from today, a tuple ``(year offset, month, day)`` a day of a year around today's) so that
the demo stays coherent whenever it is loaded. Each request's history goes through the workflow's one door
(:func:`~app.leave.services.transitions.perform`: the same machine, the same Transition rows, the deciders of
DOMAIN.md), then its timestamps are moved to the days of the table. No e-mail leaves.
"""

import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from app.core.cli import cli_request_context
from app.core.database import montreal_today
from app.core.workdays import working_days
from app.extensions import db
from app.leave.models import Delegation, LeaveRequest
from app.leave.services import partners as partner_confirmations
from app.leave.services.attachments import add_request_attachment
from app.leave.services.references import next_reference
from app.leave.services.transitions import perform
from app.leave.workflow import INITIAL_STATUS
from app.reference.models import Country, CountryAdvisoryChange, PartnerContact, PartnerOrganisation, ProgrammeCycle

# Haïti and countries of Montréal's diasporas.
ELIGIBLE = ("HT", "SN", "CM", "CI", "MA", "DZ", "TN", "VN", "LB", "CO", "PE", "ML", "BF", "CD", "RW")
NOT_ELIGIBLE = ("US",)
# The demo's travel advisories (fictional notes): Haïti at level 3, Colombia at 2, the other countries at 1.
ADVISORIES = {
    "HT": (
        3,
        "Démo : éviter les déplacements en dehors de Port-au-Prince et de Jacmel sans l'accompagnement du partenaire.",
        "Demo: avoid travel outside Port-au-Prince and Jacmel without the partner's escort.",
    ),
    "CO": (2, "Démo : prudence accrue dans les zones frontalières.", "Demo: extra caution near the borders."),
}

# (year offset, opens on, closes on, budget, places); every cycle: 5 to 30 working days, 30 days of notice.
CYCLES = [
    (-1, (-1, 1, 12), (-1, 3, 31), "120000", 10),
    (0, (0, 1, 12), (0, 12, 18), "150000", 12),
    (1, (0, 10, 1), (1, 3, 31), "160000", 12),
]

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

# The partners' contacts (fictional people): name, e-mail, language of their e-mails.
CONTACTS = {
    "Mairie de Jacmel": [("Marie-Ange Joseph", "ma.joseph@mairie-jacmel.example", "fr")],
    "Mairie de Port-au-Prince": [("Wilson Étienne", "w.etienne@mairie-pap.example", "fr")],
    "Commune de Dakar-Plateau": [("Aïssatou Ndiaye", "a.ndiaye@dakar-plateau.example", "fr")],
    "Comité populaire du district de Hoàn Kiếm": [("Nguyễn Thu Hà", "thuha.nguyen@hoankiem.example", "en")],
    "Ville de Kigali — One Stop Centre": [
        ("Jean-Paul Habimana", "jp.habimana@kigali-city.example", "en"),
        ("Claudine Uwase", "c.uwase@kigali-city.example", "fr"),
    ],
}
# The host partners' confirmations: (applicant, partner, status of the request), sent (days from today), then the
# answer (days, "confirmed" / "declined", comment) or None while it is pending.
CONFIRMATIONS = [
    ("emp3", "Comité populaire du district de Hoàn Kiếm", "manager_approved", -10, None),
    ("emp12", "Ville de Kigali — One Stop Centre", "approved", -30, (-28, "confirmed", "We look forward to it.")),
    (
        "emp6",
        "Commune de Dakar-Plateau",
        "manager_approved",
        -20,
        (-18, "declined", "Période de la Tabaski : nos équipes ne seront pas disponibles en mai."),
    ),
]

# Sophie Nguyen-Roy (environment) is away: Thomas Bergeron decides for her team (manager, delegate, from, to).
DELEGATIONS = [("mgr_env", "emp5", -30, 15)]
# The actor "delegate" of a step: emp5 deciding for mgr_env.
DELEGATE = ("emp5", "mgr_env")

TEXTS = {
    "objectives": "Accompagner l'équipe municipale dans la planification de la gestion des matières résiduelles.",
    "expertise": "Planification urbaine, collecte sélective, mobilisation citoyenne.",
    "benefits": "Retour d'expérience sur les quartiers denses et renforcement des liens avec la diaspora.",
    "languages": "Français, créole",
}
COSTS = {"transport": "1850.00", "lodging_per_day": "120.00", "per_diem": "85.00", "other": "150.00"}

# The usual path, in order, with who acts ("applicant", "manager", a user key or None for the daily job).
PATH = [
    ("submit", "applicant"),
    ("manager_approve", "manager"),
    ("bri_approve", "bri1"),
    ("start_mission", None),
    ("end_mission", None),
    ("submit_report", "applicant"),
    ("accept_report", "bri2"),
]
ACCEPTED = "Merci pour ce rapport clair et complet."

# Requests: applicant, cycle (year offset), partner, start, calendar days, amount asked, then either
# ("flow", manager, last action of PATH, day submitted) or ("steps", [(action, actor, day, comment), ...]).
# fmt: off
REQUESTS = [
    # A past cycle: closed, rejected, cancelled missions.
    ("emp1", -1, "Mairie de Jacmel", (-1, 5, 4), 20, "6500", ("flow", "mgr_urb", "accept_report", (-1, 2, 10))),
    ("emp4", -1, "Commune de Dakar-Plateau", (-1, 6, 4), 20, "6500", ("flow", "mgr_env", "accept_report", (-1, 2, 10))),
    ("emp9", -1, "Fondation Eau vive Sahel", (-1, 9, 4), 20, "6500", ("flow", "mgr_eau", "accept_report", (-1, 2, 10))),
    ("emp7", -1, "Communauté urbaine de Douala", (-1, 7, 6), 14, "5200",
        ("steps", [
            ("submit", "emp7", (-1, 2, 20), ""),
            ("manager_approve", "mgr_fin", (-1, 2, 24), ""),
            ("bri_reject", "bri2", (-1, 3, 10), "Le partenaire n'a pas confirmé l'accueil."),
        ])),
    ("emp10", -1, "Association des maires de la Région des Palmes", (-1, 8, 3), 21, "7000",
        ("flow", "mgr_eau", "bri_approve", (-1, 3, 1), [
            ("cancel", "bri1", (-1, 7, 20), "Avis aux voyageurs : déplacements non essentiels déconseillés."),
        ])),
    # The current cycle: missions done, under way, about to leave.
    ("emp2", 0, "Mairie de Port-au-Prince", -70, 21, "7200", ("flow", "mgr_urb", "accept_report", -150)),
    ("emp5", 0, "Ville de Tunis — Direction de l'environnement", -50, 18, "6100",
        ("flow", "mgr_env", "submit_report", -120)),
    ("emp8", 0, "District autonome d'Abidjan", -40, 20, "6400", ("flow", "mgr_fin", "end_mission", -100)),
    ("emp11", 0, "Fondation Eau vive Sahel", -32, 14, "4800", ("flow", "mgr_eau", "end_mission", -82)),
    ("emp3", 0, "Alcaldía de Medellín — Planeación", -6, 21, "7500", ("flow", "mgr_urb", "start_mission", -66)),
    ("emp6", 0, "Mairie de Jacmel", -3, 28, "8200", ("flow", "mgr_env", "start_mission", -58)),
    ("emp12", 0, "Ville de Kigali — One Stop Centre", 12, 14, "5600", ("flow", "mgr_urb", "bri_approve", -40)),
    ("emp7", 0, "Comité populaire du district de Hoàn Kiếm", 20, 14, "6000", ("flow", "mgr_fin", "bri_approve", -35)),
    # Waiting for a decision while a colleague of the department is away (the clash check beside the decision).
    ("emp1", 0, "Mairie de Port-au-Prince", 8, 14, "5000", ("steps", [("submit", "emp1", -6, "")])),
    ("emp4", 0, "Commune de Dakar-Plateau", 6, 14, "5000",
        ("steps", [("submit", "emp4", -12, ""), ("manager_approve", "delegate", -9, "")])),
    # The next cycle: everything still being decided.
    ("emp1", 1, "Association des maires de la Région des Palmes", (1, 2, 2), 21, "6800", ("steps", [])),
    ("emp13", 1, "Université d'État d'Haïti — Faculté des sciences", (1, 3, 4), 14, "0", ("steps", [])),
    ("emp2", 1, "Mairie de Jacmel", (1, 3, 2), 14, "5000", ("steps", [("submit", "emp2", -9, "")])),
    # A second request waiting for Bernard Lachance: his queue shows the bulk approval with two rows.
    ("emp12", 1, "Mairie de Port-au-Prince", (1, 4, 20), 14, "4600", ("steps", [("submit", "emp12", -6, "")])),
    ("emp9", 1, "Fondation Eau vive Sahel", (1, 2, 16), 21, "7000", ("steps", [("submit", "emp9", -4, "")])),
    ("emp4", 1, "Communauté urbaine de Douala", (1, 4, 6), 14, "5400", ("steps", [("submit", "emp4", -2, "")])),
    ("emp10", 1, "Mairie de Port-au-Prince", (1, 5, 3), 28, "9000",
        ("steps", [
            ("submit", "emp10", -20, ""),
            ("manager_request_changes", "mgr_eau", -17, "Précise les livrables attendus."),
        ])),
    ("emp6", 1, "Commune de Dakar-Plateau", (1, 5, 10), 14, "5100",
        ("steps", [
            ("submit", "emp6", -25, ""),
            ("manager_approve", "delegate", -21, ""),
        ])),
    ("emp3", 1, "Comité populaire du district de Hoàn Kiếm", (1, 6, 7), 21, "7400",
        ("steps", [
            ("submit", "emp3", -15, ""),
            ("manager_approve", "mgr_urb", -12, "Belle occasion pour l'équipe."),
        ])),
    ("emp11", 1, "Ville de Kigali — One Stop Centre", (1, 4, 13), 14, "5300",
        ("steps", [
            ("submit", "emp11", -30, ""),
            ("manager_approve", "mgr_eau", -27, ""),
            ("bri_request_changes", "bri2", -20, "Ajoutez la lettre d’invitation."),
        ])),
    ("emp8", 1, "District autonome d'Abidjan", (1, 3, 16), 14, "4000",
        ("steps", [
            ("submit", "emp8", -14, ""),
            ("manager_reject", "mgr_fin", -10, "Clôture budgétaire : absence impossible."),
        ])),
    ("emp12", 1, "Mairie de Jacmel", (1, 6, 1), 14, "5000",
        ("steps", [
            ("submit", "emp12", -22, ""),
            ("withdraw", "emp12", -18, "Projet reporté à l'an prochain."),
        ])),
    ("emp5", 1, "Alcaldía de Medellín — Planeación", (1, 3, 1), 14, "5000", ("steps", [("withdraw", "emp5", -5, "")])),
]
# fmt: on

# A file the applicant added after the manager's approval, through the real service: it is in the request's
# history and the BRI officers have a notification of it (written in each reader's language).
LATE_FILE = ("emp3", "lettre-invitation-hoan-kiem.pdf")
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# The loader ------------------------------------------------------------------------------------------------------


def _day(spec, today: date) -> date:
    if isinstance(spec, int):
        return today + timedelta(days=spec)
    offset, month, day = spec
    return date(today.year + offset, month, day)


def _at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _flow_steps(who: str, manager: str, until: str, submitted: date, start: date, end: date, extra=()) -> list:
    """The usual path up to ``until``: decisions a few days apart, the mission on its dates, the report after."""
    days = [submitted, submitted + timedelta(3), submitted + timedelta(8), start, end + timedelta(1)]
    days += [end + timedelta(12), end + timedelta(20)]
    actors = {"applicant": who, "manager": manager}
    last = [action for action, _actor in PATH].index(until)
    steps = [(action, actors.get(actor, actor), days[n], "") for n, (action, actor) in enumerate(PATH[: last + 1])]
    if until == "accept_report":
        steps[-1] = (*steps[-1][:3], ACCEPTED)
    return steps + list(extra)


def _steps(row, start: date, end: date, today: date) -> list:
    who, _cycle, _partner, _start, _days, _amount, (kind, *how) = row
    if kind == "flow":
        manager, until, submitted, *extra = how
        extra = [(a, actor, _day(day, today), comment) for a, actor, day, comment in (extra[0] if extra else [])]
        return _flow_steps(who, manager, until, _day(submitted, today), start, end, extra)
    return [(action, actor, _day(day, today), comment) for action, actor, day, comment in how[0]]


def _new_request(row, ctx: dict, today: date) -> LeaveRequest:
    who, cycle, partner_name, start, days, amount, _how = row
    partner, start = ctx["partners"][partner_name], _day(start, today)
    end = start + timedelta(days=days)
    req = LeaveRequest(
        reference=next_reference(ctx["cycles"][today.year + cycle].year),
        applicant=ctx["users"][who],
        cycle=ctx["cycles"][today.year + cycle],
        country_code=partner.country_code,
        city=partner.city,
        partner=partner,
        start_date=start,
        end_date=end,
        working_days=working_days(start, end),
        cost_transport=Decimal(COSTS["transport"]),
        cost_lodging=Decimal(COSTS["lodging_per_day"]) * days,
        cost_per_diem=Decimal(COSTS["per_diem"]) * days,
        cost_other=Decimal(COSTS["other"]),
        status=INITIAL_STATUS,
        **TEXTS,
    )
    # The BRI rarely funds everything: at most 80 % of the estimated costs.
    req.amount_requested = min(Decimal(amount), (req.total_cost * Decimal("0.8")).quantize(Decimal("1")))
    db.session.add(req)
    return req


def _walk(req: LeaveRequest, steps: list, users: dict) -> None:
    """Each step through the workflow's door, then dated as the table says."""
    req.created_at = _at((steps[0][2] if steps else req.start_date - timedelta(days=60)) - timedelta(days=2))
    req.status_changed_at = req.created_at
    db.session.flush()
    for action, actor_key, day, comment in steps:
        actor, on_behalf_of = users.get(actor_key), None
        if actor_key == "delegate":
            actor, on_behalf_of = users[DELEGATE[0]], users[DELEGATE[1]]
        perform(req, action, actor, comment=comment, on_behalf_of=on_behalf_of, at=_at(day))


def _reference_data(ctx: dict, today: date) -> None:
    checked = today - timedelta(days=7)
    countries = [Country(code=code, eligible=True) for code in ELIGIBLE]
    countries += [Country(code=code, eligible=False) for code in NOT_ELIGIBLE]
    for country in countries:
        level, note_fr, note_en = ADVISORIES.get(country.code, (1, "", ""))
        country.advisory_level, country.advisory_checked_on = level, checked
        country.advisory_note_fr, country.advisory_note_en = note_fr, note_en
    db.session.add_all(countries)
    db.session.flush()
    db.session.add_all(
        CountryAdvisoryChange(
            country_code=c.code,
            new_level=c.advisory_level,
            checked_on=checked,
            note_fr=c.advisory_note_fr,
            note_en=c.advisory_note_en,
        )
        for c in countries
    )
    ctx["cycles"] = {
        today.year + offset: ProgrammeCycle(
            year=today.year + offset,
            opens_on=_day(opens, today),
            closes_on=_day(closes, today),
            budget_envelope=Decimal(budget),
            places=places,
            min_working_days=5,
            max_working_days=30,
            min_notice_days=30,
        )
        for offset, opens, closes, budget, places in CYCLES
    }
    ctx["partners"] = {
        name: PartnerOrganisation(name=name, kind=kind, country_code=country, city=city)
        for name, kind, country, city in PARTNERS
    }
    db.session.add_all([*ctx["cycles"].values(), *ctx["partners"].values()])
    db.session.add_all(
        PartnerContact(partner=ctx["partners"][partner], name=name, email=email, language=language)
        for partner, people in CONTACTS.items()
        for name, email, language in people
    )
    users = ctx["users"]
    db.session.add_all(
        Delegation(manager=users[m], delegate=users[d], starts_on=_day(s, today), ends_on=_day(e, today))
        for m, d, s, e in DELEGATIONS
    )
    db.session.flush()


def _add_late_file(ctx: dict, today: date) -> None:
    applicant = ctx["users"][LATE_FILE[0]]
    req = next(r for r in ctx["requests"]["manager_approved"] if r.applicant_id == applicant.id)
    upload = FileStorage(io.BytesIO(DEMO_PDF), filename=LATE_FILE[1], content_type="application/pdf")
    with cli_request_context():  # the notification links to the request page
        add_request_attachment(req, upload, applicant, today)


def _partner_confirmations(ctx: dict, today: date) -> None:
    """Through the real services: the BRI sends the link, the partner's contact answers (or not yet)."""
    for who, partner_name, status, sent, answer in CONFIRMATIONS:
        applicant, partner = ctx["users"][who], ctx["partners"][partner_name]
        req = next(r for r in ctx["requests"][status] if r.applicant_id == applicant.id and r.partner is partner)
        with cli_request_context():  # the e-mail's link
            confirmation, _token = partner_confirmations.send_partner_confirmation(
                req, partner.contacts[0].id, ctx["users"]["bri1"], now=_at(today + timedelta(days=sent))
            )
            if answer is not None:
                day, said, comment = answer
                partner_confirmations.answer_partner_confirmation(
                    confirmation, said, comment, now=_at(today + timedelta(days=day))
                )


def load(ctx: dict) -> None:
    today = montreal_today()
    _reference_data(ctx, today)
    ctx["requests"] = {}
    for row in REQUESTS:
        req = _new_request(row, ctx, today)
        _walk(req, _steps(row, req.start_date, req.end_date, today), ctx["users"])
        ctx["requests"].setdefault(req.status, []).append(req)
    db.session.flush()
    _partner_confirmations(ctx, today)
    _add_late_file(ctx, today)
    ctx["countries"] = list(ELIGIBLE)
