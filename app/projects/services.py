"""The business rules of cooperation projects. Every function takes the actor, writes the history, flushes and
never commits: the view (or the command) owns the transaction."""

from datetime import date
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.leave.models import LeaveRequest
from app.projects import files, history
from app.projects.models import (
    Expenditure,
    FundingLine,
    FundingSource,
    Milestone,
    PartnerRole,
    Project,
    ProjectPartner,
    ProjectStatus,
    Sector,
)
from app.projects.permissions import can_link_request, can_manage_projects
from app.projects.queries import UNLINKABLE_STATUSES
from app.reference.models import PartnerOrganisation

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


class ProjectRuleError(Exception):
    """A refused change: ``errors`` maps a form field (or "" for the whole form) to a translated message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class NotAllowed(Exception):
    """The actor may not do this (the view answers 403)."""


def _require_manager(actor: User) -> None:
    if not can_manage_projects(actor):
        raise NotAllowed


def _check_amount(amount: Decimal | None, field: str = "amount") -> Decimal:
    if amount is None:
        raise ProjectRuleError({field: _("Enter an amount.")})
    if amount < 0:
        raise ProjectRuleError({field: _("The amount cannot be negative.")})
    if amount.as_tuple().exponent < -2:
        raise ProjectRuleError({field: _("At most two decimals (cents).")})
    return amount.quantize(Decimal("0.01"))


# Projects ------------------------------------------------------------------------------------------------------


def save_project(project: Project, data: dict, actor: User) -> Project:
    """Create (``project.id`` is None) or update a project from validated form data."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    code = data["code"].strip().upper()
    clash = select(Project.id).where(func.upper(Project.code) == code)
    if project.id is not None:
        clash = clash.where(Project.id != project.id)
    if db.session.scalar(clash) is not None:
        errors["code"] = _("Another project already has this code.")
    sector = db.session.get(Sector, data["sector_id"])
    if sector is None:
        errors["sector_id"] = _("Choose a sector.")
    status = data["status"]
    if status not in {s.value for s in ProjectStatus}:
        errors["status"] = _("Unknown status.")
    start, end = data["start_date"], data["end_date"]
    if end < start:
        errors["end_date"] = _("The end date must be on or after the start date.")
    elif project.id is not None:
        outside = [e for e in project.expenditures if not start <= e.spent_on <= end]
        if outside:
            errors["start_date"] = _(
                "%(count)s expenditure(s) would fall outside the project's dates; change them first.",
                count=len(outside),
            )
    try:
        budget = _check_amount(data["budget"], "budget")
    except ProjectRuleError as exc:
        errors.update(exc.errors)
    if errors:
        raise ProjectRuleError(errors)

    values = {
        "code": code,
        "title_fr": data["title_fr"].strip(),
        "title_en": (data.get("title_en") or "").strip(),
        "description_fr": (data.get("description_fr") or "").strip(),
        "description_en": (data.get("description_en") or "").strip(),
        "country_code": (data.get("country_code") or "HT").upper(),
        "locality": (data.get("locality") or "").strip(),
        "status": status,
        "start_date": start,
        "end_date": end,
        "budget": budget,
    }
    creating = project.id is None
    changes = []
    for name in PROJECT_FIELDS:
        old = getattr(project, name)
        if creating or old != values[name]:
            changes.append((name, old, values[name]))
            setattr(project, name, values[name])
    if creating or project.sector_id != sector.id:
        changes.append(("sector", project.sector.code if project.sector else None, sector.code))
        project.sector = sector
    db.session.add(project)
    db.session.flush()
    if creating:
        history.record(project, actor, "created", "project", new=project.code)
    else:
        for name, old, new in changes:
            history.record(project, actor, "changed", name, old, new)
    db.session.flush()
    return project


# Partners ------------------------------------------------------------------------------------------------------


def add_partner(project: Project, partner: PartnerOrganisation | None, role: str, actor: User) -> ProjectPartner:
    _require_manager(actor)
    if partner is None:
        raise ProjectRuleError({"partner_id": _("Choose a partner organisation.")})
    if role not in {r.value for r in PartnerRole}:
        raise ProjectRuleError({"role": _("Unknown role.")})
    if any(p.partner_id == partner.id and p.role == role for p in project.partners):
        raise ProjectRuleError({"partner_id": _("This partner already has this role in the project.")})
    link = ProjectPartner(project=project, partner=partner, role=role)
    db.session.add(link)
    history.record(project, actor, "added", "partner", new=history.line_value(partner.name, role))
    db.session.flush()
    return link


def remove_partner(link: ProjectPartner, actor: User) -> None:
    _require_manager(actor)
    project = link.project
    history.record(project, actor, "removed", "partner", old=history.line_value(link.partner.name, link.role))
    project.partners.remove(link)
    db.session.flush()


# Funding lines -------------------------------------------------------------------------------------------------


def _check_source(source: str) -> str:
    if source not in {s.value for s in FundingSource}:
        raise ProjectRuleError({"source": _("Unknown funding source.")})
    return source


def add_funding_line(project: Project, source: str, amount: Decimal, note: str, actor: User) -> FundingLine:
    _require_manager(actor)
    line = FundingLine(project=project, source=_check_source(source), amount=_check_amount(amount), note=note.strip())
    db.session.add(line)
    history.record(project, actor, "added", "funding_line", new=history.line_value(line.source, line.amount, line.note))
    db.session.flush()
    return line


