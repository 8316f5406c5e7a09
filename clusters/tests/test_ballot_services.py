"""Ballot services: defaults from the RuleSet and the ranking, the tally checked by
award_rules, re-vote rounds, and ballots frozen once the proposal is submitted."""

import datetime
from decimal import Decimal

import pytest

from clusters import ballot_services
from clusters.models import AwardForm, Ballot, BallotCandidate, Meeting, Proposal, RuleSet
from clusters.services import ClusterError
from clusters.tests.ballot_data import (
    award_form,
    deliberation,
    open_ballot,
    rank_term,
    tally,
)
from clusters.tests.factories import make_unit

pytestmark = pytest.mark.django_db

Level = AwardForm.Level


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def meeting(term3, units):
    return deliberation(term3, list(units.values()))


def _defaults(meeting, level):
    term = meeting.cluster_year
    return ballot_services.ballot_defaults(
        meeting,
        award_form(level),
        ruleset=ballot_services.ruleset_for(term),
        ranking=ballot_services.annual_ranking(term),
        members_total=4,
    )


def test_the_flag_ballot_starts_with_the_leader_and_the_rule_sets_quota(meeting, units):
    RuleSet.objects.filter(year=2022).update(ballot_threshold_percent=Decimal("66.67"))
    defaults = _defaults(meeting, Level.PROVINCIAL_FLAG)
    assert defaults.candidates == [units["tan_hong"].pk]
    assert defaults.quota == 1
    assert defaults.threshold_percent == Decimal("66.67")
    assert defaults.present == 4
    assert defaults.members_total == 4


def test_the_certificate_ballot_starts_with_the_next_units_not_vetoed(meeting, units):
    defaults = _defaults(meeting, Level.MERIT_CERTIFICATE)
    assert defaults.quota == 2
    assert defaults.candidates == [units["hong_ngu"].pk, units["thanh_binh"].pk]


def test_the_certificate_ballot_leaves_out_the_unit_the_meeting_elected_for_the_flag(
    meeting, units
):
    # The meeting elected Hồng Ngự for the flag: Tân Hồng becomes a certificate candidate.
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["hong_ngu"]])
    tally(ballot, [4])
    defaults = _defaults(meeting, Level.MERIT_CERTIFICATE)
    assert defaults.candidates == [units["tan_hong"].pk, units["thanh_binh"].pk]


def test_quotas_follow_the_rule_set(meeting, units):
    RuleSet.objects.filter(year=2022).update(flag_quota=2, merit_quota=1)
    assert _defaults(meeting, Level.PROVINCIAL_FLAG).candidates == [
        units["tan_hong"].pk,
        units["hong_ngu"].pk,
    ]
    merit = _defaults(meeting, Level.MERIT_CERTIFICATE)
    assert (merit.quota, merit.candidates) == (1, [units["thanh_binh"].pk])


def test_other_forms_have_a_quota_of_one_and_no_default_candidate(meeting):
    defaults = _defaults(meeting, Level.OTHER)
    assert (defaults.quota, defaults.candidates) == (1, [])


def test_without_a_ranking_there_is_no_default_candidate(term4, province):
    unit = term4.memberships.get().unit
    meeting = deliberation(term4, [unit])
    defaults = _defaults(meeting, Level.PROVINCIAL_FLAG)
    assert defaults.candidates == []
    assert ballot_services.annual_ranking(term4).error


def test_present_counts_only_the_members_marked_present(term3, units):
    meeting = deliberation(term3, list(units.values()), present=[units["tan_hong"]])
    assert _defaults(meeting, Level.PROVINCIAL_FLAG).present == 1


def test_a_ballot_keeps_its_candidates_in_the_given_order(meeting, units):
    ballot = open_ballot(
        meeting, Level.MERIT_CERTIFICATE, [units["thanh_binh"], units["hong_ngu"]], quota=2
    )
    assert list(ballot.candidates.values_list("unit__name", "position")) == [
        ("Thanh Bình", 1),
        ("Hồng Ngự", 2),
    ]
    assert ballot.round == 1


def test_only_a_deliberation_meeting_holds_ballots(term3, units):
    meeting = Meeting.objects.create(
        cluster_year=term3, kind=Meeting.Kind.ANNUAL_REVIEW, date=datetime.date(2022, 12, 5)
    )
    with pytest.raises(ClusterError):
        open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    assert not Ballot.objects.exists()


def test_a_candidate_must_be_a_member_on_the_meeting_date(meeting, province):
    stranger = make_unit(province, name="Lai Vung")
    with pytest.raises(ClusterError):
        open_ballot(meeting, Level.PROVINCIAL_FLAG, [stranger])
    assert not Ballot.objects.exists()


def test_a_second_ballot_for_the_same_form_is_refused(meeting, units):
    open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    with pytest.raises(ClusterError):
        open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["hong_ngu"]])
    assert Ballot.objects.count() == 1


def test_more_present_than_members_is_refused(meeting, units):
    with pytest.raises(ClusterError):
        ballot_services.ballot_create(
            meeting=meeting,
            award_form=award_form(Level.PROVINCIAL_FLAG),
            quota=1,
            threshold_percent=Decimal(50),
            members_total=4,
            present=5,
            candidates=[units["tan_hong"]],
        )


def test_the_tally_elects_with_the_quota_and_threshold(meeting, units):
    ballot = open_ballot(
        meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
    )
    result = tally(ballot, [4, 2])
    # 2 of 4 is 50 %, not more than half.
    assert result.elected == (units["hong_ngu"].pk,)
    assert result.shortfall
    ballot.refresh_from_db()
    assert (ballot.issued, ballot.returned, ballot.valid, ballot.invalid) == (4, 4, 4, 0)
    assert list(ballot.candidates.values_list("votes", "elected")) == [(4, True), (2, False)]


