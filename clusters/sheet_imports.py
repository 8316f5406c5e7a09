"""Import of a score sheet from an Excel workbook laid out as provinces publish them.

Two steps, each a plain function, so that nothing is written unless the whole file
is right (the writing is `sheet_services.sheet_import`):

1. `read_workbook(upload)` finds the sheet and its header row and returns the rows,
   with the row numbers Excel shows. A file that cannot be a score sheet at all
   (not .xlsx, empty, too big, no sheet with the columns) raises `ImportFileError`;
   merged cells and formulas are reported as row errors.
2. `validate(raw, scale=...)` parses every row, builds the tree and checks it, and
   returns `(ParsedSheet or None, errors)`; each error names the row, the column
   and the reason.

The layout (one row per group or criterion; the header row may sit below title rows):

    Mã | Tiêu chí | Điểm tối đa | Loại | Ghi chú | optional parameter columns

How rows form the tree, in order of precedence:

- A row is a group if its type is "Nhóm", or if its type is empty and its code is a
  Roman numeral (I, II, IV…).
- A row whose code starts with the code of an earlier group followed by a dot
  belongs to that group: 1.2.3 goes in group 1.2.
- Other bonus, penalty and veto rows stand alone at the top, outside the groups,
  unless their code starts with a digit: B, B.1, P, V, + and − stand alone, while
  a bonus coded 1.12 goes in the group above it like any criterion.
- A group whose code has no dot is a top-level group; every other row belongs to
  the nearest top-level group above it (1.1 and 1.2 under I; 1, 2, 3 under I in a
  100-point sheet), or stands alone if there is none.
- A row with no code whose text starts with "Tổng" is the total: it is checked
  against the sum of the base criteria and not imported.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import criteria
from .imports import MAX_FILE_SIZE, YES, Column, ImportFileError, RowError, _is_blank, _key
from .models import Criterion

Kind = Criterion.Kind

# A score sheet has tens of rows, a few hundred at most.
MAX_ROWS = 1000
# The unpacked XML of the workbook; a real score sheet needs well under 1 MB.
MAX_UNPACKED_SIZE = 20 * 1024 * 1024
# Title rows ("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025") may come before the header row.
HEADER_SEARCH_ROWS = 20
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# "Tổng cộng", "Tổng số điểm"… in a row without a code.
TOTAL_TEXT = "tong"

COLUMNS = [
    Column(
        "code",
        "Mã",
        required=True,
        description=gettext_lazy("Code of the group or criterion: I, II… for groups; 1.1, 1.2…"),
        aliases=("Mã số", "Mã tiêu chí", "STT", "TT", "Số TT", "Code"),
    ),
    Column(
        "text",
        "Tiêu chí",
        required=True,
        description=gettext_lazy("Text of the group or criterion."),
        aliases=(
            "Nội dung",
            "Nội dung tiêu chí",
            "Tên tiêu chí",
            "Nội dung chấm điểm",
            "Criterion",
        ),
    ),
    Column(
        "max_points",
        "Điểm tối đa",
        required=True,
        description=gettext_lazy(
            "Maximum points; for a group, the sum of its criteria. Empty or 0 for a veto."
        ),
        aliases=("Điểm chuẩn", "Thang điểm", "Điểm tối đa được chấm", "Maximum points"),
    ),
    Column(
        "kind",
        "Loại",
        required=True,
        description=gettext_lazy("Type of the row; see the accepted values below."),
        aliases=("Loại tiêu chí", "Hình thức chấm", "Cách chấm", "Type", "Kind"),
    ),
    Column(
        "note",
        "Ghi chú",
        required=False,
        description=gettext_lazy("Free text: how to score, what evidence to attach."),
        aliases=("Note", "Notes"),
    ),
    Column(
        "unit_of_measure",
        "Đơn vị tính",
        required=False,
        description=gettext_lazy("Unit of the measured value, e.g. %, tỷ đồng, hồ sơ."),
        aliases=("ĐVT", "Unit of measure"),
    ),
    Column(
        "mode",
        "Cách tính",
        required=False,
        description=gettext_lazy(
            "Quantitative only: “tỷ lệ” (in proportion to the target, the default) or "
            "“dẫn đầu” (full points only for the cluster's leader, half for meeting the target)."
        ),
        aliases=("Cách tính điểm", "Mode"),
    ),
    Column(
        "lower_is_better",
        "Càng thấp càng tốt",
        required=False,
        description=gettext_lazy(
            "Quantitative only: “x” when a lower value is better (e.g. poverty rate)."
        ),
        aliases=("Chỉ tiêu nghịch", "Lower is better"),
    ),
    Column(
        "no_target",
        "Không giao chỉ tiêu",
        required=False,
        description=gettext_lazy(
            "Quantitative only, for a unit without an assigned target: “không điểm” (the "
            "default), “đủ điểm” or “không tính” (criterion left out)."
        ),
        aliases=("Không có chỉ tiêu", "No target"),
    ),
    Column(
        "grades",
        "Các mức",
        required=False,
        description=gettext_lazy(
            "Graded only: levels and their points, e.g. “Tốt = 6; Khá = 4; Trung bình = 0”."
        ),
        aliases=("Mức xếp loại", "Các mức xếp loại", "Grades"),
    ),
    Column(
        "points_per_item",
        "Điểm mỗi lần",
        required=False,
        description=gettext_lazy(
            "Points per item or per occurrence: required for “chấm thẳng” (negative to "
            "deduct from the maximum), optional for bonus and penalty."
        ),
        aliases=("Điểm/lần", "Điểm cho mỗi lần", "Points per item"),
    ),
    Column(
        "cap",
        "Giới hạn",
        required=False,
        description=gettext_lazy(
            "“Chấm thẳng” only: at most this many points; empty for the maximum."
        ),
        aliases=("Điểm giới hạn", "Cap"),
    ),
]
ORDER = [column.field for column in COLUMNS]
HEADERS = {column.field: column.header for column in COLUMNS}

# Type cells, matched without accents or case; the labels of the page are accepted too.
KIND_WORDS = {
    Kind.GROUP: ("nhóm", "nhóm tiêu chí"),
    Kind.QUANTITATIVE: ("định lượng",),
    Kind.QUALITATIVE: ("định tính", "đạt/không đạt"),
    Kind.GRADED: ("xếp mức", "xếp loại", "theo mức"),
    Kind.PER_ITEM: ("chấm thẳng", "theo lần", "chấm thẳng theo lần", "mỗi lần"),
    Kind.BONUS: ("điểm thưởng", "thưởng", "điểm cộng", "cộng"),
    Kind.PENALTY: ("điểm trừ", "trừ"),
    Kind.VETO: ("không xét", "điều kiện không xét", "loại trừ"),
}
MODE_WORDS = {
    criteria.PROPORTIONAL: ("tỷ lệ", "tỉ lệ", "theo tỷ lệ", "theo tỉ lệ"),
    criteria.LEADER: ("dẫn đầu", "dẫn đầu cụm", "đơn vị dẫn đầu"),
}
NO_TARGET_WORDS = {
    criteria.FULL: ("đủ điểm", "tính đủ điểm", "điểm tối đa"),
    criteria.ZERO: ("không điểm", "0 điểm", "0"),
    criteria.EXCLUDED: ("không tính", "loại khỏi", "bỏ qua"),
}
SHEET_TITLE = "Bảng điểm"
# Cells whose line breaks are kept: the levels of a graded criterion may be one per line.
MULTILINE = ("note", "grades")


@dataclass
class RawSheet:
    title: str
    header_row: int
    # The header of each recognised column as the file spells it, by field name.
    headers: dict[str, str]
    # (row number, {field: cell value}) for every non-empty row below the header.
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    # Merged cells and formulas: reported with the other errors.
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ParsedCriterion:
    row: int
    code: str
    text: str
    kind: str
    max_points: Decimal
    params: dict
    unit_of_measure: str = ""
    note: str = ""
    # The row of the group it belongs to.
    parent_row: int | None = None


@dataclass
class ParsedSheet:
    criteria: list[ParsedCriterion]
    scale: Decimal


def _words(mapping: dict) -> dict[str, str]:
    return {_key(word): value for value, words in mapping.items() for word in words}


def _kind_lookup() -> dict[str, str]:
    lookup = {_key(value): value for value in Kind.values}
    for value, label in Kind.choices:
        for language in ("vi", "en"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    lookup.update(_words(KIND_WORDS))
    return lookup


# ---------------------------------------------------------------------------
# Step 1: reading


def read_workbook(upload: UploadedFile) -> RawSheet:
    """The first sheet of the workbook that has the score-sheet columns, as rows."""
    if PurePath(upload.name or "").suffix.lower() != ".xlsx":
        raise ImportFileError(_("Choose an Excel workbook (.xlsx)."))
    if not upload.size:
        raise ImportFileError(_("The file is empty."))
    if upload.size > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    data = upload.read()
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise ImportFileError(
            _("This is an old Excel file (.xls); open it in Excel and save it as .xlsx.")
        )
    _check_unpacked_size(data)
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet. Formulas are
        # kept as formulas (data_only=False) so that they can be refused.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as e:
        # openpyxl raises many kinds of errors (zip, XML, key, value) on a damaged file.
        raise ImportFileError(_("The file could not be read as an Excel workbook.")) from e
    try:
        return _read_sheet(workbook)
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ImportFileError(_("The file could not be read as an Excel workbook.")) from e
    # A small file may unpack into gigabytes; refuse it before openpyxl tries.
    if unpacked > MAX_UNPACKED_SIZE:
        raise ImportFileError(_("The workbook is too large to be a score sheet."))


def _read_sheet(workbook) -> RawSheet:
    by_key = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            by_key[_key(name)] = column
    required = [column for column in COLUMNS if column.required]
    anything = False
    closest = None
    for worksheet in workbook.worksheets:
        for number, cells in enumerate(
            worksheet.iter_rows(max_row=min(worksheet.max_row, HEADER_SEARCH_ROWS)), start=1
        ):
            values = [cell.value for cell in cells]
            if all(_is_blank(v) for v in values):
                continue
            anything = True
            positions = {}
            for position, value in enumerate(values):
                column = by_key.get(_key(str(value))) if isinstance(value, str) else None
                if column is not None and column not in positions.values():
                    positions[position] = column
            found = set(positions.values())
            if found and (closest is None or len(found) > len(closest[1])):
                closest = (worksheet.title, found)
            if all(column in found for column in required):
                return _sheet_rows(worksheet, number, positions)
    if not anything:
        raise ImportFileError(_("The file is empty."))
    columns = ", ".join(column.header for column in required)
    if closest is None:
        raise ImportFileError(
            _("No sheet of the workbook has the columns %(columns)s in its first %(rows)d rows.")
            % {"columns": columns, "rows": HEADER_SEARCH_ROWS}
        )
    missing = ", ".join(column.header for column in required if column not in closest[1])
    raise ImportFileError(
        _("Required columns are missing on the sheet “%(sheet)s”: %(columns)s.")
        % {"sheet": closest[0], "columns": missing}
    )


def _sheet_rows(worksheet, header_row: int, positions: dict[int, Column]) -> RawSheet:
    if worksheet.max_row - header_row > MAX_ROWS:
        raise ImportFileError(
            _("The sheet “%(sheet)s” has more than %(max)d rows; a score sheet has far fewer.")
            % {"sheet": worksheet.title, "max": MAX_ROWS}
        )
    headers_cells = next(worksheet.iter_rows(min_row=header_row, max_row=header_row))
    raw = RawSheet(
        title=worksheet.title,
        header_row=header_row,
        headers={c.field: str(headers_cells[p].value).strip() for p, c in positions.items()},
    )
    for cell_range in worksheet.merged_cells.ranges:
        # Merged title rows above the header are usual and harmless.
        if cell_range.max_row < header_row:
            continue
        column = positions.get(cell_range.min_col - 1)
        raw.errors.append(
            RowError(
                max(cell_range.min_row, header_row),
                raw.headers[column.field] if column else get_column_letter(cell_range.min_col),
                column.field if column else "",
                _("The cells %(range)s are merged; unmerge them and fill in every cell.")
                % {"range": cell_range.coord},
                "merged",
            )
        )
    last_column = max(positions) + 1
    for number, cells in enumerate(
        worksheet.iter_rows(min_row=header_row + 1, max_col=last_column), start=header_row + 1
    ):
        row = {}
        for position, column in positions.items():
            cell = cells[position] if position < len(cells) else None
            row[column.field] = _cell_value(cell, raw, number, column)
        if all(_is_blank(v) for v in row.values()):
            continue
        raw.rows.append((number, row))
    if not raw.rows:
        raise ImportFileError(_("The file has headers but no rows to import."))
    return raw


class _Refused:
    """A cell that was already reported (a formula or an error value)."""

    def __bool__(self):
        return True


REFUSED = _Refused()


def _cell_value(cell, raw: RawSheet, number: int, column: Column):
    """The cell's value; formulas and error values are reported and replaced by REFUSED."""
    if cell is None:
        return None
    value = cell.value
    header = raw.headers[column.field]
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        raw.errors.append(
            RowError(
                number,
                header,
                column.field,
                _("The cell holds a formula; copy the sheet and paste values only."),
                "formula",
            )
        )
        return REFUSED
    if cell.data_type == "e":
        raw.errors.append(
            RowError(
                number, header, column.field, _("The cell holds an Excel error value."), "error"
            )
        )
        return REFUSED
    if column.field == "code" and isinstance(value, int | float) and not isinstance(value, bool):
        return _number_as_code(value, cell.number_format)
    if isinstance(value, str):
        value = value.strip()
    return value


