"""The BRI's pages of figures: the dashboard, the annual report's choice and its PDF."""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.accounts.queries import department_choices
from app.core.audit import security_event
from app.core.forms import bounded_id
from app.core.http import abort
from app.core.i18n import current_language
from app.programme import bp, figures, report
from app.programme.forms import AnnualReportForm, DashboardFilterForm
from app.programme.permissions import can_view_programme
from app.programme.queries import Filters, resolve
from app.reference.queries import country_choices, cycle_choices


def _require_bri() -> None:
    if not can_view_programme(current_user):
        abort(403)


def _filter_form() -> DashboardFilterForm:
    form = DashboardFilterForm(request.args)
    everything = SelectChoice("", _("All"))
    # From the reference cache: no statement per page.
    form.cycle.choices = [SelectChoice("", "—")] + [SelectChoice(str(i), str(year)) for i, year in cycle_choices()]
    form.department.choices = [everything] + [SelectChoice(str(i), name) for i, name in department_choices()]
    form.country.choices = [everything] + [SelectChoice(*c) for c in country_choices()]
    return form


def _known(value, choices) -> str | None:
    """``value`` when it is one of the choices' values, else None (blank, unknown, hostile)."""
    text = (value or "").strip()
    return text if text and text in {str(c[0]) for c in choices} else None


def _filters(form: DashboardFilterForm) -> Filters:
    valid = form.validate()
    cycle = _known(form.cycle.data, cycle_choices())
    department = _known(form.department.data, department_choices())
    country = _known((form.country.data or "").upper(), country_choices())
    chosen = Filters(
        cycle_id=bounded_id(cycle),
        year=form.year.data if valid else None,
        department_id=bounded_id(department),
        country=country,
    )
    return resolve(chosen)


@bp.route("/tableau-de-bord")
@login_required
def dashboard():
    _require_bri()
    form = _filter_form()
    filters = _filters(form)
    form.cycle.data = str(filters.cycle_id or "")
    data = figures.dashboard(filters, current_language()) if filters.cycle_id or filters.year else None
    return render_template("programme/dashboard.html", form=form, data=data)


def _report_form() -> AnnualReportForm:
    form = AnnualReportForm(request.args)
    form.year.choices = [SelectChoice(str(year), str(year)) for _id, year in cycle_choices()]
    if not request.args.get("year") and form.year.choices:
        form.year.data = report.default_year(cycle_choices())
    return form


@bp.route("/rapport-annuel")
@login_required
def annual_report():
    _require_bri()
    form = _report_form()
    if request.args and form.validate():
        return redirect(url_for("programme.annual_report_pdf", year=int(form.year.data), lang=form.lang.data), 303)
    return render_template("programme/annual_report.html", form=form), 422 if form.errors else 200


@bp.route("/rapport-annuel/<int:year>.pdf")
@login_required
def annual_report_pdf(year: int):
    _require_bri()
    if year not in {y for _id, y in cycle_choices()}:
        abort(404, _("No programme cycle is recorded for %(year)s.", year=year))
    lang = request.args.get("lang") if request.args.get("lang") in ("fr", "en") else "fr"
    response = current_app.response_class(report.render_pdf(year, lang), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="rapport-annuel-{year}-{lang}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    security_event("download", "success", document="annual_report_pdf", year=year)
    return response
