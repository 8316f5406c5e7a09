"""The Excel import of score sheets, read and validated without the database, and the
criterion parameters behind it."""

import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from clusters import criteria, sheet_imports
from clusters.imports import ImportFileError
from clusters.models import Criterion

HEADERS = ["Mã", "Tiêu chí", "Điểm tối đa", "Loại", "Ghi chú"]
# Domain notes §3.3: a cluster of communes, 1,000 points, with a title row above the header
# and the columns in another order than the template's.
EXAMPLE_A_HEADERS = ["Mã", "Tiêu chí", "Loại", "Điểm tối đa", "Điểm mỗi lần", "Các mức", "Ghi chú"]
EXAMPLE_A = [
    ["I", "Thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh", "Nhóm", 500],
    ["1.1", "Thu ngân sách nhà nước trên địa bàn so dự toán", "Định lượng", 60],
    ["1.2", "Giải ngân vốn đầu tư công", "Định lượng", 60],
    ["1.3", "Xây dựng nông thôn mới / đô thị văn minh", "Định lượng", 50],
    ["1.4", "Giảm tỷ lệ hộ nghèo so chỉ tiêu", "Định lượng", 40],
    ["1.5", "Tỷ lệ bao phủ BHYT, BHXH tự nguyện", "Định lượng", 40],
    ["1.6", "Giáo dục (trường đạt chuẩn, huy động trẻ)", "Định lượng", 40],
    ["1.7", "Y tế, dân số", "Định tính", 30],
    ["1.8", "Văn hóa, gia đình văn hóa, thôn/tổ dân phố văn hóa", "Định lượng", 30],
    ["1.9", "Đất đai, môi trường, thu gom rác thải", "Định tính", 40],
    ["1.10", "Quốc phòng: giao quân đạt 100 %, dân quân", "Định lượng", 50],
    ["1.11", "An ninh trật tự: giảm tội phạm, tai nạn giao thông, tệ nạn", "Định lượng", 60],
    ["II", "Xây dựng chính quyền, cải cách hành chính, chuyển đổi số", "Nhóm", 200],
    ["2.1", "Hồ sơ thủ tục hành chính đúng hạn, trực tuyến toàn trình", "Định lượng", 60],
    ["2.2", "Chỉ số cải cách hành chính, mức độ hài lòng", "Định lượng", 40],
    ["2.3", "Văn bản điện tử, ký số", "Định lượng", 40],
    ["2.4", "Tiếp công dân, giải quyết khiếu nại, tố cáo đúng hạn", "Định lượng", 30],
    ["2.5", "Phòng, chống tham nhũng, tiêu cực; thực hành tiết kiệm", "Định tính", 30],
    ["III", "Công tác thi đua, khen thưởng", "Nhóm", 200],
    ["3.1", "Kế hoạch, phát động phong trào; đăng ký thi đua", "Định tính", 40],
    ["3.2", "Sơ kết, tổng kết; khen thưởng kịp thời, đúng quy định", "Định tính", 40],
    ["3.3", "Phát hiện, nhân rộng gương điển hình tiên tiến", "Chấm thẳng", 40, 5],
    ["3.4", "Hoạt động Hội đồng TĐKT cấp xã, Quỹ TĐKT", "Định tính", 20],
    ["3.5", "Chế độ báo cáo đúng hạn, đúng nội dung", "Chấm thẳng", 30, -5],
    ["3.6", "Tham gia hoạt động cụm (dự họp, kiểm tra chéo, đăng cai)", "Chấm thẳng", 30, 10],
    ["IV", "Xây dựng Đảng, Mặt trận, đoàn thể; đoàn kết nội bộ", "Nhóm", 100],
    ["4.1", "Tổ chức đảng xếp loại", "Xếp mức", 40, None,
     "Hoàn thành xuất sắc = 40; Hoàn thành tốt = 30; Hoàn thành = 15; Không hoàn thành = 0"],
    ["4.2", "Mặt trận, đoàn thể xếp loại", "Xếp mức", 30, None, "Tốt = 30\nKhá = 20\nTB = 10"],
    ["4.3", "Đoàn kết nội bộ, không có cán bộ bị kỷ luật", "Định tính", 30],
    [None, "Tổng cộng", None, 1000],
    ["B", "Điểm thưởng: khen đột xuất, mô hình mới, dẫn đầu cụm", "Điểm thưởng", 50],
    ["P", "Điểm trừ: báo cáo trễ, vắng họp cụm, kỷ luật", "Điểm trừ", 0],
    ["V", "Tổ chức đảng không hoàn thành nhiệm vụ; cán bộ chủ chốt bị kỷ luật", "Không xét"],
]  # fmt: skip


