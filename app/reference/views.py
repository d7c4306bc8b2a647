"""Reference-data pages: programme cycles, destination countries, partner organisations (admins and BRI)."""

import math
import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from app.core.http import abort, get_page, is_safe_next
from app.core.i18n import all_country_codes, country_name, sorted_country_choices
from app.extensions import db, login_manager
from app.reference import bp, services
from app.reference.forms import CountryFilterForm, CycleForm, PartnerFilterForm, PartnerForm
from app.reference.models import PartnerKind, PartnerOrganisation, ProgrammeCycle
from app.reference.permissions import can_manage_reference

PER_PAGE = 20
COUNTRIES_PER_PAGE = 50


@bp.before_request
def _reference_managers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_manage_reference(current_user):
        abort(403)
    return None


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]


def _get_or_404(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


class ListPage:
    """A page of an in-memory list, with the interface of the ``pagination`` macro (like ``db.paginate``)."""

    def __init__(self, items: list, page: int, per_page: int):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(math.ceil(self.total / per_page), 1)
        self.page = page
        self.items = items[(self.page - 1) * per_page : self.page * per_page]
        self.has_prev, self.has_next = 1 < self.page <= self.pages + 1, self.page < self.pages
        self.prev_num = self.page - 1 if self.has_prev else None
        self.next_num = self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for num in range(1, self.pages + 1):
            near = self.page - left_current <= num <= self.page + right_current
            if num <= left_edge or num > self.pages - right_edge or near:
                if last + 1 != num:
                    yield None
                yield num
                last = num


# Programme cycles ----------------------------------------------------------------------------------------------


@bp.route("/cycles")
def cycles():
    query = select(ProgrammeCycle).order_by(ProgrammeCycle.year.desc())
    page = db.paginate(query, page=get_page(), per_page=PER_PAGE, error_out=False)
    return render_template("reference/cycles.html", page=page)


def _save_cycle_view(cycle: ProgrammeCycle, success: str):
    form = CycleForm(obj=cycle if cycle.id else None)
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items()}
        try:
            services.save_cycle(cycle, data, current_user)
            db.session.commit()
        except services.ReferenceValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        except IntegrityError:  # the same year created at the same moment by someone else
            db.session.rollback()
            _apply_errors(form, {"year": _("A programme cycle already exists for %(year)s.", year=form.year.data)})
        else:
            flash(success % {"year": cycle.year}, "success")
            return redirect(url_for("reference.cycles"), code=303)
    return render_template("reference/cycle_form.html", form=form, cycle=cycle)


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
    eligible = services.eligible_codes()
    locale = str(get_locale())
    rows = sorted_country_choices(all_country_codes(), locale)
    if filters.show.data == "eligible":
        rows = [row for row in rows if row[0] in eligible]
    needle = _fold((filters.q.data or "").strip()) if not filters.q.errors else ""
    if needle:
        rows = [row for row in rows if needle in _fold(row[1]) or needle == row[0].casefold()]
    page = ListPage(rows, get_page(), COUNTRIES_PER_PAGE)
    return render_template(
        "reference/countries.html", page=page, filters=filters, eligible=eligible, eligible_count=len(eligible)
    )


def _set_eligibility(code: str, eligible: bool):
    if code.upper() not in all_country_codes():
        abort(404)
    country = services.set_country_eligibility(code, eligible, current_user)
    db.session.commit()
    message = _("%(country)s is now eligible.") if eligible else _("%(country)s is no longer eligible.")
    flash(message % {"country": country_name(country.code)}, "success")
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
    choices = [SelectChoice(code, name) for code, name in sorted_country_choices(all_country_codes())]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


@bp.route("/partenaires")
def partners():
    filters = PartnerFilterForm(request.args)
    filters.country.choices = _country_choices(_("All countries"))
    filters.kind.choices = [SelectChoice("", _("All kinds"))] + [SelectChoice(k.value, k.label) for k in PartnerKind]
    filters.validate()
    query = select(PartnerOrganisation).order_by(PartnerOrganisation.name, PartnerOrganisation.id)
    if filters.country.data and not filters.country.errors:
        query = query.where(PartnerOrganisation.country_code == filters.country.data)
    if filters.kind.data and not filters.kind.errors:
        query = query.where(PartnerOrganisation.kind == filters.kind.data)
    if filters.q.data and not filters.q.errors:
        pattern = f"%{filters.q.data.strip().lower()}%"
        query = query.where(
            func.lower(PartnerOrganisation.name).like(pattern) | func.lower(PartnerOrganisation.city).like(pattern)
        )
    status = filters.status.data if not filters.status.errors else "active"
    if status == "active":
        query = query.where(PartnerOrganisation.active.is_(True))
    elif status == "inactive":
        query = query.where(PartnerOrganisation.active.is_(False))
    page = db.paginate(query, page=get_page(), per_page=PER_PAGE, error_out=False)
    return render_template("reference/partners.html", page=page, filters=filters, kind_labels=PartnerKind.labels())


def _save_partner_view(partner: PartnerOrganisation, success: str):
    form = PartnerForm(obj=partner if partner.id else None)
    form.country_code.choices = _country_choices(_("— choose a country —"))
    if form.validate_on_submit():
        try:
            services.save_partner(partner, form.data, current_user)
            db.session.commit()
        except services.ReferenceValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        except IntegrityError:  # the same organisation created at the same moment by someone else
            db.session.rollback()
            _apply_errors(form, {"name": _("A partner organisation with this name already exists in this country.")})
        else:
            flash(success % {"name": partner.name}, "success")
            return redirect(url_for("reference.partners"), code=303)
    return render_template("reference/partner_form.html", form=form, partner=partner)


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
    services.deactivate_partner(partner, current_user)
    db.session.commit()
    flash(_("%(name)s is deactivated: it is no longer offered in new requests.", name=partner.name), "success")
    return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)


@bp.route("/partenaires/<int:partner_id>/reactiver", methods=["POST"])
def partner_reactivate(partner_id: int):
    partner = _get_or_404(PartnerOrganisation, partner_id)
    services.reactivate_partner(partner, current_user)
    db.session.commit()
    flash(_("The organisation %(name)s is active again.", name=partner.name), "success")
    return redirect(url_for("reference.partner_edit", partner_id=partner.id), code=303)
