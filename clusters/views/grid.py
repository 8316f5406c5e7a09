"""The agreed-score grid of a period (điểm thống nhất), its Excel round trip, and the
ranking pages.

The grid is one page: members as rows, the covenant sheet's criteria as columns (or the
other way round), each cell saved on its own through score_services.score_save as it
is typed (static/js/grid.js). The Excel file carries hidden ids, so that an upload maps
every cell back to its member and criterion; it is applied whole or not at all.
"""

import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import forms, imports, score_services, scoring, text
from .. import ranking as ranking_data
from ..access import access_for
from ..models import Cluster, Criterion, Period, Province, Score, Unit
from ..services import ClusterError

Kind = Criterion.Kind
Stage = Score.Stage

# Enough to fix a file from; the rest are counted.
SHOWN_ERRORS = 200

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The grid file: column A and row 2 are hidden and hold ids; A1 and A2 say whose grid it is.
GRID_MARKER = "agreed-scores"
ID_ROW = 2
GROUP_ROW, CODE_ROW, TEXT_ROW, MAX_ROW = 3, 4, 5, 6
FIRST_ROW = 7
ID_COLUMN, NAME_COLUMN, FIRST_COLUMN = 1, 2, 3


# ---------------------------------------------------------------------------
# Access and formatting


def _get_period_for_user(request, pk: int, *, edit: bool = False) -> Period:
    """The period if the user may see its cluster (else 404); `edit` allows provincial
    staff and the term's head and secretary (else PermissionDenied)."""
    access = access_for(request.user)
    period = get_object_or_404(
        Period.objects.filter(
            cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("cluster_year__cluster__province", "cluster_year__covenant__sheet"),
        pk=pk,
    )
    if edit and not access.can_edit_cluster_year(period.cluster_year):
        raise PermissionDenied
    return period


def _plain(value: Decimal | None) -> str:
    """Points as typed back into a cell: "45,5" in Vietnamese, without trailing zeros."""
    if value is None:
        return ""
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, force_grouping=False)


def _total(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, force_grouping=False)


def _cell_text(criterion: Criterion, score: Score | None) -> str:
    if score is None:
        return ""
    if criterion.kind == Kind.VETO:
        # A veto cell holds 1 when the veto applies (value or, from older entries, points).
        return _plain(score.value if score.value is not None else score.points)
    return _plain(score.points)


def _spec(criterion: Criterion) -> scoring.CriterionSpec:
    return scoring.CriterionSpec(
        code=criterion.code,
        kind=criterion.kind,
        max_points=criterion.max_points,
        params=criterion.params or {},
        text=criterion.text,
    )


def _cell_input(criterion: Criterion, raw) -> tuple[Decimal | None, Decimal | None]:
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
    scoring.check_points(_spec(criterion), points)
    return points, None


def _totals(data: ranking_data.PeriodData, unit: Unit) -> dict:
    """A member's totals as the grid shows them, or the reason they cannot be added up."""
    try:
        result = data.unit_result(unit)
    except scoring.ScoreError as e:
        return {"error": e.message}
    return {
        "base": _total(result.base),
        "bonus": _total(result.bonus),
        "penalty": _total(result.penalty),
        "final": _total(result.final),
        "percent": _total(result.percent),
        "band": result.band,
    }


# ---------------------------------------------------------------------------
# The grid page


@dataclass
class Cell:
    unit_id: int
    unit_name: str
    criterion: Criterion
    value: str
    version: int
    self_points: str
    cross_points: str
    # The maximum as data-max reads it ("60.00") and as messages show it ("60"); empty
    # when the criterion has none (a veto, an uncapped penalty).
    max_raw: str
    max_text: str

    @property
    def key(self) -> str:
        return f"{self.unit_id}-{self.criterion.pk}"

    @property
    def veto(self) -> bool:
        return self.criterion.kind == Kind.VETO


