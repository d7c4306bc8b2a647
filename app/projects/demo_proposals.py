"""The demo's proposal of a mission report (fictional): a mission whose report waits for the BRI proposes the actual
value of the current period of one of its project's indicators; the BRI has not decided yet."""

from decimal import Decimal

from app.leave.models import LeaveRequest
from app.projects import services
from app.projects.models import Project

PROJECT = "HT-PALMES-MR"
INDICATOR = "Part des ménages desservis par la collecte"
VALUE = Decimal("41.5")
COMMENT = "Comptage fait avec le service de collecte de la mairie dans les quatre quartiers pilotes, fin de mission."


def load_proposal(ctx: dict, projects: dict[str, Project], actor) -> None:
    """On a submitted report (``ctx["requests"]["report_submitted"]``) of the project's missions, or of a mission
    linked to no project, which the BRI then links to it."""
    project = projects.get(PROJECT)
    submitted: list[LeaveRequest] = (ctx.get("requests") or {}).get("report_submitted", [])
    reports = [r for r in submitted if r.mission_report is not None and r.mission_report.submitted_at is not None]
    if project is None:
        return
    req = next((r for r in reports if r.project_id == project.id), None)
    req = req or next((r for r in reports if r.project_id is None), None)
    if req is None:
        return
    if req.project_id is None:
        services.link_request_to_project(req, project, actor)
    indicator = next(i for r in project.results for i in r.indicators if i.title_fr == INDICATOR)
    period = indicator.periods[-1]
    data = {"indicator_id": indicator.id, "period_id": period.id, "value": VALUE, "comment": COMMENT}
    services.propose_indicator_update(req, data, req.applicant)