def _number_as_code(value: float, number_format: str) -> str:
    """A code Excel stored as a number, as the sheet shows it: 1.1, or 1.10 under "0.00"."""
    fixed = re.fullmatch(r"0\.(0+)", number_format or "")
    if fixed:
        return f"{value:.{len(fixed.group(1))}f}"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


# ---------------------------------------------------------------------------
# Step 2: validation


class _Row:
    def __init__(self, number: int, values: dict, raw: RawSheet, errors: list[RowError]):
        self.number = number
        self.values = values
        self.raw = raw
        self.errors = errors
        self.failed = any(e.row == number for e in raw.errors)

    def error(self, field_name: str, message: str, code: str) -> None:
        self.failed = True
        # A parameter column the file lacks is named as the template names it.
        header = self.raw.headers.get(field_name) or HEADERS.get(field_name, field_name)
        self.errors.append(RowError(self.number, header, field_name, message, code))

    def text(self, field_name: str, *, max_length: int | None = None) -> str:
        value = self.values.get(field_name)
        if value is None or value is REFUSED:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if field_name in MULTILINE:
            value = "\n".join(" ".join(line.split()) for line in str(value).strip().splitlines())
        else:
            value = " ".join(str(value).split())
        if max_length and len(value) > max_length:
            self.error(
                field_name,
                _("At most %(max)d characters are allowed.") % {"max": max_length},
                "too_long",
            )
        return value

    def points(self, field_name: str, *, allow_negative: bool = False) -> Decimal | None:
        value = self.values.get(field_name)
        if value is REFUSED:
            self.failed = True
            return None
        if _is_blank(value):
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(field_name, _("Enter a number, e.g. 12,5."), "number")
            return None
        try:
            return criteria.parse_points(value, allow_negative=allow_negative)
        except ValueError as e:
            self.error(field_name, str(e), "number")
            return None

    def choice(self, field_name: str, lookup: dict[str, str], accepted: str) -> str | None:
        value = self.text(field_name)
        if not value:
            return None
        found = lookup.get(_key(value))
        if found is None:
            self.error(
                field_name,
                _("Unknown value; use one of: %(values)s.") % {"values": accepted},
                "choice",
            )
        return found


