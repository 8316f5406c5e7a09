"""The agreed grid's cell values and its Excel file.

Cells hold points typed the Vietnamese way ("45,5"), or 1/0 for a veto. The Excel file
carries hidden ids, so that an upload maps every cell back to its member and criterion;
read_grid_upload checks every cell and returns the changes, or every bad cell.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import imports, scoring, text
from . import ranking as ranking_data
from .criteria import typed
from .models import Criterion, Period, Score, Unit

Kind = Criterion.Kind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The grid file: column A and row 2 are hidden and hold ids; A1 and A2 say whose grid it is.
GRID_MARKER = "agreed-scores"
ID_ROW = 2
GROUP_ROW, CODE_ROW, TEXT_ROW, MAX_ROW = 3, 4, 5, 6
FIRST_ROW = 7
ID_COLUMN, NAME_COLUMN, FIRST_COLUMN = 1, 2, 3


def total(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, force_grouping=False)


def cell_text(criterion: Criterion, score: Score | None) -> str:
    if score is None:
        return ""
    if criterion.kind == Kind.VETO:
        # A veto cell holds 1 when the veto applies (value or, from older entries, points).
        return typed(score.value if score.value is not None else score.points)
    return typed(score.points)


def spec(criterion: Criterion) -> scoring.CriterionSpec:
    return scoring.CriterionSpec(
        code=criterion.code,
        kind=criterion.kind,
        max_points=criterion.max_points,
        params=criterion.params or {},
        text=criterion.text,
    )


def cell_input(criterion: Criterion, raw) -> tuple[Decimal | None, Decimal | None]:
    """(points, value) from what was typed or read from Excel; raises ScoreError.

    Empty clears the cell. A veto cell takes 1 (or x, có) when the veto applies and 0 or
    nothing when it does not, stored as the value; every other cell takes points, checked
    against the criterion's range, with at most two decimals.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if criterion.kind == Kind.VETO:
        if isinstance(raw, Decimal) and raw in (0, 1):
            return None, Decimal(int(raw))
        word = text.fold(str(raw))
        if word in scoring.YES:
            return None, Decimal(1)
        if word in scoring.NO:
            return None, Decimal(0)
        raise scoring.ScoreError(
            _("Enter 1 if the veto applies, or 0 if it does not."), code="not_a_flag"
        )
    points = raw if isinstance(raw, Decimal) else scoring.parse_decimal(raw)
    scoring.check_points(spec(criterion), points)
    return points, None


def column_groups(data: ranking_data.PeriodData) -> list[tuple[str, int]]:
    """(header, number of columns) above the criteria: their top-level group, or for
    bonus, penalty and veto criteria outside any group, their kind."""
    groups: list[tuple[object, str, int]] = []
    for criterion in data.scorable:
        top = data.top_level[criterion.pk]
        if top.kind == Kind.GROUP:
            key, label = top.pk, f"{top.code}. {top.text}"
        else:
            key, label = top.kind, str(Kind(top.kind).label)
        if groups and groups[-1][0] == key:
            groups[-1] = (key, label, groups[-1][2] + 1)
        else:
            groups.append((key, label, 1))
    return [(label, span) for _key, label, span in groups]


_THIN = Side(style="thin", color="B7B7B7")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_GROUP_FILLS = (PatternFill("solid", fgColor="FFF2CC"), PatternFill("solid", fgColor="E2EFDA"))
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_UNLOCKED = Protection(locked=False)