def workbook(rows, *, headers=HEADERS, title_rows=(), setup=None, name="bang-diem.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bảng điểm"
    for row in title_rows:
        sheet.append(row)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if setup:
        setup(sheet)
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def check(rows, *, scale=None, **options):
    return sheet_imports.validate(
        sheet_imports.read_workbook(workbook(rows, **options)), scale=scale
    )


def codes(errors):
    return [(e.row, e.field, e.code) for e in errors]


def file_error(upload, language="en") -> str:
    """The message for a file that cannot be imported; in English unless asked, as the
    new messages may not be translated yet."""
    with translation.override(language), pytest.raises(ImportFileError) as caught:
        sheet_imports.read_workbook(upload)
    return str(caught.value)


def example_a(**options):
    def merge_title(sheet):
        sheet.merge_cells("A1:G1")

    return check(
        EXAMPLE_A,
        headers=EXAMPLE_A_HEADERS,
        title_rows=[["BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025"], []],
        setup=merge_title,
        **options,
    )


SMALL = [
    ["I", "Nhiệm vụ chuyên môn", 60, "Nhóm"],
    ["1.1", "Chỉ tiêu giao", 30, "Định lượng"],
    ["1.2", "Nhiệm vụ đột xuất", 30, "Định tính"],
    ["II", "Thi đua, khen thưởng", 40, "Nhóm"],
    ["2.1", "Phát động phong trào", 40, "Định tính"],
]


# The examples


def test_example_a_of_1000_points_imports_cleanly():
    parsed, errors = example_a()
    assert errors == []
    assert parsed.scale == 1000
    by_code = {item.code: item for item in parsed.criteria}
    assert len(parsed.criteria) == 32
    # Header on row 3: the rows are numbered as Excel shows them.
    assert by_code["I"].row == 4
    assert by_code["1.11"].parent_row == by_code["I"].row
    assert by_code["3.6"].parent_row == by_code["III"].row
    assert by_code["4.3"].parent_row == by_code["IV"].row
    assert {by_code[code].parent_row for code in ("I", "II", "B", "P", "V")} == {None}
    assert by_code["3.3"].params == {"points_per_item": "5", "cap": "40"}
    assert by_code["3.5"].params == {"points_per_item": "-5", "cap": "30"}
    assert by_code["4.2"].params == {"grades": [["Tốt", "30"], ["Khá", "20"], ["TB", "10"]]}
    assert by_code["1.1"].params == {
        "mode": "proportional",
        "lower_is_better": False,
        "no_target": "zero",
    }
    assert by_code["V"].max_points == 0
    assert by_code["B"].max_points == 50


def test_example_a_against_a_given_scale():
    assert example_a(scale=Decimal(1000))[1] == []
    parsed, errors = example_a(scale=Decimal(900))
    assert parsed is None
    assert codes(errors) == [(0, "scale", "scale")]


def test_template_file_imports_cleanly():
    upload = SimpleUploadedFile("mau.xlsx", sheet_imports.template_xlsx())
    parsed, errors = sheet_imports.validate(sheet_imports.read_workbook(upload))
    assert errors == []
    assert parsed.scale == 100
    kinds = {item.code: item.kind for item in parsed.criteria}
    assert kinds == {
        "I": "group",
        "1.1": "quantitative",
        "1.2": "graded",
        "1.3": "per_item",
        "II": "group",
        "2.1": "qualitative",
        "2.2": "per_item",
        "B": "bonus",
        "P": "penalty",
        "V": "veto",
    }


def test_hundred_point_sheet_with_plain_numbers_under_roman_groups():
    rows = [
        ["I", "Nhiệm vụ chuyên môn", 50, ""],
        [1, "Kết quả thực hiện chỉ tiêu", 25, "Định lượng"],
        [2, "Tham mưu văn bản", 25, "Định tính"],
        ["II", "Thi đua", 50, ""],
        [3, "Phát động phong trào", 50, "Định tính"],
        ["+", "Điểm thưởng", 10, "Điểm thưởng"],
    ]
    parsed, errors = check(rows)
    assert errors == []
    parents = {item.code: item.parent_row for item in parsed.criteria}
    assert parents == {"I": None, "1": 2, "2": 2, "II": None, "3": 5, "+": None}
    assert parsed.scale == 100


# Tree rules


def test_group_sum_mismatch_is_reported_on_the_group_row(english):
    rows = [*SMALL]
    rows[0] = ["I", "Nhiệm vụ chuyên môn", 70, "Nhóm"]
    parsed, errors = check(rows, scale=Decimal(110))
    assert parsed is None
    assert codes(errors) == [(2, "max_points", "group_sum")]
    assert "60" in errors[0].message and "70" in errors[0].message
    assert errors[0].column == "Điểm tối đa"


def test_bonus_penalty_and_veto_are_not_summed():
    rows = [
        *SMALL[:3],
        ["1.3", "Thưởng trong nhóm", 5, "Điểm thưởng", ""],
        *SMALL[3:],
        ["B.1", "Khen đột xuất", 10, "Điểm thưởng"],
        ["P.1", "Báo cáo trễ", 0, "Điểm trừ"],
    ]
    parsed, errors = check(rows)
    assert errors == []
    by_code = {item.code: item for item in parsed.criteria}
    # Dotted bonus codes without a group of that code stay outside the groups.
    assert by_code["1.3"].parent_row == by_code["I"].row
    assert by_code["B.1"].parent_row is None
    assert by_code["P.1"].parent_row is None
    assert parsed.scale == 100


def test_nested_groups_follow_the_code_prefix():
    rows = [
        ["I", "Kinh tế", 60, "Nhóm"],
        ["1.1", "Thu ngân sách", 20, "Định lượng"],
        ["1.2", "Đầu tư công", 30, "Nhóm"],
        ["1.2.1", "Giải ngân", 20, "Định lượng"],
        ["1.2.2", "Tiến độ dự án", 10, "Định tính"],
        ["1.3", "Môi trường", 10, "Định tính"],
    ]
    parsed, errors = check(rows)
    assert errors == []
    parents = {item.code: item.parent_row for item in parsed.criteria}
    assert parents == {"I": None, "1.1": 2, "1.2": 2, "1.2.1": 4, "1.2.2": 4, "1.3": 2}


def test_a_code_under_a_criterion_that_is_not_a_group_is_refused():
    rows = [*SMALL[:3], ["1.2.1", "Con của tiêu chí", 5, "Định tính"]]
    with translation.override("en"):
        parsed, errors = check(rows)
    assert codes(errors) == [(5, "code", "parent_not_group")]
    assert "1.2" in errors[0].message and "4" in errors[0].message


def test_empty_group_and_total_mismatch():
    rows = [*SMALL, ["III", "Nhóm trống", 0, "Nhóm"], [None, "Tổng số điểm", 90]]
    parsed, errors = check(rows)
    assert codes(errors) == [(7, "code", "group_empty"), (8, "max_points", "total")]


def test_duplicate_code_names_the_first_row():
    rows = [*SMALL, ["1.1", "Lặp mã", 0, "Định tính"]]
    parsed, errors = check(rows)
    assert parsed is None
    assert codes(errors) == [(7, "code", "code_repeated")]
    with translation.override("vi"):
        parsed, errors = check(rows)
    assert errors[0].message == "Mã này đã dùng ở dòng 3."


# Cells


def test_text_in_a_number_cell_is_refused_but_a_decimal_comma_is_not():
    rows = [
        ["I", "Nhiệm vụ", "60,5", "Nhóm"],
        ["1.1", "Chỉ tiêu", "30,5", "Định lượng"],
        ["1.2", "Nhiệm vụ đột xuất", "ba mươi", "Định tính"],
        ["1.3", "Khác", "1.5e3", "Định tính"],
    ]
    parsed, errors = check(rows)
    assert codes(errors) == [(4, "max_points", "number"), (5, "max_points", "number")]
    rows = [["I", "Nhiệm vụ", "60,5", "Nhóm"], ["1.1", "Chỉ tiêu", "60,5", "Định lượng"]]
    parsed, errors = check(rows)
    assert errors == []
    assert parsed.criteria[1].max_points == Decimal("60.5")


def test_other_bad_numbers():
    rows = [
        ["1", "Âm", -5, "Định tính"],
        ["2", "Ba chữ số thập phân", 1.125, "Định tính"],
        ["3", "Đúng/sai", True, "Định tính"],
        ["4", "Quá lớn", 10**9, "Định tính"],
    ]
    parsed, errors = check(rows)
    assert codes(errors) == [(row, "max_points", "number") for row in (2, 3, 4, 5)]


def test_formula_cell_is_refused_and_reported_once():
    def formulas(sheet):
        sheet["C2"] = "=SUM(C3:C4)"
        sheet["B4"] = '=CONCATENATE("Nhiệm vụ", " đột xuất")'

    parsed, errors = check(SMALL, setup=formulas)
    assert parsed is None
    assert codes(errors) == [(2, "max_points", "formula"), (4, "text", "formula")]


def test_merged_cells_below_the_header_are_refused():
    def merge(sheet):
        sheet.merge_cells("D3:D4")

    parsed, errors = check(SMALL, setup=merge)
    assert parsed is None
    # The merge itself, and the type the merge left empty in the row below.
    assert codes(errors) == [(3, "kind", "merged"), (4, "kind", "required")]
    assert "D3:D4" in errors[0].message


def test_merged_title_rows_above_the_header_are_fine():
    def merge(sheet):
        sheet.merge_cells("A1:E1")

    parsed, errors = check(SMALL, title_rows=[["BẢNG ĐIỂM"]], setup=merge)
    assert errors == []


def test_required_cells_and_roman_groups_without_a_type():
    rows = [
        ["I", "Nhóm không ghi loại", 30, None],
        ["1.1", None, 30, "Định tính"],
        ["1.2", "Không ghi loại", 0, None],
        [None, "Không có mã", 0, "Định tính"],
        ["1.3", "Không có điểm", None, "Định tính"],
    ]
    parsed, errors = check(rows)
    assert codes(errors) == [
        (3, "text", "required"),
        (4, "kind", "required"),
        (5, "code", "required"),
        (6, "max_points", "required"),
    ]
    with translation.override("vi"):
        assert check(rows)[1][0].message == "Ô này bắt buộc phải có dữ liệu."


def test_kind_and_parameter_cells():
    headers = [*HEADERS, "Cách tính", "Không giao chỉ tiêu", "Càng thấp càng tốt", "Các mức"]
    rows = [
        ["I", "Kinh tế", 40, "Nhóm"],
        ["1.1", "Giải ngân", 20, "định lượng", "", "dẫn đầu", "không tính", "x"],
        ["1.2", "Xếp loại", 20, "Xếp loại", "", "", "", "", "Tốt = 20; Khá = 10"],
        ["1.3", "Thưởng nhầm loại", 20, "Định tính", "", "dẫn đầu"],
    ]
    parsed, errors = check(rows, headers=headers)
    assert codes(errors) == [(5, "mode", "not_applicable")]
    parsed, errors = check(rows[:3], headers=headers, scale=Decimal(40))
    by_code = {item.code: item for item in parsed.criteria}
    assert by_code["1.1"].params == {
        "mode": "leader",
        "lower_is_better": True,
        "no_target": "excluded",
    }
    assert by_code["1.2"].params == {"grades": [["Tốt", "20"], ["Khá", "10"]]}


def test_parameter_errors():
    headers = [*HEADERS, "Các mức", "Điểm mỗi lần", "Giới hạn", "Cách tính"]
    rows = [
        ["1", "Loại lạ", 10, "Tự do"],
        ["2", "Xếp mức một mức", 10, "Xếp mức", "", "Tốt = 10"],
        ["3", "Mức quá điểm", 10, "Xếp mức", "", "Tốt = 12; Khá = 5"],
        ["4", "Chấm thẳng thiếu điểm", 10, "Chấm thẳng"],
        ["5", "Giới hạn quá điểm", 10, "Chấm thẳng", "", "", 2, 20],
        ["6", "Không xét có điểm", 10, "Không xét"],
        ["7", "Cách tính lạ", 10, "Định lượng", "", "", "", "", "bình quân"],
        ["8", "Mức sai dạng", 10, "Xếp mức", "", "Tốt 10"],
    ]
    parsed, errors = check(rows, headers=headers)
    assert codes(errors) == [
        (2, "kind", "choice"),
        (3, "grades", "params"),
        (4, "grades", "params"),
        (5, "points_per_item", "params"),
        (6, "cap", "params"),
        (7, "max_points", "veto"),
        (8, "mode", "choice"),
        (9, "grades", "grades"),
    ]
    # A parameter column the file lacks is named as in the template.
    rows = [["1", "Xếp mức", 10, "Xếp mức"]]
    assert [(e.column, e.code) for e in check(rows)[1]] == [("Các mức", "params")]


def test_numeric_codes_read_as_the_sheet_shows_them():
    def formats(sheet):
        sheet["A4"].number_format = "0.00"

    rows = [["I", "Nhóm", 20, "Nhóm"], [1.1, "Một", 10, "Định tính"], [1.1, "Hai", 10, "Định tính"]]
    parsed, errors = check(rows, setup=formats)
    assert errors == []
    assert [item.code for item in parsed.criteria] == ["I", "1.1", "1.10"]


def test_errors_are_listed_by_row_then_column():
    rows = [
        ["I", "Nhiệm vụ", "nhiều", "Lạ"],
        ["1.1", None, "x", "Định tính"],
    ]
    parsed, errors = check(rows)
    assert [(e.row, e.field) for e in errors] == [
        (2, "max_points"),
        (2, "kind"),
        (3, "text"),
        (3, "max_points"),
    ]


# The file as a whole


def test_not_an_xlsx_file():
    assert "xlsx" in file_error(SimpleUploadedFile("bang-diem.csv", b"Ma,Tieu chi\n"))
    message = file_error(SimpleUploadedFile("bang-diem.xlsx", b"this is not a workbook at all"))
    assert message == "The file could not be read as an Excel workbook."
    old = sheet_imports.OLD_EXCEL_SIGNATURE + b"\0" * 600
    assert ".xls" in file_error(SimpleUploadedFile("bang-diem.xlsx", old))
    # A zip file that is not a workbook.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    assert file_error(SimpleUploadedFile("bang-diem.xlsx", archive.getvalue())) == (
        "The file could not be read as an Excel workbook."
    )


