"""CSV in and out: formula guarding and streamed downloads, shared by every export and import.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula. Exports prefix such a cell with an apostrophe; imports take that apostrophe off again, so a
file exported and imported unchanged round-trips.
"""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so that spreadsheet programs read the file as UTF-8


def safe_cell(value) -> str:
    """The text of one exported cell, with a formula neutralised."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unguard_cell(value: str) -> str:
    """One imported cell, stripped, without the apostrophe an export put before a formula."""
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


class _Echo:
    """A file that hands back what is written, so ``csv.writer`` yields lines one at a time."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterable[str]:
    """The rows as CSV text, line by line, each cell guarded, after a BOM."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_download(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment: rows are read and sent as they come, never held in memory."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
