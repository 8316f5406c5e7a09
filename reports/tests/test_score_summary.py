"""Bảng tổng hợp điểm: the snapshot, the draft page and its access, the landscape PDF."""

import datetime
import io

import pdfplumber
import pytest
from django.urls import reverse

from clusters import services
from clusters.models import Criterion, Membership, Period, Score
from clusters.tests.factories import make_unit
from reports import services as report_services
from reports.kinds import get_kind
from reports.models import Kind

from .pdf_checks import MM, flat, fonts_of, margins_mm, page_sizes, text_of
from .scoring_data import add_members, make_period, make_sheet, score, source, target

pytestmark = pytest.mark.django_db
Stage = Score.Stage


@pytest.fixture
def kind():
    return get_kind(Kind.SCORE_SUMMARY)


@pytest.fixture
def tam_nong(province, term3):
    unit = make_unit(province, name="Huyện Tam Nông", short_name="Tam Nông", code="871")
    Membership.objects.create(cluster_year=term3, unit=unit)
    return unit


@pytest.fixture
def period(province, term3, tan_hong, hong_ngu, tam_nong):
    """Tân Hồng and Hồng Ngự tie at 922,50 (Tân Hồng ahead on group I); Tam Nông has
    1.000 but is vetoed. Hồng Ngự is renamed in 2023; Tam Nông has a short name."""
    term3.signer_name = "Nguyễn Văn B"
    term3.signer_position = "Chủ tịch UBND huyện Tân Hồng"
    term3.secretary_name = "Trần Thị C"
    term3.save()
    period = make_period(term3, make_sheet(province))
    score(period, tan_hong, **{"1_1": (300, 105), "1_2": 200, "2_1": "412.5", "B1": 10})
    score(period, hong_ngu, **{"1_1": (280, 90), "1_2": 200, "2_1": "442.5"})
    score(period, tam_nong, **{"1_1": 300, "1_2": 200, "2_1": 500, "V1": True})
    score(period, tan_hong, Stage.SELF, **{"1_1": 300, "1_2": 200, "2_1": 450})
    score(period, hong_ngu, Stage.SELF, **{"1_1": 300, "1_2": 200, "2_1": 450, "P1": 5})
    score(period, hong_ngu, Stage.CROSS, **{"1_1": 290, "1_2": 200, "2_1": 440})
    for unit in (tan_hong, hong_ngu):
        target(period, unit, "1.1", 100)
    services.unit_rename(
        unit=hong_ngu,
        new_name="Thị xã Hồng Ngự",
        effective_date=datetime.date(2023, 1, 1),
        legal_basis="Nghị quyết (thử)",
    )
    return period


def page_url(period, suffix=""):
    return reverse(f"reports:document_{suffix or 'page'}", args=["score_summary", period.pk])


# --- The snapshot ------------------------------------------------------------------


def test_the_table_lists_the_members_in_ranking_order_with_agreed_totals(kind, period, alice):
    snapshot = kind.build(source(kind, period, alice))
    assert snapshot["columns"] == {"self": True, "cross": True}
    assert snapshot["groups"] == [
        {"code": "I", "text": "Phát triển kinh tế - xã hội", "max": "500"},
        {"code": "II", "text": "Xây dựng chính quyền", "max": "500"},
    ]
    assert snapshot["scale"] == "1.000"
    assert snapshot["bonus_cap"] == ""
    assert snapshot["rows"] == [
        {
            "stt": 1,
            "name": "Tân Hồng",
            "self": "950,00",
            "cross": "",
            "groups": ["500,00", "412,50"],
            "bonus": "10,00",
            "penalty": "0,00",
            "final": "922,50",
            "rank": "1",
            "note": "(1)",
        },
        {
            # The name it bore in 2022, not "Thị xã Hồng Ngự".
            "stt": 2,
            "name": "Hồng Ngự",
            "self": "945,00",
            "cross": "930,00",
            "groups": ["480,00", "442,50"],
            "bonus": "0,00",
            "penalty": "0,00",
            "final": "922,50",
            "rank": "2",
            "note": "(2)",
        },
        {
            # Vetoed: ranked last whatever its total; printed under its short name.
            "stt": 3,
            "name": "Tam Nông",
            "self": "",
            "cross": "",
            "groups": ["500,00", "500,00"],
            "bonus": "0,00",
            "penalty": "0,00",
            "final": "1.000,00",
            "rank": "3",
            "note": "(3)",
        },
    ]


