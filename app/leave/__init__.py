"""Leave requests and their workflow: the blueprint, and what the domain adds to the application when it is set up.

Extension points offered to the domains above (``app.core.registry``):

- ``leave.request_page``: templates of panels on the request page (they receive ``req``);
- ``leave.request_form``: :class:`~app.core.registry.FormExtension` fields of the request form;
- ``leave.request_facts``: templates of ``<dt>``/``<dd>`` pairs in the request page's summary (``req``);
- ``leave.bri_list``: :class:`~app.core.registry.ListExtension` filters (and columns) of the BRI's list.
"""

from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("leave", __name__, url_prefix="/conges")

from app.accounts.pickers import person_picker  # noqa: E402
from app.leave import (  # noqa: E402, F401 - views: the routes
    advisories,
    checklist,
    checklist_demo,
    checklist_texts,
    demo,
    labels,
    notification_texts,
    queries,
    search,
    views,
)
from app.leave.checklist_reminders import send_checklist_reminders  # noqa: E402
from app.leave.models import LeaveRequest  # noqa: E402
from app.leave.permissions import can_delegate  # noqa: E402
from app.leave.services.scheduler import advance_missions  # noqa: E402
from app.leave.views.common import show_manager_queue, waiting_time  # noqa: E402
from app.leave.views.home import days_waiting, leave_home  # noqa: E402
from app.leave.views.partner import bp as partner_bp  # noqa: E402


@bp.cli.command("search-rebuild")
def _search_rebuild() -> None:
    """Fill the search of requests again from the tables (after a bulk load that bypassed the triggers)."""
    import click

    from app.extensions import db

    with db.engine.begin() as connection:
        for statement in search.refill_ddl(connection.dialect.name):
            connection.exec_driver_sql(statement)
        count = connection.exec_driver_sql("SELECT count(*) FROM request_search").scalar()
    click.echo(f"{count} request(s) in the search.")


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    # The host partner's page (no account, its own address /partenaire/...): a blueprint of the leave domain's own.
    state.app.register_blueprint(partner_bp)
    registry.add_demo("leave", demo.load)
    registry.add_demo("leave_checklist", checklist_demo.load)
    registry.add_tick_step("advance_missions", advance_missions)
    # After the starts: the missions the job did not start for their checklist are told to the BRI.
    registry.add_tick_step("checklist_reminders", send_checklist_reminders)
    registry.add_nav("main", "leave/_nav.html")
    registry.add_nav("bri", "leave/_nav_bri.html")
    registry.add_nav_count("leave_manager_queue", queries.manager_queue_flag)
    registry.add_home_count("leave_under_way", queries.under_way_count)
    registry.add_home_count("leave_to_decide", queries.to_decide_count)
    registry.add_home_count("leave_bri_waiting", queries.bri_waiting_count)
    registry.add_home_card("leave/_home.html")
    registry.add_notification_kinds(notification_texts.KINDS)
    registry.add_notification_kinds(checklist_texts.KINDS)
    registry.extend("reference.advisory_raised", advisories.notify_travellers)
    registry.extend("reference.cycle_links", "leave/_cycle_checklist_link.html")
    registry.add_conflict_state(LeaveRequest, "leave/_conflict_state.html")
    registry.add_picker(person_picker("leave.delegates", can_delegate, exclude_self=True))
    for point in ("leave.request_page", "leave.request_form", "leave.request_facts", "leave.bri_list"):
        registry.declare(point)
    state.app.jinja_env.globals.update(
        leave_show_manager_queue=show_manager_queue,
        leave_waiting_time=waiting_time,
        leave_home=leave_home,
        days_waiting=days_waiting,
        STATUS_WORDS=labels.STATUS_WORDS,
        status_label=labels.status_label,
        next_step=labels.next_step,
        action_label=labels.action_label,
        mission_label=labels.mission_label,
        report_state=labels.report_state,
        checklist_readiness=checklist.readiness_of_row,
    )
