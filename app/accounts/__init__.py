from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/compte")

from app.accounts import views  # noqa: E402,F401
