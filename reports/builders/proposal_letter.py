"""Tờ trình đề nghị khen thưởng: the cluster's proposal letter to the provincial chairman
(through Sở Nội vụ), with its annex list (domain.md §5.2 h; NĐ 98/2023 Form 01).

Every item of the proposal is printed: a unit the cluster no longer proposes is deleted
from it, and the province's appraisal (accepted, reduced, rejected) comes after the
letter and does not change what the cluster proposed.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from clusters.decision_services import citation
from clusters.models import (
    Ballot,
    Cluster,
    ClusterYear,
    Meeting,
    Membership,
    Movement,
    Proposal,
    ProposalItem,
)
from clusters.views.proposals import _get_proposal_for_user
from reports import docx_writer as w
from reports import layout, legal_basis
from reports.kinds import DocumentKind, cluster_issuer, register
from reports.models import Kind
from reports.templatetags.document_dates import iso_date_words

RECIPIENTS = ["Như trên", "Sở Nội vụ (Phòng TĐKT)", "Lưu: VT, Hồ sơ"]


def short_form_name(name: str) -> str:
    """An award form's name as the summary line abbreviates it ("… của UBND tỉnh")."""
    return name.replace("Ủy ban nhân dân", "UBND")


def summary_line(form_names: list[str], year: int) -> str:
    """ "Về việc đề nghị tặng Cờ thi đua của UBND tỉnh và Bằng khen của Chủ tịch UBND
    tỉnh năm 2022", from the forms actually proposed, in their order."""
    names = [short_form_name(name) for name in dict.fromkeys(form_names)]
    if not names:
        return f"Về việc đề nghị khen thưởng năm {year}"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
    return f"Về việc đề nghị tặng {listed} năm {year}"


def count_text(count: int) -> str:
    """How a count of collectives is written: "01", "02" … "12"."""
    return f"{count:02d}"


def vote_text(percent: Decimal | None) -> str:
    """ "100%", "88,89%"; empty when no ballot decided the item."""
    return "" if percent is None else layout.vn_number(percent) + "%"


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def movement_paragraph(
    cluster_name: str,
    year: int,
    members: int,
    meetings: list[Meeting],
    movements: list[str],
    day: datetime.date,
) -> str:
    """The short account of the cluster's year from what the system holds: its members,
    the meetings held by `day` and the movements it took part in."""
    held = {
        Meeting.Kind.COVENANT_SIGNING: "ký kết giao ước thi đua",
        Meeting.Kind.SIX_MONTH_REVIEW: "tổ chức hội nghị sơ kết 6 tháng",
        Meeting.Kind.ANNUAL_REVIEW: "tổ chức hội nghị tổng kết năm",
    }
    done = [
        f"{held[meeting.kind]} ngày {_day(meeting.date)}"
        for meeting in meetings
        if meeting.kind in held and meeting.date <= day
    ]
    text = f"Năm {year}, {cluster_name} gồm {count_text(members)} đơn vị thành viên"
    if done:
        text += "; các đơn vị đã " + ", ".join(done)
    if movements:
        text += "; hưởng ứng và thực hiện " + ", ".join(movements)
    return text + "."


def result_paragraph(
    cluster_name: str, year: int, deliberation: Meeting | None, ballot: Ballot | None
) -> str:
    """How the proposed units were chosen: the deliberation meeting and its ballot, or
    the ranking alone."""
    if deliberation is None:
        return (
            f"Căn cứ kết quả chấm điểm, xếp hạng các đơn vị thành viên năm {year}, "
            f"{cluster_name} thống nhất đề nghị khen thưởng các tập thể sau."
        )
    text = f"Tại cuộc họp bình xét, suy tôn ngày {_day(deliberation.date)}"
    if ballot is not None:
        text += (
            f" ({count_text(ballot.present)}/{count_text(ballot.members_total)} đơn vị "
            "thành viên tham dự)"
        )
    text += (
        f", {cluster_name} đã thống nhất kết quả chấm điểm, xếp hạng các đơn vị thành viên "
        f"năm {year}"
    )
    if ballot is not None:
        text += " và bỏ phiếu kín suy tôn các tập thể đề nghị khen thưởng"
    return text + "; kết quả như sau:"


