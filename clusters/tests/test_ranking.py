"""The ranking selectors: agreed scores read from the database, ranked by clusters.scoring."""

from decimal import Decimal

import pytest

from clusters import ranking
from clusters.models import (
    Covenant,
    Criterion,
    Membership,
    Period,
    RuleSet,
    Score,
    ScoreSheet,
    Target,
)
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind
Stage = Score.Stage


def _sheet(province, name="Cụm huyện"):
    """I (max 70): 1.1 quantitative 60, 1.2 qualitative 10; II (max 30): 2.1; bonus B1 (5),
    penalty P1 (uncapped), veto V1. Scale 100."""
    sheet = ScoreSheet.objects.create(province=province, year=2022, name=name, scale=100)

    def add(code, kind, max_points, parent=None, **params):
        return Criterion.objects.create(
            sheet=sheet,
            parent=parent,
            code=code,
            text=f"Tiêu chí {code}",
            kind=kind,
            max_points=max_points,
            position=len(code),
            params=params,
        )

    first = add("I", Kind.GROUP, 70)
    add("1.1", Kind.QUANTITATIVE, 60, first)
    add("1.2", Kind.QUALITATIVE, 10, first)
    second = add("II", Kind.GROUP, 30)
    add("2.1", Kind.QUALITATIVE, 30, second)
    add("B1", Kind.BONUS, 5)
    add("P1", Kind.PENALTY, 0)
    add("V1", Kind.VETO, 0)
    return sheet


def _period(term, sheet):
    Covenant.objects.create(cluster_year=term, sheet=sheet)
    return Period.objects.create(
        cluster_year=term, kind=Period.Kind.ANNUAL, state=Period.State.SCORING
    )


def _score(period, unit, **points):
    """Agreed points by criterion code; V1=True sets the veto's value."""
    sheet = period.cluster_year.covenant.sheet
    for code, value in points.items():
        code = code.replace("_", ".")
        criterion = Criterion.objects.get(sheet=sheet, code=code)
        if code == "V1":
            Score.objects.create(
                period=period, unit=unit, criterion=criterion, stage=Stage.AGREED, value=1
            )
        else:
            Score.objects.create(
                period=period, unit=unit, criterion=criterion, stage=Stage.AGREED, points=value
            )


@pytest.fixture
def period(term3, province):
    return _period(term3, _sheet(province))


def _summary(rows):
    return [(row.result.name, row.rank, row.tied) for row in rows]


def test_a_tie_broken_by_the_core_group_is_explained(period, tan_hong, hong_ngu):
    # Both reach 80; Tân Hồng has more in group I, the default core group.
    _score(period, tan_hong, **{"1_1": 50, "1_2": 10, "2_1": 20})
    _score(period, hong_ngu, **{"1_1": 40, "1_2": 10, "2_1": 30})
    rows = ranking.period_ranking(period)
    assert _summary(rows) == [("Tân Hồng", 1, False), ("Hồng Ngự", 2, False)]
    assert rows[0].result.final == rows[1].result.final == Decimal("80.00")
    assert rows[0].result.group_totals == {"I": Decimal("60.00"), "II": Decimal("20.00")}
    [note] = rows[0].tie_break_notes
    assert "Hồng Ngự" in note and "I" in note and "60" in note
    assert "Tân Hồng" in rows[1].tie_break_notes[0]


def test_the_rule_sets_tie_breaks_are_applied_in_its_order(period, province, tan_hong, hong_ngu):
    RuleSet.objects.create(
        province=province, year=2022, tie_breaks=["more_bonus", "core_group"], core_group="II"
    )
    _score(period, tan_hong, **{"1_1": 50, "2_1": 20, "B1": 1})
    _score(period, hong_ngu, **{"1_1": 46, "2_1": 20, "B1": 5})
    rows = ranking.period_ranking(period)
    assert _summary(rows) == [("Hồng Ngự", 1, False), ("Tân Hồng", 2, False)]
    assert "5" in rows[0].tie_break_notes[0]


def test_a_true_tie_is_shown_as_a_tie(period, tan_hong, hong_ngu):
    for unit in (tan_hong, hong_ngu):
        _score(period, unit, **{"1_1": 60, "1_2": 10, "2_1": 30})
    rows = ranking.period_ranking(period)
    assert _summary(rows) == [("Hồng Ngự", 1, True), ("Tân Hồng", 1, True)]
    assert not any(row.flag_candidate for row in rows)
    assert all(row.result.eligible for row in rows)
    assert all(row.tie_break_notes for row in rows)


