"""Biên bản hội nghị sơ kết 6 tháng / tổng kết năm (NĐ 30 Mẫu 1.9; domain.md §5.2 d).

The source is a six-month or annual review meeting. The minutes print, in order: start
time, venue, attendance (guests; members present x/y with their delegates), chair and
secretary, the meeting's content sections in their order, the period's ranking when its
scores are agreed, the next head, deputy and host, the commendations handed out, the
end time and the adoption line; signed THƯ KÝ (left) and CHỦ TỌA (right).

The helpers at the top are shared with the deliberation minutes.
"""

import datetime

from django.db.models import prefetch_related_objects
from django.http import Http404

from clusters import meeting_services, scoring, text
from clusters.award_rules import vote_percent
from clusters.models import Meeting, MeetingCommendation, Period, Unit
from clusters.ranking import load_period

from .. import docx_writer as w
from ..kinds import DocumentKind, cluster_issuer, register
from ..layout import date_words, vn_number
from ..models import Kind

MeetingKind = Meeting.Kind

RECIPIENTS = [
    "Sở Nội vụ (Phòng Thi đua - Khen thưởng)",
    "Các đơn vị thành viên",
    "Lưu: VT, Hồ sơ",
]
BLANK = "…"

# What a section is called in the minutes when it has no title of its own.
SECTION_TITLES = {
    "report": "Báo cáo",
    "results": "Kết quả đạt được",
    "limitations": "Hạn chế, khó khăn",
    "discussion": "Thảo luận",
    "guidance": "Ý kiến chỉ đạo, hướng dẫn của Sở Nội vụ",
    "conclusions": "Kết luận",
    "directions": "Phương hướng, nhiệm vụ",
    "other": "Nội dung khác",
}


# --- Shared by the minutes ----------------------------------------------------------


def load_meeting(pk: int) -> Meeting:
    """The meeting with its term, cluster, province and every unit it names, with their
    name histories (a constant number of queries)."""
    units = ["host_unit", "next_head_unit", "next_deputy_unit", "next_host_unit"]
    meeting = Meeting.objects.select_related(
        "cluster_year__cluster__province", "cluster_year__head_unit", *units
    ).get(pk=pk)
    named = [meeting.cluster_year.head_unit, *(getattr(meeting, u) for u in units)]
    # One query for the name histories of all of them.
    prefetch_related_objects([unit for unit in named if unit is not None], "names")
    return meeting


def clock(value: datetime.time | None) -> str:
    """ "08 giờ 00"; blanks to fill in by hand when the time was not recorded."""
    if value is None:
        return f"{BLANK} giờ {BLANK}"
    return f"{value.hour:02d} giờ {value.minute:02d}"


def percent_text(value) -> str:
    """A Decimal percentage as printed: "66,67%", "100%"."""
    return f"{vn_number(value)}%"


def person(name: str, position: str) -> str:
    parts = [part.strip() for part in (name, position) if part and part.strip()]
    return ", ".join(parts) or BLANK


