"""Travel advisory pages: a country's advisory with its history, the import of a CSV file, the whole history.

Reading is open to whoever manages the reference data (the blueprint's guard); recording is the BRI's only.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.actions import form_status, run_action
from app.core.database import montreal_today
from app.core.errors import FORM_ERROR_STATUS
from app.core.http import abort
from app.core.i18n import all_country_codes, country_name
from app.core.pagination import paginate
from app.extensions import db
from app.reference import advisory_csv, advisory_services, bp
from app.reference.forms import AdvisoryForm, AdvisoryImportForm
from app.reference.models import Country, CountryAdvisoryChange

COUNTRY_HISTORY_SHOWN = 50


def _bri_only() -> None:
    if not advisory_services.can_edit_advisories(current_user):
        abort(403)


def _history_of(code: str) -> list[CountryAdvisoryChange]:
    return list(
        db.session.scalars(
            select(CountryAdvisoryChange)
            .where(CountryAdvisoryChange.country_code == code)
            .order_by(CountryAdvisoryChange.id.desc())
            .options(joinedload(CountryAdvisoryChange.actor))
            .limit(COUNTRY_HISTORY_SHOWN)
        )
    )


@bp.route("/pays/<code>/avis", methods=["GET", "POST"])
def country_advisory(code: str):
    _bri_only()
    code = code.upper()
    if code not in all_country_codes():
        abort(404)
    country = db.session.get(Country, code)
    form = AdvisoryForm(obj=None)
    if request.method == "GET" and country is not None and country.advisory_level:
        form.level.data = country.advisory_level
        form.checked_on.data = country.advisory_checked_on
        form.note_fr.data, form.note_en.data = country.advisory_note_fr, country.advisory_note_en
    if form.validate_on_submit():
        data = advisory_services.clean(
            code, form.level.data, form.checked_on.data, form.note_fr.data, form.note_en.data
        )
        outcome = run_action(lambda: advisory_services.set_advisory(data, current_user), form=form)
        if outcome.ok:
            message = _("The travel advisory of %(country)s is recorded.") if outcome.value else _("Nothing changed.")
            flash(message % {"country": country_name(code)}, "success")
            return redirect(url_for("reference.country_advisory", code=code), code=303)
    return render_template(
        "reference/advisory_form.html", form=form, code=code, country=country, history=_history_of(code)
    ), form_status()


@bp.route("/avis/historique")
def advisory_history():
    query = (
        select(CountryAdvisoryChange)
        .order_by(CountryAdvisoryChange.id.desc())
        .options(joinedload(CountryAdvisoryChange.actor))
    )
    return render_template("reference/advisory_history.html", page=paginate(query))


def _sent_file(form: AdvisoryImportForm) -> bytes | None:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        # One byte more than allowed is enough to refuse the file.
        return upload.read(advisory_csv.MAX_BYTES + 1)
    if form.content.data:
        return form.content.data.encode("utf-8")
    return None


@bp.route("/avis/import", methods=["GET", "POST"])
def advisory_import():
    _bri_only()
    form = AdvisoryImportForm()
    if not form.validate_on_submit():
        return render_template("reference/advisory_import.html", form=form, preview=None), form_status()
    raw = _sent_file(form)
    if raw is None:
        form.file.errors = [_("Choose a CSV file.")]
        return render_template("reference/advisory_import.html", form=form, preview=None), FORM_ERROR_STATUS
    preview = advisory_csv.read_advisories(raw, montreal_today())
    if not preview.ok:
        return render_template("reference/advisory_import.html", form=form, preview=preview), FORM_ERROR_STATUS
    if not form.apply.data:
        form.content.data = raw.decode("utf-8-sig")
        return render_template("reference/advisory_import.html", form=form, preview=preview)
    rows = [line.data for line in preview.lines]
    outcome = run_action(lambda: advisory_services.import_advisories(rows, current_user), form=form)
    if not outcome.ok:
        return render_template("reference/advisory_import.html", form=form, preview=preview), FORM_ERROR_STATUS
    changes = outcome.value
    flash(
        ngettext("%(num)s country's advisory changed.", "%(num)s countries' advisories changed.", len(changes)),
        "success",
    )
    return redirect(url_for("reference.advisory_history"), code=303)
