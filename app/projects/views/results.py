"""The BRI's pages of a project's results framework: add, edit and delete a result, an indicator (with its baseline)
and a period (with its target), and record a period's actual value. Each: load the project (404), permission (403),
the row, which must be the project's (404), validate (the form again with its errors, 422), one service call in a
unit of work (a stale version: 409), flash, back to the project's results (303)."""

from collections.abc import Callable

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.core.actions import form_status
from app.core.http import abort
from app.core.i18n import current_language
from app.extensions import db
from app.projects import bp, services
from app.projects.forms import ActualForm, IndicatorForm, PeriodForm, ResultForm
from app.projects.models import Project
from app.projects.result_figures import period_label
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.projects.views.lines import back_to, simple_action
from app.projects.views.projects import require_manager
from app.projects.views.run import run

ANCHOR = "results"


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404, _("This project does not exist."))
    require_manager()
    return project


def _result(project: Project, result_id: int) -> ProjectResult:
    result = db.session.get(ProjectResult, result_id)
    if result is None or result.project_id != project.id:
        abort(404)
    return result


def _indicator(project: Project, indicator_id: int) -> ResultIndicator:
    indicator = db.session.get(ResultIndicator, indicator_id)
    if indicator is None or indicator.result.project_id != project.id:
        abort(404)
    return indicator


def _period(project: Project, period_id: int) -> IndicatorPeriod:
    period = db.session.get(IndicatorPeriod, period_id)
    if period is None or period.indicator.result.project_id != project.id:
        abort(404)
    return period


def _version(form) -> int:
    """The version the form was shown with; -1 (a conflict) when the form did not carry one."""
    return form.version.data if isinstance(form.version.data, int) else -1


def _form_page(project: Project, form, save: Callable, success: str, heading: str, context: str = ""):
    if form.validate_on_submit() and run(lambda: save(form), form).ok:
        flash(success, "success")
        return back_to(project, ANCHOR)
    page = render_template("projects/result_form.html", project=project, form=form, heading=heading, context=context)
    return page, form_status()


# Results -------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/resultats/nouveau", methods=["GET", "POST"])
def result_new(project_id: int):
    project = _project(project_id)
    form = ResultForm()
    save = lambda f: services.save_result(project, ProjectResult(), f.data, current_user)  # noqa: E731
    return _form_page(project, form, save, _("Result added."), _("New result"))


@bp.route("/<int:project_id>/resultats/<int:result_id>/modifier", methods=["GET", "POST"])
def result_edit(project_id: int, result_id: int):
    project = _project(project_id)
    result = _result(project, result_id)
    form = ResultForm(obj=result)
    save = lambda f: services.save_result(project, result, f.data, current_user, _version(f))  # noqa: E731
    return _form_page(project, form, save, _("Result saved."), _("Edit the result"))


@bp.route("/<int:project_id>/resultats/<int:result_id>/supprimer", methods=["POST"])
def result_remove(project_id: int, result_id: int):
    project = _project(project_id)
    result = _result(project, result_id)
    return simple_action(project, lambda: services.remove_result(result, current_user), _("Result deleted."), ANCHOR)


# Indicators ----------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/resultats/<int:result_id>/indicateurs/nouveau", methods=["GET", "POST"])
def indicator_new(project_id: int, result_id: int):
    project = _project(project_id)
    result = _result(project, result_id)
    form = IndicatorForm()
    save = lambda f: services.save_indicator(result, ResultIndicator(), f.data, current_user)  # noqa: E731
    return _form_page(project, form, save, _("Indicator added."), _("New indicator"), result.title(current_language()))


@bp.route("/<int:project_id>/resultats/indicateurs/<int:indicator_id>/modifier", methods=["GET", "POST"])
def indicator_edit(project_id: int, indicator_id: int):
    project = _project(project_id)
    indicator = _indicator(project, indicator_id)
    form = IndicatorForm(obj=indicator)
    save = lambda f: services.save_indicator(indicator.result, indicator, f.data, current_user, _version(f))  # noqa: E731
    context = indicator.result.title(current_language())
    return _form_page(project, form, save, _("Indicator saved."), _("Edit the indicator"), context)


@bp.route("/<int:project_id>/resultats/indicateurs/<int:indicator_id>/supprimer", methods=["POST"])
def indicator_remove(project_id: int, indicator_id: int):
    project = _project(project_id)
    indicator = _indicator(project, indicator_id)
    call = lambda: services.remove_indicator(indicator, current_user)  # noqa: E731
    return simple_action(project, call, _("Indicator deleted."), ANCHOR)


# Periods -------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/resultats/indicateurs/<int:indicator_id>/periodes/nouvelle", methods=["GET", "POST"])
def period_new(project_id: int, indicator_id: int):
    project = _project(project_id)
    indicator = _indicator(project, indicator_id)
    form = PeriodForm()
    save = lambda f: services.save_period(indicator, IndicatorPeriod(), f.data, current_user)  # noqa: E731
    context = indicator.title(current_language())
    return _form_page(project, form, save, _("Period added."), _("New period"), context)


@bp.route("/<int:project_id>/resultats/periodes/<int:period_id>/modifier", methods=["GET", "POST"])
def period_edit(project_id: int, period_id: int):
    project = _project(project_id)
    period = _period(project, period_id)
    form = PeriodForm(obj=period)
    save = lambda f: services.save_period(period.indicator, period, f.data, current_user, _version(f))  # noqa: E731
    context = f"{period.indicator.title(current_language())} · {period_label(period)}"
    return _form_page(project, form, save, _("Period saved."), _("Edit the period"), context)


@bp.route("/<int:project_id>/resultats/periodes/<int:period_id>/supprimer", methods=["POST"])
def period_remove(project_id: int, period_id: int):
    project = _project(project_id)
    period = _period(project, period_id)
    return simple_action(project, lambda: services.remove_period(period, current_user), _("Period deleted."), ANCHOR)


@bp.route("/<int:project_id>/resultats/periodes/<int:period_id>/reel", methods=["GET", "POST"])
def period_actual(project_id: int, period_id: int):
    project = _project(project_id)
    period = _period(project, period_id)
    form = ActualForm(obj=period)
    save = lambda f: services.record_actual(period, f.data, current_user, _version(f))  # noqa: E731
    context = f"{period.indicator.title(current_language())} · {period_label(period)}"
    return _form_page(project, form, save, _("Actual value recorded."), _("Record the actual value"), context)
