"""Biên bản kiểm phiếu: the tally committee as the app lists it, counts, shares of all
members and of those present, the threshold, re-vote rounds, every member's signature,
the draft page and the PDF."""

import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clusters import ballot_services
from clusters.models import AwardForm, Ballot
from clusters.tests.ballot_data import award_form, deliberation, open_ballot, rank_term, tally
from reports.builders.tally_minutes import committee_members
from reports.kinds import get_kind

from .pdf_checks import flat, fonts_of, in_order, page_sizes, text_of

pytestmark = pytest.mark.django_db

Level = AwardForm.Level
MERIT = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
FLAG = "Cờ thi đua của Ủy ban nhân dân tỉnh"
COMMITTEE = "\n".join(
    [
        "Trưởng ban: Nguyễn Văn An, Chánh Văn phòng UBND huyện Tân Hồng",
        "",
        "Thành viên: Trần Thị Bình",
        "Lê Văn Cường, thành viên",
        "Phạm Thị Dung, Phó Trưởng phòng Nội vụ",
        "  Võ Văn Em  ",
    ]
)


# --- The committee, as the ballot page lists it ------------------------------------


def test_committee_members_read_roles_before_or_after_the_name():
    assert committee_members(COMMITTEE) == [
        {
            "line": "Trưởng ban: Nguyễn Văn An, Chánh Văn phòng UBND huyện Tân Hồng",
            "role": "Trưởng ban",
            "name": "Nguyễn Văn An",
            "position": "Chánh Văn phòng UBND huyện Tân Hồng",
        },
        {"line": "Thành viên: Trần Thị Bình", "role": "Thành viên", "name": "Trần Thị Bình",
         "position": ""},
        {"line": "Lê Văn Cường, thành viên", "role": "Thành viên", "name": "Lê Văn Cường",
         "position": ""},
        {"line": "Phạm Thị Dung, Phó Trưởng phòng Nội vụ", "role": "",
         "name": "Phạm Thị Dung", "position": "Phó Trưởng phòng Nội vụ"},
        {"line": "Võ Văn Em", "role": "", "name": "Võ Văn Em", "position": ""},
    ]  # fmt: skip


def test_a_colon_that_is_not_a_role_stays_in_the_name():
    [member] = committee_members("Đại diện: Sở Nội vụ")
    assert (member["role"], member["name"]) == ("", "Đại diện: Sở Nội vụ")


NAME = st.text(alphabet=st.sampled_from("abcdeĐđơưặờữỨỹ ABC"), min_size=1, max_size=20).filter(
    lambda s: s.strip()
)


@given(st.lists(NAME, max_size=8), st.lists(st.sampled_from(["", "\n", "  \n"]), max_size=8))
def test_every_non_empty_line_is_one_member_as_on_the_ballot_page(names, blanks):
    lines = [f"{name}, Thành viên" for name in names] + blanks
    members = committee_members("\n".join(lines))
    assert [m["line"] for m in members] == [line.strip() for line in lines if line.strip()]
    assert [m["name"] for m in members] == [name.strip() for name in names]
    assert all(m["role"] == "Thành viên" for m in members)


# --- The snapshot ------------------------------------------------------------------


@pytest.fixture
def kind():
    return get_kind("tally_minutes")


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def meeting(term3, units):
    meeting = deliberation(term3, list(units.values()))
    meeting.venue = "Hội trường UBND huyện Tân Hồng"
    meeting.save()
    return meeting


@pytest.fixture
def merit(meeting, units):
    """Three of the four members present; Hồng Ngự 3 votes, Thanh Bình 2."""
    ballot = ballot_services.ballot_create(
        meeting=meeting,
        award_form=award_form(Level.MERIT_CERTIFICATE),
        quota=2,
        threshold_percent=Decimal(50),
        members_total=4,
        present=3,
        candidates=[units["hong_ngu"], units["thanh_binh"]],
        tally_committee=COMMITTEE,
    )
    candidates = list(ballot.candidates.order_by("position"))
    ballot_services.ballot_tally(
        ballot=ballot, issued=3, returned=3, valid=3, invalid=0,
        votes={candidates[0].pk: 3, candidates[1].pk: 2}, tally_committee=COMMITTEE,
    )  # fmt: skip
    return Ballot.objects.get(pk=ballot.pk)


def _page(ballot):
    return reverse("reports:document_page", args=["tally_minutes", ballot.pk])


