"""The employee's pages: their requests, the form, the request page, submit, withdraw, attachments."""

import secrets
from datetime import date

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from app.core.actions import form_status, run_action
from app.core.database import montreal_today
from app.core.errors import FORM_ERROR_STATUS
from app.core.http import abort
from app.core.i18n import sorted_country_choices
from app.core.pagination import paginate
from app.core.registry import extended_form, registry_of
from app.core.sorting import choose_sort
from app.core.uow import rollback
from app.core.workdays import working_days as count_working_days
from app.extensions import db
from app.leave import bp, permissions, queries
from app.leave.forms import MAX_MISSION_DAYS, AttachmentForm, LeaveRequestForm
from app.leave.models import Attachment, LeaveRequest
from app.leave.services import ConflictError
from app.leave.services import attachments as attachment_services
from app.leave.services import requests as request_services
from app.leave.services.rules import default_cycle
from app.leave.views.common import act_on_request, load_request, render_detail
from app.reference.advisories import advisory_of
from app.reference.models import ProgrammeCycle
from app.reference.queries import eligible_country_codes


@bp.route("/")
@login_required
def my_requests():
    sort = choose_sort(queries.MY_SORTS)
    page = paginate(sort.apply(queries.my_requests(current_user)))
    return render_template("leave/my_requests.html", page=page, sort=sort)


def _with_advisory(code: str, name: str) -> str:
    advisory = advisory_of(code)
    return f"{name} ({advisory.text})" if advisory else name


def _request_form(req: LeaveRequest | None, **kwargs) -> LeaveRequestForm:
    """The request form with the fields the domains above add (point ``leave.request_form``) and every choice."""
    form = extended_form(LeaveRequestForm, "leave.request_form")(**kwargs)
    today = montreal_today()
    cycles = db.session.scalars(select(ProgrammeCycle).order_by(ProgrammeCycle.year)).all()
    offered = [c for c in cycles if c.is_open_on(today) or (req and c.id == req.cycle_id)]
    form.cycle_id.choices = [SelectChoice(0, _("— according to the mission's dates —"))] + [
        SelectChoice(c.id, str(c.year)) for c in offered
    ]
    form.cycle_periods = offered  # the help of the field says each cycle's missions' period
    if req is None and request.method == "GET":
        chosen = default_cycle(today)
        form.cycle_id.data = chosen.id if chosen else 0
    codes = list(eligible_country_codes())
    if req and req.country_code and req.country_code not in codes:
        codes.append(req.country_code)
    # Each country with its travel advisory, from the reference cache (no statement).
    form.country_code.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(code, _with_advisory(code, name)) for code, name in sorted_country_choices(codes)
    ]
    for ext in registry_of().extensions("leave.request_form"):
        ext.fill(form, req)
    return form


def _save(form: LeaveRequestForm, req: LeaveRequest | None):
    """Steps 4 and 5 of the form: one service call, flash, 303; None when the data are refused."""
    submit, data = bool(form.save_submit.data), form.data_for_service()
    try:
        if req is None:
            outcome = run_action(
                lambda: request_services.create_request(
                    current_user, data, creation_token=form.creation_token.data, submit=submit
                )[0],
                form=form,
            )
        else:
            outcome = run_action(
                lambda: request_services.update_request(
                    req, current_user, data, expected_version=form.version.data, submit=submit
                ),
                form=form,
            )
    except IntegrityError:  # the same creation form sent twice at the same moment: the first one won
        rollback()
        first = db.session.scalar(select(LeaveRequest).filter_by(creation_token=form.creation_token.data))
        if first is None or first.applicant_id != current_user.id:
            raise
        return redirect(url_for("leave.detail", request_id=first.id), code=303)
    if not outcome.ok:
        return None
    flash(_("Request %(ref)s submitted.", ref=outcome.value.reference) if submit else _("Draft saved."), "success")
    return redirect(url_for("leave.detail", request_id=outcome.value.id), code=303)


def _render_form(form: LeaveRequestForm, req: LeaveRequest | None):
    return render_template("leave/form.html", form=form, req=req, preview=_preview(form)), form_status()


@bp.route("/nouvelle", methods=["GET", "POST"])
@login_required
def new_request():
    form = _request_form(None)
    if request.method == "GET":
        form.creation_token.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return _render_form(form, None)


