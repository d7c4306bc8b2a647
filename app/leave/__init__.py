from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("leave", __name__, url_prefix="/conges")

from app.leave import demo, scheduler, template_globals, views, views_decisions  # noqa: E402, F401 - the routes


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_demo("leave", demo.load)
    registry.add_tick_step("advance_missions", scheduler.advance_missions)
    registry.add_nav("main", "leave/_nav.html")
    registry.add_nav("bri", "leave/_nav_bri.html")
    registry.add_home_card("leave/_home.html")
    # Panels the domains above add to the request page (a mission report, ...).
    registry.declare("leave.request_page")
