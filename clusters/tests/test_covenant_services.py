from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters import covenant_services, score_services
from clusters.models import (
    Covenant,
    Criterion,
    CrossAssignment,
    Evidence,
    Membership,
    Period,
    Score,
    ScoreSheet,
    Submission,
    Target,
)
from clusters.services import ClusterError
from clusters.tests.factories import day, make_unit

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind
Stage = Score.Stage
State = Period.State


def _sheet(province, name="Cụm huyện", year=2022):
    sheet = ScoreSheet.objects.create(province=province, year=year, name=name, scale=100)
    group = Criterion.objects.create(
        sheet=sheet, code="I", text="Nhiệm vụ", kind=Kind.GROUP, max_points=100
    )
    Criterion.objects.create(
        sheet=sheet,
        parent=group,
        code="1.1",
        text="Thu ngân sách",
        kind=Kind.QUANTITATIVE,
        max_points=60,
        unit_of_measure="tỷ đồng",
    )
    Criterion.objects.create(
        sheet=sheet, parent=group, code="1.2", text="Cải cách", kind=Kind.QUALITATIVE, max_points=40
    )
    return sheet


@pytest.fixture
def sheet(province):
    return _sheet(province)


@pytest.fixture
def covenant(term3, sheet, alice):
    return covenant_services.covenant_save(
        cluster_year=term3, sheet=sheet, signed_on=day("05/03/2022"), signatories="", user=alice
    )


@pytest.fixture
def period(covenant, term3):
    return term3.periods.get(kind=Period.Kind.ANNUAL)


def _criterion(covenant, code):
    return Criterion.objects.get(sheet=covenant.sheet, code=code)


def test_saving_a_covenant_opens_both_periods_once(term3, sheet, alice):
    for _ in range(2):
        covenant_services.covenant_save(
            cluster_year=term3, sheet=sheet, signed_on=None, signatories=" A\n", user=alice
        )
    assert Covenant.objects.get().signatories == "A"
    assert sorted(term3.periods.values_list("kind", flat=True)) == ["annual", "six_month"]
    assert term3.periods.first().history.first().history_user == alice


def test_covenant_sheet_must_be_of_the_clusters_province(term3, other_province, alice):
    with pytest.raises(ClusterError):
        covenant_services.covenant_save(
            cluster_year=term3,
            sheet=_sheet(other_province),
            signed_on=None,
            signatories="",
            user=alice,
        )
    assert not Period.objects.exists()


def test_covenant_sheet_changes_only_before_scoring(covenant, period, province, tan_hong, alice):
    other = _sheet(province, name="Mẫu khác")
    Target.objects.create(
        covenant=covenant, unit=tan_hong, criterion=_criterion(covenant, "1.1"), target=5
    )
    term = covenant.cluster_year
    covenant_services.covenant_save(
        cluster_year=term, sheet=other, signed_on=None, signatories="", user=alice
    )
    assert Covenant.objects.get().sheet == other
    assert not Target.objects.exists()
    Score.objects.create(
        period=period,
        unit=tan_hong,
        criterion=Criterion.objects.get(sheet=other, code="1.2"),
        stage=Stage.SELF,
        points=1,
    )
    with pytest.raises(ClusterError):
        covenant_services.covenant_save(
            cluster_year=term, sheet=covenant.sheet, signed_on=None, signatories="", user=alice
        )
    assert Covenant.objects.get().sheet == other


def test_targets_are_written_only_when_they_change(covenant, tan_hong, hong_ngu, alice):
    criterion = _criterion(covenant, "1.1")
    cells = {
        (tan_hong.pk, criterion.pk): (Decimal("12.5"), None),
        (hong_ngu.pk, criterion.pk): (None, None),
    }
    assert covenant_services.targets_save(covenant=covenant, cells=cells, user=alice) == 1
    assert covenant_services.targets_save(covenant=covenant, cells=cells, user=alice) == 0
    target = Target.objects.get()
    assert (target.target, target.unit_of_measure) == (Decimal("12.5"), "tỷ đồng")
    cells[(tan_hong.pk, criterion.pk)] = (None, None)
    assert covenant_services.targets_save(covenant=covenant, cells=cells, user=alice) == 1
    assert not Target.objects.exists()


def test_targets_only_for_members_and_quantitative_criteria(covenant, tan_hong, province, alice):
    stranger = make_unit(province, name="Lấp Vò")
    quantitative, qualitative = _criterion(covenant, "1.1"), _criterion(covenant, "1.2")
    for cells in [
        {(stranger.pk, quantitative.pk): (Decimal(1), None)},
        {(tan_hong.pk, qualitative.pk): (Decimal(1), None)},
        {(tan_hong.pk, quantitative.pk): (Decimal(-1), None)},
    ]:
        with pytest.raises(ClusterError):
            covenant_services.targets_save(covenant=covenant, cells=cells, user=alice)
    assert not Target.objects.exists()


def test_ring_pairs():
    assert covenant_services.ring_pairs([1, 2, 3]) == {2: 1, 3: 2, 1: 3}
    assert covenant_services.ring_pairs([1, 2]) == {2: 1, 1: 2}
    assert covenant_services.ring_pairs([1]) == {}


def test_ring_needs_two_members(term3, period, hong_ngu, bob):
    Membership.objects.filter(cluster_year=term3, unit=hong_ngu).delete()
    with pytest.raises(ClusterError):
        covenant_services.cross_assign_ring(period=period, user=bob)


def test_assignments_refuse_self_scoring_and_non_members(period, tan_hong, province, bob):
    stranger = make_unit(province, name="Lấp Vò")
    for scorers in [{tan_hong.pk: tan_hong.pk}, {tan_hong.pk: stranger.pk}, {stranger.pk: None}]:
        with pytest.raises(ClusterError):
            covenant_services.cross_assignments_save(period=period, scorers=scorers, user=bob)
    assert not CrossAssignment.objects.exists()