def remove_funding_line(line: FundingLine, actor: User) -> None:
    _require_manager(actor)
    project = line.project
    history.record(
        project, actor, "removed", "funding_line", old=history.line_value(line.source, line.amount, line.note)
    )
    project.funding_lines.remove(line)
    db.session.flush()


# Expenditures --------------------------------------------------------------------------------------------------


def outside_dates_message(project: Project) -> str:
    return _(
        "The date must be within the project's dates (%(start)s to %(end)s).",
        start=format_date(project.start_date),
        end=format_date(project.end_date),
    )


def add_expenditure(
    project: Project,
    data: dict,
    actor: User,
    upload=None,
) -> Expenditure:
    """Record an expenditure. Refuses negative amounts and dates outside the project; exceeding the funding is
    allowed (the view warns, see ``queries.is_overspent``)."""
    _require_manager(actor)
    amount = _check_amount(data["amount"])
    spent_on: date = data["spent_on"]
    if not project.start_date <= spent_on <= project.end_date:
        raise ProjectRuleError({"spent_on": outside_dates_message(project)})
    expenditure = Expenditure(
        project=project,
        spent_on=spent_on,
        amount=amount,
        description=data["description"].strip(),
        source=_check_source(data["source"]),
        recorded_by_id=actor.id,
    )
    if upload is not None and getattr(upload, "filename", ""):
        try:
            name, stored, content_type, size = files.store(upload)
        except files.FileRejected as exc:
            raise ProjectRuleError({"attachment": str(exc)}) from None
        expenditure.attachment_name = name
        expenditure.attachment_stored = stored
        expenditure.attachment_type = content_type
        expenditure.attachment_size = size
    db.session.add(expenditure)
    history.record(
        project,
        actor,
        "added",
        "expenditure",
        new=history.line_value(spent_on, amount, expenditure.description, expenditure.source),
    )
    db.session.flush()
    return expenditure


def remove_expenditure(expenditure: Expenditure, actor: User) -> str | None:
    """Delete an expenditure; returns the stored name of its document, to remove from disk after the commit."""
    _require_manager(actor)
    project = expenditure.project
    history.record(
        project,
        actor,
        "removed",
        "expenditure",
        old=history.line_value(expenditure.spent_on, expenditure.amount, expenditure.description, expenditure.source),
    )
    stored = expenditure.attachment_stored
    project.expenditures.remove(expenditure)
    db.session.flush()
    return stored


# Milestones ----------------------------------------------------------------------------------------------------


def add_milestone(project: Project, title: str, due_on: date, actor: User) -> Milestone:
    _require_manager(actor)
    milestone = Milestone(project=project, title=title.strip(), due_on=due_on, done=False)
    db.session.add(milestone)
    history.record(project, actor, "added", "milestone", new=history.line_value(due_on, milestone.title))
    db.session.flush()
    return milestone


def toggle_milestone(milestone: Milestone, actor: User) -> Milestone:
    _require_manager(actor)
    milestone.done = not milestone.done
    history.record(
        milestone.project,
        actor,
        "done" if milestone.done else "reopened",
        "milestone",
        new=history.line_value(milestone.due_on, milestone.title),
    )
    db.session.flush()
    return milestone


def remove_milestone(milestone: Milestone, actor: User) -> None:
    _require_manager(actor)
    project = milestone.project
    history.record(project, actor, "removed", "milestone", old=history.line_value(milestone.due_on, milestone.title))
    project.milestones.remove(milestone)
    db.session.flush()


# Missions ------------------------------------------------------------------------------------------------------


def link_request_to_project(req: LeaveRequest, project: Project | None, actor: User) -> LeaveRequest:
    """Tie a mission to a project (or, with ``project`` None, untie it). Used by the BRI on the project page and
    by the request form of the leave workflow. The previous project, if any, records the unlink."""
    if not can_link_request(actor, req, project):
        raise NotAllowed
    if project is not None:
        if req.status in UNLINKABLE_STATUSES:
            raise ProjectRuleError({"request_id": _("A cancelled, withdrawn or rejected request cannot be linked.")})
        if project.status == ProjectStatus.CANCELLED.value:
            raise ProjectRuleError({"request_id": _("A cancelled project cannot receive missions.")})
    previous = req.project
    if previous is project:
        return req
    if previous is not None:
        history.record(previous, actor, "unlinked", "mission", old=req.reference)
    req.project = project
    if project is not None:
        history.record(project, actor, "linked", "mission", new=req.reference)
    db.session.flush()
    return req


def unlink_request(req: LeaveRequest, actor: User) -> LeaveRequest:
    return link_request_to_project(req, None, actor)


# Sectors -------------------------------------------------------------------------------------------------------


def save_sector(sector: Sector, data: dict, actor: User) -> Sector:
    _require_manager(actor)
    code = data["code"].strip()
    clash = select(Sector.id).where(Sector.code == code)
    if sector.id is not None:
        clash = clash.where(Sector.id != sector.id)
    if db.session.scalar(clash) is not None:
        raise ProjectRuleError({"code": _("This code is already in the list.")})
    sector.code = code
    sector.name_fr = data["name_fr"].strip()
    sector.name_en = data["name_en"].strip()
    sector.active = str(data.get("active", "1")) == "1"
    db.session.add(sector)
    db.session.flush()
    return sector