def test_the_snapshot(kind, merit):
    doc = kind.build(merit)
    assert doc["summary"] == f"Kiểm phiếu suy tôn đơn vị đề nghị tặng {MERIT} năm 2022"
    assert (doc["title"], doc["symbol"], doc["date"], doc["no_header_date"]) == (
        "BIÊN BẢN", "BB-CTĐ3", "2022-12-05", True,
    )  # fmt: skip
    assert doc["intro"] == (
        "Hôm nay, ngày 05 tháng 12 năm 2022, tại Hội trường UBND huyện Tân Hồng, tại hội nghị "
        "bình xét, suy tôn của Cụm thi đua số 3, Ban kiểm phiếu tiến hành kiểm phiếu bầu suy "
        f"tôn đơn vị đề nghị tặng {MERIT} năm 2022."
    )
    assert [m["name"] for m in doc["committee"]] == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Võ Văn Em",
    ]  # fmt: skip
    assert doc["counts"] == [
        "- Tổng số đơn vị thành viên của Cụm: 4 đơn vị.",
        "- Số đơn vị có mặt: 3/4 đơn vị (75%), đủ điều kiện theo Quy chế.",
        "- Số phiếu phát ra: 3 phiếu.",
        "- Số phiếu thu vào: 3 phiếu.",
        "- Số phiếu hợp lệ: 3 phiếu.",
        "- Số phiếu không hợp lệ: 0 phiếu.",
    ]
    assert doc["principle"] == (
        "Nguyên tắc bỏ phiếu: bỏ phiếu kín; bầu tối đa 2 đơn vị; đơn vị trúng cử phải đạt số "
        "phiếu đồng ý trên 50% tổng số đơn vị thành viên của Cụm."
    )
    assert doc["round_line"] == "Vòng bỏ phiếu: vòng 1."
    assert doc["candidates"] == [
        {"name": "Hồng Ngự", "votes": "3", "percent_members": "75%", "percent_present": "100%",
         "elected": True, "revote": False, "result": "Trúng cử"},
        {"name": "Thanh Bình", "votes": "2", "percent_members": "50%",
         "percent_present": "66,67%", "elected": False, "revote": False, "result": "Không đạt"},
    ]  # fmt: skip
    assert doc["results"] == [
        "Đơn vị trúng cử: Hồng Ngự (3/4 phiếu, 75%).",
        "Số đơn vị đạt ngưỡng ít hơn chỉ tiêu 2 đơn vị; các vị trí còn lại để trống.",
    ]
    # Every member of the committee signs, three blocks to a row.
    assert [(s["role"], s["name"]) for s in doc["signatures"]] == [
        ("TRƯỞNG BAN", "Nguyễn Văn An"),
        ("THÀNH VIÊN", "Trần Thị Bình"),
        ("THÀNH VIÊN", "Lê Văn Cường"),
        ("", "Phạm Thị Dung"),
        ("", "Võ Văn Em"),
    ]
    assert [len(row) for row in doc["signature_rows"]] == [3, 2]
    assert kind.period(merit) == "annual"


def test_nothing_links_a_voter_to_a_choice(kind, merit):
    doc = kind.build(merit)
    keys = {key for row in doc["candidates"] for key in row}
    assert keys == {"name", "votes", "percent_members", "percent_present", "elected", "revote",
                    "result"}  # fmt: skip
    assert "bob" not in str(doc) and "alice" not in str(doc)


def test_at_least_the_threshold_when_the_rule_is_not_strict(kind, meeting, units):
    ballot = open_ballot(
        meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
    )
    Ballot.objects.filter(pk=ballot.pk).update(threshold_strict=False)
    ballot.refresh_from_db()
    tally(ballot, [4, 2])
    doc = kind.build(ballot)
    assert doc["principle"].endswith("từ 50% tổng số đơn vị thành viên của Cụm trở lên.")
    assert [r["result"] for r in doc["candidates"]] == ["Trúng cử", "Trúng cử"]


def test_a_tie_at_the_last_seat_and_its_re_vote(kind, meeting, units):
    first = open_ballot(
        meeting,
        Level.PROVINCIAL_FLAG,
        [units["tan_hong"], units["hong_ngu"], units["thanh_binh"]],
        threshold=Decimal(20),
    )
    tally(first, [2, 2, 0])
    doc = kind.build(first)
    assert [r["result"] for r in doc["candidates"]] == ["Bỏ phiếu lại", "Bỏ phiếu lại", "Không đạt"]
    assert doc["results"] == [
        "Không có đơn vị nào trúng cử.",
        "Các đơn vị Tân Hồng, Hồng Ngự có số phiếu bằng nhau ở vị trí cuối của chỉ tiêu: "
        "hội nghị bỏ phiếu lại (vòng 2) cho 1 vị trí còn lại.",
    ]
    second = ballot_services.ballot_revote(ballot=first)
    tally(second, [3, 1])
    doc = kind.build(second)
    assert doc["summary"] == (
        f"Kiểm phiếu suy tôn đơn vị đề nghị tặng {FLAG} năm 2022 (bỏ phiếu lại, vòng 2)"
    )
    assert doc["round_line"] == (
        "Vòng bỏ phiếu: vòng 2 (bỏ phiếu lại cho các đơn vị có số phiếu bằng nhau ở vòng 1)."
    )
    # 1 of 4 votes is 25 %, above the 20 % threshold, but the single seat is taken.
    assert [r["result"] for r in doc["candidates"]] == ["Trúng cử", "Không trúng cử (đủ chỉ tiêu)"]