def test_empty_file():
    assert file_error(SimpleUploadedFile("bang-diem.xlsx", b"")) == "The file is empty."
    output = io.BytesIO()
    openpyxl.Workbook().save(output)
    assert file_error(SimpleUploadedFile("bang-diem.xlsx", output.getvalue())) == (
        "The file is empty."
    )
    assert file_error(SimpleUploadedFile("bang-diem.xlsx", b""), "vi") == "Tệp trống."


def test_headers_without_rows():
    assert file_error(workbook([])) == "The file has headers but no rows to import."


def test_wrong_sheet_or_missing_columns():
    units = workbook([["001", "Xã A", "Xã"]], headers=["Mã", "Tên đơn vị", "Loại"])
    message = file_error(units)
    assert "Bảng điểm" in message and "Tiêu chí" in message and "Điểm tối đa" in message
    no_kind = workbook([["1", "Một", 10]], headers=["Mã", "Tiêu chí", "Điểm tối đa"])
    assert file_error(no_kind).endswith(": Loại.")
    nothing_known = workbook([["a", "b"]], headers=["Cột 1", "Cột 2"])
    assert "Mã, Tiêu chí, Điểm tối đa, Loại" in file_error(nothing_known)


def test_the_score_sheet_may_be_a_later_sheet_of_the_workbook():
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền bảng điểm ở trang sau."])
    sheet = book.create_sheet("Bảng điểm 2025")
    sheet.append(HEADERS)
    for row in SMALL:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    raw = sheet_imports.read_workbook(SimpleUploadedFile("b.xlsx", output.getvalue()))
    assert raw.title == "Bảng điểm 2025"
    assert sheet_imports.validate(raw)[1] == []