def test_women_majority_breaks_a_tie_from_the_membership(period, term3, tan_hong, hong_ngu):
    Membership.objects.filter(cluster_year=term3, unit=hong_ngu).update(women_majority=True)
    for unit in (tan_hong, hong_ngu):
        _score(period, unit, **{"1_1": 60, "1_2": 10, "2_1": 30})
    rows = ranking.period_ranking(period)
    assert _summary(rows) == [("Hồng Ngự", 1, False), ("Tân Hồng", 2, False)]
    assert rows[0].flag_candidate


def test_a_vetoed_unit_is_ranked_below_the_others(period, tan_hong, hong_ngu):
    _score(period, tan_hong, **{"1_1": 60, "1_2": 10, "2_1": 30, "V1": True})
    _score(period, hong_ngu, **{"1_1": 30, "2_1": 10})
    rows = ranking.period_ranking(period)
    assert _summary(rows) == [("Hồng Ngự", 1, False), ("Tân Hồng", 2, False)]
    vetoed = rows[1].result
    assert vetoed.final == Decimal("100.00")
    assert vetoed.vetoed and not vetoed.eligible
    assert vetoed.veto_reasons == ("V1 Tiêu chí V1",)
    # Hồng Ngự is first but has 40 %: first, yet not a flag candidate.
    assert not rows[0].flag_candidate


def test_a_veto_with_zero_points_or_value_does_not_apply(period, tan_hong):
    criterion = Criterion.objects.get(code="V1")
    Score.objects.create(
        period=period, unit=tan_hong, criterion=criterion, stage=Stage.AGREED, value=0
    )
    rows = ranking.period_ranking(period)
    assert not next(r for r in rows if r.result.key == tan_hong.pk).result.vetoed


def test_the_ranking_is_the_same_whatever_the_insertion_order(province, tan_hong, hong_ngu):
    names = ["Tam Nông", "Thanh Bình", "Cao Lãnh"]
    points = {
        "Tam Nông": {"1_1": 55, "2_1": 25},
        "Thanh Bình": {"1_1": 50, "2_1": 30},
        "Cao Lãnh": {"1_1": 60, "2_1": 20, "P1": 3},
    }
    summaries = []
    for number, order in ((7, names), (8, list(reversed(names)))):
        cluster = make_cluster(province, number=number, name=f"Cụm thi đua số {number}")
        units = {name: make_unit(province, name=name) for name in order}
        term = make_cluster_year(cluster, 2022, members=[units[name] for name in order])
        period = _period(term, _sheet(province, name=f"Sheet {number}"))
        for name in order:
            _score(period, units[name], **points[name])
        summaries.append(_summary(ranking.period_ranking(period)))
    assert summaries[0] == summaries[1]
    assert summaries[0] == [
        ("Tam Nông", 1, False),
        ("Thanh Bình", 2, False),
        ("Cao Lãnh", 3, False),
    ]


def test_targets_count_as_met_only_at_full_marks(period, tan_hong, hong_ngu):
    criterion = Criterion.objects.get(code="1.1")
    for unit in (tan_hong, hong_ngu):
        Target.objects.create(
            covenant=period.cluster_year.covenant, unit=unit, criterion=criterion, target=100
        )
    _score(period, tan_hong, **{"1_1": 60, "1_2": 10, "2_1": 30})
    _score(period, hong_ngu, **{"1_1": 59, "1_2": 10, "2_1": 30})
    data = ranking.load_period(period)
    assert data.unit_input(tan_hong).targets_met
    assert not data.unit_input(hong_ngu).targets_met
    rows = {row.result.key: row for row in data.ranking()}
    assert rows[tan_hong.pk].result.eligible and rows[tan_hong.pk].flag_candidate
    # 99 % of the maximum, but a target missed.
    assert not rows[hong_ngu.pk].result.eligible


def test_in_leader_mode_half_the_maximum_means_the_target_was_met(period, tan_hong):
    criterion = Criterion.objects.get(code="1.1")
    criterion.params = {"mode": "leader"}
    criterion.save()
    Target.objects.create(
        covenant=period.cluster_year.covenant, unit=tan_hong, criterion=criterion, target=100
    )
    _score(period, tan_hong, **{"1_1": 30})
    assert ranking.load_period(period).unit_input(tan_hong).targets_met
    Score.objects.filter(criterion=criterion).update(points=29.99)
    assert not ranking.load_period(period).unit_input(tan_hong).targets_met


