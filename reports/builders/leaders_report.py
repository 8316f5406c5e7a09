"""Báo cáo kết quả chấm điểm, xếp hạng các cụm, khối thi đua: the review report for leaders.

One report per province and period (six months or the year), issued by Sở Nội vụ. The
body sums up every cluster and bloc of the province in one table (members, meetings held
in the period, the first-ranked unit and its total, the units proposed for the provincial
flag) and compares the clusters in charts; the annex gives each cluster's ranking and the
distribution of its members' totals, each cluster on a page of its own.

The charts are SVG (clusters.charts), drawn into the snapshot, so that an issued report
renders the same charts however the drawing code changes later, and WeasyPrint prints
them as vector paths. Everything is read in a constant number of queries, whatever the
number of clusters and members (clusters.ranking.load_periods).
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from clusters import charts, scoring
from clusters.access import access_for
from clusters.models import (
    AwardForm,
    ClusterYear,
    Meeting,
    Period,
    Proposal,
    ProposalItem,
    Province,
)
from clusters.ranking import PeriodData, load_periods
from clusters.views.units import _get_province_for_user

from .. import layout
from ..kinds import DocumentKind, province_issuer, register
from ..models import Kind

BODY = "SỞ NỘI VỤ"
SYMBOL = "SNV"
KEY = re.compile(r"^(?P<year>\d{4})-(?P<period>six_month|annual)(?:-(?P<province>\d+))?$")
# Clusters per comparison chart: a chart is never split across pages, so each must fit one.
CLUSTERS_PER_CHART = 20
MEETING_NAMES = {
    Meeting.Kind.COVENANT_SIGNING: "ký kết giao ước thi đua",
    Meeting.Kind.SIX_MONTH_REVIEW: "sơ kết 6 tháng",
    Meeting.Kind.ANNUAL_REVIEW: "tổng kết năm",
    Meeting.Kind.DELIBERATION: "bình xét, suy tôn",
}
RECIPIENTS = [
    "UBND tỉnh (để báo cáo)",
    "Hội đồng Thi đua - Khen thưởng tỉnh",
    "Các cụm, khối thi đua",
    "Lưu: VT, TĐKT",
]
NONE = "—"
# The width a chart takes on the page: A4 portrait less the margins (30 mm and 15 mm).
CHART_WIDTH_MM = 165
VIEW_BOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


@dataclass(frozen=True)
class ReportPeriod:
    """The source of the report: a province, a year and the kind of period."""

    province: Province
    year: int
    period_kind: str

    def key(self) -> str:
        return f"{self.year}-{self.period_kind}-{self.province.pk}"

    def get_absolute_url(self) -> str:
        """Where the draft's "Back" leads: the documents of the year."""
        return reverse("reports:downloads") + f"?year={self.year}"

    def dates(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day the period covers (as clusters.score_services.period_dates)."""
        last = (6, 30) if self.period_kind == Period.Kind.SIX_MONTH else (12, 31)
        return datetime.date(self.year, 1, 1), datetime.date(self.year, *last)


def period_words(period_kind: str, year: int) -> str:
    """ "6 tháng đầu năm 2022" or "năm 2022"."""
    return f"6 tháng đầu năm {year}" if period_kind == Period.Kind.SIX_MONTH else f"năm {year}"


def points(value) -> str:
    return layout.vn_number(value, 2)


def chart(svg: str) -> dict:
    """An SVG chart and the height it takes on the page at the page's full width.

    WeasyPrint does not take an inline SVG's proportions from its viewBox (it draws it
    in a square box), so the template gives the chart's box this height."""
    width, height = (float(n) for n in VIEW_BOX.search(svg).groups())
    # A plain str, not the SafeString charts returns: the snapshot holds plain JSON data.
    return {"svg": str.__str__(svg), "height": f"{CHART_WIDTH_MM * height / width:.1f}mm"}


@dataclass
class ClusterData:
    """What the report prints about one cluster or bloc."""

    term: ClusterYear
    data: PeriodData | None
    rows: list[scoring.RankedRow]
    error: str
    meetings: list[Meeting]
    flags: list[str]