def _kind_names() -> str:
    return "; ".join(words[0] for words in KIND_WORDS.values())


def _parse_row(row: _Row, kinds: dict[str, str]) -> ParsedCriterion | None:
    code = row.text("code", max_length=20).rstrip(".").strip()
    text = row.text("text")
    if not code and row.values.get("code") is not REFUSED:
        row.error("code", _("This cell is required."), "required")
    if not text and row.values.get("text") is not REFUSED:
        row.error("text", _("This cell is required."), "required")

    kind = row.choice("kind", kinds, _kind_names())
    if kind is None and not row.text("kind") and row.values.get("kind") is not REFUSED:
        if ROMAN.match(code):
            kind = Kind.GROUP
        else:
            row.error("kind", _("This cell is required."), "required")

    max_points = row.points("max_points")
    if kind == Kind.VETO:
        if max_points:
            row.error("max_points", _("A veto gate has no points; leave the cell empty."), "veto")
        max_points = Decimal("0.00")
    elif max_points is None and _is_blank(row.values.get("max_points")):
        row.error("max_points", _("This cell is required."), "required")

    values = {
        "mode": row.choice("mode", _words(MODE_WORDS), "tỷ lệ; dẫn đầu"),
        "no_target": row.choice(
            "no_target", _words(NO_TARGET_WORDS), "đủ điểm; không điểm; không tính"
        ),
        "lower_is_better": _flag(row),
        "points_per_item": row.points("points_per_item", allow_negative=True),
        "cap": row.points("cap"),
        "grades": None,
    }
    grades_text = row.text("grades")
    if grades_text:
        try:
            values["grades"] = criteria.parse_pairs(grades_text)
        except ValueError as e:
            row.error("grades", str(e), "grades")

    if kind:
        allowed = criteria.PARAMS_BY_KIND.get(kind, ())
        for name in criteria.PARAM_NAMES:
            if name not in allowed and not _is_blank(row.values.get(name)):
                row.error(
                    name,
                    _("This column does not apply to this type of criterion."),
                    "not_applicable",
                )
    params = {}
    if kind and max_points is not None and not row.failed:
        try:
            params = criteria.build_params(kind, values, max_points=max_points)
        except criteria.ParamError as e:
            row.error(e.field, e.message, "params")
    if row.failed:
        return None
    return ParsedCriterion(
        row=row.number,
        code=code,
        text=text,
        kind=kind,
        max_points=max_points,
        params=params,
        unit_of_measure=row.text("unit_of_measure", max_length=50),
        note=row.text("note"),
    )


