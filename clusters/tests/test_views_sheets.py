import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import sheet_imports
from clusters.models import Covenant, Criterion, RuleSet, ScoreSheet, Target
from clusters.tests.factories import day

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind


def make_sheet(province, *, year=2024, name="Bảng điểm cụm xã, phường", scale=100, groups=()):
    """A sheet with groups of criteria: groups is [(code, max, [(code, kind, max, params)])]."""
    sheet = ScoreSheet.objects.create(province=province, year=year, name=name, scale=scale)
    position = 0
    for code, max_points, children in groups:
        position += 1
        group = Criterion.objects.create(
            sheet=sheet,
            code=code,
            text=f"Nhóm {code}",
            kind=Kind.GROUP,
            max_points=max_points,
            position=position,
        )
        for child_code, kind, child_max, params in children:
            position += 1
            Criterion.objects.create(
                sheet=sheet,
                parent=group,
                code=child_code,
                text=f"Tiêu chí {child_code}",
                kind=kind,
                max_points=child_max,
                params=params,
                position=position,
            )
    return sheet


GROUPS = [
    (
        "I",
        60,
        [
            ("1.1", Kind.QUANTITATIVE, 30, {"mode": "leader", "no_target": "excluded"}),
            ("1.2", Kind.GRADED, 30, {"grades": [["Tốt", "30"], ["Khá", "20"]]}),
        ],
    ),
    ("II", 40, [("2.1", Kind.PER_ITEM, 40, {"points_per_item": "5", "cap": "40"})]),
]


@pytest.fixture
def sheet(province):
    return make_sheet(province, groups=GROUPS)


@pytest.fixture
def criterion(sheet):
    return sheet.criteria.get(code="1.1")


@pytest.fixture
def client_leo(client, leo):
    client.force_login(leo)
    return client


def read_urls(sheet):
    return [
        reverse("clusters:sheet_list"),
        reverse("clusters:sheet_detail", args=[sheet.pk]),
        reverse("clusters:ruleset_edit", args=[2024]),
    ]


def write_urls(sheet, criterion):
    return [
        reverse("clusters:sheet_create"),
        reverse("clusters:sheet_import"),
        reverse("clusters:sheet_import_template"),
        reverse("clusters:sheet_copy", args=[sheet.pk]),
        reverse("clusters:criterion_create", args=[sheet.pk]),
        reverse("clusters:criterion_update", args=[criterion.pk]),
        reverse("clusters:criterion_delete", args=[criterion.pk]),
    ]


