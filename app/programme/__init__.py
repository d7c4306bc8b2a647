"""The programme's figures across the domains: the BRI's dashboard and the annual report (a top-floor package:
it reads leave, reports, projects and reference data, and nothing imports it). It has no demo data of its own: it
shows those of the other domains (cycles, requests in every status, reports, projects)."""

from flask import Blueprint

from app.core.cache import watch
from app.core.registry import registry_of

bp = Blueprint("programme", __name__, url_prefix="/bri")

from app.programme import figures, views  # noqa: E402, F401 - views: the routes, once bp exists

bp.add_app_template_global(figures.step_label, "programme_step_label")


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav("bri", "programme/_nav_bri.html")
    registry.add_home_card("programme/_home.html")
    watch(state.app, "programme_cycle", "programme-cycle-periods")
    for table in (*figures.DASHBOARD_TABLES, "programme_cycle"):
        watch(state.app, table, figures.DASHBOARD_CACHE)