def load_clusters(source: ReportPeriod) -> list[ClusterData]:
    """Every cluster and bloc of the province with a term in the year, in the order of the
    province's lists, with its period's ranking, meetings and flag proposals.

    A fixed number of queries whatever the number of clusters: terms; periods (with their
    stored results); load_periods' own; meetings; for the annual report, the flag items
    and the names of their units.
    """
    terms = list(
        ClusterYear.objects.filter(cluster__province=source.province, year=source.year)
        .select_related("cluster", "covenant__sheet")
        .annotate(member_count=Count("memberships__unit", distinct=True))
        .order_by("cluster__sort_key", "cluster__pk")
    )
    by_id = {term.pk: term for term in terms}
    periods = list(
        Period.objects.filter(cluster_year__in=terms, kind=source.period_kind).select_related(
            "result"
        )
    )
    for period in periods:
        # Reuse the terms already read, with their cluster and covenant.
        period.cluster_year = by_id[period.cluster_year_id]
    # A locked period is ranked as stored when it was locked, without reading its scores.
    data = {d.period.cluster_year_id: d for d in load_periods(periods, ranking_only=True)}

    first, last = source.dates()
    meetings: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(
        cluster_year__in=terms, date__range=(first, last)
    ).order_by("date", "start_time", "pk"):
        meetings.setdefault(meeting.cluster_year_id, []).append(meeting)

    # The units each cluster proposed for the provincial flag (a draft is not proposed yet).
    flags: dict[int, list[str]] = {}
    if source.period_kind == Period.Kind.ANNUAL:
        items = (
            ProposalItem.objects.filter(
                proposal__cluster_year__in=terms,
                award_form__level=AwardForm.Level.PROVINCIAL_FLAG,
            )
            .exclude(proposal__state=Proposal.State.DRAFT)
            .select_related("proposal", "unit")
            .prefetch_related("unit__names")
            .order_by("rank", "pk")
        )
        for item in items:
            flags.setdefault(item.proposal.cluster_year_id, []).append(item.unit.name_on(last))

    clusters = []
    for term in terms:
        period_data = data.get(term.pk)
        rows, error = _ranking(period_data)
        clusters.append(
            ClusterData(
                term, period_data, rows, error, meetings.get(term.pk, []), flags.get(term.pk, [])
            )
        )
    return clusters


def _ranking(data: PeriodData | None) -> tuple[list[scoring.RankedRow], str]:
    """The period's ranking, or why there is none (in Vietnamese)."""
    if data is None:
        return [], "Chưa mở kỳ chấm điểm."
    if data.sheet is None:
        return [], "Giao ước thi đua chưa có bảng điểm."
    if not data.members:
        return [], "Kỳ chấm điểm chưa có đơn vị thành viên."
    try:
        return data.ranking(), ""
    except scoring.ScoreError as error:
        return [], error.message


def _members(cluster: ClusterData) -> int:
    return (
        len(cluster.data.members)
        if cluster.data and cluster.data.members
        else cluster.term.member_count
    )


def _meeting_line(meeting: Meeting) -> str:
    return (
        f"{MEETING_NAMES.get(meeting.kind, meeting.get_kind_display())} ({meeting.date:%d/%m/%Y})"
    )


def _band(row: scoring.RankedRow) -> str:
    return "Không xét (vi phạm)" if row.result.vetoed else row.result.band or NONE


def cluster_section(cluster: ClusterData, number: int) -> dict:
    """The annex's page for one cluster: its ranking table and the distribution chart."""
    name = cluster.term.cluster.name
    rows = [
        {
            "stt": stt,
            "name": row.result.name,
            "total": points(row.result.final),
            "percent": layout.vn_number(row.result.percent, 2),
            "band": _band(row),
            "rank": str(row.rank),
        }
        for stt, row in enumerate(cluster.rows, start=1)
    ]
    distribution = None
    if cluster.rows:
        distribution = chart(
            charts.score_distribution(
                [row.result.final for row in cluster.rows],
                labels=[row.result.name for row in cluster.rows],
                title=f"Phân bố tổng điểm các đơn vị – {name}",
                max_score=cluster.data.rules.scale,
            )
        )
    return {
        "number": number,
        "name": name,
        "members": _members(cluster),
        "scale": layout.vn_number(cluster.data.rules.scale) if cluster.rows else "",
        "meetings": [_meeting_line(m) for m in cluster.meetings],
        "rows": rows,
        "error": cluster.error,
        "flags": cluster.flags,
        "chart": distribution,
    }


def summary_row(cluster: ClusterData, number: int) -> dict:
    leaders = [row for row in cluster.rows if row.rank == 1]
    return {
        "stt": number,
        "name": cluster.term.cluster.name,
        "members": _members(cluster),
        "meetings": len(cluster.meetings),
        "first": "; ".join(row.result.name for row in leaders) or NONE,
        "first_score": points(leaders[0].result.final) if leaders else NONE,
        "flags": "; ".join(cluster.flags) or NONE,
    }


