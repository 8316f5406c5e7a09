"""Import of units and cluster memberships from an Excel (.xlsx) or CSV file.

Three steps, each a plain function, so that nothing is written unless the whole
file is right:

1. `read_rows(upload, kind=...)` turns the file into a `Sheet`: one dict per
   non-empty row, keyed by canonical field name, with the row number the user
   sees in their spreadsheet. Problems with the file as a whole (wrong type,
   empty, too big, required columns missing) raise `ImportFileError`.
2. `validate(kind, sheet, province=...)` checks every row against the rules and
   the database and returns `(clean_rows, errors)`; each error names the row,
   the column and the reason.
3. `apply(kind, clean_rows, province=...)` writes all rows in one transaction.

The headers of the template files are Vietnamese whatever the language of the
interface, so that a file made by one user imports for any other. Headers are
matched without accents or case, and the English names are accepted too.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from . import services, text
from .models import Cluster, ClusterYear, Membership, Province, Unit

UNITS = "units"
MEMBERSHIPS = "memberships"
KINDS = (UNITS, MEMBERSHIPS)
SHEET_TITLES = {UNITS: gettext_lazy("Units"), MEMBERSHIPS: gettext_lazy("Members")}
FORMATS = ("xlsx", "csv")

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
# Excel's day numbers of 1 January 1990 and 31 December 2100.
EXCEL_DAYS = (32874, 73415)

# Cell texts that mean "yes" in the women-majority column; an empty cell means no.
YES = {"co", "x", "1", "yes", "y", "true", "dung"}
NO = {"khong", "0", "no", "n", "false", "sai"}


class ImportFileError(Exception):
    """The file cannot be imported at all; the message is translated and says why."""


@dataclass(frozen=True)
class Column:
    field: str
    # The header written in the template files.
    header: str
    required: bool
    description: str
    example: object = ""
    aliases: tuple[str, ...] = ()


@dataclass
class Sheet:
    # The header of each recognised column as the file spells it, by field name.
    headers: dict[str, str]
    # (sheet row number, {field name: cell value}) for every non-empty row.
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    row: int
    # The header as the file spells it, and the canonical field name behind it.
    column: str
    field: str
    message: str
    # A stable name for the rule, for tests and for anyone reading the code.
    code: str


COLUMNS = {
    UNITS: [
        Column(
            "code",
            "Mã",
            required=False,
            description=gettext_lazy("Official code, unique in the province; may be empty."),
            example="29998",
            aliases=("Mã đơn vị", "Code", "Official code"),
        ),
        Column(
            "name",
            "Tên đơn vị",
            required=True,
            description=gettext_lazy("Name of the unit."),
            example="Xã Tân Hộ Cơ",
            aliases=("Tên", "Name", "Unit name"),
        ),
        Column(
            "kind",
            "Loại",
            required=True,
            description=gettext_lazy("Kind of unit, as shown in the unit list (e.g. Commune)."),
            example=Unit.Kind.COMMUNE,
            aliases=("Loại đơn vị", "Kind", "Type"),
        ),
        Column(
            "valid_from",
            "Hiệu lực từ",
            required=True,
            description=gettext_lazy("First day of the unit, dd/mm/yyyy."),
            example=datetime.date(2025, 7, 1),
            aliases=("Valid from",),
        ),
        Column(
            "valid_to",
            "Hiệu lực đến",
            required=False,
            description=gettext_lazy("Last day of the unit, dd/mm/yyyy; empty if it still exists."),
            aliases=("Valid to",),
        ),
    ],
    MEMBERSHIPS: [
        Column(
            "cluster",
            "Cụm/khối",
            required=True,
            description=gettext_lazy("Name, number or document symbol of the cluster or bloc."),
            example="Cụm thi đua số 3",
            aliases=("Cụm", "Khối", "Cụm thi đua", "Cluster", "Bloc"),
        ),
        Column(
            "year",
            "Năm",
            required=True,
            description=gettext_lazy("Year of the term; the term must already be open."),
            example=2025,
            aliases=("Year",),
        ),
        Column(
            "unit",
            "Mã đơn vị",
            required=True,
            description=gettext_lazy("Official code of the unit, or its name if it has no code."),
            example="29998",
            aliases=("Đơn vị", "Unit", "Unit code"),
        ),
        Column(
            "valid_from",
            "Từ ngày",
            required=False,
            description=gettext_lazy("First day of membership in the year; empty for 1 January."),
            aliases=("Member from", "Valid from"),
        ),
        Column(
            "valid_to",
            "Đến ngày",
            required=False,
            description=gettext_lazy("Last day of membership in the year; empty for 31 December."),
            aliases=("Member until", "Valid to"),
        ),
        Column(
            "women_majority",
            "Nữ chiếm đa số?",
            required=False,
            description=gettext_lazy("“x” or “có” if women are at least 70 percent of the staff."),
            example="x",
            aliases=("Women majority", "At least 70 % women"),
        ),
    ],
}


def _key(value: str) -> str:
    """Header or label without accents, case and punctuation: "Cụm/khối" is "cum khoi"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.fold(value)).split())


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str:
    """A cell as text: numbers typed into Excel come back without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


# ---------------------------------------------------------------------------
# Step 1: reading


def read_rows(upload: UploadedFile, *, kind: str) -> Sheet:
    """Read the first sheet of an .xlsx file, or a UTF-8 .csv file, into a `Sheet`.

    The first non-empty row holds the headers; unknown columns are ignored and
    empty rows skipped, but row numbers stay those of the file.
    """
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ImportFileError(_("Choose an Excel (.xlsx) or CSV (.csv) file."))
    if upload.size is not None and upload.size > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    data = upload.read()
    numbered = _xlsx_rows(data) if extension == "xlsx" else _csv_rows(data)
    return _sheet_from_rows(numbered, COLUMNS[kind])


def _xlsx_rows(data: bytes):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:
        # openpyxl raises many kinds of errors (zip, XML, key, value) on a damaged file.
        raise ImportFileError(_("The file could not be read as an Excel workbook.")) from e
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; ignore it and read every row.
        sheet.reset_dimensions()
        # Empty rows come as empty tuples, so the counter is the row number Excel shows.
        yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    except Exception as e:
        # Cells are parsed while they are read, so a damaged sheet fails only here.
        raise ImportFileError(_("The file could not be read as an Excel workbook.")) from e
    finally:
        workbook.close()


def _csv_rows(data: bytes):
    try:
        # utf-8-sig also removes the byte-order mark that Excel writes.
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and try again.")
        ) from e
    first_line = next((line for line in content.splitlines() if line.strip()), "")
    # Excel writes semicolons where the decimal separator is a comma, as in Vietnamese.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        # Records are counted rather than lines, as a spreadsheet shows a cell with a
        # line break in one row.
        yield from enumerate(csv.reader(io.StringIO(content), delimiter=delimiter), start=1)
    except csv.Error as e:
        raise ImportFileError(_("The CSV file could not be read.")) from e


def _sheet_from_rows(numbered, columns: list[Column]) -> Sheet:
    by_key = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            by_key[_key(name)] = column
    positions: dict[int, Column] = {}
    sheet = None
    for number, values in numbered:
        if all(_is_blank(v) for v in values):
            continue
        if sheet is None:
            sheet = Sheet(headers={})
            for position, header in enumerate(values):
                column = by_key.get(_key(_cell_text(header)))
                if column is None:
                    continue
                if column.field in sheet.headers:
                    raise ImportFileError(
                        _("The column %(column)s appears twice.") % {"column": column.header}
                    )
                sheet.headers[column.field] = _cell_text(header)
                positions[position] = column
            missing = [c.header for c in columns if c.required and c.field not in sheet.headers]
            if missing:
                raise ImportFileError(
                    _("Required columns are missing: %(columns)s.")
                    % {"columns": ", ".join(missing)}
                )
            continue
        row = {c.field: None for c in columns}
        for position, column in positions.items():
            if position < len(values):
                value = values[position]
                row[column.field] = value.strip() if isinstance(value, str) else value
        if all(_is_blank(v) for v in row.values()):
            continue
        if len(sheet.rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        sheet.rows.append((number, row))
    if sheet is None:
        raise ImportFileError(_("The file is empty."))
    if not sheet.rows:
        raise ImportFileError(_("The file has headers but no rows to import."))
    return sheet


# ---------------------------------------------------------------------------
# Step 2: validation


class _CellError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _parse_date(value: object) -> datetime.date:
    """A date cell, an Excel day number, or dd/mm/yyyy text (ISO yyyy-mm-dd is accepted)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell formatted as a number still holds Excel's day count; other numbers,
        # such as a year typed into a date column, are refused rather than misread.
        if EXCEL_DAYS[0] <= value <= EXCEL_DAYS[1]:
            return from_excel(value).date()
        raise _CellError(_("Enter a date as dd/mm/yyyy."), "date")
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise _CellError(_("Enter a date as dd/mm/yyyy."), "date")


