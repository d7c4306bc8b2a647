"""An Excel (XLSX) file streamed as its rows are written: the first bytes leave before the first row is read.

An XLSX file is a zip of XML parts. All but one are the same for every export with the same sheet name, columns and
cell formats: XlsxWriter writes them (:func:`sheet_template`, a workbook of one row in memory, a millisecond), and
they are copied as they are — the content types, the relationships, the workbook, the styles, the theme, the
document's properties, and the sheet's XML around its ``<sheetData>`` (column widths, the frozen header row). The
rows are written here (:func:`text_cell`, :func:`number_cell`, :func:`date_cell`), into a zip written by the
standard library's :mod:`zipfile` to a stream without ``seek``: each entry then carries its sizes and CRC after its
data (a data descriptor) and the zip's directory comes last, so every compressed byte can leave as soon as zlib
gives it (:func:`stream_xlsx`).

- Texts are inline strings (``t="inlineStr"``), never formulas and without a shared-strings table (which would have
  to be complete before the sheet); XML-escaped, without the characters XML 1.0 forbids, a literal ``_xHHHH_``
  escaped as Excel reads it, at most :data:`MAX_TEXT` characters (Excel's limit per cell).
- Numbers and dates are ``<v>`` values with the style index XlsxWriter gave their format; a date is Excel's serial
  number (the 1900 date system, as XlsxWriter writes it).
- No ZIP64: the form Python's zipfile writes when streaming (the zero sizes in the ZIP64 field of the local header)
  is one that Excel is reported to refuse (Apache POI's bug 57342). A sheet stops therefore below 2 GiB of XML
  (:data:`MAX_SHEET_BYTES`), and at Excel's :data:`MAX_ROWS` rows; the rows left out are logged.
"""

import io
import logging
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

import xlsxwriter

SHEET = "xl/worksheets/sheet1.xml"
FLUSH = 32 * 1024  # about this many bytes sent at a time
MAX_ROWS = 1_048_576  # the rows of an Excel sheet, the headers' row included
MAX_TEXT = 32_767  # the characters of an Excel cell
MAX_SHEET_BYTES = zipfile.ZIP64_LIMIT - (1 << 20)  # below the size that needs ZIP64, with room for the sheet's tail
_EPOCH = date(1899, 12, 31).toordinal()  # day 0 of Excel's 1900 date system
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not characters in XML 1.0
_ESCAPE_LIKE = re.compile("(_x[0-9A-Fa-f]{4}_)")  # Excel reads _xHHHH_ as the character HHHH
_DIMENSION = re.compile(r"<dimension [^>]*/>")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SheetTemplate:
    """The fixed parts of an XLSX file (name, bytes), its sheet's XML before and after the rows, and the style index of
    each named cell format."""

    parts: tuple[tuple[str, bytes], ...]
    head: bytes
    tail: bytes
    styles: dict[str, int]


def sheet_template(sheet_name: str, widths: Iterable[float], formats: dict[str, dict]) -> SheetTemplate:
    """The template of a one-sheet workbook: ``widths`` of its columns, its first row frozen, ``formats`` (XlsxWriter's
    format properties by name) in its styles."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    added = {name: workbook.add_format(properties) for name, properties in formats.items()}
    for col, cell_format in enumerate(added.values()):
        sheet.write_number(0, col, 0, cell_format)  # a format gets its index in styles.xml when a cell uses it
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    workbook.close()
    with zipfile.ZipFile(buffer) as package:
        parts = tuple((name, package.read(name)) for name in package.namelist() if name != SHEET)
        xml = package.read(SHEET).decode("utf-8")
    head, rest = xml.split("<sheetData>", 1)
    tail = rest.split("</sheetData>", 1)[1]
    styles = {name: cell_format.xf_index for name, cell_format in added.items()}
    return SheetTemplate(
        parts, (_DIMENSION.sub("", head) + "<sheetData>").encode(), ("</sheetData>" + tail).encode(), styles
    )


def text_cell(ref: str, text: str, style: int | None = None) -> str:
    """A string cell (empty text: no cell)."""
    text = _FORBIDDEN.sub("", text)[:MAX_TEXT]
    if not text:
        return ""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    s = "" if style is None else f' s="{style}"'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def number_cell(ref: str, value, style: int | None = None) -> str:
    """A number cell (written as XlsxWriter does; not a number, nor finite: no cell)."""
    number = float(value)
    if not math.isfinite(number):
        return ""
    s = "" if style is None else f' s="{style}"'
    return f'<c r="{ref}"{s}><v>{number:.16G}</v></c>'


def serial(value: date | datetime) -> float:
    """Excel's serial number of a day or a (naive) moment: the days since 1899-12-31, plus one from March 1900 on (Excel
    counts a 29 February 1900, as Lotus 1-2-3 did)."""
    days = value.toordinal() - _EPOCH
    if isinstance(value, datetime):
        days += (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return days + 1 if days > 59 else days


def date_cell(ref: str, value: date | datetime, style: int) -> str:
    """A day or a naive moment, as a number with a date format."""
    return f'<c r="{ref}" s="{style}"><v>{serial(value):.16G}</v></c>'


def row_xml(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sink:
    """Where the zip is written and whence it is sent: no ``tell`` nor ``seek``, so zipfile writes data descriptors."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def stream_xlsx(template: SheetTemplate, rows: Iterable[str], flush: int = FLUSH) -> Iterator[bytes]:
    """The XLSX file, about ``flush`` bytes at a time: the fixed parts before the first row is read, then the sheet as
    its rows (``<row>`` elements, :func:`row_xml`) come, then the zip's directory."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in template.parts:
            package.writestr(_entry(name), data)
        yield sink.take()
        with package.open(_entry(SHEET), "w") as sheet:
            sheet.write(template.head)
            for pending in _batches(rows, flush, MAX_SHEET_BYTES - len(template.head) - len(template.tail)):
                sheet.write(pending)
                if len(sink.buffer) >= flush:
                    yield sink.take()
            sheet.write(template.tail)
    yield sink.take()


def _batches(rows: Iterable[str], flush: int, room: int) -> Iterator[bytes]:
    """The rows, encoded, about ``flush`` bytes at a time (one write to the zip for many rows), within Excel's
    number of rows and the ``room`` left in the sheet."""
    pending: list[bytes] = []
    pending_size = 0
    for count, row in enumerate(rows, 1):
        data = row.encode("utf-8")
        if count > MAX_ROWS or len(data) > room:
            _log.warning("XLSX export cut at row %d: an Excel sheet has room for no more", count)
            break
        room -= len(data)
        pending.append(data)
        pending_size += len(data)
        if pending_size >= flush:
            yield b"".join(pending)
            pending.clear()
            pending_size = 0
    yield b"".join(pending)


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # as XlsxWriter dates its parts
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry
