"""The pre-departure checklist's pages: the mission's checklist (the applicant completes it; the BRI sees it and
records an exception), an item's document, and the BRI's items of a cycle."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.models import Role
from app.core import uploads
from app.core.actions import run_action
from app.core.authz import roles_required
from app.core.database import montreal_today
from app.core.errors import FORM_ERROR_STATUS
from app.core.http import abort
from app.extensions import db
from app.leave import bp, checklist, permissions
from app.leave.checklist_forms import ChecklistCycleItemForm, ChecklistExceptionForm, ChecklistItemForm
from app.leave.checklist_models import ChecklistEntry
from app.leave.services import checklist as checklist_services
from app.leave.views.common import load_request
from app.reference.models import ProgrammeCycle


def _page(req, forms: dict | None = None, exception_form=None, status: int = 200):
    lines = checklist.lines_of(req)
    fill = permissions.can_fill_checklist(current_user, req)
    forms = forms or {}
    if fill:
        for line in lines:
            if line.key not in forms:
                forms[line.key] = ChecklistItemForm.of_entry(line.key, line.entry)
    excepting = permissions.can_except_checklist(current_user, req)
    if excepting and exception_form is None:
        exception_form = ChecklistExceptionForm(formdata=None, version=req.version)
    if exception_form is not None:
        exception_form.version.data = req.version
    page = render_template(
        "leave/checklist.html",
        req=req,
        lines=lines,
        readiness=checklist.readiness_of(lines),
        forms=forms if fill else {},
        exception_form=exception_form if excepting else None,
        exception=checklist.exception_of(req),
        passport_until=checklist.passport_needed_until(req),
        manages_cycle_items=permissions.is_bri(current_user),
    )
    return page, status


@bp.route("/<int:request_id>/preparatifs", endpoint="checklist")
@login_required
def checklist_page(request_id: int):
    req = load_request(request_id)
    if not permissions.can_view(current_user, req):
        abort(403)
    return _page(req)[0]


@bp.route("/<int:request_id>/preparatifs/<string:key>", methods=["POST"])
@login_required
def checklist_fill(request_id: int, key: str):
    """The applicant completes one item (its own form, its own fields)."""
    req = load_request(request_id)
    if not permissions.is_applicant(current_user, req):
        abort(403)
    if not permissions.can_fill_checklist(current_user, req):
        raise checklist_services.not_fillable(req)
    try:
        checklist_services.checklist_item(req, key)
    except LookupError:
        abort(404)
    form = ChecklistItemForm(key)
    if form.validate_on_submit():
        outcome = run_action(
            lambda: checklist_services.fill_checklist_item(req, key, form.item_data(), current_user, montreal_today()),
            form=form,
        )
        if outcome.ok:
            flash(_("Checklist item completed."), "success")
            return redirect(url_for("leave.checklist", request_id=request_id, _anchor=f"item-{key}"), code=303)
    return _page(load_request(request_id), forms={key: form}, status=FORM_ERROR_STATUS)


@bp.route("/<int:request_id>/preparatifs/<string:key>/document")
@login_required
def checklist_document(request_id: int, key: str):
    req = load_request(request_id)
    if not (permissions.is_applicant(current_user, req) or permissions.is_bri(current_user)):
        abort(403)
    entry = db.session.scalar(
        select(ChecklistEntry).where(ChecklistEntry.request_id == req.id, ChecklistEntry.key == key[:20])
    )
    if entry is None or not entry.stored_name:
        abort(404, _("This file does not exist."))
    return uploads.send(entry.stored_name, entry.original_name, entry.content_type)


@bp.route("/<int:request_id>/preparatifs/derogation", methods=["POST"])
@login_required
def checklist_exception(request_id: int):
    """The BRI lets the mission start although its checklist is incomplete (the comment says why)."""
    req = load_request(request_id)
    if not permissions.acts_as_checklist_excepter(current_user, req):
        abort(403)
    form = ChecklistExceptionForm()
    if form.validate_on_submit():
        outcome = run_action(
            lambda: checklist_services.record_checklist_exception(
                req, current_user, form.comment.data or "", form.version.data
            ),
            form=form,
        )
        if outcome.ok:
            flash(_("Exception recorded: the mission starts on its date."), "success")
            return redirect(url_for("leave.detail", request_id=request_id), code=303)
    return _page(load_request(request_id), exception_form=form, status=FORM_ERROR_STATUS)


@bp.route("/bri/cycles/<int:cycle_id>/preparatifs", methods=["GET", "POST"])
@roles_required(Role.BRI)
def checklist_cycle_items(cycle_id: int):
    """The items the BRI adds to the checklists of a cycle's missions."""
    cycle = db.session.get(ProgrammeCycle, cycle_id) or abort(404)
    form = ChecklistCycleItemForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            outcome = run_action(
                lambda: checklist_services.add_cycle_item(
                    cycle, form.label_fr.data, form.label_en.data, form.document_required.data, current_user
                ),
                form=form,
            )
            if outcome.ok:
                flash(_("Checklist item added to the cycle."), "success")
                return redirect(url_for("leave.checklist_cycle_items", cycle_id=cycle_id), code=303)
        status = FORM_ERROR_STATUS
    items = checklist.cycle_items(cycle.id)
    return render_template("leave/checklist_cycle.html", cycle=cycle, items=items, form=form), status
