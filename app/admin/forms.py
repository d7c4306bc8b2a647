"""Forms of the administration: a user, a department, a password set by an administrator, the user search."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import confirm_field, new_password_field
from app.accounts.models import Role
from app.core.forms import SelectField
from app.core.pickers import PickerField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
    )
    employee_number = StringField(
        _l("Employee number"),
        validators=[
            DataRequired(),
            Length(max=20),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and hyphens only.")),
        ],
    )
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    manager_id = PickerField(_l("Manager"), picker="admin.managers", validators=[Optional()])
    roles = MultiCheckboxField(_l("Roles"))
    language = SelectField(
        _l("Preferred language"), choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")]
    )
    active = BooleanField(_l("Active account"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = Role.choices()  # labels in the reader's language, hence per request


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=20),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and hyphens only.")),
        ],
    )
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class AdminSetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Set the password"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, e-mail or employee number"), validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Accounts"),
        choices=[
            SelectChoice("active", _l("Active accounts")),
            SelectChoice("inactive", _l("Deactivated accounts")),
            SelectChoice("all", _l("All accounts")),
        ],
        default="active",
        validators=[Optional()],
    )