def _flag(row: _Row) -> bool:
    value = row.values.get("lower_is_better")
    if value is REFUSED or _is_blank(value):
        return False
    if value is True or value is False:
        return value
    key = _key(str(value))
    if key in YES:
        return True
    if key in {"khong", "0", "no", "n", "false"}:
        return False
    row.error("lower_is_better", _("Write “x” or “có” for yes, or leave the cell empty."), "flag")
    return False


def _is_total(values: dict) -> bool:
    code, text = values.get("code"), values.get("text")
    return _is_blank(code) and isinstance(text, str) and _key(text).startswith(TOTAL_TEXT)


def validate(
    raw: RawSheet, *, scale: Decimal | None = None
) -> tuple[ParsedSheet | None, list[RowError]]:
    """Check every row and the tree; a ParsedSheet only if there is no error at all.

    `scale` is the one the user gave; without it the total row, or else the sum of the
    base criteria, is the scale.
    """
    errors = list(raw.errors)
    kinds = _kind_lookup()
    parsed: list[ParsedCriterion] = []
    # Codes by row, also of rows with other errors, so that a code is reported once.
    codes: dict[str, int] = {}
    total = None
    for number, values in raw.rows:
        row = _Row(number, values, raw, errors)
        if _is_total(values):
            total = (number, row.points("max_points"))
            continue
        item = _parse_row(row, kinds)
        code = row.text("code").rstrip(".").strip()
        if code:
            if code in codes:
                row.error(
                    "code",
                    _("This code is already used in row %(row)d.") % {"row": codes[code]},
                    "code_repeated",
                )
                item = None
            else:
                codes[code] = number
        if item is not None:
            parsed.append(item)

    structure_ok = not errors
    _assign_parents(parsed, raw, errors)
    if structure_ok and not errors:
        tree = criteria.build_tree(
            parsed, key=lambda item: item.row, parent_key=lambda item: item.parent_row
        )
        _check_sums(tree, raw, errors)
        base = tree.base_total
        if total is not None and total[1] is not None and total[1] != base:
            errors.append(
                RowError(
                    total[0],
                    raw.headers["max_points"],
                    "max_points",
                    _("The base criteria add up to %(sum)s points, not %(total)s.")
                    % {"sum": criteria.shown(base), "total": criteria.shown(total[1])},
                    "total",
                )
            )
        if scale is None:
            scale = total[1] if total is not None and total[1] is not None else base
        elif scale != base:
            errors.append(
                RowError(
                    0,
                    str(_("Scale")),
                    "scale",
                    _("The base criteria add up to %(sum)s points, not the scale of %(scale)s.")
                    % {"sum": criteria.shown(base), "scale": criteria.shown(scale)},
                    "scale",
                )
            )
        if not scale:
            errors.append(
                RowError(0, str(_("Scale")), "scale", _("The sheet has no base criteria."), "empty")
            )
    # Problems are listed as the user reads the sheet: by row, then column.
    errors.sort(key=lambda e: (e.row, ORDER.index(e.field) if e.field in ORDER else -1))
    if errors:
        return None, errors
    return ParsedSheet(criteria=parsed, scale=scale), errors


