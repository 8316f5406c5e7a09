"""The rules of deliberation, proposals and awards (clusters.award_rules).

Worked examples from domain.md §2.2, §2.6 and §5.2(e)(g), then properties over random
ballots, tallies, proposals and reference data. No database: the rules are pure.
Behaviour is asserted through Problem.code and legal_basis, not English wording.
"""

import dataclasses
import datetime
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from clusters.award_rules import (
    DECREE_152_ART_4_4,
    DOUBLE_AWARD_CONFLICTS,
    LAW_ART_5,
    LAW_ART_25,
    LAW_ART_26,
    PROVINCIAL_RULES,
    ElectionResult,
    Level,
    Problem,
    ProposedItem,
    Tally,
    blocking,
    cash_amount,
    elect,
    level_label,
    overridden_keys,
    proposal_problems,
    quorum_reached,
    tally_problems,
    threshold_met,
    unresolved,
    value_on,
    vote_percent,
)

D = Decimal
TWO_THIRDS = D("66.67")
HALF = D(50)
date = datetime.date


def codes(problems):
    return [p.code for p in problems]


def assert_sentences(problems):
    """Messages are complete sentences with every placeholder filled in."""
    for problem in problems:
        assert problem.message.endswith("."), problem
        assert "%(" not in problem.message and "%%" not in problem.message, problem
        assert not problem.message[0].islower(), problem


# --- vote_percent ------------------------------------------------------------------


@pytest.mark.parametrize(
    "votes, total, expected",
    [
        (3, 5, "60.00"),
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 6, "16.67"),
        (1, 8, "12.50"),
        (1, 16, "6.25"),
        (1, 800, "0.13"),  # 0.125 rounds half up
        (1, 1600, "0.06"),  # 0.0625
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (0, 0, "0.00"),
        (7, 5, "140.00"),
    ],
)
def test_vote_percent_has_two_decimals_rounded_half_up(votes, total, expected):
    result = vote_percent(votes, total)
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "votes, total, error",
    [(-1, 5, ValueError), (1, -5, ValueError), (1.0, 5, TypeError), (True, 5, TypeError)],
)
def test_vote_percent_refuses_bad_numbers(votes, total, error):
    with pytest.raises(error):
        vote_percent(votes, total)


@given(st.integers(0, 2000), st.integers(1, 2000))
def test_vote_percent_is_the_exact_share_rounded_half_up(votes, total):
    exact = D(votes) * 100 / D(total)
    assert vote_percent(votes, total) == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --- quorum_reached ----------------------------------------------------------------


@pytest.mark.parametrize(
    "present, total, expected",
    [
        # Bắc Ninh: quorum ⅔, stored as 66.67; 2 of 3 print as 66,67 % and reach it.
        (2, 3, True),
        (1, 3, False),
        (4, 6, True),
        (3, 6, False),
        (6, 9, True),
        (5, 9, False),
        (20, 30, True),
        (19, 30, False),
        (67, 100, True),
        (66, 100, False),
        (3, 3, True),
        (0, 3, False),
    ],
)
def test_two_thirds_quorum(present, total, expected):
    assert quorum_reached(present, total, TWO_THIRDS) is expected


@pytest.mark.parametrize(
    "present, total, percent, expected",
    [
        (8, 10, D(80), True),  # Bắc Ninh award sessions: ≥ 80 %
        (7, 10, D(80), False),
        (4, 5, D(80), True),
        (3, 5, D(80), False),
        (5, 5, D(100), True),  # "all members"
        (4, 5, D(100), False),
        (0, 5, D(0), True),
        (3, 6, 50, True),  # an int percent is accepted
        (6, 5, TWO_THIRDS, True),  # more present than members: tally_problems reports it
    ],
)
def test_other_quorums(present, total, percent, expected):
    assert quorum_reached(present, total, percent) is expected


def test_a_cluster_without_members_has_no_quorum():
    assert quorum_reached(0, 0, D(0)) is False


@pytest.mark.parametrize(
    "args, error",
    [
        ((2, 3, 66.67), TypeError),
        ((2, 3, "66.67"), TypeError),
        ((2, 3, D(101)), ValueError),
        ((2, 3, D(-1)), ValueError),
        ((2, 3, D("NaN")), ValueError),
        ((-1, 3, TWO_THIRDS), ValueError),
        ((2, -3, TWO_THIRDS), ValueError),
    ],
)
def test_quorum_refuses_bad_arguments(args, error):
    with pytest.raises(error):
        quorum_reached(*args)


@given(st.integers(0, 150), st.integers(1, 150), st.integers(0, 100))
def test_quorum_of_a_whole_percent_is_the_exact_comparison(present, total, percent):
    # Rounding the printed share only matters within 0.005 % of the rule, which a whole
    # percentage cannot come that close to with fewer than 200 members.
    assume(present <= total)
    assert quorum_reached(present, total, D(percent)) is (present * 100 >= percent * total)


@given(st.integers(1, 100), st.data())
def test_quorum_is_monotonic_in_those_present(total, data):
    percent = data.draw(st.decimals(0, 100, places=2))
    a, b = sorted(data.draw(st.lists(st.integers(0, total), min_size=2, max_size=2)))
    assert quorum_reached(a, total, percent) <= quorum_reached(b, total, percent)


# --- threshold_met -----------------------------------------------------------------


def test_five_members_more_than_half():
    # 3 of 5 (60 %) is more than half; 2 (40 %) is not; 2.5 votes cannot be cast, so no
    # count lands exactly on the threshold.
    assert threshold_met(3, 5, HALF, strict=True)
    assert not threshold_met(2, 5, HALF, strict=True)
    assert all(vote_percent(votes, 5) != HALF for votes in range(6))
    assert [v for v in range(6) if threshold_met(v, 5, HALF, True)] == [3, 4, 5]
    assert [v for v in range(6) if threshold_met(v, 5, HALF, False)] == [3, 4, 5]