def xlsx(rows, headers=("Mã", "Tiêu chí", "Điểm tối đa", "Loại"), name="bang-diem.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile(name, output.getvalue())


# Access


def test_anonymous_is_sent_to_login(client, sheet, criterion):
    for url in read_urls(sheet) + write_urls(sheet, criterion):
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    client.post(reverse("clusters:criterion_delete", args=[criterion.pk]))
    assert Criterion.objects.filter(pk=criterion.pk).exists()


@pytest.mark.parametrize("stranger", ["bob", "eve"])
def test_strangers_get_404_for_the_province_s_objects(client, request, sheet, criterion, stranger):
    client.force_login(request.getfixturevalue(stranger))
    urls = [
        reverse("clusters:sheet_detail", args=[sheet.pk]),
        reverse("clusters:sheet_copy", args=[sheet.pk]),
        reverse("clusters:criterion_create", args=[sheet.pk]),
        reverse("clusters:criterion_update", args=[criterion.pk]),
        reverse("clusters:criterion_delete", args=[criterion.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"code": "9", "year": 2025, "name": "X"}).status_code == 404, url
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    assert ScoreSheet.objects.count() == 1


def test_a_cluster_secretary_gets_404_on_every_page(client_bob, sheet, criterion):
    for url in read_urls(sheet) + write_urls(sheet, criterion):
        assert client_bob.get(url).status_code == 404, url


def test_staff_of_another_province_sees_only_their_own(client, eve, sheet):
    client.force_login(eve)
    response = client.get(reverse("clusters:sheet_list"))
    assert response.status_code == 200
    assertNotContains(response, sheet.name)
    response = client.get(reverse("clusters:ruleset_edit", args=[2024]))
    assert response.context["province"] == eve.province


def test_leader_reads_and_changes_nothing(client_leo, sheet, criterion):
    for url in read_urls(sheet):
        assert client_leo.get(url).status_code == 200, url
    response = client_leo.get(reverse("clusters:sheet_list"))
    assertContains(response, sheet.name)
    assertNotContains(response, reverse("clusters:sheet_create"))
    assertNotContains(response, reverse("clusters:sheet_copy", args=[sheet.pk]))
    response = client_leo.get(sheet.get_absolute_url())
    assertNotContains(response, reverse("clusters:criterion_create", args=[sheet.pk]))
    assertNotContains(response, reverse("clusters:criterion_update", args=[criterion.pk]))
    for url in write_urls(sheet, criterion):
        assert client_leo.get(url).status_code == 403, url
        assert client_leo.post(url, {"year": 2025, "name": "X"}).status_code == 403, url
    response = client_leo.post(reverse("clusters:ruleset_edit", args=[2024]), {"bands": ""})
    assert response.status_code == 403
    assert not RuleSet.objects.exists()
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_nav_link_for_staff_and_leaders_only(client, alice, leo, bob, sheet):
    url = reverse("clusters:sheet_list")
    for user, shown in ((alice, True), (leo, True), (bob, False)):
        client.force_login(user)
        response = client.get(reverse("clusters:unit_list"))
        assert (url in response.content.decode()) is shown, user


# List and detail


def test_list_by_year_newest_first_with_buttons_for_staff(client_alice, province, sheet):
    newer = make_sheet(province, year=2025, name="Bảng điểm 2025")
    RuleSet.objects.create(province=province, year=2023)
    response = client_alice.get(reverse("clusters:sheet_list"))
    assert [year for year, _sheets, _rules in response.context["by_year"]] == [2025, 2024, 2023]
    assert response.context["next_year"] == 2026
    for url in (
        reverse("clusters:sheet_create"),
        reverse("clusters:sheet_import"),
        reverse("clusters:sheet_copy", args=[newer.pk]),
        reverse("clusters:ruleset_edit", args=[2026]),
    ):
        assertContains(response, url)


def test_detail_shows_tree_parameters_and_totals(client_alice, sheet):
    response = client_alice.get(sheet.get_absolute_url())
    rows = response.context["rows"]
    assert [(row["criterion"].code, row["node"].depth) for row in rows] == [
        ("I", 0),
        ("1.1", 1),
        ("1.2", 1),
        ("II", 0),
        ("2.1", 1),
    ]
    assert response.context["warnings"] == []
    assert response.context["base_total"] == "100"
    assertContains(response, "Tốt: 30 · Khá: 20")
    # Criteria are indented under their group, with a CSS length that is not localised.
    assertContains(response, 'style="padding-left: 1.75rem"', count=2 * 3)
    assertContains(response, reverse("clusters:criterion_create", args=[sheet.pk]) + "?parent=")


def test_detail_warns_when_points_do_not_add_up(client_alice, sheet):
    Criterion.objects.filter(sheet=sheet, code="1.2").update(max_points=25)
    Criterion.objects.filter(sheet=sheet, code="II").update(max_points=30)
    # In English, as the messages may not be translated yet.
    client_alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client_alice.get(sheet.get_absolute_url())
    assert response.context["warnings"] == [
        "The criteria of group I add up to 55 points, not 60.",
        "The criteria of group II add up to 40 points, not 30.",
        "The base criteria add up to 90 points, not the scale of 100.",
    ]
    assertContains(response, 'id="sheet-warnings"')
    # The group's row says what its criteria add up to.
    assert [row["child_sum"] for row in response.context["rows"] if row["node"].sum_mismatch] == [
        "55",
        "40",
    ]


def test_detail_shows_history_of_sheet_and_criteria(client_alice, sheet, criterion):
    criterion.text = "Thu ngân sách nhà nước"
    criterion.save()
    response = client_alice.get(sheet.get_absolute_url())
    history = response.context["history"]
    assert any(entry.label == "1.1" and entry.changes for entry in history)
    assertContains(response, "Thu ngân sách nhà nước")


@pytest.mark.parametrize("groups", [3, 20])
def test_detail_queries_do_not_grow_with_criteria(
    client_alice, province, groups, django_assert_num_queries
):
    # 20 groups of 2 criteria give 60 rows, 3 groups give 9.
    sheet = make_sheet(
        province,
        scale=groups * 10,
        groups=[
            (
                f"G{g}",
                10,
                [
                    (f"{g}.1", Kind.QUANTITATIVE, 5, {"mode": "proportional"}),
                    (f"{g}.2", Kind.PER_ITEM, 5, {"points_per_item": "1", "cap": "5"}),
                ],
            )
            for g in range(groups)
        ],
    )
    client_alice.get(sheet.get_absolute_url())
    # Session, user, roles, sheet, criteria, sheet history, criterion history, parents
    # named in the history.
    with django_assert_num_queries(8):
        response = client_alice.get(sheet.get_absolute_url())
    assert len(response.context["rows"]) == groups * 3


# Create and copy


def test_staff_create_a_sheet(client_alice, province):
    response = client_alice.post(
        reverse("clusters:sheet_create"),
        {"name": "Bảng điểm khối sở", "year": "2025", "scale": "100"},
    )
    sheet = ScoreSheet.objects.get()
    assertRedirects(response, sheet.get_absolute_url())
    assert (sheet.province, sheet.year, sheet.scale) == (province, 2025, 100)


def test_create_refuses_the_same_name_and_year(client_alice, sheet):
    response = client_alice.post(
        reverse("clusters:sheet_create"),
        {"name": " Bảng điểm cụm xã,  phường ", "year": "2024", "scale": "1.000,5"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert ScoreSheet.objects.count() == 1


def test_copy_keeps_the_tree_and_parameters(client_alice, sheet):
    response = client_alice.post(
        reverse("clusters:sheet_copy", args=[sheet.pk]), {"year": "2025", "name": sheet.name}
    )
    copy = ScoreSheet.objects.get(year=2025)
    assertRedirects(response, copy.get_absolute_url())
    assert copy.copied_from == sheet
    assert copy.scale == sheet.scale

    def shape(s):
        return [
            (c.code, c.parent.code if c.parent else None, c.kind, c.max_points, c.params)
            for c in s.criteria.select_related("parent")
        ]

    assert shape(copy) == shape(sheet)
    assert not copy.criteria.filter(parent__sheet=sheet).exists()
    # The original is untouched.
    assert sheet.criteria.count() == 5


def test_copy_refuses_an_existing_name_and_year(client_alice, sheet):
    make_sheet(sheet.province, year=2025, name=sheet.name)
    response = client_alice.post(
        reverse("clusters:sheet_copy", args=[sheet.pk]), {"year": "2025", "name": sheet.name}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ScoreSheet.objects.count() == 2


# Criteria


def test_add_a_graded_criterion_to_a_group(client_alice, sheet):
    group = sheet.criteria.get(code="II")
    url = reverse("clusters:criterion_create", args=[sheet.pk])
    response = client_alice.get(url, {"parent": group.pk})
    assert response.context["form"].initial["parent"] == group.pk
    response = client_alice.post(
        url,
        {
            "parent": group.pk,
            "code": "2.2",
            "text": "Tổ chức đảng xếp loại",
            "kind": Kind.GRADED,
            "max_points": "6",
            "grades": "Tốt = 6\nKhá = 4,5\nTrung bình = 0",
            # Parameters of other kinds are ignored.
            "mode": "leader",
            "points_per_item": "3",
        },
    )
    created = sheet.criteria.get(code="2.2")
    assertRedirects(
        response,
        f"{sheet.get_absolute_url()}#criterion-{created.pk}",
        fetch_redirect_response=False,
    )
    assert created.parent == group
    assert created.params == {"grades": [["Tốt", "6"], ["Khá", "4.5"], ["Trung bình", "0"]]}
    assert created.position > sheet.criteria.get(code="2.1").position


def test_quantitative_and_per_item_parameters(client_alice, sheet):
    url = reverse("clusters:criterion_create", args=[sheet.pk])
    client_alice.post(
        url,
        {
            "code": "3",
            "text": "Giảm tỷ lệ hộ nghèo",
            "kind": Kind.QUANTITATIVE,
            "max_points": "40",
            "mode": "leader",
            "lower_is_better": "on",
            "no_target": "full",
            "unit_of_measure": "%",
        },
    )
    assert sheet.criteria.get(code="3").params == {
        "mode": "leader",
        "lower_is_better": True,
        "no_target": "full",
    }
    client_alice.post(
        url,
        {"code": "4", "text": "Báo cáo", "kind": Kind.PER_ITEM, "max_points": "30",
         "points_per_item": "-5"},
    )  # fmt: skip
    assert sheet.criteria.get(code="4").params == {"points_per_item": "-5", "cap": "30"}
    client_alice.post(
        url,
        {"code": "5", "text": "Gương điển hình", "kind": Kind.PER_ITEM, "max_points": "40",
         "points_per_item": "5", "counts_register": "on"},
    )  # fmt: skip
    assert sheet.criteria.get(code="5").params == {
        "points_per_item": "5",
        "cap": "40",
        "counts": "exemplary_models",
    }
    form = client_alice.get(
        reverse("clusters:criterion_update", args=[sheet.criteria.get(code="5").pk])
    )
    assert form.context["form"].initial["counts_register"] is True
    client_alice.post(url, {"code": "V", "text": "Bị kỷ luật", "kind": Kind.VETO})
    veto = sheet.criteria.get(code="V")
    assert (veto.max_points, veto.params, veto.parent) == (0, {}, None)


def test_criterion_form_keeps_the_input_on_error(client_alice, sheet):
    response = client_alice.post(
        reverse("clusters:criterion_create", args=[sheet.pk]),
        {
            "code": "1.1",
            "text": "Nội dung đã gõ",
            "kind": Kind.GRADED,
            "max_points": "12,5",
            "grades": "Tốt = 12,5\nKhá = 20",
            "note": "Ghi chú đã gõ",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"code"}
    assertContains(response, "Nội dung đã gõ")
    assertContains(response, "Ghi chú đã gõ")
    assertContains(response, "Khá = 20")
    assertContains(response, 'value="12,5"')
    assert sheet.criteria.count() == 5
    # With the code fixed, the level above the maximum is the next problem.
    response = client_alice.post(
        reverse("clusters:criterion_create", args=[sheet.pk]),
        {"code": "1.3", "text": "X", "kind": Kind.GRADED, "max_points": "12,5",
         "grades": "Tốt = 12,5\nKhá = 20"},
    )  # fmt: skip
    assert set(response.context["form"].errors) == {"grades"}


def test_parent_must_be_a_group_of_the_same_sheet(client_alice, province, sheet, criterion):
    other = make_sheet(province, year=2025, groups=GROUPS)
    url = reverse("clusters:criterion_update", args=[criterion.pk])
    data = {"code": "1.1", "text": "X", "kind": Kind.QUALITATIVE, "max_points": "30"}
    for parent in (other.criteria.get(code="I"), sheet.criteria.get(code="1.2")):
        response = client_alice.post(url, {**data, "parent": parent.pk})
        assert "parent" in response.context["form"].errors
    # A group cannot go under its own criteria, nor stop being a group while it has some.
    group = sheet.criteria.get(code="I")
    url = reverse("clusters:criterion_update", args=[group.pk])
    response = client_alice.get(url)
    assert group not in response.context["form"].fields["parent"].queryset
    response = client_alice.post(url, {"code": "I", "text": "X", "kind": "qualitative",
                                       "max_points": "60"})  # fmt: skip
    assert "kind" in response.context["form"].errors


def test_update_a_criterion(client_alice, sheet, criterion):
    url = reverse("clusters:criterion_update", args=[criterion.pk])
    response = client_alice.get(url)
    form = response.context["form"]
    assert form.initial["mode"] == "leader"
    assert form.initial["no_target"] == "excluded"
    response = client_alice.post(
        url,
        {
            "parent": criterion.parent_id,
            "code": "1.1",
            "text": "Thu ngân sách",
            "kind": Kind.QUANTITATIVE,
            "max_points": "30",
            "mode": "proportional",
            "no_target": "zero",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.params == {
        "mode": "proportional",
        "lower_is_better": False,
        "no_target": "zero",
    }


def test_delete_a_group_with_its_criteria(client_alice, sheet):
    group = sheet.criteria.get(code="I")
    url = reverse("clusters:criterion_delete", args=[group.pk])
    response = client_alice.get(url)
    assert response.context["count"] == 3
    response = client_alice.post(url)
    assertRedirects(response, sheet.get_absolute_url())
    assert list(sheet.criteria.values_list("code", flat=True)) == ["II", "2.1"]
    history = client_alice.get(sheet.get_absolute_url()).context["history"]
    deleted = {entry.label for entry in history if entry.action == gettext("Deleted")}
    assert deleted == {"I", "1.1", "1.2"}


def test_delete_is_refused_once_targets_exist(client_alice, sheet, term3, tan_hong):
    covenant = Covenant.objects.create(cluster_year=term3, sheet=sheet)
    target = sheet.criteria.get(code="1.1")
    Target.objects.create(covenant=covenant, unit=tan_hong, criterion=target, target=10)
    group = sheet.criteria.get(code="I")
    response = client_alice.post(reverse("clusters:criterion_delete", args=[group.pk]))
    assertRedirects(response, sheet.get_absolute_url())
    assert sheet.criteria.count() == 5


# Import


def test_import_creates_the_sheet_from_the_template(client_alice, province):
    upload = SimpleUploadedFile("mau.xlsx", sheet_imports.template_xlsx())
    response = client_alice.post(
        reverse("clusters:sheet_import"),
        {"name": "Khối cơ quan tham mưu", "year": "2025", "scale": "", "file": upload},
    )
    sheet = ScoreSheet.objects.get()
    assertRedirects(response, sheet.get_absolute_url())
    assert (sheet.province, sheet.year, sheet.scale) == (province, 2025, 100)
    assert sheet.criteria.count() == 10
    assert sheet.criteria.get(code="1.2").parent.code == "I"
    assert sheet.criteria.get(code="B").parent is None
    assert list(sheet.criteria.values_list("code", flat=True))[:3] == ["I", "1.1", "1.2"]


def test_import_lists_every_problem_and_saves_nothing(client_alice):
    upload = xlsx(
        [
            ["I", "Nhóm", 50, "Nhóm"],
            ["1.1", "Một", "năm mươi", "Định tính"],
            ["1.1", "Hai", 10, "Định tính"],
        ]
    )
    response = client_alice.post(
        reverse("clusters:sheet_import"), {"name": "X", "year": "2025", "file": upload}
    )
    assert response.status_code == 200
    assert [(e.row, e.code) for e in response.context["errors"]] == [
        (3, "number"),
        (4, "code_repeated"),
    ]
    assertContains(response, 'id="import-errors"')
    assertContains(response, "Mã này đã dùng ở dòng 3.")
    assert not ScoreSheet.objects.exists()
    assert not Criterion.objects.exists()


def test_import_refuses_a_file_that_is_not_excel(client_alice):
    for upload in (
        SimpleUploadedFile("bang-diem.xlsx", b"hello"),
        SimpleUploadedFile("bang-diem.xlsx", b""),
    ):
        response = client_alice.post(
            reverse("clusters:sheet_import"), {"name": "X", "year": "2025", "file": upload}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assertContains(response, "Tệp trống.")
    assert not ScoreSheet.objects.exists()


def test_import_against_a_wrong_scale(client_alice):
    upload = SimpleUploadedFile("mau.xlsx", sheet_imports.template_xlsx())
    response = client_alice.post(
        reverse("clusters:sheet_import"),
        {"name": "X", "year": "2025", "scale": "1000", "file": upload},
    )
    assert [e.code for e in response.context["errors"]] == ["scale"]
    assert not ScoreSheet.objects.exists()


def test_template_download(client_alice):
    response = client_alice.get(reverse("clusters:sheet_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "mau-bang-diem.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert book.worksheets[0]["A1"].value == "Mã"
    assert len(book.worksheets) == 2


# Rules


def test_first_edit_proposes_last_year_s_rules(client_alice, province):
    RuleSet.objects.create(
        province=province,
        year=2024,
        bands=[["Xuất sắc", "95"], ["Tốt", "85"]],
        eligibility_min_percent=Decimal(90),
        tie_breaks=["more_votes", "core_group"],
        core_group="I",
        bonus_cap=Decimal(50),
        proposal_deadline=day("10/12/2024"),
    )
    response = client_alice.get(reverse("clusters:ruleset_edit", args=[2025]))
    assert response.context["copied_from"] == 2024
    form = response.context["form"]
    assert form.initial["bands"] == "Xuất sắc = 95\nTốt = 85"
    assert form.initial["proposal_deadline"] == day("10/12/2025")
    assert form.fields["tie_break_1"].initial == "more_votes"
    assert form.fields["tie_break_2"].initial == "core_group"
    assertContains(response, "10/12/2025")
    assert RuleSet.objects.count() == 1


def test_rules_are_created_on_first_save_and_updated_after(client_alice, province):
    url = reverse("clusters:ruleset_edit", args=[2025])
    data = {
        "bands": "Tốt = 85\nXuất sắc = 95,5",
        "eligibility_min_percent": "90",
        "tie_break_1": "core_group",
        "tie_break_2": "women_majority",
        "tie_break_3": "",
        "tie_break_4": "more_votes",
        "core_group": "I",
        "bonus_cap": "50",
        "self_score_deadline": "15/11/2025",
        "agreed_score_deadline": "30/11/2025",
        "proposal_deadline": "10/12/2025",
    }
    response = client_alice.post(url, data)
    assertRedirects(response, reverse("clusters:sheet_list"))
    rules = RuleSet.objects.get(province=province, year=2025)
    assert rules.bands == [["Xuất sắc", "95.5"], ["Tốt", "85"]]
    assert rules.tie_breaks == ["core_group", "women_majority", "more_votes"]
    assert rules.proposal_deadline == datetime.date(2025, 12, 10)
    response = client_alice.post(url, {**data, "bonus_cap": "40"})
    rules.refresh_from_db()
    assert rules.bonus_cap == 40
    assert RuleSet.objects.count() == 1


def test_rules_are_validated(client_alice):
    response = client_alice.post(
        reverse("clusters:ruleset_edit", args=[2025]),
        {
            "bands": "Xuất sắc = 120",
            "eligibility_min_percent": "90",
            "tie_break_1": "core_group",
            "tie_break_2": "core_group",
            "core_group": "",
            "bonus_cap": "0",
            "self_score_deadline": "30/11/2025",
            "agreed_score_deadline": "15/11/2025",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "bands",
        "tie_break_2",
        "core_group",
        "agreed_score_deadline",
    }
    assert not RuleSet.objects.exists()


def test_rules_for_a_year_out_of_range_are_404(client_alice):
    assert client_alice.get(reverse("clusters:ruleset_edit", args=[3000])).status_code == 404


def test_leader_reads_the_rules(client_leo, province):
    RuleSet.objects.create(
        province=province, year=2024, bands=[["Xuất sắc", "95"]], tie_breaks=["more_votes"]
    )
    response = client_leo.get(reverse("clusters:ruleset_edit", args=[2024]))
    assertContains(response, "Xuất sắc: ≥ 95 %")
    assertNotContains(response, '<form method="post" class="col-lg-8"')