def comparison_charts(clusters: list[ClusterData], words: str) -> list[dict]:
    """The clusters side by side (lowest, mean and highest total as a percentage of the
    maximum, since their score sheets differ), twenty clusters to a chart."""
    rows = []
    for cluster in clusters:
        percents = [float(row.result.percent) for row in cluster.rows]
        if percents:
            mean = sum(percents) / len(percents)
            rows.append((cluster.term.cluster.name, min(percents), mean, max(percents)))
        else:
            rows.append((cluster.term.cluster.name, None, None, None))
    chunks = [rows[i : i + CLUSTERS_PER_CHART] for i in range(0, len(rows), CLUSTERS_PER_CHART)]
    result = []
    for n, chunk in enumerate(chunks, start=1):
        title = f"Tổng điểm các cụm, khối thi đua {words} (tỷ lệ % so với điểm tối đa)"
        if len(chunks) > 1:
            title += f" – {n}/{len(chunks)}"
        result.append(chart(charts.cluster_comparison(chunk, title=title, max_score=100)))
    return result


def overview(source: ReportPeriod, clusters: list[ClusterData], words: str) -> list[str]:
    """The paragraphs of part I, from the figures."""
    province = source.province.name
    ranked = [c for c in clusters if c.rows]
    members = sum(_members(c) for c in clusters)
    meetings = sum(len(c.meetings) for c in clusters)
    paragraphs = [
        f"{words.capitalize()}, tỉnh {province} có {len(clusters)} cụm, khối thi đua với "
        f"{members} lượt đơn vị thành viên. Các cụm, khối đã tổ chức {meetings} hội nghị, "
        "cuộc họp (ký kết giao ước, sơ kết, tổng kết, bình xét, suy tôn) theo quy chế hoạt động.",
        f"Có {len(ranked)}/{len(clusters)} cụm, khối đã có kết quả chấm điểm, xếp hạng {words}.",
    ]
    missing = [c.term.cluster.name for c in clusters if not c.rows]
    if missing:
        paragraphs.append("Chưa có kết quả xếp hạng: " + "; ".join(missing) + ".")
    if source.period_kind == Period.Kind.ANNUAL:
        flags = sum(len(c.flags) for c in clusters)
        paragraphs.append(
            f"Các cụm, khối đã đề nghị tặng Cờ thi đua của UBND tỉnh cho {flags} tập thể."
        )
    return paragraphs


@register
class LeadersReport(DocumentKind):
    code = Kind.LEADERS_REPORT
    abbreviation = "BC"
    template = "reports/leaders_report.html"

    def get_source(self, request, key: str) -> ReportPeriod:
        """ "2022-annual" for the user's province, or "2022-annual-<province id>"; a 404
        for users who are not staff or leaders of that province."""
        match = KEY.match(key)
        if not match:
            raise Http404
        if match["province"]:
            province = Province.objects.filter(pk=int(match["province"])).first()
            if province is None or not access_for(request.user).can_view_province(province.pk):
                raise Http404
        else:
            province = _get_province_for_user(request)
        return ReportPeriod(province, int(match["year"]), match["period"])

    def key(self, source: ReportPeriod) -> str:
        return source.key()

    def issuer(self, source: ReportPeriod):
        return province_issuer(source.province, body=BODY, symbol=SYMBOL)

    def period(self, source: ReportPeriod) -> str:
        return source.period_kind

    def may_issue(self, request, source: ReportPeriod) -> bool:
        return access_for(request.user).can_manage_province(source.province.pk)

    def build(self, source: ReportPeriod) -> dict:
        issuer = self.issuer(source)
        words = period_words(source.period_kind, source.year)
        summary = f"Kết quả chấm điểm, xếp hạng các cụm, khối thi đua {words}"
        # The charts' own words (mean, maximum) are document content: always Vietnamese.
        with translation.override("vi"):
            clusters = load_clusters(source)
            sections = [cluster_section(c, n) for n, c in enumerate(clusters, start=1)]
            comparison = comparison_charts(clusters, words)
        return {
            "meta": {
                "title": f"Báo cáo {summary[0].lower()}{summary[1:]}",
                "author": f"Sở Nội vụ tỉnh {source.province.name}",
            },
            **issuer.heading(self.abbreviation),
            "date": None,
            "title": "BÁO CÁO",
            "summary": summary,
            "kinh_gui": f"Ủy ban nhân dân tỉnh {source.province.name}",
            "period_words": words,
            "show_flags": source.period_kind == Period.Kind.ANNUAL,
            "overview": overview(source, clusters, words),
            "summary_rows": [summary_row(c, n) for n, c in enumerate(clusters, start=1)],
            "comparison_charts": comparison,
            "clusters": sections,
            "signatures": [{"authority": "", "role": "GIÁM ĐỐC", "position": "", "name": ""}],
            "recipients": RECIPIENTS,
        }
