"""The home page, the language switch, the health check, the results of the search-as-you-type fields."""

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from app.core import bp
from app.core.http import abort, is_safe_next
from app.core.pickers import LIMIT, normalise_query
from app.core.registry import registry_of
from app.core.uow import unit_of_work
from app.extensions import db


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for(current_app.login_manager.login_view))
    return render_template("core/index.html")


@bp.route("/langue", methods=["POST"])
def set_language():
    """Switch the interface language; remembered in the profile, or in the session before login."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400, _("Unknown language."))
    session["lang"] = language
    if current_user.is_authenticated:
        with unit_of_work():
            current_user.language = language
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("core.index"), code=303)


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/choix/<name>")
@login_required
def pick(name: str):
    """The results of a search-as-you-type field (:mod:`app.core.pickers`): ``{"results": [{value, label}]}``, at most
    ``LIMIT``, nothing for fewer than ``MIN_QUERY`` characters; the same permission as the forms that use it."""
    found = registry_of().pickers.get(name)
    if found is None:
        abort(404)
    if not found.allowed(current_user):
        abort(403)
    query = normalise_query(request.args.get("q"))
    choices = found.search(query, current_user, LIMIT)[:LIMIT] if query else []
    response = jsonify(results=[{"value": str(c.id), "label": c.label} for c in choices])
    response.headers["Cache-Control"] = "private, no-store"
    return response