def _cell_html(cell: Cell, *, editable: bool, self_abbr: str, cross_abbr: str) -> str:
    """One grid cell. Built here rather than in the template: a 15 × 60 grid has 900 of
    them, and the template engine took about 250 ms to render them."""
    key = cell.key
    if cell.max_raw:
        limit = f' data-max="{cell.max_raw}" data-max-text="{escape(cell.max_text)}"'
    else:
        limit = ' data-veto="1"' if cell.veto else ""
    ref = ""
    if cell.self_points or cell.cross_points:
        ref = (
            f"{escape(self_abbr)} {escape(cell.self_points or '–')} · "
            f"{escape(cross_abbr)} {escape(cell.cross_points or '–')}"
        )
    return (
        f'<td class="grid-cell"><input type="text" class="form-control form-control-sm '
        f'grid-input" id="c{key}" value="{escape(cell.value)}" inputmode="decimal" '
        f'autocomplete="off" spellcheck="false" data-unit="{cell.unit_id}" '
        f'data-criterion="{cell.criterion.pk}" data-version="{cell.version}"{limit} '
        f'aria-label="{escape(cell.unit_name)} – {escape(cell.criterion.code)}" '
        f'aria-describedby="r{key} m{key}"{"" if editable else " readonly"}>'
        f'<div class="grid-ref" id="r{key}">{ref}</div>'
        f'<div class="grid-msg" id="m{key}" aria-live="polite"></div></td>'
    )


def _column_groups(data: ranking_data.PeriodData) -> list[tuple[str, int]]:
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


# The totals shown in the grid; "final" comes last, as the column stays in view.
TOTAL_KEYS = ("base", "bonus", "penalty", "final")


def _grid_rows(data: ranking_data.PeriodData) -> list[dict]:
    """One row per member: their cells in sheet order, and their totals."""
    rows = []
    for unit in data.members:
        cells = []
        for criterion in data.scorable:
            agreed = data.score(unit.pk, criterion.pk)
            has_max = criterion.kind != Kind.VETO and criterion.max_points > 0
            cells.append(
                Cell(
                    unit_id=unit.pk,
                    unit_name=data.names[unit.pk],
                    criterion=criterion,
                    value=_cell_text(criterion, agreed),
                    version=agreed.version if agreed else 0,
                    self_points=_cell_text(
                        criterion, data.score(unit.pk, criterion.pk, Stage.SELF)
                    ),
                    cross_points=_cell_text(
                        criterion, data.score(unit.pk, criterion.pk, Stage.CROSS)
                    ),
                    max_raw=str(criterion.max_points) if has_max else "",
                    max_text=_plain(criterion.max_points) if has_max else "",
                )
            )
        totals = _totals(data, unit)
        rows.append(
            {
                "type": "unit",
                "unit_id": unit.pk,
                "name": data.names[unit.pk],
                "cells": cells,
                "totals": [(key, totals.get(key, "–")) for key in TOTAL_KEYS],
                "totals_error": totals.get("error", ""),
            }
        )
    return rows


def _transposed_rows(
    data: ranking_data.PeriodData, rows: list[dict], labels: dict, cell_options: dict
) -> list[dict]:
    """Criteria as rows under their group's header row, then one row per total."""
    body = []
    group_key = None
    for index, criterion in enumerate(data.scorable):
        top = data.top_level[criterion.pk]
        key = top.pk if top.kind == Kind.GROUP else top.kind
        if key != group_key:
            group_key = key
            label = f"{top.code}. {top.text}" if top.kind == Kind.GROUP else Kind(top.kind).label
            body.append({"type": "group", "label": label})
        body.append(
            {
                "type": "criterion",
                "criterion": criterion,
                "cells_html": mark_safe(
                    "".join(_cell_html(row["cells"][index], **cell_options) for row in rows)
                ),
            }
        )
    for position, key in enumerate(TOTAL_KEYS):
        values = [(row["unit_id"], row["totals"][position][1]) for row in rows]
        body.append({"type": "total", "key": key, "label": labels[key], "values": values})
    return body


