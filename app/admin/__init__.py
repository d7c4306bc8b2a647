"""User administration: the users and departments of :mod:`app.accounts`, managed by administrators.

admin has no models of its own: it administers those of accounts (users, their roles, departments). The pages
of the reference data (cycles, countries, partners) belong to :mod:`app.reference`, which adds them to the
administration menu itself.
"""

from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.accounts.pickers import person_picker  # noqa: E402
from app.admin import views  # noqa: E402,F401
from app.admin.permissions import can_administer  # noqa: E402


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_nav("admin", "admin/_nav.html")
    registry.add_home_card("admin/_home.html")
    registry.add_picker(person_picker("admin.managers", can_administer))
