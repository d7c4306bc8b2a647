"""Form fields shared by every domain: money that fits its column, ids that fit the database's integers.

:class:`MoneyField` reads its bounds from the column the amount lands in: ``Numeric(12, 2)`` holds at most
9 999 999 999,99 with two decimals, and a ``CHECK (amount >= 0)`` on the table makes a negative amount refused
next to the field. Amounts are typed the French way ("1 234,56 $") or the English way ("1,234.56") and parsed
exactly (never through ``float``); ``NaN``, ``Infinity``, exponents ("1e309") and anything but digits are refused
with a message next to the field, so that no such value reaches a comparison, a sum or the database.

:func:`bounded_id` turns a filter's text into an id the database's integers can hold, or ``None``;
:func:`database_int` is the ``coerce`` of a select field whose choices are not checked; :func:`ends_on_or_after`
checks that a period's end is not before its start.
"""

import re
from decimal import Decimal

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import CheckConstraint, Column, Numeric
from wtforms import DecimalField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Select, TextInput

from app.core.database import Money
from app.core.i18n import money, number
from app.core.input_guard import MAX_INT

INVALID_AMOUNT = _l("Enter an amount in dollars, such as 1234.56.")
INVALID_NUMBER = _l("Enter a number, such as 1234.5.")
TOO_MANY_DECIMALS = _l("An amount has at most two decimals (cents).")
NEGATIVE_AMOUNT = _l("The amount cannot be negative.")
END_BEFORE_START = _l("The end date must be on or after the start date.")

# Longer than any amount a column can hold, with its spaces, separators and currency: refused before parsing.
_MAX_TEXT = 40
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_EN_GROUPING = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_PLAIN = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def _numeric_type(column) -> Numeric:
    type_ = column.type if isinstance(column, Column) else column
    if not isinstance(type_, Numeric) or type_.precision is None or type_.scale is None:
        raise TypeError(f"an amount needs a Numeric(precision, scale) column, not {type_!r}")
    return type_


def largest_amount(column=Money) -> Decimal:
    """The largest amount a ``Numeric(precision, scale)`` column holds: 9999999999.99 for ``Numeric(12, 2)``."""
    type_ = _numeric_type(column)
    return Decimal(10) ** (type_.precision - type_.scale) - Decimal(10) ** -type_.scale


def parse_money(text: str, column=Money) -> Decimal:
    """An amount typed in French or English ("1 234,56 $", "1,234.56", "1234.5", "-3") as an exact Decimal with the
    column's decimals ("0.1" is 0.10).

    Raises ValueError with a translated message for anything else: letters, exponents, NaN, Infinity, more decimals
    than the column keeps, an amount beyond the column's range. A negative amount is parsed: :class:`MoneyField`
    refuses it where the column's table forbids it."""
    return _parse_decimal(_SPACES.sub("", text or "").removesuffix("CAD").replace("$", ""), column, currency=True)


def parse_number(text: str, column) -> Decimal:
    """A number (a count, a percentage, an indicator's value) typed in French or English ("1 234,5", "1,234.5"), as
    an exact Decimal with the column's decimals: :func:`parse_money` without the currency and with the messages of a
    number."""
    return _parse_decimal(_SPACES.sub("", text or "").removesuffix("%"), column, currency=False)


def _parse_decimal(value: str, column, currency: bool) -> Decimal:
    type_ = _numeric_type(column)
    invalid = INVALID_AMOUNT if currency else INVALID_NUMBER
    if len(value) > _MAX_TEXT:
        raise ValueError(invalid)
    # "1,234.56" (English thousands) or "1234,56" (French decimal comma).
    value = value.replace(",", "") if _EN_GROUPING.fullmatch(value) else value.replace(",", ".", 1)
    if not _PLAIN.fullmatch(value):
        raise ValueError(invalid)
    amount = Decimal(value)
    largest = largest_amount(type_)
    if abs(amount) > largest:
        if currency:
            raise ValueError(_("This amount is too large. The largest accepted is %(max)s.", max=money(largest)))
        raise ValueError(_("This number is too large. The largest accepted is %(max)s.", max=number(largest)))
    unit = Decimal(10) ** -type_.scale
    if amount != amount.quantize(unit):
        if currency:
            raise ValueError(TOO_MANY_DECIMALS if type_.scale == 2 else INVALID_AMOUNT)
        raise ValueError(_("At most %(places)s decimals.", places=type_.scale) if type_.scale else invalid)
    return amount.quantize(unit) + 0  # + 0: "-0" is zero


def has_non_negative_check(column) -> bool:
    """True when a CHECK constraint of ``column``'s table says ``<column> >= 0``."""
    if not isinstance(column, Column) or column.table is None:
        return False
    pattern = re.compile(rf"(?<![\w.]){re.escape(column.name)}\s*>=\s*0(?![\d.])")
    return any(
        isinstance(constraint, CheckConstraint) and pattern.search(str(constraint.sqltext))
        for constraint in column.table.constraints
    )


class MoneyField(DecimalField):
    """A Canadian-dollar amount bounded by the column it lands in.

    ``column`` is the SQLAlchemy column (``Model.__table__.c.name``) or its ``Numeric`` type: its precision and scale
    give the largest amount and the number of decimals (:func:`parse_money`). ``non_negative`` (by default: whether
    the column's table checks ``name >= 0``) refuses a negative amount with ``negative_message``. A text input: a
    number input refuses the French decimal comma."""

    widget = TextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        column,
        non_negative: bool | None = None,
        negative_message=None,
        **kwargs,
    ):
        self.column_type = _numeric_type(column)
        self.non_negative = has_non_negative_check(column) if non_negative is None else non_negative
        self.negative_message = negative_message or NEGATIVE_AMOUNT
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, places=self.column_type.scale, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            self.data = parse_money(str(valuelist[0]), self.column_type)

    def pre_validate(self, form) -> None:
        if self.non_negative and self.data is not None and self.data < 0:
            self.data = None
            raise StopValidation(self.negative_message)


class NumberField(MoneyField):
    """A number bounded by the column it lands in (:func:`parse_number`): a count, a percentage, a value. Negative
    numbers are accepted unless the column's table checks ``name >= 0`` (or ``non_negative``)."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            self.data = parse_number(str(valuelist[0]), self.column_type)


def database_int(value) -> int:
    """``coerce`` of a select field whose choices are not checked (an id the service looks up): a whole number the
    database's integers hold, else ValueError (the field says its choice is not valid)."""
    number = int(value)
    if not -MAX_INT <= number <= MAX_INT:
        raise ValueError(number)
    return number


def bounded_id(value) -> int | None:
    """The id a filter's text names, if the database's integers can hold it ("", "x", "-1", "10**20": None)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_INT)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_INT else None


def ends_on_or_after(start_field: str, message=END_BEFORE_START):
    """A validator of a period's end date: on or after the date of the form's field ``start_field``. Either date
    missing, it says nothing (their own validators do). Put it last in the field's validators, where a
    ``validate_<field>`` method would run."""

    def validator(form, field) -> None:
        start = form[start_field].data
        if start and field.data and field.data < start:
            raise ValidationError(message)

    return validator


class OptionsSelect(Select):
    """WTForms' ``<select>``, each option written straight out instead of through WTForms' generic attribute
    builder: the same HTML, five times faster. A filter's select lists every country and department (hundreds of
    options on every view of a list), and the generic builder was half the time of such a page."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        # Both the value and the label are escaped.
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')  # noqa: S704


class SelectField(wtforms.SelectField):
    """The select field every form uses (:class:`OptionsSelect`)."""

    widget = OptionsSelect()
