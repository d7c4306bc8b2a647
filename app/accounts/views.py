"""Logging in and out (here or everywhere), changing one's password, setting it through a one-time link.

The session cookie carries the token of a ``user_session`` row: logging out deletes the row, so that the cookie,
replayed, opens nothing. Each of these moments writes a security event.
"""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, services
from app.accounts.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from app.core.actions import form_status, run_action
from app.core.audit import security_event
from app.core.database import READ_ONLY_METHODS
from app.core.http import abort, is_safe_next
from app.extensions import limiter, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(token: str):
    """The id Flask-Login keeps (in the session cookie, or a remember cookie) is a session's token."""
    return services.resume_session(token, reading=request.method in READ_ONLY_METHODS)


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
        outcome = run_action(lambda: services.log_in(form.email.data, form.password.data), form=form)
        if outcome.ok:
            user = outcome.value
            login_user(user)
            session.pop("lang", None)
            security_event("login", "success")
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("core.index"), code=303)
        security_event("login", "failure", email=(form.email.data or "").strip().lower()[:254])
    return render_template("accounts/login.html", form=form), form_status()


def _end_current_session() -> None:
    """Log out of this session, on the server (its row) and in the browser (the cookie)."""
    if current_user.is_authenticated:
        token = current_user.current_session
        run_action(lambda: services.end_session(token))
        security_event("logout", "success")
    logout_user()


@bp.route("/deconnexion", methods=["POST"])
def logout():
    _end_current_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/deconnexion-partout", methods=["POST"])
@login_required
def logout_everywhere():
    user = current_user._get_current_object()
    outcome = run_action(lambda: services.end_sessions(user))
    security_event("logout_everywhere", "success", sessions_ended=outcome.value)
    logout_user()
    flash(_("You are logged out on every device."), "info")
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
            security_event("password_change", "success", sessions_ended=outcome.value)
            flash(_("Your password was changed. Your other sessions are closed."), "success")
            return redirect(url_for("core.index"), code=303)
        reason = "wrong_current_password" if isinstance(outcome.error, services.WrongPassword) else "refused"
        security_event("password_change", "failure", reason=reason)
    return render_template("accounts/change_password.html", form=form), form_status()


@bp.route("/definir-mot-de-passe/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = services.user_from_password_token(token)
    if user is None:
        security_event("password_reset", "failure", reason="invalid_link")
        abort(404, _("This link is invalid, expired or already used. Ask an administrator for a new one."))
    form = SetPasswordForm()
    if form.validate_on_submit():
        outcome = run_action(lambda: services.set_password(user, form.password.data), form=form)
        if outcome.ok:
            security_event("password_reset", "success", target=user.email, target_id=user.id)
            _end_current_session()  # whoever was logged in in this browser
            flash(_("Your password is set. You can now log in."), "success")
            return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/set_password.html", form=form, user=user), form_status()
