"""Biên bản kiểm phiếu: the tally minutes of one ballot round (domain.md §5.2 g).

In order: the tally committee, the members in all and present, the ballots issued,
returned, valid and invalid, the quota and threshold, a table per candidate (votes, the
share of all members and of those present, the result against the threshold), the
round (a re-vote round says so), who is elected, and the signatures of every member of
the tally committee.

Shares, the threshold and who is elected come from clusters.award_rules and
clusters.ballot_services, as on the ballot page; only counts exist, so nothing here can
link a voter to a choice.
"""

import re

from django.db.models import Prefetch
from django.http import Http404

from clusters import award_rules, ballot_services, text
from clusters.models import Ballot, BallotCandidate

from .. import docx_writer as w
from ..kinds import DocumentKind, cluster_issuer, register
from ..layout import date_words
from ..models import Kind
from .review_minutes import BLANK, lines_of, percent_text, unit_name

RECIPIENTS = ["Sở Nội vụ (Phòng Thi đua - Khen thưởng)", "Lưu: VT, Hồ sơ"]
# Roles a line of the tally committee may start ("Trưởng ban: …") or end ("…, trưởng ban") with.
COMMITTEE_ROLES = ("Trưởng ban", "Phó Trưởng ban", "Thành viên", "Ủy viên", "Uỷ viên", "Thư ký")
_FOLDED_ROLES = {text.fold(role) for role in COMMITTEE_ROLES}
# Signature blocks per row under the tally minutes.
SIGNATURES_PER_ROW = 3


def _is_role(value: str) -> bool:
    return text.fold(value.strip()) in _FOLDED_ROLES


def committee_members(value: str) -> list[dict]:
    """The tally committee, one member per non-empty line as the ballot page lists them.

    A line is "name, position" (the form's help text); a role may lead it ("Trưởng ban:
    Nguyễn Văn A, …") or be its position ("Nguyễn Văn A, trưởng ban").
    """
    members = []
    for line in lines_of(value):
        role, rest = "", line
        match = re.match(r"([^:,]+):\s*(.*)$", line)
        if match and _is_role(match.group(1)):
            role, rest = match.group(1).strip(), match.group(2).strip()
        name, _, position = (part.strip() for part in rest.partition(","))
        if not role and _is_role(position):
            role, position = position, ""
        role = role[:1].upper() + role[1:]
        members.append({"line": line, "role": role, "name": name, "position": position})
    return members


def committee_signatures(members: list[dict]) -> list[dict]:
    """One signature block per member; an empty committee leaves one block to fill in."""
    if not members:
        return [{"authority": "BAN KIỂM PHIẾU", "role": "TRƯỞNG BAN", "position": "", "name": ""}]
    return [
        {"authority": "", "role": member["role"].upper(), "position": "", "name": member["name"]}
        for member in members
    ]


def count_text(value: int | None) -> str:
    return BLANK if value is None else str(value)


def threshold_text(ballot: Ballot) -> str:
    """ "trên 50%" (strictly more) or "từ 50% trở lên", of all members."""
    threshold = percent_text(ballot.threshold_percent)
    if ballot.threshold_strict:
        return f"trên {threshold} tổng số đơn vị thành viên của Cụm"
    return f"từ {threshold} tổng số đơn vị thành viên của Cụm trở lên"


def principle_line(ballot: Ballot) -> str:
    """The quota and threshold of one round."""
    return (
        f"bầu tối đa {ballot.quota} đơn vị; đơn vị trúng cử phải đạt số phiếu đồng ý "
        f"{threshold_text(ballot)}."
    )


