from flask import Blueprint

from app.core.cache import watch
from app.core.registry import registry_of

bp = Blueprint("reference", __name__, url_prefix="/referentiel")

from app.reference import views  # noqa: E402,F401
from app.reference.pickers import PARTNERS  # noqa: E402


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav("bri", "reference/_nav_bri.html")
    registry.add_nav("admin", "reference/_nav_admin.html")
    registry.add_picker(PARTNERS)
    watch(state.app, "country", "countries")
    watch(state.app, "programme_cycle", "cycles")
