"""Tables as .xlsx and CSV downloads: the shared writer, and the export of every page."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertRedirects

from clusters.exports import file_name, table_response
from clusters.models import (
    Covenant,
    Criterion,
    Meeting,
    Period,
    RuleSet,
    Score,
    ScoreSheet,
)
from clusters.tests.decision_factories import add_multiples, make_decision

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind


def _sheet(response) -> openpyxl.worksheet.worksheet.Worksheet:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


# --- The writer ----------------------------------------------------------------------

HEADERS = ["Đơn vị", "Điểm", "Tiền thưởng", "Ngày", "Ghi chú"]
ROWS = [
    ["Xã Tân Hồng", Decimal("912.5"), 14_900_000, datetime.date(2023, 2, 15), 'Có "dấu", phẩy'],
    ["Phường Hồng Ngự", Decimal("0.25"), 0, None, "hai\ndòng"],
]


def test_xlsx_keeps_types_and_formats():
    response = table_response("bang-diem", HEADERS, ROWS, "xlsx", title="Xếp hạng: 2022")
    assert response["Content-Disposition"] == 'attachment; filename="bang-diem.xlsx"'
    sheet = _sheet(response)
    assert sheet.title == "Xếp hạng  2022"
    assert _rows(sheet) == [
        HEADERS,
        [
            "Xã Tân Hồng",
            912.5,
            14_900_000,
            datetime.datetime(2023, 2, 15),
            'Có "dấu", phẩy',
        ],
        ["Phường Hồng Ngự", 0.25, 0, None, "hai\ndòng"],
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert sheet["A2"].number_format == "General"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    # The longest value plus a margin; a short column is not narrower than its header.
    assert widths["A"] == len("Phường Hồng Ngự") + 2
    assert widths["C"] == len("Tiền thưởng") + 2
    assert widths["D"] == len("dd/mm/yyyy") + 2


def test_csv_is_utf8_with_a_bom_quoted_by_the_csv_module():
    response = table_response("bang-diem", HEADERS, ROWS, "csv")
    assert response["Content-Disposition"] == 'attachment; filename="bang-diem.csv"'
    assert _csv(response) == [
        HEADERS,
        ["Xã Tân Hồng", "912.50", "14900000", "15/02/2023", 'Có "dấu", phẩy'],
        ["Phường Hồng Ngự", "0.25", "0", "", "hai\ndòng"],
    ]
    assert b'"C\xc3\xb3 ""d\xe1\xba\xa5u"", ph\xe1\xba\xa9y"' in response.content


def test_an_unknown_format_is_a_404():
    with pytest.raises(Http404):
        table_response("x", HEADERS, ROWS, "pdf")


def test_file_names_are_ascii():
    assert file_name("xep-hang", "Cụm thi đua số 3", 2022, "annual") == (
        "xep-hang-cum-thi-dua-so-3-2022-annual"
    )
    assert file_name("quyet-dinh", "215/QĐ-UBND") == "quyet-dinh-215qd-ubnd"


# --- Data ----------------------------------------------------------------------------


def _criterion(sheet, code, kind, max_points, parent=None, position=0):
    return Criterion.objects.create(
        sheet=sheet,
        parent=parent,
        code=code,
        text=f"Tiêu chí {code}",
        kind=kind,
        max_points=max_points,
        position=position,
    )


@pytest.fixture
def period(province, term3, tan_hong, hong_ngu):
    """Tân Hồng 60 + 25 + bonus 5 = 90; Hồng Ngự 50,5 + 30 = 80,5 and vetoed."""
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Cụm huyện", scale=100)
    first = _criterion(sheet, "I", Kind.GROUP, 60, position=1)
    _criterion(sheet, "1.1", Kind.QUALITATIVE, 60, first, position=1)
    second = _criterion(sheet, "II", Kind.GROUP, 40, position=2)
    _criterion(sheet, "2.1", Kind.QUALITATIVE, 40, second, position=1)
    _criterion(sheet, "B1", Kind.BONUS, 5, position=3)
    _criterion(sheet, "V1", Kind.VETO, 0, position=4)
    Covenant.objects.create(cluster_year=term3, sheet=sheet)
    period = Period.objects.create(
        cluster_year=term3, kind=Period.Kind.ANNUAL, state=Period.State.AGREED
    )
    scores = {
        tan_hong: {"1.1": ("60", None), "2.1": ("25", None), "B1": ("5", None)},
        hong_ngu: {"1.1": ("50.5", None), "2.1": ("30", None), "V1": (None, "1")},
    }
    for unit, cells in scores.items():
        for code, (points, value) in cells.items():
            Score.objects.create(
                period=period,
                unit=unit,
                criterion=sheet.criteria.get(code=code),
                stage=Score.Stage.AGREED,
                points=points,
                value=value,
            )
    return period


@pytest.fixture
def decision(province, tan_hong, hong_ngu):
    add_multiples(datetime.date(2018, 1, 1))
    return make_decision(province, number="215/QĐ-UBND", units=[tan_hong, hong_ngu])


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _get(client, name, arg, fmt="xlsx"):
    return client.get(reverse(f"clusters:{name}", args=[arg, fmt]))


# --- Rankings and the grid -----------------------------------------------------------


def test_ranking_export(english, alice, period):
    english.force_login(alice)
    rows = _rows(_sheet(_get(english, "ranking_export", period.pk)))
    assert rows[0] == [
        "Rank",
        "Unit",
        "I",
        "II",
        "Bonus",
        "Penalty",
        "Final",
        "Percent of maximum",
        "Band",
        "Eligible",
        "Flag candidate",
        "Tied",
        "Veto",
    ]
    assert rows[1][:10] == [1, "Tân Hồng", 60, 25, 5, 0, 90, 90, "Tốt", "Yes"]
    assert rows[2][:2] == [2, "Hồng Ngự"]
    assert rows[2][6] == 80.5
    assert rows[2][-1].startswith("V1")
    table = _csv(_get(english, "ranking_export", period.pk, "csv"))
    assert table[1][:7] == ["1", "Tân Hồng", "60.00", "25.00", "5.00", "0.00", "90.00"]
    assert table[2][6] == "80.50"


def test_ranking_export_headers_follow_the_language(client_alice, period):
    sheet = _sheet(_get(client_alice, "ranking_export", period.pk))
    with translation.override("vi"):
        assert [c.value for c in sheet[1]][:2] == [
            translation.gettext("Rank"),
            translation.gettext("Unit"),
        ]
    assert sheet["G2"].number_format == "#,##0.00"


def test_grid_export_has_every_score_and_the_totals(english, bob, period):
    english.force_login(bob)
    rows = _rows(_sheet(_get(english, "grid_export", period.pk)))
    assert rows[0] == [
        "Unit",
        "1.1",
        "2.1",
        "B1",
        "V1",
        "Base",
        "Bonus",
        "Penalty",
        "Final",
        "Percent of maximum",
        "Band",
        "Note",
    ]
    # Members in Vietnamese order; a veto shows its value.
    assert rows[1][:10] == ["Hồng Ngự", 50.5, 30, None, 1, 80.5, 0, 0, 80.5, 80.5]
    assert rows[2][:10] == ["Tân Hồng", 60, 25, 5, None, 85, 5, 0, 90, 90]
    table = _csv(_get(english, "grid_export", period.pk, "csv"))
    assert table[1][:5] == ["Hồng Ngự", "50.50", "30.00", "", "1.00"]


def test_grid_page_links_to_both_downloads(client_alice, period):
    response = client_alice.get(reverse("clusters:agreed_grid", args=[period.pk]))
    for fmt in ("xlsx", "csv"):
        assertContains(response, reverse("clusters:grid_export", args=[period.pk, fmt]))
    response = client_alice.get(reverse("clusters:ranking", args=[period.pk]))
    assertContains(response, reverse("clusters:ranking_export", args=[period.pk, "xlsx"]))


def test_ranking_year_export(english, alice, period, term4):
    english.force_login(alice)
    rows = _rows(_sheet(_get(english, "ranking_year_export", 2022)))
    assert rows[0][:4] == ["Cluster or bloc", "Period", "First-ranked unit", "Final"]
    assert rows[1][:6] == ["Cụm thi đua số 3", "Year", "Tân Hồng", 90, 90, "Tốt"]
    # A cluster without a ranking says why.
    assert rows[2][0] == "Cụm thi đua số 4"
    assert rows[2][-1] == "No scoring period has been opened."
    response = english.get(reverse("clusters:ranking_year", args=[2022]))
    assertContains(response, reverse("clusters:ranking_year_export", args=[2022, "csv"]))


# --- Award lists ---------------------------------------------------------------------


def test_decision_export(english, alice, decision):
    english.force_login(alice)
    rows = _rows(_sheet(_get(english, "decision_export", decision.pk)))
    recipient = decision.recipients.first()
    amount, citation = int(recipient.amount), recipient.citation
    assert amount > 0
    assert rows == [
        ["No.", "Unit", "Citation", "Proposed by", "Year of the achievement", "Cash amount (VND)"],
        [1, "Hồng Ngự", citation, None, 2022, amount],
        [2, "Tân Hồng", citation, None, 2022, amount],
    ]
    response = english.get(decision.get_absolute_url())
    assertContains(response, reverse("clusters:decision_export", args=[decision.pk, "xlsx"]))


def test_award_list_export(english, alice, decision):
    english.force_login(alice)
    sheet = _sheet(_get(english, "award_list_export", 2022))
    rows = _rows(sheet)
    assert rows[0] == ["Decision", "Date", "Award form", "Unit", "Citation", "Cash amount (VND)"]
    assert [row[:2] for row in rows[1:]] == [["215/QĐ-UBND", datetime.datetime(2023, 2, 15)]] * 2
    assert [row[3] for row in rows[1:]] == ["Hồng Ngự", "Tân Hồng"]
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["F2"].number_format == "#,##0"
    table = _csv(_get(english, "award_list_export", 2022, "csv"))
    assert table[1][:2] == ["215/QĐ-UBND", "15/02/2023"]
    assert _rows(_sheet(_get(english, "award_list_export", 2021))) == [rows[0]]


def test_unit_awards_export(english, dave, tan_hong, decision):
    english.force_login(dave)
    rows = _rows(_sheet(_get(english, "unit_awards_export", tan_hong.pk)))
    assert rows[0] == [
        "Year",
        "Award form",
        "Decision",
        "Date",
        "Cash amount (VND)",
        "Received by",
        "Predecessor",
    ]
    assert rows[1][0] == 2022
    assert rows[1][2:4] == ["215/QĐ-UBND", datetime.datetime(2023, 2, 15)]
    assert rows[1][5:] == ["Tân Hồng", "No"]
    response = english.get(tan_hong.get_absolute_url())
    assertContains(response, reverse("clusters:unit_awards_export", args=[tan_hong.pk, "csv"]))


# --- Progress ------------------------------------------------------------------------


def test_progress_export(english, leo, province, term3):
    english.force_login(leo)
    RuleSet.objects.create(
        province=province, year=2022, agreed_score_deadline=datetime.date(2022, 12, 15)
    )
    Meeting.objects.create(
        cluster_year=term3, kind=Meeting.Kind.SIX_MONTH_REVIEW, date=datetime.date(2022, 8, 5)
    )
    sheet = _sheet(_get(english, "progress_export", 2022))
    rows = _rows(sheet)
    assert rows[0][:8] == [
        "Cluster or bloc",
        "Kind",
        "Covenant signed",
        "Covenant signed: deadline",
        "Covenant signed: status",
        "Six-month review held",
        "Six-month review held: deadline",
        "Six-month review held: status",
    ]
    assert rows[1][0] == "Cụm thi đua số 3"
    # Held on 05/08, after the customary 31/07: done late.
    assert rows[1][5:8] == [
        datetime.datetime(2022, 8, 5),
        datetime.datetime(2022, 7, 31),
        "Done late",
    ]
    assert rows[1][8:11] == [None, datetime.datetime(2022, 12, 15), "Missed"]
    assert sheet["F2"].number_format == "DD/MM/YYYY"
    table = _csv(_get(english, "progress_export", 2022, "csv"))
    assert table[1][5:8] == ["05/08/2022", "31/07/2022", "Done late"]
    response = english.get(reverse("clusters:progress", args=[2022]))
    assertContains(response, reverse("clusters:progress_export", args=[2022, "xlsx"]))


# --- Access --------------------------------------------------------------------------


def _export_urls(period, decision, unit) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"clusters:{name}", args=[arg, fmt]))
        for name, arg in (
            ("ranking_export", period.pk),
            ("grid_export", period.pk),
            ("ranking_year_export", 2022),
            ("decision_export", decision.pk),
            ("award_list_export", 2022),
            ("unit_awards_export", unit.pk),
            ("progress_export", 2022),
        )
        for fmt in ("xlsx", "csv")
    ]


def test_anonymous_is_sent_to_login(client, period, decision, hong_ngu):
    for _name, url in _export_urls(period, decision, hong_ngu):
        assertRedirects(
            client.get(url), f"{reverse('login')}?next={url}", fetch_redirect_response=False
        )


PROVINCE_TABLES = {"ranking_year_export", "award_list_export", "progress_export"}


@pytest.mark.parametrize("stranger", ["charlie", "eve"])
def test_a_stranger_gets_404(client, request, period, decision, hong_ngu, stranger):
    """charlie sees no province's tables; eve sees those of her own province only."""
    client.force_login(request.getfixturevalue(stranger))
    for name, url in _export_urls(period, decision, hong_ngu):
        response = client.get(url)
        if stranger == "eve" and name in PROVINCE_TABLES:
            # Her province has no cluster and no award: the header row alone.
            table = _csv(response) if url.endswith(".csv") else _rows(_sheet(response))
            assert len(table) == 1, url
        else:
            assert response.status_code == 404, url


def test_a_member_officer_gets_what_their_pages_show(client, dave, period, decision, tan_hong):
    """dave sees his cluster's ranking and grid and his unit's awards, but not the
    province's tables or decisions."""
    client.force_login(dave)
    allowed = {"ranking_export", "grid_export", "unit_awards_export"}
    for name, url in _export_urls(period, decision, tan_hong):
        assert client.get(url).status_code == (200 if name in allowed else 404), url


def test_an_unknown_format_in_the_url_is_a_404(client_alice, period):
    assert _get(client_alice, "ranking_export", period.pk, "pdf").status_code == 404
