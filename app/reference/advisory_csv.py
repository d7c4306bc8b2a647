"""Reading a CSV file of travel advisories: one row per country, every row checked before anything is applied.

Columns, in this order: the country's ISO code, the level (1 to 4), the date it was checked (YYYY-MM-DD), the
regional note in French, the note in English (both optional). Separated by ``;`` or ``,``, UTF-8 with or without a
byte order mark; a first line of column names is skipped. An import is all or nothing: one wrong row and nothing is
applied, each row's errors told with its line number.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.core.i18n import all_country_codes
from app.reference.advisories import recorded_advisories
from app.reference.advisory_services import AdvisoryData, checked_on_error, clean, note_error
from app.reference.models import Country

MAX_BYTES = 1_000_000
MAX_ROWS = 500
COLUMNS = 5


@dataclass
class ImportLine:
    """A row of the file with what it would change (``old_level``: the level recorded now)."""

    line: int
    data: AdvisoryData
    old_level: int | None = None
    changes: bool = True

    @property
    def raised(self) -> bool:
        return self.data.level > (self.old_level or 1)


@dataclass
class ImportPreview:
    lines: list[ImportLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Line 3: …", in the reader's language

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[ImportLine]:
        return [line for line in self.lines if line.changes]


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 2 and not cells[1].strip().isdigit() and len(cells[0].strip()) != 2


def _line_errors(cells: list[str], today: date, codes: set[str]) -> tuple[list[str], AdvisoryData | None]:
    if not 3 <= len(cells) <= COLUMNS:
        return [_("%(num)s columns expected (code, level, date, French note, English note).", num=COLUMNS)], None
    cells = [*cells, "", ""][:COLUMNS]
    if any("\x00" in cell for cell in cells):
        return [_("The row contains a NUL byte.")], None
    code, level_text, day_text, note_fr, note_en = (cell.strip() for cell in cells)
    errors = []
    if code.upper() not in codes:
        errors.append(_("Unknown country code “%(code)s”.", code=code[:10]))
    level = int(level_text) if level_text.isascii() and level_text.isdigit() and len(level_text) < 3 else None
    if level not in (1, 2, 3, 4):
        errors.append(_("The level must be 1, 2, 3 or 4."))
    try:
        day = date.fromisoformat(day_text) if len(day_text) == 10 else None
    except ValueError:
        day = None
    day_error = checked_on_error(day, today)
    if day_error:
        errors.append(day_error)
    errors += [message for message in (note_error(note_fr), note_error(note_en)) if message]
    return errors, None if errors else clean(code, level, day, note_fr, note_en)


def read_advisories(raw: bytes, today: date) -> ImportPreview:
    """Every row of the file checked, and what each would change; nothing is written."""
    preview = ImportPreview()
    if len(raw) > MAX_BYTES:
        preview.errors.append(_("The file is larger than 1 MB: split it."))
        return preview
    text = _decode(raw)
    if text is None:
        preview.errors.append(_("The file is not UTF-8 text: save it as CSV UTF-8 and send it again."))
        return preview
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    codes, seen, rows = set(all_country_codes()), {}, 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if reader.line_num == 1 and _is_header(cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                preview.lines, preview.errors = [], [_("The file has more than %(num)s rows: split it.", num=MAX_ROWS)]
                return preview
            errors, data = _line_errors(cells, today, codes)
            if data is not None and data.code in seen:
                errors = [_("%(code)s is already on line %(line)s.", code=data.code, line=seen[data.code])]
            preview.errors += [_("Line %(line)s: %(message)s", line=reader.line_num, message=m) for m in errors]
            if data is not None and not errors:
                seen[data.code] = reader.line_num
                preview.lines.append(ImportLine(reader.line_num, data))
    except csv.Error:
        preview.errors.append(_("Line %(line)s: the row cannot be read (a quote is not closed).", line=reader.line_num))
    if not preview.lines and not preview.errors:
        preview.errors.append(_("The file holds no row."))
    _compare(preview)
    return preview


def _compare(preview: ImportPreview) -> None:
    """What each row changes, against the levels recorded now (one statement)."""
    if not preview.lines:
        return
    current = recorded_advisories(Country.code.in_([line.data.code for line in preview.lines]))
    for line in preview.lines:
        recorded = current.get(line.data.code)
        if recorded is None:
            continue
        line.old_level = recorded[0]
        line.changes = recorded != (line.data.level, line.data.checked_on, line.data.note_fr, line.data.note_en)
