from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.accounts.models import Department, User
from app.accounts.services import password_link_token, set_password
from app.admin import bp, services
from app.admin.forms import AdminSetPasswordForm, DepartmentForm, UserForm, UserSearchForm
from app.core.http import abort, get_page
from app.core.notifications import absolute_url
from app.extensions import db, login_manager


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role("admin"):
        abort(403)
    return None


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]


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
    query = select(User).options(joinedload(User.department), joinedload(User.manager)).order_by(User.full_name)
    if valid and search.q.data:
        pattern = f"%{search.q.data.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.full_name).like(pattern),
                func.lower(User.email).like(pattern),
                func.lower(User.employee_number).like(pattern),
            )
        )
    status = search.status.data if valid and search.status.data else "active"
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    page = db.paginate(query, page=get_page(), per_page=20, error_out=False)
    return render_template("admin/users.html", page=page, search=search)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    form.department_id.choices = [SelectChoice(0, _("— none —"))] + [SelectChoice(d.id, d.name) for d in departments]
    managers = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name)).all()
    form.manager_id.choices = [SelectChoice(0, _("— none —"))] + [
        SelectChoice(m.id, f"{m.full_name} ({m.email})") for m in managers if user is None or m.id != user.id
    ]
    if request.method == "GET":
        form.roles.data = sorted(user.roles) if user else ["employee"]
        form.department_id.data = user.department_id or 0 if user else 0
        form.manager_id.data = user.manager_id or 0 if user else 0
    return form


def _save_user_view(user: User, template: str, success: str):
    form = _user_form(user if user.id else None)
    if form.validate_on_submit():
        try:
            services.save_user(user, form.data, current_user)
        except services.AdminValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(success % {"name": user.full_name}, "success")
            return redirect(url_for("admin.users"), code=303)
    return render_template(template, form=form, user=user)


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"])
def user_new():
    return _save_user_view(User(), "admin/user_form.html", _("User %(name)s created."))


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_or_404(User, user_id)
    return _save_user_view(user, "admin/user_form.html", _("User %(name)s saved."))


@bp.route("/utilisateurs/<int:user_id>/desactiver", methods=["POST"])
def user_deactivate(user_id: int):
    user = _get_or_404(User, user_id)
    try:
        services.deactivate_user(user, current_user)
    except services.AdminValidationError as exc:
        db.session.rollback()
        flash(next(iter(exc.errors.values())), "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    db.session.commit()
    flash(_("%(name)s is deactivated: they can no longer log in.", name=user.full_name), "success")
    return redirect(url_for("admin.users"), code=303)


@bp.route("/utilisateurs/<int:user_id>/reactiver", methods=["POST"])
def user_reactivate(user_id: int):
    user = _get_or_404(User, user_id)
    services.reactivate_user(user)
    db.session.commit()
    flash(_("%(name)s is active again.", name=user.full_name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)


@bp.route("/utilisateurs/<int:user_id>/mot-de-passe", methods=["GET", "POST"])
def user_password(user_id: int):
    user = _get_or_404(User, user_id)
    form = AdminSetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.password.data)
        db.session.commit()
        flash(_("The password of %(name)s is set.", name=user.full_name), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return render_template("admin/user_password.html", form=form, user=user)


@bp.route("/utilisateurs/<int:user_id>/lien-mot-de-passe", methods=["POST"])
def user_password_link(user_id: int):
    user = _get_or_404(User, user_id)
    if not user.active:
        abort(409, _("This account is deactivated: reactivate it before sending a link."))
    link = absolute_url("accounts.set_password", token=password_link_token(user))
    return render_template("admin/user_password_link.html", user=user, link=link)


# Departments ---------------------------------------------------------------------------------------------------


@bp.route("/services")
def departments():
    query = select(Department).order_by(Department.name)
    page = db.paginate(query, page=get_page(), per_page=50, error_out=False)
    counts = dict(
        db.session.execute(select(User.department_id, func.count(User.id)).group_by(User.department_id)).all()
    )
    return render_template("admin/departments.html", page=page, counts=counts)


def _save_department_view(department: Department, success: str):
    form = DepartmentForm(obj=department if department.id else None)
    if form.validate_on_submit():
        try:
            services.save_department(department, form.data)
        except services.AdminValidationError as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(success % {"name": department.name}, "success")
            return redirect(url_for("admin.departments"), code=303)
    return render_template("admin/department_form.html", form=form, department=department)


@bp.route("/services/nouveau", methods=["GET", "POST"])
def department_new():
    return _save_department_view(Department(), _("Department %(name)s created."))


@bp.route("/services/<int:department_id>", methods=["GET", "POST"])
def department_edit(department_id: int):
    return _save_department_view(_get_or_404(Department, department_id), _("Department %(name)s saved."))
