import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from pytest_django.asserts import assertContains, assertRedirects

from clusters import imports
from clusters.models import Cluster, Membership, Unit, UnitName
from clusters.tests.factories import day, make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["Mã", "Tên đơn vị", "Loại", "Hiệu lực từ", "Hiệu lực đến"]
MEMBER_HEADERS = ["Cụm/khối", "Năm", "Mã đơn vị", "Từ ngày", "Đến ngày", "Nữ chiếm đa số?"]


def xlsx_file(rows, name="data.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def csv_file(content: str, name="data.csv", *, bom=False):
    return SimpleUploadedFile(name, content.encode("utf-8-sig" if bom else "utf-8"))


def codes(errors):
    return [(e.row, e.column, e.code) for e in errors]


# Reading


def test_read_keeps_sheet_row_numbers_and_skips_empty_rows():
    upload = xlsx_file(
        [
            UNIT_HEADERS,
            ["001", "Xã A", "Xã", "01/07/2025"],
            [],
            [None, "  ", None],
            ["002", "Xã B", "Xã", "01/07/2025"],
        ]
    )
    sheet = imports.read_rows(upload, kind=imports.UNITS)
    assert [number for number, _row in sheet.rows] == [2, 5]
    assert sheet.rows[1][1] == {
        "code": "002",
        "name": "Xã B",
        "kind": "Xã",
        "valid_from": "01/07/2025",
        "valid_to": None,
    }


def test_read_finds_the_header_row_below_empty_rows():
    upload = xlsx_file([[], UNIT_HEADERS[:4], ["1", "Xã A", "Xã", "01/07/2025"]])
    sheet = imports.read_rows(upload, kind=imports.UNITS)
    assert [number for number, _row in sheet.rows] == [3]


def test_headers_match_without_accents_or_case_and_in_english():
    upload = csv_file(
        "STT,ma,TEN DON VI, loại ,Valid from\n1,869,Tân Hồng,Huyện,01/01/2020\n", name="u.CSV"
    )
    sheet = imports.read_rows(upload, kind=imports.UNITS)
    assert sheet.headers == {
        "code": "ma",
        "name": "TEN DON VI",
        "kind": "loại",
        "valid_from": "Valid from",
    }
    # The unknown STT column is ignored.
    assert sheet.rows == [
        (
            2,
            {
                "code": "869",
                "name": "Tân Hồng",
                "kind": "Huyện",
                "valid_from": "01/01/2020",
                "valid_to": None,
            },
        )
    ]


def test_csv_with_bom_and_semicolons():
    content = 'Mã;Tên đơn vị;Loại;Hiệu lực từ\r\n;"Sở Nội vụ; Tỉnh";Sở, ban, ngành;01/03/2025\r\n'
    sheet = imports.read_rows(csv_file(content, bom=True), kind=imports.UNITS)
    assert sheet.headers["code"] == "Mã"
    assert sheet.rows[0][1]["name"] == "Sở Nội vụ; Tỉnh"
    assert sheet.rows[0][1]["kind"] == "Sở, ban, ngành"


def test_csv_rows_are_counted_as_records_not_lines():
    content = 'Mã,Tên đơn vị,Loại,Hiệu lực từ\n1,"Xã\nA",Xã,01/07/2025\n\n2,Xã B,Xã,01/07/2025\n'
    sheet = imports.read_rows(csv_file(content), kind=imports.UNITS)
    assert [number for number, _row in sheet.rows] == [2, 4]


def _too_many_rows():
    rows = "".join(f"{n},Xã {n},Xã,01/07/2025\n" for n in range(imports.MAX_ROWS + 1))
    return csv_file("Mã,Tên đơn vị,Loại,Hiệu lực từ\n" + rows)


def _too_big():
    upload = csv_file("Mã,Tên đơn vị,Loại,Hiệu lực từ\n")
    upload.size = imports.MAX_FILE_SIZE + 1
    return upload


@pytest.mark.parametrize(
    "make_upload, message",
    [
        (lambda: SimpleUploadedFile("units.txt", b"a,b"), "Choose an Excel"),
        (lambda: csv_file(""), "The file is empty."),
        (lambda: csv_file("\n ; \n"), "The file is empty."),
        (lambda: xlsx_file([]), "The file is empty."),
        (lambda: csv_file("Mã,Tên đơn vị,Loại,Hiệu lực từ\n,,,\n"), "no rows to import"),
        (lambda: csv_file("Mã,Tên,Ngày\n1,Xã A,01/07/2025\n"), "missing: Loại, Hiệu lực từ."),
        (lambda: csv_file("Mã,Tên,Name,Loại,Hiệu lực từ\n"), "The column Tên đơn vị appears"),
        (_too_big, "larger than 5 MB"),
        (_too_many_rows, "more than 5000 rows"),
        (lambda: SimpleUploadedFile("u.csv", "Mã,Tên".encode("utf-16")), "not UTF-8"),
        (lambda: SimpleUploadedFile("u.xlsx", b"not a zip"), "Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_imported_gives_one_message(make_upload, message):
    with translation.override("en"), pytest.raises(imports.ImportFileError) as error:
        imports.read_rows(make_upload(), kind=imports.UNITS)
    assert message in str(error.value)


def test_exactly_the_maximum_number_of_rows_is_accepted():
    rows = "".join(f"{n},Xã {n},Xã,01/07/2025\n" for n in range(imports.MAX_ROWS))
    upload = csv_file("Mã,Tên đơn vị,Loại,Hiệu lực từ\n" + rows)
    assert len(imports.read_rows(upload, kind=imports.UNITS).rows) == imports.MAX_ROWS


# Validating units


def _units(rows, province, *, headers=UNIT_HEADERS):
    sheet = imports.read_rows(xlsx_file([headers, *rows]), kind=imports.UNITS)
    return imports.validate(imports.UNITS, sheet, province=province)


def test_unit_kinds_are_read_from_vietnamese_or_english_labels_or_values(province):
    clean, errors = _units(
        [
            ["1", "Xã A", "Xã", "01/07/2025"],
            ["2", "Phường B", "phuong", "01/07/2025"],
            ["3", "Sở Nội vụ", "so ban nganh", "01/07/2025"],
            ["4", "Huyện C", "District", "01/07/2025"],
            ["5", "Trường D", "school", "01/07/2025"],
        ],
        province,
    )
    assert errors == []
    assert [row["kind"] for row in clean] == ["commune", "ward", "department", "district", "school"]


def test_excel_numbers_and_date_cells_are_read_as_users_meant(province):
    clean, errors = _units(
        [
            [29998, "Xã A", "Xã", datetime.datetime(2025, 7, 1), 46022],
            [29999.0, "Xã B", "Xã", datetime.date(2025, 7, 1), "2025-12-31"],
        ],
        province,
    )
    assert errors == []
    assert [(row["code"], row["valid_from"], row["valid_to"]) for row in clean] == [
        ("29998", day("01/07/2025"), day("31/12/2025")),
        ("29999", day("01/07/2025"), day("31/12/2025")),
    ]


def test_every_unit_rule_is_reported_with_its_row_and_column(province, tan_hong):
    with translation.override("en"):
        clean, errors = _units(
            [
                ["1", "", "Xã", "01/07/2025"],
                ["2", "Xã B", "Thôn", "01/07/2025"],
                ["3", "Xã C", "Xã", "31/02/2025"],
                ["4", "Xã D", "Xã", 2025],
                ["5", "Xã E", "Xã", "01/07/2025", "30/06/2025"],
                ["869", "Tân Hồng mới", "Huyện", "01/07/2025"],
                ["7", "Xã G", "Xã", "01/07/2025"],
                ["7", "Xã H", "Xã", "01/07/2025"],
                ["8", "X" * 201, "Xã", "01/07/2025"],
                ["9", "Xã I", None, None],
                ["10", "Xã K", "Xã", "01/07/2025"],
            ],
            province,
        )
    assert codes(errors) == [
        (2, "Tên đơn vị", "required"),
        (3, "Loại", "kind"),
        (4, "Hiệu lực từ", "date"),
        (5, "Hiệu lực từ", "date"),
        (6, "Hiệu lực đến", "period"),
        (7, "Mã", "code_taken"),
        (9, "Mã", "code_repeated"),
        (10, "Tên đơn vị", "too_long"),
        (11, "Loại", "required"),
        (11, "Hiệu lực từ", "required"),
    ]
    assert "row 8" in errors[6].message
    assert [row["code"] for row in clean] == ["7", "10"]


def test_problems_are_listed_by_row_then_column(province, tan_hong):
    _clean, errors = _units([["869", "Xã A", "Thôn", "x"], ["1", "", "Xã", "01/07/2025"]], province)
    assert codes(errors) == [
        (2, "Mã", "code_taken"),
        (2, "Loại", "kind"),
        (2, "Hiệu lực từ", "date"),
        (3, "Tên đơn vị", "required"),
    ]


def test_unit_validation_reads_the_database_once(province, django_assert_num_queries):
    for _ in range(3):
        make_unit(province)
    rows = [[f"N{n}", f"Xã {n}", "Xã", "01/07/2025"] for n in range(50)]
    sheet = imports.read_rows(xlsx_file([UNIT_HEADERS, *rows]), kind=imports.UNITS)
    with django_assert_num_queries(1):
        clean, errors = imports.validate(imports.UNITS, sheet, province=province)
    assert len(clean) == 50 and errors == []


# Validating memberships


def _members(rows, province):
    sheet = imports.read_rows(xlsx_file([MEMBER_HEADERS, *rows]), kind=imports.MEMBERSHIPS)
    return imports.validate(imports.MEMBERSHIPS, sheet, province=province)


def test_memberships_find_clusters_and_units_by_name_number_symbol_or_code(province, term3):
    tam_nong = make_unit(province, name="Huyện Tam Nông", code="00871")
    cao_lanh = make_unit(province, name="Huyện Cao Lãnh", code="")
    lai_vung = make_unit(province, name="Huyện Lai Vung", code="873")
    clean, errors = _members(
        [
            ["cum thi dua so 3", 2022, 871, None, None, "có"],
            [3, "2022", "huyen cao lanh", "01/03/2022", "30/11/2022", "x"],
            ["CTĐ3", 2022.0, "873", None, None, None],
        ],
        province,
    )
    assert errors == []
    assert [(r["cluster_year"], r["unit"], r["women_majority"]) for r in clean] == [
        (term3, tam_nong, True),
        (term3, cao_lanh, True),
        (term3, lai_vung, False),
    ]
    assert (clean[1]["valid_from"], clean[1]["valid_to"]) == (day("01/03/2022"), day("30/11/2022"))


def test_every_membership_rule_is_reported_with_its_row_and_column(
    province, other_province, cluster3, term3, tan_hong
):
    make_cluster(province, kind=Cluster.Kind.BLOC, number=3, name="Khối thi đua số 3")
    foreign = make_unit(other_province, code="999")
    new = make_unit(province, code="880")
    make_unit(province, code="881", valid_to=day("30/06/2022"))
    make_unit(province, name="Xã Tân Thành", code="901")
    make_unit(province, name="Xã Tân Thành", code="902")
    with translation.override("en"):
        clean, errors = _members(
            [
                ["Cụm thi đua số 9", 2022, "880"],
                [3, 2022, "880"],
                ["Cụm thi đua số 3", 2023, "880"],
                ["Cụm thi đua số 3", 2022, "999"],
                ["Cụm thi đua số 3", 2022, tan_hong.code],
                ["Cụm thi đua số 3", 2022, "880", "01/01/2022", "30/06/2022"],
                ["Cụm thi đua số 3", 2022, "880", "01/06/2022"],
                ["Cụm thi đua số 3", 2022, "881", "01/07/2021", "31/12/2023"],
                ["Cụm thi đua số 3", 2022, "881"],
                ["Cụm thi đua số 3", 2022, "Xã Tân Thành"],
                ["Cụm thi đua số 3", "năm 2022", "881", None, None, "chưa rõ"],
                [None, None, None, None, None, "x"],
                ["Cụm thi đua số 3", 2022, "881", "30/06/2022", "01/06/2022"],
            ],
            province,
        )
    assert codes(errors) == [
        (2, "Cụm/khối", "cluster_unknown"),
        (3, "Cụm/khối", "cluster_ambiguous"),
        (4, "Năm", "term_missing"),
        (5, "Mã đơn vị", "unit_unknown"),
        (6, "Mã đơn vị", "member_overlap"),
        (8, "Mã đơn vị", "member_overlap"),
        (9, "Từ ngày", "date_year"),
        (9, "Đến ngày", "date_year"),
        (10, "Mã đơn vị", "unit_not_existing"),
        (11, "Mã đơn vị", "unit_ambiguous"),
        (12, "Năm", "year"),
        (12, "Nữ chiếm đa số?", "flag"),
        (13, "Cụm/khối", "required"),
        (13, "Năm", "required"),
        (13, "Mã đơn vị", "required"),
        (14, "Đến ngày", "period"),
    ]
    assert "row 7" in errors[5].message
    assert [row["unit"] for row in clean] == [new]
    assert not Membership.objects.filter(unit=foreign).exists()


def test_a_year_with_decimals_is_refused(province, term3):
    _clean, errors = _members([["Cụm thi đua số 3", 2022.5, "869"]], province)
    assert codes(errors) == [(2, "Năm", "year")]


def test_a_unit_name_shared_by_an_old_and_a_new_unit_means_the_one_of_that_year(province):
    cluster = make_cluster(province)
    make_cluster_year(cluster, 2026)
    make_unit(province, name="Xã Tân Thành", code="901", valid_to=day("30/06/2025"))
    new = make_unit(province, name="Xã Tân Thành", code="902", valid_from=day("01/07/2025"))
    clean, errors = _members([[cluster.name, 2026, "Xã Tân Thành"]], province)
    assert errors == []
    assert clean[0]["unit"] == new


def test_membership_validation_reads_the_database_four_times(
    province, term3, django_assert_num_queries
):
    units = [make_unit(province) for _ in range(20)]
    rows = [["Cụm thi đua số 3", 2022, unit.code] for unit in units]
    sheet = imports.read_rows(xlsx_file([MEMBER_HEADERS, *rows]), kind=imports.MEMBERSHIPS)
    with django_assert_num_queries(4):
        clean, errors = imports.validate(imports.MEMBERSHIPS, sheet, province=province)
    assert len(clean) == 20 and errors == []


# Writing


def test_apply_creates_units_with_their_name_history(province):
    clean, _errors = _units([["1", "Xã A", "Xã", "01/07/2025"]], province)
    assert imports.apply(imports.UNITS, clean, province=province) == 1
    unit = Unit.objects.get(province=province, code="1")
    assert (unit.name, unit.kind, unit.valid_from) == ("Xã A", "commune", day("01/07/2025"))
    assert list(UnitName.objects.filter(unit=unit).values_list("name", flat=True)) == ["Xã A"]


# Views

URL = reverse("clusters:import_upload")


def test_anonymous_is_sent_to_login(client):
    for url in [URL, reverse("clusters:import_template", args=["units", "xlsx"])]:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)


@pytest.mark.parametrize(
    "who, status", [("bob", 404), ("leo", 403), ("dave", 404), ("charlie", 404)]
)
def test_anyone_but_provincial_staff_is_refused_and_imports_nothing(client, request, who, status):
    """Leaders see the province but change nothing (403); the others do not see it (404)."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    template_url = reverse("clusters:import_template", args=["units", "csv"])
    assert client.get(template_url).status_code == status
    upload = xlsx_file([UNIT_HEADERS, ["1", "Xã A", "Xã", "01/07/2025"]])
    response = client.post(URL, {"kind": "units", "file": upload})
    assert response.status_code == status
    assert not Unit.objects.filter(code="1").exists()


def test_staff_sees_the_form_with_template_links_and_columns(client_alice):
    response = client_alice.get(URL + "?kind=memberships")
    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "memberships"
    assertContains(response, reverse("clusters:import_template", args=["units", "xlsx"]))
    assertContains(response, reverse("clusters:import_template", args=["memberships", "csv"]))
    assertContains(response, "Nữ chiếm đa số?")
    assertContains(response, 'enctype="multipart/form-data"')


def test_staff_imports_units_from_xlsx(client_alice, province):
    upload = xlsx_file(
        [
            UNIT_HEADERS,
            ["29998", "Xã Tân Hộ Cơ", "Xã", datetime.date(2025, 7, 1)],
            [],
            ["29999", "Phường An Bình", "Phường", "01/07/2025"],
        ]
    )
    response = client_alice.post(URL, {"kind": "units", "file": upload}, follow=True)
    assertRedirects(response, reverse("clusters:unit_list"))
    assert sorted(Unit.objects.filter(province=province).values_list("code", flat=True)) == [
        "29998",
        "29999",
    ]
    with translation.override("vi"):
        expected = ngettext("Imported %(count)d unit.", "Imported %(count)d units.", 2)
    assert [str(m) for m in response.context["messages"]] == [expected % {"count": 2}]
    assertContains(response, "Phường An Bình")


def test_staff_imports_memberships_from_csv(client_alice, province, term3, tan_hong, hong_ngu):
    tam_nong = make_unit(province, name="Huyện Tam Nông", code="871")
    cao_lanh = make_unit(province, name="Huyện Cao Lãnh", code="872")
    content = (
        "Cụm/khối;Năm;Mã đơn vị;Từ ngày;Đến ngày;Nữ chiếm đa số?\n"
        "Cụm thi đua số 3;2022;871;;;\n"
        "Cụm thi đua số 3;2022;872;01/03/2022;;có\n"
    )
    response = client_alice.post(URL, {"kind": "memberships", "file": csv_file(content, bom=True)})
    assertRedirects(response, term3.get_absolute_url())
    assert set(term3.memberships.values_list("unit", "valid_from", "women_majority")) == {
        (tan_hong.pk, None, False),
        (hong_ngu.pk, None, False),
        (tam_nong.pk, None, False),
        (cao_lanh.pk, day("01/03/2022"), True),
    }


def test_a_file_with_one_bad_row_writes_nothing_and_says_where(client_alice, province):
    upload = xlsx_file(
        [
            UNIT_HEADERS,
            ["1", "Xã A", "Xã", "01/07/2025"],
            ["2", "Xã B", "Xã", "32/07/2025"],
            ["3", "Xã C", "Xã", "01/07/2025"],
        ]
    )
    response = client_alice.post(URL, {"kind": "units", "file": upload})
    assert response.status_code == 200
    assert codes(response.context["errors"]) == [(3, "Hiệu lực từ", "date")]
    assert not Unit.objects.filter(province=province).exists()
    assertContains(response, "<td>3</td><td>Hiệu lực từ</td>", html=False)
    assertContains(response, response.context["errors"][0].message)


def test_the_chosen_kind_is_kept_when_the_file_is_refused(client_alice, term3):
    upload = csv_file("Năm,Mã đơn vị\n2022,869\n")
    response = client_alice.post(URL, {"kind": "memberships", "file": upload})
    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "memberships"
    assert "Cụm/khối" in response.context["form"].errors["file"][0]


def test_the_form_refuses_other_file_types(client_alice):
    upload = SimpleUploadedFile("units.xls", b"old excel")
    response = client_alice.post(URL, {"kind": "units", "file": upload})
    assert "file" in response.context["form"].errors


def test_staff_of_another_province_cannot_import_members_into_this_provinces_cluster(
    client, eve, other_province, term3
):
    make_unit(other_province, code="999")
    client.force_login(eve)
    upload = xlsx_file([MEMBER_HEADERS, ["Cụm thi đua số 3", 2022, "999"]])
    response = client.post(URL, {"kind": "memberships", "file": upload})
    assert codes(response.context["errors"]) == [(2, "Cụm/khối", "cluster_unknown")]
    assert term3.memberships.count() == 2


def test_import_of_50_units_does_not_look_up_per_row(
    client_alice, province, django_assert_max_num_queries
):
    rows = [[f"N{n:03d}", f"Xã {n}", "Xã", "01/07/2025"] for n in range(50)]
    upload = xlsx_file([UNIT_HEADERS, *rows])
    # Each unit is written by services.unit_create: a savepoint and its release, the unit,
    # its first name and their two history rows. Session, user, roles, province and the
    # existing codes are read once (7 queries); one more is slack.
    with django_assert_max_num_queries(6 * 50 + 8):
        response = client_alice.post(URL, {"kind": "units", "file": upload})
    assert response.status_code == 302
    assert Unit.objects.filter(province=province).count() == 50


@pytest.mark.parametrize("kind", imports.KINDS)
def test_xlsx_templates_open_and_have_the_headers(client_alice, kind):
    response = client_alice.get(reverse("clusters:import_template", args=[kind, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="import-{kind}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == (UNIT_HEADERS if kind == "units" else MEMBER_HEADERS)
    assert sheet.max_row == 2


@pytest.mark.parametrize("kind", imports.KINDS)
def test_csv_templates_have_the_headers(client_alice, kind):
    response = client_alice.get(reverse("clusters:import_template", args=[kind, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{kind}.csv"'
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == (UNIT_HEADERS if kind == "units" else MEMBER_HEADERS)
    assert len(lines) == 2


@pytest.mark.parametrize("fmt", imports.FORMATS)
def test_the_units_template_imports_as_it_is(client_alice, province, fmt):
    response = client_alice.get(reverse("clusters:import_template", args=["units", fmt]))
    upload = SimpleUploadedFile(f"template.{fmt}", response.getvalue())
    response = client_alice.post(URL, {"kind": "units", "file": upload})
    assertRedirects(response, reverse("clusters:unit_list"), fetch_redirect_response=False)
    unit = Unit.objects.get(province=province)
    assert (unit.code, unit.kind, unit.valid_from) == ("29998", "commune", day("01/07/2025"))


@pytest.mark.parametrize("kind, fmt", [("people", "xlsx"), ("units", "xls"), ("units", "pdf")])
def test_unknown_template_gives_404(client_alice, kind, fmt):
    assert (
        client_alice.get(reverse("clusters:import_template", args=[kind, fmt])).status_code == 404
    )
