"""Choosing one row among thousands: a search-as-you-type field backed by a JSON endpoint, never a ``<select>``.

A domain registers a :class:`Picker` (``registry.add_picker``) that says who may use it and how to find its rows:

- ``search(q, user, limit)``: at most ``limit`` :class:`Choice` whose words or key start with ``q`` (index-friendly:
  a prefix ``LIKE 'q%'`` on ``lower(column)``, see :func:`starts_with`), for ``GET /choix/<name>?q=``;
- ``lookup(text, user)``: the row a posted value names (its id, which the widget sends, or its key — e-mail,
  reference, code, name — which a person without JavaScript types), or None;
- ``describe(id)``: the current value's label on an edit form (whoever may see the form may see it).

:class:`PickerField` is the form field: a text input that ``static/pickers.js`` turns into a Tom Select widget
(``static/vendor``, installed by ``make assets``). Without JavaScript it is a plain text input; either way the server
resolves the posted text with ``lookup`` and says next to the field when it names nothing allowed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from wtforms import StringField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from app.core.forms import bounded_id
from app.core.registry import registry_of

MIN_QUERY = 2  # characters before the endpoint searches
MAX_QUERY = 100  # longer is no name, e-mail or reference: nothing is searched
LIMIT = 20  # results of one search

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Choice:
    id: int
    key: str  # what a person types without JavaScript (e-mail, reference, code, name); the id works too
    label: str  # what the list and the field show


@dataclass(frozen=True)
class Picker:
    name: str
    allowed: Callable[[object], bool]
    search: Callable[[str, object, int], list[Choice]]
    lookup: Callable[[str, object], Choice | None]
    describe: Callable[[int], Choice | None]
    hint: object = None  # the placeholder and help: what to type
    not_found: object = None  # the message next to the field when the text names nothing allowed


def picker(name: str) -> Picker:
    return registry_of().pickers[name]


def normalise_query(text: str | None) -> str:
    """The searched text: spaces collapsed, lower case; "" when too short or too long to name anything."""
    query = _SPACES.sub(" ", text or "").strip().lower()
    return query if MIN_QUERY <= len(query) <= MAX_QUERY else ""


def like_prefix(query: str) -> str:
    """``query`` as a LIKE pattern matching what starts with it (its ``%``, ``_`` and ``\\`` taken literally)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


class folded(FunctionElement):  # noqa: N801 - used like a SQL function
    """``lower(column)``, Unicode-aware on SQLite too (``unicode_lower``, registered on each SQLite connection)."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded)
def _folded(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def starts_with(column, query: str):
    """``lower(column) LIKE 'query%'``: a prefix, which the ``lower(column) text_pattern_ops`` index of migration
    0012 serves on PostgreSQL (a ``'%x%'`` condition would read the whole table)."""
    return folded(column).like(like_prefix(query.lower()), escape="\\")


def contains_word(column, query: str):
    """A word of ``column`` starts with ``query`` (for the small reference tables only: it reads every row)."""
    return folded(column).like("% " + like_prefix(query.lower()), escape="\\")


def id_or_key(text: str) -> tuple[int | None, str]:
    """A posted value: (its id, "") when it is a number, else (None, the key in lower case)."""
    value = _SPACES.sub(" ", text or "").strip()
    if value.isascii() and value.isdigit():
        return bounded_id(value), ""
    return None, value.lower()[:MAX_QUERY]


class PickerInput(TextInput):
    """A text input carrying what ``pickers.js`` needs: the endpoint, the current label, the messages."""

    def __call__(self, field, **kwargs):
        choice = field.current_choice()
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("placeholder", field.picker.hint or "")
        kwargs.update(
            data_picker_url=url_for("core.pick", name=field.picker.name),
            data_picker_label=choice.label if choice else "",
            data_picker_short=_l("Type at least two characters."),
            data_picker_empty=_l("Nothing found."),
        )
        return super().__call__(field, **kwargs)


class PickerField(StringField):
    """The id of a row chosen with :class:`Picker` ``picker`` (``data``: an int, or None when left blank).

    The posted text is an id or a key, resolved with the picker's ``lookup`` for the logged-in user; a text that
    names nothing allowed is refused next to the field with the picker's ``not_found`` message."""

    widget = PickerInput()

    def __init__(self, label=None, validators=None, *, picker: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.picker_name = picker
        self.raw = ""
        self.choice: Choice | None = None

    @property
    def picker(self) -> Picker:
        return picker(self.picker_name)

    def process_data(self, value):
        self.data = value if isinstance(value, int) and value > 0 else None

    def process_formdata(self, valuelist):
        if not valuelist:  # not posted at all: the value from the object (or the default) stays
            return
        self.raw = _SPACES.sub(" ", str(valuelist[0])).strip()
        if self.raw == "0":  # what the "none" option of a select posted: nothing chosen
            self.raw = ""
        self.data = None
        self.choice = None

    def pre_validate(self, form):
        if not self.raw:
            return
        choice = self.picker.lookup(self.raw, current_user)
        if choice is None:
            raise StopValidation(self.picker.not_found or _l("Choose one of the proposed values."))
        self.choice, self.data = choice, choice.id

    def current_choice(self) -> Choice | None:
        if self.choice is None and self.data and not self.raw:
            self.choice = self.picker.describe(self.data)
        return self.choice

    def _value(self):
        if self.raw:
            return self.raw
        choice = self.current_choice()
        return choice.key if choice else ""