def _parse_year(value: object) -> int:
    cell = _cell_text(value)
    if not cell.isdigit() or not 1990 <= int(cell) <= 2100:
        raise _CellError(_("Enter a year between 1990 and 2100."), "year")
    return int(cell)


def _parse_flag(value: object) -> bool:
    if value is True or value is False:
        return value
    key = _key(_cell_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise _CellError(_("Write “x” or “có” for yes, or leave the cell empty."), "flag")


class _Row:
    """Collects the errors of one row while its cells are parsed."""

    def __init__(self, number: int, values: dict, sheet: Sheet, errors: list[RowError], kind: str):
        self.number = number
        self.values = values
        self.sheet = sheet
        self.errors = errors
        self.failed = False
        for column in COLUMNS[kind]:
            if column.required and _is_blank(values[column.field]):
                self.error(column.field, _("This cell is required."), "required")

    def error(self, field_name: str, message: str, code: str) -> None:
        self.failed = True
        header = self.sheet.headers.get(field_name, field_name)
        self.errors.append(RowError(self.number, header, field_name, message, code))

    def parse(self, field_name: str, parser):
        """The parsed cell, or None if it is empty or wrong (the error is recorded)."""
        if _is_blank(self.values[field_name]):
            return None
        try:
            return parser(self.values[field_name])
        except _CellError as e:
            self.error(field_name, e.message, e.code)
            return None

    def text(self, field_name: str, *, max_length: int) -> str:
        value = _cell_text(self.values[field_name])
        if len(value) > max_length:
            self.error(
                field_name,
                _("At most %(max)d characters are allowed.") % {"max": max_length},
                "too_long",
            )
        return value

    def period(self, start: datetime.date | None, end: datetime.date | None) -> None:
        if start and end and end < start:
            self.error("valid_to", _("The end date must not be before the start date."), "period")


def validate(kind: str, sheet: Sheet, *, province: Province) -> tuple[list[dict], list[RowError]]:
    """Check every row of the sheet; the clean rows are ready for `apply` only if there
    are no errors."""
    if kind == UNITS:
        clean, errors = validate_units(sheet, province=province)
    else:
        clean, errors = validate_memberships(sheet, province=province)
    # Problems are listed as the user reads the sheet: by row, then column.
    order = [column.field for column in COLUMNS[kind]]
    errors.sort(key=lambda error: (error.row, order.index(error.field)))
    return clean, errors


def _kind_lookup() -> dict[str, str]:
    """Unit kinds by their value and by their label in Vietnamese and English."""
    lookup = {}
    for value, label in Unit.Kind.choices:
        lookup[_key(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    return lookup


def validate_units(sheet: Sheet, *, province: Province) -> tuple[list[dict], list[RowError]]:
    """New units of the province: codes must be new to the province and to the file."""
    errors: list[RowError] = []
    clean = []
    kinds = _kind_lookup()
    taken = set(
        Unit.objects.filter(province=province).exclude(code="").values_list("code", flat=True)
    )
    seen: dict[str, int] = {}
    for number, values in sheet.rows:
        row = _Row(number, values, sheet, errors, UNITS)
        code = row.text("code", max_length=20)
        name = row.text("name", max_length=200)
        kind = None
        if not _is_blank(values["kind"]):
            kind = kinds.get(_key(_cell_text(values["kind"])))
            if kind is None:
                row.error(
                    "kind",
                    _("Unknown kind; use one of: %(kinds)s.")
                    % {"kinds": "; ".join(str(label) for label in Unit.Kind.labels)},
                    "kind",
                )
        valid_from = row.parse("valid_from", _parse_date)
        valid_to = row.parse("valid_to", _parse_date)
        row.period(valid_from, valid_to)
        if code:
            if code in taken:
                row.error("code", _("Another unit of this province has this code."), "code_taken")
            elif code in seen:
                row.error(
                    "code",
                    _("This code is already used in row %(row)d.") % {"row": seen[code]},
                    "code_repeated",
                )
            else:
                seen[code] = number
        if not row.failed:
            clean.append(
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
    return clean, errors


class _MembershipLookups:
    """Everything the membership rows are checked against, fetched in four queries
    whatever the number of rows."""

    def __init__(self, province: Province, years: set[int]):
        clusters = list(Cluster.objects.filter(province=province))
        self.clusters_by_key: dict[str, list[Cluster]] = {}
        for cluster in clusters:
            keys = {_key(cluster.name), _key(cluster.symbol)}
            if cluster.number is not None:
                keys.add(str(cluster.number))
            for key in keys - {""}:
                self.clusters_by_key.setdefault(key, []).append(cluster)
        terms = ClusterYear.objects.filter(cluster__in=clusters, year__in=years)
        self.terms = {(term.cluster_id, term.year): term for term in terms}
        units = Unit.objects.filter(province=province).only(
            "id", "province_id", "code", "name", "valid_from", "valid_to"
        )
        self.units_by_code: dict[str, Unit] = {}
        # Excel drops the leading zeros of a code typed into a number cell: 00123 becomes 123.
        self.units_by_number: dict[int, Unit] = {}
        self.units_by_name: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.code:
                self.units_by_code[unit.code] = unit
                if unit.code.isdigit():
                    self.units_by_number.setdefault(int(unit.code), unit)
            self.units_by_name.setdefault(_key(unit.name), []).append(unit)
        # Periods already taken, by (term, unit), as (first day, last day, row or None).
        self.periods: dict[tuple[int, int], list[tuple]] = {}
        existing = Membership.objects.filter(cluster_year__in=list(self.terms.values()))
        for term_id, unit_id, start, end in existing.values_list(
            "cluster_year_id", "unit_id", "valid_from", "valid_to"
        ):
            self.periods.setdefault((term_id, unit_id), []).append((start, end, None))


def validate_memberships(sheet: Sheet, *, province: Province) -> tuple[list[dict], list[RowError]]:
    """Members for open terms of the province's clusters, under the rules of the
    membership form: dates in the year, a unit that exists for the whole period, and
    no overlap with a membership that exists or comes earlier in the file."""
    errors: list[RowError] = []
    clean = []
    years = set()
    for _number, values in sheet.rows:
        try:
            years.add(_parse_year(values["year"]))
        except _CellError:
            pass
    lookups = _MembershipLookups(province, years)
    for number, values in sheet.rows:
        row = _Row(number, values, sheet, errors, MEMBERSHIPS)
        cluster_text = row.text("cluster", max_length=200)
        year = row.parse("year", _parse_year)
        unit_text = row.text("unit", max_length=200)
        start = row.parse("valid_from", _parse_date)
        end = row.parse("valid_to", _parse_date)
        women_majority = bool(row.parse("women_majority", _parse_flag))
        row.period(start, end)
        for field_name, day in (("valid_from", start), ("valid_to", end)):
            if day and year and day.year != year:
                row.error(
                    field_name, _("The date must fall in %(year)s.") % {"year": year}, "date_year"
                )

        term = None
        if cluster_text:
            matches = lookups.clusters_by_key.get(_key(cluster_text), [])
            if not matches:
                row.error(
                    "cluster",
                    _("Your province has no cluster or bloc with this name or number."),
                    "cluster_unknown",
                )
            elif len(matches) > 1:
                row.error(
                    "cluster",
                    _("Several clusters or blocs match; write the full name."),
                    "cluster_ambiguous",
                )
            elif year:
                term = lookups.terms.get((matches[0].pk, year))
                if term is None:
                    row.error(
                        "year",
                        _("%(cluster)s has no term for %(year)s; open it first.")
                        % {"cluster": matches[0].name, "year": year},
                        "term_missing",
                    )

        unit = None
        if unit_text:
            unit = lookups.units_by_code.get(unit_text)
            if unit is None and isinstance(values["unit"], int | float) and unit_text.isdigit():
                unit = lookups.units_by_number.get(int(unit_text))
            if unit is None:
                named = lookups.units_by_name.get(_key(unit_text), [])
                if term and len(named) > 1:
                    # Old and new units may share a name: keep those that existed in the year.
                    named = [u for u in named if u.exists_on(start or term.first_day)] or named
                if len(named) == 1:
                    unit = named[0]
                elif named:
                    row.error(
                        "unit",
                        _("Several units have this name; write the unit's code."),
                        "unit_ambiguous",
                    )
                else:
                    row.error(
                        "unit",
                        _("Your province has no unit with this code or name."),
                        "unit_unknown",
                    )

        if term and unit and not row.failed:
            first = start or term.first_day
            last = end or term.last_day
            if not (unit.exists_on(first) and unit.exists_on(last)):
                row.error(
                    "unit",
                    _("This unit did not exist for the whole membership period."),
                    "unit_not_existing",
                )
        if term and unit and not row.failed:
            first = start or term.first_day
            last = end or term.last_day
            taken = lookups.periods.setdefault((term.pk, unit.pk), [])
            for other_start, other_end, other_row in taken:
                if (other_end is None or other_end >= first) and (
                    other_start is None or other_start <= last
                ):
                    if other_row is None:
                        message = _("This unit is already a member for these dates.")
                    else:
                        message = _(
                            "This unit is already listed in row %(row)d for these dates."
                        ) % {"row": other_row}
                    row.error("unit", message, "member_overlap")
                    break
            else:
                taken.append((first, last, number))
        if not row.failed:
            clean.append(
                {
                    "cluster_year": term,
                    "unit": unit,
                    "valid_from": start,
                    "valid_to": end,
                    "women_majority": women_majority,
                }
            )
    return clean, errors


# ---------------------------------------------------------------------------
# Step 3: writing


@transaction.atomic
def apply(kind: str, clean_rows: list[dict], *, province: Province) -> int:
    """Write the rows that `validate` accepted, all or none; returns how many."""
    for values in clean_rows:
        if kind == UNITS:
            services.unit_create(province=province, unit=Unit(**values))
        else:
            Membership.objects.create(**values)
    return len(clean_rows)


# ---------------------------------------------------------------------------
# Template files


def template_rows(kind: str) -> tuple[list[str], list[object]]:
    """The header row and one example row of a template file."""
    example = []
    for column in COLUMNS[kind]:
        value = column.example
        if column.field == "kind":
            # Kinds are written as Vietnamese users see them in the unit list.
            with translation.override("vi"):
                value = str(Unit.Kind(value).label)
        example.append(value)
    return [c.header for c in COLUMNS[kind]], example


def template_xlsx(kind: str) -> bytes:
    """A workbook whose first sheet is filled in, and a second sheet that explains it."""
    headers, example = template_rows(kind)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLES[kind])
    sheet.append(headers)
    sheet.append(example)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS[kind], start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(16, len(column.header) + 4)
        if column.field in ("code", "unit"):
            # Codes stay text, so that Excel keeps their leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
            sheet[f"{letter}2"].number_format = "@"
        elif column.field in ("valid_from", "valid_to"):
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
            sheet[f"{letter}2"].number_format = "DD/MM/YYYY"

    help_sheet = workbook.create_sheet(str(_("Instructions")))
    help_sheet.append([_("Column"), _("Required"), _("Description")])
    for column in COLUMNS[kind]:
        help_sheet.append(
            [column.header, _("Yes") if column.required else _("No"), str(column.description)]
        )
    help_sheet.append([])
    help_sheet.append(["", "", _("Replace the example row of the first sheet with your data.")])
    if kind == UNITS:
        help_sheet.append([])
        kind_header = next(c.header for c in COLUMNS[UNITS] if c.field == "kind")
        help_sheet.append([kind_header, "", _("Accepted values:")])
        for label in Unit.Kind.labels:
            help_sheet.append(["", "", str(label)])
    for letter, width in (("A", 18), ("B", 10), ("C", 70)):
        help_sheet.column_dimensions[letter].width = width
        help_sheet[f"{letter}1"].font = Font(bold=True)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_csv(kind: str) -> bytes:
    headers, example = template_rows(kind)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    writer.writerow([_cell_text(value) for value in example])
    # The byte-order mark makes Excel open the file as UTF-8.
    return output.getvalue().encode("utf-8-sig")
