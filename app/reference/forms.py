"""Forms of the reference data: programme cycles, partner organisations, travel advisories, list filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.core.forms import MoneyField, SelectField
from app.reference.advisories import level_text
from app.reference.models import ADVISORY_LEVELS, ADVISORY_NOTE_MAX, PartnerKind, ProgrammeCycle


def _int_field(label, low: int = -1_000_000, high: int = 1_000_000, description=None) -> IntegerField:
    # The bounds only keep absurd numbers out of the database; the programme's rules are in the services.
    return IntegerField(
        label,
        validators=[InputRequired(), NumberRange(min=low, max=high)],
        description=description,
        render_kw={"inputmode": "numeric"},
    )


class CycleForm(FlaskForm):
    year = _int_field(_l("Year"), 2000, 2100)
    opens_on = DateField(_l("Applications open on"), validators=[InputRequired()])
    closes_on = DateField(_l("Applications close on"), validators=[InputRequired()])
    budget_envelope = MoneyField(
        _l("Budget envelope (CAD)"),
        column=ProgrammeCycle.__table__.c.budget_envelope,
        negative_message=_l("The budget envelope cannot be negative."),
        validators=[InputRequired(_l("Enter an amount."))],
    )
    places = _int_field(_l("Number of places"))
    min_working_days = _int_field(_l("Minimum duration (working days)"))
    max_working_days = _int_field(_l("Maximum duration (working days)"))
    min_notice_days = _int_field(_l("Minimum notice (days between submission and departure)"))
    period_start = DateField(
        _l("Missions from"),
        validators=[Optional()],
        description=_l("The missions charged to this cycle start on or after this day; empty: 1 January of its year."),
    )
    period_end = DateField(
        _l("Missions until"),
        validators=[Optional()],
        description=_l("The missions charged to this cycle end on or before this day; empty: 31 December of its year."),
    )
    daily_rate = MoneyField(
        _l("In-kind rate per working day (CAD)"),
        column=ProgrammeCycle.__table__.c.daily_rate,
        # No check in the table: the service refuses a negative rate too.
        non_negative=True,
        negative_message=_l("The daily rate cannot be negative."),
        validators=[Optional()],
        description=_l("The city's contribution per working day of a mission; leave empty for the default rate."),
    )
    submit = SubmitField(_l("Save"))


class PartnerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"))
    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request: the labels in the reader's language (a list built with the class froze them in English).
        self.kind.choices = PartnerKind.choices()


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    language = SelectField(
        _l("Language of the e-mails"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        default="fr",
    )
    submit = SubmitField(_l("Save"))


class CountryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    show = SelectField(
        _l("Show"),
        choices=[SelectChoice("all", _l("All countries")), SelectChoice("eligible", _l("Eligible countries only"))],
        default="all",
        validators=[Optional()],
    )


class PartnerFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Deactivated")),
            SelectChoice("all", _l("All")),
        ],
        default="active",
        validators=[Optional()],
    )


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice(level, level_text(level)) for level in ADVISORY_LEVELS]


class AdvisoryForm(FlaskForm):
    level = SelectField(_l("Travel advisory level"), coerce=int, validators=[InputRequired()])
    checked_on = DateField(_l("Checked on"), validators=[InputRequired(_l("Enter the date the advisory was checked."))])
    note_fr = TextAreaField(
        _l("Regional note (French)"),
        validators=[Optional(), Length(max=ADVISORY_NOTE_MAX)],
        description=_l("For example the regions to avoid; optional."),
    )
    note_en = TextAreaField(
        _l("Regional note (English, optional)"), validators=[Optional(), Length(max=ADVISORY_NOTE_MAX)]
    )
    submit = SubmitField(_l("Record the advisory"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = _level_choices()  # per request: in the reader's language


class AdvisoryImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "Columns: country code, level (1 to 4), checked on (YYYY-MM-DD), French note, English note; separated by"
            " ; or , in UTF-8. 1 MB and 500 rows at most."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    # The file's text, carried from the preview to the import (read and checked again then).
    content = TextAreaField(validators=[Optional()], render_kw={"hidden": True})
    preview = SubmitField(_l("Preview the changes"))
    apply = SubmitField(_l("Apply the changes"))
