from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("projects", __name__, url_prefix="/projets")

from app.projects import demo, views  # noqa: E402,F401


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_demo("projects", demo.load)
    registry.add_nav("main", "projects/_nav.html")
    registry.add_home_card("projects/_home.html")
