"""Project pages: the list, one project, the project form."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.core.actions import form_status
from app.core.database import montreal_today
from app.core.forms import bounded_id
from app.core.http import abort
from app.core.i18n import current_language
from app.core.sorting import Sort, choose_sort
from app.leave.workflow import COMMITTED_STATUSES
from app.projects import bp, queries, services, update_queries
from app.projects.forms import (
    ExpenditureForm,
    FundingLineForm,
    LinkMissionForm,
    MilestoneForm,
    PartnerForm,
    ProjectFilterForm,
    ProjectForm,
)
from app.projects.models import FundingSource, Project, ProjectStatus
from app.projects.permissions import can_manage_projects, can_see_money, can_view_project
from app.projects.result_figures import indicator_charts, load_results, result_choices
from app.projects.views.run import run
from app.reference import queries as reference_queries

LIST_FILTERS = ("status", "sector", "partner", "source", "year")


def require_manager() -> None:
    if not can_manage_projects(current_user):
        abort(403)


def load_or_404(project_id: int, full: bool = True) -> Project:
    project = queries.load_project(project_id, full)
    if project is None:
        abort(404, _("This project does not exist."))
    return project


# The list ------------------------------------------------------------------------------------------------------


def _filter_form(manage: bool) -> ProjectFilterForm:
    form = ProjectFilterForm(request.args)
    lang = current_language()
    everything = SelectChoice("", _("(all)"))
    form.status.choices = [everything] + [SelectChoice(v, label) for v, label in ProjectStatus.choices()]
    form.sector.choices = [everything] + [SelectChoice(str(s.id), s.label(lang)) for s in queries.sector_choices()]
    form.source.choices = [everything] + [SelectChoice(v, label) for v, label in FundingSource.choices()]
    if not manage:
        del form.status
        del form.source
    form.validate()
    return form


def _value(form, name: str) -> str | None:
    """A filter's value, None when blank (" " included) or not one the list offers: such a filter is ignored."""
    field = getattr(form, name, None)
    if field is not None and not field.errors and isinstance(field.data, int):  # a picker's id
        return str(field.data)
    if field is None or field.errors or not isinstance(field.data, str):
        return None
    return field.data.strip() or None


def project_list_view() -> tuple[bool, ProjectFilterForm, queries.ProjectFilters, Sort]:
    """Whether the reader manages projects, the list's form, its filters and its sort: the page's and its exports'."""
    manage = can_manage_projects(current_user)
    form = _filter_form(manage)
    return manage, form, _filters(form, manage), choose_sort(queries.LIST_SORTS, queries.LIST_DEFAULT)


def _filters(form, manage: bool) -> queries.ProjectFilters:
    year = _value(form, "year")
    return queries.ProjectFilters(
        status=_value(form, "status"),
        sector_id=bounded_id(_value(form, "sector")),
        partner_id=bounded_id(_value(form, "partner")),
        source=_value(form, "source"),
        year=int(year) if year else None,
        public=not manage,
    )


@bp.route("/")
def index():
    manage, form, filters, sort = project_list_view()
    page = queries.project_page(filters, sort)
    return render_template(
        "projects/index.html",
        page=page,
        form=form,
        sort=sort,
        manage=manage,
        amounts=queries.amounts_for(page.items) if manage else {},
        totals=queries.totals(filters) if manage else None,
        filtered=any(request.args.get(k) for k in LIST_FILTERS),
    )


# One project ---------------------------------------------------------------------------------------------------


def render_detail(project: Project, figures: queries.MissionFigures | None = None, **forms):
    """The project page; ``figures``: those of its missions when they were loaded with it (one statement more when
    not); ``forms`` carries a form that failed validation, to show it with its errors. The page lists the first
    missions only (``queries.MISSIONS_SHOWN``), with a link to the BRI's list of them all."""
    full = can_see_money(current_user)
    lang = current_language()
    results = load_results(project.id, proposals=full)
    updates, more_updates = update_queries.recent_updates(project.id)
    context = {
        "project": project,
        "full": full,
        "today": montreal_today(),
        "lang": lang,
        "results": results,
        "charts": indicator_charts(results, lang),
        "updates": updates,
        "updates_more": more_updates,
    }
    if full:
        partner_form = forms.get("partner_form") or PartnerForm(prefix="partner", formdata=None)
        link_form = forms.get("link_form") or LinkMissionForm(prefix="link", formdata=None)
        link_form.result_id.choices = result_choices(results, lang)
        if figures is None:
            figures = queries.mission_figures(project.id)
        changes, more_changes = queries.recent_changes(project.id)
        context.update(
            summary=queries.summarise(project, figures=figures),
            missions=queries.first_missions(project.id),
            mission_count=figures.count,
            history=[queries.describe_change(c) for c in changes],
            history_more=more_changes,
            history_shown=queries.HISTORY_SHOWN,
            partner_form=partner_form,
            funding_form=forms.get("funding_form") or FundingLineForm(prefix="funding", formdata=None),
            expenditure_form=forms.get("expenditure_form") or ExpenditureForm(prefix="expenditure", formdata=None),
            milestone_form=forms.get("milestone_form") or MilestoneForm(prefix="milestone", formdata=None),
            link_form=link_form,
            committed_statuses=COMMITTED_STATUSES,
        )
    return render_template("projects/detail.html", **context)


@bp.route("/<int:project_id>")
def detail(project_id: int):
    loaded = queries.load_project_page(project_id, full=can_see_money(current_user))
    if loaded is None:
        abort(404, _("This project does not exist."))
    project, figures = loaded
    if not can_view_project(current_user, project):
        abort(403, _("This project is not public: only active projects are shown to employees."))
    return render_detail(project, figures)


# The project form ----------------------------------------------------------------------------------------------


def _project_form(project: Project) -> ProjectForm:
    form = ProjectForm(obj=project if project.id else None)
    form.country_code.choices = [SelectChoice(c, n) for c, n in reference_queries.country_choices()]
    lang = current_language()
    form.sector_id.choices = [
        SelectChoice(s.id, s.label(lang)) for s in queries.sector_choices(active_only=True, keep_id=project.sector_id)
    ]
    return form


def _save_project_view(project: Project, success: str):
    require_manager()
    form = _project_form(project)
    if form.validate_on_submit() and run(lambda: services.save_project(project, form.data, current_user), form).ok:
        flash(success % {"code": project.code}, "success")
        return redirect(url_for("projects.detail", project_id=project.id), code=303)
    return render_template("projects/form.html", form=form, project=project), form_status()


@bp.route("/nouveau", methods=["GET", "POST"])
def new():
    return _save_project_view(Project(), _("Project %(code)s created."))


@bp.route("/<int:project_id>/modifier", methods=["GET", "POST"])
def edit(project_id: int):
    project = load_or_404(project_id)
    return _save_project_view(project, _("Project %(code)s saved."))