def candidate_rows(ballot: Ballot, candidates, day) -> tuple[list[dict], object]:
    """Per candidate, what the ballot page shows (clusters.views.ballots), as printed text;
    and the election result (None before the tally)."""
    strict = ballot.threshold_strict
    result = ballot_services.ballot_result(ballot, candidates, strict)
    revote = set(result.revote) if result else set()
    rows = []
    for candidate in candidates:
        votes = candidate.votes
        counted = votes is not None and result is not None
        if not counted:
            outcome = ""
        elif candidate.elected:
            outcome = "Trúng cử"
        elif candidate.unit_id in revote:
            outcome = "Bỏ phiếu lại"
        elif award_rules.threshold_met(
            votes, ballot.members_total, ballot.threshold_percent, strict
        ):
            outcome = "Không trúng cử (đủ chỉ tiêu)"
        else:
            outcome = "Không đạt"
        rows.append(
            {
                "name": unit_name(candidate.unit, day),
                "votes": count_text(votes),
                "percent_members": (
                    percent_text(award_rules.vote_percent(votes, ballot.members_total))
                    if counted
                    else ""
                ),
                "percent_present": (
                    percent_text(award_rules.vote_percent(votes, ballot.present))
                    if counted and ballot.present
                    else ""
                ),
                "elected": candidate.elected,
                "revote": candidate.unit_id in revote,
                "result": outcome,
            }
        )
    return rows, result


def result_lines(ballot: Ballot, rows: list[dict], result) -> list[str]:
    if result is None:
        return ["Chưa kiểm phiếu."]
    elected = [row for row in rows if row["elected"]]
    if elected:
        names = "; ".join(
            f"{row['name']} ({row['votes']}/{ballot.members_total} phiếu, {row['percent_members']})"
            for row in elected
        )
        lines = [f"Đơn vị trúng cử: {names}."]
    else:
        lines = ["Không có đơn vị nào trúng cử."]
    if result.revote:
        names = ", ".join(row["name"] for row in rows if row["revote"])
        lines.append(
            f"Các đơn vị {names} có số phiếu bằng nhau ở vị trí cuối của chỉ tiêu: hội nghị "
            f"bỏ phiếu lại (vòng {ballot.round + 1}) cho {result.open_seats} vị trí còn lại."
        )
    elif result.shortfall:
        lines.append(
            f"Số đơn vị đạt ngưỡng ít hơn chỉ tiêu {ballot.quota} đơn vị; các vị trí còn lại "
            f"để trống."
        )
    return lines


def round_line(ballot: Ballot) -> str:
    if ballot.round == 1:
        return "Vòng bỏ phiếu: vòng 1."
    return (
        f"Vòng bỏ phiếu: vòng {ballot.round} (bỏ phiếu lại cho các đơn vị có số phiếu bằng "
        f"nhau ở vòng {ballot.round - 1})."
    )


def load_ballot(pk: int) -> Ballot:
    return (
        Ballot.objects.select_related(
            "award_form",
            "meeting__host_unit",
            "meeting__cluster_year__cluster__province",
            "meeting__cluster_year__head_unit",
        )
        .prefetch_related(
            "meeting__host_unit__names",
            "meeting__cluster_year__head_unit__names",
            Prefetch(
                "candidates",
                queryset=BallotCandidate.objects.select_related("unit").prefetch_related(
                    "unit__names"
                ),
            ),
        )
        .get(pk=pk)
    )


def tally_docx(snapshot: dict) -> bytes:
    doc = w.new_document(snapshot)
    w.add_header(doc, snapshot)
    w.add_title(doc, snapshot)
    w.add_paragraph(doc, snapshot["intro"])
    w.add_paragraph(doc, "Ban kiểm phiếu gồm:")
    w.add_paragraphs(doc, [f"- {member['line']}" for member in snapshot["committee"]])
    w.add_paragraphs(doc, snapshot["counts"])
    w.add_paragraph(doc, snapshot["principle"])
    w.add_paragraph(doc, snapshot["round_line"])
    w.add_paragraph(doc, "Kết quả kiểm phiếu:")
    w.add_table(
        doc,
        ["STT", "Đơn vị", "Số phiếu đồng ý", "Tỷ lệ so với tổng số thành viên",
         "Tỷ lệ so với số có mặt", "Kết quả"],
        [
            [str(i), row["name"], row["votes"], row["percent_members"], row["percent_present"],
             row["result"]]
            for i, row in enumerate(snapshot["candidates"], start=1)
        ],
        widths=[1.1, 4.6, 2.2, 2.8, 2.6, 3.2],
        align=["center", "left", "right", "right", "right", "left"],
    )  # fmt: skip
    w.add_paragraphs(doc, snapshot["results"])
    w.add_paragraphs(doc, snapshot["closing"])
    w.add_signatures(doc, snapshot)
    return w.to_bytes(doc)


