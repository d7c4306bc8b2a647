from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import Optional

from app.core.forms import SelectField, bounded_id


def _department_id(value):
    return bounded_id(value) or 0


class CalendarFilterForm(FlaskForm):
    """The BRI's filters of the calendar (a GET form): a blank or unknown value is ignored, field by field."""

    class Meta:
        csrf = False

    mois = HiddenField()
    country_code = SelectField(_l("Country"), validators=[Optional()])
    department_id = SelectField(_l("Department"), coerce=_department_id, validators=[Optional()])

    def filters(self) -> dict:
        chosen = {}
        for name in ("country_code", "department_id"):
            field = self[name]
            if field.data and field.validate(self):
                chosen[name] = field.data
            field.errors = []  # ignored, not refused: the calendar shows every country (or department)
        return chosen
