from flask import Blueprint

bp = Blueprint("reference", __name__, url_prefix="/referentiel")

from app.reference import views  # noqa: E402,F401
