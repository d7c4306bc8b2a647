from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/rapports")

from app.reports import views, views_review  # noqa: E402,F401
