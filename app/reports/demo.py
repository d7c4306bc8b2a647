"""Demo mission reports, added to the requests of the leave demo (``ctx["requests"]``: status → requests).

Reports in every state: a draft and one returned for revision (``report_due``), written through the real services;
reports waiting for the BRI (``report_submitted``) and accepted reports of closed missions (the archive), whose
requests the leave demo already moved there: their reports are recorded as they were then. Does nothing without
requests.
"""

from sqlalchemy import select

from app.accounts.models import Role, User, UserRole
from app.core.cli import cli_request_context
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.reports import services
from app.reports.models import MissionReport

TEXTS = [
    {
        "activities": "Ateliers avec l’équipe technique de la mairie sur la collecte des matières résiduelles ; "
        "visites de quartiers et d’un site d’enfouissement.",
        "results": "Un plan de collecte par quartier, adopté par le conseil municipal ; trois agents formés.",
        "lessons_learned": "Les rencontres avec les comités de quartier demandent plus de temps que prévu.",
        "recommendations_city": "Prévoir une deuxième mission de suivi dans un an.",
        "recommendations_partner": "Désigner une personne responsable du suivi du plan.",
        "testimony": "Une expérience humaine et professionnelle que je n’oublierai pas.",
    },
    {
        "activities": "Accompagnement du service des finances de la commune pour la révision du rôle foncier.",
        "results": "Une méthode d’évaluation foncière simplifiée et un tableau de suivi des recettes.",
        "lessons_learned": "Partir des outils existants du partenaire plutôt que d’importer les nôtres.",
        "recommendations_city": "Documenter nos propres méthodes pour mieux les partager.",
        "recommendations_partner": "Former un deuxième agent à la mise à jour du rôle.",
        "testimony": "J’ai autant appris que j’ai transmis.",
    },
    {
        "activities": "Diagnostic participatif de l’aménagement du centre-ville avec l’université partenaire.",
        "results": "Un schéma d’aménagement présenté aux élus et aux associations de commerçants.",
        "lessons_learned": "La cartographie sur papier fonctionne mieux que les outils numériques sur le terrain.",
        "recommendations_city": "Renforcer la préparation linguistique et culturelle avant le départ.",
        "recommendations_partner": "Associer les associations de femmes dès le début du projet.",
        "testimony": "Merci à toute l’équipe pour son accueil chaleureux.",
    },
]


RETURN_COMMENT = "Merci ! Pourriez-vous préciser les résultats chiffrés et joindre la lettre du partenaire ?"

# The reports of the requests still expecting one, in order (the requests beyond get none): a draft with only the
# activities and the testimony, then a complete report that the BRI returned for revision.
DUE = [
    {
        "texts": {
            **TEXTS[0],
            "results": "",
            "lessons_learned": "",
            "recommendations_city": "",
            "recommendations_partner": "",
        },
        "consent": True,
    },
    {"texts": TEXTS[1], "consent": False, "returned_with": RETURN_COMMENT},
]


def _bri_officer(ctx: dict) -> User | None:
    users = ctx.get("users", {})
    return users.get("bri1") or db.session.scalar(
        select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.BRI).order_by(User.id)
    )


def _write(req: LeaveRequest, due: dict, bri: User | None) -> None:
    data = services.ReportData(texts=due["texts"], consent_to_quote=due["consent"])
    if "returned_with" not in due:
        services.save_report(req, data, req.applicant)
    elif bri is not None and bri.id != req.applicant_id:
        services.submit_report(req, data, req.applicant, None)
        services.return_report(req, bri, due["returned_with"], None)


def _record(req: LeaveRequest, n: int, **decision) -> None:
    """The report of a request already past its submission: submitted when the request got its status."""
    report = req.mission_report or MissionReport(request=req)
    fields = {**TEXTS[n % len(TEXTS)], "consent_to_quote": n % 2 == 0, "submitted_at": req.status_changed_at}
    for name, value in {**fields, **decision}.items():
        setattr(report, name, value)
    db.session.add(report)


def _acceptor(req: LeaveRequest, default: User | None) -> User | None:
    transition = db.session.scalar(
        select(Transition)
        .where(Transition.request_id == req.id, Transition.action == "accept_report")
        .order_by(Transition.id.desc())
    )
    return transition.actor if transition is not None and transition.actor is not None else default


def load(ctx: dict) -> None:
    requests: dict[str, list[LeaveRequest]] = ctx.get("requests") or {}
    if not requests:
        return
    bri = _bri_officer(ctx)
    with cli_request_context():  # the services' notifications link to the report pages
        for req, due in zip(requests.get("report_due", []), DUE, strict=False):
            _write(req, due, bri)
    for n, req in enumerate(requests.get("report_submitted", [])):
        _record(req, n)
    for n, req in enumerate(requests.get("closed", []), start=1):
        accepted = {"decision": "accepted", "decided_at": req.status_changed_at, "decided_by": _acceptor(req, bri)}
        _record(req, n, **accepted)
    db.session.flush()
