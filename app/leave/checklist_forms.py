"""The forms of the pre-departure checklist: one item's (the page shows each item's fields only), the BRI's
exception, and the BRI's item added to a cycle."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.leave.checklist_models import BUILTIN_ITEMS
from app.leave.forms import ActionForm
from app.leave.services.checklist import LABEL_LENGTH, ItemData

# Each item's fields, in the order its form shows them (an item of the cycle: done, and a document).
ITEM_FIELDS = {
    "training": ("done_on",),
    "insurance": ("file",),
    "passport": ("expires_on",),
    "visa": ("needed", "reference", "file"),
    "registration": ("done", "done_on"),
    "health": ("done",),
    "emergency": ("contact_name", "contact_phone"),
}
EXTRA_FIELDS = ("done", "file")
DONE_LABELS = {
    "registration": _l("I am registered"),
    "health": _l("I have seen the travel health advice"),
}
DATE_LABELS = {"training": _l("Date of the training"), "registration": _l("Date of the registration")}


class ChecklistItemForm(FlaskForm):
    done = BooleanField(_l("This item is done"))
    done_on = DateField(_l("Date"), validators=[Optional()])
    expires_on = DateField(_l("Passport expiry date"), validators=[Optional()])
    needed = RadioField(
        _l("Does the destination require a visa?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[Optional()],
    )
    reference = StringField(_l("Visa reference (if no document)"), validators=[Optional(), Length(max=120)])
    contact_name = StringField(_l("Contact's name"), validators=[Optional(), Length(max=120)])
    contact_phone = StringField(_l("Contact's telephone"), validators=[Optional(), Length(max=40)])
    file = FileField(
        _l("Document"),
        description=_l("PDF, JPEG, PNG or Word (DOCX), 10 MB at most."),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,.docx"},
    )

    def __init__(self, key: str, *args, **kwargs):
        super().__init__(*args, prefix=f"item-{key}", **kwargs)
        self.key = key
        self.done.label.text = DONE_LABELS.get(key, self.done.label.text)
        self.done_on.label.text = DATE_LABELS.get(key, self.done_on.label.text)

    @property
    def shown(self) -> list:
        return [self[name] for name in ITEM_FIELDS.get(self.key, EXTRA_FIELDS)]

    @classmethod
    def of_entry(cls, key: str, entry) -> "ChecklistItemForm":
        """The item's form as the page shows it: what its entry holds, when completed (a document is not sent
        again: its link shows beside the form)."""
        if entry is None:
            return cls(key, formdata=None)
        needed = None if entry.needed is None else ("yes" if entry.needed else "no")
        return cls(
            key,
            formdata=None,
            data={
                "done": True,
                "done_on": entry.done_on,
                "expires_on": entry.expires_on,
                "needed": needed,
                "reference": entry.reference,
                "contact_name": entry.contact_name,
                "contact_phone": entry.contact_phone,
            },
        )

    def item_data(self) -> ItemData:
        """What the form gives, for the service (only the item's own fields are read by its rule)."""
        return ItemData(
            done=bool(self.done.data),
            done_on=self.done_on.data,
            expires_on=self.expires_on.data,
            needed=self.needed.data,
            reference=self.reference.data or "",
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            file=self.file.data,
        )


assert set(ITEM_FIELDS) == set(BUILTIN_ITEMS), "a checklist item without fields"


class ChecklistExceptionForm(ActionForm):
    """The BRI lets the mission leave with its checklist incomplete: why, in the comment (required)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="checklist_exception", **kwargs)


class ChecklistCycleItemForm(FlaskForm):
    label_fr = StringField(_l("Label in French"), validators=[DataRequired(), Length(max=LABEL_LENGTH)])
    label_en = StringField(_l("Label in English"), validators=[DataRequired(), Length(max=LABEL_LENGTH)])
    document_required = BooleanField(_l("A document is required"))