def unit_line(name: str, score: str, rank: str, votes: str) -> str:
    """ "Huyện Tân Hồng: 1.010,00 điểm, xếp hạng 1/4, đạt 100% phiếu bầu." """
    parts = []
    if score:
        parts.append(f"{score} điểm")
    if rank:
        parts.append(f"xếp hạng {rank}")
    if votes:
        parts.append(f"đạt {votes} phiếu bầu")
    return f"{name}: {', '.join(parts)}." if parts else f"{name}."


def listed(lines: list[str]) -> list[str]:
    """ "- …;" lines, the last ending with "."."""
    return [f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines)]


def annex_note(snapshot: dict) -> str:
    """ "(Kèm theo Tờ trình số 03/TTr-CTĐ3 ngày 08 tháng 12 năm 2022 của Cụm thi đua số 3)";
    dots for the number and date of a draft."""
    number = snapshot.get("number_text") or layout.document_number(
        snapshot.get("number"), snapshot["symbol"]
    )
    when = iso_date_words(snapshot.get("date"))
    return f"(Kèm theo Tờ trình số {number} {when} của {snapshot['issuer_name']})"


ANNEX_HEADERS = [
    "STT",
    "Tên tập thể",
    "Hình thức đề nghị",
    "Điểm / xếp hạng",
    "Tóm tắt thành tích",
    "Ghi chú",
]


def word_document(snapshot: dict) -> bytes:
    """The letter in Word, paragraph for paragraph as the HTML prints it."""
    doc = w.new_document(snapshot)
    w.add_header(doc, snapshot)
    w.add_title(doc, snapshot)
    w.add_paragraphs(doc, snapshot["bases"], italic=True)
    for section in snapshot["sections"]:
        w.add_heading(doc, section["heading"])
        w.add_paragraphs(doc, section["paragraphs"])
    w.add_paragraph(doc, snapshot["closing"])
    w.add_signatures(doc, snapshot)
    w.add_page_break(doc)
    annex = snapshot["annex"]
    w.add_paragraph(doc, annex["title"], bold=True, align="center", indent=False)
    w.add_paragraph(doc, annex_note(snapshot), italic=True, align="center", indent=False)
    rows = [
        [
            str(row["number"]),
            row["name"],
            row["form"],
            "\n".join(part for part in (row["score"], row["rank"]) if part),
            row["summary"],
            row["note"],
        ]
        for row in annex["rows"]
    ]
    w.add_table(
        doc,
        ANNEX_HEADERS,
        rows,
        widths=[1.1, 3.1, 3.3, 2.2, 4.2, 2.6],
        align=["center", "left", "left", "center", "left", "left"],
    )
    return w.to_bytes(doc)


