"""Báo cáo sơ kết 6 tháng / tổng kết năm of a cluster (domain.md §5.2 c), from a period.

Every sentence is built from recorded data; nothing is praised that the data does not
show. What the report counts, by section:

- I. the members during the period (names on its last day), the head and deputy;
- II.1 the covenant's signing date (or the covenant-signing meeting's) and signatories;
- II.2 per member, the covenant targets reached on the period's agreed scores, by the
  ranking's own rule (clusters.ranking);
- II.3 the meetings of the cluster year held from 1 January to the period's end;
- II.4 the commendations handed out at those meetings, and the province's awards to the
  members for the year's results (for the six months, only those decided by its end);
- II.5 the members' exemplary models recognised in the period and the cluster's movements;
- III. a neutral summary of those counts; IV. the top of the ranking ("tạm thời" for six
  months, or while the scores are not agreed); V. the directions recorded at the
  period's review meeting and, for the year, the next head and deputy; VI. "Không.".
"""

import datetime
from collections import Counter

from clusters import ranking, scoring
from clusters.models import (
    AwardRecipient,
    ExemplaryModel,
    Meeting,
    MeetingSection,
    Movement,
    Period,
    Unit,
)
from clusters.score_services import period_dates

from .. import layout
from ..kinds import DocumentKind, cluster_issuer, register
from ..models import Kind
from .score_summary import head_signature, period_source, period_words, points, ranked

MEETING_KINDS = {
    Meeting.Kind.COVENANT_SIGNING: "Hội nghị ký kết giao ước thi đua",
    Meeting.Kind.SIX_MONTH_REVIEW: "Hội nghị sơ kết 6 tháng",
    Meeting.Kind.ANNUAL_REVIEW: "Hội nghị tổng kết năm",
    Meeting.Kind.DELIBERATION: "Họp bình xét, suy tôn",
}
EXEMPLARY_KINDS = {
    ExemplaryModel.Kind.EXEMPLAR: "Gương điển hình tiên tiến",
    ExemplaryModel.Kind.GOOD_DEED: "Người tốt, việc tốt",
    ExemplaryModel.Kind.NEW_MODEL: "Mô hình mới",
}
EXEMPLARY_COUNTED = {
    ExemplaryModel.Kind.EXEMPLAR: "gương điển hình tiên tiến",
    ExemplaryModel.Kind.GOOD_DEED: "gương “người tốt, việc tốt”",
    ExemplaryModel.Kind.NEW_MODEL: "mô hình mới",
}
MOVEMENT_KINDS = {Movement.Kind.REGULAR: "thường xuyên", Movement.Kind.THEMATIC: "chuyên đề"}
REVIEW_KINDS = {
    Period.Kind.SIX_MONTH: Meeting.Kind.SIX_MONTH_REVIEW,
    Period.Kind.ANNUAL: Meeting.Kind.ANNUAL_REVIEW,
}
TOP_RANKS = 3


