"""Data for the ballot and proposal tests: cluster 3 in 2022 with four ranked members
and a deliberation meeting where all four are present.

Ranking on the agreed scores (scale 100): Tân Hồng 100 (1st, eligible), Hồng Ngự 95
(2nd), Thanh Bình 90 (3rd), Tam Nông 100 but vetoed (4th).
"""

import datetime
from decimal import Decimal

from clusters import ballot_services
from clusters.models import (
    Attendance,
    AwardForm,
    Covenant,
    Criterion,
    Meeting,
    Membership,
    Period,
    RuleSet,
    Score,
    ScoreSheet,
)
from clusters.tests.factories import make_unit

Kind = Criterion.Kind
Stage = Score.Stage


def award_form(level: str) -> AwardForm:
    """The form seeded by migration 0004 for a level."""
    return AwardForm.objects.filter(level=level).order_by("position").first()


def _sheet(province) -> ScoreSheet:
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Cụm huyện", scale=100)

    def add(code, kind, max_points, parent=None):
        return Criterion.objects.create(
            sheet=sheet,
            parent=parent,
            code=code,
            text=f"Tiêu chí {code}",
            kind=kind,
            max_points=max_points,
            position=len(code),
        )

    first = add("I", Kind.GROUP, 70)
    add("1.1", Kind.QUANTITATIVE, 60, first)
    add("1.2", Kind.QUALITATIVE, 10, first)
    second = add("II", Kind.GROUP, 30)
    add("2.1", Kind.QUALITATIVE, 30, second)
    add("V1", Kind.VETO, 0)
    return sheet


def _score(period, sheet, unit, points: dict, veto: bool = False) -> None:
    for code, value in points.items():
        Score.objects.create(
            period=period,
            unit=unit,
            criterion=Criterion.objects.get(sheet=sheet, code=code),
            stage=Stage.AGREED,
            points=value,
        )
    if veto:
        Score.objects.create(
            period=period,
            unit=unit,
            criterion=Criterion.objects.get(sheet=sheet, code="V1"),
            stage=Stage.AGREED,
            value=1,
        )


def rank_term(term, province, tan_hong, hong_ngu) -> dict:
    """Add Thanh Bình and Tam Nông to the term, score all four and return the units."""
    thanh_binh = make_unit(province, name="Thanh Bình", code="871")
    tam_nong = make_unit(province, name="Tam Nông", code="872")
    for unit in (thanh_binh, tam_nong):
        Membership.objects.create(cluster_year=term, unit=unit)
    sheet = _sheet(province)
    Covenant.objects.create(cluster_year=term, sheet=sheet)
    period = Period.objects.create(
        cluster_year=term, kind=Period.Kind.ANNUAL, state=Period.State.AGREED
    )
    _score(period, sheet, tan_hong, {"1.1": 60, "1.2": 10, "2.1": 30})
    _score(period, sheet, hong_ngu, {"1.1": 55, "1.2": 10, "2.1": 30})
    _score(period, sheet, thanh_binh, {"1.1": 50, "1.2": 10, "2.1": 30})
    _score(period, sheet, tam_nong, {"1.1": 60, "1.2": 10, "2.1": 30}, veto=True)
    RuleSet.objects.get_or_create(province=province, year=term.year)
    return {
        "tan_hong": tan_hong,
        "hong_ngu": hong_ngu,
        "thanh_binh": thanh_binh,
        "tam_nong": tam_nong,
    }


def deliberation(term, units, *, day=datetime.date(2022, 12, 5), present=None) -> Meeting:
    meeting = Meeting.objects.create(
        cluster_year=term, kind=Meeting.Kind.DELIBERATION, date=day, host_unit=units[0]
    )
    present = units if present is None else present
    for unit in units:
        Attendance.objects.create(meeting=meeting, unit=unit, present=unit in present)
    return meeting


def open_ballot(meeting, level, candidates, *, quota=1, threshold=Decimal(50)):
    return ballot_services.ballot_create(
        meeting=meeting,
        award_form=award_form(level),
        quota=quota,
        threshold_percent=threshold,
        members_total=4,
        present=4,
        candidates=candidates,
        tally_committee="Nguyễn Văn A, trưởng ban\nTrần Thị B\nLê Văn C",
    )


def tally(ballot, votes: list[int], *, valid=4, invalid=0):
    """Record a tally of 4 ballots issued and returned, votes in candidate order."""
    candidates = list(ballot.candidates.order_by("position"))
    return ballot_services.ballot_tally(
        ballot=ballot,
        issued=4,
        returned=valid + invalid,
        valid=valid,
        invalid=invalid,
        votes={c.pk: v for c, v in zip(candidates, votes, strict=True)},
        tally_committee=ballot.tally_committee,
    )