def test_huge_files_are_refused(settings):
    big = SimpleUploadedFile("bang-diem.xlsx", b"\0" * (5 * 1024 * 1024 + 1))
    assert file_error(big) == "The file is larger than 5 MB."
    # A small zip that unpacks into far more than any score sheet.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * (sheet_imports.MAX_UNPACKED_SIZE + 1))
    assert len(archive.getvalue()) < 1024 * 1024
    assert "too large" in file_error(SimpleUploadedFile("bomb.xlsx", archive.getvalue()))


def test_too_many_rows():
    rows = [[f"{n}", "Tiêu chí", 1, "Định tính"] for n in range(sheet_imports.MAX_ROWS + 1)]
    assert "more than 1000 rows" in file_error(workbook(rows))


# Parameters and the tree, without a file


def test_parse_pairs():
    assert criteria.parse_pairs("Tốt = 6\nKhá: 4,5; Trung bình = 0") == [
        ("Tốt", Decimal("6.00")),
        ("Khá", Decimal("4.50")),
        ("Trung bình", Decimal("0.00")),
    ]
    for wrong in ("Tốt", "= 6", "Tốt = sáu", "Tốt = 6\ntot = 4", "Tốt = -1"):
        with pytest.raises(ValueError):
            criteria.parse_pairs(wrong)


