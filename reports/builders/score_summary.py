"""Bảng tổng hợp điểm: the agreed score table of a period, signed by the head.

One row per member in the order of the ranking (clusters.ranking, never recomputed
here): its self-scored and cross-scored totals when those stages were used (domain.md
§3.5), its agreed points per top-level group of the sheet, bonus, penalty, total and
rank. Vetoes and tie-breaks are explained in numbered notes under the table. Printed
landscape; the table's header repeats on every page and a row never splits.
"""

import dataclasses
from decimal import Decimal

from django.http import Http404
from django.utils import translation

from clusters import ranking, scoring
from clusters.models import Period, Score
from clusters.views.periods import _get_period_for_user

from .. import layout
from ..kinds import DocumentKind, cluster_issuer, register
from ..models import Kind

Stage = Score.Stage


def period_words(period: Period) -> str:
    """ "6 tháng đầu năm 2022" or "năm 2022"."""
    year = period.cluster_year.year
    if period.kind == Period.Kind.SIX_MONTH:
        return f"6 tháng đầu năm {year}"
    return f"năm {year}"


def points(value) -> str:
    return layout.vn_number(value, 2)


def max_points(value: Decimal) -> str:
    return layout.vn_number(value)


def display_name(data: ranking.PeriodData, unit) -> str:
    """The unit's name at the period's end; its short name when that is the current name."""
    name = data.names[unit.pk]
    return unit.short_name if unit.short_name and name == unit.name else name


def ranked(data: ranking.PeriodData) -> tuple[list[scoring.RankedRow], str]:
    """The period's ranking and, when it cannot be computed, why (in Vietnamese)."""
    with translation.override("vi"):
        if data.sheet is None:
            return [], "Giao ước thi đua chưa có bảng điểm."
        try:
            return data.ranking(), ""
        except scoring.ScoreError as error:
            return [], error.message


def stage_finals(data: ranking.PeriodData, stage: str) -> dict[int, Decimal | None]:
    """Each member's total on one earlier stage (self or cross), added up exactly as the
    agreed scores are; empty when no member has a score of that stage."""
    scores = {
        (unit_id, criterion_id, Stage.AGREED): score
        for (unit_id, criterion_id, score_stage), score in data.scores.items()
        if score_stage == stage and score.points is not None
    }
    if not scores or data.sheet is None:
        return {}
    as_agreed = dataclasses.replace(data, scores=scores)
    scored = {unit_id for unit_id, _criterion, _stage in scores}
    finals = {}
    for unit in data.members:
        if unit.pk not in scored:
            finals[unit.pk] = None
            continue
        try:
            finals[unit.pk] = as_agreed.unit_result(unit).final
        except scoring.ScoreError:
            finals[unit.pk] = None
    return finals


def veto_note(row: scoring.RankedRow) -> str:
    reasons = "; ".join(row.result.veto_reasons)
    return (
        f"{row.result.name}: thuộc trường hợp không xét thi đua ({reasons}), "
        "xếp hạng sau các đơn vị không vi phạm."
    )


def head_signature(term, issuer) -> dict:
    return {
        "authority": f"TM. {issuer.header_name}",
        "role": "CỤM TRƯỞNG",
        "position": term.signer_position,
        "name": term.signer_name,
    }


def period_source(request, key: str) -> Period:
    try:
        pk = int(key)
    except ValueError:
        raise Http404 from None
    return _get_period_for_user(request, pk)


@register
class ScoreSummary(DocumentKind):
    code = Kind.SCORE_SUMMARY
    abbreviation = ""
    template = "reports/score_summary.html"
    landscape = True

    def get_source(self, request, key):
        return period_source(request, key)

    def issuer(self, period):
        return cluster_issuer(period.cluster_year)

    def period(self, period):
        return period.kind

    def build(self, period) -> dict:
        term = period.cluster_year
        issuer = self.issuer(period)
        data = ranking.load_period(period, stages=(Stage.SELF, Stage.CROSS, Stage.AGREED))
        rows, error = ranked(data)
        units = {unit.pk: unit for unit in data.members}
        groups = data.top_criteria
        finals = {stage: stage_finals(data, stage) for stage in (Stage.SELF, Stage.CROSS)}

        table, notes = [], []
        for position, row in enumerate(rows, start=1):
            result = row.result
            texts = ([veto_note(row)] if result.vetoed else []) + [
                f"{result.name}: {note}" for note in row.tie_break_notes
            ]
            mark = f"({len(notes) + 1})" if texts else ""
            if texts:
                notes.append(f"{mark} {texts[0]}")
                notes += texts[1:]
            table.append(
                {
                    "stt": position,
                    "name": display_name(data, units[result.key]),
                    "self": points(finals[Stage.SELF].get(result.key)),
                    "cross": points(finals[Stage.CROSS].get(result.key)),
                    "groups": [points(result.group_totals.get(g.code)) for g in groups],
                    "bonus": points(result.bonus),
                    "penalty": points(result.penalty),
                    "final": points(result.final),
                    "rank": str(row.rank),
                    "note": mark,
                }
            )

        rules = data.rules if rows else None
        cluster_name = term.cluster.name
        summary = f"Chấm điểm thi đua năm {term.year}"
        if period.kind == Period.Kind.SIX_MONTH:
            summary += f" ({period_words(period)})"
        summary += f" {cluster_name}"
        return {
            "meta": {"title": f"Bảng tổng hợp điểm – {summary}", "author": issuer.header_name},
            **issuer.heading(self.abbreviation),
            "date": None,
            "title": "BẢNG TỔNG HỢP ĐIỂM",
            "summary": summary,
            "error": error,
            "columns": {
                "self": bool(finals[Stage.SELF]),
                "cross": bool(finals[Stage.CROSS]),
            },
            "groups": [
                {"code": g.code, "text": g.text, "max": max_points(g.max_points)} for g in groups
            ],
            "scale": max_points(rules.scale) if rules else "",
            "bonus_cap": max_points(rules.bonus_cap) if rules and rules.bonus_cap > 0 else "",
            "rows": table,
            "legend": "Nhóm tiêu chí: "
            + "; ".join(f"{g.code}. {g.text} ({max_points(g.max_points)} điểm)" for g in groups)
            + ".",
            "notes": notes,
            "signatures": [
                {"authority": "", "role": "THƯ KÝ", "position": "", "name": term.secretary_name},
                head_signature(term, issuer),
            ],
        }