def test_exactly_half_is_not_more_than_half():
    assert not threshold_met(2, 4, HALF, strict=True)
    assert threshold_met(3, 4, HALF, strict=True)
    assert threshold_met(2, 4, HALF, strict=False)


@pytest.mark.parametrize(
    "votes, total, strict, expected",
    [
        # Provinces that require two thirds, stored as 66.67.
        (2, 3, False, True),
        (4, 6, False, True),
        (3, 6, False, False),
        (6, 9, False, True),
        (5, 9, False, False),
        (14, 21, False, True),
        (13, 21, False, False),
        # "More than two thirds": exactly two thirds is not more.
        (2, 3, True, False),
        (4, 6, True, False),
        (5, 6, True, True),
    ],
)
def test_two_thirds_threshold(votes, total, strict, expected):
    assert threshold_met(votes, total, TWO_THIRDS, strict) is expected


def test_the_threshold_counts_all_members_not_those_present():
    # 10 members, 6 present, 5 votes: 5/6 of those present but only half of all members.
    assert vote_percent(5, 6) > HALF
    assert not threshold_met(5, 10, HALF, strict=True)
    assert threshold_met(6, 10, HALF, strict=True)


@pytest.mark.parametrize(
    "votes, total, percent, expected",
    [(7, 10, D(70), True), (6, 10, D(70), False), (8, 10, D(80), True), (7, 10, D(80), False)],
)
def test_seventy_and_eighty_percent(votes, total, percent, expected):
    assert threshold_met(votes, total, percent, strict=False) is expected


def test_no_vote_never_meets_a_threshold():
    assert not threshold_met(0, 5, D(0), strict=False)
    assert threshold_met(1, 5, D(0), strict=True)
    assert not threshold_met(1, 0, D(0), strict=False)


@pytest.mark.parametrize(
    "args, error",
    [
        ((3, 5, 50.0, True), TypeError),
        ((3, 5, D(150), True), ValueError),
        ((-3, 5, HALF, True), ValueError),
        ((3, -5, HALF, True), ValueError),
    ],
)
def test_threshold_refuses_bad_arguments(args, error):
    with pytest.raises(error):
        threshold_met(*args)


@given(st.integers(0, 150), st.integers(1, 150), st.integers(0, 100), st.booleans())
def test_threshold_of_a_whole_percent_is_the_exact_comparison(votes, total, percent, strict):
    exact = votes * 100 > percent * total if strict else votes * 100 >= percent * total
    assert threshold_met(votes, total, D(percent), strict) is (exact and votes > 0)


@given(st.integers(1, 60), st.decimals(0, 100, places=2), st.booleans(), st.data())
def test_threshold_is_monotonic_and_strict_is_harder(total, percent, strict, data):
    a, b = sorted(data.draw(st.lists(st.integers(0, total), min_size=2, max_size=2)))
    assert threshold_met(a, total, percent, strict) <= threshold_met(b, total, percent, strict)
    assert threshold_met(a, total, percent, True) <= threshold_met(a, total, percent, False)


# --- elect: worked examples --------------------------------------------------------


def test_five_member_cluster_elects_the_unit_with_three_votes():
    result = elect({"A": 3, "B": 2, "C": 0}, ["A", "B", "C"], 1, 5, HALF, True)
    assert result == ElectionResult(elected=("A",), revote=(), shortfall=False, open_seats=0)


def test_a_tie_for_the_only_seat_goes_to_a_revote():
    # Round 1, one flag, "at least half" of 4 members: A and B have 2 votes each (with
    # one name per ballot and more than half, two units could not both qualify).
    first = elect({"A": 2, "B": 2, "C": 0}, ["A", "B", "C"], 1, 4, HALF, False)
    assert first.elected == ()
    assert first.revote == ("A", "B")
    assert first.open_seats == 1
    assert not first.shortfall
    # Round 2 between the tied units, for the seat left.
    second = elect({"A": 1, "B": 3}, first.revote, first.open_seats, 4, HALF, False)
    assert second.elected == ("B",)
    assert second.revote == ()


def test_a_tie_straddling_the_last_seat_elects_only_those_above_it():
    # Two certificates of merit: A is elected, B and C tie for the second seat.
    result = elect({"A": 5, "B": 3, "C": 3, "D": 1}, ["A", "B", "C", "D"], 2, 5, HALF, True)
    assert result.elected == ("A",)
    assert result.revote == ("B", "C")
    assert result.open_seats == 1


def test_the_revote_lists_the_tied_candidates_in_ranking_order():
    result = elect({"A": 6, "B": 4, "C": 4, "D": 4}, ["D", "A", "C", "B"], 3, 6, HALF, True)
    assert result.elected == ("A",)
    assert result.revote == ("D", "C", "B")
    assert result.open_seats == 2


def test_a_tie_within_the_quota_elects_all_in_ranking_order():
    result = elect({"A": 4, "B": 4, "C": 3}, ["B", "A", "C"], 2, 5, HALF, True)
    assert result.elected == ("B", "A")
    assert result.revote == ()


def test_a_tie_that_fits_exactly_elects_everyone_qualifying():
    # D is below the threshold, so A, B, C fill the three seats.
    result = elect({"A": 5, "B": 4, "C": 4, "D": 3}, ["A", "B", "C", "D"], 3, 6, HALF, True)
    assert result.elected == ("A", "B", "C")
    assert not result.shortfall


def test_elected_are_listed_by_votes_then_ranking_order():
    result = elect({"A": 3, "B": 5, "C": 4, "D": 2}, ["A", "B", "C", "D"], 4, 5, HALF, True)
    assert result.elected == ("B", "C", "A")
    assert result.shortfall
    assert result.open_seats == 1