def _render_grid(request, period: Period, *, upload_form=None, upload_errors=(), status=200):
    access = access_for(request.user)
    term = period.cluster_year
    can_edit = access.can_edit_cluster_year(term)
    editable = can_edit and period.state in score_services.EDITABLE_STATES
    data = ranking_data.load_period(period, stages=(Stage.SELF, Stage.CROSS, Stage.AGREED))
    rows = _grid_rows(data)
    abbreviations = {
        "self_abbr": pgettext("self-scored, abbreviated", "S"),
        "cross_abbr": pgettext("cross-scored, abbreviated", "C"),
    }
    for row in rows:
        row["cells_html"] = mark_safe(
            "".join(_cell_html(cell, editable=editable, **abbreviations) for cell in row["cells"])
        )
    transpose = request.GET.get("transpose") == "1"
    labels = {
        "base": _("Base"),
        "bonus": _("Bonus"),
        "penalty": _("Penalty"),
        "final": _("Final"),
    }
    return render(
        request,
        "clusters/grid.html",
        {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "sheet": data.sheet,
            "criteria": data.scorable,
            "column_groups": _column_groups(data),
            "rows": rows,
            "body_rows": (
                _transposed_rows(data, rows, labels, {"editable": editable, **abbreviations})
                if transpose
                else rows
            ),
            "total_labels": list(labels.items()),
            "transpose": transpose,
            "can_edit": can_edit,
            "editable": editable,
            "upload_form": upload_form or forms.AgreedGridUploadForm(),
            "upload_errors": list(upload_errors)[:SHOWN_ERRORS],
            "upload_error_count": len(upload_errors),
            "max_megabytes": imports.MAX_FILE_SIZE // (1024 * 1024),
            "js_text": {
                "saving": _("Saving…"),
                "saved": _("Saved."),
                "range": _("The score must be between 0 and %(max)s."),
                "negative": _("The value cannot be negative."),
                "number": _("Enter a number, e.g. 12,5."),
                "failed": _("The score could not be saved; check the connection and try again."),
                "unsaved": _("Some scores are not saved yet."),
            },
        },
        status=status,
    )


def agreed_grid(request, pk):
    """Members × criteria with the agreed points in inputs, self and cross points beside."""
    period = _get_period_for_user(request, pk)
    return _render_grid(request, period)


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return payload if isinstance(payload, dict) else {}
    return request.POST


def _refused(message: str, code: str):
    return JsonResponse({"ok": False, "error": message, "code": code}, status=400)


@require_POST
def grid_cell_save(request, pk):
    """Save one agreed cell: POST criterion, unit, points (as typed) and version (the one
    the page showed, 0 for an empty cell).

    Answers {ok: true, points, version, totals}: the points as the page shows them
    ("45,5"), the new version and the member's totals. A refusal is {ok: false, error,
    code} with status 400; when someone else saved the cell meanwhile it is status 409
    with code "conflict", current_points, current_version and the totals, so that the
    page can show their value. JSON bodies and form posts are both accepted.
    """
    period = _get_period_for_user(request, pk, edit=True)
    payload = _payload(request)
    try:
        criterion_id = int(payload.get("criterion"))
        unit_id = int(payload.get("unit"))
        version = int(payload.get("version") or 0)
    except (TypeError, ValueError):
        return _refused(_("The request is incomplete; reload the page."), "bad_request")
    covenant = ranking_data.covenant_of(period)
    criterion = (
        Criterion.objects.filter(pk=criterion_id, sheet_id=covenant.sheet_id).first()
        if covenant
        else None
    )
    if criterion is None:
        return _refused(_("This criterion is not in the score sheet of the covenant."), "criterion")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return _refused(_("This unit does not exist."), "unit")
    try:
        score_services.check_period_editable(period)
    except ClusterError as e:
        return _refused(str(e), "locked")
    typed = payload.get("points")
    try:
        points, value = _cell_input(criterion, "" if typed is None else str(typed))
    except scoring.ScoreError as e:
        return _refused(e.message, e.code)
    try:
        score = score_services.score_save(
            period=period,
            unit=unit,
            criterion=criterion,
            stage=Stage.AGREED,
            points=points,
            value=value,
            user=request.user,
            expected_version=version,
        )
    except score_services.ScoreConflict as e:
        data = ranking_data.load_period(period, unit_ids=[unit.pk])
        current = e.current
        return JsonResponse(
            {
                "ok": False,
                "error": str(e),
                "code": "conflict",
                "current_points": _cell_text(criterion, current),
                "current_version": current.version if current else 0,
                "totals": _totals(data, unit) if data.members else {},
            },
            status=409,
        )
    except ClusterError as e:
        return _refused(str(e), "refused")
    data = ranking_data.load_period(period, unit_ids=[unit.pk])
    return JsonResponse(
        {
            "ok": True,
            "points": _cell_text(criterion, score),
            "version": score.version,
            "totals": _totals(data, unit),
        }
    )


# ---------------------------------------------------------------------------
# Excel download


