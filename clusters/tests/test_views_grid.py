"""The agreed-score grid, its cell saves, its Excel round trip and the ranking pages."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from clusters import grid_cells, imports
from clusters.models import (
    Covenant,
    Criterion,
    Membership,
    Period,
    RoleAssignment,
    Score,
    ScoreSheet,
)
from clusters.score_services import members_during
from clusters.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind
Stage = Score.Stage
State = Period.State

# Members are listed in Vietnamese order: Hồng Ngự (row 7), then Tân Hồng (row 8).
# Criteria run from column C: 1.1, 1.2, 2.1, B1, P1, V1.
HONG_NGU_ROW, TAN_HONG_ROW = 7, 8
COLUMNS = {"1.1": "C", "1.2": "D", "2.1": "E", "B1": "F", "P1": "G", "V1": "H"}
INPUT = 'class="form-control form-control-sm grid-input"'


def _criterion(sheet, code, kind, max_points, parent=None, position=0, **extra):
    return Criterion.objects.create(
        sheet=sheet,
        parent=parent,
        code=code,
        text=f"Tiêu chí {code}",
        kind=kind,
        max_points=max_points,
        position=position,
        **extra,
    )


@pytest.fixture
def sheet(province):
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Cụm huyện", scale=100)
    first = _criterion(sheet, "I", Kind.GROUP, 70, position=1)
    _criterion(sheet, "1.1", Kind.QUANTITATIVE, 60, first, position=1)
    _criterion(sheet, "1.2", Kind.QUALITATIVE, 10, first, position=2)
    second = _criterion(sheet, "II", Kind.GROUP, 30, position=2)
    _criterion(sheet, "2.1", Kind.QUALITATIVE, 30, second, position=1)
    _criterion(sheet, "B1", Kind.BONUS, 5, position=3)
    _criterion(sheet, "P1", Kind.PENALTY, 0, position=4)
    _criterion(sheet, "V1", Kind.VETO, 0, position=5)
    return sheet


@pytest.fixture
def period(term3, sheet):
    Covenant.objects.create(cluster_year=term3, sheet=sheet)
    return Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL, state=State.SCORING)


def _code(code):
    return Criterion.objects.get(code=code)


def _urls(period):
    return {
        name: reverse(f"clusters:{name}", args=[period.pk])
        for name in ("agreed_grid", "grid_cell_save", "grid_download", "grid_upload", "ranking")
    }


def _post_cell(client, period, unit, code, points, version=0):
    return client.post(
        reverse("clusters:grid_cell_save", args=[period.pk]),
        {"criterion": _code(code).pk, "unit": unit.pk, "points": points, "version": version},
    )


def _agreed(unit, code):
    return Score.objects.filter(unit=unit, criterion__code=code, stage=Stage.AGREED).first()


# ---------------------------------------------------------------------------
# Who may do what


def test_anonymous_is_sent_to_login(client, period):
    for name, url in _urls(period).items():
        response = (
            client.post(url) if name in ("grid_cell_save", "grid_upload") else client.get(url)
        )
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    url = reverse("clusters:ranking_year", args=[2022])
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("stranger", ["charlie", "eve"])
def test_stranger_gets_404_everywhere(client, request, period, tan_hong, stranger):
    client.force_login(request.getfixturevalue(stranger))
    for name, url in _urls(period).items():
        if name == "grid_cell_save":
            response = _post_cell(client, period, tan_hong, "1.1", "10")
        elif name == "grid_upload":
            response = client.post(url)
        else:
            response = client.get(url)
        assert response.status_code == 404, name
    assert not Score.objects.exists()


def test_secretary_of_another_cluster_cannot_see_the_year_overview(client, charlie, period):
    client.force_login(charlie)
    assert client.get(reverse("clusters:ranking_year", args=[2022])).status_code == 404


def test_leader_reads_grid_and_ranking_but_saves_nothing(client, leo, period, tan_hong):
    client.force_login(leo)
    urls = _urls(period)
    response = client.get(urls["agreed_grid"])
    assert response.status_code == 200
    assert response.context["editable"] is False
    assertContains(response, 'data-editable="false"')
    assertContains(response, " readonly", count=2 * 6)
    assert client.get(urls["grid_download"]).status_code == 200
    assert client.get(urls["ranking"]).status_code == 200
    assert client.get(reverse("clusters:ranking_year", args=[2022])).status_code == 200
    assert _post_cell(client, period, tan_hong, "1.1", "10").status_code == 403
    upload = SimpleUploadedFile("grid.xlsx", _download(client, period))
    assert client.post(urls["grid_upload"], {"file": upload}).status_code == 403
    assert not Score.objects.exists()


def test_member_officer_reads_their_cluster_grid_only(client, dave, period, tan_hong):
    client.force_login(dave)
    urls = _urls(period)
    assert client.get(urls["agreed_grid"]).context["editable"] is False
    assert client.get(urls["ranking"]).status_code == 200
    assert _post_cell(client, period, tan_hong, "1.1", "10").status_code == 403
    assert client.get(reverse("clusters:ranking_year", args=[2022])).status_code == 404
    assert not Score.objects.exists()


def test_secretary_gets_an_editable_grid(client_bob, period):
    response = client_bob.get(_urls(period)["agreed_grid"])
    assert response.status_code == 200
    assert response.context["editable"] is True
    assertContains(response, 'data-editable="true"')
    assertContains(response, INPUT, count=2 * 6)
    assertContains(response, " readonly", count=0)
    assertContains(response, 'data-max="60.00"')
    assertContains(response, 'data-veto="1"', count=2)
    assertContains(response, "js/grid.js")


def test_grid_shows_agreed_points_with_self_and_cross_beside(client_bob, period, tan_hong, bob):
    for stage, points in ((Stage.SELF, "50"), (Stage.CROSS, "48.5"), (Stage.AGREED, "47.25")):
        Score.objects.create(
            period=period, unit=tan_hong, criterion=_code("1.1"), stage=stage, points=points
        )
    response = client_bob.get(_urls(period)["agreed_grid"])
    assertContains(response, 'value="47,25"')
    assertContains(response, "TC 50 · CC 48,5")
    row = next(r for r in response.context["rows"] if r["unit_id"] == tan_hong.pk)
    assert dict(row["totals"])["base"] == "47,25"
    assert [c.criterion.code for c in row["cells"]] == list(COLUMNS)


def test_transposed_grid_has_criteria_as_rows(client_bob, period):
    response = client_bob.get(_urls(period)["agreed_grid"] + "?transpose=1")
    body = response.context["body_rows"]
    assert [r["criterion"].code for r in body if r["type"] == "criterion"] == list(COLUMNS)
    totals = [r["key"] for r in body if r["type"] == "total"]
    assert totals == ["base", "bonus", "penalty", "final"]
    assertContains(response, INPUT, count=2 * 6)


def test_grid_rows_are_the_members_during_the_period(client_bob, period, province, term3):
    left = make_unit(province, name="Tam Nông")
    Membership.objects.create(
        cluster_year=term3, unit=left, valid_from="2022-01-01", valid_to="2022-03-31"
    )
    later = make_unit(province, name="Thanh Bình")
    Membership.objects.create(cluster_year=term3, unit=later, valid_from="2022-09-01")
    six_month = Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    for each in (period, six_month):
        response = client_bob.get(reverse("clusters:agreed_grid", args=[each.pk]))
        shown = [row["unit_id"] for row in response.context["rows"]]
        assert shown == [u.pk for u in members_during(each)]
    assert later.pk not in shown


# ---------------------------------------------------------------------------
# Saving one cell


def test_secretary_saves_a_cell_typed_with_a_decimal_comma(client_bob, bob, period, tan_hong):
    response = _post_cell(client_bob, period, tan_hong, "1.1", "45,5")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["points"] == "45,5"
    assert data["version"] == 1
    assert data["totals"]["base"] == "45,50"
    assert data["totals"]["final"] == "45,50"
    score = _agreed(tan_hong, "1.1")
    assert score.points == Decimal("45.5")
    assert score.updated_by == bob
    assert not Score.objects.exclude(stage=Stage.AGREED).exists()


def test_cell_save_accepts_a_json_body(client_bob, period, tan_hong):
    response = client_bob.post(
        reverse("clusters:grid_cell_save", args=[period.pk]),
        json.dumps(
            {"criterion": _code("1.2").pk, "unit": tan_hong.pk, "points": "7.5", "version": 0}
        ),
        content_type="application/json",
    )
    assert response.json()["points"] == "7,5"
    assert _agreed(tan_hong, "1.2").points == Decimal("7.5")


def test_totals_add_bonus_and_subtract_penalty(client_bob, period, tan_hong):
    _post_cell(client_bob, period, tan_hong, "1.1", "60")
    _post_cell(client_bob, period, tan_hong, "2.1", "30")
    _post_cell(client_bob, period, tan_hong, "B1", "4")
    totals = _post_cell(client_bob, period, tan_hong, "P1", "12,5").json()["totals"]
    assert totals == {
        "base": "90,00",
        "bonus": "4,00",
        "penalty": "12,50",
        "final": "81,50",
        "percent": "81,50",
        "band": "Khá",
    }


@pytest.mark.parametrize(
    "typed, code",
    [("60,01", "above_max"), ("-1", "negative"), ("abc", "not_a_number"), ("1,234", "too_precise")],
)
def test_points_the_criterion_cannot_give_are_refused(client_bob, period, tan_hong, typed, code):
    response = _post_cell(client_bob, period, tan_hong, "1.1", typed)
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert data["code"] == code
    assert data["error"]
    assert not Score.objects.exists()


def test_above_max_message_names_the_maximum(client_bob, period, tan_hong):
    assert "60" in _post_cell(client_bob, period, tan_hong, "1.1", "61").json()["error"]


def test_stale_version_is_refused_with_the_current_value(client_bob, period, tan_hong):
    assert _post_cell(client_bob, period, tan_hong, "1.1", "45,5").status_code == 200
    response = _post_cell(client_bob, period, tan_hong, "1.1", "30", version=0)
    assert response.status_code == 409
    data = response.json()
    assert data["ok"] is False
    assert data["code"] == "conflict"
    assert data["current_points"] == "45,5"
    assert data["current_version"] == 1
    assert data["totals"]["base"] == "45,50"
    assert _agreed(tan_hong, "1.1").points == Decimal("45.5")


def test_second_save_with_the_new_version_is_accepted(client_bob, period, tan_hong):
    _post_cell(client_bob, period, tan_hong, "1.1", "45,5")
    response = _post_cell(client_bob, period, tan_hong, "1.1", "50", version=1)
    assert response.json()["version"] == 2
    assert _agreed(tan_hong, "1.1").points == Decimal("50")


def test_empty_input_clears_the_cell(client_bob, period, tan_hong):
    _post_cell(client_bob, period, tan_hong, "1.1", "45,5")
    response = _post_cell(client_bob, period, tan_hong, "1.1", "", version=1)
    assert response.json()["points"] == ""
    assert response.json()["totals"]["base"] == "0,00"
    assert _agreed(tan_hong, "1.1").points is None


@pytest.mark.parametrize("state", [State.AGREED, State.LOCKED])
def test_a_closed_period_refuses_cells_and_shows_a_read_only_grid(
    client_bob, period, tan_hong, state
):
    period.state = state
    period.save()
    response = _post_cell(client_bob, period, tan_hong, "1.1", "10")
    assert response.status_code == 400
    assert response.json()["code"] == "locked"
    assert not Score.objects.exists()
    grid = client_bob.get(_urls(period)["agreed_grid"])
    assert grid.context["editable"] is False
    assertContains(grid, " readonly", count=2 * 6)


def test_a_cell_for_a_unit_outside_the_cluster_is_refused(client_bob, period, province):
    outsider = make_unit(province, name="Lấp Vò")
    response = _post_cell(client_bob, period, outsider, "1.1", "10")
    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert not Score.objects.exists()


def test_a_criterion_of_another_sheet_or_a_group_is_refused(client_bob, period, tan_hong, province):
    other = ScoreSheet.objects.create(province=province, year=2022, name="Khác", scale=100)
    foreign = _criterion(other, "9.9", Kind.QUALITATIVE, 10)
    response = client_bob.post(
        reverse("clusters:grid_cell_save", args=[period.pk]),
        {"criterion": foreign.pk, "unit": tan_hong.pk, "points": "1", "version": 0},
    )
    assert response.json()["code"] == "criterion"
    assert _post_cell(client_bob, period, tan_hong, "I", "10").json()["code"] == "group"
    assert not Score.objects.exists()


def test_an_incomplete_request_is_refused(client_bob, period):
    response = client_bob.post(reverse("clusters:grid_cell_save", args=[period.pk]), {})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_cell_save_rejects_get(client_bob, period):
    assert client_bob.get(_urls(period)["grid_cell_save"]).status_code == 405


def test_a_veto_cell_takes_a_flag_and_vetoes_the_unit(client_bob, period, tan_hong):
    assert _post_cell(client_bob, period, tan_hong, "V1", "5").json()["code"] == "not_a_flag"
    response = _post_cell(client_bob, period, tan_hong, "V1", "x")
    assert response.json()["points"] == "1"
    score = _agreed(tan_hong, "V1")
    assert (score.points, score.value) == (None, Decimal(1))
    ranking = client_bob.get(_urls(period)["ranking"])
    vetoed = [r["result"] for r in ranking.context["rows"] if r["result"].vetoed]
    assert [r.key for r in vetoed] == [tan_hong.pk]
    assert vetoed[0].veto_reasons == ("V1 Tiêu chí V1",)


def test_staff_edit_every_cluster_of_their_province(client_alice, period, tan_hong):
    assert _post_cell(client_alice, period, tan_hong, "1.1", "10").status_code == 200


def test_head_of_the_term_may_edit(client, province, term3, period, tan_hong):
    head = make_user(
        "hana",
        {"role": RoleAssignment.Role.CLUSTER_HEAD, "province": province, "cluster_year": term3},
    )
    client.force_login(head)
    assert _post_cell(client, period, tan_hong, "1.1", "10").status_code == 200


# ---------------------------------------------------------------------------
# Excel round trip


def _download(client, period) -> bytes:
    response = client.get(reverse("clusters:grid_download", args=[period.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _workbook_bytes(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(client, period, content: bytes, name="grid.xlsx"):
    return client.post(
        reverse("clusters:grid_upload", args=[period.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_download_has_members_criteria_and_hidden_ids(client_bob, period, tan_hong, hong_ngu):
    Score.objects.create(
        period=period, unit=tan_hong, criterion=_code("1.1"), stage=Stage.AGREED, points="45.5"
    )
    response = client_bob.get(reverse("clusters:grid_download", args=[period.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet["A1"].value == "agreed-scores"
    assert sheet["A2"].value == period.pk
    assert sheet.column_dimensions["A"].hidden and sheet.row_dimensions[2].hidden
    assert [sheet.cell(4, c).value for c in range(3, 9)] == list(COLUMNS)
    assert sheet["C2"].value == _code("1.1").pk
    assert sheet["C5"].value == "Tiêu chí 1.1"
    assert sheet["C6"].value == 60
    assert (sheet["B7"].value, sheet["A7"].value) == ("Hồng Ngự", hong_ngu.pk)
    assert (sheet["B8"].value, sheet["A8"].value) == ("Tân Hồng", tan_hong.pk)
    assert sheet["C8"].value == 45.5 and sheet["C7"].value is None
    assert sheet.protection.sheet is True
    assert sheet["C8"].protection.locked is False and sheet["B8"].protection.locked is True
    assert sheet.freeze_panes == "C7"


def test_download_modify_upload_applies_the_changes(client_bob, bob, period, tan_hong, hong_ngu):
    Score.objects.create(
        period=period, unit=hong_ngu, criterion=_code("2.1"), stage=Stage.AGREED, points="20"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client_bob, period)))
    sheet = workbook.worksheets[0]
    sheet[f"C{TAN_HONG_ROW}"] = 45.5
    sheet[f"D{TAN_HONG_ROW}"] = "7,5"
    sheet[f"H{HONG_NGU_ROW}"] = 1
    sheet[f"E{HONG_NGU_ROW}"] = None
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    assertRedirects(response, reverse("clusters:agreed_grid", args=[period.pk]))
    assert _agreed(tan_hong, "1.1").points == Decimal("45.5")
    assert _agreed(tan_hong, "1.2").points == Decimal("7.5")
    assert _agreed(hong_ngu, "V1").value == Decimal(1)
    assert _agreed(hong_ngu, "2.1").points is None
    assert _agreed(hong_ngu, "2.1").version == 2
    assert _agreed(tan_hong, "1.1").updated_by == bob
    # Unchanged cells are not written at all.
    assert Score.objects.count() == 4


def test_uploading_the_file_unchanged_writes_nothing(client_bob, period, tan_hong):
    Score.objects.create(
        period=period, unit=tan_hong, criterion=_code("1.1"), stage=Stage.AGREED, points="45.5"
    )
    response = _upload(client_bob, period, _download(client_bob, period))
    assert response.status_code == 302
    assert _agreed(tan_hong, "1.1").version == 1
    assert Score.objects.count() == 1


def test_one_bad_cell_applies_nothing_and_is_listed_by_reference(client_bob, period, tan_hong):
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client_bob, period)))
    sheet = workbook.worksheets[0]
    sheet[f"C{TAN_HONG_ROW}"] = 45.5
    sheet[f"D{HONG_NGU_ROW}"] = 999
    sheet[f"E{TAN_HONG_ROW}"] = "=10+5"
    sheet[f"F{TAN_HONG_ROW}"] = "nhiều"
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    assert response.status_code == 200
    errors = response.context["upload_errors"]
    assert [(e.cell, e.unit, e.criterion, e.code) for e in errors] == [
        ("D7", "Hồng Ngự", "1.2", "above_max"),
        ("E8", "Tân Hồng", "2.1", "formula"),
        ("F8", "Tân Hồng", "B1", "not_a_number"),
    ]
    assertContains(response, "<td>D7</td>")
    assert not Score.objects.exists()


def test_moved_rows_and_unknown_members_are_refused(client_bob, period, province):
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client_bob, period)))
    sheet = workbook.worksheets[0]
    # Names sorted without their hidden ids: the ids no longer match the names.
    sheet["B7"], sheet["B8"] = sheet["B8"].value, sheet["B7"].value
    sheet["C7"] = 10
    outsider = make_unit(province, name="Lấp Vò")
    sheet["A9"], sheet["B9"], sheet["C9"] = outsider.pk, "Lấp Vò", 10
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    codes = [(e.cell, e.code) for e in response.context["upload_errors"]]
    assert codes == [("B7", "moved"), ("B8", "moved"), ("B9", "member")]
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("grid.csv", b"a;b\n1;2\n"),
        ("grid.xlsx", b"this is not a zip file"),
        ("grid.xlsx", b""),
    ],
)
def test_files_that_are_not_excel_are_refused(client_bob, period, name, content):
    response = _upload(client_bob, period, content, name)
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert not Score.objects.exists()


def test_an_excel_file_that_is_not_the_grid_is_refused(client_bob, period, term3, sheet):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Đơn vị", "1.1"])
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    assert response.context["upload_form"].errors["file"]
    other = Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    response = _upload(client_bob, other, _download(client_bob, period))
    assert response.context["upload_form"].errors["file"]
    assert not Score.objects.exists()


def test_a_huge_file_is_refused(client_bob, period, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_SIZE", 1000)
    response = _upload(client_bob, period, _download(client_bob, period))
    assert response.context["upload_form"].errors["file"]
    assert not Score.objects.exists()


def test_upload_to_a_locked_period_is_refused(client_bob, period):
    content = _download(client_bob, period)
    period.state = State.LOCKED
    period.save()
    response = _upload(client_bob, period, content)
    assert response.context["upload_form"].errors["file"]
    assert not Score.objects.exists()


def test_upload_refused_when_a_cell_changed_meanwhile(client_bob, period, tan_hong, monkeypatch):
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client_bob, period)))
    workbook.worksheets[0][f"C{TAN_HONG_ROW}"] = 45.5
    workbook.worksheets[0][f"D{TAN_HONG_ROW}"] = 5
    real = grid_cells.read_grid_upload

    def read_then_colleague_saves(upload, data):
        result = real(upload, data)
        # A colleague saves one of the cells between the checks and the writes.
        Score.objects.create(
            period=period, unit=tan_hong, criterion=_code("1.2"), stage=Stage.AGREED, points=9
        )
        return result

    monkeypatch.setattr(grid_cells, "read_grid_upload", read_then_colleague_saves)
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    assert response.status_code == 200
    assert response.context["upload_form"].non_field_errors()
    assert _agreed(tan_hong, "1.1") is None
    assert _agreed(tan_hong, "1.2").points == 9


# ---------------------------------------------------------------------------
# Ranking pages


def test_ranking_page_shows_ranks_bands_and_the_flag_candidate(
    client_bob, period, tan_hong, hong_ngu
):
    for unit, points in ((tan_hong, ("60", "10", "30")), (hong_ngu, ("50", "10", "30"))):
        for code, value in zip(("1.1", "1.2", "2.1"), points, strict=True):
            Score.objects.create(
                period=period, unit=unit, criterion=_code(code), stage=Stage.AGREED, points=value
            )
    response = client_bob.get(reverse("clusters:ranking", args=[period.pk]))
    rows = response.context["rows"]
    assert [(r["rank"], r["result"].name) for r in rows] == [("1", "Tân Hồng"), ("2", "Hồng Ngự")]
    assert rows[0]["row"].flag_candidate
    assert rows[0]["groups"] == [Decimal("70.00"), Decimal("30.00")]
    assert rows[0]["result"].band == "Xuất sắc"
    assertContains(response, "table-success", count=1)


def test_ranking_page_marks_shared_ranks(client_bob, period):
    response = client_bob.get(reverse("clusters:ranking", args=[period.pk]))
    assert [r["rank"] for r in response.context["rows"]] == ["=1", "=1"]
    assert len(response.context["notes"]) == 2


def test_ranking_year_lists_the_first_ranked_unit_of_every_cluster(
    client_alice, period, tan_hong, term4
):
    Score.objects.create(
        period=period, unit=tan_hong, criterion=_code("1.1"), stage=Stage.AGREED, points="40"
    )
    response = client_alice.get(reverse("clusters:ranking_year", args=[2022]))
    rankings = response.context["rankings"]
    assert [r.cluster_year.cluster.name for r in rankings] == [
        "Cụm thi đua số 3",
        "Cụm thi đua số 4",
    ]
    assert [row.result.name for row in rankings[0].leaders] == ["Tân Hồng"]
    assert rankings[1].period is None and rankings[1].error
    assertContains(response, "Tân Hồng")


# ---------------------------------------------------------------------------
# Query counts: the same for 2 members × 6 criteria as for 15 × 60


def _big_sheet(province, term, members: int, criteria: int):
    """A term with `members` members and a sheet of `criteria` criteria in four groups,
    every cell scored at every stage."""
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Lớn", scale=1000)
    groups = [
        _criterion(sheet, code, Kind.GROUP, 250, position=n)
        for n, code in enumerate(("I", "II", "III", "IV"))
    ]
    items = [
        _criterion(sheet, f"{n % 4 + 1}.{n}", Kind.QUALITATIVE, 20, groups[n % 4], position=n)
        for n in range(criteria)
    ]
    units = list(term.memberships.values_list("unit_id", flat=True))
    for n in range(members - len(units)):
        unit = make_unit(province, name=f"Xã {n:02d}")
        Membership.objects.create(cluster_year=term, unit=unit)
        units.append(unit.pk)
    Covenant.objects.create(cluster_year=term, sheet=sheet)
    period = Period.objects.create(cluster_year=term, kind=Period.Kind.ANNUAL, state=State.SCORING)
    Score.objects.bulk_create(
        Score(period=period, unit_id=u, criterion=c, stage=stage, points=10)
        for u in units
        for c in items
        for stage in (Stage.SELF, Stage.CROSS, Stage.AGREED)
    )
    return period, items


# Session, user, roles; the period with its cluster and covenant; criteria, rule set,
# memberships, unit names, scores and targets.
GRID_QUERIES = 10
# Session, user, roles, period, criterion and unit; score_save's savepoint, period lock,
# covenant, membership check, score lock, update, history row and release; then the
# member's totals: criteria, rule set, membership, unit names, scores and targets; the new
# data version of the cached page bodies.
CELL_SAVE_QUERIES = 21
# Session, user, roles, period, the data version of the cached page bodies; criteria,
# rule set, memberships, unit names, scores, targets.
RANKING_QUERIES = 11


@pytest.mark.parametrize("members, criteria", [(2, 6), (15, 60)])
def test_query_counts_do_not_grow_with_the_grid(
    client_bob, province, term3, members, criteria, django_assert_num_queries
):
    period, items = _big_sheet(province, term3, members, criteria)
    url = reverse("clusters:agreed_grid", args=[period.pk])
    with django_assert_num_queries(GRID_QUERIES):
        response = client_bob.get(url)
    assert len(response.context["rows"]) == members
    assertContains(response, INPUT, count=members * criteria)

    score = Score.objects.filter(criterion=items[-1], stage=Stage.AGREED).first()
    with django_assert_num_queries(CELL_SAVE_QUERIES):
        response = client_bob.post(
            reverse("clusters:grid_cell_save", args=[period.pk]),
            {
                "criterion": score.criterion_id,
                "unit": score.unit_id,
                "points": "12,5",
                "version": score.version,
            },
        )
    assert response.json()["ok"] is True

    with django_assert_num_queries(RANKING_QUERIES):
        response = client_bob.get(reverse("clusters:ranking", args=[period.pk]))
    assert len(response.context["rows"]) == members


def test_excel_round_trip_of_15_members_by_60_criteria(client_bob, province, term3):
    period, items = _big_sheet(province, term3, 15, 60)
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client_bob, period)))
    sheet = workbook.worksheets[0]
    for row in range(7, 7 + 15):
        for column in range(3, 3 + 60):
            sheet.cell(row, column).value = "12,5"
    response = _upload(client_bob, period, _workbook_bytes(workbook))
    assert response.status_code == 302
    agreed = Score.objects.filter(stage=Stage.AGREED)
    assert set(agreed.values_list("points", flat=True)) == {Decimal("12.5")}
    assert set(agreed.values_list("version", flat=True)) == {2}