def test_notes_explain_the_tie_break_and_the_veto_in_vietnamese(kind, period, alice):
    snapshot = kind.build(source(kind, period, alice))
    ahead, behind, vetoed = snapshot["notes"]
    assert ahead.startswith("(1) Tân Hồng: ")
    assert "Hồng Ngự" in ahead and "922,50" in ahead and "500,00" in ahead and "480,00" in ahead
    assert behind.startswith("(2) Hồng Ngự: ") and "Tân Hồng" in behind
    assert "Tied" not in ahead + behind  # translated, whatever the user's language
    assert vetoed == (
        "(3) Huyện Tam Nông: thuộc trường hợp không xét thi đua (V1 Đang bị thanh tra chưa "
        "có kết luận), xếp hạng sau các đơn vị không vi phạm."
    )
    assert snapshot["legend"] == (
        "Nhóm tiêu chí: I. Phát triển kinh tế - xã hội (500 điểm); "
        "II. Xây dựng chính quyền (500 điểm)."
    )


def test_header_title_and_signatures(kind, period, alice):
    snapshot = kind.build(source(kind, period, alice))
    assert snapshot["header"] == {"parent": "UBND TỈNH ĐỒNG THÁP", "name": "CỤM THI ĐUA SỐ 3"}
    assert snapshot["symbol"] == "" and snapshot["number"] is None
    assert snapshot["place"] == "Tân Hồng"
    assert snapshot["title"] == "BẢNG TỔNG HỢP ĐIỂM"
    assert snapshot["summary"] == "Chấm điểm thi đua năm 2022 Cụm thi đua số 3"
    assert snapshot["signatures"] == [
        {"authority": "", "role": "THƯ KÝ", "position": "", "name": "Trần Thị C"},
        {
            "authority": "TM. CỤM THI ĐUA SỐ 3",
            "role": "CỤM TRƯỞNG",
            "position": "Chủ tịch UBND huyện Tân Hồng",
            "name": "Nguyễn Văn B",
        },
    ]
    assert "recipients" not in snapshot
    assert kind.period(period) == "annual"


def test_the_six_month_summary_names_the_half_year(kind, term3, province, tan_hong, alice):
    period = make_period(term3, make_sheet(province), kind=Period.Kind.SIX_MONTH)
    score(period, tan_hong, **{"1_2": 200})
    snapshot = kind.build(source(kind, period, alice))
    assert snapshot["summary"] == (
        "Chấm điểm thi đua năm 2022 (6 tháng đầu năm 2022) Cụm thi đua số 3"
    )
    # No self or cross scores: the columns are left out.
    assert snapshot["columns"] == {"self": False, "cross": False}
    assert [row["final"] for row in snapshot["rows"]] == ["200,00", "0,00"]


def test_a_sheet_that_cannot_be_scored_gives_the_reason_instead_of_a_table(
    kind, period, alice, client_alice
):
    Criterion.objects.filter(code="1.2").update(kind=Criterion.Kind.GRADED, params={})
    snapshot = kind.build(source(kind, period, alice))
    assert snapshot["rows"] == [] and snapshot["notes"] == []
    assert snapshot["error"]
    html = client_alice.get(page_url(period)).content.decode()
    assert "Chưa lập được bảng tổng hợp điểm" in html


def test_build_reads_a_fixed_number_of_queries(
    kind, period, term3, province, alice, django_assert_num_queries
):
    small = source(kind, period, alice)
    # The period is locked: one more query looks for the ranking stored at the lock.
    with django_assert_num_queries(9):
        kind.build(small)
    add_members(term3, province, 13, period)
    large = source(kind, period, alice)
    with django_assert_num_queries(9):
        snapshot = kind.build(large)
    assert len(snapshot["rows"]) == 16


# --- The draft page and access -----------------------------------------------------


def test_the_draft_page_shows_the_table(client_bob, period):
    response = client_bob.get(page_url(period))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("BẢNG TỔNG HỢP ĐIỂM", "Điểm thống nhất", "Điểm tự chấm", "Tổng điểm"):
        assert text in html
    for text in ("Tân Hồng", "Hồng Ngự", "922,50", "1.000,00", "TM. CỤM THI ĐUA SỐ 3", "THƯ KÝ"):
        assert text in html
    assert 'class="landscape"' in html


