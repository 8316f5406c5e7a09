"""Biên bản hội nghị sơ kết / tổng kết: the snapshot, the draft page and who sees it,
the PDF (order, pages, margins, fonts) and the Word version."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from clusters import services
from clusters.models import (
    Attendance,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
)
from clusters.tests.ballot_data import rank_term
from clusters.tests.factories import make_unit
from reports.kinds import get_kind
from reports.render import pdf_bytes

from .pdf_checks import flat, fonts_of, in_order, margins_mm, page_sizes, text_of, top_margin_text

pytestmark = pytest.mark.django_db

BUNDLED_FONTS = {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}


@pytest.fixture
def kind():
    return get_kind("review_minutes")


@pytest.fixture
def review(term3, tan_hong, hong_ngu):
    """Six-month review of cluster 3: Tân Hồng present with two delegates, Hồng Ngự absent."""
    meeting = Meeting.objects.create(
        cluster_year=term3,
        kind=Meeting.Kind.SIX_MONTH_REVIEW,
        date=datetime.date(2022, 7, 26),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 30),
        venue="Hội trường UBND huyện Tân Hồng",
        host_unit=tan_hong,
        chair_name="Nguyễn Văn An",
        chair_position="Chủ tịch UBND huyện Tân Hồng",
        secretary_name="Trần Thị Bình",
        secretary_position="Chuyên viên Phòng Nội vụ",
        guests=(
            "Ông Lê Văn Cường, Phó Giám đốc Sở Nội vụ\n\n"
            "Bà Phạm Thị Dung, Ban Thi đua - Khen thưởng"
        ),
        next_head_unit=hong_ngu,
        next_deputy_unit=tan_hong,
        next_host_unit=hong_ngu,
        approval_percent=Decimal(100),
    )
    Attendance.objects.create(
        meeting=meeting,
        unit=tan_hong,
        present=True,
        delegates="Nguyễn Văn An, Chủ tịch UBND huyện\n\nTrần Thị Bình, Chuyên viên",
    )
    Attendance.objects.create(meeting=meeting, unit=hong_ngu, present=False)
    MeetingSection.objects.create(
        meeting=meeting,
        kind=MeetingSection.Kind.REPORT,
        position=0,
        title="Báo cáo sơ kết 6 tháng đầu năm 2022",
        body="Đoạn thứ nhất của báo cáo.\n\nĐoạn thứ hai,   có ặ ờ ữ.\n- Một ý gạch đầu dòng.",
    )
    MeetingSection.objects.create(
        meeting=meeting, kind=MeetingSection.Kind.CONCLUSIONS, position=1, body="Thống nhất."
    )
    MeetingCommendation.objects.create(
        meeting=meeting,
        recipient_name="Ông Võ Văn Em",
        recipient_unit=tan_hong,
        form="Giấy khen",
        issuer="Chủ tịch UBND huyện Tân Hồng",
        decision_ref="Quyết định số 12/QĐ-UBND",
    )
    # Hồng Ngự is renamed after the meeting: the minutes keep the name of their date.
    services.unit_rename(
        unit=hong_ngu,
        new_name="Thị xã Hồng Ngự",
        effective_date=datetime.date(2023, 1, 1),
        legal_basis="Nghị quyết (thử)",
    )
    return meeting


def _page(meeting, kind="review_minutes"):
    return reverse("reports:document_page", args=[kind, meeting.pk])


# --- The snapshot --------------------------------------------------------------------


def test_the_snapshot_of_a_six_month_review(kind, review):
    doc = kind.build(review)
    assert doc["meta"] == {
        "title": "Biên bản Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
        "author": "Cụm thi đua số 3",
    }
    assert doc["header"] == {"parent": "UBND TỈNH ĐỒNG THÁP", "name": "CỤM THI ĐUA SỐ 3"}
    assert (doc["symbol"], doc["number"], doc["date"]) == ("BB-CTĐ3", None, "2022-07-26")
    assert doc["no_header_date"] is True
    assert doc["title"] == "BIÊN BẢN"
    assert doc["summary"] == "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3"
    assert doc["lines"] == {
        "start": "Thời gian bắt đầu: 08 giờ 00, ngày 26 tháng 7 năm 2022.",
        "venue": "Địa điểm: Hội trường UBND huyện Tân Hồng.",
        "guests": [
            "Ông Lê Văn Cường, Phó Giám đốc Sở Nội vụ",
            "Bà Phạm Thị Dung, Ban Thi đua - Khen thưởng",
        ],
        "chair": "Nguyễn Văn An, Chủ tịch UBND huyện Tân Hồng",
        "secretary": "Trần Thị Bình, Chuyên viên Phòng Nội vụ",
        "end": "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày.",
        "approval": "Biên bản đã được thông qua tại hội nghị, các thành viên thống nhất 100%.",
        "members": "- Các đơn vị thành viên: có mặt 1/2 đơn vị (50%):",
    }
    assert doc["attendance"]["count"] == "1/2"
    assert doc["attendance"]["quorum_reached"] is False
    assert doc["attendance"]["units"] == [
        {"name": "Hồng Ngự", "present": False, "delegates": []},
        {
            "name": "Tân Hồng",
            "present": True,
            "delegates": ["Nguyễn Văn An, Chủ tịch UBND huyện", "Trần Thị Bình, Chuyên viên"],
        },
    ]
    assert doc["attendance"]["absent"] == ["Hồng Ngự"]
    assert doc["sections"] == [
        {
            "kind": "report",
            "heading": "1. Báo cáo sơ kết 6 tháng đầu năm 2022",
            "paragraphs": [
                "Đoạn thứ nhất của báo cáo.",
                "Đoạn thứ hai, có ặ ờ ữ.",
                "- Một ý gạch đầu dòng.",
            ],
        },
        {"kind": "conclusions", "heading": "2. Kết luận", "paragraphs": ["Thống nhất."]},
    ]
    assert doc["ranking"] is None  # no six-month scores
    assert doc["succession"] == {
        "heading": "3. Cụm trưởng, Cụm phó và đơn vị đăng cai",
        "lines": [
            "Cụm trưởng năm 2023: Hồng Ngự.",
            "Cụm phó năm 2023: Tân Hồng.",
            "Đơn vị đăng cai hội nghị tiếp theo: Hồng Ngự.",
        ],
    }
    assert doc["commendations"]["heading"] == "4. Khen thưởng tại hội nghị"
    assert doc["commendations"]["rows"] == [
        {
            "recipient": "Ông Võ Văn Em",
            "unit": "Tân Hồng",
            "collective": False,
            "form": "Giấy khen",
            "issuer": "Chủ tịch UBND huyện Tân Hồng",
            "decision": "Quyết định số 12/QĐ-UBND",
            "recipient_text": "Ông Võ Văn Em (Tân Hồng)",
            "issuer_text": "Chủ tịch UBND huyện Tân Hồng (Quyết định số 12/QĐ-UBND)",
        }
    ]
    assert doc["signatures"] == [
        {"authority": "", "role": "THƯ KÝ", "position": "", "name": "Trần Thị Bình"},
        {
            "authority": "",
            "role": "CHỦ TỌA",
            "position": "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
            "name": "Nguyễn Văn An",
        },
    ]
    assert doc["recipients"] == [
        "Sở Nội vụ (Phòng Thi đua - Khen thưởng)",
        "Các đơn vị thành viên",
        "Lưu: VT, Hồ sơ",
    ]
    assert kind.period(review) == "six_month"


def test_missing_times_and_approval_leave_blanks_to_fill_in(kind, review):
    review.start_time = review.end_time = review.approval_percent = None
    review.venue = ""
    review.save()
    lines = kind.build(review)["lines"]
    assert lines["start"] == "Thời gian bắt đầu: … giờ …, ngày 26 tháng 7 năm 2022."
    assert lines["venue"] == "Địa điểm: Tân Hồng."
    assert lines["end"] == "Cuộc họp kết thúc vào … giờ … cùng ngày."
    assert lines["approval"].endswith("thống nhất …%.")


def test_an_annual_review_prints_the_ranking_of_the_annual_period(
    kind, review, term3, province, tan_hong, hong_ngu
):
    rank_term(term3, province, tan_hong, hong_ngu)
    review.kind = Meeting.Kind.ANNUAL_REVIEW
    review.date = datetime.date(2023, 1, 13)
    review.save()
    doc = kind.build(review)
    assert doc["summary"] == (
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022 Cụm thi đua số 3"
    )
    ranking = doc["ranking"]
    assert ranking["heading"] == "3. Kết quả chấm điểm, xếp hạng năm 2022"
    assert [(r["rank"], r["name"], r["total"]) for r in ranking["rows"]] == [
        (1, "Tân Hồng", "100,00"),
        (2, "Thị xã Hồng Ngự", "95,00"),  # renamed on 1/1/2023, before this meeting
        (3, "Thanh Bình", "90,00"),
        (4, "Tam Nông", "100,00"),
    ]
    assert ranking["veto_line"] == ("Đơn vị vi phạm tiêu chí không xét khen thưởng: Tam Nông.")
    assert doc["succession"]["heading"].startswith("4. ")
    assert kind.period(review) == "annual"


def test_build_reads_a_constant_number_of_queries(
    kind, review, term3, province, tan_hong, hong_ngu, django_assert_num_queries
):
    with django_assert_num_queries(10):  # no scoring period: no ranking
        kind.build(review)
    rank_term(term3, province, tan_hong, hong_ngu)
    review.kind = Meeting.Kind.ANNUAL_REVIEW
    review.save()
    with django_assert_num_queries(16):  # the ranking's own reads (clusters.ranking)
        kind.build(review)
    for n in range(6):
        unit = make_unit(province, name=f"Xã {n}")
        Membership.objects.create(cluster_year=term3, unit=unit)
        Attendance.objects.create(meeting=review, unit=unit, delegates=f"Đại biểu {n}")
        MeetingSection.objects.create(meeting=review, kind="other", position=5 + n, body="x")
        MeetingCommendation.objects.create(
            meeting=review, recipient_name=f"Cá nhân {n}", recipient_unit=unit, form="Giấy khen",
            issuer="Chủ tịch UBND huyện",
        )  # fmt: skip
    with django_assert_num_queries(16):
        doc = kind.build(review)
    assert len(doc["attendance"]["units"]) == 10
    assert len(doc["ranking"]["rows"]) == 10
    assert len(doc["commendations"]["rows"]) == 7


# --- The draft page --------------------------------------------------------------------


def test_the_draft_page_for_the_cluster(client_bob, review):
    page = client_bob.get(_page(review)).content.decode()
    for text in (
        "BIÊN BẢN",
        "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
        "Số: …/BB-CTĐ3",
        "Thời gian bắt đầu: 08 giờ 00, ngày 26 tháng 7 năm 2022.",
        "có mặt 1/2 đơn vị (50%)",
        "+ Tân Hồng: Nguyễn Văn An, Chủ tịch UBND huyện; Trần Thị Bình, Chuyên viên",
        "- Vắng mặt: Hồng Ngự.",
        "Chủ trì (chủ tọa): Nguyễn Văn An, Chủ tịch UBND huyện Tân Hồng.",
        "1. Báo cáo sơ kết 6 tháng đầu năm 2022",
        "Ông Võ Văn Em (Tân Hồng)",
        "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày.",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Nơi nhận:",
        reverse("reports:document_docx", args=["review_minutes", review.pk]),
    ):
        assert text in page, text
    assert "Tân Hồng, ngày" not in page  # minutes have no place and date line


@pytest.mark.parametrize("user, status", [("alice", 200), ("leo", 200), ("dave", 200),
                                          ("charlie", 404), ("eve", 404)])  # fmt: skip
def test_who_sees_the_draft(request, client, review, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(_page(review)).status_code == status


def test_anonymous_is_sent_to_the_login_page(client, review):
    response = client.get(_page(review))
    assert response.status_code == 302
    assert "login" in response.url


def test_other_meetings_and_bad_keys_are_not_found(client_bob, review):
    review.kind = Meeting.Kind.COVENANT_SIGNING
    review.save()
    assert client_bob.get(_page(review)).status_code == 404
    assert (
        client_bob.get(reverse("reports:document_page", args=["review_minutes", "x1"])).status_code
        == 404
    )
    assert (
        client_bob.get(reverse("reports:document_page", args=["review_minutes", 9999])).status_code
        == 404
    )


def test_the_meeting_page_links_to_its_minutes(client_bob, review):
    page = client_bob.get(reverse("clusters:meeting_detail", args=[review.pk])).content.decode()
    assert f'href="{_page(review)}"' in page
    assert 'id="minutes-link"' in page


# --- The PDF ---------------------------------------------------------------------------


def _long_review(review, sections=8, commendations=0):
    body = " ".join(["Các phong trào thi đua bám sát nhiệm vụ chính trị của địa phương."] * 12)
    for n in range(sections):
        MeetingSection.objects.create(
            meeting=review, kind="discussion", position=10 + n, title=f"Ý kiến thứ {n + 1}",
            body=f"{body}\n\n{body}",
        )  # fmt: skip
    for n in range(commendations):
        MeetingCommendation.objects.create(
            meeting=review, recipient_name=f"Cá nhân số {n + 1}", form="Giấy khen",
            issuer="Chủ tịch UBND huyện Tân Hồng",
        )  # fmt: skip


@pytest.mark.pdf
def test_the_pdf_prints_the_minutes_in_order(client_bob, review):
    response = client_bob.get(reverse("reports:document_pdf", args=["review_minutes", review.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = flat(" ".join(text_of(response.content)))
    assert in_order(
        text,
        [
            "Số: …/BB-CTĐ3",
            "BIÊN BẢN",
            "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
            "Thời gian bắt đầu: 08 giờ 00, ngày 26 tháng 7 năm 2022.",
            "Địa điểm: Hội trường UBND huyện Tân Hồng",
            "Thành phần tham dự:",
            "Ông Lê Văn Cường, Phó Giám đốc Sở Nội vụ",
            "có mặt 1/2 đơn vị (50%)",
            "Chủ trì (chủ tọa): Nguyễn Văn An",
            "Thư ký (người ghi biên bản): Trần Thị Bình",
            "1. Báo cáo sơ kết 6 tháng đầu năm 2022",
            "Đoạn thứ hai, có ặ ờ ữ.",
            "2. Kết luận",
            "3. Cụm trưởng, Cụm phó và đơn vị đăng cai",
            "Cụm trưởng năm 2023: Hồng Ngự.",
            "4. Khen thưởng tại hội nghị",
            "Ông Võ Văn Em (Tân Hồng)",
            "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày.",
            "Biên bản đã được thông qua tại hội nghị, các thành viên thống nhất 100%.",
            "THƯ KÝ",
            "CHỦ TỌA",
            "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
            "Nơi nhận:",
            "- Lưu: VT, Hồ sơ.",
        ],
    )
    assert "Tân Hồng, ngày" not in text
    assert fonts_of(response.content) <= BUNDLED_FONTS


@pytest.mark.pdf
def test_pages_margins_and_page_numbers(kind, review):
    _long_review(review)
    pdf = pdf_bytes(kind, kind.build(review))
    sizes = page_sizes(pdf)
    assert len(sizes) >= 3
    assert set(sizes) == {(595, 842)}
    assert top_margin_text(pdf, 0) == ""
    for page in range(1, len(sizes)):
        assert top_margin_text(pdf, page) == str(page + 1)
    margins = [margins_mm(pdf, page) for page in range(len(sizes))]
    for page, (top, right, bottom, left) in enumerate(margins):
        assert 20 <= top <= 25, (page, top)
        assert bottom >= 20, (page, bottom)  # a page may end early (a heading keeps with its text)
        assert 30 <= left <= 35, (page, left)
        assert right >= 15, (page, right)
    # Justified lines reach the right margin on pages of running text.
    assert min(right for _top, right, _bottom, _left in margins) <= 20
    # Running text fills a page down to the bottom margin.
    assert any(bottom <= 25 for _top, _right, bottom, _left in margins[:-1])


@pytest.mark.pdf
def test_a_long_table_repeats_its_header_and_never_splits_a_row(kind, review):
    _long_review(review, sections=2, commendations=70)
    pdf = pdf_bytes(kind, kind.build(review))
    pages = [flat(text) for text in text_of(pdf)]
    with_table = [page for page in pages if "Cá nhân số" in page]
    assert len(with_table) >= 2
    assert all("Tập thể, cá nhân Hình thức khen thưởng" in page for page in with_table)
    for n in range(1, 71):
        row = f"{n + 1} Cá nhân số {n} Giấy khen Chủ tịch UBND huyện Tân Hồng"
        assert sum(row in page for page in pages) == 1, row


# --- Word --------------------------------------------------------------------------------


def test_the_word_version(client_bob, review):
    response = client_bob.get(reverse("reports:document_docx", args=["review_minutes", review.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    doc = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert in_order(
        "\n".join(texts),
        [
            "BIÊN BẢN",
            "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
            "Thời gian bắt đầu: 08 giờ 00, ngày 26 tháng 7 năm 2022.",
            "- Các đơn vị thành viên: có mặt 1/2 đơn vị (50%):",
            "+ Tân Hồng: Nguyễn Văn An, Chủ tịch UBND huyện; Trần Thị Bình, Chuyên viên",
            "- Vắng mặt: Hồng Ngự.",
            "1. Báo cáo sơ kết 6 tháng đầu năm 2022",
            "Đoạn thứ nhất của báo cáo.",
            "2. Kết luận",
            "Cụm trưởng năm 2023: Hồng Ngự.",
            "4. Khen thưởng tại hội nghị",
            "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày.",
            "Biên bản đã được thông qua tại hội nghị, các thành viên thống nhất 100%.",
            "Nơi nhận:",
        ],
    )
    header, commendations, signatures = doc.tables
    assert [c.text for c in commendations.rows[0].cells] == [
        "STT", "Tập thể, cá nhân", "Hình thức khen thưởng", "Cấp khen thưởng",
    ]  # fmt: skip
    assert commendations.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in commendations.rows[1].cells][1] == "Ông Võ Văn Em (Tân Hồng)"
    assert [p.text for p in signatures.rows[0].cells[0].paragraphs if p.text] == [
        "THƯ KÝ", "Trần Thị Bình",
    ]  # fmt: skip
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert not any(
        "ngày 26 tháng 7 năm 2022" in p.text for c in header._cells for p in c.paragraphs
    )
