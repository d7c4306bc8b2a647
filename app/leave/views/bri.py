"""The BRI's pages: its queue, the list of every request, its decisions, the cancellation of a mission."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select
from wtforms import SelectChoice

from app.accounts.models import Role
from app.accounts.queries import department_choices
from app.core.authz import roles_required
from app.core.database import montreal_today, utcnow
from app.core.exports import export_response, record_export, stream_rows
from app.core.http import abort
from app.core.pagination import paginate
from app.core.registry import extended_form, registry_of
from app.core.sorting import Sort, choose_sort
from app.core.uow import commit
from app.leave import advisories, bp, checklist, exports, permissions, queries
from app.leave.forms import FilterForm, PartnerAskForm, PartnerRecordForm
from app.leave.services import decisions, partners
from app.leave.services.rules import cycle_usage
from app.leave.views.common import act_on_request, act_with_form, decide, load_for_decision, with_contacts
from app.reference.queries import country_choices, cycle_choices


def _bri_decision(request_id: int, action: str, success: str):
    return decide(request_id, action, permissions.acts_as_bri, decisions.bri_decide, success)


@bp.route("/<int:request_id>/bri/approuver", methods=["POST"])
@login_required
def bri_approve(request_id: int):
    req = load_for_decision(request_id)
    if not permissions.acts_as_bri(current_user, req):
        abort(403)

    def approve(comment, version, form):
        exception = bool(form.advisory_exception.data)
        return decisions.bri_decide(
            req, current_user, "bri_approve", comment, expected_version=version, advisory_exception=exception
        )

    return act_on_request(req, approve, _("Request approved by the BRI."), with_form=True)


@bp.route("/<int:request_id>/bri/refuser", methods=["POST"])
@login_required
def bri_reject(request_id: int):
    return _bri_decision(request_id, "bri_reject", _("Request rejected."))


@bp.route("/<int:request_id>/bri/modifications", methods=["POST"])
@login_required
def bri_request_changes(request_id: int):
    return _bri_decision(request_id, "bri_request_changes", _("Changes requested: the applicant is notified."))


@bp.route("/<int:request_id>/annuler", methods=["POST"])
@login_required
def cancel(request_id: int):
    req = load_for_decision(request_id)
    if not permissions.acts_as_canceller(current_user, req):
        abort(403)
    return act_on_request(
        req,
        lambda comment, version: decisions.cancel_request(req, current_user, comment, expected_version=version),
        _("Mission cancelled."),
    )


@bp.route("/<int:request_id>/partenaire/demander", methods=["POST"])
@login_required
def partner_ask(request_id: int):
    """Send the host partner's contact the signed link to confirm the mission."""
    req = load_for_decision(request_id)
    if not permissions.acts_as_partner_asker(current_user, req):
        abort(403)
    form = with_contacts(req, PartnerAskForm())
    return act_with_form(
        req,
        form,
        lambda f: partners.send_partner_confirmation(req, f.contact_id.data, current_user, f.version.data),
        _("The confirmation link is sent to the host partner."),
        "partner_form",
    )


@bp.route("/<int:request_id>/partenaire/consigner", methods=["POST"])
@login_required
def partner_record(request_id: int):
    """Record a confirmation the host partner gave by other means (e-mail, telephone)."""
    req = load_for_decision(request_id)
    if not permissions.acts_as_partner_asker(current_user, req):
        abort(403)
    return act_with_form(
        req,
        PartnerRecordForm(),
        lambda f: partners.record_partner_confirmation(req, current_user, f.comment.data or "", f.version.data),
        _("The host partner's confirmation is recorded."),
        "partner_record_form",
    )


# The queue's second list (``?liste=avis``): the missions to review after a raise of their destination's advisory.
REVIEW_LIST = "avis"
# Its third (``?liste=preparatifs``): the approved missions whose pre-departure checklist is incomplete.
PREPARE_LIST = "preparatifs"


@bp.route("/bri/file")
@roles_required(Role.BRI)
def bri_queue():
    if request.args.get("liste") == REVIEW_LIST:
        page = paginate(advisories.to_review())
        return _queue_page("leave/bri_advisory_review.html", page=page)
    if request.args.get("liste") == PREPARE_LIST:
        page = paginate(queries.missions_to_prepare())
        return _queue_page("leave/bri_checklist_review.html", page=page, today=montreal_today())
    sort = choose_sort(queries.QUEUE_SORTS, queries.QUEUE_DEFAULT)
    page = paginate(sort.apply(queries.bri_queue(current_user)))
    cycles = queries.cycles_waiting_for_bri()
    usage = cycle_usage([c.id for c in cycles])
    return _queue_page("leave/bri_queue.html", page=page, cycles=cycles, usage=usage, now=utcnow(), sort=sort)


def _queue_page(template: str, **context):
    """A list of the queue, with the values of ``?liste=`` its tabs link to."""
    return render_template(template, review=REVIEW_LIST, prepare=PREPARE_LIST, **context)


def _filter_form() -> FilterForm:
    """The filters of the list, with those the domains above add (point ``leave.bri_list``)."""
    form = extended_form(FilterForm, "leave.bri_list")(request.args)
    # From the reference cache: no statement, and every country (a request may go where no longer eligible).
    form.cycle_id.choices = [SelectChoice(0, _("All"))] + [SelectChoice(i, str(y)) for i, y in cycle_choices()]
    form.country_code.choices = [SelectChoice("", _("All"))] + [SelectChoice(*c) for c in country_choices()]
    form.department_id.choices = [SelectChoice(0, _("All"))] + [SelectChoice(*d) for d in department_choices()]
    for ext in registry_of().extensions("leave.bri_list"):
        ext.fill(form[ext.name])
    return form


def _bri_list() -> tuple[FilterForm, dict, Sort, Select]:
    """The list's form, its filters, its sort and its query: one for the page and its exports."""
    form = _filter_form()
    filters = form.filters()
    query = queries.bri_requests(filters)
    for ext in registry_of().extensions("leave.bri_list"):
        if filters.get(ext.name):
            query = ext.apply(query, filters[ext.name])
        query = ext.load(query)
    sort = choose_sort(queries.BRI_LIST_SORTS)
    return form, filters, sort, sort.apply(query)


@bp.route("/bri/demandes")
@roles_required(Role.BRI)
def bri_requests():
    form, _filters, sort, query = _bri_list()
    # Each approved mission's readiness (its checklist's items completed, in all), in the list's own statement.
    query = query.options(*checklist.readiness_options())
    return render_template("leave/bri_requests.html", page=paginate(query), form=form, sort=sort)


@bp.route("/bri/demandes/export.<any(csv, xlsx):fmt>")
@roles_required(Role.BRI)
def bri_requests_export(fmt: str):
    """Every request the list's filters select, in its order, as CSV or Excel (streamed); the export logged."""
    _form, filters, sort, query = _bri_list()
    logged = {name: value for name, value in filters.items() if value}
    record_export(current_user, exports.LIST_NAME, {**logged, **sort.args}, fmt)
    name = f"demandes-{montreal_today().isoformat()}"
    response = export_response(fmt, exports.bri_list_columns(), stream_rows(query), name, _("Requests"))
    commit()  # the log, before the streaming starts
    return response