def _assign_parents(parsed: list[ParsedCriterion], raw: RawSheet, errors: list[RowError]) -> None:
    """Put each row in its group by the rules of the module docstring."""
    by_code = {}
    top_group = None
    for item in parsed:
        dotted = "." in item.code
        extra = item.kind in (Kind.BONUS, Kind.PENALTY, Kind.VETO)
        if not dotted and (extra or item.kind == Kind.GROUP):
            item.parent_row = None
            if item.kind == Kind.GROUP:
                top_group = item
        else:
            prefix = item.code.rsplit(".", 1)[0] if dotted else None
            container = by_code.get(prefix)
            if container is None and extra and not item.code[0].isdigit():
                # B.1 and P.2 without a group B or P: outside the groups, not in the last one.
                item.parent_row = None
            elif container is not None and container.kind != Kind.GROUP:
                errors.append(
                    RowError(
                        item.row,
                        raw.headers["code"],
                        "code",
                        _(
                            "The code puts this row under %(code)s in row %(row)d, which is "
                            "not a group; set the type of that row to “Nhóm”."
                        )
                        % {"code": container.code, "row": container.row},
                        "parent_not_group",
                    )
                )
            elif container is not None:
                item.parent_row = container.row
            elif top_group is not None:
                item.parent_row = top_group.row
        by_code[item.code] = item


