from flask import Blueprint

from app.core.cache import watch
from app.core.registry import registry_of

bp = Blueprint("reference", __name__, url_prefix="/referentiel")

from app.reference import advisory_views, notification_texts, views  # noqa: E402,F401
from app.reference.advisories import advisory_of, level_text  # noqa: E402
from app.reference.pickers import PARTNERS  # noqa: E402


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav("bri", "reference/_nav_bri.html")
    registry.add_nav("admin", "reference/_nav_admin.html")
    registry.add_picker(PARTNERS)
    watch(state.app, "country", "countries")
    watch(state.app, "programme_cycle", "cycles")
    watch(state.app, "country", "advisories")
    registry.add_notification_kinds(notification_texts.KINDS)
    # What the domains above do when a country's level goes up (the leave domain tells the travellers there):
    # callables ``hook(raised: list[CountryAdvisoryChange], actor)``, called inside the change's transaction.
    registry.declare("reference.advisory_raised")
    # Pages of the domains above about one cycle (the leave domain's pre-departure items): templates writing one
    # link for ``cycle``, shown on the cycles' list and on the cycle's page.
    registry.declare("reference.cycle_links")
    state.app.jinja_env.globals.update(travel_advisory=advisory_of, advisory_level_text=level_text)