def test_a_tally_that_does_not_add_up_is_refused_with_every_reason_and_nothing_saved(
    meeting, units
):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"], units["hong_ngu"]])
    candidates = list(ballot.candidates.all())
    with pytest.raises(ballot_services.TallyRefused) as refused:
        ballot_services.ballot_tally(
            ballot=ballot,
            issued=4,
            returned=4,
            valid=3,
            invalid=0,
            votes={candidates[0].pk: 4, candidates[1].pk: 0},
            tally_committee="Ban kiểm phiếu",
        )
    codes = {problem.code for problem in refused.value.problems}
    assert {"valid_invalid_sum", "votes_above_valid", "too_many_votes"} <= codes
    assert all(problem.message for problem in refused.value.problems)
    ballot.refresh_from_db()
    assert ballot.valid is None and ballot.issued is None
    assert not BallotCandidate.objects.filter(votes__isnull=False).exists()


def test_a_tally_below_the_quorum_is_refused(term3, units):
    meeting = deliberation(term3, list(units.values()), present=[units["tan_hong"]])
    ballot = ballot_services.ballot_create(
        meeting=meeting,
        award_form=award_form(Level.PROVINCIAL_FLAG),
        quota=1,
        threshold_percent=Decimal(50),
        members_total=4,
        present=2,
        candidates=[units["tan_hong"]],
    )
    [candidate] = ballot.candidates.all()
    with pytest.raises(ballot_services.TallyRefused) as refused:
        ballot_services.ballot_tally(
            ballot=ballot,
            issued=2,
            returned=2,
            valid=2,
            invalid=0,
            votes={candidate.pk: 2},
            tally_committee="Ban kiểm phiếu",
        )
    assert "quorum_not_reached" in {p.code for p in refused.value.problems}


def test_a_tie_for_the_last_seat_opens_a_revote_round_for_the_tied(meeting, units):
    ballot = open_ballot(
        meeting,
        Level.PROVINCIAL_FLAG,
        [units["tan_hong"], units["hong_ngu"]],
        threshold=Decimal(20),
    )
    result = tally(ballot, [2, 2])
    assert result.elected == ()
    assert set(result.revote) == {units["tan_hong"].pk, units["hong_ngu"].pk}
    second = ballot_services.ballot_revote(ballot=ballot)
    assert (second.round, second.quota, second.threshold_percent) == (2, 1, Decimal(20))
    assert (second.members_total, second.present) == (4, 4)
    assert list(second.candidates.values_list("unit__name", flat=True)) == [
        "Tân Hồng",
        "Hồng Ngự",
    ]
    assert second.tally_committee == ballot.tally_committee
    # The earlier round cannot change or be deleted while the later one exists.
    with pytest.raises(ClusterError):
        tally(ballot, [3, 1])
    with pytest.raises(ClusterError):
        ballot_services.ballot_delete(ballot=ballot)
    with pytest.raises(ClusterError):
        ballot_services.ballot_revote(ballot=ballot)
    tally(second, [3, 1])
    second.refresh_from_db()
    assert second.candidates.get(elected=True).unit == units["tan_hong"]


def test_a_revote_needs_a_tally_with_a_tie(meeting, units):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    with pytest.raises(ClusterError):
        ballot_services.ballot_revote(ballot=ballot)
    tally(ballot, [4])
    with pytest.raises(ClusterError):
        ballot_services.ballot_revote(ballot=ballot)
    assert Ballot.objects.count() == 1


def test_the_latest_round_can_be_deleted(meeting, units):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    ballot_services.ballot_delete(ballot=ballot)
    assert not Ballot.objects.exists()
    assert not BallotCandidate.objects.exists()


def test_ballots_are_frozen_once_the_proposal_is_submitted(meeting, term3, units):
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    Proposal.objects.create(cluster_year=term3, state=Proposal.State.SUBMITTED)
    with pytest.raises(ClusterError):
        tally(ballot, [4])
    with pytest.raises(ClusterError):
        ballot_services.ballot_delete(ballot=ballot)
    with pytest.raises(ClusterError):
        open_ballot(meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"]])
    Proposal.objects.update(state=Proposal.State.RETURNED)
    tally(ballot, [4])


def test_no_model_can_link_a_voter_to_a_choice():
    for model in (Ballot, BallotCandidate):
        names = {f.name for f in model._meta.get_fields()}
        assert not any("voter" in name or "user" in name for name in names)


def test_a_ballot_keeps_the_rules_it_was_opened_with(meeting, units):
    """Changing the RuleSet later does not re-read a past ballot."""
    term = meeting.cluster_year
    ruleset, _created = RuleSet.objects.update_or_create(
        province=term.cluster.province,
        year=term.year,
        defaults={"threshold_strict": False, "quorum_percent": Decimal("50")},
    )
    ballot = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    assert (ballot.threshold_strict, ballot.quorum_percent) == (False, Decimal("50"))
    ruleset.threshold_strict = True
    ruleset.quorum_percent = Decimal("100")
    ruleset.save()
    tally(ballot, [2])
    ballot.refresh_from_db()
    # 2 of 4 is "at least half" (the rule when the ballot was opened), not "more than".
    assert (ballot.threshold_strict, ballot.quorum_percent) == (False, Decimal("50"))
    assert ballot.candidates.get().elected
