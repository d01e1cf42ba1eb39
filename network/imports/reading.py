"""Reading an uploaded file as a member CSV: encoding, delimiter, header row and size.

Nothing here looks at the database: a file refused here is refused before any job is stored.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The columns of the import file and of the export, in this order.
COLUMNS = [
    "email",
    "full_name",
    "organisation",
    "organisation_type",
    "organisation_size",
    "country",
    "sector",
    "sub_chamber",
    "languages",
    "role",
    "status",
    "listed",
]
REQUIRED_COLUMNS = ["email", "full_name", "country", "sector"]
MAX_ROWS = 50_000


class ImportFileError(ValidationError):
    """The uploaded file cannot be read as a member CSV at all (encoding, format, header)."""


def _decode(raw_bytes: bytes) -> str:
    if not raw_bytes or not raw_bytes.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (unreadable byte at position %(position)s). If it comes from "
                "a spreadsheet, save it as “CSV UTF-8” and upload it again."
            )
            % {"position": error.start + 1},
            code="encoding",
        ) from error
    if "\x00" in text:
        raise ImportFileError(
            _("The file is not a CSV file: it contains binary data. Upload a CSV (comma-separated) file."),
            code="binary",
        )
    return text


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets write instead, judged from the header line."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header(cells: list[str]) -> list[str]:
    return [cell.strip().lower().replace(" ", "_") for cell in cells]


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows, each with the line number it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header, rows = None, []
    line = 1
    try:
        for cells in reader:
            if header is None:
                header = _header(cells)
            elif any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV: line %(line)s cannot be read (%(error)s).")
            % {"line": reader.line_num, "error": error},
            code="csv",
        ) from error
    return header or [], rows


def _check_header(header: list[str]) -> None:
    expected = ", ".join(COLUMNS)
    if not any(header):
        raise ImportFileError(
            _("The first line must be the header row with the column names: %(columns)s.")
            % {"columns": expected},
            code="header",
        )
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(
            _("unknown columns: %(names)s") % {"names": ", ".join(n or "(blank)" for n in unknown)}
        )
    if repeated:
        problems.append(_("columns given twice: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        raise ImportFileError(
            _(
                "The header row is not that of a member import (%(problems)s). The columns are: "
                "%(columns)s; download the template from the upload page."
            )
            % {"problems": "; ".join(problems), "columns": expected},
            code="header",
        )


def read_import_file(raw_bytes: bytes) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """Decode and parse an uploaded file: its text, header and rows (each with its line number).

    Raises ImportFileError with a clear message if the file is unusable.
    """
    text = _decode(raw_bytes)
    header, rows = _parse(text)
    _check_header(header)
    if not rows:
        raise ImportFileError(_("The file has a header row but no members in it."), code="no_rows")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once. Split the file.")
            % {"count": len(rows), "max": MAX_ROWS},
            code="too_many",
        )
    return text, header, rows
