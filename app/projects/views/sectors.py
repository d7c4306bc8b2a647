"""The sectors (OECD DAC purpose codes): the BRI's reference list of the projects."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.actions import form_status
from app.core.http import abort
from app.extensions import db
from app.projects import bp, queries, services
from app.projects.forms import SectorForm
from app.projects.models import Sector
from app.projects.views.projects import require_manager
from app.projects.views.run import run


def _sector_view(sector: Sector, success: str):
    require_manager()
    form = SectorForm(obj=sector if sector.id else None)
    if sector.id and not form.is_submitted():
        form.active.data = "1" if sector.active else "0"
    if form.validate_on_submit() and run(lambda: services.save_sector(sector, form.data, current_user), form).ok:
        flash(success % {"code": sector.code}, "success")
        return redirect(url_for("projects.sectors"), code=303)
    return render_template("projects/sectors.html", form=form, sector=sector, sectors=queries.sectors()), form_status()


@bp.route("/secteurs", methods=["GET", "POST"])
def sectors():
    return _sector_view(Sector(), _("Sector %(code)s added."))


@bp.route("/secteurs/<int:sector_id>", methods=["GET", "POST"])
def sector_edit(sector_id: int):
    sector = db.session.get(Sector, sector_id)
    if sector is None:
        abort(404)
    return _sector_view(sector, _("Sector %(code)s saved."))
