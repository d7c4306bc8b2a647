"""The administration's pages: users (search, create, edit, deactivate, passwords) and departments.

Every change writes a security event once committed: who (the administrator, ``user``) did what to whom
(``target``, ``target_id``).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts import queries as accounts_queries
from app.accounts.models import Department, Role, User
from app.accounts.services import password_link_token
from app.admin import bp, queries, services
from app.admin.forms import AdminSetPasswordForm, DepartmentForm, UserForm, UserSearchForm
from app.admin.permissions import can_administer
from app.core.actions import form_status, run_action
from app.core.audit import security_event
from app.core.http import abort
from app.core.i18n import of_name
from app.core.notifications import absolute_url
from app.core.pagination import paginate
from app.core.sorting import choose_sort
from app.extensions import db, login_manager

DEPARTMENTS_PER_PAGE = 50


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_administer(current_user):
        abort(403)
    return None


def _get_or_404(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


# Users ---------------------------------------------------------------------------------------------------------


@bp.route("/utilisateurs")
def users():
    search = UserSearchForm(request.args)
    valid = search.validate()
    text = search.q.data if valid else None
    status = search.status.data if valid and search.status.data else "active"
    sort = choose_sort(queries.USER_SORTS, queries.USER_DEFAULT)
    page = paginate(sort.apply(queries.user_search(text, status)))
    return render_template("admin/users.html", page=page, search=search, sort=sort)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    none = [SelectChoice(0, _("— none —"))]
    form.department_id.choices = none + [SelectChoice(*d) for d in accounts_queries.department_choices()]
    if request.method == "GET":
        form.roles.data = sorted(user.roles) if user else [Role.EMPLOYEE.value]
        form.department_id.data = user.department_id or 0 if user else 0
    return form


def _target(user: User) -> dict:
    return {"target": user.email, "target_id": user.id}


def _log_user_saved(before: dict | None, user: User) -> None:
    after = services.user_facts(user)
    if before is None:
        security_event("admin_user_created", "success", **_target(user), roles=after["roles"], active=after["active"])
        return
    security_event("admin_user_changed", "success", **_target(user), changed=services.changed_facts(before, after))
    if before["roles"] != after["roles"]:
        added, removed = (
            sorted(set(after["roles"]) - set(before["roles"])),
            sorted(set(before["roles"]) - set(after["roles"])),
        )
        security_event("admin_roles_changed", "success", **_target(user), added=added, removed=removed)
    if before["active"] != after["active"]:
        security_event(f"admin_user_{'reactivated' if after['active'] else 'deactivated'}", "success", **_target(user))


def _save_user_view(user: User, success: str):
    form = _user_form(user if user.id else None)
    if form.validate_on_submit():
        before = services.user_facts(user) if user.id else None
        outcome = run_action(lambda: services.save_user(user, form.data, current_user), form=form)
        if outcome.ok:
            _log_user_saved(before, user)
            flash(success % {"name": user.full_name}, "success")
            return redirect(url_for("admin.users"), code=303)
    return render_template("admin/user_form.html", form=form, user=user), form_status()


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"])
def user_new():
    return _save_user_view(User(), _("User %(name)s created."))


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    return _save_user_view(_get_or_404(User, user_id), _("User %(name)s saved."))


@bp.route("/utilisateurs/<int:user_id>/desactiver", methods=["POST"])
def user_deactivate(user_id: int):
    user = _get_or_404(User, user_id)
    if not run_action(lambda: services.deactivate_user(user, current_user)).ok:  # the message is flashed
        return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    security_event("admin_user_deactivated", "success", **_target(user))
    flash(_("%(name)s is deactivated: they can no longer log in.", name=user.full_name), "success")
    return redirect(url_for("admin.users"), code=303)


@bp.route("/utilisateurs/<int:user_id>/reactiver", methods=["POST"])
def user_reactivate(user_id: int):
    user = _get_or_404(User, user_id)
    run_action(lambda: services.reactivate_user(user, current_user))
    security_event("admin_user_reactivated", "success", **_target(user))
    flash(_("%(name)s is active again.", name=user.full_name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)


@bp.route("/utilisateurs/<int:user_id>/mot-de-passe", methods=["GET", "POST"])
def user_password(user_id: int):
    user = _get_or_404(User, user_id)
    form = AdminSetPasswordForm()
    if form.validate_on_submit():
        outcome = run_action(lambda: services.set_user_password(user, form.password.data, current_user), form=form)
        if outcome.ok:
            security_event("admin_password_set", "success", **_target(user), sessions_ended=outcome.value)
            flash(_("The password %(of_name)s is set.", of_name=of_name(user.full_name)), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return render_template("admin/user_password.html", form=form, user=user), form_status()


@bp.route("/utilisateurs/<int:user_id>/lien-mot-de-passe", methods=["POST"])
def user_password_link(user_id: int):
    """The link is shown, not stored: nothing changes, so there is nothing to commit."""
    user = _get_or_404(User, user_id)
    link = absolute_url("accounts.set_password", token=password_link_token(user))
    security_event("admin_password_link_issued", "success", **_target(user))
    return render_template("admin/user_password_link.html", user=user, link=link)


# Departments ---------------------------------------------------------------------------------------------------


@bp.route("/services")
def departments():
    page = paginate(queries.department_list(), per_page=DEPARTMENTS_PER_PAGE)
    return render_template("admin/departments.html", page=page, counts=queries.users_per_department())


def _save_department_view(department: Department, success: str):
    form = DepartmentForm(obj=department if department.id else None)
    if form.validate_on_submit():
        event = "admin_department_changed" if department.id else "admin_department_created"
        outcome = run_action(lambda: services.save_department(department, form.data, current_user), form=form)
        if outcome.ok:
            security_event(event, "success", department=department.code, department_id=department.id)
            flash(success % {"name": department.name}, "success")
            return redirect(url_for("admin.departments"), code=303)
    return render_template("admin/department_form.html", form=form, department=department), form_status()


@bp.route("/services/nouveau", methods=["GET", "POST"])
def department_new():
    return _save_department_view(Department(), _("Department %(name)s created."))


@bp.route("/services/<int:department_id>", methods=["GET", "POST"])
def department_edit(department_id: int):
    return _save_department_view(_get_or_404(Department, department_id), _("Department %(name)s saved."))