def workbook(data: ranking_data.PeriodData) -> bytes:
    """The agreed grid as an .xlsx file: members down, criteria across, current points.

    Row 1 holds the title, row 3 the groups, rows 4–6 each criterion's code, text and
    maximum, and the members start at row 7 (names in column B, points from column C).
    Column A and row 2 are hidden and hold the unit and criterion ids (A1 and A2: the
    marker and the period's id), which the upload reads back. Only the point cells are
    unlocked in the protected sheet, so that the ids and headers stay where they are.
    """
    period = data.period
    term = period.cluster_year
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Agreed scores")[:31]
    criteria = data.scorable
    last_column = FIRST_COLUMN + len(criteria) - 1

    sheet.cell(1, ID_COLUMN, GRID_MARKER)
    sheet.cell(ID_ROW, ID_COLUMN, period.pk)
    title = _("%(cluster)s – %(year)s – %(period)s: agreed scores") % {
        "cluster": term.cluster.name,
        "year": term.year,
        "period": period.get_kind_display(),
    }
    sheet.cell(1, NAME_COLUMN, title).font = Font(bold=True, size=13)
    for row, label in (
        (GROUP_ROW, _("Group")),
        (CODE_ROW, _("Criterion")),
        (TEXT_ROW, ""),
        (MAX_ROW, _("Maximum")),
    ):
        cell = sheet.cell(row, NAME_COLUMN, label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER

    column = FIRST_COLUMN
    for index, (label, span) in enumerate(column_groups(data)):
        cell = sheet.cell(GROUP_ROW, column, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for offset in range(span):
            sheet.cell(GROUP_ROW, column + offset).fill = _GROUP_FILLS[index % 2]
            sheet.cell(GROUP_ROW, column + offset).border = _BORDER
        if span > 1:
            sheet.merge_cells(
                start_row=GROUP_ROW,
                start_column=column,
                end_row=GROUP_ROW,
                end_column=column + span - 1,
            )
        column += span

    for offset, criterion in enumerate(criteria):
        column = FIRST_COLUMN + offset
        letter = get_column_letter(column)
        sheet.cell(ID_ROW, column, criterion.pk)
        code = sheet.cell(CODE_ROW, column, criterion.code)
        code.font = Font(bold=True)
        description = sheet.cell(TEXT_ROW, column, criterion.text)
        description.alignment = Alignment(wrap_text=True, vertical="top")
        description.font = Font(size=9)
        if criterion.kind == Kind.VETO:
            maximum = _("1 = veto")
        elif criterion.max_points:
            maximum = criterion.max_points
        else:
            maximum = _("no limit")
        limit = sheet.cell(MAX_ROW, column, maximum)
        limit.font = Font(italic=True)
        for row in (CODE_ROW, TEXT_ROW, MAX_ROW):
            sheet.cell(row, column).fill = _HEADER_FILL
            sheet.cell(row, column).border = _BORDER
            if row != TEXT_ROW:
                sheet.cell(row, column).alignment = Alignment(horizontal="center")
        sheet.column_dimensions[letter].width = 11
        if data.members:
            # A warning, not a refusal: the upload checks every cell anyway, and a
            # refusal would also block "12,5" typed as text in an English Excel.
            if criterion.kind == Kind.VETO:
                check = DataValidation(type="whole", operator="between", formula1="0", formula2="1")
            elif criterion.max_points:
                check = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="0",
                    formula2=str(criterion.max_points.normalize()),
                )
            else:
                check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
            check.allow_blank = True
            check.errorStyle = "warning"
            check.error = _("The score must be between 0 and %(max)s.") % {
                "max": typed(criterion.max_points)
            }
            check.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(data.members) - 1}")
            sheet.add_data_validation(check)

    for offset, unit in enumerate(data.members):
        row = FIRST_ROW + offset
        sheet.cell(row, ID_COLUMN, unit.pk)
        name = sheet.cell(row, NAME_COLUMN, data.names[unit.pk])
        name.border = _BORDER
        for index, criterion in enumerate(criteria):
            cell = sheet.cell(row, FIRST_COLUMN + index)
            score = data.score(unit.pk, criterion.pk)
            if criterion.kind == Kind.VETO:
                value = score.value if score and score.value is not None else None
            else:
                value = score.points if score else None
            # Whole numbers stay whole, so Excel shows 45 rather than 45.00.
            cell.value = None if value is None else (int(value) if value == int(value) else value)
            cell.protection = _UNLOCKED
            cell.fill = _INPUT_FILL
            cell.border = _BORDER
            cell.number_format = "General"

    sheet.column_dimensions[get_column_letter(ID_COLUMN)].hidden = True
    sheet.row_dimensions[ID_ROW].hidden = True
    sheet.column_dimensions[get_column_letter(NAME_COLUMN)].width = 30
    sheet.row_dimensions[TEXT_ROW].height = 75
    sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_COLUMN)
    # No password: the protection only keeps ids and headers from being changed by mistake.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{CODE_ROW}:{MAX_ROW}"
    sheet.page_setup.orientation = "landscape"
    if last_column >= FIRST_COLUMN:
        sheet.print_area = f"B1:{get_column_letter(last_column)}{FIRST_ROW + len(data.members) - 1}"

    help_sheet = workbook.create_sheet(_("Instructions")[:31])
    for line in (
        _("Type the agreed points in the white cells; leave a cell empty to clear it."),
        _("Decimals may be written with a comma (12,5) or a dot (12.5)."),
        _("Veto columns take 1 when the veto applies and 0 or nothing when it does not."),
        _("Type numbers, not formulas. Do not add, move or sort rows and columns."),
        _(
            "Upload the file on the grid page: every cell is checked first, and nothing is "
            "saved unless all of them are right. Unchanged cells are left as they are."
        ),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class GridFileError(Exception):
    """The file cannot be used at all; the message is translated and says why."""


@dataclass(frozen=True)
class CellError:
    # The cell as the spreadsheet names it (D7), and the member and criterion behind it.
    cell: str
    unit: str
    criterion: str
    message: str
    code: str


@dataclass(frozen=True)
class Change:
    unit: Unit
    criterion: Criterion
    points: Decimal | None
    value: Decimal | None
    version: int


def _read_cells(upload, period: Period) -> dict[tuple[int, int], object]:
    """The non-empty cells of the grid sheet in an .xlsx file, by (row, column).

    Raises GridFileError for a file that is not an .xlsx workbook, is empty or too big,
    or has no sheet that is this period's grid.
    """
    extension = PurePath(upload.name or "").suffix.lower()
    if extension != ".xlsx":
        raise GridFileError(_("Choose an Excel (.xlsx) file downloaded from this page."))
    if not upload.size:
        raise GridFileError(_("The file is empty."))
    if upload.size > imports.MAX_FILE_SIZE:
        raise GridFileError(
            _("The file is larger than %(size)d MB.")
            % {"size": imports.MAX_FILE_SIZE // (1024 * 1024)}
        )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(upload.read()), read_only=True, data_only=False
        )
    except Exception as e:
        # openpyxl raises many kinds of errors (zip, XML, key, value) on a damaged file.
        raise GridFileError(_("The file could not be read as an Excel workbook.")) from e
    try:
        other_period = False
        for sheet in workbook.worksheets:
            # Some programs write a wrong sheet size; ignore it and read every row.
            sheet.reset_dimensions()
            head = [row[0] if row else None for row in sheet.iter_rows(max_row=2, values_only=True)]
            if not head or head[0] != GRID_MARKER:
                continue
            if len(head) < 2 or _as_id(head[1]) != period.pk:
                other_period = True
                continue
            cells = {}
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    if cell.row > FIRST_ROW + imports.MAX_ROWS:
                        raise GridFileError(
                            _("The file has more than %(max)d rows; split it into smaller files.")
                            % {"max": imports.MAX_ROWS}
                        )
                    cells[(cell.row, cell.column)] = cell
            return cells
    except GridFileError:
        raise
    except Exception as e:
        # Cells are parsed while they are read, so a damaged sheet fails only here.
        raise GridFileError(_("The file could not be read as an Excel workbook.")) from e
    finally:
        workbook.close()
    if other_period:
        raise GridFileError(
            _("This file is the grid of another period; download the grid of this period.")
        )
    raise GridFileError(
        _("This is not an agreed-score file downloaded from this page; its grid sheet is missing.")
    )


def _as_id(value: object) -> int | None:
    """An id cell: an int, though some programs save whole numbers as 18.0 or "18"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _same_text(a: object, b: str) -> bool:
    return " ".join(str(a or "").split()) == " ".join(b.split())


def _excel_value(cell) -> object:
    """A cell's content as _cell_input reads it; raises ScoreError for what is no number."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        raise scoring.ScoreError(_("Formulas are not allowed; type the number."), code="formula")
    if cell.data_type == "e":
        raise scoring.ScoreError(
            _("The cell holds an Excel error; type the number."), "excel_error"
        )
    if isinstance(value, bool) or isinstance(value, datetime.date | datetime.time):
        raise scoring.ScoreError(_("Enter a number, e.g. 12,5."), code="not_a_number")
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 45.5, not 45.4999….
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    return str(value)


def _unchanged(criterion: Criterion, score: Score | None, points, value) -> bool:
    if criterion.kind == Kind.VETO:
        current = None
        if score is not None:
            current = score.value if score.value is not None else score.points
        return (current or 0) == (value or 0) and (current is None) == (value is None)
    return (score.points if score else None) == points


def read_grid_upload(
    upload, data: ranking_data.PeriodData
) -> tuple[list[Change], int, list[CellError]]:
    """Check every cell of an uploaded grid: (changes, number unchanged, errors).

    Rows and columns are matched by the hidden ids, and the visible unit name and
    criterion code must still agree with them, so that sorted or moved rows are caught
    rather than saved on the wrong member. Rows and columns without an id (a total
    someone added) are ignored. Raises GridFileError for a file that cannot be used.
    """
    cells = _read_cells(upload, data.period)
    criteria = {c.pk: c for c in data.scorable}
    members = {u.pk: u for u in data.members}
    errors: list[CellError] = []

    def error(row, column, unit="", criterion="", message="", code=""):
        errors.append(
            CellError(f"{get_column_letter(column)}{row}", unit, criterion, message, code)
        )

    columns: dict[int, Criterion] = {}
    rows: dict[int, Unit] = {}
    last_column = max((c for _r, c in cells), default=0)
    last_row = max((r for r, _c in cells), default=0)
    for column in range(FIRST_COLUMN, last_column + 1):
        id_cell = cells.get((ID_ROW, column))
        if id_cell is None:
            continue
        code_cell = cells.get((CODE_ROW, column))
        shown = code_cell.value if code_cell else ""
        criterion = criteria.get(_as_id(id_cell.value))
        if criterion is None:
            message = _("This column's criterion is not on the score sheet of this period.")
            error(CODE_ROW, column, criterion=str(shown or ""), message=message, code="criterion")
        elif criterion in columns.values():
            message = _("This criterion appears in two columns.")
            error(CODE_ROW, column, criterion=criterion.code, message=message, code="duplicate")
        elif not _same_text(shown, criterion.code):
            message = _("The column does not match its criterion %(code)s; columns were moved.") % {
                "code": criterion.code
            }
            error(CODE_ROW, column, criterion=criterion.code, message=message, code="moved")
        else:
            columns[column] = criterion
    for row in range(FIRST_ROW, last_row + 1):
        id_cell = cells.get((row, ID_COLUMN))
        if id_cell is None:
            continue
        name_cell = cells.get((row, NAME_COLUMN))
        shown = name_cell.value if name_cell else ""
        unit = members.get(_as_id(id_cell.value))
        if unit is None:
            message = _("This unit is not a member of the cluster during this period.")
            error(row, NAME_COLUMN, unit=str(shown or ""), message=message, code="member")
        elif unit in rows.values():
            message = _("This unit appears in two rows.")
            error(row, NAME_COLUMN, unit=data.names[unit.pk], message=message, code="duplicate")
        elif not _same_text(shown, data.names[unit.pk]):
            message = _("The row does not match its unit %(unit)s; rows were moved or sorted.") % {
                "unit": data.names[unit.pk]
            }
            error(row, NAME_COLUMN, unit=data.names[unit.pk], message=message, code="moved")
        else:
            rows[row] = unit

    changes: list[Change] = []
    unchanged = 0
    for row, unit in rows.items():
        for column, criterion in columns.items():
            cell = cells.get((row, column))
            try:
                raw = None if cell is None else _excel_value(cell)
                points, value = cell_input(criterion, raw)
            except scoring.ScoreError as e:
                error(row, column, data.names[unit.pk], criterion.code, e.message, e.code)
                continue
            score = data.score(unit.pk, criterion.pk)
            if _unchanged(criterion, score, points, value):
                unchanged += 1
            else:
                version = score.version if score else 0
                changes.append(Change(unit, criterion, points, value, version))
    return changes, unchanged, errors
