import datetime
from decimal import Decimal

import pytest

from clusters import score_services
from clusters.models import Covenant, Criterion, Membership, Period, Score, ScoreSheet
from clusters.services import ClusterError
from clusters.tests.factories import make_unit

pytestmark = pytest.mark.django_db

Stage = Score.Stage
State = Period.State


@pytest.fixture
def sheet(province):
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Cụm huyện", scale=100)
    group = Criterion.objects.create(
        sheet=sheet, code="I", text="Nhiệm vụ", kind=Criterion.Kind.GROUP, max_points=100
    )
    Criterion.objects.create(
        sheet=sheet,
        parent=group,
        code="1.1",
        text="Thu ngân sách",
        kind=Criterion.Kind.QUANTITATIVE,
        max_points=60,
    )
    return sheet


@pytest.fixture
def period(term3, sheet):
    Covenant.objects.create(cluster_year=term3, sheet=sheet)
    return Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL)


def _save(period, unit, user, points, version=0, stage=Stage.AGREED, code="1.1"):
    criterion = Criterion.objects.get(sheet=period.cluster_year.covenant.sheet, code=code)
    return score_services.score_save(
        period=period,
        unit=unit,
        criterion=criterion,
        stage=stage,
        points=None if points is None else Decimal(points),
        user=user,
        expected_version=version,
    )


def test_stages_are_kept_apart(period, tan_hong, alice):
    _save(period, tan_hong, alice, "50", stage=Stage.SELF)
    _save(period, tan_hong, alice, "45", stage=Stage.AGREED)
    points = dict(Score.objects.values_list("stage", "points"))
    assert points == {Stage.SELF: Decimal("50"), Stage.AGREED: Decimal("45")}


def test_stale_write_is_refused_and_carries_the_current_value(period, tan_hong, alice, bob):
    first = _save(period, tan_hong, alice, "50")
    _save(period, tan_hong, bob, "40", version=first.version)
    with pytest.raises(score_services.ScoreConflict) as conflict:
        _save(period, tan_hong, alice, "55", version=first.version)
    assert conflict.value.current.points == Decimal("40")
    assert Score.objects.get().points == Decimal("40")


@pytest.mark.parametrize("points", ["-1", "60.01"])
def test_points_outside_the_range_are_refused(period, tan_hong, alice, points):
    with pytest.raises(ClusterError):
        _save(period, tan_hong, alice, points)
    assert not Score.objects.exists()


def test_groups_and_foreign_criteria_are_refused(period, tan_hong, alice, province):
    with pytest.raises(ClusterError):
        _save(period, tan_hong, alice, "10", code="I")
    other = ScoreSheet.objects.create(province=province, year=2022, name="Khác", scale=100)
    foreign = Criterion.objects.create(
        sheet=other, code="1.1", text="X", kind=Criterion.Kind.QUALITATIVE, max_points=10
    )
    with pytest.raises(ClusterError):
        score_services.score_save(
            period=period, unit=tan_hong, criterion=foreign, stage=Stage.AGREED,
            points=Decimal(1), user=alice,
        )  # fmt: skip


def test_non_members_are_refused(period, province, alice):
    stranger = make_unit(province, name="Lấp Vò")
    with pytest.raises(ClusterError):
        _save(period, stranger, alice, "10")


def test_member_only_in_the_second_half_is_not_in_the_six_month_period(term3, sheet, alice):
    Covenant.objects.create(cluster_year=term3, sheet=sheet)
    late = make_unit(term3.cluster.province, name="Thanh Bình")
    Membership.objects.create(cluster_year=term3, unit=late, valid_from=datetime.date(2022, 7, 1))
    six_month = Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    annual = Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL)
    assert late not in score_services.members_during(six_month)
    assert late in score_services.members_during(annual)


@pytest.mark.parametrize("state", [State.AGREED, State.LOCKED])
def test_closed_periods_refuse_every_score(period, tan_hong, alice, state):
    Period.objects.filter(pk=period.pk).update(state=state)
    with pytest.raises(ClusterError):
        _save(period, tan_hong, alice, "10")


def test_periods_move_forward_one_step_at_a_time(period, bob):
    with pytest.raises(ClusterError):
        score_services.period_move(period=period, to_state=State.LOCKED, user=bob, staff=False)
    for state in [State.SCORING, State.AGREED, State.LOCKED]:
        period = score_services.period_move(period=period, to_state=state, user=bob, staff=False)
    assert period.state == State.LOCKED


def test_reopening_needs_staff_and_a_reason_kept_in_the_history(period, alice, bob):
    Period.objects.filter(pk=period.pk).update(state=State.LOCKED)
    with pytest.raises(ClusterError):
        score_services.period_move(period=period, to_state=State.SCORING, user=bob, staff=False)
    with pytest.raises(ClusterError):
        score_services.period_move(period=period, to_state=State.SCORING, user=alice, staff=True)
    score_services.period_move(
        period=period, to_state=State.SCORING, user=alice, staff=True, reason="Sửa điểm 1.1"
    )
    record = period.history.latest()
    assert (record.state, record.history_change_reason, record.history_user) == (
        State.SCORING,
        "Sửa điểm 1.1",
        alice,
    )