def test_member_of_the_second_half_is_not_assigned_in_the_six_month_period(
    term3, covenant, tan_hong, province, bob
):
    late = make_unit(province, name="Thanh Bình")
    Membership.objects.create(cluster_year=term3, unit=late, valid_from=day("01/07/2022"))
    six_month = term3.periods.get(kind=Period.Kind.SIX_MONTH)
    with pytest.raises(ClusterError):
        covenant_services.cross_assignments_save(
            period=six_month, scorers={tan_hong.pk: late.pk}, user=bob
        )
    covenant_services.cross_assign_ring(period=six_month, user=bob)
    assert CrossAssignment.objects.count() == 2


def test_scorer_of_a_submitted_unit_stays(period, tan_hong, hong_ngu, province, bob):
    third = make_unit(province, name="Thanh Bình")
    Membership.objects.create(cluster_year=period.cluster_year, unit=third)
    covenant_services.cross_assignments_save(
        period=period, scorers={tan_hong.pk: hong_ngu.pk}, user=bob
    )
    Submission.objects.create(period=period, unit=tan_hong, stage=Stage.CROSS)
    with pytest.raises(ClusterError):
        covenant_services.cross_assignments_save(
            period=period, scorers={tan_hong.pk: third.pk}, user=bob
        )
    assert CrossAssignment.objects.get().scorer == hong_ngu


def _entry(covenant, code, points, version=0):
    return covenant_services.ScoreEntry(
        criterion=_criterion(covenant, code),
        value=Decimal(1),
        points=Decimal(points),
        expected_version=version,
    )


def test_scores_are_saved_all_or_nothing(covenant, period, tan_hong, alice):
    score_services.score_save(
        period=period,
        unit=tan_hong,
        criterion=_criterion(covenant, "1.2"),
        stage=Stage.SELF,
        points=Decimal(40),
        user=alice,
    )
    with pytest.raises(score_services.ScoreConflict):
        covenant_services.scores_save(
            period=period,
            unit=tan_hong,
            stage=Stage.SELF,
            entries=[_entry(covenant, "1.1", 30), _entry(covenant, "1.2", 0)],
            user=alice,
        )
    assert dict(Score.objects.values_list("criterion__code", "points")) == {"1.2": Decimal(40)}


def test_submitted_scores_can_no_longer_change(covenant, period, tan_hong, dave):
    covenant_services.scores_save(
        period=period,
        unit=tan_hong,
        stage=Stage.SELF,
        entries=[_entry(covenant, "1.1", 30)],
        user=dave,
        submit=True,
    )
    assert Submission.objects.get().submitted_by == dave
    with pytest.raises(ClusterError):
        covenant_services.scores_save(
            period=period,
            unit=tan_hong,
            stage=Stage.SELF,
            entries=[_entry(covenant, "1.1", 20, version=1)],
            user=dave,
        )
    with pytest.raises(ClusterError):
        covenant_services.evidence_add(
            period=period,
            unit=tan_hong,
            criterion=_criterion(covenant, "1.1"),
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            user=dave,
        )
    # The cross stage of the same unit is still open.
    covenant_services.scores_save(
        period=period,
        unit=tan_hong,
        stage=Stage.CROSS,
        entries=[_entry(covenant, "1.1", 20)],
        user=dave,
    )
    assert Score.objects.filter(stage=Stage.SELF).get().points == Decimal(30)


def test_cross_submission_needs_an_assignment(covenant, period, tan_hong, hong_ngu, bob, alice):
    with pytest.raises(ClusterError):
        covenant_services.submission_create(
            period=period, unit=tan_hong, stage=Stage.CROSS, user=alice
        )
    CrossAssignment.objects.create(period=period, scorer=hong_ngu, scored=tan_hong)
    covenant_services.submission_create(period=period, unit=tan_hong, stage=Stage.CROSS, user=alice)
    with pytest.raises(ClusterError):
        covenant_services.submission_create(
            period=period, unit=tan_hong, stage=Stage.CROSS, user=alice
        )


@pytest.mark.parametrize("state", [State.AGREED, State.LOCKED])
def test_closed_periods_refuse_evidence_and_submissions(covenant, period, tan_hong, alice, state):
    Period.objects.filter(pk=period.pk).update(state=state)
    with pytest.raises(ClusterError):
        covenant_services.submission_create(
            period=period, unit=tan_hong, stage=Stage.SELF, user=alice
        )
    with pytest.raises(ClusterError):
        covenant_services.evidence_add(
            period=period,
            unit=tan_hong,
            criterion=_criterion(covenant, "1.1"),
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            user=alice,
        )
    with pytest.raises(ClusterError):
        covenant_services.cross_assign_ring(period=period, user=alice)
    assert not Submission.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_stored_under_a_random_name(covenant, period, tan_hong, alice):
    evidence = covenant_services.evidence_add(
        period=period,
        unit=tan_hong,
        criterion=_criterion(covenant, "1.1"),
        upload=SimpleUploadedFile("../../Biên bản.pdf", b"%PDF-1.4"),
        user=alice,
    )
    assert evidence.original_name == "Biên bản.pdf"
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    assert "Biên" not in evidence.file.name
    assert evidence.size == 8


def test_evidence_only_on_criteria_of_the_covenants_sheet(covenant, period, tan_hong, alice):
    for criterion in [
        _criterion(covenant, "I"),
        _sheet(tan_hong.province, name="Khác").criteria.last(),
    ]:
        with pytest.raises(ClusterError):
            covenant_services.evidence_add(
                period=period,
                unit=tan_hong,
                criterion=criterion,
                upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
                user=alice,
            )
