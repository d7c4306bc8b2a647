from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.core.forms import MoneyField, SelectField
from app.core.input_guard import MAX_INT
from app.core.pickers import PickerField
from app.core.registry import registry_of
from app.leave.labels import status_label
from app.leave.models import MAX_MISSION_DAYS, LeaveRequest
from app.leave.services.requests import FIELDS
from app.leave.workflow import STATUSES

# The costs the page adds up as the user types (app/static/leave-form.js).
COST = {"data-cost": "1"}


def _money(name: str, label, **render_kw) -> MoneyField:
    return MoneyField(
        label,
        column=LeaveRequest.__table__.c[name],
        default=0,
        validators=[InputRequired(_l("Enter an amount."))],
        render_kw=render_kw,
    )


class LeaveRequestForm(FlaskForm):
    # Optional: none chosen, the server takes the open cycle the mission's dates fall in.
    cycle_id = SelectField(_l("Programme cycle"), coerce=int, validators=[Optional()])
    country_code = SelectField(_l("Destination country"), validators=[DataRequired()])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    partner_id = PickerField(_l("Host partner organisation"), picker="reference.partners", validators=[Optional()])
    objectives = TextAreaField(_l("Objectives of the mission"), validators=[DataRequired(), Length(max=5000)])
    expertise = TextAreaField(_l("Expertise shared"), validators=[DataRequired(), Length(max=5000)])
    benefits = TextAreaField(_l("Expected benefits for the city"), validators=[DataRequired(), Length(max=5000)])
    languages = StringField(
        _l("Languages"), validators=[DataRequired(), Length(max=200)], description=_l("For example: French, Creole")
    )
    start_date = DateField(_l("Start date"), validators=[DataRequired()], render_kw={"data-working-days": "start"})
    end_date = DateField(_l("End date"), validators=[DataRequired()], render_kw={"data-working-days": "end"})
    cost_transport = _money("cost_transport", _l("Transport (CAD)"), **COST)
    cost_lodging = _money("cost_lodging", _l("Lodging (CAD)"), **COST)
    cost_per_diem = _money("cost_per_diem", _l("Per diem (CAD)"), **COST)
    cost_other = _money("cost_other", _l("Other costs (CAD)"), **COST)
    amount_requested = _money("amount_requested", _l("Amount asked from the BRI (CAD)"))
    # The token the page was given (32 characters); anything longer was not ours, and the column holds 64.
    creation_token = HiddenField(validators=[Optional(), Length(max=64)])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    save = SubmitField(_l("Save as draft"))
    save_submit = SubmitField(_l("Save and submit"))

    COST_FIELDS = ("cost_transport", "cost_lodging", "cost_per_diem", "cost_other")

    def validate_end_date(self, field):
        # Counting the working days of centuries would hold the server for seconds (and the holidays of every year
        # in memory): a mission is refused here long before, as the page's count of working days does.
        if self.start_date.data and field.data and (field.data - self.start_date.data).days > MAX_MISSION_DAYS:
            raise ValidationError(_l("A mission lasts a year at most: check the end date."))

    def data_for_service(self) -> dict:
        names = (
            "cycle_id",
            "partner_id",
            *FIELDS,
            # The fields the domains above added (point "leave.request_form"), under their names.
            *(ext.name for ext in registry_of().extensions("leave.request_form")),
        )
        return {name: self[name].data for name in names}


class ActionForm(FlaskForm):
    """A decision or a step on a request: an optional comment and the version the user saw."""

    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # The BRI's approval to a destination at travel advisory level 3 or 4 (the comment explains the exception).
    advisory_exception = BooleanField(_l("I approve by exception to the travel advisory"))


UNREADABLE_SELECTION = _l("The selection could not be read: reload the page and tick again.")


def _id_and_version(value: str) -> tuple[int, int]:
    """``"<id>:<version>"`` as two integers the database holds; ValidationError for anything else."""
    parts = value.split(":")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
        raise ValidationError(UNREADABLE_SELECTION)
    request_id, version = int(parts[0]), int(parts[1])
    if max(request_id, version) > MAX_INT:
        raise ValidationError(UNREADABLE_SELECTION)
    return request_id, version


class TickedRequestsField(Field):
    """The rows ticked in a list of requests, each sent as ``"<id>:<version>"``: the request and the version the
    reader saw. ``data`` is the list of ``(id, version)`` pairs, in the order sent, each request once."""

    def process_formdata(self, valuelist):
        self.data = []

    def pre_validate(self, form):
        pairs = {}
        for value in self.raw_data or []:
            request_id, version = _id_and_version(value)
            pairs.setdefault(request_id, version)
        if not pairs:
            raise ValidationError(_l("Tick at least one request."))
        limit = current_app.config["ITEMS_PER_PAGE"]
        if len(pairs) > limit:
            raise ValidationError(_l("Approve at most %(num)s requests at once (one page).", num=limit))
        self.data = list(pairs.items())


class BulkApprovalForm(FlaskForm):
    """The manager's approval of the requests ticked in their queue, with one comment for them all."""

    selected = TickedRequestsField(_l("Requests to approve"))
    comment = TextAreaField(
        _l("Comment for every approved request (optional)"), validators=[Optional(), Length(max=5000)]
    )
    submit = SubmitField(_l("Approve the selection"))


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("File"),
        description=_l("PDF, JPEG, PNG or Word (DOCX), 10 MB at most, 5 files at most."),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,.docx"},
    )
    submit = SubmitField(_l("Attach the file"))


class DelegationForm(FlaskForm):
    delegate_id = PickerField(_l("Delegate"), picker="leave.delegates", validators=[DataRequired()])
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("To"), validators=[DataRequired()])
    submit = SubmitField(_l("Name the delegate"))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All"))] + [SelectChoice(s, status_label(s)) for s in STATUSES],
        validators=[Optional()],
    )
    cycle_id = SelectField(_l("Cycle"), coerce=int, validators=[Optional()])
    country_code = SelectField(_l("Country"), validators=[Optional()])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    q = StringField(_l("Reference or words"), validators=[Optional(), Length(max=100)])

    def filters(self) -> dict:
        if not self.validate():
            return {}
        return {
            "status": self.status.data or None,
            "cycle_id": self.cycle_id.data or None,
            "country_code": self.country_code.data or None,
            "department_id": self.department_id.data or None,
            # The filters the domains above added (point "leave.bri_list"), under their names.
            **{ext.name: self[ext.name].data or None for ext in registry_of().extensions("leave.bri_list")},
            "q": self.q.data or None,
        }


class PartnerAskForm(FlaskForm):
    """The BRI sends the host partner's confirmation link to one of its contacts (the choices: its active ones).
    Its fields are prefixed: the page holds the decision's form too."""

    contact_id = SelectField(_l("Contact of the host partner"), coerce=int, validate_choice=False)
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="partner_ask", **kwargs)


class PartnerRecordForm(ActionForm):
    """The BRI records a confirmation the host partner gave by other means: how, in the comment (required)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="partner_record", **kwargs)


class PartnerAnswerForm(FlaskForm):
    """The host partner's answer, on the page its signed link opens (no account; the CSRF token all the same)."""

    answer = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice("confirmed", _l("We confirm that we will host this mission")),
            SelectChoice("declined", _l("We decline")),
        ],
        validators=[InputRequired(_l("Choose to confirm or to decline the mission."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Required to decline: say why."),
    )
    submit = SubmitField(_l("Send the answer"))