@register
class ProposalLetter(DocumentKind):
    code = Kind.PROPOSAL_LETTER
    abbreviation = "TTr"
    template = "reports/proposal_letter.html"
    docx = staticmethod(word_document)

    def get_source(self, request, key: str) -> Proposal:
        try:
            pk = int(key)
        except ValueError:
            raise Http404 from None
        return _get_proposal_for_user(request, pk)

    def issuer(self, source: Proposal):
        return cluster_issuer(source.cluster_year)

    def period(self, source: Proposal) -> str:
        return "annual"

    def build(self, source: Proposal) -> dict:
        term = (
            ClusterYear.objects.select_related("cluster__province", "head_unit")
            .prefetch_related("head_unit__names")
            .get(pk=source.cluster_year_id)
        )
        cluster = term.cluster
        issuer = cluster_issuer(term)
        date = timezone.localdate(source.submitted_at) if source.submitted_at else None
        day = date or timezone.localdate()

        items = list(
            ProposalItem.objects.filter(proposal_id=source.pk)
            .select_related("award_form", "unit")
            .prefetch_related("unit__names")
        )
        members = (
            Membership.objects.filter(cluster_year_id=term.pk).values("unit_id").distinct().count()
        )
        meetings = list(Meeting.objects.filter(cluster_year_id=term.pk).order_by("date", "pk"))
        deliberations = [m for m in meetings if m.kind == Meeting.Kind.DELIBERATION]
        deliberation = deliberations[-1] if deliberations else None
        ballot = (
            Ballot.objects.filter(meeting_id=deliberation.pk).order_by("round", "pk").first()
            if deliberation
            else None
        )
        movements = list(
            Movement.objects.filter(clusters=cluster)
            .filter(Q(start__isnull=True) | Q(start__lte=term.last_day))
            .filter(Q(end__isnull=True) | Q(end__gte=term.first_day))
            .order_by("start", "name")
            .values_list("name", flat=True)
            .distinct()
        )

        head_word = "KHỐI" if cluster.kind == Cluster.Kind.BLOC else "CỤM"
        bases = legal_basis.emulation_bases(day) + [
            f"Quy chế tổ chức và hoạt động của {cluster.name}"
        ]
        if deliberation is not None:
            bases.append(
                f"Biên bản họp bình xét, suy tôn {layout.date_words(deliberation.date)} "
                f"của {cluster.name}"
            )

        forms: dict[int, dict] = {}
        rows = []
        for number, item in enumerate(items, start=1):
            name = item.unit.name_on(day)
            score = layout.vn_number(item.score, places=2) if item.score is not None else ""
            rank = f"{item.rank}/{members}" if item.rank else ""
            votes = vote_text(item.vote_percent)
            form = forms.setdefault(item.award_form_id, {"name": item.award_form.name, "units": []})
            form["units"].append(unit_line(name, score, rank, votes))
            rows.append(
                {
                    "number": number,
                    "name": name,
                    "form": item.award_form.name,
                    "score": score,
                    "rank": rank,
                    # Worded as the decision will cite it.
                    "summary": citation(item.award_form, cluster.name, term.year),
                    "note": f"Đạt {votes} phiếu bầu" if votes else "",
                }
            )
        proposed = []
        for index, form in enumerate(forms.values(), start=1):
            proposed.append(
                f"{index}. Đề nghị Chủ tịch UBND tỉnh tặng {form['name']} cho "
                f"{count_text(len(form['units']))} tập thể:"
            )
            proposed += [f"- {line}" for line in form["units"]]

        dossier = ["Danh sách đề nghị khen thưởng (kèm theo Tờ trình này)"]
        if deliberation is not None:
            dossier.append(f"Biên bản họp bình xét, suy tôn ngày {_day(deliberation.date)}")
        if ballot is not None:
            dossier.append("Biên bản kiểm phiếu")
        dossier.append(f"Bảng tổng hợp điểm năm {term.year}")
        if items:
            units = len({item.unit_id for item in items})
            dossier.append(
                f"Báo cáo thành tích của {count_text(units)} tập thể được đề nghị khen thưởng"
            )

        province = cluster.province
        return {
            "meta": {
                "title": f"Tờ trình đề nghị khen thưởng năm {term.year} – {cluster.name}",
                "author": cluster.name,
            },
            **issuer.heading(self.abbreviation),
            "date": date.isoformat() if date else None,
            "title": "TỜ TRÌNH",
            "summary": summary_line([item.award_form.name for item in items], term.year),
            "kinh_gui": f"Chủ tịch UBND tỉnh {province.name} (qua Sở Nội vụ)",
            "issuer_name": cluster.name,
            "year": term.year,
            "bases": legal_basis.basis_lines(bases),
            "sections": [
                {
                    "heading": "I. Kết quả thực hiện phong trào thi đua",
                    "paragraphs": [
                        movement_paragraph(
                            cluster.name, term.year, members, meetings, movements, day
                        )
                    ],
                },
                {
                    "heading": "II. Kết quả chấm điểm, bình xét, suy tôn",
                    "paragraphs": [result_paragraph(cluster.name, term.year, deliberation, ballot)],
                },
                {
                    "heading": "III. Đề nghị khen thưởng",
                    "paragraphs": proposed or ["Không có tập thể được đề nghị."],
                },
                {"heading": "IV. Hồ sơ kèm theo", "paragraphs": listed(dossier)},
            ],
            "closing": (
                f"{cluster.name} kính trình Chủ tịch UBND tỉnh {province.name} xem xét, "
                "quyết định./."
            ),
            "signatures": [
                {
                    "authority": f"TM. {issuer.header_name}",
                    "role": f"{head_word} TRƯỞNG",
                    "position": term.signer_position.upper(),
                    "name": term.signer_name,
                }
            ],
            "recipients": RECIPIENTS,
            "annex": {"title": "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "rows": rows},
        }
