"""Saving a project (created or changed, every changed column in the history) and the sectors' reference list."""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.extensions import db
from app.projects.models import ChangeAction, ChangeField, Project, ProjectStatus, Sector
from app.projects.services.changes import record_change
from app.projects.services.rules import ProjectRuleError, check_amount, require_manager

PROJECT_FIELDS = (
    "code",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "country_code",
    "locality",
    "status",
    "start_date",
    "end_date",
    "budget",
)


def save_project(project: Project, data: dict, actor: User) -> Project:
    """Create (``project.id`` is None) or update a project from validated form data."""
    require_manager(actor)
    sector = db.session.get(Sector, data["sector_id"])
    errors = _project_errors(project, data, sector)
    if errors:
        raise ProjectRuleError(errors=errors)
    creating = project.id is None
    changes = _assign(project, _project_values(data), sector, creating)
    db.session.add(project)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same code saved at the same moment by someone else: the first one won
        if "code" not in str(exc.orig):
            raise
        raise ProjectRuleError(errors={"code": _("Another project already has this code.")}) from None
    if creating:
        record_change(project, actor, ChangeAction.CREATED, ChangeField.PROJECT, new=project.code)
    else:
        for name, old, new in changes:
            record_change(project, actor, ChangeAction.CHANGED, name, old, new)
    db.session.flush()
    return project


def _project_errors(project: Project, data: dict, sector: Sector | None) -> dict[str, str]:
    """Every refusal of the form at once, by field."""
    errors: dict[str, str] = {}
    if _code_taken(project, data["code"].strip().upper()):
        errors["code"] = _("Another project already has this code.")
    if sector is None:
        errors["sector_id"] = _("Choose a sector.")
    if data["status"] not in ProjectStatus.labels():
        errors["status"] = _("Unknown status.")
    errors.update(_date_errors(project, data["start_date"], data["end_date"]))
    try:
        check_amount(data["budget"], "budget")
    except ProjectRuleError as exc:
        errors.update(exc.errors)
    return errors


def _code_taken(project: Project, code: str) -> bool:
    clash = select(Project.id).where(func.upper(Project.code) == code)
    if project.id is not None:
        clash = clash.where(Project.id != project.id)
    return db.session.scalar(clash) is not None


def _date_errors(project: Project, start, end) -> dict[str, str]:
    if end < start:
        return {"end_date": _("The end date must be on or after the start date.")}
    outside = [e for e in project.expenditures if not start <= e.spent_on <= end] if project.id is not None else []
    if outside:
        return {
            "start_date": ngettext(
                "%(num)s expenditure would fall outside the project's dates; change it first.",
                "%(num)s expenditures would fall outside the project's dates; change them first.",
                len(outside),
            )
        }
    return {}


def _project_values(data: dict) -> dict:
    """The columns of the project from checked form data, cleaned."""
    return {
        "code": data["code"].strip().upper(),
        "title_fr": data["title_fr"].strip(),
        "title_en": (data.get("title_en") or "").strip(),
        "description_fr": (data.get("description_fr") or "").strip(),
        "description_en": (data.get("description_en") or "").strip(),
        "country_code": (data.get("country_code") or "HT").upper(),
        "locality": (data.get("locality") or "").strip(),
        "status": data["status"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "budget": check_amount(data["budget"], "budget"),
    }


def _assign(project: Project, values: dict, sector: Sector, creating: bool) -> list[tuple[str, object, object]]:
    """Set the columns that change; returns (field, old, new) of each, the sector by its code."""
    changes = []
    for name in PROJECT_FIELDS:
        old = getattr(project, name)
        if creating or old != values[name]:
            changes.append((name, old, values[name]))
            setattr(project, name, values[name])
    if creating or project.sector_id != sector.id:
        changes.append((ChangeField.SECTOR, project.sector.code if project.sector else None, sector.code))
        project.sector = sector
    return changes


def _sector_code_taken(sector: Sector, code: str) -> bool:
    clash = select(Sector.id).where(Sector.code == code)
    if sector.id is not None:
        clash = clash.where(Sector.id != sector.id)
    return db.session.scalar(clash) is not None


def save_sector(sector: Sector, data: dict, actor: User) -> Sector:
    require_manager(actor)
    code = data["code"].strip()
    if _sector_code_taken(sector, code):
        raise ProjectRuleError(errors={"code": _("This code is already in the list.")})
    sector.code = code
    sector.name_fr = data["name_fr"].strip()
    sector.name_en = data["name_en"].strip()
    sector.active = str(data.get("active", "1")) == "1"
    db.session.add(sector)
    try:
        db.session.flush()
    except IntegrityError:  # the same code added at the same moment by someone else
        raise ProjectRuleError(errors={"code": _("This code is already in the list.")}) from None
    return sector
