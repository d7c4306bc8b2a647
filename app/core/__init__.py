from flask import Blueprint

bp = Blueprint("core", __name__)

from app.core.exports import export_url  # noqa: E402

bp.add_app_template_global(export_url, "export_url")

from app.core import notification_views, views  # noqa: E402,F401