def _check_sums(tree: criteria.Tree, raw: RawSheet, errors: list[RowError]) -> None:
    header = raw.headers["max_points"]
    for node in tree.nodes:
        item = node.item
        if item.kind != Kind.GROUP:
            continue
        if not node.children:
            errors.append(
                RowError(
                    item.row,
                    raw.headers["code"],
                    "code",
                    _("This group has no criteria."),
                    "group_empty",
                )
            )
        elif node.sum_mismatch:
            errors.append(
                RowError(
                    item.row,
                    header,
                    "max_points",
                    _("The criteria of this group add up to %(sum)s points, not %(max)s.")
                    % {
                        "sum": criteria.shown(node.child_sum),
                        "max": criteria.shown(item.max_points),
                    },
                    "group_sum",
                )
            )


# ---------------------------------------------------------------------------
# The template file

# A small 100-point sheet that imports as it is; cells by field name.
EXAMPLE = [
    {"code": "I", "text": "Thực hiện nhiệm vụ chuyên môn", "max_points": 60, "kind": "Nhóm"},
    {
        "code": "1.1",
        "text": "Kết quả thực hiện chỉ tiêu, nhiệm vụ UBND tỉnh giao",
        "max_points": 30,
        "kind": "Định lượng",
        "unit_of_measure": "%",
        "mode": "Tỷ lệ",
        "no_target": "Đủ điểm",
    },
    {
        "code": "1.2",
        "text": "Nhiệm vụ đột xuất do Chủ tịch UBND tỉnh giao",
        "max_points": 20,
        "kind": "Xếp mức",
        "grades": "Tốt = 20; Khá = 15; Trung bình = 10; Kém = 0",
    },
    {
        "code": "1.3",
        "text": "Tham mưu văn bản đúng tiến độ",
        "max_points": 10,
        "kind": "Chấm thẳng",
        "note": "Trừ 1 điểm cho mỗi văn bản trễ hạn",
        "points_per_item": -1,
    },
    {"code": "II", "text": "Công tác thi đua, khen thưởng", "max_points": 40, "kind": "Nhóm"},
    {
        "code": "2.1",
        "text": "Kế hoạch, phát động, ký giao ước thi đua",
        "max_points": 20,
        "kind": "Định tính",
    },
    {
        "code": "2.2",
        "text": "Gương điển hình tiên tiến, người tốt việc tốt",
        "max_points": 20,
        "kind": "Chấm thẳng",
        "unit_of_measure": "mô hình",
        "points_per_item": 5,
        "cap": 20,
    },
    {"text": "Tổng cộng", "max_points": 100},
    {
        "code": "B",
        "text": "Khen thưởng đột xuất, mô hình mới được tỉnh công nhận",
        "max_points": 10,
        "kind": "Điểm thưởng",
        "points_per_item": 5,
    },
    {
        "code": "P",
        "text": "Chậm báo cáo",
        "max_points": 0,
        "kind": "Điểm trừ",
        "note": "Không giới hạn",
        "points_per_item": 0.5,
    },
    {"code": "V", "text": "Tổ chức đảng không hoàn thành nhiệm vụ", "kind": "Không xét"},
]