def test_a_recorded_value_is_compared_with_the_target(period, tan_hong):
    criterion = Criterion.objects.get(code="1.1")
    Target.objects.create(
        covenant=period.cluster_year.covenant, unit=tan_hong, criterion=criterion, target=100
    )
    Score.objects.create(
        period=period, unit=tan_hong, criterion=criterion, stage=Stage.AGREED, points=60, value=90
    )
    assert not ranking.load_period(period).unit_input(tan_hong).targets_met


def test_an_excluded_criterion_leaves_the_maximum(period, tan_hong):
    Criterion.objects.filter(code="1.1").update(params={"no_target": "excluded"})
    _score(period, tan_hong, **{"1_2": 10, "2_1": 30})
    result = ranking.load_period(period).unit_result(tan_hong)
    assert result.maximum == Decimal("40.00")
    assert result.percent == Decimal("100.00")


def test_default_rules_without_a_rule_set(period):
    rules = ranking.load_period(period).rules
    assert rules.bands[0] == ("Xuất sắc", Decimal(95))
    assert rules.eligibility_min_percent == Decimal(90)
    assert rules.tie_breaks == ("core_group", "fewer_penalty", "more_bonus", "women_majority")
    assert rules.core_group == "I"
    assert rules.bonus_cap == 0
    assert rules.scale == Decimal(100)


def test_the_rule_set_of_the_province_and_year_is_used(period, province):
    RuleSet.objects.create(
        province=province,
        year=2022,
        bands=[["Tốt", "80"]],
        eligibility_min_percent=75,
        bonus_cap=2,
    )
    RuleSet.objects.create(province=province, year=2023, bands=[["Khác", "1"]])
    rules = ranking.load_period(period).rules
    assert rules.bands == (("Tốt", Decimal(80)),)
    assert rules.eligibility_min_percent == Decimal(75)
    assert rules.bonus_cap == Decimal(2)
    assert rules.core_group == "I"


def test_a_period_without_covenant_has_no_ranking(term3):
    period = Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL)
    assert ranking.period_ranking(period) == []


def _cluster_with_period(province, number, scored: bool):
    cluster = make_cluster(province, number=number, name=f"Cụm thi đua số {number}")
    units = [make_unit(province, name=f"Xã {number}-{n}") for n in range(3)]
    term = make_cluster_year(cluster, 2022, members=units)
    period = _period(term, _sheet(province, name=f"Sheet {number}"))
    if scored:
        for n, unit in enumerate(units):
            _score(period, unit, **{"1_1": 30 + n * 10, "2_1": 20})
    return cluster


@pytest.mark.parametrize("clusters", [2, 5])
def test_province_year_rankings_read_a_fixed_number_of_queries(
    province, clusters, django_assert_num_queries
):
    for number in range(clusters):
        _cluster_with_period(province, 10 + number, scored=True)
    # Terms, periods, criteria, rule sets, memberships, unit names, scores, targets.
    with django_assert_num_queries(8):
        rankings = ranking.province_year_rankings(province, 2022)
    assert len(rankings) == clusters
    assert all(len(r.leaders) == 1 and r.leaders[0].result.name.endswith("-2") for r in rankings)


def test_province_year_rankings_explain_clusters_without_ranking(province, other_province):
    _cluster_with_period(province, 20, scored=True)
    bare = make_cluster(province, number=21, name="Cụm thi đua số 21")
    make_cluster_year(bare, 2022, members=[make_unit(province)])
    elsewhere = make_cluster(other_province, number=22, name="Cụm khác tỉnh")
    make_cluster_year(elsewhere, 2022)
    rankings = ranking.province_year_rankings(province, 2022)
    assert [r.cluster_year.cluster.name for r in rankings] == [
        "Cụm thi đua số 20",
        "Cụm thi đua số 21",
    ]
    assert rankings[1].period is None and rankings[1].error and rankings[1].rows == []


def test_the_annual_period_is_preferred_to_the_six_month_one(province, term3, tan_hong):
    sheet = _sheet(province)
    Covenant.objects.create(cluster_year=term3, sheet=sheet)
    Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    annual = Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL)
    [result] = ranking.province_year_rankings(province, 2022)
    assert result.period == annual
