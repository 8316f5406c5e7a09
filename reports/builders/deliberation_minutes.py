"""Biên bản họp bình xét, suy tôn: the deliberation and acclamation minutes (domain.md
§5.2 e).

In order: time and venue, attendance with the quorum line ("có mặt 4/4 đơn vị thành
viên, đủ điều kiện theo Quy chế"), chair and secretary; 1. the agreed scores and ranking
of the term's annual period (clusters.ranking); 2. the veto checks; 3. the tally
committee; 4. the ballot principle (secret; quota and threshold per award form); 5. the
result of each ballot round (votes and share of all members per candidate, who is
elected); 6. the next head and deputy; 7. end time and adoption. Signed THƯ KÝ and
CHỦ TRÌ.
"""

from django.db.models import Prefetch

from clusters.models import Ballot, BallotCandidate, Meeting, Period

from .. import docx_writer as w
from ..kinds import DocumentKind, cluster_issuer, register
from ..models import Kind
from .review_minutes import (
    attendance,
    docx_attendance,
    docx_opening,
    get_meeting,
    header_part,
    lines_of,
    load_meeting,
    meeting_lines,
    minutes_signatures,
    ranking_rows,
    succession_lines,
    term_period,
)
from .tally_minutes import candidate_rows, count_text, principle_line, result_lines


def meeting_ballots(meeting: Meeting) -> list[Ballot]:
    """The meeting's ballot rounds by award form and round, with their candidates."""
    candidates = BallotCandidate.objects.select_related("unit").prefetch_related("unit__names")
    return list(
        Ballot.objects.filter(meeting=meeting)
        .select_related("award_form")
        .prefetch_related(Prefetch("candidates", queryset=candidates))
        .order_by("award_form__position", "award_form__name", "round")
    )


def committee_lines(ballots: list[Ballot]) -> list[str]:
    """The tally committees' members, each once, in the order the rounds list them."""
    seen: list[str] = []
    for ballot in ballots:
        for line in lines_of(ballot.tally_committee):
            if line not in seen:
                seen.append(line)
    return seen


def ballot_results(ballots: list[Ballot], day) -> list[dict]:
    rounds_per_form: dict[int, int] = {}
    for ballot in ballots:
        rounds_per_form[ballot.award_form_id] = rounds_per_form.get(ballot.award_form_id, 0) + 1
    results = []
    for ballot in ballots:
        rows, result = candidate_rows(ballot, list(ballot.candidates.all()), day)
        heading = ballot.award_form.name
        if rounds_per_form[ballot.award_form_id] > 1 or ballot.round > 1:
            heading += f" (vòng {ballot.round})"
        results.append(
            {
                "heading": heading,
                "counts": (
                    f"Số phiếu phát ra: {count_text(ballot.issued)}; thu vào: "
                    f"{count_text(ballot.returned)}; hợp lệ: {count_text(ballot.valid)}; "
                    f"không hợp lệ: {count_text(ballot.invalid)}."
                ),
                "rows": rows,
                "lines": result_lines(ballot, rows, result),
            }
        )
    return results


def deliberation_docx(snapshot: dict) -> bytes:
    doc = docx_opening(snapshot)
    docx_attendance(doc, snapshot)
    w.add_heading(doc, "1. Kết quả chấm điểm, xếp hạng")
    w.add_paragraph(doc, snapshot["ranking_intro"])
    if snapshot["ranking"]:
        w.add_table(
            doc,
            ["STT", "Đơn vị", "Tổng điểm", "Xếp hạng"],
            [
                [str(i), row["name"], row["total"], str(row["rank"])]
                for i, row in enumerate(snapshot["ranking"], start=1)
            ],
            widths=[1.3, 9.2, 3.2, 2.8],
            align=["center", "left", "right", "center"],
        )
    w.add_heading(doc, "2. Kiểm tra tiêu chí không xét khen thưởng")
    w.add_paragraphs(doc, snapshot["vetoes"])
    w.add_heading(doc, "3. Bầu Ban kiểm phiếu")
    w.add_paragraphs(doc, snapshot["committee"])
    w.add_heading(doc, "4. Nguyên tắc bỏ phiếu")
    w.add_paragraphs(doc, snapshot["principles"])
    w.add_heading(doc, "5. Kết quả bỏ phiếu")
    if not snapshot["ballots"]:
        w.add_paragraph(doc, "Hội nghị chưa tiến hành bỏ phiếu.")
    for ballot in snapshot["ballots"]:
        w.add_paragraph(doc, ballot["heading"], bold=True, italic=True)
        w.add_paragraph(doc, ballot["counts"])
        w.add_table(
            doc,
            ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ so với tổng số thành viên", "Kết quả"],
            [
                [str(i), row["name"], row["votes"], row["percent_members"], row["result"]]
                for i, row in enumerate(ballot["rows"], start=1)
            ],
            widths=[1.2, 6.3, 2.3, 3.4, 3.3],
            align=["center", "left", "right", "right", "left"],
        )
        w.add_paragraphs(doc, ballot["lines"])
    w.add_heading(doc, "6. Cụm trưởng, Cụm phó năm sau")
    w.add_paragraphs(doc, snapshot["succession"])
    lines = snapshot["lines"]
    w.add_heading(doc, lines["closing_heading"])
    w.add_paragraphs(doc, [lines["end"], lines["approval"]])
    w.add_signatures(doc, snapshot)
    return w.to_bytes(doc)


