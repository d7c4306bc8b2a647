"""The BRI's side: the queue of reports to review, the decision on a report, the archive of closed missions."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.core.authz import roles_required
from app.core.database import montreal_today
from app.core.http import abort, get_page
from app.core.i18n import sorted_country_choices
from app.core.uow import commit
from app.extensions import db
from app.leave.models import Transition
from app.leave.services import ConflictError, RuleError
from app.reports import bp, queries, services
from app.reports.forms import ArchiveSearchForm, DecisionForm
from app.reports.helpers import load_request
from app.reports.permissions import can_read_report_text, can_review_report, can_write_report, could_review_report
from app.reports.views import render_conflict

REPORT_ACTIONS = ("end_mission", "submit_report", "return_report", "accept_report")
ARCHIVE_FILTERS = ("q", "country", "partner", "department", "cycle", "year", "project")


def render_report_page(req, decision_form: DecisionForm | None = None, status: int = 200):
    """The report beside the request it belongs to, with the BRI's decision forms when they apply."""
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
        decision_form.version.data = req.version
    history = db.session.scalars(
        select(Transition)
        .options(joinedload(Transition.actor))
        .where(Transition.request_id == req.id, Transition.action.in_(REPORT_ACTIONS))
        .order_by(Transition.id)
    ).all()
    return render_template(
        "reports/view.html",
        req=req,
        report=req.mission_report,
        files=[a for a in req.attachments if a.purpose == "report"],
        history=history,
        decision_form=decision_form,
        can_read=can_read_report_text(current_user, req),
        can_write=can_write_report(current_user, req),
        can_review=can_review_report(current_user, req),
    ), status


def _load_for_review(request_id: int):
    """Load (404); a BRI officer other than the applicant may decide (403); a report already decided is a 409."""
    req = load_request(request_id)
    if not could_review_report(current_user, req):
        abort(403)
    if not can_review_report(current_user, req):
        return req, render_conflict(
            req, _("This report is no longer waiting for a decision: it was already accepted or returned.")
        )
    return req, None


def _version(form: DecisionForm) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


@bp.route("/<int:request_id>/accepter", methods=["POST"])
@roles_required("bri")
def accept(request_id: int):
    req, response = _load_for_review(request_id)
    if response is not None:
        return response
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_report_page(req, form, 422)
    try:
        services.accept_report(req, current_user, _version(form))
    except ConflictError as exc:
        return render_conflict(req, str(exc.message))
    commit()
    flash(_("The report is accepted: the mission %(reference)s is closed.", reference=req.reference), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/<int:request_id>/retourner", methods=["POST"])
@roles_required("bri")
def return_(request_id: int):
    req, response = _load_for_review(request_id)
    if response is not None:
        return response
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_report_page(req, form, 422)
    try:
        services.return_report(req, current_user, form.comment.data, _version(form))
    except RuleError as exc:
        db.session.rollback()
        form.comment.errors = [*form.comment.errors, str(exc.message)]
        return render_report_page(req, form, 422)
    except ConflictError as exc:
        return render_conflict(req, str(exc.message))
    commit()
    flash(_("The report is returned to %(name)s for revision.", name=req.applicant.full_name), "success")
    return redirect(url_for("reports.view", request_id=req.id), code=303)


@bp.route("/a-examiner")
@roles_required("bri")
def queue():
    page = db.paginate(
        queries.queue_query(), page=get_page(), per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False
    )
    return render_template("reports/queue.html", page=page, today=montreal_today())


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _archive_form() -> ArchiveSearchForm:
    form = ArchiveSearchForm(request.args)
    choices = queries.archive_choices()
    everything = SelectChoice("", _("All"))
    form.country.choices = [everything] + [
        SelectChoice(code, name) for code, name in sorted_country_choices(choices["countries"])
    ]
    form.partner.choices = [everything] + [SelectChoice(str(p.id), p.name) for p in choices["partners"]]
    form.department.choices = [everything] + [SelectChoice(str(d.id), d.name) for d in choices["departments"]]
    form.cycle.choices = [everything] + [SelectChoice(str(c.id), str(c.year)) for c in choices["cycles"]]
    lang = get_locale().language  # projects have titles in "fr" and "en"
    form.project.choices = [everything] + [
        SelectChoice(str(p.id), f"{p.code} – {p.title(lang)}") for p in choices["projects"]
    ]
    return form


@bp.route("/archive")
@roles_required("bri")
def archive():
    form = _archive_form()
    valid = form.validate()
    filters = queries.ArchiveFilters(
        q=(form.q.data or "").strip(),
        country=form.country.data or "",
        partner_id=_int_or_none(form.partner.data),
        department_id=_int_or_none(form.department.data),
        cycle_id=_int_or_none(form.cycle.data),
        year=form.year.data if valid else None,
        project_id=_int_or_none(form.project.data),
    )
    page = db.paginate(
        queries.archive_query(filters), page=get_page(), per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False
    )
    searched = any(request.args.get(name) for name in ARCHIVE_FILTERS)
    return render_template("reports/archive.html", page=page, form=form, searched=searched)
