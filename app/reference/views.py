"""Reference-data pages: programme cycles, destination countries, partner organisations (admins and BRI)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from app.core.actions import apply_error, form_status, run_action
from app.core.http import abort, get_page, is_safe_next
from app.core.i18n import all_country_codes, country_name, current_language, locale_for
from app.core.pagination import paginate
from app.extensions import db, login_manager
from app.reference import bp, queries, services
from app.reference.forms import ContactForm, CountryFilterForm, CycleForm, PartnerFilterForm, PartnerForm
from app.reference.models import PartnerContact, PartnerKind, PartnerOrganisation, ProgrammeCycle
from app.reference.permissions import can_manage_contacts, can_manage_reference

COUNTRIES_PER_PAGE = 50


@bp.before_request
def _reference_managers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_manage_reference(current_user):
        abort(403)
    return None


def _get_or_404(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _save(call, form, duplicate_field: str, duplicate_message: str):
    """Run the save through ``run_action``; a duplicate that the database refuses (the same row created at the same
    moment by someone else) is told next to ``duplicate_field``, like the service's own check."""
    try:
        outcome = run_action(call, form=form)
    except IntegrityError:  # already rolled back by the unit of work
        apply_error(form, duplicate_field, duplicate_message)
        return False
    return outcome.ok


# Programme cycles ----------------------------------------------------------------------------------------------


@bp.route("/cycles")
def cycles():
    return render_template("reference/cycles.html", page=paginate(queries.cycles_newest_first()))


def _save_cycle_view(cycle: ProgrammeCycle, success: str):
    form = CycleForm(obj=cycle if cycle.id else None)
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items()}
        duplicate = _("A programme cycle already exists for %(year)s.", year=form.year.data)
        if _save(lambda: services.save_cycle(cycle, data, current_user), form, "year", duplicate):
            flash(success % {"year": cycle.year}, "success")
            return redirect(url_for("reference.cycles"), code=303)
    return render_template("reference/cycle_form.html", form=form, cycle=cycle), form_status()


@bp.route("/cycles/nouveau", methods=["GET", "POST"])
def cycle_new():
    return _save_cycle_view(ProgrammeCycle(), _("Programme cycle %(year)s created."))


@bp.route("/cycles/<int:cycle_id>", methods=["GET", "POST"])
def cycle_edit(cycle_id: int):
    return _save_cycle_view(_get_or_404(ProgrammeCycle, cycle_id), _("Programme cycle %(year)s saved."))


# Destination countries -----------------------------------------------------------------------------------------


@bp.route("/pays")
def countries():
    filters = CountryFilterForm(request.args)
    filters.validate()
    eligible = queries.eligible_codes()
    rows = queries.country_rows(
        locale_for(current_language()),
        text=(filters.q.data or "") if not filters.q.errors else "",
        eligible_only=filters.show.data == "eligible",
        eligible=eligible,
    )
    page = queries.ListPage(rows, get_page(), COUNTRIES_PER_PAGE)
    return render_template(
        "reference/countries.html", page=page, filters=filters, eligible=eligible, eligible_count=len(eligible)
    )