def test_strangers_get_404_and_anonymous_users_the_login_page(client, charlie, eve, period):
    client.force_login(charlie)
    assert client.get(page_url(period)).status_code == 404
    assert client.get(page_url(period, "pdf")).status_code == 404
    client.force_login(eve)
    assert client.get(page_url(period)).status_code == 404
    client.logout()
    response = client.get(page_url(period))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_key_that_is_not_a_number_is_404(client_alice, period):
    url = reverse("reports:document_page", args=["score_summary", "abc"])
    assert client_alice.get(url).status_code == 404


def test_the_period_and_ranking_pages_link_to_the_draft(client_bob, period):
    url = page_url(period)
    assert (
        url in client_bob.get(reverse("clusters:period_detail", args=[period.pk])).content.decode()
    )
    assert url in client_bob.get(reverse("clusters:ranking", args=[period.pk])).content.decode()


# --- The PDF -----------------------------------------------------------------------


def _page_number(pdf: bytes, index: int) -> str:
    """The text printed in the top margin of a page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[index]
        return (page.crop((0, 0, page.width, 18 * MM)).extract_text() or "").strip()


@pytest.mark.pdf
def test_thirty_members_go_over_landscape_pages_with_the_header_on_each(
    client_alice, term3, province, alice
):
    period = make_period(term3, make_sheet(province), kind=Period.Kind.SIX_MONTH)
    units = add_members(term3, province, 30, period)
    response = client_alice.get(page_url(period, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = [flat(text) for text in text_of(pdf)]
    assert len(pages) >= 2
    assert set(page_sizes(pdf)) == {(842, 595)}
    names = [f"Xã {n:02d}" for n in range(1, len(units) + 1)]
    for index, text in enumerate(pages):
        if any(name in text for name in names):
            assert "Điểm thống nhất" in text and "Đơn vị" in text, index
    # Every row is printed once, on one page: never split, never repeated.
    for name in names:
        assert sum(text.count(name) for text in pages) == 1, name
    assert "BẢNG TỔNG HỢP ĐIỂM" in pages[0]
    assert "CỤM TRƯỞNG" in pages[-1] and "THƯ KÝ" in pages[-1]
    assert _page_number(pdf, 0) == ""
    for index in range(1, len(pages)):
        assert _page_number(pdf, index) == str(index + 1)


@pytest.mark.pdf
def test_the_pdf_keeps_the_margins_fonts_and_order(client_alice, period):
    pdf = client_alice.get(page_url(period, "pdf")).content
    text = flat(" ".join(text_of(pdf)))
    order = ["CỤM THI ĐUA SỐ 3", "BẢNG TỔNG HỢP ĐIỂM", "Chấm điểm thi đua năm 2022", "Tân Hồng"]
    order += ["922,50", "Hồng Ngự", "Tam Nông", "1.000,00", "Nhóm tiêu chí", "(3) Huyện Tam"]
    order += ["THƯ KÝ", "TM. CỤM THI ĐUA SỐ 3", "CỤM TRƯỞNG", "Nguyễn Văn B"]
    position = 0
    for part in order:
        found = text.find(part, position)
        assert found >= 0, part
        position = found + len(part)
    assert set(page_sizes(pdf)) == {(842, 595)}
    top, right, bottom, left = margins_mm(pdf)
    assert top >= 19.5 and bottom >= 19.5 and left >= 24.5 and right >= 19.5
    # The bundled Liberation Serif, under the family name document.css gives it.
    assert (
        {"DocSerif", "DocSerif-Bold"}
        <= fonts_of(pdf)
        <= {
            "DocSerif",
            "DocSerif-Bold",
            "DocSerif-Italic",
            "DocSerif-Bold-Italic",
        }
    )


@pytest.mark.pdf
def test_issued_without_a_number(period, alice, kind):
    document = report_services.issue(kind, source(kind, period, alice), user=alice)
    assert document.number is None and document.number_text == ""
    assert document.snapshot["rows"][0]["final"] == "922,50"
    assert document.period == "annual"
