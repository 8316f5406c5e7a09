"""Proposal services: the draft pre-filled from the ballots or the ranking, the checks
with their legal basis, overrides by staff, submission and return."""

import datetime
from decimal import Decimal

import pytest

from clusters import award_rules, ballot_services, proposal_services
from clusters.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Proposal,
    ProposalItem,
    RuleSet,
)
from clusters.services import ClusterError
from clusters.tests.ballot_data import award_form, deliberation, open_ballot, rank_term, tally

pytestmark = pytest.mark.django_db

Level = AwardForm.Level
State = Proposal.State
IN_TIME = datetime.date(2022, 12, 8)


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def meeting(term3, units):
    return deliberation(term3, list(units.values()))


@pytest.fixture
def voted(meeting, units):
    """The flag for Tân Hồng 4/4; the certificate for Hồng Ngự 4/4, Thanh Bình 2/4."""
    tally(open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]]), [4])
    tally(
        open_ballot(
            meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
        ),
        [4, 2],
    )
    return meeting


def _items(proposal):
    return list(
        proposal.items.order_by("award_form__position", "rank").values_list(
            "unit__name", "award_form__level", "score", "rank", "vote_percent"
        )
    )


def _checks(proposal, today=IN_TIME):
    items = list(proposal.items.select_related("unit", "award_form"))
    data = proposal_services.proposal_data(proposal.cluster_year)
    return proposal_services.proposal_checks(proposal, items, data, today=today)


def _codes(checks, unit_name):
    [check] = [c for c in checks.items if c.name == unit_name]
    return {problem.code: problem for problem in check.problems}


def _add(proposal, unit, level):
    return proposal_services.proposal_item_add(
        proposal=proposal, unit=unit, award_form=award_form(level)
    )


def test_the_draft_starts_with_those_the_ballots_elected(term3, voted, alice):
    proposal, source = proposal_services.proposal_create(cluster_year=term3, user=alice)
    assert source == "ballots"
    assert proposal.state == State.DRAFT
    assert _items(proposal) == [
        ("Tân Hồng", Level.PROVINCIAL_FLAG, Decimal("100.00"), 1, Decimal("100.00")),
        ("Hồng Ngự", Level.MERIT_CERTIFICATE, Decimal("95.00"), 2, Decimal("100.00")),
    ]
    assert proposal.history.get().history_user == alice


def test_a_revote_round_adds_its_elected_to_those_of_the_first_round(term3, meeting, units):
    flag = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    tally(flag, [4])
    merit = open_ballot(
        meeting,
        Level.MERIT_CERTIFICATE,
        [units["hong_ngu"], units["thanh_binh"], units["tam_nong"]],
        quota=2,
        threshold=Decimal(20),
    )
    tally(merit, [4, 2, 2])
    second = ballot_services.ballot_revote(ballot=merit)
    tally(second, [3, 1])
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    assert [(name, level) for name, level, *_rest in _items(proposal)] == [
        ("Tân Hồng", Level.PROVINCIAL_FLAG),
        ("Hồng Ngự", Level.MERIT_CERTIFICATE),
        ("Thanh Bình", Level.MERIT_CERTIFICATE),
    ]
    # Thanh Bình's share is that of the re-vote round, where it won 3 of 4.
    assert _items(proposal)[2][4] == Decimal("75.00")


def test_without_a_ballot_the_draft_follows_the_ranking(term3, units):
    proposal, source = proposal_services.proposal_create(cluster_year=term3)
    assert source == "ranking"
    assert _items(proposal) == [
        ("Tân Hồng", Level.PROVINCIAL_FLAG, Decimal("100.00"), 1, None),
        ("Hồng Ngự", Level.MERIT_CERTIFICATE, Decimal("95.00"), 2, None),
        ("Thanh Bình", Level.MERIT_CERTIFICATE, Decimal("90.00"), 3, None),
    ]


def test_a_term_has_one_proposal(term3, units):
    proposal_services.proposal_create(cluster_year=term3)
    with pytest.raises(ClusterError):
        proposal_services.proposal_create(cluster_year=term3)


def test_a_draft_from_the_ballots_passes_every_check(term3, voted):
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    checks = _checks(proposal)
    assert checks.general == []
    assert all(check.problems == [] for check in checks.items)
    assert checks.blocking == []