def lines_of(value: str) -> list[str]:
    """The non-empty lines of a one-per-line field, as the meeting pages list them."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def paragraphs_of(body: str) -> list[str]:
    """A section's text as paragraphs: every non-empty line is one (a blank line, too,
    separates paragraphs); spaces inside a line are collapsed."""
    return [" ".join(line.split()) for line in body.splitlines() if line.strip()]


def unit_name(unit: Unit | None, day: datetime.date) -> str:
    return unit.name_on(day) if unit is not None else ""


def attendance(meeting: Meeting) -> dict:
    """Members on the meeting date, present or not, with their delegates, and the quorum
    as the meeting page computes it (meeting_services.quorum)."""
    term, day = meeting.cluster_year, meeting.date
    members = list(meeting_services.members_on(term, day).prefetch_related("names"))
    # In Vietnamese order of the names they bore that day.
    members.sort(key=lambda unit: (text.sort_key(unit.name_on(day)), unit.pk))
    rows = {row.unit_id: row for row in meeting.attendance.all()}
    present_ids = {unit_id for unit_id, row in rows.items() if row.present}
    quorum = meeting_services.quorum(
        {unit.pk for unit in members}, present_ids, meeting_services.quorum_percent(term)
    )
    return {
        "present": quorum.present,
        "total": quorum.total,
        "count": f"{quorum.present}/{quorum.total}",
        "percent": percent_text(vote_percent(quorum.present, quorum.total)),
        "quorum_percent": percent_text(quorum.percent),
        "quorum_reached": quorum.reached,
        "units": [
            {
                "name": unit.name_on(day),
                "present": unit.pk in present_ids,
                "delegates": lines_of(rows[unit.pk].delegates) if unit.pk in rows else [],
            }
            for unit in members
        ],
        "absent": [unit.name_on(day) for unit in members if unit.pk not in present_ids],
    }


def ranking_rows(period: Period | None, day: datetime.date) -> list[dict]:
    """The period's ranking on its agreed scores (clusters.ranking), names on `day`;
    empty when there is no period, no sheet, no agreed score or the sheet cannot be used."""
    if period is None:
        return []
    data = load_period(period)
    if data.sheet is None or not data.scores:
        return []
    try:
        rows = data.ranking()
    except scoring.ScoreError:
        return []
    units = {unit.pk: unit for unit in data.members}
    return [
        {
            "rank": row.rank,
            "name": units[row.result.key].name_on(day),
            "total": vn_number(row.result.final, 2),
            "tied": row.tied,
            "vetoed": row.result.vetoed,
            "veto_reasons": list(row.result.veto_reasons),
        }
        for row in rows
    ]


def veto_line(rows: list[dict]) -> str:
    """The units a veto criterion keeps from any award, under the ranking."""
    vetoed = [row["name"] for row in rows if row["vetoed"]]
    if not vetoed:
        return ""
    return f"Đơn vị vi phạm tiêu chí không xét khen thưởng: {', '.join(vetoed)}."


def term_period(meeting: Meeting, kind: str) -> Period | None:
    return (
        Period.objects.filter(cluster_year_id=meeting.cluster_year_id, kind=kind)
        .select_related("cluster_year__cluster", "cluster_year__covenant__sheet")
        .first()
    )


def succession_lines(meeting: Meeting) -> list[str]:
    """Next head, deputy and host, as agreed at the meeting."""
    day, next_year = meeting.date, meeting.cluster_year.year + 1
    lines = []
    if meeting.next_head_unit:
        lines.append(f"Cụm trưởng năm {next_year}: {unit_name(meeting.next_head_unit, day)}.")
    if meeting.next_deputy_unit:
        lines.append(f"Cụm phó năm {next_year}: {unit_name(meeting.next_deputy_unit, day)}.")
    if meeting.next_host_unit:
        lines.append(
            f"Đơn vị đăng cai hội nghị tiếp theo: {unit_name(meeting.next_host_unit, day)}."
        )
    return lines


def header_part(meeting: Meeting, issuer, *, summary: str, title_prefix: str) -> dict:
    """The keys every minutes snapshot shares (kinds.py)."""
    cluster = meeting.cluster_year.cluster
    return {
        "meta": {"title": f"{title_prefix} {summary}", "author": cluster.name},
        **issuer.heading("BB"),
        "date": meeting.date.isoformat(),
        "no_header_date": True,
        "title": "BIÊN BẢN",
        "summary": summary,
        "recipients": list(RECIPIENTS),
    }


def meeting_lines(meeting: Meeting) -> dict:
    """Start time, venue, chair, secretary, end and adoption lines."""
    host = unit_name(meeting.host_unit, meeting.date)
    venue = meeting.venue.strip() or host
    if host and meeting.venue.strip() and host not in venue:
        venue = f"{venue} (đơn vị đăng cai: {host})"
    approval = (
        percent_text(meeting.approval_percent)
        if meeting.approval_percent is not None
        else f"{BLANK}%"
    )
    return {
        "start": f"Thời gian bắt đầu: {clock(meeting.start_time)}, {date_words(meeting.date)}.",
        "venue": f"Địa điểm: {venue or BLANK}.",
        "guests": lines_of(meeting.guests),
        "chair": person(meeting.chair_name, meeting.chair_position),
        "secretary": person(meeting.secretary_name, meeting.secretary_position),
        "end": f"Cuộc họp kết thúc vào {clock(meeting.end_time)} cùng ngày.",
        "approval": (
            f"Biên bản đã được thông qua tại hội nghị, các thành viên thống nhất {approval}."
        ),
    }


def minutes_signatures(meeting: Meeting, chair_role: str) -> list[dict]:
    """THƯ KÝ on the left; the chair (CHỦ TỌA or CHỦ TRÌ) on the right with their position."""
    return [
        {"authority": "", "role": "THƯ KÝ", "position": "", "name": meeting.secretary_name},
        {
            "authority": "",
            "role": chair_role,
            "position": meeting.chair_position.upper(),
            "name": meeting.chair_name,
        },
    ]


def get_meeting(request, key: str, kinds) -> Meeting:
    from clusters.views.meetings import _get_meeting_for_user

    try:
        pk = int(key)
    except ValueError:
        raise Http404 from None
    meeting = _get_meeting_for_user(request, pk)
    if meeting.kind not in kinds:
        raise Http404
    return meeting


def docx_opening(snapshot: dict):
    """The Word document up to the title, and the opening lines every minutes prints."""
    doc = w.new_document(snapshot)
    w.add_header(doc, snapshot)
    w.add_title(doc, snapshot)
    lines = snapshot["lines"]
    w.add_paragraphs(doc, [lines["start"], lines["venue"]])
    return doc


def docx_attendance(doc, snapshot: dict):
    lines, attendance = snapshot["lines"], snapshot["attendance"]
    w.add_paragraph(doc, "Thành phần tham dự:")
    if lines["guests"]:
        w.add_paragraph(doc, "- Đại biểu khách mời:")
        w.add_paragraphs(doc, [f"+ {guest}" for guest in lines["guests"]])
    w.add_paragraph(doc, lines["members"])
    for unit in attendance["units"]:
        if unit["present"]:
            delegates = "; ".join(unit["delegates"])
            w.add_paragraph(doc, f"+ {unit['name']}" + (f": {delegates}" if delegates else ""))
    if attendance["absent"]:
        w.add_paragraph(doc, f"- Vắng mặt: {', '.join(attendance['absent'])}.")
    w.add_paragraph(doc, f"Chủ trì (chủ tọa): {lines['chair']}.")
    w.add_paragraph(doc, f"Thư ký (người ghi biên bản): {lines['secretary']}.")


# --- The review minutes -------------------------------------------------------------


def review_summary(meeting: Meeting) -> str:
    cluster, year = meeting.cluster_year.cluster, meeting.cluster_year.year
    if meeting.kind == MeetingKind.SIX_MONTH_REVIEW:
        return f"Hội nghị sơ kết 6 tháng đầu năm {year} {cluster.name}"
    return f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {year} {cluster.name}"


def recipient_text(commendation: MeetingCommendation, day: datetime.date) -> str:
    """The recipient, with their unit when the name does not already say it."""
    name = commendation.recipient_name
    unit = unit_name(commendation.recipient_unit, day)
    return f"{name} ({unit})" if unit and unit not in name else name


PERIOD_OF = {
    MeetingKind.SIX_MONTH_REVIEW: Period.Kind.SIX_MONTH,
    MeetingKind.ANNUAL_REVIEW: Period.Kind.ANNUAL,
}


def review_docx(snapshot: dict) -> bytes:
    doc = docx_opening(snapshot)
    docx_attendance(doc, snapshot)
    w.add_paragraph(doc, "Nội dung hội nghị:", bold=True)
    for section in snapshot["sections"]:
        w.add_heading(doc, section["heading"])
        w.add_paragraphs(doc, section["paragraphs"])
    ranking = snapshot["ranking"]
    if ranking:
        w.add_heading(doc, ranking["heading"])
        w.add_table(
            doc,
            ["Xếp hạng", "Đơn vị", "Tổng điểm"],
            [[str(row["rank"]), row["name"], row["total"]] for row in ranking["rows"]],
            widths=[2.5, 10.5, 3.5],
            align=["center", "left", "right"],
        )
        if ranking["veto_line"]:
            w.add_paragraph(doc, ranking["veto_line"])
    if snapshot["succession"]:
        w.add_heading(doc, snapshot["succession"]["heading"])
        w.add_paragraphs(doc, snapshot["succession"]["lines"])
    commendations = snapshot["commendations"]
    if commendations:
        w.add_heading(doc, commendations["heading"])
        w.add_table(
            doc,
            ["STT", "Tập thể, cá nhân", "Hình thức khen thưởng", "Cấp khen thưởng"],
            [
                [str(index), row["recipient_text"], row["form"], row["issuer_text"]]
                for index, row in enumerate(commendations["rows"], start=1)
            ],
            widths=[1.2, 5.8, 4.5, 5.0],
            align=["center", "left", "left", "left"],
        )
    lines = snapshot["lines"]
    w.add_paragraphs(doc, [lines["end"], lines["approval"]])
    w.add_signatures(doc, snapshot)
    return w.to_bytes(doc)


@register
class ReviewMinutes(DocumentKind):
    code = Kind.REVIEW_MINUTES
    abbreviation = "BB"
    template = "reports/review_minutes.html"
    docx = staticmethod(review_docx)

    def get_source(self, request, key):
        return get_meeting(request, key, PERIOD_OF)

    def issuer(self, meeting):
        return cluster_issuer(meeting.cluster_year)

    def period(self, meeting):
        return PERIOD_OF.get(meeting.kind, "")

    def build(self, meeting) -> dict:
        meeting = load_meeting(meeting.pk)
        day = meeting.date
        issuer = self.issuer(meeting)
        summary = review_summary(meeting)
        snapshot = header_part(meeting, issuer, summary=summary, title_prefix="Biên bản")
        snapshot["lines"] = meeting_lines(meeting)
        snapshot["attendance"] = present = attendance(meeting)
        snapshot["lines"]["members"] = (
            f"- Các đơn vị thành viên: có mặt {present['count']} đơn vị ({present['percent']}):"
        )

        number = 0
        sections = []
        for section in meeting.sections.all():
            number += 1
            title = section.title.strip() or SECTION_TITLES.get(section.kind, "")
            sections.append(
                {
                    "kind": section.kind,
                    "heading": f"{number}. {title}",
                    "paragraphs": paragraphs_of(section.body),
                }
            )
        snapshot["sections"] = sections

        snapshot["ranking"] = None
        rows = ranking_rows(term_period(meeting, PERIOD_OF[meeting.kind]), day)
        if rows:
            number += 1
            year = meeting.cluster_year.year
            when = (
                f"6 tháng đầu năm {year}"
                if meeting.kind == MeetingKind.SIX_MONTH_REVIEW
                else f"năm {year}"
            )
            snapshot["ranking"] = {
                "heading": f"{number}. Kết quả chấm điểm, xếp hạng {when}",
                "rows": rows,
                "veto_line": veto_line(rows),
            }

        snapshot["succession"] = None
        succession = succession_lines(meeting)
        if succession:
            number += 1
            snapshot["succession"] = {
                "heading": f"{number}. Cụm trưởng, Cụm phó và đơn vị đăng cai",
                "lines": succession,
            }

        snapshot["commendations"] = None
        commendations = list(
            MeetingCommendation.objects.filter(meeting=meeting)
            .select_related("recipient_unit")
            .prefetch_related("recipient_unit__names")
        )
        if commendations:
            number += 1
            snapshot["commendations"] = {
                "heading": f"{number}. Khen thưởng tại hội nghị",
                "rows": [
                    {
                        "recipient": c.recipient_name,
                        "unit": unit_name(c.recipient_unit, day),
                        "collective": c.collective,
                        "form": c.form,
                        "issuer": c.issuer,
                        "decision": c.decision_ref,
                        "recipient_text": recipient_text(c, day),
                        "issuer_text": c.issuer
                        + (f" ({c.decision_ref})" if c.decision_ref else ""),
                    }
                    for c in commendations
                ],
            }
        snapshot["signatures"] = minutes_signatures(meeting, "CHỦ TỌA")
        return snapshot