def test_parse_decimal_reads_vietnamese_input():
    assert criteria.parse_decimal("12,5") == Decimal("12.5")
    assert criteria.parse_decimal(12.5) == Decimal("12.5")
    assert criteria.parse_decimal("1.234,5") == Decimal("1234.5")
    for wrong in ("abc", "", True, "1.234"):
        with pytest.raises(ValueError):
            criteria.parse_decimal(wrong)


def _criterion(kind, max_points, params=None, unit=""):
    return SimpleNamespace(
        kind=kind, max_points=Decimal(max_points), params=params or {}, unit_of_measure=unit
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_describe_in_words(english):
    assert criteria.describe(
        _criterion("quantitative", 60, {"mode": "leader", "lower_is_better": True}, "%")
    ) == (
        "full points only for the cluster's leader; meeting the target gives half; "
        "lower is better; without a target: no points; unit: %"
    )
    assert criteria.describe(_criterion("graded", 6, {"grades": [["Tốt", "6"], ["Khá", 4.5]]})) == (
        "Tốt: 6 · Khá: 4.5"
    )
    assert criteria.describe(_criterion("per_item", 40, {"points_per_item": 5, "cap": 40})) == (
        "5 points per item, at most 40"
    )
    assert criteria.describe(_criterion("per_item", 30, {"points_per_item": "-5"})) == (
        "5 points deducted per item from 30"
    )
    assert criteria.describe(_criterion("penalty", 0, {"points_per_item": "5"})) == (
        "−5 per item; no cap of its own"
    )
    # Numbers are written as the page's language writes them.
    with translation.override("vi"):
        assert "1.000" in criteria.describe(_criterion("bonus", 1000))
    assert criteria.describe(_criterion("graded", 6, {"levels": []})) == (
        "The parameters of this criterion are invalid."
    )


def test_tree_warnings(english):
    def item(pk, parent, kind, points, code):
        return SimpleNamespace(
            pk=pk, parent_id=parent, kind=kind, max_points=Decimal(points), code=code
        )

    items = [
        item(1, None, "group", 60, "I"),
        item(2, 1, "quantitative", 50, "1.1"),
        item(3, 1, "bonus", 10, "1.2"),
        item(4, None, "group", 0, "II"),
        item(5, None, "group", 0, "B"),
        item(6, 5, "bonus", 10, "B.1"),
    ]
    tree = criteria.build_tree(items)
    assert [(node.item.code, node.depth) for node in tree.nodes] == [
        ("I", 0),
        ("1.1", 1),
        ("1.2", 1),
        ("II", 0),
        ("B", 0),
        ("B.1", 1),
    ]
    assert tree.base_total == 60
    assert criteria.tree_warnings(tree, Decimal(100)) == [
        "The criteria of group I add up to 50 points, not 60.",
        "Group II has no criteria.",
        "The base criteria add up to 60 points, not the scale of 100.",
    ]


def test_depth_first_gives_depth_and_top_level_criterion():
    group = Criterion(pk=1, parent_id=None, code="I")
    sub = Criterion(pk=2, parent_id=1, code="I.1")
    leaf = Criterion(pk=3, parent_id=2, code="I.1.a")
    other = Criterion(pk=4, parent_id=None, code="II")
    walked = criteria.depth_first([other, leaf, group, sub])
    assert [(c.code, depth, top.code) for c, depth, top in walked] == [
        ("II", 0, "II"),
        ("I", 0, "I"),
        ("I.1", 1, "I"),
        ("I.1.a", 2, "I"),
    ]
