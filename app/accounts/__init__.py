from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.core.cache import watch
from app.core.registry import registry_of

bp = Blueprint("accounts", __name__, url_prefix="/compte", cli_group=None)

from app.accounts import commands, demo, services, views  # noqa: E402,F401
from app.accounts.models import Role  # noqa: E402


@bp.record_once
def _register(state) -> None:
    registry = registry_of(state.app)
    registry.add_demo("accounts", demo.load)
    watch(state.app, "department", "departments")
    registry.add_tick_step("end_idle_sessions", services.end_idle_sessions)
    registry.add_nav("user", "accounts/_nav_user.html")
    # The menus of the roles; the domains put their entries in them ("bri", "admin").
    registry.add_nav_menu("bri", _l("BRI"), lambda user: user.has_role(Role.BRI), testid="nav-bri")
    registry.add_nav_menu("admin", _l("Administration"), lambda user: user.has_role(Role.ADMIN))
