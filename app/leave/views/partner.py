"""The host partner's page: what its signed link opens, without an account (``/partenaire/confirmation/<token>``).

Nothing here logs anyone in or writes to the session but Flask-WTF's CSRF token (a signed cookie, no row of
``user_session``). The page speaks the contact's language (French or English), or the one its switch asks
(``?lang=``, a link: no session either). A link unknown or altered answers 404, one used, replaced or expired 410,
an answer that came second 409: each a page of its own that names nothing of the mission. The lookup is by the
digest of the secret, and the page is rate-limited per address.
"""

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale

from app.core.actions import apply_error
from app.core.errors import FORM_ERROR_STATUS, Conflict, Invalid
from app.core.i18n import locale_for
from app.core.uow import rollback, unit_of_work
from app.extensions import limiter
from app.leave.forms import PartnerAnswerForm
from app.leave.models import PartnerConfirmation
from app.leave.services import partners

bp = Blueprint("partner", __name__, url_prefix="/partenaire")


def _rate_limit() -> str:
    return current_app.config["PARTNER_LINK_RATE_LIMIT"]


def _language(confirmation: PartnerConfirmation | None) -> str:
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"]:
        return asked
    if confirmation is not None and confirmation.language in current_app.config["LANGUAGES"]:
        return confirmation.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _page(template: str, status: int, language: str, **context):
    with force_locale(locale_for(language)):
        html = render_template(template, language=language, **context)
    response = make_response(html, status)
    # The address holds the secret: not cached, not sent on to another site.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _closed(status: int, language: str, reason: str):
    return _page("leave/partner/closed.html", status, language, code=status, reason=reason)


@bp.route("/confirmation/<token>", methods=["GET", "POST"])
@limiter.limit(_rate_limit)
def confirmation(token: str):
    found = partners.confirmation_by_token(token)
    language = _language(found)
    if found is None:
        return _closed(404, language, "unknown")
    if not partners.link_open(found):
        return _closed(410, language, "gone")
    with force_locale(locale_for(language)):
        form = PartnerAnswerForm()
        if request.method == "POST" and form.validate_on_submit():
            try:
                with unit_of_work():
                    partners.answer_partner_confirmation(found, form.answer.data, form.comment.data or "")
            except partners.LinkGone:
                return _closed(410, language, "gone")
            except Conflict:  # the link taken in the meantime, or the request changed (its version)
                rollback()
                return _closed(409, language, "answered")
            except Invalid as exc:
                apply_error(form, exc.field, exc.message)
            else:
                return redirect(url_for("partner.thanks", lang=language), code=303)
    status = FORM_ERROR_STATUS if request.method == "POST" else 200
    return _page("leave/partner/confirmation.html", status, language, confirmation=found, req=found.request, form=form)


@bp.route("/merci")
def thanks():
    return _page("leave/partner/thanks.html", 200, _language(None))
