"""Forms of the report cycle: the employee's report, the BRI's decision, the archive's search."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import SelectField
from app.core.pickers import PickerField

TEXT_MAX = 20_000


def _text(label, description=None):
    return TextAreaField(
        label, description=description, validators=[Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 6}
    )


class ReportForm(FlaskForm):
    """Every section may be empty in a draft; the service requires the first three on submission."""

    activities = _text(_l("Activities carried out"), _l("What you did during the mission, with whom, where."))
    results = _text(_l("Results"), _l("What the mission produced for the partner and for the city."))
    lessons_learned = _text(_l("Lessons learned"))
    recommendations_city = _text(_l("Recommendations for the city"))
    recommendations_partner = _text(_l("Recommendations for the partner"))
    testimony = _text(_l("Testimony"), _l("A few words about your experience, in your own voice."))
    consent_to_quote = BooleanField(_l("I agree that the BRI quotes my testimony in its communications"))
    files = MultipleFileField(
        _l("Attachments"),
        description=_l("Photos, the partner's letter... PDF, JPEG, PNG or Word (DOCX), 10 MB each, 5 files at most."),
    )
    version = HiddenField()
    # The report's own version (0 before its first save): a save from a stale page is a 409.
    report_version = HiddenField()


class DecisionForm(FlaskForm):
    """Accept or return: the request's version travels with the form, so that a stale decision is a 409."""

    version = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(
        _l("Comment for the employee"),
        description=_l("Required to return the report: say what to correct or complete."),
        validators=[Optional(), Length(max=5000)],
    )


class ArchiveFilterForm(FlaskForm):
    """GET form of the archive (no CSRF: it changes nothing). The domains above add their filters to it
    (extension point "reports.archive")."""

    class Meta:
        csrf = False

    q = StringField(_l("Words"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=False)
    partner = PickerField(_l("Partner"), picker="reference.partners", validators=[Optional()])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=False)
    cycle = SelectField(_l("Programme cycle"), validators=[Optional()], validate_choice=False)
    year = IntegerField(_l("Year of the mission"), validators=[Optional(), NumberRange(min=2000, max=2100)])