@register
class DeliberationMinutes(DocumentKind):
    code = Kind.DELIBERATION_MINUTES
    abbreviation = "BB"
    template = "reports/deliberation_minutes.html"
    docx = staticmethod(deliberation_docx)

    def get_source(self, request, key):
        return get_meeting(request, key, {Meeting.Kind.DELIBERATION})

    def issuer(self, meeting):
        return cluster_issuer(meeting.cluster_year)

    def period(self, meeting):
        return Period.Kind.ANNUAL.value

    def build(self, meeting) -> dict:
        meeting = load_meeting(meeting.pk)
        term, day = meeting.cluster_year, meeting.date
        issuer = self.issuer(meeting)
        summary = f"Họp bình xét, suy tôn thi đua năm {term.year} {term.cluster.name}"
        snapshot = header_part(meeting, issuer, summary=summary, title_prefix="Biên bản")
        snapshot["lines"] = meeting_lines(meeting)
        snapshot["attendance"] = present = attendance(meeting)
        enough = "đủ" if present["quorum_reached"] else "không đủ"
        snapshot["lines"]["members"] = (
            f"- Các đơn vị thành viên: có mặt {present['count']} đơn vị thành viên, {enough} "
            f"điều kiện theo Quy chế:"
        )

        ranking = ranking_rows(term_period(meeting, Period.Kind.ANNUAL), day)
        snapshot["ranking"] = ranking
        snapshot["ranking_intro"] = (
            f"Hội nghị thống nhất kết quả chấm điểm, xếp hạng năm {term.year} của các đơn vị "
            f"thành viên như sau:"
            if ranking
            else f"Chưa có kết quả chấm điểm thống nhất năm {term.year}."
        )
        vetoed = [row for row in ranking if row["vetoed"]]
        snapshot["vetoes"] = (
            [
                f"- {row['name']}: vi phạm tiêu chí {'; '.join(row['veto_reasons'])}, không xét "
                f"khen thưởng."
                for row in vetoed
            ]
            if vetoed
            else ["Không có đơn vị nào vi phạm tiêu chí không xét khen thưởng."]
        )

        ballots = meeting_ballots(meeting)
        committee = committee_lines(ballots)
        snapshot["committee"] = (
            [f"Hội nghị thống nhất bầu Ban kiểm phiếu gồm {len(committee)} thành viên:"]
            + [f"- {line}" for line in committee]
            if committee
            else ["Chưa ghi nhận thành phần Ban kiểm phiếu."]
        )
        first_rounds = [ballot for ballot in ballots if ballot.round == 1]
        snapshot["principles"] = (
            ["Hình thức bỏ phiếu: bỏ phiếu kín."]
            + [f"- {ballot.award_form.name}: {principle_line(ballot)}" for ballot in first_rounds]
            if ballots
            else ["Hội nghị chưa tiến hành bỏ phiếu."]
        )
        snapshot["ballots"] = ballot_results(ballots, day)
        succession = succession_lines(meeting)
        snapshot["succession"] = succession or ["Cuộc họp không bầu Cụm trưởng, Cụm phó năm sau."]
        snapshot["lines"]["closing_heading"] = "7. Kết thúc"
        snapshot["signatures"] = minutes_signatures(meeting, "CHỦ TRÌ")
        return snapshot
