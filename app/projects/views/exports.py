"""The projects' exports, as CSV or Excel (streamed, :mod:`app.core.exports`): the list with the filters and the
sort on screen, and one project's funding lines and expenditures. Each is logged and committed before it streams."""

from dataclasses import asdict
from itertools import chain

from flask_babel import gettext as _
from flask_login import current_user

from app.core.database import montreal_today
from app.core.exports import export_response, record_export, stream_rows
from app.core.http import abort
from app.core.uow import commit
from app.projects import bp, exports, queries
from app.projects.permissions import can_see_money
from app.projects.views.projects import load_or_404, project_list_view


@bp.route("/export.<any(csv, xlsx):fmt>")
def index_export(fmt: str):
    """The projects the list shows (employees: the active ones, without amounts), every page of them."""
    manage, _form, filters, sort = project_list_view()
    logged = {k: v for k, v in asdict(filters).items() if v and k != "public"}
    record_export(current_user, exports.LIST_NAME, {**logged, **sort.args}, fmt)
    query = queries.with_amounts(queries.project_list(filters, sort))
    rows = stream_rows(query, scalars=False)
    name = f"projets-{montreal_today().isoformat()}"
    response = export_response(fmt, exports.list_columns(manage), rows, name, _("Cooperation projects"))
    commit()  # the log, before the streaming starts
    return response


@bp.route("/<int:project_id>/finances.<any(csv, xlsx):fmt>")
def finances_export(project_id: int, fmt: str):
    """A project's funding lines, then its expenditures: for those who see the project's money."""
    project = load_or_404(project_id, full=False)
    if not can_see_money(current_user):
        abort(403)
    record_export(current_user, exports.FINANCES_NAME, {"project_id": project.id}, fmt)
    lines, spent = queries.finance_lines(project.id)
    rows = chain(stream_rows(lines), stream_rows(spent))
    response = export_response(fmt, exports.FINANCE_COLUMNS, rows, f"finances-{project.code}", project.code)
    commit()  # the log, before the streaming starts
    return response
