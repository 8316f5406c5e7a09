"""Biên bản họp bình xét, suy tôn: quorum line, the annual ranking, veto checks, tally
committee, ballot principle and results, the draft page, the PDF and the Word version."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from clusters import ballot_services
from clusters.models import Attendance, AwardForm, Meeting, Membership
from clusters.tests.ballot_data import award_form, deliberation, open_ballot, rank_term, tally
from clusters.tests.factories import make_unit
from reports.kinds import get_kind

from .pdf_checks import flat, fonts_of, in_order, page_sizes, text_of, top_margin_text

pytestmark = pytest.mark.django_db

Level = AwardForm.Level
FLAG = "Cờ thi đua của Ủy ban nhân dân tỉnh"
MERIT = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
STRICT_HALF = "đơn vị trúng cử phải đạt số phiếu đồng ý trên 50% tổng số đơn vị thành viên của Cụm."


@pytest.fixture
def kind():
    return get_kind("deliberation_minutes")


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def meeting(term3, units):
    meeting = deliberation(term3, list(units.values()))
    Meeting.objects.filter(pk=meeting.pk).update(
        start_time=datetime.time(8, 0),
        end_time=datetime.time(10, 45),
        venue="Hội trường UBND huyện Tân Hồng",
        chair_name="Nguyễn Văn An",
        chair_position="Chủ tịch UBND huyện Tân Hồng",
        secretary_name="Trần Thị Bình",
        next_head_unit=units["hong_ngu"],
        next_deputy_unit=units["thanh_binh"],
        approval_percent=Decimal(100),
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def ballots(meeting, units):
    flag = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    tally(flag, [4])
    merit = open_ballot(
        meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
    )
    tally(merit, [4, 2])
    return flag, merit


def _page(meeting):
    return reverse("reports:document_page", args=["deliberation_minutes", meeting.pk])


def test_the_snapshot(kind, meeting, ballots):
    doc = kind.build(meeting)
    assert doc["summary"] == "Họp bình xét, suy tôn thi đua năm 2022 Cụm thi đua số 3"
    assert (
        doc["meta"]["title"] == "Biên bản Họp bình xét, suy tôn thi đua năm 2022 Cụm thi đua số 3"
    )
    assert (doc["title"], doc["symbol"], doc["date"]) == ("BIÊN BẢN", "BB-CTĐ3", "2022-12-05")
    assert doc["no_header_date"] is True
    assert doc["lines"]["start"] == "Thời gian bắt đầu: 08 giờ 00, ngày 05 tháng 12 năm 2022."
    assert doc["lines"]["members"] == (
        "- Các đơn vị thành viên: có mặt 4/4 đơn vị thành viên, đủ điều kiện theo Quy chế:"
    )
    assert [(r["rank"], r["name"], r["total"]) for r in doc["ranking"]] == [
        (1, "Tân Hồng", "100,00"),
        (2, "Hồng Ngự", "95,00"),
        (3, "Thanh Bình", "90,00"),
        (4, "Tam Nông", "100,00"),
    ]
    assert doc["ranking_intro"].startswith(
        "Hội nghị thống nhất kết quả chấm điểm, xếp hạng năm 2022"
    )
    assert doc["vetoes"] == ["- Tam Nông: vi phạm tiêu chí V1 Tiêu chí V1, không xét khen thưởng."]
    assert doc["committee"] == [
        "Hội nghị thống nhất bầu Ban kiểm phiếu gồm 3 thành viên:",
        "- Nguyễn Văn A, trưởng ban",
        "- Trần Thị B",
        "- Lê Văn C",
    ]
    assert doc["principles"] == [
        "Hình thức bỏ phiếu: bỏ phiếu kín.",
        f"- {FLAG}: bầu tối đa 1 đơn vị; {STRICT_HALF}",
        f"- {MERIT}: bầu tối đa 2 đơn vị; {STRICT_HALF}",
    ]
    flag, merit = doc["ballots"]
    assert flag["heading"] == FLAG
    assert flag["counts"] == "Số phiếu phát ra: 4; thu vào: 4; hợp lệ: 4; không hợp lệ: 0."
    assert [(r["name"], r["votes"], r["percent_members"], r["result"]) for r in flag["rows"]] == [
        ("Tân Hồng", "4", "100%", "Trúng cử")
    ]
    assert flag["lines"] == ["Đơn vị trúng cử: Tân Hồng (4/4 phiếu, 100%)."]
    assert [(r["name"], r["votes"], r["percent_members"], r["result"]) for r in merit["rows"]] == [
        ("Hồng Ngự", "4", "100%", "Trúng cử"),
        ("Thanh Bình", "2", "50%", "Không đạt"),  # 50 % is not more than half
    ]
    assert merit["lines"] == [
        "Đơn vị trúng cử: Hồng Ngự (4/4 phiếu, 100%).",
        "Số đơn vị đạt ngưỡng ít hơn chỉ tiêu 2 đơn vị; các vị trí còn lại để trống.",
    ]
    assert doc["succession"] == ["Cụm trưởng năm 2023: Hồng Ngự.", "Cụm phó năm 2023: Thanh Bình."]
    assert doc["lines"]["closing_heading"] == "7. Kết thúc"
    assert doc["lines"]["end"] == "Cuộc họp kết thúc vào 10 giờ 45 cùng ngày."
    assert [(s["role"], s["position"], s["name"]) for s in doc["signatures"]] == [
        ("THƯ KÝ", "", "Trần Thị Bình"),
        ("CHỦ TRÌ", "CHỦ TỊCH UBND HUYỆN TÂN HỒNG", "Nguyễn Văn An"),
    ]
    assert kind.period(meeting) == "annual"


def test_a_meeting_below_its_quorum_says_so(kind, meeting, units):
    Attendance.objects.filter(
        meeting=meeting, unit__in=[units["tam_nong"], units["thanh_binh"]]
    ).update(present=False)
    doc = kind.build(meeting)
    assert doc["lines"]["members"] == (
        "- Các đơn vị thành viên: có mặt 2/4 đơn vị thành viên, không đủ điều kiện theo Quy chế:"
    )
    assert doc["attendance"]["absent"] == ["Tam Nông", "Thanh Bình"]


def test_without_ballots_nor_scores(kind, term3, tan_hong, hong_ngu):
    meeting = deliberation(term3, [tan_hong, hong_ngu])
    doc = kind.build(meeting)
    assert doc["ranking"] == []
    assert doc["ranking_intro"] == "Chưa có kết quả chấm điểm thống nhất năm 2022."
    assert doc["vetoes"] == ["Không có đơn vị nào vi phạm tiêu chí không xét khen thưởng."]
    assert doc["committee"] == ["Chưa ghi nhận thành phần Ban kiểm phiếu."]
    assert doc["principles"] == ["Hội nghị chưa tiến hành bỏ phiếu."]
    assert doc["ballots"] == []
    assert doc["succession"] == ["Cuộc họp không bầu Cụm trưởng, Cụm phó năm sau."]


def test_rounds_of_a_re_vote_are_numbered(kind, meeting, units):
    first = open_ballot(
        meeting,
        Level.PROVINCIAL_FLAG,
        [units["tan_hong"], units["hong_ngu"]],
        threshold=Decimal(25),
    )
    tally(first, [2, 2])
    second = ballot_services.ballot_revote(ballot=first)
    tally(second, [3, 1])
    rounds = kind.build(meeting)["ballots"]
    assert [r["heading"] for r in rounds] == [f"{FLAG} (vòng 1)", f"{FLAG} (vòng 2)"]
    assert [r["result"] for r in rounds[0]["rows"]] == ["Bỏ phiếu lại", "Bỏ phiếu lại"]
    assert rounds[0]["lines"][1] == (
        "Các đơn vị Tân Hồng, Hồng Ngự có số phiếu bằng nhau ở vị trí cuối của chỉ tiêu: "
        "hội nghị bỏ phiếu lại (vòng 2) cho 1 vị trí còn lại."
    )
    assert [r["result"] for r in rounds[1]["rows"]] == ["Trúng cử", "Không đạt"]


def test_build_reads_a_constant_number_of_queries(
    kind, meeting, ballots, term3, province, django_assert_num_queries
):
    with django_assert_num_queries(16):
        kind.build(meeting)
    for n in range(5):
        unit = make_unit(province, name=f"Xã {n}")
        Membership.objects.create(cluster_year=term3, unit=unit)
        Attendance.objects.create(meeting=meeting, unit=unit, delegates=f"Đại biểu {n}")
    other = ballot_services.ballot_create(
        meeting=meeting, award_form=award_form(Level.GOVERNMENT_FLAG), quota=1,
        threshold_percent=Decimal(50), members_total=9, present=9,
        candidates=[m.unit for m in Membership.objects.filter(cluster_year=term3)[:4]],
    )  # fmt: skip
    assert other.candidates.count() == 4
    with django_assert_num_queries(16):
        doc = kind.build(meeting)
    assert len(doc["ballots"]) == 3
    assert len(doc["ranking"]) == 9


def test_the_draft_page_and_who_sees_it(client, meeting, ballots, bob, charlie, leo):
    client.force_login(bob)
    page = client.get(_page(meeting)).content.decode()
    for text in (
        "Họp bình xét, suy tôn thi đua năm 2022 Cụm thi đua số 3",
        "có mặt 4/4 đơn vị thành viên, đủ điều kiện theo Quy chế",
        "1. Kết quả chấm điểm, xếp hạng",
        '<td class="num">95,00</td>',
        "2. Kiểm tra tiêu chí không xét khen thưởng",
        "3. Bầu Ban kiểm phiếu",
        "4. Nguyên tắc bỏ phiếu",
        "5. Kết quả bỏ phiếu",
        "Trúng cử",
        "6. Cụm trưởng, Cụm phó năm sau",
        "7. Kết thúc",
        "CHỦ TRÌ",
    ):
        assert text in page, text
    client.force_login(leo)
    assert client.get(_page(meeting)).status_code == 200
    client.force_login(charlie)
    assert client.get(_page(meeting)).status_code == 404
    client.logout()
    response = client.get(_page(meeting))
    assert response.status_code == 302 and "login" in response.url


def test_only_deliberation_meetings_have_these_minutes(client_bob, meeting):
    meeting.kind = Meeting.Kind.ANNUAL_REVIEW
    meeting.save()
    assert client_bob.get(_page(meeting)).status_code == 404
    page = client_bob.get(reverse("clusters:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("reports:document_page", args=["review_minutes", meeting.pk]) in page


def test_the_meeting_page_links_to_its_minutes(client_bob, meeting):
    page = client_bob.get(reverse("clusters:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{_page(meeting)}"' in page


@pytest.mark.pdf
def test_the_pdf_in_order(client_bob, meeting, ballots):
    response = client_bob.get(
        reverse("reports:document_pdf", args=["deliberation_minutes", meeting.pk])
    )
    pdf = response.content
    pages = text_of(pdf)
    assert set(page_sizes(pdf)) == {(595, 842)}
    for page in range(1, len(pages)):
        assert top_margin_text(pdf, page) == str(page + 1)
    assert in_order(
        flat(" ".join(pages)),
        [
            "Số: …/BB-CTĐ3",
            "BIÊN BẢN",
            "Họp bình xét, suy tôn thi đua năm 2022 Cụm thi đua số 3",
            "Thời gian bắt đầu: 08 giờ 00, ngày 05 tháng 12 năm 2022.",
            "có mặt 4/4 đơn vị thành viên, đủ điều kiện theo Quy chế",
            "Chủ trì (chủ tọa): Nguyễn Văn An",
            "1. Kết quả chấm điểm, xếp hạng",
            "STT Đơn vị Tổng điểm Xếp hạng",
            "1 Tân Hồng 100,00 1",
            "2 Hồng Ngự 95,00 2",
            "4 Tam Nông 100,00 4",
            "2. Kiểm tra tiêu chí không xét khen thưởng",
            "Tam Nông: vi phạm tiêu chí V1",
            "3. Bầu Ban kiểm phiếu",
            "Nguyễn Văn A, trưởng ban",
            "4. Nguyên tắc bỏ phiếu",
            "bỏ phiếu kín",
            "5. Kết quả bỏ phiếu",
            FLAG,
            "1 Tân Hồng 4 100% Trúng cử",
            MERIT,
            "2 Thanh Bình 2 50% Không đạt",
            "6. Cụm trưởng, Cụm phó năm sau",
            "Cụm trưởng năm 2023: Hồng Ngự.",
            "7. Kết thúc",
            "Cuộc họp kết thúc vào 10 giờ 45 cùng ngày.",
            "Biên bản đã được thông qua tại hội nghị, các thành viên thống nhất 100%.",
            "THƯ KÝ",
            "CHỦ TRÌ",
            "Nơi nhận:",
        ],
    )
    assert fonts_of(pdf) <= {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}


def test_the_word_version(client_bob, meeting, ballots):
    response = client_bob.get(
        reverse("reports:document_docx", args=["deliberation_minutes", meeting.pk])
    )
    doc = docx.Document(io.BytesIO(response.content))
    texts = "\n".join(p.text for p in doc.paragraphs if p.text.strip())
    assert in_order(
        texts,
        [
            "BIÊN BẢN",
            "có mặt 4/4 đơn vị thành viên, đủ điều kiện theo Quy chế",
            "1. Kết quả chấm điểm, xếp hạng",
            "2. Kiểm tra tiêu chí không xét khen thưởng",
            "3. Bầu Ban kiểm phiếu",
            "4. Nguyên tắc bỏ phiếu",
            "5. Kết quả bỏ phiếu",
            FLAG,
            MERIT,
            "6. Cụm trưởng, Cụm phó năm sau",
            "7. Kết thúc",
            "Cuộc họp kết thúc vào 10 giờ 45 cùng ngày.",
            "Nơi nhận:",
        ],
    )
    header, ranking, flag, merit, signatures = doc.tables
    assert [c.text for c in ranking.rows[0].cells] == ["STT", "Đơn vị", "Tổng điểm", "Xếp hạng"]
    assert [c.text for c in ranking.rows[2].cells] == ["2", "Hồng Ngự", "95,00", "2"]
    assert all(
        t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in (ranking, flag, merit)
    )
    assert [c.text for c in merit.rows[2].cells] == ["2", "Thanh Bình", "2", "50%", "Không đạt"]
    assert [p.text for p in signatures.rows[0].cells[1].paragraphs if p.text] == [
        "CHỦ TRÌ", "CHỦ TỊCH UBND HUYỆN TÂN HỒNG", "Nguyễn Văn An",
    ]  # fmt: skip
    assert round(doc.sections[0].top_margin.mm) == 20
