"""The progress updates of a project: the page of them all, one update with its photos, the form (BRI), the
photos' actions and the photo files themselves. Readers: whoever may see the project; writers: the BRI."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.core import uploads
from app.core.actions import form_status
from app.core.database import montreal_today
from app.core.http import abort
from app.core.i18n import current_language
from app.extensions import db
from app.projects import bp, services, update_queries
from app.projects.forms import PhotoEditForm, PhotoForm, UpdateForm
from app.projects.models import PHOTO_FOLDER, Project, ProjectPhoto, ProjectUpdate
from app.projects.permissions import can_manage_projects, can_view_project
from app.projects.views.run import run


def _project_or_404(project_id: int) -> Project:
    """The project alone (its code, titles and status are all these pages need: a photo is one request each)."""
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404, _("This project does not exist."))
    return project


def readable_project(project_id: int) -> Project:
    project = _project_or_404(project_id)
    if not can_view_project(current_user, project):
        abort(403, _("This project is not public: only active projects are shown to employees."))
    return project


def manager_project(project_id: int) -> Project:
    project = _project_or_404(project_id)
    if not can_manage_projects(current_user):
        abort(403)
    return project


def _update_or_404(project: Project, update_id: int) -> ProjectUpdate:
    update = update_queries.load_update(project.id, update_id)
    if update is None:
        abort(404, _("This update does not exist."))
    return update


def _photo_or_404(project: Project, photo_id: int) -> ProjectPhoto:
    photo = update_queries.load_photo(project.id, photo_id)
    if photo is None:
        abort(404)
    return photo


def _to_update(project: Project, update: ProjectUpdate, anchor: str | None = None):
    url = url_for("projects.update_detail", project_id=project.id, update_id=update.id, _anchor=anchor)
    return redirect(url, code=303)


# Reading -------------------------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/actualites")
def updates(project_id: int):
    project = readable_project(project_id)
    page = update_queries.update_page(project.id)
    manage = can_manage_projects(current_user)
    return render_template("projects/updates.html", project=project, page=page, manage=manage, lang=current_language())


def render_update(project: Project, update: ProjectUpdate, photo_form=None, edit_forms=None):
    manage = can_manage_projects(current_user)
    context = {"project": project, "update": update, "manage": manage, "lang": current_language()}
    if manage:
        edit_forms = edit_forms or {}
        context["photo_form"] = photo_form or PhotoForm(prefix="photo", formdata=None)
        context["edit_forms"] = {
            p.id: edit_forms.get(p.id) or PhotoEditForm(prefix=f"photo{p.id}", formdata=None, obj=p)
            for p in update.photos
        }
        context["max_photos"] = update_queries.MAX_PHOTOS
    return render_template("projects/update.html", **context)


@bp.route("/<int:project_id>/actualites/<int:update_id>")
def update_detail(project_id: int, update_id: int):
    project = readable_project(project_id)
    return render_update(project, _update_or_404(project, update_id))


@bp.route("/<int:project_id>/photos/<int:photo_id>")
def photo_file(project_id: int, photo_id: int):
    project = readable_project(project_id)
    photo = _photo_or_404(project, photo_id)
    name = f"{project.code}-photo-{photo.id}.{photo.extension}"
    return uploads.send(photo.stored_name, name, photo.content_type, folder=PHOTO_FOLDER)


# Writing -------------------------------------------------------------------------------------------------------


def _update_form(project: Project, update: ProjectUpdate) -> UpdateForm:
    form = UpdateForm(obj=update if update.id else None)
    if update.id is None and request.method == "GET":
        form.update_date.data = montreal_today()
    form.report_photos.choices = [
        SelectChoice(p.attachment_id, f"{p.reference} – {p.name}")
        for p in update_queries.report_photos(project.id, update)
    ]
    if request.method == "GET":
        form.report_photos.data = []
    return form


def _save_update_view(project: Project, update: ProjectUpdate, success: str):
    form = _update_form(project, update)
    if form.validate_on_submit():

        def save():
            return services.save_update(project, update, form.data, current_user, form.report_photos.data or [])

        if run(save, form).ok:
            flash(success, "success")
            return _to_update(project, update)
    if not form.report_photos.choices and not form.report_photos.errors:
        del form.report_photos  # no report photo to offer: no empty list of choices
    context = {"form": form, "project": project, "update": update}
    return render_template("projects/update_form.html", **context), form_status()


@bp.route("/<int:project_id>/actualites/nouvelle", methods=["GET", "POST"])
def update_new(project_id: int):
    project = manager_project(project_id)
    return _save_update_view(project, ProjectUpdate(), _("Update added."))


@bp.route("/<int:project_id>/actualites/<int:update_id>/modifier", methods=["GET", "POST"])
def update_edit(project_id: int, update_id: int):
    project = manager_project(project_id)
    return _save_update_view(project, _update_or_404(project, update_id), _("Update saved."))


@bp.route("/<int:project_id>/actualites/<int:update_id>/supprimer", methods=["POST"])
def update_remove(project_id: int, update_id: int):
    project = manager_project(project_id)
    update = _update_or_404(project, update_id)
    if run(lambda: services.remove_update(update, current_user)).ok:
        flash(_("Update deleted."), "success")
    return redirect(url_for("projects.updates", project_id=project.id), code=303)


@bp.route("/<int:project_id>/actualites/<int:update_id>/photos", methods=["POST"])
def photo_add(project_id: int, update_id: int):
    project = manager_project(project_id)
    update = _update_or_404(project, update_id)
    form = PhotoForm(prefix="photo")
    if form.validate_on_submit():
        if run(lambda: services.add_photo(update, form.photo.data, form.data, current_user), form).ok:
            flash(_("Photo added."), "success")
            return _to_update(project, update, "photos")
        update = _update_or_404(project, update_id)  # the session was rolled back
    return render_update(project, update, photo_form=form), form_status()


@bp.route("/<int:project_id>/photos/<int:photo_id>/modifier", methods=["POST"])
def photo_edit(project_id: int, photo_id: int):
    project = manager_project(project_id)
    photo = _photo_or_404(project, photo_id)
    form = PhotoEditForm(prefix=f"photo{photo.id}")
    if form.validate_on_submit() and run(lambda: services.edit_photo(photo, form.data, current_user), form).ok:
        flash(_("Caption saved."), "success")
        return _to_update(project, photo.update, f"photo-{photo.id}")
    update = _update_or_404(project, photo.update_id)
    return render_update(project, update, edit_forms={photo.id: form}), form_status()


@bp.route("/<int:project_id>/photos/<int:photo_id>/retirer", methods=["POST"])
def photo_remove(project_id: int, photo_id: int):
    project = manager_project(project_id)
    photo = _photo_or_404(project, photo_id)
    update = photo.update
    if run(lambda: services.remove_photo(photo, current_user)).ok:
        flash(_("Photo removed."), "success")
    return _to_update(project, update, "photos")