_THIN = Side(style="thin", color="B7B7B7")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_GROUP_FILLS = (PatternFill("solid", fgColor="FFF2CC"), PatternFill("solid", fgColor="E2EFDA"))
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_UNLOCKED = Protection(locked=False)


def _grid_workbook(data: ranking_data.PeriodData) -> bytes:
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
    for index, (label, span) in enumerate(_column_groups(data)):
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
                "max": _plain(criterion.max_points)
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


def grid_download(request, pk):
    period = _get_period_for_user(request, pk)
    data = ranking_data.load_period(period)
    term = period.cluster_year
    name = f"diem-thong-nhat-{text.fold(term.cluster.name).replace(' ', '-')}-{term.year}"
    return FileResponse(
        io.BytesIO(_grid_workbook(data)),
        as_attachment=True,
        filename=f"{name}-{period.kind}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


# ---------------------------------------------------------------------------
# Excel upload


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
                points, value = _cell_input(criterion, raw)
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


@require_POST
def grid_upload(request, pk):
    """Apply an uploaded grid file completely, or list every bad cell and apply nothing."""
    period = _get_period_for_user(request, pk, edit=True)
    form = forms.AgreedGridUploadForm(request.POST, request.FILES)
    errors: list[CellError] = []
    if form.is_valid():
        try:
            score_services.check_period_editable(period)
            data = ranking_data.load_period(period)
            changes, unchanged, errors = read_grid_upload(form.cleaned_data["file"], data)
        except (ClusterError, GridFileError) as e:
            form.add_error("file", str(e))
        else:
            if not errors:
                try:
                    count = score_services.agreed_scores_apply(
                        period=period,
                        changes=[
                            (c.unit, c.criterion, c.points, c.value, c.version) for c in changes
                        ],
                        user=request.user,
                    )
                except ClusterError:
                    form.add_error(
                        None,
                        _(
                            "The scores changed while the file was being applied, so nothing "
                            "was saved. Download the grid again and redo your changes."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d score was saved; %(unchanged)d cells were unchanged.",
                            "%(count)d scores were saved; %(unchanged)d cells were unchanged.",
                            count,
                        )
                        % {"count": count, "unchanged": unchanged},
                    )
                    return redirect("clusters:agreed_grid", period.pk)
    return _render_grid(request, period, upload_form=form, upload_errors=errors)


# ---------------------------------------------------------------------------
# Ranking


def _ranked_rows(data: ranking_data.PeriodData, rows: list[scoring.RankedRow]) -> list[dict]:
    codes = [c.code for c in data.top_criteria]
    return [
        {
            "row": row,
            "result": row.result,
            "rank": f"={row.rank}" if row.tied else str(row.rank),
            "groups": [row.result.group_totals.get(code) for code in codes],
        }
        for row in rows
    ]


def ranking(request, pk):
    """The members ranked on their agreed scores, with every tie-break explained."""
    period = _get_period_for_user(request, pk)
    term = period.cluster_year
    data = ranking_data.load_period(period)
    error, rows, rules = "", [], None
    if data.sheet is None:
        error = _("The covenant has no score sheet yet.")
    else:
        try:
            rules = data.rules
            rows = data.ranking()
        except scoring.ScoreError as e:
            error = e.message
    ranked = _ranked_rows(data, rows)
    return render(
        request,
        "clusters/ranking.html",
        {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "groups": data.top_criteria,
            "rows": ranked,
            "notes": [r for r in ranked if r["row"].tie_break_notes],
            "rules": rules,
            "ruleset": data.ruleset,
            "error": error,
        },
    )


def _viewer_province(request) -> Province:
    """The province whose clusters the user sees as staff or leader; 404 for others."""
    access = access_for(request.user)
    province = request.user.province
    if province is not None and access.can_view_province(province.pk):
        return province
    provinces = Province.objects.order_by("pk")
    if not access.superuser:
        provinces = provinces.filter(pk__in=access.viewer_provinces)
    province = provinces.first()
    if province is None:
        raise Http404
    return province


def ranking_year(request, year):
    """The first-ranked units of every cluster and bloc of the province in a year."""
    province = _viewer_province(request)
    rankings = ranking_data.province_year_rankings(province, year)
    return render(
        request,
        "clusters/ranking_year.html",
        {
            "province": province,
            "year": year,
            "rankings": rankings,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )
