"""A small scored period for the score summary and the cluster report tests.

The sheet (scale 1,000): I (max 500) = 1.1 quantitative 300 + 1.2 qualitative 200;
II (max 500) = 2.1 qualitative 500; bonus B1 (max 50); penalty P1; veto V1.
"""

from decimal import Decimal

from django.test import RequestFactory

from clusters.models import Covenant, Criterion, Membership, Period, Score, ScoreSheet, Target
from clusters.tests.factories import make_unit

Kind = Criterion.Kind
Stage = Score.Stage


def make_sheet(province) -> ScoreSheet:
    sheet = ScoreSheet.objects.create(
        province=province, year=2022, name="Bảng điểm cụm huyện", scale=1000
    )

    def add(code, kind, max_points, parent=None, text=None):
        return Criterion.objects.create(
            sheet=sheet,
            parent=parent,
            code=code,
            text=text or f"Tiêu chí {code}",
            kind=kind,
            max_points=max_points,
            position=Criterion.objects.filter(sheet=sheet).count(),
        )

    first = add("I", Kind.GROUP, 500, text="Phát triển kinh tế - xã hội")
    add("1.1", Kind.QUANTITATIVE, 300, first)
    add("1.2", Kind.QUALITATIVE, 200, first)
    second = add("II", Kind.GROUP, 500, text="Xây dựng chính quyền")
    add("2.1", Kind.QUALITATIVE, 500, second)
    add("B1", Kind.BONUS, 50)
    add("P1", Kind.PENALTY, 0)
    add("V1", Kind.VETO, 0, text="Đang bị thanh tra chưa có kết luận")
    return sheet


def make_period(term, sheet, kind=Period.Kind.ANNUAL, state=Period.State.LOCKED) -> Period:
    Covenant.objects.get_or_create(cluster_year=term, defaults={"sheet": sheet})
    return Period.objects.create(cluster_year=term, kind=kind, state=state)


def score(period, unit, stage=Stage.AGREED, **points):
    """Points by criterion code ("1_1" for 1.1); V1=True applies the veto; a pair
    (points, value) records the value entered too."""
    sheet = period.cluster_year.covenant.sheet
    for code, given in points.items():
        criterion = Criterion.objects.get(sheet=sheet, code=code.replace("_", "."))
        value = None
        if code == "V1":
            given, value = None, Decimal(1)
        elif isinstance(given, tuple):
            given, value = given
        Score.objects.create(
            period=period, unit=unit, criterion=criterion, stage=stage, points=given, value=value
        )


def target(period, unit, code, value):
    covenant = period.cluster_year.covenant
    criterion = Criterion.objects.get(sheet=covenant.sheet, code=code)
    Target.objects.create(covenant=covenant, unit=unit, criterion=criterion, target=value)


def add_members(term, province, count: int, period=None) -> list:
    """`count` more members named "Xã 01"…, each with the same agreed points."""
    units = []
    for n in range(1, count + 1):
        unit = make_unit(province, name=f"Xã {n:02d}", kind="commune")
        Membership.objects.create(cluster_year=term, unit=unit)
        units.append(unit)
    if period is not None:
        sheet = term.covenant.sheet
        criterion = Criterion.objects.get(sheet=sheet, code="2.1")
        Score.objects.bulk_create(
            Score(
                period=period,
                unit=unit,
                criterion=criterion,
                stage=Stage.AGREED,
                points=Decimal(400 - n),
            )
            for n, unit in enumerate(units)
        )
    return units


def source(kind, period, user):
    """The period as the draft page loads it (with the same related rows)."""
    request = RequestFactory().get("/")
    request.user = user
    return kind.get_source(request, str(period.pk))