def test_more_votes_but_below_the_threshold_is_not_elected():
    result = elect({"A": 2, "B": 1}, ["A", "B"], 1, 5, HALF, True)
    assert result == ElectionResult(elected=(), revote=(), shortfall=True, open_seats=1)


def test_two_thirds_election():
    result = elect({"A": 6, "B": 5}, ["A", "B"], 2, 9, TWO_THIRDS, False)
    assert result.elected == ("A",)
    assert result.shortfall


def test_a_quota_of_zero_elects_nobody():
    assert elect({"A": 5}, ["A"], 0, 5, HALF, True) == ElectionResult((), (), False, 0)


def test_no_candidates():
    assert elect({}, [], 1, 5, HALF, True) == ElectionResult((), (), True, 1)


def test_a_candidate_without_votes_has_none():
    result = elect({"A": 4}, ["B", "A"], 2, 5, HALF, True)
    assert result.elected == ("A",)


@pytest.mark.parametrize(
    "votes, order, quota, percent, error",
    [
        ({"A": 3, "X": 1}, ["A"], 1, HALF, ValueError),  # X is not in the order
        ({"A": 3}, ["A", "A"], 1, HALF, ValueError),
        ({"A": -1}, ["A"], 1, HALF, ValueError),
        ({"A": 3}, ["A"], -1, HALF, ValueError),
        ({"A": 3}, ["A"], 1, D(101), ValueError),
        ({"A": 3}, ["A"], 1, 50.0, TypeError),
        ({"A": 3.0}, ["A"], 1, HALF, TypeError),
    ],
)
def test_elect_refuses_bad_arguments(votes, order, quota, percent, error):
    with pytest.raises(error):
        elect(votes, order, quota, 5, percent, True)


# --- elect: properties -------------------------------------------------------------

PERCENTS = st.one_of(
    st.sampled_from([D(0), HALF, TWO_THIRDS, D(70), D(80), D(100)]),
    st.decimals(0, 100, places=2),
)


@st.composite
def elections(draw):
    total = draw(st.integers(0, 12))
    # Few distinct vote counts, so that ties are common.
    keys = draw(st.lists(st.integers(0, 20), unique=True, max_size=7))
    votes = {key: draw(st.integers(0, total)) for key in keys}
    order = draw(st.permutations(keys))
    quota = draw(st.integers(0, 4))
    return votes, order, quota, total, draw(PERCENTS), draw(st.booleans())


def _qualifying(votes, total, percent, strict):
    return {k for k, v in votes.items() if threshold_met(v, total, percent, strict)}


@given(elections())
def test_elect_respects_the_quota_and_the_threshold(election):
    votes, order, quota, total, percent, strict = election
    result = elect(votes, order, quota, total, percent, strict)
    qualifying = _qualifying(votes, total, percent, strict)
    assert len(result.elected) <= quota
    assert len(result.elected) + result.open_seats == quota
    assert set(result.elected) <= qualifying
    assert set(result.revote) <= qualifying
    assert not set(result.elected) & set(result.revote)
    assert result.shortfall is (len(qualifying) < quota)
    # Every elected candidate has more votes than every qualifying one left out.
    left_out = qualifying - set(result.elected)
    for key in result.elected:
        assert all(votes[key] > votes[other] for other in left_out)
    # Listed by votes, highest first.
    listed = [votes[key] for key in result.elected]
    assert listed == sorted(listed, reverse=True)


@given(elections())
def test_a_revote_is_a_tie_for_the_last_seats(election):
    votes, order, quota, total, percent, strict = election
    result = elect(votes, order, quota, total, percent, strict)
    if result.revote:
        assert len({votes[key] for key in result.revote}) == 1
        assert len(result.revote) > result.open_seats > 0
        assert not result.shortfall
        assert list(result.revote) == [key for key in order if key in result.revote]
    else:
        assert len(result.elected) == min(quota, len(_qualifying(votes, total, percent, strict)))


@given(elections(), st.data())
def test_the_order_of_the_votes_mapping_never_matters(election, data):
    votes, order, quota, total, percent, strict = election
    shuffled = dict(data.draw(st.permutations(list(votes.items()))))
    assert elect(shuffled, order, quota, total, percent, strict) == elect(
        votes, order, quota, total, percent, strict
    )


@given(elections(), st.data())
def test_the_ranking_order_only_orders_equal_votes(election, data):
    votes, order, quota, total, percent, strict = election
    other_order = data.draw(st.permutations(order))
    a = elect(votes, order, quota, total, percent, strict)
    b = elect(votes, other_order, quota, total, percent, strict)
    assert set(a.elected) == set(b.elected)
    assert set(a.revote) == set(b.revote)
    assert (a.shortfall, a.open_seats) == (b.shortfall, b.open_seats)


@given(elections(), st.data())
def test_more_votes_keep_an_elected_candidate_elected(election, data):
    votes, order, quota, total, percent, strict = election
    result = elect(votes, order, quota, total, percent, strict)
    assume(result.elected)
    key = data.draw(st.sampled_from(result.elected))
    raised = votes | {key: votes[key] + data.draw(st.integers(1, 10))}
    assert key in elect(raised, order, quota, total, percent, strict).elected


# --- Tallies: examples -------------------------------------------------------------


def tally(**overrides):
    """A consistent tally: 5 members, all present, one flag; A elected with 3 of 5 votes."""
    values = {
        "members_total": 5,
        "present": 5,
        "issued": 5,
        "returned": 5,
        "valid": 4,
        "invalid": 1,
        # Each of the 4 valid ballots keeps at most 1 name.
        "votes": {"A": 3, "B": 1, "C": 0},
        "elected": frozenset({"A"}),
        "quota": 1,
        "threshold_percent": HALF,
        "strict": True,
        "names": {"A": "Huyện Tân Hồng", "B": "Thị xã Hồng Ngự", "C": "Huyện Tam Nông"},
        "quorum_percent": TWO_THIRDS,
    }
    return Tally(**(values | overrides))