def _set_eligibility(code: str, eligible: bool):
    if code.upper() not in all_country_codes():
        abort(404)
    outcome = run_action(lambda: services.set_country_eligibility(code, eligible, current_user))
    if outcome.ok:
        message = _("%(country)s is now eligible.") if eligible else _("%(country)s is no longer eligible.")
        flash(message % {"country": country_name(outcome.value.code)}, "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("reference.countries"), code=303)


@bp.route("/pays/<code>/eligible", methods=["POST"])
def country_mark_eligible(code: str):
    return _set_eligibility(code, True)


@bp.route("/pays/<code>/non-eligible", methods=["POST"])
def country_mark_ineligible(code: str):
    return _set_eligibility(code, False)


# Partner organisations -----------------------------------------------------------------------------------------


def _country_choices(blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(code, name) for code, name in queries.country_choices()]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


@bp.route("/partenaires")
def partners():
    filters = PartnerFilterForm(request.args)
    filters.country.choices = _country_choices(_("All countries"))
    filters.kind.choices = [SelectChoice("", _("All kinds"))] + [SelectChoice(*pair) for pair in PartnerKind.choices()]
    filters.validate()
    query = queries.partner_search(
        country=filters.country.data if not filters.country.errors else None,
        kind=filters.kind.data if not filters.kind.errors else None,
        text=filters.q.data if not filters.q.errors else None,
        status=filters.status.data if not filters.status.errors else "active",
    )
    return render_template(
        "reference/partners.html", page=paginate(query), filters=filters, kind_labels=PartnerKind.labels()
    )


def _save_partner_view(partner: PartnerOrganisation, success: str):
    form = PartnerForm(obj=partner if partner.id else None)
    form.country_code.choices = _country_choices(_("— choose a country —"))
    if form.validate_on_submit():
        duplicate = _("A partner organisation with this name already exists in this country.")
        if _save(lambda: services.save_partner(partner, form.data, current_user), form, "name", duplicate):
            flash(success % {"name": partner.name}, "success")
            return redirect(url_for("reference.partners"), code=303)
    return (
        render_template(
            "reference/partner_form.html",
            form=form,
            partner=partner,
            can_manage_contacts=can_manage_contacts(current_user),
        ),
        form_status(),
    )


@bp.route("/partenaires/nouveau", methods=["GET", "POST"])
def partner_new():
    return _save_partner_view(PartnerOrganisation(), _("Partner organisation %(name)s created."))


@bp.route("/partenaires/<int:partner_id>", methods=["GET", "POST"])
def partner_edit(partner_id: int):
    partner = _get_or_404(PartnerOrganisation, partner_id)
    return _save_partner_view(partner, _("Partner organisation %(name)s saved."))


@bp.route("/partenaires/<int:partner_id>/desactiver", methods=["POST"])
def partner_deactivate(partner_id: int):
    partner = _get_or_404(PartnerOrganisation, partner_id)
    run_action(lambda: services.deactivate_partner(partner, current_user))
    flash(_("%(name)s is deactivated: it is no longer offered in new requests.", name=partner.name), "success")
    return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)


@bp.route("/partenaires/<int:partner_id>/reactiver", methods=["POST"])
def partner_reactivate(partner_id: int):
    partner = _get_or_404(PartnerOrganisation, partner_id)
    run_action(lambda: services.reactivate_partner(partner, current_user))
    flash(_("The organisation %(name)s is active again.", name=partner.name), "success")
    return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)


# A partner's contacts (BRI officers only: they receive the links that confirm missions) --------------------------


def _contact_of(partner_id: int, contact_id: int) -> tuple[PartnerOrganisation, PartnerContact]:
    if not can_manage_contacts(current_user):
        abort(403)
    contact = _get_or_404(PartnerContact, contact_id)
    if contact.partner_id != partner_id:
        abort(404)
    return contact.partner, contact


def _save_contact_view(partner: PartnerOrganisation, contact: PartnerContact, success: str):
    form = ContactForm(obj=contact if contact.id else None)
    saved = form.validate_on_submit() and run_action(
        lambda: services.save_contact(contact, partner, form.data, current_user), form=form
    )
    if saved and saved.ok:
        flash(success % {"name": contact.name}, "success")
        return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)
    return render_template("reference/contact_form.html", form=form, partner=partner, contact=contact), form_status()


@bp.route("/partenaires/<int:partner_id>/contacts/nouveau", methods=["GET", "POST"])
def contact_new(partner_id: int):
    if not can_manage_contacts(current_user):
        abort(403)
    partner = _get_or_404(PartnerOrganisation, partner_id)
    return _save_contact_view(partner, PartnerContact(), _("Contact %(name)s added."))


@bp.route("/partenaires/<int:partner_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
def contact_edit(partner_id: int, contact_id: int):
    partner, contact = _contact_of(partner_id, contact_id)
    return _save_contact_view(partner, contact, _("Contact %(name)s saved."))


def _set_contact_active(partner_id: int, contact_id: int, active: bool):
    partner, contact = _contact_of(partner_id, contact_id)
    run_action(lambda: services.set_contact_active(contact, active, current_user))
    if active:
        flash(_("%(name)s is active again.", name=contact.name), "success")
    else:
        flash(_("%(name)s is deactivated: no more confirmation links are sent to them.", name=contact.name), "success")
    return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)


@bp.route("/partenaires/<int:partner_id>/contacts/<int:contact_id>/desactiver", methods=["POST"])
def contact_deactivate(partner_id: int, contact_id: int):
    return _set_contact_active(partner_id, contact_id, False)


@bp.route("/partenaires/<int:partner_id>/contacts/<int:contact_id>/reactiver", methods=["POST"])
def contact_reactivate(partner_id: int, contact_id: int):
    return _set_contact_active(partner_id, contact_id, True)
