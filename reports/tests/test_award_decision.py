"""Quyết định khen thưởng: the snapshot, the pages and who sees and issues them, the PDF
(a 40-recipient annex over several pages), the Word file and the query count of build()."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters import services
from clusters.models import AwardDecision, RoleAssignment
from clusters.tests.decision_factories import (
    FLAG,
    MERIT,
    accept_all,
    add_multiples,
    make_decision,
    make_proposal,
)
from clusters.tests.factories import make_unit, make_user
from reports.builders import award_decision
from reports.kinds import get_kind
from reports.models import Document

from .pdf_checks import flat, fonts_of, in_order, margins_mm, page_sizes, text_of

Role = RoleAssignment.Role
D = datetime.date


@pytest.fixture
def kind():
    return get_kind("award_decision")


@pytest.fixture
def decision(term3, tan_hong, hong_ngu):
    """Decision 215/QĐ-UBND of 15/02/2023: the flag to Tân Hồng for Cụm 3's 2022, signed by
    a vice-chairman. Tân Hồng is renamed from 01/02/2023, so the decision prints the new
    name."""
    add_multiples(D(2018, 1, 1))
    proposal = accept_all(make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)]))
    services.unit_rename(
        unit=tan_hong,
        new_name="Huyện Tân Hồng",
        effective_date=D(2023, 2, 1),
        legal_basis="Nghị quyết (thử)",
    )
    item = proposal.items.get(unit=tan_hong)
    made = make_decision(term3.cluster.province, items=[item])
    return AwardDecision.objects.select_related("province", "award_form").get(pk=made.pk)


def _many(province, count: int, number: str) -> AwardDecision:
    units = [make_unit(province, name=f"Xã Thử {i:02d}") for i in range(1, count + 1)]
    made = make_decision(province, number=number, code=MERIT, units=units)
    return AwardDecision.objects.select_related("province", "award_form").get(pk=made.pk)


# --- Pure rules --------------------------------------------------------------------


def test_the_committee_is_spelled_out():
    assert award_decision.committee_name("UBND TỈNH ĐỒNG THÁP", "Đồng Tháp") == (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    )
    assert award_decision.committee_name("", "Tây Ninh") == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
    assert award_decision.committee_name("UBND THÀNH PHỐ CẦN THƠ", "Cần Thơ") == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"
    )
    assert award_decision.committee_short("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "Cần Thơ") == (
        "UBND thành phố Cần Thơ"
    )
    assert award_decision.header_lines("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP") == (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP"
    )


def test_money_and_multiples_as_printed():
    assert award_decision.money(Decimal("11700000")) == "11.700.000 đồng"
    assert award_decision.multiple_text(Decimal("8.00")) == "8,0"
    assert award_decision.multiple_text(Decimal("1.5")) == "1,5"
    assert award_decision.multiple_text(Decimal("0.25")) == "0,25"


def test_article_1_says_who_led_what():
    assert award_decision.article_1(
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        1,
        leading=True,
        scope="Cụm thi đua số 3",
        year=2022,
    ) == (
        "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho 01 tập thể đã có thành tích xuất sắc, "
        "dẫn đầu phong trào thi đua Cụm thi đua số 3 năm 2022 (có danh sách kèm theo)."
    )
    assert award_decision.article_1("Bằng khen", 12, leading=False, scope="", year=2023) == (
        "Tặng Bằng khen cho 12 tập thể đã có thành tích xuất sắc trong phong trào thi đua năm "
        "2023 (có danh sách kèm theo)."
    )
    assert award_decision.scope_of(["Cụm 3", "Cụm 3"]) == "Cụm 3"
    assert award_decision.scope_of(["Cụm 3", "Khối 1", ""]) == "các cụm, khối thi đua của tỉnh"
    assert award_decision.scope_of([]) == ""


def test_article_2_gives_each_amount_and_the_total():
    same = award_decision.article_2(
        "Bằng khen", Decimal("3.0"), Decimal(1490000), [Decimal(4470000)] * 3
    )
    assert same == (
        "Kèm theo Bằng khen, mỗi tập thể được thưởng 3,0 lần mức lương cơ sở (1.490.000 đồng) "
        "là 4.470.000 đồng; tổng số tiền thưởng là 13.410.000 đồng. Kinh phí khen thưởng chi "
        "từ Quỹ Thi đua, khen thưởng của tỉnh."
    )
    different = award_decision.article_2(
        "Bằng khen", Decimal("3.0"), Decimal(1490000), [Decimal(4470000), Decimal(1)]
    )
    assert "theo danh sách kèm theo; tổng số tiền thưởng là 4.470.001 đồng." in different


# --- The snapshot ------------------------------------------------------------------


def test_snapshot(kind, decision):
    snapshot = kind.build(decision)
    assert snapshot["header"] == {
        "parent": "",
        "name": "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP",
    }
    assert snapshot["number_text"] == "215/QĐ-UBND"
    assert snapshot["date"] == "2023-02-15"
    assert snapshot["place"] == "Đồng Tháp"
    assert snapshot["title"] == "QUYẾT ĐỊNH"
    assert snapshot["summary"] == "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2022"
    assert snapshot["authority_line"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert snapshot["bases"] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ "
        "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
        "ngày 22 tháng 11 năm 2019;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một "
        "số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm "
        "2013;",
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi "
        "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
    ]
    assert snapshot["articles"] == [
        {
            "head": "Điều 1.",
            "text": "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho 01 tập thể đã có thành tích "
            "xuất sắc, dẫn đầu phong trào thi đua Cụm thi đua số 3 năm 2022 (có danh sách kèm "
            "theo).",
        },
        {
            "head": "Điều 2.",
            "text": "Kèm theo Cờ thi đua của Ủy ban nhân dân tỉnh, mỗi tập thể được thưởng 8,0 "
            "lần mức lương cơ sở (1.490.000 đồng) là 11.920.000 đồng; tổng số tiền thưởng là "
            "11.920.000 đồng. Kinh phí khen thưởng chi từ Quỹ Thi đua, khen thưởng của tỉnh.",
        },
        {"head": "Điều 3.", "text": "Quyết định này có hiệu lực thi hành kể từ ngày ký."},
        {
            "head": "Điều 4.",
            "text": "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài "
            "chính, Thủ trưởng các đơn vị có tên tại Điều 1 và các cơ quan, đơn vị có liên quan "
            "chịu trách nhiệm thi hành Quyết định này./.",
        },
    ]
    assert snapshot["signatures"] == [
        {
            "authority": "KT. CHỦ TỊCH",
            "role": "PHÓ CHỦ TỊCH",
            "position": "",
            "name": "Nguyễn Văn A",
        }
    ]
    assert snapshot["recipients"] == ["Như Điều 4", "CT, các PCT UBND tỉnh", "Lưu: VT, SNV"]
    assert snapshot["annex"] == {
        "title": "DANH SÁCH TẬP THỂ ĐƯỢC TẶNG CỜ THI ĐUA CỦA ỦY BAN NHÂN DÂN TỈNH NĂM 2022",
        "note": "(Kèm theo Quyết định số 215/QĐ-UBND ngày 15 tháng 02 năm 2023 của Chủ tịch "
        "UBND tỉnh Đồng Tháp)",
        # The name the unit bore on the decision's date.
        "rows": [
            {
                "number": 1,
                "name": "Huyện Tân Hồng",
                "citation": "Đã có thành tích xuất sắc, dẫn đầu phong trào thi đua Cụm thi đua "
                "số 3 năm 2022",
                "amount": "11.920.000",
            }
        ],
        "total": "11.920.000",
    }
    assert snapshot["meta"] == {
        "title": "Quyết định số 215/QĐ-UBND về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh "
        "năm 2022",
        "author": "Ủy ban nhân dân tỉnh Đồng Tháp",
    }


def test_the_stored_amounts_are_printed_not_recomputed(kind, decision):
    decision.recipients.update(amount=Decimal(12345678))
    AwardDecision.objects.filter(pk=decision.pk).update(base_salary=Decimal(1000000))
    decision.refresh_from_db()
    snapshot = kind.build(decision)
    assert snapshot["annex"]["rows"][0]["amount"] == "12.345.678"
    assert "(1.000.000 đồng) là 12.345.678 đồng" in snapshot["articles"][1]["text"]


def test_the_signature_follows_the_authority_prefix(kind, decision):
    decision.authority_prefix = AwardDecision.Prefix.NONE
    decision.signer_position = "Chủ tịch"
    assert kind.build(decision)["signatures"][0] == {
        "authority": "",
        "role": "CHỦ TỊCH",
        "position": "",
        "name": "Nguyễn Văn A",
    }
    decision.authority_prefix = AwardDecision.Prefix.TM
    snapshot = kind.build(decision)
    assert snapshot["signatures"][0]["authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert snapshot["authority_line"] == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert snapshot["annex"]["note"].endswith("của UBND tỉnh Đồng Tháp)")


def test_a_decision_of_late_2025_cites_the_new_laws(kind, decision):
    decision.date = D(2025, 9, 1)
    bases = kind.build(decision)["bases"]
    assert bases[0] == (
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;"
    )
    assert "06/2022/QH15" in bases[1] and "152/2025/NĐ-CP" in bases[2]


def test_build_uses_the_same_queries_for_2_or_40_recipients(kind, province, decision):
    counts = []
    for count, number in ((2, "301/QĐ-UBND"), (40, "302/QĐ-UBND")):
        many = _many(province, count, number)
        with CaptureQueriesContext(connection) as captured:
            snapshot = kind.build(many)
        assert len(snapshot["annex"]["rows"]) == count
        counts.append(len(captured))
    # The recipients with their units and proposals, and the units' names.
    assert counts == [2, 2]


# --- Pages and issuing -------------------------------------------------------------


def _page(decision):
    return reverse("reports:document_page", args=["award_decision", decision.pk])


def test_staff_see_the_decision_and_may_issue_it(client_alice, decision):
    response = client_alice.get(_page(decision))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "QUYẾT ĐỊNH",
        "Số: 215/QĐ-UBND",
        "Đồng Tháp, ngày 15 tháng 02 năm 2023",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
        "Điều 2.",
        "11.920.000 đồng",
        "Huyện Tân Hồng",
        "KT. CHỦ TỊCH",
        "(Kèm theo Quyết định số 215/QĐ-UBND ngày 15 tháng 02 năm 2023 của Chủ tịch UBND tỉnh "
        "Đồng Tháp)",
    ):
        assert text in html, text
    assert reverse("reports:document_issue", args=["award_decision", decision.pk]) in html


def test_a_leader_reads_it_but_does_not_issue_it(client, leo, decision):
    client.force_login(leo)
    response = client.get(_page(decision))
    assert response.status_code == 200
    issue = reverse("reports:document_issue", args=["award_decision", decision.pk])
    assert issue not in response.content.decode()
    assert client.post(issue).status_code == 403


@pytest.mark.parametrize("user", ["bob", "charlie", "dave", "eve"])
def test_cluster_people_and_other_provinces_get_404(client, request, decision, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(_page(decision)).status_code == 404
    issue = reverse("reports:document_issue", args=["award_decision", decision.pk])
    assert client.post(issue).status_code == 404


def test_anonymous_is_sent_to_log_in(client, decision):
    response = client.get(_page(decision))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_cluster_head_may_never_issue_a_province_document(kind, province, term3, decision):
    head = make_user(
        "hana", {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3}
    )
    request = RequestFactory().get("/")
    request.user = head
    assert kind.may_issue(request, decision) is False


def test_the_decision_page_links_to_the_document(client_alice, decision):
    response = client_alice.get(reverse("clusters:decision_detail", args=[decision.pk]))
    assert _page(decision) in response.content.decode()


@pytest.mark.pdf
def test_staff_issue_it_under_its_own_number(client_alice, decision):
    response = client_alice.post(
        reverse("reports:document_issue", args=["award_decision", decision.pk])
    )
    assert response.status_code == 302
    document = Document.objects.get(kind="award_decision")
    assert document.number is None
    assert document.number_text == "215/QĐ-UBND"
    assert document.year == 2023 and document.cluster_year is None
    assert document.snapshot["date"] == "2023-02-15"


# --- PDF and Word ------------------------------------------------------------------


@pytest.mark.pdf
def test_pdf(client_alice, decision):
    response = client_alice.get(
        reverse("reports:document_pdf", args=["award_decision", decision.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = text_of(pdf)
    assert in_order(
        flat(" ".join(pages)),
        [
            "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
            "Số: 215/QĐ-UBND",
            "Đồng Tháp, ngày 15 tháng 02 năm 2023",
            "QUYẾT ĐỊNH",
            "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2022",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
            "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
            "Căn cứ Nghị định số 91/2017/NĐ-CP",
            "Theo đề nghị của Giám đốc Sở Nội vụ.",
            "QUYẾT ĐỊNH:",
            "Điều 1. Tặng Cờ thi đua",
            "Điều 2. Kèm theo",
            "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.",
            "Điều 4. Chánh Văn phòng",
            "Nơi nhận:",
            "- Như Điều 4;",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn A",
            "DANH SÁCH TẬP THỂ ĐƯỢC TẶNG",
            "(Kèm theo Quyết định số 215/QĐ-UBND ngày 15 tháng 02 năm 2023",
            "STT Tên tập thể Thành tích Số tiền (đồng)",
            "Huyện Tân Hồng",
            "Tổng cộng 11.920.000",
        ],
    )
    assert len(pages) == 2 and "DANH SÁCH" not in pages[0]
    assert set(page_sizes(pdf)) == {(595, 842)}
    top, right, _bottom, left = margins_mm(pdf)
    assert 20 <= top <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert fonts_of(pdf) <= {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}


@pytest.mark.pdf
def test_forty_recipients_run_over_several_pages_with_the_table_header_repeated(
    client_alice, province, decision
):
    many = _many(province, 40, "300/QĐ-UBND")
    response = client_alice.get(reverse("reports:document_pdf", args=["award_decision", many.pk]))
    pages = text_of(response.content)
    annex = [i for i, page in enumerate(pages) if "Xã Thử" in page]
    assert len(annex) >= 2, "the annex should need more than one page"
    for index in annex:
        assert "STT Tên tập thể Thành tích Số tiền (đồng)" in flat(pages[index]), index
    # Every page after the first carries its number; the first does not.
    for number, page in enumerate(pages[1:], start=2):
        assert str(number) in page.split("\n"), number
    assert "1" not in pages[0].split("\n")
    text = flat(" ".join(pages))
    assert in_order(text, [f"{i} Xã Thử {i:02d}" for i in range(1, 41)])
    assert "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 40 tập thể" in text
    assert "Tổng cộng 178.800.000" in text  # 40 × 3,0 × 1.490.000


def _paragraphs(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_word(client_alice, kind, decision):
    response = client_alice.get(
        reverse("reports:document_docx", args=["award_decision", decision.pk])
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    snapshot = kind.build(decision)
    assert _paragraphs(response.content) == [
        "QUYẾT ĐỊNH",
        "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2022",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
        *snapshot["bases"],
        "QUYẾT ĐỊNH:",
        *[f"{article['head']} {article['text']}" for article in snapshot["articles"]],
        "DANH SÁCH TẬP THỂ ĐƯỢC TẶNG CỜ THI ĐUA CỦA ỦY BAN NHÂN DÂN TỈNH NĂM 2022",
        "(Kèm theo Quyết định số 215/QĐ-UBND ngày 15 tháng 02 năm 2023 của Chủ tịch UBND tỉnh "
        "Đồng Tháp)",
    ]
    document = docx.Document(io.BytesIO(response.content))
    header, signature, annex = document.tables
    assert "Số: 215/QĐ-UBND" in header.cell(0, 0).text
    assert "Đồng Tháp, ngày 15 tháng 02 năm 2023" in header.cell(0, 1).text
    assert "- Như Điều 4;" in signature.cell(0, 0).text
    assert signature.cell(0, 1).text.startswith("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert signature.cell(0, 1).text.endswith("Nguyễn Văn A")
    assert [[cell.text for cell in row.cells] for row in annex.rows] == [
        ["STT", "Tên tập thể", "Thành tích", "Số tiền (đồng)"],
        [
            "1",
            "Huyện Tân Hồng",
            "Đã có thành tích xuất sắc, dẫn đầu phong trào thi đua Cụm thi đua số 3 năm 2022",
            "11.920.000",
        ],
        ["", "Tổng cộng", "", "11.920.000"],
    ]
    # Article heads are bold, their text is not.
    article = next(p for p in document.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].bold and not article.runs[1].bold
