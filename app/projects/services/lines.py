"""The lines of a project: partners, funding lines, expenditures (and their documents), milestones. Each change
writes its row of the history."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from app.accounts.models import User
from app.core import uploads
from app.extensions import db
from app.projects.models import (
    DOCUMENT_FOLDER,
    ChangeAction,
    ChangeField,
    Expenditure,
    FundingLine,
    Milestone,
    PartnerRole,
    Project,
    ProjectPartner,
)
from app.projects.services.changes import line_value, record_change
from app.projects.services.rules import (
    ProjectRuleError,
    check_amount,
    check_source,
    outside_dates_message,
    require_manager,
)
from app.reference.models import PartnerOrganisation

# Partners ------------------------------------------------------------------------------------------------------


def add_partner(project: Project, partner: PartnerOrganisation | None, role: str, actor: User) -> ProjectPartner:
    require_manager(actor)
    if partner is None:
        raise ProjectRuleError(errors={"partner_id": _("Choose a partner organisation.")})
    if role not in PartnerRole.labels():
        raise ProjectRuleError(errors={"role": _("Unknown role.")})
    if any(p.partner_id == partner.id and p.role == role for p in project.partners):
        raise ProjectRuleError(errors={"partner_id": _("This partner already has this role in the project.")})
    link = ProjectPartner(project=project, partner=partner, role=role)
    db.session.add(link)
    record_change(project, actor, ChangeAction.ADDED, ChangeField.PARTNER, new=line_value(partner.name, role))
    db.session.flush()
    return link


def remove_partner(link: ProjectPartner, actor: User) -> None:
    require_manager(actor)
    project = link.project
    old = line_value(link.partner.name, link.role)
    record_change(project, actor, ChangeAction.REMOVED, ChangeField.PARTNER, old=old)
    project.partners.remove(link)
    db.session.flush()


# Funding lines -------------------------------------------------------------------------------------------------


def add_funding_line(project: Project, source: str, amount: Decimal, note: str, actor: User) -> FundingLine:
    require_manager(actor)
    line = FundingLine(project=project, source=check_source(source), amount=check_amount(amount), note=note.strip())
    db.session.add(line)
    new = line_value(line.source, line.amount, line.note)
    record_change(project, actor, ChangeAction.ADDED, ChangeField.FUNDING_LINE, new=new)
    db.session.flush()
    return line


def remove_funding_line(line: FundingLine, actor: User) -> None:
    require_manager(actor)
    project = line.project
    old = line_value(line.source, line.amount, line.note)
    record_change(project, actor, ChangeAction.REMOVED, ChangeField.FUNDING_LINE, old=old)
    project.funding_lines.remove(line)
    db.session.flush()


# Expenditures --------------------------------------------------------------------------------------------------


def add_expenditure(project: Project, data: dict, actor: User, upload=None) -> Expenditure:
    """Record an expenditure. Refuses negative amounts and dates outside the project; exceeding the funding is
    allowed (the view warns, see ``queries.is_overspent``)."""
    require_manager(actor)
    amount = check_amount(data["amount"])
    spent_on: date = data["spent_on"]
    if not project.start_date <= spent_on <= project.end_date:
        raise ProjectRuleError(errors={"spent_on": outside_dates_message(project)})
    expenditure = Expenditure(
        project=project,
        spent_on=spent_on,
        amount=amount,
        description=data["description"].strip(),
        source=check_source(data["source"]),
        recorded_by_id=actor.id,
    )
    if upload is not None and getattr(upload, "filename", ""):
        _attach_document(expenditure, upload)
    db.session.add(expenditure)
    new = line_value(spent_on, amount, expenditure.description, expenditure.source)
    record_change(project, actor, ChangeAction.ADDED, ChangeField.EXPENDITURE, new=new)
    db.session.flush()
    return expenditure


def _attach_document(expenditure: Expenditure, upload) -> None:
    """Store the supporting document (removed again if the transaction is rolled back)."""
    try:
        stored = uploads.store(
            upload, folder=DOCUMENT_FOLDER, refused=_("Only PDF, JPEG, PNG and Word (DOCX) files are accepted.")
        )
    except uploads.UploadRejected as exc:
        raise ProjectRuleError(errors={"attachment": exc.message}) from None
    expenditure.attachment_name = stored.original_name
    expenditure.attachment_stored = stored.stored_name
    expenditure.attachment_type = stored.content_type
    expenditure.attachment_size = stored.size


def remove_expenditure(expenditure: Expenditure, actor: User) -> None:
    """Delete an expenditure; its document goes once the deletion is committed."""
    require_manager(actor)
    project = expenditure.project
    old = line_value(expenditure.spent_on, expenditure.amount, expenditure.description, expenditure.source)
    record_change(project, actor, ChangeAction.REMOVED, ChangeField.EXPENDITURE, old=old)
    uploads.discard(expenditure.attachment_stored, folder=DOCUMENT_FOLDER)
    project.expenditures.remove(expenditure)
    db.session.flush()


# Milestones ----------------------------------------------------------------------------------------------------


def add_milestone(project: Project, title: str, due_on: date, actor: User) -> Milestone:
    require_manager(actor)
    milestone = Milestone(project=project, title=title.strip(), due_on=due_on, done=False)
    db.session.add(milestone)
    record_change(project, actor, ChangeAction.ADDED, ChangeField.MILESTONE, new=line_value(due_on, milestone.title))
    db.session.flush()
    return milestone


def toggle_milestone(milestone: Milestone, actor: User) -> Milestone:
    require_manager(actor)
    milestone.done = not milestone.done
    action = ChangeAction.DONE if milestone.done else ChangeAction.REOPENED
    new = line_value(milestone.due_on, milestone.title)
    record_change(milestone.project, actor, action, ChangeField.MILESTONE, new=new)
    db.session.flush()
    return milestone


def remove_milestone(milestone: Milestone, actor: User) -> None:
    require_manager(actor)
    project = milestone.project
    old = line_value(milestone.due_on, milestone.title)
    record_change(project, actor, ChangeAction.REMOVED, ChangeField.MILESTONE, old=old)
    project.milestones.remove(milestone)
    db.session.flush()
