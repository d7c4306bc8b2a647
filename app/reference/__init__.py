from flask import Blueprint

bp = Blueprint("reference", __name__, url_prefix="/referentiel")