def dmy(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def next_period_words(period: Period) -> str:
    year = period.cluster_year.year
    if period.kind == Period.Kind.SIX_MONTH:
        return f"6 tháng cuối năm {year}"
    return f"năm {year + 1}"


def name_on(unit: Unit | None, day: datetime.date) -> str:
    return unit.name_on(day) if unit else ""


def target_rows(data: ranking.PeriodData) -> list[dict]:
    """Per member: targets assigned, reached on the agreed scores, and the ones missed."""
    try:
        specs = {spec.code: spec for spec in data.specs}
    except scoring.ScoreError:
        return []
    quantitative = [c for c in data.scorable if c.kind == scoring.Kind.QUANTITATIVE]
    rows = []
    for unit in data.members:
        assigned, missed = 0, []
        for criterion in quantitative:
            target = data.targets.get((unit.pk, criterion.pk))
            if target is None:
                continue
            assigned += 1
            score = data.score(unit.pk, criterion.pk)
            # The ranking's own rule for "target reached" (clusters.ranking docstring).
            if not ranking._target_reached(specs[criterion.code], score, target):
                missed.append(criterion.code)
        if assigned:
            rows.append(
                {
                    "name": data.names[unit.pk],
                    "assigned": assigned,
                    "reached": assigned - len(missed),
                    "percent": layout.percent(assigned - len(missed), assigned),
                    "missed": ", ".join(missed),
                }
            )
    for position, row in enumerate(rows, start=1):
        row["stt"] = position
    return rows


def commendation_rows(meetings, awards, province_name: str) -> list[dict]:
    """Counts by form of commendation and who gave it, with the decisions they rest on."""
    groups: dict[tuple[str, str], dict] = {}

    def group(form, issuer):
        return groups.setdefault(
            (form, issuer),
            {"form": form, "issuer": issuer, "collective": 0, "individual": 0, "basis": []},
        )

    for meeting in meetings:
        for commendation in meeting.commendations.all():
            row = group(commendation.form, commendation.issuer)
            row["collective" if commendation.collective else "individual"] += 1
            if commendation.decision_ref and commendation.decision_ref not in row["basis"]:
                row["basis"].append(commendation.decision_ref)
    for award in awards:
        decision = award.decision
        row = group(decision.award_form.name, f"Chủ tịch UBND tỉnh {province_name}")
        row["collective"] += 1
        basis = f"Quyết định số {decision.number} ngày {dmy(decision.date)}"
        if basis not in row["basis"]:
            row["basis"].append(basis)
    rows = list(groups.values())
    for position, row in enumerate(rows, start=1):
        row["stt"] = position
        row["basis"] = "; ".join(row["basis"])
    return rows


def directions_lines(review: Meeting | None) -> list[str]:
    if review is None:
        return []
    return [
        line.strip()
        for section in review.sections.all()
        if section.kind == MeetingSection.Kind.DIRECTIONS
        for line in section.body.splitlines()
        if line.strip()
    ]


@register
class ClusterReport(DocumentKind):
    code = Kind.CLUSTER_REPORT
    abbreviation = "BC"
    template = "reports/cluster_report.html"

    def get_source(self, request, key):
        return period_source(request, key)

    def issuer(self, period):
        return cluster_issuer(period.cluster_year)

    def period(self, period):
        return period.kind

    def build(self, period) -> dict:
        term = period.cluster_year
        cluster = term.cluster
        province = cluster.province
        issuer = self.issuer(period)
        first, last = period_dates(period)
        words, next_words = period_words(period), next_period_words(period)
        data = ranking.load_period(period)
        rows, error = ranked(data)
        member_names = [data.names[unit.pk] for unit in data.members]
        leaders = {
            unit.pk: unit
            for unit in Unit.objects.filter(
                pk__in=[pk for pk in (term.head_unit_id, term.deputy_unit_id) if pk]
            ).prefetch_related("names")
        }
        head = name_on(leaders.get(term.head_unit_id), last)
        deputy = name_on(leaders.get(term.deputy_unit_id), last)

        meetings = list(
            Meeting.objects.filter(cluster_year=term)
            .select_related("host_unit", "next_head_unit", "next_deputy_unit")
            .prefetch_related(
                "host_unit__names",
                "next_head_unit__names",
                "next_deputy_unit__names",
                "commendations",
                "sections",
            )
            .order_by("date", "start_time", "pk")
        )
        held = [m for m in meetings if m.date <= last]
        reviews = [m for m in meetings if m.kind == REVIEW_KINDS[period.kind]]
        review = reviews[-1] if reviews else None
        signing = next((m for m in meetings if m.kind == Meeting.Kind.COVENANT_SIGNING), None)

        member_ids = [unit.pk for unit in data.members]
        awards = AwardRecipient.objects.filter(
            unit_id__in=member_ids, year=term.year
        ).select_related("decision__award_form")
        if period.kind == Period.Kind.SIX_MONTH:
            awards = awards.filter(decision__date__lte=last)
        awards = list(awards.order_by("decision__award_form__position", "decision__date", "pk"))
        models = list(
            ExemplaryModel.objects.filter(
                unit_id__in=member_ids, recognised_on__gte=first, recognised_on__lte=last
            ).order_by("recognised_on", "pk")
        )
        movements = [
            m
            for m in Movement.objects.filter(clusters=cluster).order_by("launched_on", "name")
            if (m.start or first) <= last
            and (m.end or last) >= first
            and (m.launched_on or first) <= last
        ]

        covenant = ranking.covenant_of(period)
        targets = target_rows(data)
        commendations = commendation_rows(held, awards, province.name)
        vetoed = [row.result.name for row in rows if row.result.vetoed]
        provisional = period.kind == Period.Kind.SIX_MONTH or period.state not in (
            Period.State.AGREED,
            Period.State.LOCKED,
        )

        summary = (
            f"Kết quả thực hiện phong trào thi đua {words} và phương hướng, nhiệm vụ "
            f"{next_words} của {cluster.name}"
        )
        return {
            "meta": {"title": f"Báo cáo {summary}", "author": issuer.header_name},
            **issuer.heading(self.abbreviation),
            "date": None,
            "title": "BÁO CÁO",
            "summary": summary,
            "intro": f"{cluster.name} báo cáo kết quả thực hiện phong trào thi đua {words} "
            f"và phương hướng, nhiệm vụ {next_words} như sau:",
            "situation": self._situation(cluster, term, member_names, head, deputy),
            "covenant": self._covenant(term, covenant, signing),
            "targets": {
                "intro": self._targets_intro(targets, words),
                "rows": targets,
            },
            "meetings": {
                "intro": f"Trong {words}, Cụm đã tổ chức {len(held)} hội nghị, cuộc họp:"
                if held
                else f"Trong {words}, Cụm chưa tổ chức hội nghị, cuộc họp nào.",
                "lines": [
                    f"Ngày {dmy(m.date)}, tại {m.venue or name_on(m.host_unit, m.date)}: "
                    f"{MEETING_KINDS.get(m.kind, m.get_kind_display())}."
                    for m in held
                ],
            },
            "commendations": {
                "intro": f"Trong {words}, các đơn vị thành viên và cá nhân thuộc Cụm được "
                "khen thưởng như sau:"
                if commendations
                else f"Trong {words}, chưa ghi nhận kết quả khen thưởng của các đơn vị thành viên.",
                "rows": commendations,
            },
            "exemplary": {
                "intro": self._exemplary_intro(models, words),
                "rows": [
                    {
                        "stt": position,
                        "name": data.names.get(model.unit_id, ""),
                        "title": model.title,
                        "kind": EXEMPLARY_KINDS.get(model.kind, ""),
                        "date": dmy(model.recognised_on),
                    }
                    for position, model in enumerate(models, start=1)
                ],
                "movements": [self._movement(m) for m in movements],
            },
            "assessment": self._assessment(words, held, targets, len(member_names), models, vetoed),
            "ranking": self._ranking(rows, error, words, provisional, vetoed),
            "directions": {
                "title": f"Phương hướng, nhiệm vụ {next_words}",
                "lines": directions_lines(review)
                or [
                    f"Tiếp tục thực hiện các chỉ tiêu, nhiệm vụ đã ký kết trong giao ước thi "
                    f"đua năm {term.year}."
                    if period.kind == Period.Kind.SIX_MONTH
                    else f"Tổ chức ký kết giao ước thi đua {next_words}."
                ],
                "leaders": self._next_leaders(period, review, term.year + 1),
            },
            "proposals": "Không.",
            "closing": f"Trên đây là báo cáo {summary[0].lower()}{summary[1:]}./.",
            "signatures": [head_signature(term, issuer)],
            "recipients": [
                "Sở Nội vụ (Phòng Thi đua - Khen thưởng)",
                "Các đơn vị thành viên",
                "Lưu: VT",
            ],
        }

    @staticmethod
    def _movement(movement) -> str:
        launched = f", phát động ngày {dmy(movement.launched_on)}" if movement.launched_on else ""
        return f"{movement.name} (phong trào {MOVEMENT_KINDS[movement.kind]}{launched})."

    @staticmethod
    def _situation(cluster, term, member_names, head, deputy) -> list[str]:
        members = ", ".join(member_names)
        lines = [
            f"{cluster.name} năm {term.year} gồm {len(member_names)} đơn vị thành viên: {members}."
            if member_names
            else f"{cluster.name} năm {term.year} chưa có đơn vị thành viên."
        ]
        lines.append(
            f"Đơn vị Cụm trưởng: {head or 'chưa phân công'}; "
            f"đơn vị Cụm phó: {deputy or 'chưa phân công'}."
        )
        return lines

    @staticmethod
    def _covenant(term, covenant, signing) -> list[str]:
        year = term.year
        day = covenant.signed_on if covenant else None
        if day is None and signing is not None:
            day = signing.date
        if covenant is None:
            return [f"Cụm chưa ghi nhận giao ước thi đua năm {year}."]
        if day:
            lines = [f"Ngày {dmy(day)}, các đơn vị thành viên ký kết giao ước thi đua năm {year}."]
        else:
            lines = [f"Các đơn vị thành viên ký kết giao ước thi đua năm {year}."]
        signatories = "; ".join(
            line.strip() for line in covenant.signatories.splitlines() if line.strip()
        )
        if signatories:
            lines.append(f"Đại diện ký kết: {signatories}.")
        sheet = covenant.sheet
        lines.append(
            f"Giao ước kèm theo {sheet.name} (thang điểm {layout.vn_number(sheet.scale)} điểm)."
        )
        return lines

    @staticmethod
    def _targets_intro(targets, words) -> str:
        if not targets:
            return "Giao ước chưa giao chỉ tiêu định lượng cho các đơn vị thành viên."
        return f"Kết quả thực hiện các chỉ tiêu giao ước {words}, theo điểm thống nhất của Cụm:"

    @staticmethod
    def _exemplary_intro(models, words) -> str:
        if not models:
            return (
                f"Trong {words}, chưa ghi nhận gương điển hình, mô hình mới của các đơn vị "
                "thành viên."
            )
        counts = Counter(model.kind for model in models)
        parts = "; ".join(
            f"{counts[kind]} {label}" for kind, label in EXEMPLARY_COUNTED.items() if counts[kind]
        )
        return (
            f"Trong {words}, các đơn vị thành viên có {len(models)} gương điển hình, mô hình "
            f"được công nhận ({parts}):"
        )

    @staticmethod
    def _assessment(words, held, targets, member_count, models, vetoed) -> list[str]:
        lines = [f"Trong {words}, Cụm đã tổ chức {len(held)} hội nghị, cuộc họp."]
        if targets:
            complete = [row for row in targets if row["reached"] == row["assigned"]]
            lines.append(
                f"Có {len(complete)}/{member_count} đơn vị thành viên đạt toàn bộ chỉ tiêu "
                "giao ước."
            )
            behind = [row["name"] for row in targets if row["reached"] < row["assigned"]]
            if behind:
                lines.append(f"Đơn vị còn chỉ tiêu chưa đạt: {', '.join(behind)}.")
        lines.append(
            f"Các đơn vị thành viên có {len(models)} gương điển hình, mô hình được công nhận."
        )
        if vetoed:
            lines.append(
                f"Có {len(vetoed)} đơn vị thuộc trường hợp không xét thi đua: {', '.join(vetoed)}."
            )
        return lines

    @staticmethod
    def _ranking(rows, error, words, provisional, vetoed) -> dict:
        if error:
            return {"intro": f"Chưa có kết quả chấm điểm, xếp hạng: {error}", "lines": []}
        if not rows:
            return {"intro": "Chưa có kết quả chấm điểm, xếp hạng.", "lines": []}
        label = "tạm thời " if provisional else ""
        lines = [
            f"Xếp hạng {row.rank}: {row.result.name} ({points(row.result.final)} điểm)."
            for row in rows
            if row.rank <= TOP_RANKS and not row.result.vetoed
        ]
        if vetoed:
            lines.append(f"Đơn vị thuộc trường hợp không xét thi đua: {', '.join(vetoed)}.")
        return {
            "intro": f"Kết quả chấm điểm, xếp hạng {label}{words} theo điểm thống nhất của "
            "Cụm (chi tiết tại Bảng tổng hợp điểm):",
            "lines": lines,
        }

    @staticmethod
    def _next_leaders(period, review, next_year) -> str:
        if period.kind != Period.Kind.ANNUAL or review is None:
            return ""
        if not (review.next_head_unit_id or review.next_deputy_unit_id):
            return ""
        head = name_on(review.next_head_unit, review.date) or "chưa thống nhất"
        deputy = name_on(review.next_deputy_unit, review.date) or "chưa thống nhất"
        return (
            f"Hội nghị tổng kết ngày {dmy(review.date)} thống nhất đơn vị Cụm trưởng năm "
            f"{next_year}: {head}; đơn vị Cụm phó: {deputy}."
        )
