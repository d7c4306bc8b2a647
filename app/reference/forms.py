"""Forms of the reference data: programme cycles, partner organisations, list filters."""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.reference.models import PartnerKind

# Numeric(12, 2): at most ten digits before the decimal point.
MAX_MONEY = Decimal("9999999999.99")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_EN_GROUPING = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"-?\d+(\.\d+)?")


def parse_money(text: str) -> Decimal:
    """An amount typed in French or English ("1 234,56 $", "1,234.56", "1234.5") as an exact Decimal.

    Raises ValueError with a translated message for anything else (letters, exponents, NaN, too many decimals,
    too large). A negative amount is parsed: the services say whether it is allowed.
    """
    value = _SPACES.sub("", text or "").replace("$", "").removesuffix("CAD")
    # "1,234.56" (English thousands) or "1234,56" (French decimal comma).
    value = value.replace(",", "") if _EN_GROUPING.fullmatch(value) else value.replace(",", ".")
    if not _PLAIN.fullmatch(value):
        raise ValueError(_l("Enter an amount in dollars, such as 1234.56."))
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already refuses what Decimal refuses
        raise ValueError(_l("Enter an amount in dollars, such as 1234.56.")) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_l("An amount has at most two decimals (cents)."))
    if abs(amount) > MAX_MONEY:
        raise ValueError(_l("This amount is too large."))
    return amount.quantize(Decimal("0.01"))


class MoneyField(Field):
    """A Canadian-dollar amount, parsed exactly (never through float)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:.2f}"

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_money(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(str(exc.args[0])) from exc


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
    budget_envelope = MoneyField(_l("Budget envelope (CAD)"), validators=[InputRequired()])
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
