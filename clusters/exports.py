"""Tables as downloads: one .xlsx or CSV file from a header row and rows of plain values.

Every page with a table (rankings, the agreed grid, award lists, the progress table)
offers both formats through `table_response`. The values keep their type, so that a
spreadsheet can compute with them:

- Decimal: a number shown with two decimals ("#,##0.00");
- int: a whole number ("#,##0"), which is how amounts in VND are passed;
- datetime.date: a real date shown as dd/mm/yyyy;
- str, and None for an empty cell.

CSV is UTF-8 with a byte order mark, so that Excel reads Vietnamese letters correctly,
comma-separated and quoted by the csv module; numbers are written with a decimal point
(the comma separates the columns) and dates as dd/mm/yyyy.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

import openpyxl
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .text import fold

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
# Column widths in characters: wide enough for a header, never wider than a long name.
MIN_WIDTH, MAX_WIDTH = 6, 60
# Characters a worksheet title may not contain, and its longest length.
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_TITLE_MAX = 31


def file_name(*parts) -> str:
    """An ASCII file name from Vietnamese parts: "Cụm số 3", 2022 → "cum-so-3-2022"."""
    words = fold(" ".join(str(part) for part in parts if part not in (None, ""))).split()
    cleaned = ["".join(ch for ch in word if ch.isalnum() or ch in "-_") for word in words]
    return "-".join(word for word in cleaned if word) or "export"


def table_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    fmt: str,
    *,
    title: str = "",
) -> HttpResponse:
    """The table as a download named `filename` plus ".xlsx" or ".csv"; 404 for any
    other format. `title` names the worksheet."""
    if fmt not in FORMATS:
        raise Http404
    rows = [list(row) for row in rows]
    content = _xlsx(headers, rows, title) if fmt == "xlsx" else _csv(headers, rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


def _xlsx(headers: Sequence[str], rows: list[list], title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title.translate(SHEET_TITLE_FORBIDDEN)[:SHEET_TITLE_MAX]
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        sheet.append(row)
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], _shown_length(value))
            else:
                widths.append(_shown_length(value))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            number_format = _number_format(cell.value)
            if number_format:
                cell.number_format = number_format
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _number_format(value) -> str:
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, Decimal | float):
        return DECIMAL_FORMAT
    return ""


def _shown_length(value) -> int:
    """About how many characters a value takes on screen, for the column width."""
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return f"{value:.2f}"
    return str(value)


def _csv(headers: Sequence[str], rows: list[list]) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([str(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return output.getvalue().encode("utf-8-sig")
