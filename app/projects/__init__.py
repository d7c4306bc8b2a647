from flask import Blueprint

from app.core.cache import watch
from app.core.registry import registry_of

bp = Blueprint("projects", __name__, url_prefix="/projets")
# What anyone reads without an account (a published project's page ``/p/<code>`` and the IATI files): a blueprint of
# its own, outside the login that ``bp`` requires of every page.
public_bp = Blueprint("publication", __name__)

from app.projects import demo, views  # noqa: E402,F401
from app.projects.permissions import can_read_funder_report, can_view_project  # noqa: E402
from app.projects.pickers import MISSIONS, PROJECTS  # noqa: E402
from app.projects.views import extensions, proposals  # noqa: E402

# The request page's fact shows the link to the project only to those who may see it.
bp.add_app_template_global(can_view_project, "can_view_project")
# The money section of a project's page links to its funder's report for the BRI only.
bp.add_app_template_global(can_read_funder_report, "can_read_funder_report")
# The proposals of mission reports, on the report's page and in the project's results.
for _name, _function in proposals.TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    state.app.register_blueprint(public_bp)
    registry.add_demo("projects", demo.load)
    registry.add_nav("main", "projects/_nav.html")
    registry.add_home_card("projects/_home.html")
    registry.add_picker(PROJECTS)
    registry.add_picker(MISSIONS)
    watch(state.app, "project_sector", "sectors")
    # The link between a mission and a project, on the pages of leave and reports.
    registry.extend("leave.request_form", extensions.REQUEST_PROJECT_FIELD)
    registry.extend("leave.request_facts", extensions.REQUEST_PROJECT_FACT)
    registry.extend("leave.bri_list", extensions.REQUESTS_PROJECT_FILTER)
    registry.extend("reports.archive", extensions.ARCHIVE_PROJECT_FILTER)
    # A mission report proposes an update of one of the project's indicators; the BRI decides on its page.
    registry.extend("reports.report_form", extensions.REPORT_PROPOSAL_FIELD)
    registry.extend("reports.report_page", extensions.REPORT_PROPOSALS)
