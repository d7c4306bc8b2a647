from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("reports", __name__, url_prefix="/rapports")

from app.leave.workflow import REPORT_STATUSES  # noqa: E402
from app.reports import demo, notification_texts, queries, reminders, search, services  # noqa: E402, F401 - search: the report's texts in the search
from app.reports.views import bri, common, employee  # noqa: E402, F401 - the routes


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_demo("reports", demo.load)
    registry.add_tick_step("send_reminders", reminders.send_reminders)
    registry.add_nav("bri", "reports/_nav_bri.html")
    registry.add_home_card("reports/_home.html")
    registry.add_home_count("reports_to_review", queries.to_review_count)
    registry.add_notification_kinds(notification_texts.KINDS)
    registry.add_conflict_state(services.ReportPage, "reports/_conflict_state.html")
    registry.extend("leave.request_page", "reports/_request_panel.html")
    # The archive's filters and columns that the domains above add (the cooperation project, ...).
    registry.declare("reports.archive")
    # The fields the domains above add to the report's form (FormExtension: the project's indicator update), and
    # the panels they add to the report's page (templates, which receive ``req`` and ``report``).
    registry.declare(services.REPORT_FORM)
    registry.declare("reports.report_page")
    state.app.jinja_env.globals["REPORT_STATUSES"] = REPORT_STATUSES