# How rows form the tree, for the instructions sheet and the upload page.
RULES = [
    gettext_lazy(
        "A row is a group if its type is “Nhóm”, or if its type is empty and its code is "
        "a Roman numeral (I, II…)."
    ),
    gettext_lazy(
        "A row whose code starts with the code of a group and a dot belongs to that group: "
        "1.2.3 belongs to 1.2."
    ),
    gettext_lazy(
        "Bonus, penalty and veto rows whose code starts with a letter or a sign (B, B.1, P, "
        "V, +) stand alone, outside the groups."
    ),
    gettext_lazy(
        "Other rows belong to the nearest group above them whose code has no dot: 1.1 and "
        "1.2 under I, or 1, 2, 3 under I."
    ),
    gettext_lazy(
        "A group's maximum must equal the sum of its criteria; bonus, penalty and veto rows "
        "are not counted."
    ),
    gettext_lazy(
        "A row without a code whose text starts with “Tổng” is the total: it is checked, "
        "not imported."
    ),
    gettext_lazy("Type values, not formulas, and do not merge cells below the header row."),
]


def template_xlsx() -> bytes:
    """A workbook with the example sheet and a second sheet that explains the columns."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    for example in EXAMPLE:
        sheet.append([example.get(column.field) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    widths = {"code": 8, "text": 50, "note": 30, "grades": 36}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet[f"{letter}1"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = widths.get(column.field, 14)
        if column.field == "code":
            # Codes stay text, so that Excel does not turn 1.10 into 1.1.
            for cells in sheet.iter_rows(min_col=index, max_col=index):
                cells[0].number_format = "@"
    for row in sheet.iter_rows(min_row=2):
        if row[ORDER.index("kind")].value == "Nhóm":
            for cell in row:
                cell.font = Font(bold=True)

    help_sheet = workbook.create_sheet(str(_("Instructions")))
    help_sheet.append([_("Column"), _("Required"), _("Description")])
    for column in COLUMNS:
        help_sheet.append(
            [column.header, _("Yes") if column.required else _("No"), str(column.description)]
        )
    help_sheet.append([])
    kind_header = next(c.header for c in COLUMNS if c.field == "kind")
    help_sheet.append([kind_header, "", _("Accepted values:")])
    for value, words in KIND_WORDS.items():
        help_sheet.append(["", words[0], str(Kind(value).label)])
    help_sheet.append([])
    help_sheet.append(["", "", _("Groups and criteria:")])
    for line in [*RULES, _("Replace the example rows of the first sheet with your data.")]:
        help_sheet.append(["", "", str(line)])
    for letter, width in (("A", 20), ("B", 16), ("C", 100)):
        help_sheet.column_dimensions[letter].width = width
        help_sheet[f"{letter}1"].font = Font(bold=True)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
