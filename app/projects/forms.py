"""Forms of the projects domain. Choices that come from the database are filled by the views."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import MoneyField, NumberField, SelectField, database_int, ends_on_or_after
from app.core.i18n import LANGUAGE_NAMES
from app.core.pickers import PickerField
from app.projects.models import Expenditure, FundingLine, FundingSource, PartnerRole, Project, ProjectStatus
from app.projects.results import IndicatorMeasure, IndicatorPeriod, ResultIndicator, ResultType
from app.projects.services.rules import outside_dates_message


def _money_field(label, column, required=True) -> MoneyField:
    validators = [InputRequired(_l("Enter an amount."))] if required else [Optional()]
    return MoneyField(label, column=column, validators=validators)


class ProjectForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=30),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and hyphens only.")),
        ],
        description=_l("A short unique code, for example HT-PAP-FISC."),
    )
    title_fr = StringField(_l("Title in French"), validators=[DataRequired(), Length(max=250)])
    title_en = StringField(
        _l("Title in English"),
        validators=[Optional(), Length(max=250)],
        description=_l("Optional: shown to English readers when present."),
    )
    description_fr = TextAreaField(_l("Description in French"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=5000)])
    country_code = SelectField(_l("Country"), default="HT")
    locality = StringField(_l("Locality"), validators=[Optional(), Length(max=200)])
    sector_id = SelectField(_l("Sector (OECD DAC purpose code)"), coerce=int)
    status = SelectField(_l("Status"), choices=ProjectStatus.choices, default=ProjectStatus.PLANNED.value)
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Enter a date."))])
    end_date = DateField(
        _l("End date"), validators=[InputRequired(_l("Enter a date.")), ends_on_or_after("start_date")]
    )
    budget = _money_field(_l("Budget (CAD)"), Project.__table__.c.budget)
    submit = SubmitField(_l("Save the project"))


class PartnerForm(FlaskForm):
    partner_id = PickerField(
        _l("Partner organisation"), picker="reference.partners", validators=[DataRequired(_l("Choose a partner."))]
    )
    role = SelectField(_l("Role"), choices=PartnerRole.choices)
    submit = SubmitField(_l("Add the partner"))


class FundingLineForm(FlaskForm):
    source = SelectField(_l("Funding source"), choices=FundingSource.choices)
    amount = _money_field(_l("Amount (CAD)"), FundingLine.__table__.c.amount)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=250)])
    submit = SubmitField(_l("Add the funding line"))


class ExpenditureForm(FlaskForm):
    spent_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date."))])
    amount = _money_field(_l("Amount (CAD)"), Expenditure.__table__.c.amount)
    description = StringField(_l("Description"), validators=[DataRequired(), Length(max=500)])
    source = SelectField(_l("Funding source"), choices=FundingSource.choices)
    attachment = FileField(
        _l("Supporting document"), description=_l("Optional: PDF, JPEG, PNG or Word (DOCX), 10 MB at most.")
    )
    submit = SubmitField(_l("Record the expenditure"))

    # The project, set by the view, so that a date outside it is said together with the other errors (the
    # service checks it again).
    project = None

    def validate_spent_on(self, field):
        project = self.project
        if project is not None and field.data and not project.start_date <= field.data <= project.end_date:
            raise ValidationError(outside_dates_message(project))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=250)])
    due_on = DateField(_l("Due date"), validators=[InputRequired(_l("Enter a date."))])
    submit = SubmitField(_l("Add the milestone"))


class LinkMissionForm(FlaskForm):
    # Any request that is not cancelled, withdrawn or rejected: the service says why it cannot be linked.
    request_id = PickerField(
        _l("Mission (request reference)"),
        picker="projects.missions",
        validators=[DataRequired(_l("Choose a request."))],
    )
    # The project's results (a handful), filled by the view; the service checks the result is the project's.
    result_id = SelectField(
        _l("Result the mission served"), coerce=database_int, validate_choice=False, validators=[Optional()], default=0
    )
    submit = SubmitField(_l("Link the mission"))
    # Shown only once the page said that the mission belongs to another project (see ``MoveNotConfirmed``).
    confirm_move = SubmitField(_l("Confirm the move"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Long enough for a page of narrative, short enough that no one pastes a book into a form.
UPDATE_BODY_MAX = 20000


class UpdateForm(FlaskForm):
    update_date = DateField(_l("Date of the update"), validators=[InputRequired(_l("Enter a date."))])
    title_fr = StringField(
        _l("Title in French"), validators=[DataRequired(_l("Enter a title in French.")), Length(max=200)]
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[Optional(), Length(max=200)],
        description=_l("Optional: shown to English readers when present."),
    )
    body_fr = TextAreaField(
        _l("Text in French"),
        validators=[DataRequired(_l("Write the update in French.")), Length(max=UPDATE_BODY_MAX)],
        render_kw={"rows": 8},
    )
    body_en = TextAreaField(
        _l("Text in English"), validators=[Optional(), Length(max=UPDATE_BODY_MAX)], render_kw={"rows": 8}
    )
    published = BooleanField(
        _l("May appear on the project's public page"),
        description=_l("Only the photos whose people consented to their publication would appear with it."),
    )
    # Choices: the project's report photos (``update_queries.report_photos``); the service checks each one again.
    report_photos = MultiCheckboxField(
        _l("Photos of the mission reports"),
        coerce=database_int,
        validate_choice=False,
        description=_l("Copied into the update, resized; add their captions afterwards."),
    )
    submit = SubmitField(_l("Save the update"))


class PhotoCaptionFields(FlaskForm):
    caption_fr = StringField(
        _l("Caption in French"),
        validators=[DataRequired(_l("Describe the photo in French.")), Length(max=300)],
        description=_l("Also read aloud by screen readers in place of the photo."),
    )
    caption_en = StringField(_l("Caption in English"), validators=[Optional(), Length(max=300)])
    consent_to_publish = BooleanField(_l("The people shown consented to the publication of this photo"))


class PhotoForm(PhotoCaptionFields):
    photo = FileField(_l("Photo"), description=_l("JPEG or PNG, 10 MB at most; resized to 1600 pixels."))
    submit = SubmitField(_l("Add the photo"))


class PhotoEditForm(PhotoCaptionFields):
    submit = SubmitField(_l("Save the caption"))


class SectorForm(FlaskForm):
    code = StringField(
        _l("OECD DAC purpose code"),
        validators=[DataRequired(), Regexp(r"^\d{5}$", message=_l("Five digits, for example 15112."))],
    )
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    active = SelectField(
        _l("Offered for new projects"),
        choices=[SelectChoice("1", _l("Yes")), SelectChoice("0", _l("No"))],
        default="1",
    )
    submit = SubmitField(_l("Save the sector"))


class ProjectFilterForm(FlaskForm):
    """The filters of the list (GET, no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    partner = PickerField(_l("Partner"), picker="reference.partners", validators=[Optional()])
    source = SelectField(_l("Funding source"), validators=[Optional()])
    year = StringField(_l("Year"), validators=[Optional(), Regexp(r"^[0-9]{4}$", message=_l("A year, e.g. 2027."))])


# The fields the projects domain adds to the forms of leave and reports (see ``views.extensions``) ---------------


def request_project_field() -> PickerField:
    """The project of a leave request: the service says why a project cannot be chosen."""
    return PickerField(_l("Linked cooperation project"), picker="projects.projects", validators=[Optional()])


def requests_project_filter() -> PickerField:
    """The project filter of the BRI's list of requests (blank: all)."""
    return PickerField(_l("Project"), picker="projects.projects", validators=[Optional()])


def archive_project_filter() -> PickerField:
    """The project filter of the mission archive (blank: all)."""
    return PickerField(_l("Project"), picker="projects.projects", validators=[Optional()])


# The results framework (IATI's results, indicators and periods) ------------------------------------------------


def _whole_number(value) -> int | None:
    """A version as the form sent it ("3") or as the row holds it (3); None when blank or no whole number that a
    version could be (the view takes that for a conflict)."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _version_field() -> HiddenField:
    """The version of the row the form was shown with (a stale save is refused). A HiddenField, which
    ``render_field`` writes as a bare hidden input (a hidden IntegerField got a visible label "Version")."""
    return HiddenField(filters=[_whole_number])


def _value_field(label, column, description=None) -> NumberField:
    return NumberField(label, column=column, validators=[Optional()], description=description)


class _TextsForm(FlaskForm):
    title_fr = StringField(_l("Title in French"), validators=[DataRequired(), Length(max=250)])
    title_en = StringField(
        _l("Title in English"),
        validators=[Optional(), Length(max=250)],
        description=_l("Optional: shown to English readers when present."),
    )
    description_fr = TextAreaField(_l("Description in French"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=5000)])


class ResultForm(_TextsForm):
    type = SelectField(_l("Kind of result"), choices=ResultType.choices, default=ResultType.OUTPUT.value)
    version = _version_field()
    submit = SubmitField(_l("Save the result"))


class IndicatorForm(_TextsForm):
    measure = SelectField(_l("Measure"), choices=IndicatorMeasure.choices, default=IndicatorMeasure.UNIT.value)
    ascending = BooleanField(
        _l("A higher value is better"),
        default=True,
        description=_l("Untick it when a lower value is better, such as a rate of water losses."),
    )
    baseline_year = IntegerField(
        _l("Year of the baseline"),
        validators=[Optional(), NumberRange(min=1900, max=2200, message=_l("Enter a year between 1900 and 2200."))],
    )
    baseline_value = _value_field(
        _l("Baseline value"),
        ResultIndicator.__table__.c.baseline_value,
        _l("The value before the project; leave it blank for a qualitative indicator."),
    )
    baseline_comment = TextAreaField(_l("Baseline comment"), validators=[Optional(), Length(max=2000)])
    version = _version_field()
    submit = SubmitField(_l("Save the indicator"))


class PeriodForm(FlaskForm):
    period_start = DateField(_l("Start of the period"), validators=[InputRequired(_l("Enter a date."))])
    period_end = DateField(
        _l("End of the period"), validators=[InputRequired(_l("Enter a date.")), ends_on_or_after("period_start")]
    )
    target_value = _value_field(
        _l("Target value"),
        IndicatorPeriod.__table__.c.target_value,
        _l("Leave it blank for a qualitative indicator and describe the target below."),
    )
    target_comment = TextAreaField(_l("Target comment"), validators=[Optional(), Length(max=2000)])
    version = _version_field()
    submit = SubmitField(_l("Save the period"))


class ActualForm(FlaskForm):
    actual_value = _value_field(
        _l("Actual value"),
        IndicatorPeriod.__table__.c.actual_value,
        _l("Leave it blank for a qualitative indicator and describe what was achieved below."),
    )
    actual_comment = TextAreaField(_l("Comment on the actual value"), validators=[Optional(), Length(max=2000)])
    version = _version_field()
    submit = SubmitField(_l("Record the actual value"))


# A funder's report ---------------------------------------------------------------------------------------------

REPORT_FIRST_YEAR, REPORT_LAST_YEAR = 2000, 2100


def _report_day(form, field) -> None:
    """A day is required (an unreadable one already has its error) and falls between 2000 and 2100."""
    if field.data is None:
        if not field.process_errors:
            raise StopValidation(_l("Enter a date."))
        return
    if not REPORT_FIRST_YEAR <= field.data.year <= REPORT_LAST_YEAR:
        raise StopValidation(_l("Enter a date between 2000 and 2100."))


class FunderReportForm(FlaskForm):
    """The GET form of a funder's report (no CSRF: it changes nothing); its names are the PDF's parameters."""

    class Meta:
        csrf = False

    source = SelectField(_l("Funding source"), choices=FundingSource.choices, validate_choice=True)
    debut = DateField(_l("Start of the period"), validators=[_report_day])
    fin = DateField(_l("End of the period"), validators=[_report_day, ends_on_or_after("debut")])
    lang = RadioField(
        _l("Language of the report"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="fr",
        validate_choice=True,
    )


# A mission report's proposal to update an indicator (the report form's "proposal" sub-form) -----------------


class ProposalForm(Form):
    """The proposal's fields inside the report's form (no token of its own: the report form carries it). The
    choices are the indicators of the mission's project and their periods, filled per page; the service checks
    that the chosen ones are the project's."""

    indicator_id = SelectField(
        _l("Indicator"), coerce=database_int, validate_choice=False, validators=[Optional()], default=0
    )
    period_id = SelectField(
        _l("Period"), coerce=database_int, validate_choice=False, validators=[Optional()], default=0
    )
    value = _value_field(
        _l("Proposed actual value"),
        IndicatorPeriod.__table__.c.actual_value,
        _l("Leave it blank for a qualitative indicator and describe what was achieved below."),
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=2000)],
        description=_l("How the value was measured, or for a qualitative indicator what was achieved."),
    )


def report_proposal_field() -> FormField:
    return FormField(ProposalForm, label=_l("Propose an update of one of the project's indicators"), separator="-")


class ProposalDecisionForm(FlaskForm):
    """The BRI's decision on a proposal, prefixed by the proposal (``decide<id>``): several on one page."""

    comment = TextAreaField(
        _l("Comment for the employee"),
        description=_l("Required to decline the proposal."),
        validators=[Optional(), Length(max=2000)],
    )
    # Where the decision was taken: "project" (the project's results) or the report's page.
    back = HiddenField()
