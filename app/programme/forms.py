"""The GET forms of the dashboard's filters and of the annual report's choice (no CSRF: they change nothing)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice
from wtforms.validators import NumberRange, Optional

from app.core.forms import SelectField
from app.core.i18n import LANGUAGE_NAMES

FIRST_YEAR, LAST_YEAR = 2000, 2100


class DashboardFilterForm(FlaskForm):
    """Blank or unknown values filter nothing: the choices are checked by the view, not refused."""

    class Meta:
        csrf = False

    cycle = SelectField(_l("Programme cycle"), validators=[Optional()], validate_choice=False)
    year = IntegerField(_l("Year of the missions"), validators=[Optional(), NumberRange(min=FIRST_YEAR, max=LAST_YEAR)])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=False)
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=False)


class AnnualReportForm(FlaskForm):
    class Meta:
        csrf = False

    year = SelectField(_l("Year"), validate_choice=True)
    lang = RadioField(
        _l("Language of the report"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="fr",
        validate_choice=True,
    )