def test_a_consistent_tally_has_no_problem():
    assert tally_problems(tally()) == []


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"present": 6, "issued": 5}, "present_above_total"),
        (
            {"present": 3, "issued": 3, "returned": 3, "valid": 3, "invalid": 0},
            "quorum_not_reached",
        ),
        ({"issued": 6, "returned": 5}, "issued_above_present"),
        ({"issued": 4}, "returned_above_issued"),
        ({"issued": None, "returned": 6, "valid": 5}, "returned_above_present"),
        ({"valid": 5}, "valid_invalid_sum"),
        ({"invalid": 0}, "valid_invalid_sum"),
        ({"votes": {"A": 5, "B": 0, "C": 0}}, "votes_above_valid"),
        ({"votes": {"A": 4, "B": 1, "C": 0}, "quota": 2}, None),  # 5 names on 4 ballots of 2
        ({"votes": {"A": 3, "B": 2, "C": 0}}, "too_many_votes"),
        ({"elected": frozenset({"A", "B"})}, "over_quota"),
        ({"elected": frozenset({"A", "Z"}), "quota": 2}, "elected_not_candidate"),
        ({"votes": {"A": None, "B": 1, "C": 0}}, "votes_missing"),
        ({"elected": frozenset({"B"})}, "elected_below_threshold"),
        (
            {
                "votes": {"A": 4, "B": 3, "C": 3},
                "valid": 5,
                "invalid": 0,
                "quota": 2,
                "elected": frozenset({"A", "B"}),
            },
            "tie_needs_revote",
        ),
        ({"elected": frozenset()}, "not_elected_but_winning"),
        ({"members_total": 0, "present": 0, "issued": 0, "returned": 0, "valid": 0}, "no_members"),
    ],
)
def test_each_inconsistency_has_its_code(overrides, code):
    problems = tally_problems(tally(**overrides))
    if code is None:
        assert problems == []
    else:
        assert code in codes(problems)
        assert_sentences(problems)


def test_a_candidate_outranked_within_the_quota():
    # One flag, at least 20 % of the members: both qualify, but A has more votes.
    problems = tally_problems(
        tally(
            votes={"A": 3, "B": 2, "C": 0},
            elected=frozenset({"B"}),
            valid=5,
            invalid=0,
            threshold_percent=D(20),
            strict=False,
        )
    )
    # In the order of the candidates.
    assert codes(problems) == ["not_elected_but_winning", "elected_outranked"]


def test_a_first_round_tie_recorded_without_the_tied_elected_is_consistent():
    # Two certificates: A is elected, B and C tie for the second seat.
    first = tally(
        votes={"A": 4, "B": 3, "C": 3}, valid=5, invalid=0, quota=2, elected=frozenset({"A"})
    )
    assert tally_problems(first) == []
    # The re-vote between B and C for the seat left.
    second = tally(votes={"B": 4, "C": 1}, valid=5, invalid=0, elected=frozenset({"B"}))
    assert tally_problems(second) == []


def test_a_shortfall_is_not_an_inconsistency():
    short = tally(votes={"A": 3, "B": 2}, quota=2, elected=frozenset({"A"}))
    assert tally_problems(short) == []


def test_two_thirds_tally():
    two_thirds = tally(
        members_total=9,
        present=9,
        issued=9,
        returned=9,
        valid=9,
        invalid=0,
        votes={"A": 6, "B": 5},
        elected=frozenset({"A"}),
        quota=2,
        threshold_percent=TWO_THIRDS,
        strict=False,
    )
    assert tally_problems(two_thirds) == []
    wrong = dataclasses.replace(two_thirds, elected=frozenset({"A", "B"}))
    assert codes(tally_problems(wrong)) == ["elected_below_threshold"]


def test_the_below_threshold_message_says_more_than_or_at_least():
    with translation.override("en"):
        strict = tally_problems(tally(elected=frozenset({"A", "B"}), quota=2))
        loose = tally_problems(tally(elected=frozenset({"A", "B"}), quota=2, strict=False))
    assert codes(strict) == codes(loose) == ["elected_below_threshold"]
    assert strict[0].message != loose[0].message
    assert "Thị xã Hồng Ngự" in strict[0].message
    assert strict[0].legal_basis == PROVINCIAL_RULES


def test_percentages_are_printed_in_the_active_language():
    problems = tally_problems(
        tally(
            members_total=3,
            present=1,
            issued=1,
            returned=1,
            valid=1,
            invalid=0,
            votes={"A": 1},
            elected=frozenset(),
        )
    )
    assert codes(problems) == ["quorum_not_reached"]
    with translation.override("vi"):
        message = tally_problems(
            tally(
                members_total=3,
                present=1,
                issued=1,
                returned=1,
                valid=1,
                invalid=0,
                votes={"A": 1},
                elected=frozenset(),
            )
        )[0].message
    assert "33,33" in message and "66,67" in message


def test_a_tally_not_yet_recorded_has_no_problem():
    blank = tally(
        issued=None,
        returned=None,
        valid=None,
        invalid=None,
        votes={"A": None, "B": None},
        elected=frozenset(),
    )
    assert tally_problems(blank) == []


def test_without_a_quorum_rule_the_quorum_is_not_checked():
    few = tally(
        present=1,
        issued=1,
        returned=1,
        valid=1,
        invalid=0,
        votes={"A": 1},
        elected=frozenset(),
        quorum_percent=None,
    )
    assert tally_problems(few) == []


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"valid": -1}, "negative_count"),
        ({"votes": {"A": -3}}, "negative_count"),
        ({"votes": {"A": 2.0}}, "negative_count"),
        ({"quota": -1}, "invalid_quota"),
        ({"threshold_percent": D(120)}, "invalid_threshold"),
        ({"threshold_percent": 50.0}, "invalid_threshold"),
        ({"quorum_percent": D(-5)}, "invalid_quorum"),
    ],
)
def test_numbers_that_cannot_be_checked_are_reported_alone(overrides, code):
    assert codes(tally_problems(tally(**overrides))) == [code]