@register
class TallyMinutes(DocumentKind):
    code = Kind.TALLY_MINUTES
    abbreviation = "BB"
    template = "reports/tally_minutes.html"
    docx = staticmethod(tally_docx)

    def get_source(self, request, key):
        from clusters.views.ballots import _get_ballot_for_user

        try:
            pk = int(key)
        except ValueError:
            raise Http404 from None
        return _get_ballot_for_user(request, pk)

    def issuer(self, ballot):
        return cluster_issuer(ballot.meeting.cluster_year)

    def period(self, ballot):
        return "annual"

    def build(self, ballot) -> dict:
        ballot = load_ballot(ballot.pk)
        meeting = ballot.meeting
        term, day = meeting.cluster_year, meeting.date
        cluster = term.cluster
        issuer = self.issuer(ballot)
        form = ballot.award_form.name
        again = f" (bỏ phiếu lại, vòng {ballot.round})" if ballot.round > 1 else ""
        summary = f"Kiểm phiếu suy tôn đơn vị đề nghị tặng {form} năm {term.year}{again}"
        venue = meeting.venue.strip() or unit_name(meeting.host_unit, day) or BLANK
        committee = committee_members(ballot.tally_committee)
        rows, result = candidate_rows(ballot, list(ballot.candidates.all()), day)
        present_share = percent_text(award_rules.vote_percent(ballot.present, ballot.members_total))
        quorum = award_rules.quorum_reached(
            ballot.present, ballot.members_total, ballot.quorum_percent
        )
        signatures = committee_signatures(committee)
        return {
            "meta": {"title": f"Biên bản {summary} – {cluster.name}", "author": cluster.name},
            **issuer.heading(self.abbreviation),
            "date": day.isoformat(),
            "no_header_date": True,
            "title": "BIÊN BẢN",
            "summary": summary,
            "intro": (
                f"Hôm nay, {date_words(day)}, tại {venue}, tại hội nghị bình xét, suy tôn "
                f"của {cluster.name}, Ban kiểm phiếu tiến hành kiểm phiếu bầu suy tôn đơn vị "
                f"đề nghị tặng {form} năm {term.year}."
            ),
            "committee": committee,
            "members_total": ballot.members_total,
            "present": ballot.present,
            "counts": [
                f"- Tổng số đơn vị thành viên của Cụm: {ballot.members_total} đơn vị.",
                f"- Số đơn vị có mặt: {ballot.present}/{ballot.members_total} đơn vị "
                f"({present_share}), {'đủ' if quorum else 'không đủ'} điều kiện theo Quy chế.",
                f"- Số phiếu phát ra: {count_text(ballot.issued)} phiếu.",
                f"- Số phiếu thu vào: {count_text(ballot.returned)} phiếu.",
                f"- Số phiếu hợp lệ: {count_text(ballot.valid)} phiếu.",
                f"- Số phiếu không hợp lệ: {count_text(ballot.invalid)} phiếu.",
            ],
            "principle": f"Nguyên tắc bỏ phiếu: bỏ phiếu kín; {principle_line(ballot)}",
            "round": ballot.round,
            "round_line": round_line(ballot),
            "candidates": rows,
            "results": result_lines(ballot, rows, result),
            "closing": [
                "Phiếu bầu được Ban kiểm phiếu niêm phong và lưu cùng hồ sơ hội nghị.",
                "Biên bản kiểm phiếu được lập và công bố tại hội nghị.",
            ],
            "signatures": signatures,
            "signature_rows": [
                signatures[i : i + SIGNATURES_PER_ROW]
                for i in range(0, len(signatures), SIGNATURES_PER_ROW)
            ],
            "recipients": list(RECIPIENTS),
        }
