from flask import Blueprint

from app.core.registry import registry_of

bp = Blueprint("accounts", __name__, url_prefix="/compte", cli_group=None)

from app.accounts import commands, demo, views  # noqa: E402,F401


@bp.record_once
def _register(state) -> None:
    registry_of(state.app).add_demo("accounts", demo.load)