@bp.route("/<int:request_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_edit(current_user, req):
        raise ConflictError(_("This request can no longer be edited in its current status."), req)
    form = _request_form(req, obj=req)
    if request.method == "GET":
        form.partner_id.data = req.partner_id or 0
        form.version.data = req.version
    if form.validate_on_submit():
        response = _save(form, req)
        if response is not None:
            return response
    return _render_form(form, req)


def _preview(form: LeaveRequestForm) -> dict:
    """The working days and the total, computed by the server from what the form holds."""
    costs = [getattr(form, name).data for name in form.COST_FIELDS]
    start, end = form.start_date.data, form.end_date.data
    counted = isinstance(start, date) and isinstance(end, date) and (end - start).days <= MAX_MISSION_DAYS
    return {
        "working_days": count_working_days(start, end) if counted else None,
        "total": sum((c for c in costs if c is not None), 0),
    }


@bp.route("/jours-ouvrables")
@login_required
def working_days():
    """JSON: the working days between two dates (the form shows them as the dates change)."""
    try:
        start = date.fromisoformat(request.args.get("start", ""))
        end = date.fromisoformat(request.args.get("end", ""))
    except ValueError:
        return jsonify({"working_days": None}), 400
    if (end - start).days > MAX_MISSION_DAYS:
        return jsonify({"working_days": None}), 400
    return jsonify({"working_days": count_working_days(start, end)})


@bp.route("/<int:request_id>")
@login_required
def detail(request_id: int):
    req = load_request(request_id)
    if not permissions.can_view(current_user, req):
        abort(403)
    return render_detail(req)[0]


@bp.route("/<int:request_id>/soumettre", methods=["POST"])
@login_required
def submit(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    return act_on_request(
        req,
        lambda comment, version: request_services.submit_request(req, current_user, expected_version=version),
        _("Request submitted: your manager is notified."),
    )


@bp.route("/<int:request_id>/retirer", methods=["POST"])
@login_required
def withdraw(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    return act_on_request(
        req,
        lambda comment, version: request_services.withdraw_request(
            req, current_user, comment, expected_version=version
        ),
        _("Request withdrawn."),
    )


def _attachments_editable(req: LeaveRequest) -> None:
    """403 for anyone but the applicant, 409 once the request's files can no longer change."""
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_manage_attachments(current_user, req):
        raise ConflictError(_("Attachments can no longer be changed in the request's current status."), req)


@bp.route("/<int:request_id>/pieces-jointes", methods=["POST"])
@login_required
def upload_attachment(request_id: int):
    """A file added to the request; after its submission (until the BRI's decision) also in its history."""
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_add_attachment(current_user, req):
        raise attachment_services.no_more_files(req)
    form = AttachmentForm()
    if form.validate_on_submit():
        submitted = not permissions.can_manage_attachments(current_user, req)
        outcome = run_action(
            lambda: attachment_services.add_request_attachment(req, form.file.data, current_user, montreal_today()),
            form=form,
        )
        if outcome.ok:
            flash(
                _("File attached. It is in the request's history, and whoever decides next is told.")
                if submitted
                else _("File attached."),
                "success",
            )
            return redirect(url_for("leave.detail", request_id=req.id), code=303)
    return render_detail(load_request(request_id), attachment_form=form, status=FORM_ERROR_STATUS)


def _attachment_of(req: LeaveRequest, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.request_id != req.id:
        abort(404, _("This file does not exist."))
    return attachment


@bp.route("/<int:request_id>/pieces-jointes/<int:attachment_id>/supprimer", methods=["POST"])
@login_required
def delete_attachment(request_id: int, attachment_id: int):
    req = load_request(request_id)
    attachment = _attachment_of(req, attachment_id)
    if attachment.purpose != "request":
        abort(403)
    _attachments_editable(req)
    run_action(lambda: attachment_services.delete_attachment(attachment))
    flash(_("File removed."), "success")
    return redirect(url_for("leave.detail", request_id=req.id), code=303)


@bp.route("/<int:request_id>/pieces-jointes/<int:attachment_id>")
@login_required
def download_attachment(request_id: int, attachment_id: int):
    req = load_request(request_id)
    attachment = _attachment_of(req, attachment_id)
    if not permissions.can_download_attachment(current_user, req):
        abort(403)
    return attachment_services.send_attachment(attachment)
