"""The manager's pages: the queue "À approuver", the manager's decisions (or their delegate's), delegations."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import User
from app.core.actions import form_status, run_action
from app.core.database import montreal_today, utcnow
from app.core.http import abort
from app.core.pagination import paginate
from app.core.sorting import choose_sort
from app.extensions import db
from app.leave import bp, permissions, queries
from app.leave.forms import DelegationForm
from app.leave.models import Delegation
from app.leave.services import decisions
from app.leave.services import delegations as delegation_services
from app.leave.views.common import decide


@bp.route("/a-approuver")
@login_required
def manager_queue():
    if not permissions.can_see_manager_queue(current_user):
        abort(403)
    sort = choose_sort(queries.QUEUE_SORTS, queries.QUEUE_DEFAULT)
    page = paginate(sort.apply(queries.manager_queue(current_user, montreal_today())))
    return render_template("leave/manager_queue.html", page=page, now=utcnow(), sort=sort)


def _manager_decision(request_id: int, action: str, success: str):
    return decide(request_id, action, permissions.acts_as_manager, decisions.manager_decide, success)


@bp.route("/<int:request_id>/gestionnaire/approuver", methods=["POST"])
@login_required
def manager_approve(request_id: int):
    return _manager_decision(request_id, "manager_approve", _("Request approved: the BRI is notified."))


@bp.route("/<int:request_id>/gestionnaire/refuser", methods=["POST"])
@login_required
def manager_reject(request_id: int):
    return _manager_decision(request_id, "manager_reject", _("Request rejected."))


@bp.route("/<int:request_id>/gestionnaire/modifications", methods=["POST"])
@login_required
def manager_request_changes(request_id: int):
    return _manager_decision(request_id, "manager_request_changes", _("Changes requested: the applicant is notified."))


@bp.route("/delegations", methods=["GET", "POST"], endpoint="delegations")
@login_required
def delegations_page():
    if not permissions.can_delegate(current_user):
        abort(403)
    form = DelegationForm()
    if form.validate_on_submit():
        delegate = db.session.get(User, form.delegate_id.data)
        outcome = run_action(
            lambda: delegation_services.create_delegation(
                current_user, delegate, form.starts_on.data, form.ends_on.data, montreal_today()
            ),
            form=form,
        )
        if outcome.ok:
            flash(_("%(name)s is your delegate for these dates.", name=delegate.full_name), "success")
            return redirect(url_for("leave.delegations"), code=303)
    page = render_template(
        "leave/delegations.html",
        form=form,
        given=queries.delegations_given(current_user),
        received=queries.delegations_received(current_user),
        today=montreal_today(),
    )
    return page, form_status()


@bp.route("/delegations/<int:delegation_id>/terminer", methods=["POST"])
@login_required
def end_delegation(delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        abort(404)
    if delegation.manager_id != current_user.id:
        abort(403)
    run_action(lambda: delegation_services.end_delegation(delegation, current_user))
    flash(_("Delegation ended."), "success")
    return redirect(url_for("leave.delegations"), code=303)
