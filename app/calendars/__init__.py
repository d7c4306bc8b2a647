"""Who is away: the calendar by month (a manager's team, the BRI's missions, one's own) and each person's calendar
feed at a secret address. A package of the top floor: it reads leave and accounts, and nobody imports it."""

from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("calendars", __name__, url_prefix="/calendrier")

from app.calendars import views  # noqa: E402, F401 - the routes, once bp exists


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav("main", "calendars/_nav.html")