def test_before_the_tally_the_counts_are_blank(kind, meeting, units):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    doc = kind.build(ballot)
    assert doc["counts"][2] == "- Số phiếu phát ra: … phiếu."
    assert doc["candidates"][0]["votes"] == "…"
    assert doc["candidates"][0]["result"] == ""
    assert doc["results"] == ["Chưa kiểm phiếu."]


def test_an_empty_committee_leaves_a_block_to_sign(kind, meeting, units):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    Ballot.objects.filter(pk=ballot.pk).update(tally_committee="")
    doc = kind.build(ballot)
    assert doc["committee"] == []
    assert doc["signatures"] == [
        {"authority": "BAN KIỂM PHIẾU", "role": "TRƯỞNG BAN", "position": "", "name": ""}
    ]


def test_build_reads_a_constant_number_of_queries(
    kind, merit, meeting, units, django_assert_num_queries
):
    with django_assert_num_queries(5):
        kind.build(merit)
    many = open_ballot(meeting, Level.PROVINCIAL_FLAG, list(units.values()), quota=1)
    with django_assert_num_queries(5):
        assert len(kind.build(many)["candidates"]) == 4


# --- Pages ---------------------------------------------------------------------------


def test_the_draft_page_and_who_sees_it(client, merit, bob, dave, charlie):
    client.force_login(bob)
    page = client.get(_page(merit)).content.decode()
    for text in (
        "Kiểm phiếu suy tôn đơn vị đề nghị tặng",
        "Ban kiểm phiếu gồm:",
        "- Trưởng ban: Nguyễn Văn An, Chánh Văn phòng UBND huyện Tân Hồng",
        "- Số đơn vị có mặt: 3/4 đơn vị (75%), đủ điều kiện theo Quy chế.",
        "66,67%",
        "Trúng cử",
        "BAN KIỂM PHIẾU",
        "TRƯỞNG BAN",
        "Võ Văn Em",
    ):
        assert text in page, text
    client.force_login(dave)
    assert client.get(_page(merit)).status_code == 200
    client.force_login(charlie)
    assert client.get(_page(merit)).status_code == 404
    assert (
        client.get(reverse("reports:document_page", args=["tally_minutes", "1a"])).status_code
        == 404
    )
    client.logout()
    assert client.get(_page(merit)).status_code == 302


def test_the_ballot_page_links_to_its_tally_minutes_once_tallied(client_bob, merit, meeting, units):
    page = client_bob.get(reverse("clusters:ballot_detail", args=[merit.pk])).content.decode()
    assert f'href="{_page(merit)}"' in page
    untallied = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    page = client_bob.get(reverse("clusters:ballot_detail", args=[untallied.pk])).content.decode()
    assert _page(untallied) not in page


@pytest.mark.pdf
def test_the_pdf_in_order_with_every_signature(client_bob, merit):
    pdf = client_bob.get(reverse("reports:document_pdf", args=["tally_minutes", merit.pk])).content
    assert set(page_sizes(pdf)) == {(595, 842)}
    text = flat(" ".join(text_of(pdf)))
    assert in_order(
        text,
        [
            "Số: …/BB-CTĐ3",
            "BIÊN BẢN",
            f"Kiểm phiếu suy tôn đơn vị đề nghị tặng {MERIT} năm 2022",
            "Hôm nay, ngày 05 tháng 12 năm 2022",
            "Ban kiểm phiếu gồm:",
            "- Thành viên: Trần Thị Bình",
            "- Tổng số đơn vị thành viên của Cụm: 4 đơn vị.",
            "- Số phiếu không hợp lệ: 0 phiếu.",
            "Nguyên tắc bỏ phiếu: bỏ phiếu kín",
            "Vòng bỏ phiếu: vòng 1.",
            "1 Hồng Ngự 3 75% 100% Trúng cử",
            "2 Thanh Bình 2 50% 66,67% Không đạt",
            "Đơn vị trúng cử: Hồng Ngự (3/4 phiếu, 75%).",
            "BAN KIỂM PHIẾU",
            "TRƯỞNG BAN THÀNH VIÊN THÀNH VIÊN",
            "Nguyễn Văn An Trần Thị Bình Lê Văn Cường",
            "Phạm Thị Dung Võ Văn Em",
            "Nơi nhận:",
        ],
    )
    assert fonts_of(pdf) <= {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}


def test_the_word_version_signed_by_every_member(client_bob, merit):
    response = client_bob.get(reverse("reports:document_docx", args=["tally_minutes", merit.pk]))
    doc = docx.Document(io.BytesIO(response.content))
    header, candidates, signatures = doc.tables
    assert [c.text for c in candidates.rows[2].cells] == [
        "2", "Thanh Bình", "2", "50%", "66,67%", "Không đạt",
    ]  # fmt: skip
    rows = [
        [[p.text for p in cell.paragraphs if p.text] for cell in row.cells]
        for row in signatures.rows
    ]
    assert rows == [
        [["TRƯỞNG BAN", "Nguyễn Văn An"], ["THÀNH VIÊN", "Trần Thị Bình"],
         ["THÀNH VIÊN", "Lê Văn Cường"]],
        [["Phạm Thị Dung"], ["Võ Văn Em"], []],
    ]  # fmt: skip
