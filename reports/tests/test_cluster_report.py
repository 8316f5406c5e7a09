"""Báo cáo sơ kết / tổng kết of a cluster: the snapshot, the draft page and the PDF."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import (
    ExemplaryModel,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
    Movement,
    Period,
)
from clusters.tests.decision_factories import add_multiples, make_decision
from clusters.tests.factories import make_unit
from reports import services as report_services
from reports.kinds import get_kind
from reports.models import Kind

from .pdf_checks import flat, in_order, page_sizes, text_of
from .scoring_data import add_members, make_period, make_sheet, score, source, target

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def kind():
    return get_kind(Kind.CLUSTER_REPORT)


@pytest.fixture
def tam_nong(province, term3):
    unit = make_unit(province, name="Huyện Tam Nông", code="871")
    Membership.objects.create(cluster_year=term3, unit=unit)
    return unit


@pytest.fixture
def year_data(province, term3, cluster3, cluster4, tan_hong, hong_ngu, tam_nong):
    """The covenant, the meetings of 2022 (and the annual review of January 2023), the
    commendations and awards, the exemplary models and movements, some of them outside
    the cluster or the year."""
    term3.deputy_unit = hong_ngu
    term3.signer_name = "Nguyễn Văn B"
    term3.signer_position = "Chủ tịch UBND huyện Tân Hồng"
    term3.save()
    sheet = make_sheet(province)
    make_period(term3, sheet)  # creates the covenant
    covenant = term3.covenant
    covenant.signed_on = D(2022, 2, 25)
    covenant.signatories = "Chủ tịch UBND huyện Tân Hồng\nChủ tịch UBND huyện Hồng Ngự\n"
    covenant.save()

    def meeting(kind, day, venue="", host=None, **fields):
        return Meeting.objects.create(
            cluster_year=term3, kind=kind, date=day, venue=venue, host_unit=host, **fields
        )

    meeting(Meeting.Kind.COVENANT_SIGNING, D(2022, 2, 25), "Hội trường UBND huyện Tân Hồng")
    review = meeting(Meeting.Kind.SIX_MONTH_REVIEW, D(2022, 7, 26), host=hong_ngu)
    MeetingSection.objects.create(
        meeting=review, kind=MeetingSection.Kind.DIRECTIONS, body="- Việc A\n\n- Việc B"
    )
    for name, collective in (("Cá nhân 1", False), ("Cá nhân 2", False), ("Phòng Nội vụ", True)):
        MeetingCommendation.objects.create(
            meeting=review,
            recipient_name=name,
            collective=collective,
            form="Giấy khen",
            issuer="Chủ tịch UBND huyện Tân Hồng",
            decision_ref="12/QĐ-UBND",
        )
    meeting(Meeting.Kind.DELIBERATION, D(2022, 12, 5), "Tân Hồng")
    annual = meeting(
        Meeting.Kind.ANNUAL_REVIEW,
        D(2023, 1, 13),
        "Tân Hồng",
        next_head_unit=hong_ngu,
        next_deputy_unit=tam_nong,
    )
    MeetingSection.objects.create(
        meeting=annual, kind=MeetingSection.Kind.DIRECTIONS, body="- Việc năm sau"
    )

    add_multiples(D(2018, 1, 1))
    make_decision(province, number="215/QĐ-UBND", date=D(2023, 2, 20), units=[tan_hong])
    make_decision(province, number="99/QĐ-UBND", date=D(2022, 3, 1), year=2021, units=[tan_hong])

    lai_vung = Membership.objects.get(cluster_year__cluster=cluster4).unit
    for unit, kind, title, day in (
        (tan_hong, ExemplaryModel.Kind.EXEMPLAR, "Gương A", D(2022, 5, 20)),
        (hong_ngu, ExemplaryModel.Kind.NEW_MODEL, "Mô hình B", D(2022, 9, 1)),
        (tan_hong, ExemplaryModel.Kind.GOOD_DEED, "Việc tốt 2021", D(2021, 12, 31)),
        (lai_vung, ExemplaryModel.Kind.GOOD_DEED, "Không thuộc Cụm", D(2022, 5, 1)),
    ):
        ExemplaryModel.objects.create(
            province=province, kind=kind, title=title, unit=unit, recognised_on=day
        )
    for name, cluster, launched, start in (
        ("Phong trào X", cluster3, D(2022, 1, 10), D(2022, 1, 1)),
        ("Phong trào của Cụm 4", cluster4, None, D(2022, 1, 1)),
        ("Phong trào năm sau", cluster3, None, D(2023, 1, 1)),
    ):
        movement = Movement.objects.create(
            province=province,
            name=name,
            kind=Movement.Kind.REGULAR,
            launched_on=launched,
            start=start,
        )
        movement.clusters.add(cluster)
    return term3


@pytest.fixture
def annual(year_data, tan_hong, hong_ngu, tam_nong):
    """Tân Hồng 950 (its target reached), Hồng Ngự 880 (missed), Tam Nông vetoed."""
    period = year_data.periods.get(kind=Period.Kind.ANNUAL)
    score(period, tan_hong, **{"1_1": (300, 105), "1_2": 200, "2_1": 450})
    score(period, hong_ngu, **{"1_1": (280, 90), "1_2": 200, "2_1": 400})
    score(period, tam_nong, **{"1_1": 300, "1_2": 200, "2_1": 500, "V1": True})
    for unit in (tan_hong, hong_ngu, tam_nong):
        target(period, unit, "1.1", 100)
    return period


@pytest.fixture
def six_month(year_data, tan_hong):
    period = make_period(year_data, year_data.covenant.sheet, kind=Period.Kind.SIX_MONTH)
    score(period, tan_hong, **{"1_2": 200})
    return period


def page_url(period, suffix=""):
    return reverse(f"reports:document_{suffix or 'page'}", args=["cluster_report", period.pk])


# --- The snapshot ------------------------------------------------------------------


def test_the_annual_report_header_and_situation(kind, annual, alice):
    snapshot = kind.build(source(kind, annual, alice))
    assert snapshot["symbol"] == "BC-CTĐ3" and snapshot["number"] is None
    assert snapshot["title"] == "BÁO CÁO"
    assert snapshot["summary"] == (
        "Kết quả thực hiện phong trào thi đua năm 2022 và phương hướng, nhiệm vụ năm 2023 "
        "của Cụm thi đua số 3"
    )
    assert snapshot["situation"] == [
        "Cụm thi đua số 3 năm 2022 gồm 3 đơn vị thành viên: Hồng Ngự, Huyện Tam Nông, Tân Hồng.",
        "Đơn vị Cụm trưởng: Tân Hồng; đơn vị Cụm phó: Hồng Ngự.",
    ]
    assert snapshot["covenant"] == [
        "Ngày 25/02/2022, các đơn vị thành viên ký kết giao ước thi đua năm 2022.",
        "Đại diện ký kết: Chủ tịch UBND huyện Tân Hồng; Chủ tịch UBND huyện Hồng Ngự.",
        "Giao ước kèm theo Bảng điểm cụm huyện (thang điểm 1.000 điểm).",
    ]
    assert snapshot["signatures"] == [
        {
            "authority": "TM. CỤM THI ĐUA SỐ 3",
            "role": "CỤM TRƯỞNG",
            "position": "Chủ tịch UBND huyện Tân Hồng",
            "name": "Nguyễn Văn B",
        }
    ]
    assert snapshot["recipients"] == [
        "Sở Nội vụ (Phòng Thi đua - Khen thưởng)",
        "Các đơn vị thành viên",
        "Lưu: VT",
    ]
    assert kind.period(annual) == "annual"


def test_the_annual_report_counts_targets_meetings_and_awards(kind, annual, alice):
    snapshot = kind.build(source(kind, annual, alice))
    rows = snapshot["targets"]["rows"]
    assert [(r["stt"], r["name"], r["assigned"], r["reached"]) for r in rows] == [
        (1, "Hồng Ngự", 1, 0),
        (2, "Huyện Tam Nông", 1, 1),
        (3, "Tân Hồng", 1, 1),
    ]
    assert [(r["percent"], r["missed"]) for r in rows] == [("0%", "1.1"), ("100%", "")] + [
        ("100%", "")
    ]
    # The annual review of January 2023 is not an activity of 2022.
    assert snapshot["meetings"] == {
        "intro": "Trong năm 2022, Cụm đã tổ chức 3 hội nghị, cuộc họp:",
        "lines": [
            "Ngày 25/02/2022, tại Hội trường UBND huyện Tân Hồng: Hội nghị ký kết giao ước "
            "thi đua.",
            "Ngày 26/07/2022, tại Hồng Ngự: Hội nghị sơ kết 6 tháng.",
            "Ngày 05/12/2022, tại Tân Hồng: Họp bình xét, suy tôn.",
        ],
    }
    # The 2021 award decided in 2022 is not a result of 2022.
    assert snapshot["commendations"]["rows"] == [
        {
            "stt": 1,
            "form": "Giấy khen",
            "issuer": "Chủ tịch UBND huyện Tân Hồng",
            "collective": 1,
            "individual": 2,
            "basis": "12/QĐ-UBND",
        },
        {
            "stt": 2,
            "form": "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "issuer": "Chủ tịch UBND tỉnh Đồng Tháp",
            "collective": 1,
            "individual": 0,
            "basis": "Quyết định số 215/QĐ-UBND ngày 20/02/2023",
        },
    ]


def test_the_annual_report_lists_models_movements_assessment_and_ranking(kind, annual, alice):
    snapshot = kind.build(source(kind, annual, alice))
    exemplary = snapshot["exemplary"]
    assert exemplary["intro"] == (
        "Trong năm 2022, các đơn vị thành viên có 2 gương điển hình, mô hình được công nhận "
        "(1 gương điển hình tiên tiến; 1 mô hình mới):"
    )
    assert exemplary["rows"] == [
        {"stt": 1, "name": "Tân Hồng", "title": "Gương A", "kind": "Gương điển hình tiên tiến",
         "date": "20/05/2022"},
        {"stt": 2, "name": "Hồng Ngự", "title": "Mô hình B", "kind": "Mô hình mới",
         "date": "01/09/2022"},
    ]  # fmt: skip
    assert exemplary["movements"] == [
        "Phong trào X (phong trào thường xuyên, phát động ngày 10/01/2022)."
    ]
    assert snapshot["assessment"] == [
        "Trong năm 2022, Cụm đã tổ chức 3 hội nghị, cuộc họp.",
        "Có 2/3 đơn vị thành viên đạt toàn bộ chỉ tiêu giao ước.",
        "Đơn vị còn chỉ tiêu chưa đạt: Hồng Ngự.",
        "Các đơn vị thành viên có 2 gương điển hình, mô hình được công nhận.",
        "Có 1 đơn vị thuộc trường hợp không xét thi đua: Huyện Tam Nông.",
    ]
    assert snapshot["ranking"] == {
        "intro": "Kết quả chấm điểm, xếp hạng năm 2022 theo điểm thống nhất của Cụm (chi tiết "
        "tại Bảng tổng hợp điểm):",
        "lines": [
            "Xếp hạng 1: Tân Hồng (950,00 điểm).",
            "Xếp hạng 2: Hồng Ngự (880,00 điểm).",
            "Đơn vị thuộc trường hợp không xét thi đua: Huyện Tam Nông.",
        ],
    }
    assert snapshot["directions"] == {
        "title": "Phương hướng, nhiệm vụ năm 2023",
        "lines": ["- Việc năm sau"],
        "leaders": "Hội nghị tổng kết ngày 13/01/2023 thống nhất đơn vị Cụm trưởng năm 2023: "
        "Hồng Ngự; đơn vị Cụm phó: Huyện Tam Nông.",
    }
    assert snapshot["proposals"] == "Không."


def test_the_six_month_report_keeps_to_the_half_year(kind, six_month, alice):
    snapshot = kind.build(source(kind, six_month, alice))
    assert snapshot["summary"] == (
        "Kết quả thực hiện phong trào thi đua 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ "
        "6 tháng cuối năm 2022 của Cụm thi đua số 3"
    )
    assert snapshot["meetings"]["lines"] == [
        "Ngày 25/02/2022, tại Hội trường UBND huyện Tân Hồng: Hội nghị ký kết giao ước thi đua."
    ]
    assert snapshot["commendations"] == {
        "intro": "Trong 6 tháng đầu năm 2022, chưa ghi nhận kết quả khen thưởng của các đơn vị "
        "thành viên.",
        "rows": [],
    }
    assert [row["title"] for row in snapshot["exemplary"]["rows"]] == ["Gương A"]
    assert snapshot["ranking"]["intro"].startswith(
        "Kết quả chấm điểm, xếp hạng tạm thời 6 tháng đầu năm 2022"
    )
    assert snapshot["ranking"]["lines"][0] == "Xếp hạng 1: Tân Hồng (200,00 điểm)."
    # The directions agreed at the six-month review; no next head in mid-year.
    assert snapshot["directions"] == {
        "title": "Phương hướng, nhiệm vụ 6 tháng cuối năm 2022",
        "lines": ["- Việc A", "- Việc B"],
        "leaders": "",
    }
    assert snapshot["targets"]["intro"] == (
        "Giao ước chưa giao chỉ tiêu định lượng cho các đơn vị thành viên."
    )
    assert kind.period(six_month) == "six_month"


def test_an_annual_ranking_not_yet_agreed_is_provisional(kind, annual, alice):
    Period.objects.filter(pk=annual.pk).update(state=Period.State.SCORING)
    snapshot = kind.build(source(kind, annual, alice))
    assert "xếp hạng tạm thời năm 2022" in snapshot["ranking"]["intro"]


def test_build_reads_a_fixed_number_of_queries(
    kind, annual, year_data, province, alice, django_assert_num_queries
):
    small = source(kind, annual, alice)
    # The period is locked: one more query looks for the ranking stored at the lock.
    with django_assert_num_queries(20):
        kind.build(small)
    add_members(year_data, province, 12, annual)
    large = source(kind, annual, alice)
    with django_assert_num_queries(20):
        snapshot = kind.build(large)
    assert len(snapshot["situation"][0].split(",")) == 15


# --- The draft page and access -----------------------------------------------------


def test_the_draft_page_shows_the_sections(client_bob, annual):
    response = client_bob.get(page_url(annual))
    assert response.status_code == 200
    html = response.content.decode()
    assert in_order(
        html,
        [
            "BÁO CÁO",
            "I. ĐẶC ĐIỂM, TÌNH HÌNH",
            "II. KẾT QUẢ THỰC HIỆN",
            "1. Ký kết giao ước thi đua",
            "2. Kết quả thực hiện các chỉ tiêu giao ước",
            "3. Hoạt động của Cụm",
            "4. Kết quả công tác khen thưởng",
            "5. Gương điển hình tiên tiến",
            "III. ĐÁNH GIÁ CHUNG",
            "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
            "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023",
            "VI. KIẾN NGHỊ, ĐỀ XUẤT",
            "Nơi nhận",
            "TM. CỤM THI ĐUA SỐ 3",
        ],
    )
    assert "950,00" in html and "Số: …/BC-CTĐ3" in html


def test_strangers_get_404_and_anonymous_users_the_login_page(client, charlie, eve, annual):
    client.force_login(charlie)
    assert client.get(page_url(annual)).status_code == 404
    client.force_login(eve)
    assert client.get(page_url(annual, "pdf")).status_code == 404
    client.logout()
    response = client.get(page_url(annual))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_period_page_links_to_the_draft(client_bob, annual):
    html = client_bob.get(reverse("clusters:period_detail", args=[annual.pk])).content.decode()
    assert page_url(annual) in html


# --- The PDF -----------------------------------------------------------------------


@pytest.mark.pdf
def test_the_pdf_is_portrait_in_section_order_with_page_numbers(client_alice, annual):
    pdf = client_alice.get(page_url(annual, "pdf")).content
    pages = [flat(text) for text in text_of(pdf)]
    assert len(pages) >= 2
    assert set(page_sizes(pdf)) == {(595, 842)}
    text = " ".join(pages)
    assert in_order(
        text,
        [
            "CỤM THI ĐUA SỐ 3",
            "Số: …/BC-CTĐ3",
            "BÁO CÁO",
            "I. ĐẶC ĐIỂM, TÌNH HÌNH",
            "Hồng Ngự, Huyện Tam Nông, Tân Hồng",
            "II. KẾT QUẢ THỰC HIỆN",
            "Quyết định số 215/",
            "III. ĐÁNH GIÁ CHUNG",
            "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
            "Xếp hạng 1: Tân Hồng (950,00 điểm)",
            "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023",
            "VI. KIẾN NGHỊ, ĐỀ XUẤT",
            "Không.",
        ],
    )
    assert "Nơi nhận" in pages[-1] and "CỤM TRƯỞNG" in pages[-1] and "Nguyễn Văn B" in pages[-1]
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"{number} ") or page.endswith(f" {number}"), number


@pytest.mark.pdf
def test_issued_with_the_next_number_of_the_cluster(annual, alice, kind):
    document = report_services.issue(kind, source(kind, annual, alice), user=alice)
    assert document.number == 1 and document.number_text == "01/BC-CTĐ3"
    assert document.snapshot["ranking"]["lines"][0] == "Xếp hạng 1: Tân Hồng (950,00 điểm)."


def test_a_term_without_covenant_says_so(kind, term3, alice, client_alice):
    period = Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    snapshot = kind.build(source(kind, period, alice))
    assert snapshot["covenant"] == ["Cụm chưa ghi nhận giao ước thi đua năm 2022."]
    assert snapshot["ranking"] == {
        "intro": "Chưa có kết quả chấm điểm, xếp hạng: Giao ước thi đua chưa có bảng điểm.",
        "lines": [],
    }
    assert client_alice.get(page_url(period)).status_code == 200
    summary = reverse("reports:document_page", args=["score_summary", period.pk])
    assert "Giao ước thi đua chưa có bảng điểm." in client_alice.get(summary).content.decode()
