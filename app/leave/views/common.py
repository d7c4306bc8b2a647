"""What the three audiences' views share: loading a request, its page, running an action from it, the 409 page."""

from flask import flash, redirect, render_template, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.models import Role
from app.core.actions import apply_error
from app.core.database import montreal_today, utcnow
from app.core.error_pages import render_conflict
from app.core.errors import FORM_ERROR_STATUS, Invalid
from app.core.http import abort
from app.core.navigation import nav_count
from app.core.uow import unit_of_work
from app.leave import bp, permissions, queries
from app.leave.forms import ActionForm, AttachmentForm, PartnerAskForm, PartnerRecordForm
from app.leave.models import LeaveRequest
from app.leave.services import ConflictError
from app.leave.services.partners import current_confirmation
from app.leave.services.rules import budget_panel


def load_request(request_id: int, loader=queries.request_with_details) -> LeaveRequest:
    req = loader(request_id)
    if req is None:
        abort(404, _("This request does not exist."))
    return req


def load_for_decision(request_id: int) -> LeaveRequest:
    """The request as a decision reads it (one statement); its page, when shown again, is loaded in full."""
    return load_request(request_id, queries.request_for_decision)


def with_contacts(req: LeaveRequest, form: PartnerAskForm) -> PartnerAskForm:
    """The BRI's form to send the confirmation link, offering the host partner's active contacts (a handful)."""
    form.contact_id.choices = [
        SelectChoice(c.id, f"{c.name} <{c.email}>") for c in queries.active_contacts(req.partner_id)
    ]
    return form


def _fresh(form, form_class, req: LeaveRequest):
    """The form shown on the page, carrying the version of the request as it is now."""
    form = form or form_class(formdata=None)
    form.version.data = req.version
    return form


def render_detail(
    req: LeaveRequest,
    action_form=None,
    attachment_form=None,
    action_error=None,
    status=200,
    partner_form=None,
    partner_record_form=None,
):
    today = montreal_today()
    if action_form is None:
        action_form = ActionForm(formdata=None, version=req.version)
    action_form.version.data = req.version
    budget = budget_panel(req) if permissions.is_bri(current_user) else None
    can = permissions.allowed_for(current_user, req, today)
    page = render_template(
        "leave/detail.html",
        req=req,
        can=can,
        reader=permissions.next_step_reader(current_user, req, can),
        # The clash check: who else of the department is away then, beside the decision.
        clashes=queries.clashes(req) if can["manager"] or can["bri"] else None,
        action_form=action_form,
        attachment_form=attachment_form or AttachmentForm(formdata=None),
        action_error=action_error,
        budget=budget,
        can_download=permissions.can_download_attachment(current_user, req, today),
        confirmation=current_confirmation(req),
        now=utcnow(),
        partner_form=with_contacts(req, _fresh(partner_form, PartnerAskForm, req)) if can["partner"] else None,
        partner_record_form=_fresh(partner_record_form, PartnerRecordForm, req),
    )
    return page, status


def act_on_request(req: LeaveRequest, call, success: str, with_form: bool = False):
    """Steps 3 to 5 of an action on the request page: the form, one service call ``call(comment, version)`` (and
    the form, ``with_form``) in a unit of work, flash, 303. A refusal of the data shows the page again with the
    message (422)."""
    request_id = req.id  # read once: after the commit the row is expired, and nothing needs it reloaded
    form = ActionForm()
    if not form.validate_on_submit():
        return render_detail(load_request(request_id), action_form=form, status=FORM_ERROR_STATUS)
    try:
        with unit_of_work():
            extra = (form,) if with_form else ()
            call(form.comment.data or "", form.version.data, *extra)
    except Invalid as exc:
        shown = apply_error(form, exc.field, exc.message)
        req = load_request(request_id)
        return render_detail(
            req, action_form=form, action_error=None if shown else exc.message, status=FORM_ERROR_STATUS
        )
    flash(success, "success")
    return redirect(url_for("leave.detail", request_id=request_id), code=303)


def act_with_form(req: LeaveRequest, form, call, success: str, form_name: str):
    """:func:`act_on_request` for a form of its own on the request page (``form_name``: the ``render_detail``
    argument that shows it again with its errors)."""
    request_id = req.id
    if form.validate_on_submit():
        try:
            with unit_of_work():
                call(form)
        except Invalid as exc:
            apply_error(form, exc.field, exc.message) or flash(exc.message, "danger")
        else:
            flash(success, "success")
            return redirect(url_for("leave.detail", request_id=request_id), code=303)
    return render_detail(load_request(request_id), status=FORM_ERROR_STATUS, **{form_name: form})


def decide(request_id: int, action: str, relation, service, success: str):
    """A decision on the request page: 404, 403 unless ``relation(user, req)``, then the action."""
    req = load_for_decision(request_id)
    if not relation(current_user, req):
        abort(403)
    return act_on_request(
        req,
        lambda comment, version: service(req, current_user, action, comment, expected_version=version),
        success,
    )


@bp.errorhandler(ConflictError)
def _conflict(error: ConflictError):
    """The application's 409 page, under the leave pages' own title."""
    return render_conflict(error, title=_("The request changed"))


def show_manager_queue() -> bool:
    """Jinja: does the reader have an "À approuver" page."""
    if not current_user.is_authenticated:
        return False
    return current_user.has_role(Role.MANAGER) or bool(nav_count("leave_manager_queue", False))


def waiting_time(since) -> str:
    """Jinja: how long a request has been waiting, in words."""
    return format_timedelta(utcnow() - since, threshold=1.1) if since else ""