def test_problems_come_in_the_order_of_the_minutes():
    messy = tally(
        present=6,
        issued=7,
        returned=8,
        valid=9,
        invalid=0,
        votes={"A": 10, "B": 0},
        elected=frozenset({"A", "B"}),
    )
    assert codes(tally_problems(messy)) == [
        "present_above_total",
        "issued_above_present",
        "returned_above_issued",
        "valid_invalid_sum",
        "votes_above_valid",
        "too_many_votes",
        "over_quota",
        "elected_below_threshold",
    ]


def test_arithmetic_needs_no_legal_basis_but_rules_do():
    by_code = {
        p.code: p
        for p in tally_problems(tally(valid=5, elected=frozenset({"A", "B"})))
        + tally_problems(tally(present=3, issued=3, returned=3, valid=3, invalid=0))
    }
    assert by_code["valid_invalid_sum"].legal_basis == ""
    assert by_code["over_quota"].legal_basis == PROVINCIAL_RULES
    assert by_code["quorum_not_reached"].legal_basis == PROVINCIAL_RULES


def test_a_tally_is_frozen_and_copies_its_mappings():
    votes = {"A": 3}
    recorded = tally(votes=votes, elected={"A"})
    votes["A"] = 5
    assert recorded.votes["A"] == 3
    assert isinstance(recorded.elected, frozenset)
    assert recorded.name("A") == "Huyện Tân Hồng"
    assert recorded.name("Z") == "Z"
    with pytest.raises(dataclasses.FrozenInstanceError):
        recorded.quota = 2


# --- Tallies: properties -----------------------------------------------------------

QUORUMS = [D(0), HALF, TWO_THIRDS, D(80), D(100)]


@st.composite
def consistent_tallies(draw):
    total = draw(st.integers(1, 25))
    present = draw(st.integers(0, total))
    quorums = [q for q in QUORUMS if quorum_reached(present, total, q)]
    quorum = draw(st.sampled_from([None, *quorums]))
    issued = draw(st.integers(0, present))
    returned = draw(st.integers(0, issued))
    valid = draw(st.integers(0, returned))
    quota = draw(st.integers(0, 3))
    candidates = [f"U{i}" for i in range(draw(st.integers(0, 6)))]
    # Each valid ballot keeps at most `quota` names.
    choice = st.sets(st.sampled_from(candidates), max_size=quota) if candidates else st.just(set())
    ballots = draw(st.lists(choice, min_size=valid, max_size=valid))
    counted = Counter(name for ballot in ballots for name in ballot)
    votes = {name: counted[name] for name in candidates}
    percent, strict = draw(PERCENTS), draw(st.booleans())
    result = elect(votes, candidates, quota, total, percent, strict)
    return Tally(
        members_total=total,
        present=present,
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=returned - valid,
        votes=votes,
        elected=frozenset(result.elected),
        quota=quota,
        threshold_percent=percent,
        strict=strict,
        quorum_percent=quorum,
    )


@given(consistent_tallies())
def test_a_consistent_tally_never_has_a_problem(recorded):
    assert tally_problems(recorded) == []


def _perturb(recorded, how, data):
    """One count changed so that an equation breaks, and the code that must say so."""
    replace = dataclasses.replace
    if how == "valid":
        return replace(recorded, valid=recorded.valid + 1), "valid_invalid_sum"
    if how == "invalid":
        return replace(recorded, invalid=recorded.invalid + 1), "valid_invalid_sum"
    if how == "returned":
        return replace(recorded, returned=recorded.returned + 1), "valid_invalid_sum"
    if how == "issued":
        assume(recorded.returned > 0)
        return replace(recorded, issued=recorded.returned - 1), "returned_above_issued"
    if how == "issued_above_present":
        return replace(recorded, issued=recorded.present + 1), "issued_above_present"
    if how == "present":
        return replace(recorded, present=recorded.members_total + 1), "present_above_total"
    if how == "votes":
        assume(recorded.votes)
        key = data.draw(st.sampled_from(sorted(recorded.votes)))
        votes = dict(recorded.votes) | {key: recorded.valid + 1}
        return replace(recorded, votes=votes), "votes_above_valid"
    if how == "drop_winner":
        assume(recorded.elected)
        key = data.draw(st.sampled_from(sorted(recorded.elected)))
        return replace(recorded, elected=recorded.elected - {key}), "not_elected_but_winning"
    assert how == "add_loser"
    losers = [
        key
        for key, votes in recorded.votes.items()
        if not threshold_met(
            votes, recorded.members_total, recorded.threshold_percent, recorded.strict
        )
    ]
    assume(losers)
    key = data.draw(st.sampled_from(losers))
    return replace(recorded, elected=recorded.elected | {key}), "elected_below_threshold"


@given(
    consistent_tallies(),
    st.sampled_from(
        [
            "valid",
            "invalid",
            "returned",
            "issued",
            "issued_above_present",
            "present",
            "votes",
            "drop_winner",
            "add_loser",
        ]
    ),
    st.data(),
)
def test_a_perturbed_tally_is_refused_with_the_reason(recorded, how, data):
    perturbed, code = _perturb(recorded, how, data)
    problems = tally_problems(perturbed)
    assert code in codes(problems)
    assert_sentences(problems)


# --- Proposals: examples -----------------------------------------------------------

TODAY = date(2022, 12, 5)
DEADLINE = date(2022, 12, 10)  # Bắc Ninh: before 10/12


def item(key, unit=None, level=Level.PROVINCIAL_FLAG, rank=1, **overrides):
    values = {
        "key": key,
        "unit_key": unit if unit is not None else key,
        "level": level,
        "rank": rank,
        "tied": False,
        "eligible": True,
        "vetoed": False,
        "vote_percent": D("80.00"),
        "elected": True,
        "overridden": False,
        "name": f"Đơn vị {key}",
    }
    return ProposedItem(**(values | overrides))