def test_the_flag_for_the_second_unit_is_refused_with_its_legal_basis(term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    _add(proposal, units["hong_ngu"], Level.PROVINCIAL_FLAG)
    problems = _codes(_checks(proposal), "Hồng Ngự")
    assert "flag_not_leader" in problems
    assert problems["flag_not_leader"].legal_basis == award_rules.LAW_ART_26
    assert "Hồng Ngự" in problems["flag_not_leader"].message


def test_a_vetoed_unit_is_refused(term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    _add(proposal, units["tam_nong"], Level.MERIT_CERTIFICATE)
    problems = _codes(_checks(proposal), "Tam Nông")
    assert problems["vetoed"].legal_basis == award_rules.DECREE_152_ART_4_4


def test_a_unit_the_ballot_did_not_elect_is_refused(term3, voted, units):
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    item = _add(proposal, units["thanh_binh"], Level.MERIT_CERTIFICATE)
    assert item.vote_percent == Decimal("50.00")
    assert "not_elected" in _codes(_checks(proposal), "Thanh Bình")


def test_one_achievement_receives_one_form(term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    _add(proposal, units["tan_hong"], Level.PROVINCIAL_FLAG)
    _add(proposal, units["tan_hong"], Level.MERIT_CERTIFICATE)
    checks = _checks(proposal)
    for check in checks.items:
        codes = {p.code: p for p in check.problems}
        assert codes["double_award"].legal_basis == award_rules.LAW_ART_5


def test_an_award_already_recorded_for_the_year_counts_as_a_double_award(term3, units, province):
    decision = AwardDecision.objects.create(
        province=province,
        number="12/QĐ-UBND",
        date=datetime.date(2023, 1, 20),
        award_form=award_form(Level.MERIT_CERTIFICATE),
        signer_name="Phạm Thiện Nghĩa",
        signer_position="Chủ tịch",
        base_salary=Decimal(1490000),
        multiple=Decimal(3),
    )
    AwardRecipient.objects.create(
        decision=decision, unit=units["tan_hong"], year=2022, amount=Decimal(4470000)
    )
    proposal = Proposal.objects.create(cluster_year=term3)
    _add(proposal, units["tan_hong"], Level.PROVINCIAL_FLAG)
    assert "already_awarded" in _codes(_checks(proposal), "Tân Hồng")


def test_an_award_granted_on_this_proposal_is_not_counted_against_it(term3, voted, province):
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    item = proposal.items.get(award_form__level=Level.PROVINCIAL_FLAG)
    decision = AwardDecision.objects.create(
        province=province,
        number="13/QĐ-UBND",
        date=datetime.date(2023, 1, 20),
        award_form=item.award_form,
        signer_name="Phạm Thiện Nghĩa",
        signer_position="Chủ tịch",
        base_salary=Decimal(1490000),
        multiple=Decimal(8),
    )
    AwardRecipient.objects.create(
        decision=decision, unit=item.unit, proposal_item=item, year=2022, amount=Decimal(1)
    )
    assert _checks(proposal).blocking == []


def test_items_beyond_the_quota_are_refused(term3, units):
    RuleSet.objects.filter(year=2022).update(merit_quota=1)
    proposal = Proposal.objects.create(cluster_year=term3)
    _add(proposal, units["thanh_binh"], Level.MERIT_CERTIFICATE)
    _add(proposal, units["hong_ngu"], Level.MERIT_CERTIFICATE)
    checks = _checks(proposal)
    # Taken in rank order: Hồng Ngự (2nd) is within the quota, Thanh Bình (3rd) is not.
    assert "over_quota" in _codes(checks, "Thanh Bình")
    assert "over_quota" not in _codes(checks, "Hồng Ngự")


def test_a_proposal_after_the_deadline_is_refused(term3, voted, alice):
    RuleSet.objects.filter(year=2022).update(proposal_deadline=datetime.date(2022, 12, 10))
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    late = datetime.date(2022, 12, 11)
    assert _checks(proposal, datetime.date(2022, 12, 10)).general == []
    checks = _checks(proposal, late)
    assert [p.code for p in checks.general] == ["deadline_passed"]
    assert [name for name, _problem in checks.blocking] == [""]
    with pytest.raises(ClusterError):
        proposal_services.proposal_submit(proposal=proposal, user=alice, today=late)
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFT
    # The deadline applies to every item: staff overriding them all lets it through.
    for item in proposal.items.all():
        proposal_services.proposal_item_override(
            item=item, user=alice, reason="Sở Nội vụ chấp nhận nộp muộn (Công văn 45/SNV)."
        )
    proposal_services.proposal_submit(proposal=proposal, user=alice, today=late)
    assert Proposal.objects.get().state == State.SUBMITTED


def test_an_empty_proposal_cannot_be_submitted(term3, units, bob):
    proposal = Proposal.objects.create(cluster_year=term3)
    with pytest.raises(ClusterError):
        proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)


def test_submission_is_refused_until_staff_override_the_failing_check(term3, units, alice, bob):
    proposal = Proposal.objects.create(cluster_year=term3)
    item = _add(proposal, units["hong_ngu"], Level.PROVINCIAL_FLAG)
    with pytest.raises(ClusterError) as refused:
        proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)
    assert "Hồng Ngự" in str(refused.value)
    assert Proposal.objects.get().state == State.DRAFT
    proposal_services.proposal_item_override(
        item=item, user=alice, reason="Tân Hồng xin rút; Hội đồng tỉnh đồng ý."
    )
    checks = _checks(proposal)
    assert checks.blocking == []
    # The problem stays on record, marked overridden.
    assert checks.items[0].problems and checks.items[0].overridden
    proposal_services.proposal_submit(
        proposal=proposal, user=bob, number="05/TTr-CTĐ3", today=IN_TIME
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.submitted_by, proposal.number) == (
        State.SUBMITTED,
        bob,
        "05/TTr-CTĐ3",
    )
    assert proposal.submitted_at is not None


def test_the_override_and_its_author_are_kept_in_the_history(term3, units, alice):
    proposal = Proposal.objects.create(cluster_year=term3)
    item = _add(proposal, units["hong_ngu"], Level.PROVINCIAL_FLAG)
    proposal_services.proposal_item_override(item=item, user=alice, reason="Lý do bằng văn bản.")
    proposal_services.proposal_item_override(item=item, user=alice, reason="")
    records = list(ProposalItem.history.filter(id=item.pk).order_by("history_date", "history_id"))
    assert [r.override_reason for r in records] == ["", "Lý do bằng văn bản.", ""]
    assert records[1].history_user == alice


def test_a_submitted_proposal_cannot_be_edited(term3, voted, bob):
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)
    item = proposal.items.first()
    with pytest.raises(ClusterError):
        proposal_services.proposal_item_delete(item=item)
    with pytest.raises(ClusterError):
        _add(proposal, item.unit, Level.OTHER)
    with pytest.raises(ClusterError):
        proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)


