"""The employee's pages: their requests, the form, the request page, submit, withdraw, attachments."""

import secrets
from datetime import date

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.core.http import abort, get_page
from app.core.uow import commit
from app.extensions import db
from app.leave import attachments, bp, permissions, services
from app.leave.forms import ActionForm, AttachmentForm, LeaveRequestForm
from app.leave.models import Attachment, LeaveRequest
from app.leave.queries import my_requests as my_requests_query
from app.leave.rules import working_days as count_working_days
from app.leave.services import NotAllowedError
from app.leave.transitions import ConflictError, RuleError
from app.leave.view_helpers import (
    apply_error,
    conflict_page,
    fill_request_choices,
    load_request,
    render_detail,
    rollback,
)


@bp.route("/")
@login_required
def my_requests():
    page = db.paginate(my_requests_query(current_user), page=get_page(), per_page=20, error_out=False)
    return render_template("leave/my_requests.html", page=page)


def _save_form(form: LeaveRequestForm, req: LeaveRequest | None):
    submit = bool(form.save_submit.data)
    try:
        if req is None:
            req, created = services.create_request(
                current_user, form.data_for_service(), creation_token=form.creation_token.data, submit=submit
            )
        else:
            services.update_request(
                req, current_user, form.data_for_service(), expected_version=form.version.data, submit=submit
            )
    except NotAllowedError:
        rollback()
        abort(403)
    except ConflictError as exc:
        return conflict_page(req, exc.message) if req is not None else abort(409)
    except RuleError as exc:
        rollback()
        if not apply_error(form, exc.field, exc.message):
            flash(exc.message, "danger")
        return None
    except IntegrityError:  # the same creation form sent twice at the same moment: the first one won
        rollback()
        req = db.session.scalar(db.select(LeaveRequest).filter_by(creation_token=form.creation_token.data))
        if req is None or req.applicant_id != current_user.id:
            raise
        return redirect(url_for("leave.detail", request_id=req.id), code=303)
    commit()
    flash(_("Request %(ref)s submitted.", ref=req.reference) if submit else _("Draft saved."), "success")
    return redirect(url_for("leave.detail", request_id=req.id), code=303)


@bp.route("/nouvelle", methods=["GET", "POST"])
@login_required
def new_request():
    form = LeaveRequestForm()
    fill_request_choices(form, None)
    if request.method == "GET":
        form.creation_token.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        response = _save_form(form, None)
        if response is not None:
            return response
    status = 422 if request.method == "POST" else 200
    return render_template("leave/form.html", form=form, req=None, preview=_preview(form)), status


@bp.route("/<int:request_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_edit(current_user, req):
        return conflict_page(req, _("This request can no longer be edited in its current status."))
    form = LeaveRequestForm(obj=req)
    fill_request_choices(form, req)
    if request.method == "GET":
        form.partner_id.data = req.partner_id or 0
        form.project_id.data = req.project_id or 0
        form.version.data = req.version
    if form.validate_on_submit():
        response = _save_form(form, req)
        if response is not None:
            return response
    status = 422 if request.method == "POST" else 200
    return render_template("leave/form.html", form=form, req=req, preview=_preview(form)), status


def _preview(form: LeaveRequestForm) -> dict:
    """The working days and the total, computed by the server from what the form holds."""
    costs = [getattr(form, name).data for name in form.COST_FIELDS]
    dates = (form.start_date.data, form.end_date.data)
    return {
        "working_days": count_working_days(*dates) if all(isinstance(d, date) for d in dates) else None,
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
    if (end - start).days > 366:
        return jsonify({"working_days": None}), 400
    return jsonify({"working_days": count_working_days(start, end)})


@bp.route("/<int:request_id>")
@login_required
def detail(request_id: int):
    req = load_request(request_id)
    if not permissions.can_view(current_user, req):
        abort(403)
    return render_detail(req)[0]


def run_action(req: LeaveRequest, call, success: str):
    """Steps 3 to 5 of an action view: the form, one service call, commit, flash, 303."""
    form = ActionForm()
    if not form.validate_on_submit():
        return render_detail(req, action_form=form, status=422)
    try:
        call(form.comment.data or "", form.version.data)
    except NotAllowedError:
        rollback()
        abort(403)
    except ConflictError as exc:
        return conflict_page(req, exc.message)
    except RuleError as exc:
        rollback()
        db.session.expire_all()
        req = load_request(req.id)
        shown = apply_error(form, exc.field, exc.message)
        return render_detail(req, action_form=form, action_error=None if shown else exc.message, status=422)
    commit()
    flash(success, "success")
    return redirect(url_for("leave.detail", request_id=req.id), code=303)


@bp.route("/<int:request_id>/soumettre", methods=["POST"])
@login_required
def submit(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    return run_action(
        req,
        lambda comment, version: services.submit_request(req, current_user, expected_version=version),
        _("Request submitted: your manager is notified."),
    )


@bp.route("/<int:request_id>/retirer", methods=["POST"])
@login_required
def withdraw(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    return run_action(
        req,
        lambda comment, version: services.withdraw_request(req, current_user, comment, expected_version=version),
        _("Request withdrawn."),
    )


@bp.route("/<int:request_id>/pieces-jointes", methods=["POST"])
@login_required
def upload_attachment(request_id: int):
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_manage_attachments(current_user, req):
        return conflict_page(req, _("Attachments can no longer be changed in the request's current status."))
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            attachments.save_attachment(req, form.file.data, "request", current_user)
        except RuleError as exc:
            rollback()
            form.file.errors = [*form.file.errors, exc.message]
        else:
            db.session.commit()
            flash(_("File attached."), "success")
            return redirect(url_for("leave.detail", request_id=req.id), code=303)
    db.session.expire_all()
    return render_detail(load_request(request_id), attachment_form=form, status=422)


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
    if not permissions.is_applicant(current_user, req) or attachment.purpose != "request":
        abort(403)
    if not permissions.can_manage_attachments(current_user, req):
        return conflict_page(req, _("Attachments can no longer be changed in the request's current status."))
    attachments.delete_attachment(attachment)
    db.session.commit()
    attachments.remove_deleted_files()
    flash(_("File removed."), "success")
    return redirect(url_for("leave.detail", request_id=req.id), code=303)


@bp.route("/<int:request_id>/pieces-jointes/<int:attachment_id>")
@login_required
def download_attachment(request_id: int, attachment_id: int):
    req = load_request(request_id)
    attachment = _attachment_of(req, attachment_id)
    if not permissions.can_download_attachment(current_user, req):
        abort(403)
    return attachments.send_attachment(attachment)