def check(items, **overrides):
    values = {
        "flag_quota": 1,
        "merit_quota": 2,
        "deadline": DEADLINE,
        "today": TODAY,
    }
    return proposal_problems(items, **(values | overrides))


def proposal_codes(result):
    return {key: codes(problems) for key, problems in result.items()}


def test_a_sound_proposal_has_no_problem():
    items = [
        item(1),
        item(2, level=Level.MERIT_CERTIFICATE, rank=2),
        item(3, level=Level.MERIT_CERTIFICATE, rank=3),
    ]
    assert proposal_codes(check(items)) == {None: [], 1: [], 2: [], 3: []}


def test_a_flag_proposed_for_rank_two_is_refused():
    result = check([item(1, rank=2)])
    assert codes(result[1]) == ["flag_not_leader"]
    assert result[1][0].legal_basis == LAW_ART_26
    assert_sentences(result[1])


def test_a_flag_for_an_unranked_unit_is_refused():
    assert codes(check([item(1, rank=None)])[1]) == ["flag_not_leader"]


def test_a_flag_for_a_unit_tied_at_rank_one_is_refused():
    result = check([item(1, tied=True)])
    assert codes(result[1]) == ["flag_tied"]
    assert result[1][0].legal_basis == LAW_ART_26


def test_a_flag_for_a_leader_that_misses_the_criteria_is_refused():
    assert codes(check([item(1, eligible=False)])[1]) == ["not_eligible"]


def test_a_certificate_of_merit_needs_neither_rank_one_nor_flag_eligibility():
    merit = item(1, level=Level.MERIT_CERTIFICATE, rank=4, eligible=False, tied=True)
    assert check([merit])[1] == []


def test_the_government_flag_goes_to_a_leader_too():
    result = check([item(1, level=Level.GOVERNMENT_FLAG, rank=2)])
    assert codes(result[1]) == ["flag_not_leader"]
    assert result[1][0].legal_basis == LAW_ART_25


@pytest.mark.parametrize("level", list(Level))
def test_a_vetoed_unit_cannot_be_proposed_for_any_form(level):
    result = check([item(1, level=level, vetoed=True, veto_reasons=("V1 Kỷ luật",))])
    vetoed = [p for p in result[1] if p.code == "vetoed"]
    assert len(vetoed) == 1
    assert vetoed[0].legal_basis == DECREE_152_ART_4_4
    assert "V1 Kỷ luật" in vetoed[0].message
    assert_sentences(vetoed)


def test_a_veto_without_reasons_still_has_a_sentence():
    result = check([item(1, vetoed=True)])
    assert codes(result[1]) == ["vetoed"]
    assert_sentences(result[1])


@pytest.mark.parametrize(
    "level, expected",
    [
        (Level.PROVINCIAL_FLAG, ["not_elected"]),
        (Level.MERIT_CERTIFICATE, ["not_elected"]),
        (Level.GOVERNMENT_FLAG, ["not_elected"]),
        (Level.OTHER, []),  # titles of the unit itself are not voted on by the cluster
    ],
)
def test_a_form_the_ballot_did_not_give(level, expected):
    assert codes(check([item(1, level=level, elected=False)])[1]) == expected


def test_flags_beyond_the_quota():
    result = check([item(1), item(2, rank=2)], flag_quota=1)
    assert codes(result[1]) == []
    assert codes(result[2]) == ["flag_not_leader", "over_quota"]
    assert result[2][1].legal_basis == PROVINCIAL_RULES


def test_two_flags_are_fine_where_the_province_allows_two():
    # Some provinces give large clusters two flags; rank 2 still fails Art. 26.
    result = check([item(1), item(2, rank=2)], flag_quota=2)
    assert codes(result[2]) == ["flag_not_leader"]


def test_certificates_beyond_the_quota_are_the_lowest_ranked():
    merit = Level.MERIT_CERTIFICATE
    items = [
        item(4, level=merit, rank=None),
        item(3, level=merit, rank=4),
        item(2, level=merit, rank=2),
        item(1, level=merit, rank=3),
    ]
    result = check(items, merit_quota=2)
    assert [key for key in (1, 2, 3, 4) if "over_quota" in codes(result[key])] == [3, 4]


def test_a_quota_of_zero_refuses_every_item_of_that_form():
    result = check(
        [item(1), item(2, level=Level.MERIT_CERTIFICATE, rank=2)], flag_quota=0, merit_quota=0
    )
    assert codes(result[1]) == ["over_quota"]
    assert codes(result[2]) == ["over_quota"]


def test_the_double_award_case():
    # Law Art. 5: the leader cannot receive both the flag and a certificate of merit for
    # the same cluster result of the same year.
    items = [
        item("flag", unit="tan-hong"),
        item("merit", unit="tan-hong", level=Level.MERIT_CERTIFICATE),
        item("other", unit="hong-ngu", level=Level.MERIT_CERTIFICATE, rank=2),
    ]
    result = check(items)
    assert codes(result["flag"]) == ["double_award"]
    assert codes(result["merit"]) == ["double_award"]
    assert result["other"] == []
    assert result["flag"][0].legal_basis == LAW_ART_5
    assert_sentences(result["flag"])


def test_the_same_form_twice_is_a_double_award():
    items = [
        item("a", unit=1, level=Level.MERIT_CERTIFICATE, rank=2),
        item("b", unit=1, level=Level.MERIT_CERTIFICATE, rank=2),
    ]
    assert codes(check(items)["a"]) == ["double_award"]


