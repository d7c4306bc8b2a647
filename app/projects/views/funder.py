"""A project's report to one of its funders: the BRI's GET form (source, period, language) and the PDF
(:mod:`app.projects.funder_report`)."""

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.audit import security_event
from app.core.http import abort
from app.projects import bp, funder_report
from app.projects.forms import FunderReportForm
from app.projects.funder_report import FunderChoice
from app.projects.models import Project
from app.projects.permissions import can_read_funder_report
from app.projects.views.projects import load_or_404


def _require_bri() -> None:
    if not can_read_funder_report(current_user):
        abort(403)


def _choice(form: FunderReportForm) -> FunderChoice:
    return FunderChoice(form.source.data, form.debut.data, form.fin.data, form.lang.data)


def _page(project: Project, form: FunderReportForm):
    years = funder_report.calendar_years(project)
    page = render_template("projects/funder_report.html", project=project, form=form, years=years)
    return page, 422 if form.errors else 200


@bp.route("/<int:project_id>/rapport-bailleur")
def funder_report_form(project_id: int):
    project = load_or_404(project_id, full=False)
    _require_bri()
    if not request.args:  # the first visit: the defaults; a choice made is taken as it is, every field required
        return _page(project, FunderReportForm(None, data=funder_report.default_choice(project)))
    form = FunderReportForm(request.args)
    if form.validate():
        return redirect(url_for("projects.funder_report_pdf", project_id=project.id, **_choice(form).args()), 303)
    return _page(project, form)


@bp.route("/<int:project_id>/rapport-bailleur.pdf")
def funder_report_pdf(project_id: int):
    project = load_or_404(project_id, full=False)
    _require_bri()
    form = FunderReportForm(request.args)
    if not form.validate():
        return _page(project, form)
    choice = _choice(form)
    response = current_app.response_class(funder_report.render_pdf(project, choice), mimetype="application/pdf")
    name = f"rapport-bailleur-{project.code}-{choice.source}-{choice.first}-{choice.last}-{choice.lang}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    security_event(
        "download",
        "success",
        document="funder_report_pdf",
        project_id=project.id,
        source=choice.source,
        start=choice.first.isoformat(),
        end=choice.last.isoformat(),
    )
    return response
