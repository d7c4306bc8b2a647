"""``LabelledEnum``: a string enum whose members carry their translated label, declared beside their value."""

import enum


class LabelledEnum(enum.StrEnum):
    """Members are declared ``NAME = "value", _l("Label")``; ``member.label`` is the label in the reader's language.

    The value is what the database stores; the label (a lazy string) is resolved when it is shown.
    """

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label) if self._label is not None else self.value

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value; the value itself when it is unknown (an old row)."""
        try:
            return cls(value).label
        except ValueError:
            return value or ""

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in declaration order, for a ``SelectField``."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {member.value: member.label for member in cls}
