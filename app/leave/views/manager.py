"""The manager's pages: the queue "À approuver", the manager's decisions (or their delegate's), delegations."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.accounts.models import User
from app.core.actions import form_status, run_action
from app.core.database import montreal_today, utcnow
from app.core.errors import Conflict, Invalid
from app.core.http import abort
from app.core.pagination import paginate
from app.core.sorting import choose_sort
from app.core.uow import unit_of_work
from app.extensions import db
from app.leave import bp, labels, permissions, queries
from app.leave.forms import BulkApprovalForm, DelegationForm
from app.leave.models import Delegation
from app.leave.services import NotAllowedError, decisions
from app.leave.services import delegations as delegation_services
from app.leave.views.common import decide


def _render_queue(form: BulkApprovalForm):
    sort = choose_sort(queries.QUEUE_SORTS, queries.QUEUE_DEFAULT)
    page = paginate(sort.apply(queries.manager_queue(current_user, montreal_today())))
    return render_template("leave/manager_queue.html", page=page, form=form, now=utcnow(), sort=sort), form_status()


@bp.route("/a-approuver")
@login_required
def manager_queue():
    if not permissions.can_see_manager_queue(current_user):
        abort(403)
    return _render_queue(BulkApprovalForm(formdata=None))


def _approve_ticked(request_id: int, version: int, comment: str) -> tuple[str | None, str | None]:
    """One ticked request approved as a single decision is: loaded, the same permission, the version the manager saw,
    the same service, its own unit of work (its commit, then its notifications). (reference, None) when approved,
    (reference or None, why it was left as it is) otherwise; a refusal rolls back this request only."""
    reference = status = None
    try:
        with unit_of_work():
            req = queries.request_for_decision(request_id)
            if req is None or not permissions.acts_as_manager(current_user, req):
                raise NotAllowedError(_("You do not decide on this request."))
            reference, status = req.reference, req.status
            decisions.manager_decide(req, current_user, "manager_approve", comment, expected_version=version)
    except NotAllowedError:
        # Never say whose request an id slipped into the form is: the id alone names it.
        return None, _("Request no. %(id)s was not approved: you do not decide on it.", id=request_id)
    except Conflict:
        if status not in (None, "submitted"):
            reason = _("it was decided in the meantime (now: %(status)s)", status=labels.status_label(status))
        else:
            reason = _("it changed since the page was shown: open it to see what changed")
        return reference, _("%(reference)s was not approved: %(reason)s.", reference=reference, reason=reason)
    except Invalid as exc:
        return reference, _("%(reference)s was not approved: %(reason)s", reference=reference, reason=exc.message)
    return reference, None


@bp.route("/a-approuver/approuver", methods=["POST"])
@login_required
def manager_bulk_approve():
    """Approve the ticked requests of the queue: each in its own unit of work, so that a stale or refused one
    leaves the others approved; the summary says which were approved and why the others were not."""
    if not permissions.can_see_manager_queue(current_user):
        abort(403)
    form = BulkApprovalForm()
    if not form.validate_on_submit():
        return _render_queue(form)
    outcomes = [
        _approve_ticked(request_id, version, form.comment.data or "") for request_id, version in form.selected.data
    ]
    approved = [reference for reference, refusal in outcomes if refusal is None]
    if approved:
        flash(
            ngettext(
                "%(num)s request approved: %(references)s. The BRI is notified.",
                "%(num)s requests approved: %(references)s. The BRI is notified.",
                len(approved),
                references=", ".join(approved),
            ),
            "success",
        )
    for _reference, refusal in outcomes:
        if refusal is not None:
            flash(refusal, "warning")
    return redirect(url_for("leave.manager_queue"), code=303)


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
