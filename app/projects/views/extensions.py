"""What the projects domain adds to pages it does not own (the points leave and reports declare):

- ``"leave.request_form"``: the request's project field (:data:`REQUEST_PROJECT_FIELD`);
- ``"leave.request_facts"``: the linked project in the request's summary (:data:`REQUEST_PROJECT_FACT`);
- ``"leave.bri_list"``: the project filter and column of the BRI's list of requests (:data:`REQUESTS_PROJECT_FILTER`);
- ``"reports.archive"``: the project filter and column of the mission archive (:data:`ARCHIVE_PROJECT_FILTER`);
- ``"reports.report_form"``: the proposal to update one of the project's indicators (:data:`REPORT_PROPOSAL_FIELD`);
- ``"reports.report_page"``: the proposals of the report and the BRI's decision on them (:data:`REPORT_PROPOSALS`).
"""

from flask_babel import lazy_gettext as _l

from app.core.forms import bounded_id
from app.core.i18n import current_language
from app.core.registry import FormExtension, ListExtension
from app.leave.models import LeaveRequest
from app.projects import forms, proposal_queries, queries, services
from app.projects.services import proposals

# The request form ----------------------------------------------------------------------------------------------


def _fill_request_form(form, req: LeaveRequest | None) -> None:
    if req is not None and not form.is_submitted():
        form.project_id.data = req.project_id


def _apply_request_project(req: LeaveRequest, project_id: int | None, actor) -> None:
    services.choose_request_project(req, project_id, actor, field="project_id")


REQUEST_PROJECT_FIELD = FormExtension(
    name="project_id",
    field=forms.request_project_field,
    fill=_fill_request_form,
    apply=_apply_request_project,
    template="projects/_request_form_field.html",
)

# The request page ----------------------------------------------------------------------------------------------

REQUEST_PROJECT_FACT = "projects/_request_fact.html"

# The BRI's list of requests ------------------------------------------------------------------------------------


def _no_choices(field) -> None:
    """A search-as-you-type field: nothing to fill per page."""


def _project_code(req: LeaveRequest) -> str:
    """The exports' cell: the linked project's code (loaded with the rows, ``queries.with_project``)."""
    return req.project.code if req.project else ""


REQUESTS_PROJECT_FILTER = ListExtension(
    name="project_id",
    field=forms.requests_project_filter,
    fill=_no_choices,
    apply=queries.of_project,
    load=queries.with_project,
    header=_l("Project"),
    cell="projects/_requests_cell.html",
    value=_project_code,
)

# The mission archive -------------------------------------------------------------------------------------------


def _archive_of_project(query, value):
    """The archive's filter comes as text: a value that is not a project's id filters nothing."""
    project_id = bounded_id(value)
    return queries.of_project(query, project_id) if project_id else query


ARCHIVE_PROJECT_FILTER = ListExtension(
    name="project",
    field=forms.archive_project_filter,
    fill=_no_choices,
    apply=_archive_of_project,
    load=queries.with_project,
    header=_l("Project"),
    cell="projects/_archive_cell.html",
    value=_project_code,
)

# The mission report's form and page ----------------------------------------------------------------------------


def _fill_report_form(form, req: LeaveRequest) -> None:
    """The choices of the proposal (the indicators of the mission's project and their periods: a handful); on the
    first showing, the proposal still pending."""
    sub = form[proposals.PREFIX].form
    if req.project_id is None:
        sub.indicator_id.choices = sub.period_id.choices = [(0, "—")]
        return
    sub.indicator_id.choices, sub.period_id.choices = proposal_queries.proposal_choices(
        req.project_id, current_language()
    )
    if not form.is_submitted():
        pending = proposals.pending_proposal(req)
        if pending is not None:
            sub.indicator_id.data, sub.period_id.data = pending.indicator_id, pending.period_id
            sub.value.data, sub.comment.data = pending.value, pending.comment


REPORT_PROPOSAL_FIELD = FormExtension(
    name=proposals.PREFIX,
    field=forms.report_proposal_field,
    fill=_fill_report_form,
    apply=proposals.propose_indicator_update,
    template="projects/_report_proposal_field.html",
)

REPORT_PROPOSALS = "projects/_report_proposals.html"
