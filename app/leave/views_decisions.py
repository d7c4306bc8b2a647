"""The deciders' pages: the manager's and the BRI's queues, the BRI's list, decisions, cancel, delegations."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app.accounts.models import Department, User
from app.core.authz import roles_required
from app.core.database import montreal_today, utcnow
from app.core.http import abort, get_page
from app.core.i18n import sorted_country_choices
from app.core.uow import commit
from app.extensions import db
from app.leave import bp, delegations, permissions, queries, services
from app.leave.forms import DelegationForm, FilterForm
from app.leave.models import Delegation, LeaveRequest
from app.leave.rules import cycle_usage
from app.leave.template_globals import sees_manager_queue
from app.leave.transitions import RuleError
from app.leave.view_helpers import apply_error, load_request, rollback
from app.leave.views import run_action
from app.projects import queries as project_queries
from app.projects.models import Project
from app.reference.models import Country, ProgrammeCycle


@bp.route("/a-approuver")
@login_required
def manager_queue():
    if not sees_manager_queue(current_user):
        abort(403)
    query = queries.manager_queue(current_user, montreal_today())
    page = db.paginate(query, page=get_page(), per_page=20, error_out=False)
    return render_template("leave/manager_queue.html", page=page, now=utcnow())


def _decision(request_id: int, action: str, relation, service, success: str):
    req = load_request(request_id)
    if not relation(current_user, req):
        abort(403)
    return run_action(
        req,
        lambda comment, version: service(req, current_user, action, comment, expected_version=version),
        success,
    )


@bp.route("/<int:request_id>/gestionnaire/approuver", methods=["POST"])
@login_required
def manager_approve(request_id: int):
    return _decision(
        request_id,
        "manager_approve",
        permissions.acts_as_manager,
        services.manager_decide,
        _("Request approved: the BRI is notified."),
    )


@bp.route("/<int:request_id>/gestionnaire/refuser", methods=["POST"])
@login_required
def manager_reject(request_id: int):
    return _decision(
        request_id, "manager_reject", permissions.acts_as_manager, services.manager_decide, _("Request rejected.")
    )


@bp.route("/<int:request_id>/gestionnaire/modifications", methods=["POST"])
@login_required
def manager_request_changes(request_id: int):
    return _decision(
        request_id,
        "manager_request_changes",
        permissions.acts_as_manager,
        services.manager_decide,
        _("Changes requested: the applicant is notified."),
    )


@bp.route("/<int:request_id>/bri/approuver", methods=["POST"])
@login_required
def bri_approve(request_id: int):
    return _decision(
        request_id, "bri_approve", permissions.acts_as_bri, services.bri_decide, _("Request approved by the BRI.")
    )


@bp.route("/<int:request_id>/bri/refuser", methods=["POST"])
@login_required
def bri_reject(request_id: int):
    return _decision(request_id, "bri_reject", permissions.acts_as_bri, services.bri_decide, _("Request rejected."))


@bp.route("/<int:request_id>/bri/modifications", methods=["POST"])
@login_required
def bri_request_changes(request_id: int):
    return _decision(
        request_id,
        "bri_request_changes",
        permissions.acts_as_bri,
        services.bri_decide,
        _("Changes requested: the applicant is notified."),
    )


@bp.route("/<int:request_id>/annuler", methods=["POST"])
@login_required
def cancel(request_id: int):
    req = load_request(request_id)
    if not permissions.is_bri(current_user) or permissions.is_applicant(current_user, req):
        abort(403)
    return run_action(
        req,
        lambda comment, version: services.cancel_request(req, current_user, comment, expected_version=version),
        _("Mission cancelled."),
    )


@bp.route("/bri/file")
@roles_required("bri")
def bri_queue():
    page = db.paginate(queries.bri_queue(current_user), page=get_page(), per_page=20, error_out=False)
    cycles = db.session.scalars(
        select(ProgrammeCycle)
        .where(ProgrammeCycle.id.in_(select(LeaveRequest.cycle_id).where(LeaveRequest.status == "manager_approved")))
        .order_by(ProgrammeCycle.year)
    ).all()
    usage = cycle_usage([c.id for c in cycles])
    return render_template("leave/bri_queue.html", page=page, cycles=cycles, usage=usage, now=utcnow())


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    cycles = db.session.scalars(select(ProgrammeCycle).order_by(ProgrammeCycle.year.desc())).all()
    form.cycle_id.choices = [SelectChoice(0, _("All"))] + [SelectChoice(c.id, str(c.year)) for c in cycles]
    codes = db.session.scalars(select(LeaveRequest.country_code).distinct()).all()
    codes = sorted(set(codes) | set(db.session.scalars(select(Country.code).where(Country.eligible.is_(True)))))
    form.country_code.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(code, name) for code, name in sorted_country_choices(codes)
    ]
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    form.department_id.choices = [SelectChoice(0, _("All"))] + [SelectChoice(d.id, d.name) for d in departments]
    lang = project_queries.locale()
    projects = db.session.scalars(select(Project).order_by(Project.code)).all()
    form.project_id.choices = [SelectChoice(0, _("All"))] + [
        SelectChoice(p.id, f"{p.code} – {p.title(lang)}") for p in projects
    ]
    return form


@bp.route("/bri/demandes")
@roles_required("bri")
def bri_requests():
    form = _filter_form()
    page = db.paginate(queries.bri_requests(form.filters()), page=get_page(), per_page=20, error_out=False)
    return render_template("leave/bri_requests.html", page=page, form=form)


@bp.route("/delegations", methods=["GET", "POST"], endpoint="delegations")
@login_required
def delegations_page():
    if not permissions.can_delegate(current_user):
        abort(403)
    form = DelegationForm()
    people = db.session.scalars(
        select(User).where(User.active.is_(True), User.id != current_user.id).order_by(User.full_name)
    ).all()
    form.delegate_id.choices = [SelectChoice(u.id, f"{u.full_name} ({u.email})") for u in people]
    if form.validate_on_submit():
        delegate = db.session.get(User, form.delegate_id.data)
        try:
            delegations.create_delegation(
                current_user, delegate, form.starts_on.data, form.ends_on.data, montreal_today()
            )
        except RuleError as exc:
            rollback()
            apply_error(form, exc.field, exc.message)
        else:
            commit()
            flash(_("%(name)s is your delegate for these dates.", name=delegate.full_name), "success")
            return redirect(url_for("leave.delegations"), code=303)
    given = db.session.scalars(
        select(Delegation).where(Delegation.manager_id == current_user.id).order_by(Delegation.starts_on.desc())
    ).all()
    received = db.session.scalars(
        select(Delegation).where(Delegation.delegate_id == current_user.id).order_by(Delegation.starts_on.desc())
    ).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "leave/delegations.html", form=form, given=given, received=received, today=montreal_today()
    ), status


@bp.route("/delegations/<int:delegation_id>/terminer", methods=["POST"])
@login_required
def end_delegation(delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        abort(404)
    if delegation.manager_id != current_user.id:
        abort(403)
    delegations.end_delegation(delegation, current_user)
    db.session.commit()
    flash(_("Delegation ended."), "success")
    return redirect(url_for("leave.delegations"), code=303)