def test_the_province_returns_a_proposal_which_the_cluster_completes_and_resubmits(
    term3, voted, units, alice, bob
):
    proposal, _source = proposal_services.proposal_create(cluster_year=term3)
    with pytest.raises(ClusterError):
        proposal_services.proposal_return(proposal, alice, "Thiếu báo cáo thành tích.")
    proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)
    with pytest.raises(ClusterError):
        proposal_services.proposal_return(proposal, alice, "  ")
    proposal_services.proposal_return(proposal, alice, "Thiếu báo cáo thành tích.")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.return_reason) == (
        State.RETURNED,
        "Thiếu báo cáo thành tích.",
    )
    assert proposal.history.order_by("-history_date", "-history_id").first().history_user == alice
    item = proposal.items.get(unit=units["hong_ngu"])
    proposal_services.proposal_item_delete(item=item, user=bob)
    proposal_services.proposal_submit(proposal=proposal, user=bob, today=IN_TIME)
    assert Proposal.objects.get().state == State.SUBMITTED


def test_an_added_item_takes_its_score_and_rank_from_the_ranking(term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    item = _add(proposal, units["thanh_binh"], Level.MERIT_CERTIFICATE)
    assert (item.score, item.rank, item.vote_percent) == (Decimal("90.00"), 3, None)
    with pytest.raises(ClusterError):
        _add(proposal, units["thanh_binh"], Level.MERIT_CERTIFICATE)


def test_only_members_can_be_proposed(term3, units, term4):
    proposal = Proposal.objects.create(cluster_year=term3)
    with pytest.raises(ClusterError):
        _add(proposal, term4.memberships.get().unit, Level.MERIT_CERTIFICATE)
