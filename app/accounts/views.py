"""Logging in and out, changing one's password, setting it through a one-time link."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, queries, services
from app.accounts.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from app.core.actions import form_status, run_action
from app.core.http import abort, is_safe_next
from app.extensions import limiter, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(token: str):
    return queries.active_user_by_session_token(token)


def _login_attempt_key() -> str:
    """Failures are counted per account and per address."""
    return f"{(request.form.get('email') or '').strip().lower()}|{get_remote_address()}"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=_login_attempt_key, methods=["POST"], deduct_when=lambda r: r.status_code != 303)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            session.pop("lang", None)
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.index"), code=303)
        form.password.errors.append(_("Unknown e-mail address or wrong password."))
    return render_template("accounts/login.html", form=form), form_status()


@bp.route("/deconnexion", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        outcome = run_action(
            lambda: services.change_password(user, form.current_password.data, form.password.data), form=form
        )
        if outcome.ok:
            login_user(user)  # the session token rotated
            flash(_("Your password was changed. Your other sessions are closed."), "success")
            return redirect(url_for("core.index"), code=303)
    return render_template("accounts/change_password.html", form=form), form_status()


@bp.route("/definir-mot-de-passe/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = services.user_from_password_token(token)
    if user is None:
        abort(404, _("This link is invalid, expired or already used. Ask an administrator for a new one."))
    form = SetPasswordForm()
    if form.validate_on_submit() and run_action(lambda: services.set_password(user, form.password.data)).ok:
        logout_user()
        flash(_("Your password is set. You can now log in."), "success")
        return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/set_password.html", form=form, user=user), form_status()
