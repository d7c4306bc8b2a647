"""Publication: the BRI publishes a project or withdraws it (POST); anyone reads a published project's public page
``/p/<code>`` and the IATI 2.03 files, without an account.

The public page writes nothing in the session: no CSRF token (it has no form: its language switch is a pair of
links ``?lang=en``), no chosen language, no flashed message; so an anonymous reader gets no cookie, and the page may
be kept by browsers and proxies for a few minutes. The photos it shows come from a route of its own
(``/p/<code>/photos/<id>``), under the same rules, never from the BRI's photo route.
"""

from flask import Response, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import uploads
from app.core.database import montreal_today
from app.core.http import abort
from app.core.i18n import current_language, use_page_language
from app.core.input_guard import MAX_INT
from app.projects import bp, iati, public, public_bp, services
from app.projects.models import PHOTO_FOLDER
from app.projects.permissions import can_publish_project, can_read_activity_file
from app.projects.result_figures import indicator_charts
from app.projects.update_queries import published_updates
from app.projects.views.projects import load_or_404
from app.projects.views.run import run

XML_TYPE = "application/xml; charset=utf-8"


# Publishing (the BRI, on the project page) -------------------------------------------------------------------------


def _publication_action(project_id: int, call, success: str):
    project = load_or_404(project_id, full=False)
    if not can_publish_project(current_user):
        abort(403)
    if run(lambda: call(project, current_user)).ok:
        flash(success % {"code": project.code}, "success")
    return redirect(url_for("projects.detail", project_id=project.id, _anchor="publication"), code=303)


@bp.route("/<int:project_id>/publier", methods=["POST"])
def publish(project_id: int):
    return _publication_action(project_id, services.publish_project, _("Project %(code)s published."))


@bp.route("/<int:project_id>/depublier", methods=["POST"])
def unpublish(project_id: int):
    success = _("Project %(code)s withdrawn from publication.")
    return _publication_action(project_id, services.unpublish_project, success)


# The public page ---------------------------------------------------------------------------------------------------


@public_bp.route("/p/<path:code>")  # every address under /p/, so that each gets the public 404
def public_page(code: str):
    """A published project, in French or English (``?lang=``); 404 for any other code, whoever asks."""
    use_page_language(request.args.get("lang"))
    project = public.published_project(code)
    if project is None:
        abort(404, _("There is no published project at this address."))
    lang = current_language()
    results = public.public_results(project)
    response = Response(
        render_template(
            "projects/public.html",
            project=project,
            figures=public.public_figures(project),
            results=results,
            full=False,  # the results without the BRI's buttons
            charts=indicator_charts(results, lang),
            updates=published_updates(project.id),
            today=montreal_today(),
            lang=lang,
        )
    )
    return _cacheable(response)


@public_bp.route("/p/<code>/photos/<photo_id>")
def public_photo(code: str, photo_id: str):
    """A photo of the public page: 404 unless the project is published, the update too, and the people shown agreed.
    The id is read here rather than by ``<int:>``: an id that converter refuses would miss this blueprint's 404 (the
    application's, which writes a session)."""
    photo = public.published_photo(code, int(photo_id)) if _an_id(photo_id) else None
    if photo is None:
        abort(404, _("There is no published photo at this address."))
    name = f"{code.upper()}-photo-{photo.id}.{photo.extension}"
    return _cacheable(uploads.send(photo.stored_name, name, photo.content_type, folder=PHOTO_FOLDER))


def _an_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_INT


@public_bp.errorhandler(404)
def _not_found(error):
    """The public 404 in the public frame: it writes no session either (the application's error page carries the
    navigation and its language form, hence a CSRF token)."""
    message = getattr(error, "user_message", None) or _("There is no published project at this address.")
    return render_template("projects/public_error.html", message=message), 404


def _cacheable(response: Response) -> Response:
    """Kept a few minutes by browsers and shared caches; only by the browser when the request carried a session
    (whose cookie Flask may send again with the response: a shared cache must not keep it)."""
    max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
    scope = "private" if current_app.config["SESSION_COOKIE_NAME"] in request.cookies else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
    return response


# The IATI files ----------------------------------------------------------------------------------------------------


def _xml(chunks, filename: str) -> Response:
    response = Response(stream_with_context(chunks), content_type=XML_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_bp.route("/projets/<int:project_id>/iati.xml")
def activity_file(project_id: int):
    """One project's activity: anyone once it is published; before, the BRI only (it holds the money figures)."""
    activity = iati.load_activity(project_id)
    if activity is None or not can_read_activity_file(current_user, activity.project):
        if current_user.is_authenticated and activity is not None:
            abort(403)
        abort(404, _("There is no published project at this address."))
    chunks = iati.write_file([activity], iati.Publisher.from_config(), iati.generated_now())
    return _xml(chunks, f"iati-{activity.project.code}.xml")


@public_bp.route("/projets/iati.xml")
def activities_file():
    """Every published project, written as it is read (:func:`app.projects.iati.published_activities`)."""
    publisher, generated = iati.Publisher.from_config(), iati.generated_now()
    return _xml(iati.write_file(iati.published_activities(), publisher, generated), "iati-activities.xml")