@pytest.mark.parametrize(
    "first, second, conflict",
    [
        (Level.PROVINCIAL_FLAG, Level.GOVERNMENT_FLAG, False),
        (Level.GOVERNMENT_FLAG, Level.MERIT_CERTIFICATE, True),
        (Level.PROVINCIAL_FLAG, Level.OTHER, False),
        (Level.OTHER, Level.OTHER, False),
    ],
)
def test_which_forms_conflict(first, second, conflict):
    items = [item("a", unit=1, level=first), item("b", unit=1, level=second)]
    result = check(items, merit_quota=5)
    assert ("double_award" in codes(result["a"])) is conflict
    assert ("double_award" in codes(result["b"])) is conflict


def test_a_province_can_set_its_own_conflicts():
    items = [item("a", unit=1), item("b", unit=1, level=Level.GOVERNMENT_FLAG)]
    conflicts = DOUBLE_AWARD_CONFLICTS | {frozenset({Level.PROVINCIAL_FLAG, Level.GOVERNMENT_FLAG})}
    assert codes(check(items, conflicts=conflicts)["b"]) == ["double_award"]


def test_a_unit_already_awarded_for_the_year():
    result = check(
        [item(1, level=Level.MERIT_CERTIFICATE, rank=2), item(2, rank=1)],
        earlier_awards={1: {Level.PROVINCIAL_FLAG}, 2: {Level.PROVINCIAL_FLAG, Level.OTHER}},
    )
    assert codes(result[1]) == ["already_awarded"]
    assert codes(result[2]) == ["already_awarded"]
    assert result[1][0].legal_basis == LAW_ART_5


def test_an_earlier_title_of_the_unit_itself_does_not_conflict():
    assert check([item(1)], earlier_awards={1: {Level.OTHER}})[1] == []


def test_the_deadline_passed():
    result = check([item(1)], today=date(2022, 12, 11))
    assert codes(result[None]) == ["deadline_passed"]
    assert result[None][0].legal_basis == PROVINCIAL_RULES
    assert "10/12/2022" in result[None][0].message
    assert result[1] == []


def test_the_deadline_day_itself_is_in_time():
    assert check([item(1)], today=DEADLINE)[None] == []
    assert check([item(1)], deadline=None, today=date(2030, 1, 1))[None] == []


def test_an_empty_proposal():
    assert proposal_codes(check([])) == {None: ["empty"]}


@pytest.mark.parametrize(
    "items, overrides",
    [
        ([item(1), item(1)], {}),
        ([item(None)], {}),
        ([item(1)], {"flag_quota": -1}),
        ([item(1)], {"merit_quota": 1.5}),
    ],
)
def test_proposal_problems_refuses_bad_arguments(items, overrides):
    with pytest.raises((ValueError, TypeError)):
        check(items, **overrides)


def test_every_proposal_problem_has_a_sentence_and_a_basis():
    items = [
        item(1, rank=3, tied=True, eligible=False, vetoed=True, elected=False),
        item(2, unit=1, level=Level.MERIT_CERTIFICATE),
        item(3, rank=None),
    ]
    for language in ("en", "vi"):
        with translation.override(language):
            result = check(items, today=date(2023, 1, 1), earlier_awards={1: {"merit_certificate"}})
        problems = [p for listed in result.values() for p in listed]
        assert len(problems) > 8
        assert_sentences(problems)
        assert all(p.legal_basis for p in problems)


def test_level_labels():
    with translation.override("en"):
        labels = {level: level_label(level) for level in Level}
        assert level_label("unknown") == labels[Level.OTHER]
    assert len(set(labels.values())) == 4


# --- Overrides ---------------------------------------------------------------------


def test_an_overridden_item_keeps_its_problems_but_no_longer_blocks():
    items = [item(1), item(2, rank=2, overridden=True)]
    result = check(items, flag_quota=2)
    assert codes(result[2]) == ["flag_not_leader"]
    assert overridden_keys(items) == {2}
    assert not blocking(result, overridden_keys(items))
    assert blocking(result, set())
    assert unresolved(result, set()) == {2: result[2]}
    assert unresolved(result, {2}) == {}


def test_problems_of_the_whole_proposal_block_unless_none_is_overridden():
    result = check([item(1)], today=date(2023, 1, 1))
    assert blocking(result, {1})
    assert not blocking(result, {None})


def test_nothing_blocks_a_sound_proposal():
    assert not blocking(check([item(1)]), set())
    assert not blocking({}, set())


# --- Proposals: properties ---------------------------------------------------------


@st.composite
def proposals(draw):
    count = draw(st.integers(0, 6))
    ranks = draw(st.lists(st.integers(1, 10), min_size=count, max_size=count, unique=True))
    items = [
        ProposedItem(
            key=index,
            unit_key=draw(st.integers(0, 3)),
            level=draw(st.sampled_from(list(Level))),
            rank=rank,
            tied=draw(st.booleans()),
            eligible=draw(st.booleans()),
            vetoed=draw(st.booleans()),
            vote_percent=None,
            elected=draw(st.booleans()),
            overridden=draw(st.booleans()),
        )
        for index, rank in enumerate(ranks)
    ]
    options = {
        "flag_quota": draw(st.integers(0, 2)),
        "merit_quota": draw(st.integers(0, 3)),
        "deadline": draw(st.one_of(st.none(), st.dates(date(2022, 11, 1), date(2023, 1, 31)))),
        "today": draw(st.dates(date(2022, 11, 1), date(2023, 1, 31))),
        "earlier_awards": draw(
            st.dictionaries(st.integers(0, 3), st.sets(st.sampled_from(list(Level))), max_size=3)
        ),
    }
    return items, options


@given(proposals())
def test_every_item_and_the_proposal_get_a_list(proposal):
    items, options = proposal
    result = proposal_problems(items, **options)
    assert set(result) == {None} | {i.key for i in items}
    for problems in result.values():
        assert all(isinstance(p, Problem) and p.code for p in problems)


