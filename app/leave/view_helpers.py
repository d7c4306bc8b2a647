"""What the leave views share: loading a request, the choices of the forms, the error pages of an action."""

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from app.core.database import montreal_today
from app.core.http import abort
from app.core.i18n import sorted_country_choices
from app.core.notifications import discard_queued
from app.extensions import db
from app.leave import permissions
from app.leave.forms import ActionForm, AttachmentForm
from app.leave.models import LeaveRequest, Transition
from app.leave.rules import remaining
from app.projects.permissions import can_view_project
from app.projects.queries import active_project_choices, locale
from app.reference.models import Country, PartnerOrganisation, ProgrammeCycle


def load_request(request_id: int) -> LeaveRequest:
    req = db.session.scalar(
        select(LeaveRequest)
        .where(LeaveRequest.id == request_id)
        .options(
            joinedload(LeaveRequest.applicant),
            joinedload(LeaveRequest.cycle),
            joinedload(LeaveRequest.partner),
            joinedload(LeaveRequest.project),
            selectinload(LeaveRequest.attachments),
            selectinload(LeaveRequest.transitions).joinedload(Transition.actor),
            selectinload(LeaveRequest.transitions).joinedload(Transition.on_behalf_of),
        )
    )
    if req is None:
        abort(404, _("This request does not exist."))
    return req


def rollback() -> None:
    db.session.rollback()
    discard_queued()


def apply_error(form, field: str | None, message: str) -> bool:
    """Put ``message`` next to ``field`` of ``form``; False when the form has no such field."""
    if field and field in form:
        form[field].errors = [*form[field].errors, message]
        return True
    return False


def conflict_page(req: LeaveRequest, message: str):
    """409: the request changed since the user saw it. Shows its current status."""
    rollback()
    db.session.expire_all()
    req = db.session.get(LeaveRequest, req.id)
    return (
        render_template("leave/conflict.html", req=req, message=message, code=409, title=_("The request changed")),
        409,
    )


def render_detail(req: LeaveRequest, action_form=None, attachment_form=None, action_error=None, status=200):
    today = montreal_today()
    if action_form is None:
        action_form = ActionForm(formdata=None, version=req.version)
    action_form.version.data = req.version
    budget = remaining(req.cycle) if permissions.is_bri(current_user) else None
    return (
        render_template(
            "leave/detail.html",
            req=req,
            can=permissions.allowed_for(current_user, req, today),
            action_form=action_form,
            attachment_form=attachment_form or AttachmentForm(formdata=None),
            action_error=action_error,
            budget=budget,
            can_download=permissions.can_download_attachment(current_user, req, today),
            project_link=req.project is not None and can_view_project(current_user, req.project),
        ),
        status,
    )


def fill_request_choices(form, req: LeaveRequest | None) -> None:
    today = montreal_today()
    cycles = db.session.scalars(select(ProgrammeCycle).order_by(ProgrammeCycle.year)).all()
    form.cycle_id.choices = [
        SelectChoice(c.id, str(c.year)) for c in cycles if c.is_open_on(today) or (req and c.id == req.cycle_id)
    ]
    codes = db.session.scalars(select(Country.code).where(Country.eligible.is_(True))).all()
    if req and req.country_code and req.country_code not in codes:
        codes.append(req.country_code)
    form.country_code.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(code, name) for code, name in sorted_country_choices(codes)
    ]
    partners = db.session.scalars(select(PartnerOrganisation).order_by(PartnerOrganisation.name)).all()
    from app.core.i18n import country_name

    form.partner_id.choices = [SelectChoice(0, _("— no partner —"))] + [
        SelectChoice(p.id, f"{p.name} ({p.city}, {country_name(p.country_code)})")
        for p in partners
        if p.active or (req and p.id == req.partner_id)
    ]
    form.project_id.choices = [SelectChoice(0, _("— no project —"))] + project_choices(req)


def project_choices(req: LeaveRequest | None) -> list[SelectChoice]:
    """The active projects, and the request's current one even if it is no longer active: editing a draft never
    unlinks it silently."""
    pairs = active_project_choices()
    current = req.project if req is not None else None
    if current is not None and all(pid != current.id for pid, _label in pairs):
        pairs.append((current.id, f"{current.code} – {current.title(locale())}"))
    return [SelectChoice(pid, label) for pid, label in pairs]
