"""Tờ trình đề nghị khen thưởng: the snapshot, the HTML page and who sees it, the PDF, the
Word file, issuing, and the query count of build()."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters import services
from clusters.models import (
    Ballot,
    Cluster,
    Meeting,
    Membership,
    Movement,
    Proposal,
    RoleAssignment,
)
from clusters.tests.ballot_data import deliberation
from clusters.tests.decision_factories import FLAG, MERIT, award_form, make_proposal
from clusters.tests.factories import make_unit, make_user
from reports import layout
from reports.builders import proposal_letter
from reports.kinds import get_kind
from reports.models import Document

from .pdf_checks import flat, fonts_of, in_order, margins_mm, page_sizes, text_of

Role = RoleAssignment.Role
D = datetime.date


@pytest.fixture
def kind():
    return get_kind("proposal_letter")


@pytest.fixture
def letter_data(term3, tan_hong, hong_ngu):
    """Cụm 3 of 2022: Tân Hồng proposed for the flag, Hồng Ngự for the certificate, chosen
    at the deliberation of 01/12/2022 and sent on 05/12/2022. Hồng Ngự is renamed a town
    from 2023."""
    term3.signer_name = "Nguyễn Văn Bình"
    term3.signer_position = "Chủ tịch UBND huyện Tân Hồng"
    term3.save()
    Meeting.objects.create(
        cluster_year=term3, kind=Meeting.Kind.COVENANT_SIGNING, date=D(2022, 2, 25)
    )
    Meeting.objects.create(
        cluster_year=term3, kind=Meeting.Kind.SIX_MONTH_REVIEW, date=D(2022, 7, 26)
    )
    # Held after the letter: not in its account of the year.
    Meeting.objects.create(cluster_year=term3, kind=Meeting.Kind.ANNUAL_REVIEW, date=D(2023, 1, 13))
    meeting = deliberation(term3, [tan_hong, hong_ngu], day=D(2022, 12, 1))
    Ballot.objects.create(
        meeting=meeting,
        award_form=award_form(FLAG),
        quota=1,
        threshold_percent=Decimal(50),
        members_total=2,
        present=2,
        valid=2,
    )
    movement = Movement.objects.create(
        province=term3.cluster.province,
        name="Phong trào thi đua “Đồng thuận cao”",
        kind=Movement.Kind.REGULAR,
        start=D(2022, 1, 1),
        end=D(2022, 12, 31),
    )
    movement.clusters.add(term3.cluster)
    services.unit_rename(
        unit=hong_ngu,
        new_name="Thị xã Hồng Ngự",
        effective_date=D(2023, 1, 1),
        legal_basis="Nghị quyết (thử)",
    )
    return make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)], submitted_on=D(2022, 12, 5))


@pytest.fixture
def proposal(letter_data):
    return Proposal.objects.select_related("cluster_year__cluster__province").get(pk=letter_data.pk)


# --- Pure rules --------------------------------------------------------------------


def test_the_summary_names_the_forms_proposed_in_short():
    flag = "Cờ thi đua của Ủy ban nhân dân tỉnh"
    merit = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    assert proposal_letter.summary_line([flag, merit], 2022) == (
        "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh và Bằng khen của Chủ tịch UBND tỉnh năm 2022"
    )
    assert proposal_letter.summary_line([merit, merit], 2023) == (
        "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2023"
    )
    assert proposal_letter.summary_line(["A", "B", "C"], 2024) == (
        "Về việc đề nghị tặng A, B và C năm 2024"
    )
    assert proposal_letter.summary_line([], 2024) == "Về việc đề nghị khen thưởng năm 2024"


def test_unit_lines_leave_out_what_is_unknown():
    assert proposal_letter.unit_line("Tân Hồng", "990,00", "1/9", "88,89%") == (
        "Tân Hồng: 990,00 điểm, xếp hạng 1/9, đạt 88,89% phiếu bầu."
    )
    assert proposal_letter.unit_line("Tân Hồng", "", "", "") == "Tân Hồng."
    assert proposal_letter.vote_text(Decimal("75.00")) == "75%"
    assert proposal_letter.vote_text(None) == ""


def test_listed_lines_end_with_a_full_stop():
    assert proposal_letter.listed(["a", "b"]) == ["- a;", "- b."]


# --- The snapshot ------------------------------------------------------------------


def test_snapshot(kind, proposal):
    snapshot = kind.build(proposal)
    assert snapshot["header"] == {"parent": "UBND TỈNH ĐỒNG THÁP", "name": "CỤM THI ĐUA SỐ 3"}
    assert snapshot["symbol"] == "TTr-CTĐ3"
    assert snapshot["number"] is None
    assert snapshot["place"] == "Tân Hồng"
    assert snapshot["date"] == "2022-12-05"
    assert snapshot["title"] == "TỜ TRÌNH"
    assert snapshot["summary"] == (
        "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh và Bằng khen của Chủ tịch UBND tỉnh năm 2022"
    )
    assert snapshot["kinh_gui"] == "Chủ tịch UBND tỉnh Đồng Tháp (qua Sở Nội vụ)"
    assert snapshot["bases"] == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một "
        "số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm "
        "2013;",
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi "
        "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Quy chế tổ chức và hoạt động của Cụm thi đua số 3;",
        "Căn cứ Biên bản họp bình xét, suy tôn ngày 01 tháng 12 năm 2022 của Cụm thi đua số 3.",
    ]
    movement, result, proposed, dossier = snapshot["sections"]
    assert movement == {
        "heading": "I. Kết quả thực hiện phong trào thi đua",
        "paragraphs": [
            "Năm 2022, Cụm thi đua số 3 gồm 02 đơn vị thành viên; các đơn vị đã ký kết giao ước "
            "thi đua ngày 25/02/2022, tổ chức hội nghị sơ kết 6 tháng ngày 26/07/2022; hưởng "
            "ứng và thực hiện Phong trào thi đua “Đồng thuận cao”."
        ],
    }
    assert result["paragraphs"] == [
        "Tại cuộc họp bình xét, suy tôn ngày 01/12/2022 (02/02 đơn vị thành viên tham dự), "
        "Cụm thi đua số 3 đã thống nhất kết quả chấm điểm, xếp hạng các đơn vị thành viên năm "
        "2022 và bỏ phiếu kín suy tôn các tập thể đề nghị khen thưởng; kết quả như sau:"
    ]
    # Names as on the letter's date: Hồng Ngự became a town only in 2023.
    assert proposed == {
        "heading": "III. Đề nghị khen thưởng",
        "paragraphs": [
            "1. Đề nghị Chủ tịch UBND tỉnh tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho 01 tập "
            "thể:",
            "- Tân Hồng: 990,00 điểm, xếp hạng 1/2, đạt 75% phiếu bầu.",
            "2. Đề nghị Chủ tịch UBND tỉnh tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho "
            "01 tập thể:",
            "- Hồng Ngự: 980,00 điểm, xếp hạng 2/2, đạt 75% phiếu bầu.",
        ],
    }
    assert dossier["paragraphs"] == [
        "- Danh sách đề nghị khen thưởng (kèm theo Tờ trình này);",
        "- Biên bản họp bình xét, suy tôn ngày 01/12/2022;",
        "- Biên bản kiểm phiếu;",
        "- Bảng tổng hợp điểm năm 2022;",
        "- Báo cáo thành tích của 02 tập thể được đề nghị khen thưởng.",
    ]
    assert snapshot["closing"] == (
        "Cụm thi đua số 3 kính trình Chủ tịch UBND tỉnh Đồng Tháp xem xét, quyết định./."
    )
    assert snapshot["signatures"] == [
        {
            "authority": "TM. CỤM THI ĐUA SỐ 3",
            "role": "CỤM TRƯỞNG",
            "position": "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
            "name": "Nguyễn Văn Bình",
        }
    ]
    assert snapshot["recipients"] == ["Như trên", "Sở Nội vụ (Phòng TĐKT)", "Lưu: VT, Hồ sơ"]
    assert snapshot["annex"]["title"] == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert snapshot["annex"]["rows"] == [
        {
            "number": 1,
            "name": "Tân Hồng",
            "form": "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "score": "990,00",
            "rank": "1/2",
            "summary": "Đã có thành tích xuất sắc, dẫn đầu phong trào thi đua Cụm thi đua số 3 "
            "năm 2022",
            "note": "Đạt 75% phiếu bầu",
        },
        {
            "number": 2,
            "name": "Hồng Ngự",
            "form": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "score": "980,00",
            "rank": "2/2",
            "summary": "Đã có thành tích xuất sắc trong phong trào thi đua Cụm thi đua số 3 năm "
            "2022",
            "note": "Đạt 75% phiếu bầu",
        },
    ]
    assert proposal_letter.annex_note(snapshot) == (
        "(Kèm theo Tờ trình số …/TTr-CTĐ3 ngày 05 tháng 12 năm 2022 của Cụm thi đua số 3)"
    )


def test_a_draft_proposal_is_dated_when_issued_and_cites_todays_law(kind, term3, tan_hong):
    proposal = make_proposal(term3, [(tan_hong, FLAG)], state=Proposal.State.DRAFT)
    snapshot = kind.build(proposal)
    assert snapshot["date"] is None
    # Built today: the law in force today, whatever the year of the term.
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15" in snapshot["bases"][0]
    assert snapshot["summary"] == "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh năm 2022"
    # Without a deliberation, the letter rests on the ranking alone.
    assert snapshot["sections"][1]["paragraphs"] == [
        "Căn cứ kết quả chấm điểm, xếp hạng các đơn vị thành viên năm 2022, Cụm thi đua số 3 "
        "thống nhất đề nghị khen thưởng các tập thể sau."
    ]
    assert len(snapshot["bases"]) == 3
    assert proposal_letter.annex_note(snapshot).startswith(
        "(Kèm theo Tờ trình số …/TTr-CTĐ3 ngày … tháng … năm …"
    )


def test_a_2025_letter_cites_law_06_2022_and_decree_152(kind, province, tan_hong):
    from clusters.tests.factories import make_cluster, make_cluster_year

    cluster = make_cluster(
        province, kind=Cluster.Kind.BLOC, number=2, name="Khối thi đua Tổng hợp", symbol="KTĐTH"
    )
    term = make_cluster_year(cluster, 2025, members=[tan_hong], head_unit=tan_hong)
    proposal = make_proposal(term, [(tan_hong, FLAG)], submitted_on=D(2025, 12, 5))
    snapshot = kind.build(proposal)
    assert snapshot["symbol"] == "TTr-KTĐTH"
    assert snapshot["bases"][:2] == [
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
        "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng "
        "dẫn thi hành một số điều của Luật Thi đua, khen thưởng;",
    ]
    assert snapshot["signatures"][0]["authority"] == "TM. KHỐI THI ĐUA TỔNG HỢP"
    assert snapshot["signatures"][0]["role"] == "KHỐI TRƯỞNG"


def test_build_uses_the_same_queries_for_2_or_12_items(kind, province, term3, tan_hong):
    from clusters.tests.factories import make_cluster, make_cluster_year

    def queries(units):
        cluster = make_cluster(province)
        term = make_cluster_year(cluster, 2022, members=units, head_unit=units[0])
        deliberation(term, units)
        proposal = make_proposal(term, [(unit, MERIT) for unit in units])
        proposal = Proposal.objects.select_related("cluster_year__cluster__province").get(
            pk=proposal.pk
        )
        with CaptureQueriesContext(connection) as captured:
            snapshot = kind.build(proposal)
        assert len(snapshot["annex"]["rows"]) == len(units)
        return len(captured)

    few = queries([make_unit(province) for _ in range(2)])
    many = queries([make_unit(province) for _ in range(12)])
    assert few == many == 8


def test_build_query_count_is_pinned(kind, proposal, django_assert_num_queries):
    # Term, head unit's names, items, their units' names, members, meetings, ballot, movements.
    with django_assert_num_queries(8):
        kind.build(proposal)


# --- The pages ---------------------------------------------------------------------


def _page(proposal):
    return reverse("reports:document_page", args=["proposal_letter", proposal.pk])


def test_the_secretary_sees_the_letter(client, bob, proposal):
    client.force_login(bob)
    response = client.get(_page(proposal))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "TỜ TRÌNH",
        "Số: …/TTr-CTĐ3",
        "Tân Hồng, ngày 05 tháng 12 năm 2022",
        "Kính gửi: Chủ tịch UBND tỉnh Đồng Tháp (qua Sở Nội vụ)",
        "Tân Hồng: 990,00 điểm, xếp hạng 1/2, đạt 75% phiếu bầu.",
        "TM. CỤM THI ĐUA SỐ 3",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "(Kèm theo Tờ trình số …/TTr-CTĐ3 ngày 05 tháng 12 năm 2022 của Cụm thi đua số 3)",
        "DỰ THẢO",
    ):
        assert text in html, text
    # A secretary prepares the letter; the head issues it.
    assert reverse("reports:document_issue", args=["proposal_letter", proposal.pk]) not in html
    assert reverse("reports:document_docx", args=["proposal_letter", proposal.pk]) in html


def test_a_member_officer_reads_it_too(client, dave, proposal):
    client.force_login(dave)
    assert client.get(_page(proposal)).status_code == 200


def test_a_stranger_gets_404(client, charlie, proposal):
    client.force_login(charlie)
    assert client.get(_page(proposal)).status_code == 404
    pdf = reverse("reports:document_pdf", args=["proposal_letter", proposal.pk])
    assert client.get(pdf).status_code == 404


def test_anonymous_is_sent_to_log_in(client, proposal):
    response = client.get(_page(proposal))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_key_that_is_not_a_number_is_404(client, bob, proposal):
    client.force_login(bob)
    url = reverse("reports:document_page", args=["proposal_letter", "x1"])
    assert client.get(url).status_code == 404


def test_the_proposal_page_links_to_the_letter(client, bob, proposal):
    client.force_login(bob)
    response = client.get(reverse("clusters:proposal_detail", args=[proposal.pk]))
    assert _page(proposal) in response.content.decode()


# --- PDF, issuing and Word ---------------------------------------------------------


@pytest.mark.pdf
def test_pdf(client, bob, proposal):
    client.force_login(bob)
    response = client.get(reverse("reports:document_pdf", args=["proposal_letter", proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = text_of(pdf)
    text = flat(" ".join(pages))
    assert in_order(
        text,
        [
            "CỤM THI ĐUA SỐ 3",
            "Số: …/TTr-CTĐ3",
            "Tân Hồng, ngày 05 tháng 12 năm 2022",
            "TỜ TRÌNH",
            "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh và Bằng khen",
            "Kính gửi: Chủ tịch UBND tỉnh Đồng Tháp (qua Sở Nội vụ)",
            "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
            "Căn cứ Biên bản họp bình xét, suy tôn ngày 01 tháng 12 năm 2022",
            "I. Kết quả thực hiện phong trào thi đua",
            "II. Kết quả chấm điểm, bình xét, suy tôn",
            "III. Đề nghị khen thưởng",
            "Tân Hồng: 990,00 điểm",
            "Hồng Ngự: 980,00 điểm",
            "IV. Hồ sơ kèm theo",
            "xem xét, quyết định./.",
            "Nơi nhận:",
            "TM. CỤM THI ĐUA SỐ 3",
            "CỤM TRƯỞNG",
            "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
            "Nguyễn Văn Bình",
            "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
            "(Kèm theo Tờ trình số …/TTr-CTĐ3 ngày 05 tháng 12 năm 2022 của Cụm thi đua số 3)",
            "STT Tên tập thể Hình thức đề nghị",
        ],
    )
    # The annex starts on a page of its own, numbered.
    annex = next(i for i, page in enumerate(pages) if "DANH SÁCH ĐỀ NGHỊ" in page)
    assert annex >= 1 and "Nơi nhận" not in pages[annex]
    for number, page in enumerate(pages[1:], start=2):
        assert str(number) in page.split("\n"), number
    assert set(page_sizes(pdf)) == {(595, 842)}
    top, right, _bottom, left = margins_mm(pdf)
    assert 20 <= top <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert fonts_of(pdf) <= {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}


@pytest.mark.pdf
def test_the_head_issues_it_with_the_next_number_of_the_clusters_series(
    client, province, term3, proposal
):
    head = make_user(
        "hana", {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3}
    )
    client.force_login(head)
    assert "issue/" in client.get(_page(proposal)).content.decode()
    url = reverse("reports:document_issue", args=["proposal_letter", proposal.pk])
    response = client.post(url)
    document = Document.objects.get(kind="proposal_letter")
    assert response.status_code == 302
    assert document.number_text == "01/TTr-CTĐ3"
    assert document.year == 2022 and document.cluster_year == term3
    assert document.snapshot["date"] == "2022-12-05"
    issued = client.get(reverse("reports:issued_pdf", args=[document.pk]))
    text = flat(" ".join(text_of(b"".join(issued.streaming_content))))
    assert "Số: 01/TTr-CTĐ3" in text
    assert (
        "(Kèm theo Tờ trình số 01/TTr-CTĐ3 ngày 05 tháng 12 năm 2022 của Cụm thi đua số 3)" in text
    )
    assert "DỰ THẢO" not in text


@pytest.mark.pdf
def test_an_issued_draft_is_dated_on_the_day_of_issue(client, province, term3, tan_hong):
    head = make_user(
        "hana", {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3}
    )
    proposal = make_proposal(term3, [(tan_hong, FLAG)], state=Proposal.State.DRAFT)
    client.force_login(head)
    client.post(reverse("reports:document_issue", args=["proposal_letter", proposal.pk]))
    document = Document.objects.get(kind="proposal_letter")
    today = timezone.localdate()
    html = client.get(document.get_absolute_url()).content.decode()
    assert "ngày … tháng" not in html
    assert "của Cụm thi đua số 3)" in html
    assert f"{document.number_text} {layout.date_words(today)}" in html


def test_a_secretary_cannot_issue(client, bob, proposal):
    client.force_login(bob)
    url = reverse("reports:document_issue", args=["proposal_letter", proposal.pk])
    assert client.post(url).status_code == 403
    assert not Document.objects.exists()


def _paragraphs(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_word(client, bob, proposal, kind):
    client.force_login(bob)
    response = client.get(reverse("reports:document_docx", args=["proposal_letter", proposal.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    paragraphs = _paragraphs(response.content)
    snapshot = kind.build(proposal)
    expected = [
        "TỜ TRÌNH",
        snapshot["summary"],
        "Kính gửi: Chủ tịch UBND tỉnh Đồng Tháp (qua Sở Nội vụ)",
        *snapshot["bases"],
    ]
    for section in snapshot["sections"]:
        expected += [section["heading"], *section["paragraphs"]]
    expected += [
        snapshot["closing"],
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "(Kèm theo Tờ trình số …/TTr-CTĐ3 ngày 05 tháng 12 năm 2022 của Cụm thi đua số 3)",
    ]
    assert paragraphs == expected
    document = docx.Document(io.BytesIO(response.content))
    header, signature, annex = document.tables
    assert "Số: …/TTr-CTĐ3" in header.cell(0, 0).text
    assert "Tân Hồng, ngày 05 tháng 12 năm 2022" in header.cell(0, 1).text
    assert signature.cell(0, 0).text.startswith("Nơi nhận:")
    assert "TM. CỤM THI ĐUA SỐ 3\nCỤM TRƯỞNG" in signature.cell(0, 1).text
    assert [cell.text for cell in annex.rows[1].cells] == [
        "1",
        "Tân Hồng",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "990,00\n1/2",
        "Đã có thành tích xuất sắc, dẫn đầu phong trào thi đua Cụm thi đua số 3 năm 2022",
        "Đạt 75% phiếu bầu",
    ]
    assert (
        document.core_properties.title == "Tờ trình đề nghị khen thưởng năm 2022 – Cụm thi đua số 3"
    )


def test_members_are_counted_once(kind, term3, tan_hong, hong_ngu, proposal):
    """Members are counted once, however many membership rows they have."""
    Membership.objects.create(cluster_year=term3, unit=hong_ngu, valid_from=D(2022, 7, 1))
    snapshot = kind.build(proposal)
    assert "gồm 02 đơn vị thành viên" in snapshot["sections"][0]["paragraphs"][0]
