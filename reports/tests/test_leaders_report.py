"""The review report for leaders: every cluster's ranking, meetings and flag proposals of
a province and period, with SVG charts."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.models import Covenant, Meeting, Membership, Period, Proposal, ScoreSheet
from clusters.tests import ballot_data
from clusters.tests.decision_factories import FLAG, MERIT, make_proposal
from clusters.tests.factories import make_unit
from reports import tasks
from reports.builders.leaders_report import ReportPeriod
from reports.kinds import get_kind
from reports.models import Document, RenderBatch
from reports.services import issue
from reports.tests.pdf_checks import flat, in_order, text_of

pytestmark = pytest.mark.django_db

KIND = get_kind("leaders_report")
MeetingKind = Meeting.Kind


def page_url(key: str) -> str:
    return reverse("reports:document_page", args=["leaders_report", key])


@pytest.fixture
def scored(province, term3, term4, tan_hong, hong_ngu):
    """Cluster 3 ranked on its annual scores (ballot_data: Tân Hồng 100, Hồng Ngự 95,
    Thanh Bình 90, Tam Nông vetoed) with four meetings and a submitted proposal; cluster 4
    (Lai Vung, and Lấp Vò who joins it) scored on the same sheet, with a draft proposal."""
    units = ballot_data.rank_term(term3, province, tan_hong, hong_ngu)
    day = datetime.date
    for kind, date in (
        (MeetingKind.COVENANT_SIGNING, day(2022, 2, 25)),
        (MeetingKind.SIX_MONTH_REVIEW, day(2022, 7, 26)),
        (MeetingKind.ANNUAL_REVIEW, day(2022, 12, 15)),
    ):
        Meeting.objects.create(cluster_year=term3, kind=kind, date=date)
    ballot_data.deliberation(term3, list(units.values()), day=day(2022, 12, 20))
    make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)])

    lai_vung = term4.memberships.get().unit
    lap_vo = make_unit(province, name="Lấp Vò", code="874")
    Membership.objects.create(cluster_year=term4, unit=lap_vo)
    sheet = ScoreSheet.objects.get(province=province, year=2022)
    Covenant.objects.create(cluster_year=term4, sheet=sheet)
    period = Period.objects.create(
        cluster_year=term4, kind=Period.Kind.ANNUAL, state=Period.State.AGREED
    )
    ballot_data._score(period, sheet, lai_vung, {"1.1": 40, "1.2": 10, "2.1": 30})
    ballot_data._score(period, sheet, lap_vo, {"1.1": 45, "1.2": 10, "2.1": 30})
    make_proposal(term4, [(lap_vo, FLAG)], state=Proposal.State.DRAFT)
    return {**units, "lai_vung": lai_vung, "lap_vo": lap_vo}


def without_charts(section: dict) -> dict:
    return {key: value for key, value in section.items() if key != "chart"}


def test_the_annual_snapshot(province, scored):
    snapshot = KIND.build(ReportPeriod(province, 2022, "annual"))
    assert snapshot["meta"] == {
        "title": "Báo cáo kết quả chấm điểm, xếp hạng các cụm, khối thi đua năm 2022",
        "author": "Sở Nội vụ tỉnh Đồng Tháp",
    }
    assert snapshot["header"] == {"parent": "UBND TỈNH ĐỒNG THÁP", "name": "SỞ NỘI VỤ"}
    assert (snapshot["symbol"], snapshot["title"], snapshot["place"]) == (
        "BC-SNV",
        "BÁO CÁO",
        "Đồng Tháp",
    )
    assert snapshot["summary"] == "Kết quả chấm điểm, xếp hạng các cụm, khối thi đua năm 2022"
    assert snapshot["kinh_gui"] == "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert snapshot["overview"] == [
        "Năm 2022, tỉnh Đồng Tháp có 2 cụm, khối thi đua với 6 lượt đơn vị thành viên. Các "
        "cụm, khối đã tổ chức 4 hội nghị, cuộc họp (ký kết giao ước, sơ kết, tổng kết, bình "
        "xét, suy tôn) theo quy chế hoạt động.",
        "Có 2/2 cụm, khối đã có kết quả chấm điểm, xếp hạng năm 2022.",
        "Các cụm, khối đã đề nghị tặng Cờ thi đua của UBND tỉnh cho 1 tập thể.",
    ]
    assert snapshot["show_flags"] is True
    assert snapshot["summary_rows"] == [
        {
            "stt": 1,
            "name": "Cụm thi đua số 3",
            "members": 4,
            "meetings": 4,
            "first": "Tân Hồng",
            "first_score": "100,00",
            "flags": "Tân Hồng",
        },
        {
            "stt": 2,
            "name": "Cụm thi đua số 4",
            "members": 2,
            "meetings": 0,
            # A draft proposal is not counted as proposed.
            "first": "Lấp Vò",
            "first_score": "85,00",
            "flags": "—",
        },
    ]
    first, second = snapshot["clusters"]
    assert without_charts(first) == {
        "number": 1,
        "name": "Cụm thi đua số 3",
        "members": 4,
        "scale": "100",
        "meetings": [
            "ký kết giao ước thi đua (25/02/2022)",
            "sơ kết 6 tháng (26/07/2022)",
            "tổng kết năm (15/12/2022)",
            "bình xét, suy tôn (20/12/2022)",
        ],
        "rows": [
            row(1, "Tân Hồng", "100,00", "Xuất sắc", "1"),
            row(2, "Hồng Ngự", "95,00", "Xuất sắc", "2"),
            row(3, "Thanh Bình", "90,00", "Tốt", "3"),
            row(4, "Tam Nông", "100,00", "Không xét (vi phạm)", "4"),
        ],
        "error": "",
        "flags": ["Tân Hồng"],
    }
    assert without_charts(second)["rows"] == [
        row(1, "Lấp Vò", "85,00", "Tốt", "1"),
        row(2, "Lai Vung", "80,00", "Khá", "2"),
    ]
    assert second["flags"] == [] and second["meetings"] == []
    assert snapshot["signatures"] == [
        {"authority": "", "role": "GIÁM ĐỐC", "position": "", "name": ""}
    ]


def row(stt, name, total, band, rank):
    return {"stt": stt, "name": name, "total": total, "percent": total, "band": band, "rank": rank}


def test_the_charts_are_svg_in_the_snapshot(province, scored):
    snapshot = KIND.build(ReportPeriod(province, 2022, "annual"))
    distribution = snapshot["clusters"][0]["chart"]
    assert distribution["svg"].startswith("<svg") and distribution["svg"].endswith("</svg>")
    # 640 × 200 drawn 165 mm wide: WeasyPrint needs the box's height (it draws inline SVG square).
    assert distribution["height"] == "51.6mm"
    assert "Phân bố tổng điểm các đơn vị – Cụm thi đua số 3" in distribution["svg"]
    assert distribution["svg"].count("<circle") == 4
    [comparison] = snapshot["comparison_charts"]
    assert "Cụm thi đua số 3" in comparison["svg"] and "Cụm thi đua số 4" in comparison["svg"]
    assert comparison["height"] == "38.7mm"


def test_more_than_twenty_clusters_take_several_comparison_charts(province):
    from clusters.tests.factories import make_cluster, make_cluster_year

    for n in range(21):
        make_cluster_year(make_cluster(province, name=f"Khối {n:02d}"), 2022)
    snapshot = KIND.build(ReportPeriod(province, 2022, "annual"))
    first, second = snapshot["comparison_charts"]
    assert "– 1/2" in first["svg"] and "– 2/2" in second["svg"]
    assert "Khối 20" in second["svg"] and "Khối 20" not in first["svg"]
    # Clusters without a period are listed with why they have no ranking.
    assert snapshot["clusters"][0]["error"] == "Chưa mở kỳ chấm điểm."
    assert snapshot["clusters"][0]["chart"] is None
    assert snapshot["summary_rows"][0]["first"] == "—"


def test_the_six_month_report_counts_the_first_half_only(province, scored, term3):
    # Cluster 3 has a six-month period without scores; cluster 4 none at all.
    Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    snapshot = KIND.build(ReportPeriod(province, 2022, "six_month"))
    assert snapshot["summary"] == (
        "Kết quả chấm điểm, xếp hạng các cụm, khối thi đua 6 tháng đầu năm 2022"
    )
    assert snapshot["show_flags"] is False
    first, second = snapshot["clusters"]
    assert first["meetings"] == ["ký kết giao ước thi đua (25/02/2022)"]
    # No agreed score yet: all tied at 0, listed in Vietnamese order.
    assert [(r["name"], r["total"], r["rank"]) for r in first["rows"]] == [
        ("Hồng Ngự", "0,00", "1"),
        ("Tam Nông", "0,00", "1"),
        ("Tân Hồng", "0,00", "1"),
        ("Thanh Bình", "0,00", "1"),
    ]
    assert second["error"] == "Chưa mở kỳ chấm điểm." and second["rows"] == []
    assert snapshot["summary_rows"][1]["members"] == 2
    assert (
        snapshot["overview"][1]
        == "Có 1/2 cụm, khối đã có kết quả chấm điểm, xếp hạng 6 tháng đầu năm 2022."
    )
    assert snapshot["overview"][2] == "Chưa có kết quả xếp hạng: Cụm thi đua số 4."


def test_build_makes_the_same_queries_for_more_clusters(
    province, scored, django_assert_num_queries
):
    source = ReportPeriod(province, 2022, "annual")
    # Terms, periods; load_periods' seven; meetings; flag items and their units' names.
    with django_assert_num_queries(11):
        KIND.build(source)
    from clusters.tests.factories import make_cluster, make_cluster_year

    for n in range(3):
        term = make_cluster_year(
            make_cluster(province, name=f"Khối {n}"), 2022, members=[make_unit(province)]
        )
        Covenant.objects.create(cluster_year=term, sheet=ScoreSheet.objects.get())
        Period.objects.create(cluster_year=term, kind=Period.Kind.ANNUAL)
        Meeting.objects.create(cluster_year=term, kind=MeetingKind.ANNUAL_REVIEW, date="2022-12-01")
    with django_assert_num_queries(11):
        snapshot = KIND.build(source)
    assert len(snapshot["clusters"]) == 5


def test_the_key_names_the_province_and_a_bad_key_is_404(client_alice, province):
    assert KIND.key(ReportPeriod(province, 2022, "annual")) == f"2022-annual-{province.pk}"
    for key in ("2022", "2022-monthly", "22-annual", f"2022-annual-{province.pk}-1"):
        assert client_alice.get(page_url(key)).status_code == 404


def test_staff_see_the_draft_and_may_issue_it(client_alice, province, scored):
    response = client_alice.get(page_url("2022-annual"))
    assert response.status_code == 200
    assertContains(response, "BÁO CÁO")
    assertContains(response, "Kết quả chấm điểm, xếp hạng các cụm, khối thi đua năm 2022")
    assertContains(response, "Cụm thi đua số 3")
    assertContains(response, "Thanh Bình")
    assertContains(response, "100,00")
    assertContains(response, "DỰ THẢO")
    assertContains(response, '<div class="chart" style="height: 51.6mm"><svg', count=2)
    key = f"2022-annual-{province.pk}"
    assertContains(response, reverse("reports:document_issue", args=["leaders_report", key]))


def test_a_leader_sees_the_report_but_may_not_issue_it(client, leo, province, scored):
    client.force_login(leo)
    key = f"2022-annual-{province.pk}"
    response = client.get(page_url(key))
    assertContains(response, "Cụm thi đua số 4")
    issue_url = reverse("reports:document_issue", args=["leaders_report", key])
    assertNotContains(response, issue_url)
    assert client.post(issue_url).status_code == 403


def test_strangers_get_404_and_anonymous_is_sent_to_login(client, eve, bob, province, scored):
    key = f"2022-annual-{province.pk}"
    client.force_login(eve)
    assert client.get(page_url(key)).status_code == 404
    assert client.get(page_url(key) + "pdf/").status_code == 404
    # Without a province in the key, eve gets her own province's report.
    own = client.get(page_url("2022-annual"))
    assert own.status_code == 200
    assertNotContains(own, "Cụm thi đua số 3")
    client.force_login(bob)
    assert client.get(page_url("2022-annual")).status_code == 404
    client.logout()
    assertRedirects(client.get(page_url(key)), f"{reverse('login')}?next={page_url(key)}")


def chart_curves(page) -> int:
    """Bézier segments drawn on a page and in the forms it draws: how WeasyPrint paints
    an SVG circle (four per dot) when it draws it as vector paths."""
    streams = [page.get_contents().get_data()]
    xobjects = page["/Resources"].get("/XObject")
    for xobject in xobjects.get_object().values() if xobjects else []:
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            streams.append(xobject.get_data())
    return sum(len(re.findall(rb"\sc\n", stream)) for stream in streams)


@pytest.mark.pdf
def test_the_pdf_lists_every_cluster_and_draws_its_charts_as_vectors(province, scored):
    content = KIND_PDF(province)
    reader = PdfReader(io.BytesIO(content))
    pages = [flat(text) for text in text_of(content)]
    whole = " ".join(pages)
    assert in_order(
        whole,
        [
            "BÁO CÁO",
            "Kết quả chấm điểm, xếp hạng các cụm, khối thi đua năm 2022",
            "I. TÌNH HÌNH CHUNG",
            "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
            "Cụm thi đua số 3",
            "Cụm thi đua số 4",
            "GIÁM ĐỐC",
            "PHỤ LỤC",
            "1. Cụm thi đua số 3",
            "Tam Nông",
            "2. Cụm thi đua số 4",
            "Lai Vung",
        ],
    )
    # Each cluster of the annex starts a page of its own.
    # (pypdf puts the page number last.)
    assert pages[-1].endswith(str(len(pages))) and pages[-1].startswith("2. Cụm thi đua số 4")
    assert "1. Cụm thi đua số 3" not in pages[-1]
    # No raster image anywhere: the charts are drawn as paths (four curves per dot).
    assert all(not page.images for page in reader.pages)
    assert chart_curves(reader.pages[-1]) >= 4 * 2
    assert chart_curves(reader.pages[-2]) >= 4 * 4


def KIND_PDF(province) -> bytes:  # noqa: N802
    from reports.render import pdf_bytes

    return pdf_bytes(KIND, KIND.build(ReportPeriod(province, 2022, "annual")))


@pytest.mark.pdf
def test_the_leaders_report_batch_gives_one_pdf(alice, province, scored):
    batch = tasks.batch_start(
        user=alice, province=province, year=2022, what="leaders_report", period="annual"
    )
    assert (batch.state, batch.done, batch.total) == (RenderBatch.State.DONE, 1, 1)
    with batch.file.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF")
    assert "DỰ THẢO" in text_of(content)[0]


@pytest.mark.pdf
def test_an_issued_report_is_taken_as_stored_by_the_batch(alice, province, scored):
    document = issue(KIND, ReportPeriod(province, 2022, "annual"), user=alice)
    assert document.number_text == "01/BC-SNV" and document.period == "annual"
    assert Document.objects.get().source_key == f"2022-annual-{province.pk}"
    batch = tasks.batch_start(
        user=alice, province=province, year=2022, what="leaders_report", period="annual"
    )
    with batch.file.open("rb") as file, document.pdf.open("rb") as stored:
        assert file.read() == stored.read()
