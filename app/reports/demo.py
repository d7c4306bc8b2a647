"""Demo mission reports, added to the requests of the leave demo (``ctx["requests"]``: status → requests).

Reports in every state: drafts and one returned for revision (``report_due``), reports waiting for the BRI
(``report_submitted``) and accepted reports of closed missions (the archive). Does nothing without requests.
"""

from sqlalchemy import select

from app.accounts.models import User, UserRole
from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest, Transition
from app.leave.services.transitions import perform
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


def _bri_officer(ctx: dict) -> User | None:
    users = ctx.get("users", {})
    return users.get("bri1") or db.session.scalar(
        select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == "bri").order_by(User.id)
    )


def _report(req: LeaveRequest, n: int, **fields) -> MissionReport:
    report = req.mission_report or MissionReport(request=req)
    for name, value in {**TEXTS[n % len(TEXTS)], "consent_to_quote": n % 2 == 0, **fields}.items():
        setattr(report, name, value)
    db.session.add(report)
    return report


def _decider(req: LeaveRequest, action: str, default: User | None) -> User | None:
    transition = db.session.scalar(
        select(Transition)
        .where(Transition.request_id == req.id, Transition.action == action)
        .order_by(Transition.id.desc())
    )
    return transition.actor if transition is not None and transition.actor is not None else default


def load(ctx: dict) -> None:
    requests: dict[str, list[LeaveRequest]] = ctx.get("requests") or {}
    if not requests:
        return
    bri = _bri_officer(ctx)
    for n, req in enumerate(requests.get("report_due", [])):
        if n == 0:
            _report(req, n, results="", lessons_learned="", recommendations_city="", recommendations_partner="")
        elif n == 1 and bri is not None and bri.id != req.applicant_id:
            report = _report(req, n)
            perform(req, "submit_report", req.applicant)
            report.submitted_at = utcnow()
            comment = "Merci ! Pourriez-vous préciser les résultats chiffrés et joindre la lettre du partenaire ?"
            perform(req, "return_report", bri, comment=comment)
            report.decision, report.decided_at, report.decided_by, report.bri_comment = (
                "returned",
                utcnow(),
                bri,
                comment,
            )
    for n, req in enumerate(requests.get("report_submitted", [])):
        _report(req, n, submitted_at=req.status_changed_at)
    for n, req in enumerate(requests.get("closed", [])):
        _report(
            req,
            n + 1,
            submitted_at=req.status_changed_at,
            decision="accepted",
            decided_at=req.status_changed_at,
            decided_by=_decider(req, "accept_report", bri),
        )
    db.session.flush()