@given(proposals(), st.data())
def test_the_order_of_the_items_does_not_matter_when_ranks_differ(proposal, data):
    items, options = proposal
    shuffled = data.draw(st.permutations(items))
    assert proposal_codes(proposal_problems(shuffled, **options)) == proposal_codes(
        proposal_problems(items, **options)
    )


@given(proposals())
def test_overrides_are_listed_and_only_lift_their_own_items(proposal):
    items, options = proposal
    result = proposal_problems(items, **options)
    # The checks do not depend on the override flag.
    cleared = [dataclasses.replace(i, overridden=False) for i in items]
    assert proposal_problems(cleared, **options) == result
    keys = overridden_keys(items)
    assert blocking(result, keys) is any(
        problems for key, problems in result.items() if key not in keys
    )


@given(proposals())
def test_at_most_quota_flags_and_certificates_pass_the_quota(proposal):
    items, options = proposal
    result = proposal_problems(items, **options)
    for level, quota in (
        (Level.PROVINCIAL_FLAG, options["flag_quota"]),
        (Level.MERIT_CERTIFICATE, options["merit_quota"]),
    ):
        of_level = [i for i in items if i.level == level]
        within = [i for i in of_level if "over_quota" not in codes(result[i.key])]
        assert len(within) == min(quota, len(of_level))


@given(st.integers(1, 5), st.booleans())
def test_the_leader_alone_passes_every_check(unit, merit_too):
    items = [item("flag", unit=unit)]
    if merit_too:
        items.append(item("merit", unit=unit + 1, level=Level.MERIT_CERTIFICATE, rank=2))
    assert not blocking(check(items), set())


# --- value_on ----------------------------------------------------------------------

BASE_SALARIES = [
    (date(2019, 7, 1), D(1_490_000)),
    (date(2024, 7, 1), D(2_340_000)),
    (date(2023, 7, 1), D(1_800_000)),
]


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2019, 6, 30), None),
        (date(2019, 7, 1), D(1_490_000)),
        (date(2023, 6, 30), D(1_490_000)),
        (date(2023, 7, 1), D(1_800_000)),
        (date(2024, 6, 30), D(1_800_000)),
        (date(2024, 7, 1), D(2_340_000)),
        (date(2026, 1, 1), D(2_340_000)),
    ],
)
def test_the_base_salary_in_force_on_a_day(day, expected):
    assert value_on(BASE_SALARIES, day) == expected


def test_value_on_nothing_is_none():
    assert value_on([], date(2024, 1, 1)) is None


def test_two_values_from_the_same_day_are_ambiguous():
    with pytest.raises(ValueError):
        value_on([(date(2024, 7, 1), D(1)), (date(2024, 7, 1), D(2))], date(2025, 1, 1))
    assert value_on([(date(2024, 7, 1), D(1))] * 2, date(2025, 1, 1)) == D(1)


@given(
    st.dictionaries(
        st.dates(date(2000, 1, 1), date(2030, 12, 31)),
        st.decimals(0, 10**8, places=2),
        max_size=8,
    ),
    st.dates(date(1999, 1, 1), date(2031, 12, 31)),
    st.randoms(use_true_random=False),
)
def test_value_on_is_the_value_of_the_latest_date_not_after_the_day(values, day, rng):
    dated = list(values.items())
    rng.shuffle(dated)
    earlier = [d for d in values if d <= day]
    expected = values[max(earlier)] if earlier else None
    assert value_on(dated, day) == expected


# --- cash_amount -------------------------------------------------------------------


@pytest.mark.parametrize(
    "multiple, base, expected",
    [
        (D(8), D(2_340_000), D(18_720_000)),  # provincial flag
        (D(12), D(2_340_000), D(28_080_000)),  # Government flag
        (D(3), D(2_340_000), D(7_020_000)),  # provincial certificate of merit, collective
        (D("1.5"), D(1_490_000), D(2_235_000)),
        (D("0.8"), D(1_490_000), D(1_192_000)),
        (D("0.5"), D(3), D(2)),  # 1.5 rounds half up
        (D("0.25"), D(3), D(1)),  # 0.75
        (D("0.01"), D(50), D(1)),  # 0.50
        (D("0.01"), D(49), D(0)),  # 0.49
        (8, 2_340_000, D(18_720_000)),  # ints are accepted
        (D(0), D(2_340_000), D(0)),
    ],
)
def test_cash_amount(multiple, base, expected):
    amount = cash_amount(multiple, base)
    assert amount == expected
    assert amount.as_tuple().exponent == 0


@pytest.mark.parametrize(
    "multiple, base, error",
    [
        (8.0, D(2_340_000), TypeError),
        (D(8), 2_340_000.0, TypeError),
        (D(-1), D(2_340_000), ValueError),
        (D(8), D(-1), ValueError),
        (D("Infinity"), D(1), ValueError),
    ],
)
def test_cash_amount_refuses_bad_numbers(multiple, base, error):
    with pytest.raises(error):
        cash_amount(multiple, base)


multiples = st.decimals(0, 100, places=2)
salaries = st.decimals(0, 10**9, places=2)


@given(multiples, multiples, salaries)
def test_cash_amount_is_monotonic_in_the_multiple(a, b, base):
    low, high = sorted([a, b])
    assert cash_amount(low, base) <= cash_amount(high, base)


@given(multiples, salaries, salaries)
def test_cash_amount_is_monotonic_in_the_base_salary(multiple, a, b):
    low, high = sorted([a, b])
    assert cash_amount(multiple, low) <= cash_amount(multiple, high)


@given(multiples, salaries)
def test_cash_amount_is_within_half_a_dong_of_the_product(multiple, base):
    assert abs(cash_amount(multiple, base) - multiple * base) <= D("0.5")


# --- Problem -----------------------------------------------------------------------


def test_a_problem_is_a_frozen_value():
    problem = Problem("x", "A message.")
    assert problem.legal_basis == ""
    assert problem == Problem("x", "A message.", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.code = "y"
