"""Forms of the accounts: logging in, changing or setting one's password."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError


def _password_length(form, field):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_l("The password must have at least %(n)d characters.", n=minimum))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


def new_password_field() -> PasswordField:
    """A new password, at least ``PASSWORD_MIN_LENGTH`` characters (also used by the administration); the
    services then refuse those that are easy to guess (``services.password_problem``)."""
    return PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200), _password_length])


def confirm_field() -> PasswordField:
    """The new password typed again; it must equal the form's ``password`` field."""
    return PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Change my password"))


class SetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Set my password"))
