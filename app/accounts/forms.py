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


def _new_password_field():
    return PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200), _password_length])


def _confirm_field():
    return PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Change my password"))


class SetPasswordForm(FlaskForm):
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Set my password"))
