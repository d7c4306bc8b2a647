from flask import Blueprint

bp = Blueprint("leave", __name__, url_prefix="/conges")

from app.leave import template_globals, views, views_decisions  # noqa: E402, F401 - the routes
