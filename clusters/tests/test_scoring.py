"""The scoring rules, with the worked examples of domain.md §3.3 (Example A, 1,000 points)
and §3.4 (Example B, 100 points), and properties over random sheets and clusters.

No database: the rules are pure. Messages are checked in English (the msgids) under
translation.override("en"), or through ScoreError.code.
"""

import dataclasses
import itertools
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from clusters.scoring import (
    TIE_BREAKS,
    CriterionSpec,
    Kind,
    Rules,
    ScoreError,
    UnitInput,
    UnitResult,
    check_points,
    criterion_excluded,
    criterion_points,
    excluded_max,
    leader_value,
    parse_decimal,
    rank_units,
    target_met,
    unit_result,
    veto_reason,
)

D = Decimal


def spec(code="1", kind=Kind.QUANTITATIVE, max_points="60", group=None, **params):
    return CriterionSpec(code=code, kind=kind, max_points=D(max_points), group=group, params=params)


def rules(**overrides):
    values = {
        "scale": D(1000),
        "bands": (("Xuất sắc", D(95)), ("Tốt", D(85)), ("Khá", D(70)), ("Trung bình", D(50))),
        "eligibility_min_percent": D(90),
        "tie_breaks": TIE_BREAKS,
        "core_group": "I",
        "bonus_cap": D(50),
    }
    return Rules(**(values | overrides))


# --- parse_decimal -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("  7  ", "7"),
        ("1.234.567", "1234567"),
        ("1 234 567,89", "1234567.89"),
        ("1,234.5", "1234.5"),
        ("1,234", "1.234"),
        ("0.125", "0.125"),
        ("1.2345", "1.2345"),
        ("12.50", "12.50"),
        (",5", "0.5"),
        ("-3,5", "-3.5"),
        ("\u22123,5", "-3.5"),
        ("+3", "3"),
        ("-0", "0"),
        ("0,1", "0.1"),
        ("0012", "12"),
    ],
)
def test_parse_decimal_reads_what_vietnamese_users_type(text, expected):
    value = parse_decimal(text)
    assert isinstance(value, Decimal)
    assert value == D(expected)
    # Exact, as a float never is: 0.1 stays 0.1.
    assert str(value) == str(D(expected))


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "required"),
        ("   ", "required"),
        ("abc", "not_a_number"),
        ("1,2,3", "not_a_number"),
        ("1.2.3", "not_a_number"),
        ("NaN", "not_a_number"),
        ("nan", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("-inf", "not_a_number"),
        ("1e5", "not_a_number"),
        ("12,", "not_a_number"),
        ("1.23,5", "not_a_number"),
        ("1 234.567,5", "not_a_number"),
        ("12 5", "not_a_number"),
        ("+", "not_a_number"),
        ("- 5", "not_a_number"),
        ("\u0663", "not_a_number"),
        ("1" * 41, "not_a_number"),
        ("1.234", "ambiguous"),
        ("12.500", "ambiguous"),
    ],
)
def test_parse_decimal_refuses_what_is_not_a_number(text, code):
    with pytest.raises(ScoreError) as error:
        parse_decimal(text)
    assert error.value.code == code


def test_parse_decimal_explains_with_an_example():
    with (
        translation.override("en"),
        pytest.raises(ScoreError, match=r"^Enter a number, e\.g\. 12,5\.$"),
    ):
        parse_decimal("abc")


def _vietnamese(value: Decimal, separator: str) -> str:
    """How a Vietnamese sheet prints a number: thousands grouped, comma before decimals."""
    sign = value.is_signed()
    text = f"{abs(value):f}"
    integer, _dot, decimals = text.partition(".")
    grouped = f"{int(integer):,}".replace(",", separator)
    return ("-" if sign else "") + grouped + ("," + decimals if decimals else "")


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4),
    st.sampled_from([".", " ", "\u00a0", ""]),
)
def test_parse_decimal_reads_back_every_vietnamese_number(value, separator):
    assert parse_decimal(_vietnamese(value, separator)) == value


@given(st.text(max_size=20))
def test_parse_decimal_gives_a_decimal_or_a_score_error(text):
    try:
        value = parse_decimal(text)
    except ScoreError:
        return
    assert isinstance(value, Decimal) and value.is_finite()


# --- Criterion parameters ----------------------------------------------------------


def test_spec_fills_in_the_defaults():
    quantitative = spec()
    assert quantitative.params["mode"] == "proportional"
    assert quantitative.params["no_target"] == "zero"
    assert quantitative.params["lower_is_better"] is False
    per_item = spec(kind=Kind.PER_ITEM, max_points="40", points_per_item=5)
    assert per_item.params["cap"] == D(40)
    assert spec(kind="graded", max_points="6", grades=[["Tốt", 4.5]]).params["grades"] == (
        ("Tốt", D("4.5")),
    )


@pytest.mark.parametrize(
    "kind, max_points, params",
    [
        ("quantitative", "60", {"mode": "best"}),
        ("quantitative", "60", {"no_target": "maybe"}),
        ("quantitative", "60", {"lower_is_better": "perhaps"}),
        ("graded", "6", {"grades": [["Xuất sắc", 7]]}),
        ("graded", "6", {"grades": [["Tốt", 4], ["tốt ", 3]]}),
        ("graded", "6", {"grades": []}),
        ("graded", "6", {}),
        ("per_item", "4", {"points_per_item": 1, "cap": 5}),
        ("per_item", "4", {"points_per_item": 0}),
        ("per_item", "4", {}),
        ("bonus", "10", {"points_per_item": -2}),
        ("bonus", "10", {"points_per_item": "abc"}),
        ("sideways", "10", {}),
        ("qualitative", "-1", {}),
        ("qualitative", "1.005", {}),
    ],
)
def test_spec_refuses_invalid_parameters(kind, max_points, params):
    with pytest.raises(ScoreError) as error:
        CriterionSpec(code="x", kind=kind, max_points=max_points, params=params)
    assert error.value.code == "config"


def test_spec_kind_has_the_model_values():
    from clusters.models.scoring import Criterion

    assert {k.value for k in Kind} == set(Criterion.Kind.values)


# --- Quantitative (Example A 1.1: budget revenue, 60 points) -----------------------


@pytest.mark.parametrize(
    "actual, points",
    [("0", "0.00"), ("95", "57.00"), ("100", "60.00"), ("120", "60.00"), ("33.3", "19.98")],
)
def test_proportional_gives_the_share_of_the_target_reached(actual, points):
    assert criterion_points(spec(), D(actual), target=D(100)) == D(points)


@pytest.mark.parametrize(
    "actual, points",
    [
        # Below target: a proportional share of half the maximum.
        ("80", "24.00"),
        ("0", "0.00"),
        # At target: half.
        ("100", "30.00"),
        # Above target, not leading: 30 + 30 × (120 − 100) / (150 − 100).
        ("120", "42.00"),
        ("140", "54.00"),
        # The leader: everything.
        ("150", "60.00"),
    ],
)
def test_leader_variant_gives_full_marks_only_to_the_leader(actual, points):
    criterion = spec(mode="leader")
    assert criterion_points(criterion, D(actual), target=D(100), leader=D(150)) == D(points)


def test_leader_who_missed_its_target_gets_only_the_missed_share():
    criterion = spec(mode="leader")
    assert criterion_points(criterion, D(90), target=D(100), leader=D(90)) == D("27.00")


def test_value_better_than_a_stale_leader_counts_as_leading():
    criterion = spec(mode="leader")
    assert criterion_points(criterion, D(160), target=D(100), leader=D(150)) == D("60.00")


def test_leader_mode_needs_the_leader_once_the_target_is_met():
    criterion = spec(mode="leader")
    assert criterion_points(criterion, D(50), target=D(100)) == D("15.00")
    with pytest.raises(ValueError):
        criterion_points(criterion, D(100), target=D(100))


# Example A 1.11: public order, 60 points; the crime rate must stay at or under 10.
@pytest.mark.parametrize(
    "actual, points",
    [("0", "60.00"), ("8", "60.00"), ("10", "60.00"), ("12.5", "48.00"), ("40", "15.00")],
)
def test_lower_is_better_proportional_inverts_the_ratio(actual, points):
    criterion = spec(code="1.11", lower_is_better=True)
    assert criterion_points(criterion, D(actual), target=D(10)) == D(points)


@pytest.mark.parametrize(
    "actual, points",
    [
        # Over the ceiling: half of target/actual.
        ("20", "15.00"),
        ("10", "30.00"),
        # Under it, not leading: 30 + 30 × (10 − 6) / (10 − 2).
        ("6", "45.00"),
        # The lowest rate in the cluster leads.
        ("2", "60.00"),
    ],
)
def test_lower_is_better_leader_turns_every_comparison_round(actual, points):
    criterion = spec(code="1.11", mode="leader", lower_is_better=True)
    assert criterion_points(criterion, D(actual), target=D(10), leader=D(2)) == D(points)


def test_zero_targets_are_met_by_any_value_or_only_by_zero():
    assert criterion_points(spec(), D(0), target=D(0)) == D(60)
    lower = spec(lower_is_better=True)
    assert criterion_points(lower, D(0), target=D(0)) == D(60)
    assert criterion_points(lower, D(3), target=D(0)) == D(0)
    lower_leader = spec(lower_is_better=True, mode="leader")
    assert criterion_points(lower_leader, D(0), target=D(0), leader=D(0)) == D(60)


def test_points_are_rounded_half_up_to_cents():
    # 5 × 1/8 = 0.625; banker's rounding would give 0.62.
    assert criterion_points(spec(max_points="5"), D(1), target=D(8)) == D("0.63")
    assert criterion_points(spec(max_points="40"), D(1), target=D(3)) == D("13.33")


def test_no_target_modes():
    full = spec(no_target="full")
    assert criterion_points(full, D(7)) == D(60)
    assert criterion_points(full, None) == D(0)
    assert criterion_points(spec(no_target="zero"), D(7)) == D(0)
    excluded = spec(no_target="excluded")
    assert criterion_points(excluded, D(7)) == D(0)
    assert criterion_excluded(excluded, target=None)
    assert not criterion_excluded(excluded, target=D(5))
    assert not criterion_excluded(spec(no_target="zero"), target=None)


def test_excluded_max_adds_up_the_criteria_without_targets():
    criteria = [
        spec("1.1", no_target="excluded"),
        spec("1.2", no_target="excluded", max_points="40"),
        spec("1.3", no_target="zero"),
    ]
    assert excluded_max(criteria, {"1.1": D(100)}) == D(40)
    assert excluded_max(criteria, {}) == D(100)


def test_negative_values_and_targets_are_refused():
    with pytest.raises(ScoreError) as error:
        criterion_points(spec(), D(-1), target=D(100))
    assert error.value.code == "negative"
    with pytest.raises(ScoreError):
        criterion_points(spec(), D(1), target=D(-100))


def test_typed_text_is_read_as_a_number():
    assert criterion_points(spec(), "47,5", target=D(95)) == D("30.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        criterion_points(spec(), 0.1, target=D(1))


def test_target_met_and_leader_value():
    assert target_met(spec(), D(100), D(100)) is True
    assert target_met(spec(), D(99), D(100)) is False
    assert target_met(spec(), None, D(100)) is False
    assert target_met(spec(), D(5), None) is None
    lower = spec(lower_is_better=True)
    assert target_met(lower, D(8), D(10)) is True
    assert target_met(lower, D(11), D(10)) is False
    assert leader_value(spec(), [D(3), None, D(9), D(4)]) == D(9)
    assert leader_value(lower, [D(3), None, D(9), D(4)]) == D(3)
    assert leader_value(spec(), [None]) is None


# --- Qualitative, graded, per item -------------------------------------------------


@pytest.mark.parametrize(
    "value, points",
    [
        (True, "30"),
        (False, "0"),
        (D(1), "30"),
        (D(0), "0"),
        (1, "30"),
        ("đạt", "30"),
        ("Đạt", "30"),
        ("x", "30"),
        ("không đạt", "0"),
        ("chưa đạt", "0"),
        (None, "0"),
    ],
)
def test_qualitative_is_all_or_nothing(value, points):
    assert criterion_points(spec("1.7", Kind.QUALITATIVE, "30"), value) == D(points)


@pytest.mark.parametrize("value", [D(2), D("0.5"), "maybe", D(-1)])
def test_qualitative_refuses_anything_but_yes_or_no(value):
    with pytest.raises(ScoreError) as error:
        criterion_points(spec("1.7", Kind.QUALITATIVE, "30"), value)
    assert error.value.code == "not_a_flag"


def test_qualitative_with_partial_points_takes_numbers_as_points():
    criterion = spec("1.9", Kind.QUALITATIVE, "40", partial=True)
    assert criterion_points(criterion, D("12.5")) == D("12.50")
    assert criterion_points(criterion, "12,5") == D("12.50")
    assert criterion_points(criterion, "đạt") == D(40)
    assert criterion_points(criterion, True) == D(40)
    with pytest.raises(ScoreError) as error:
        criterion_points(criterion, D(41))
    assert error.value.code == "above_max"
    with pytest.raises(ScoreError):
        criterion_points(criterion, D(-1))


# Example B 13: Party cell, 6 / 4 / 0.
PARTY = spec(
    "13",
    Kind.GRADED,
    "6",
    grades=[
        ["Hoàn thành xuất sắc nhiệm vụ", 6],
        ["Hoàn thành tốt nhiệm vụ", 4],
        ["Không hoàn thành nhiệm vụ", 0],
    ],
)


@pytest.mark.parametrize(
    "value, points",
    [
        ("Hoàn thành xuất sắc nhiệm vụ", "6"),
        ("hoàn thành  tốt nhiệm vụ ", "4"),
        ("Không hoàn thành nhiệm vụ", "0"),
        (0, "6"),
        (D(1), "4"),
        (2, "0"),
        (None, "0"),
    ],
)
def test_graded_gives_the_grade_points(value, points):
    assert criterion_points(PARTY, value) == D(points)


@pytest.mark.parametrize("value", ["Khá", 3, D("0.5"), -1])
def test_graded_refuses_unknown_grades(value):
    with pytest.raises(ScoreError):
        criterion_points(PARTY, value)


def test_unknown_grade_lists_the_grades():
    with translation.override("en"), pytest.raises(ScoreError) as error:
        criterion_points(PARTY, "Tốt")
    assert error.value.code == "unknown_grade"
    assert str(error.value) == (
        "Choose one of the grades: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, "
        "Không hoàn thành nhiệm vụ."
    )


@pytest.mark.parametrize("count, points", [(0, "0"), (3, "3"), (4, "4"), (6, "4")])
def test_per_item_is_capped(count, points):
    # Example B 11: one point per exemplary model or article, at most 4.
    criterion = spec("11", Kind.PER_ITEM, "4", points_per_item=1)
    assert criterion_points(criterion, count) == D(points)


def test_per_item_cap_may_be_below_the_maximum():
    # Example A 3.3: 5 points per model, capped at 30 of the 40 (the rest for quality).
    criterion = spec("3.3", Kind.PER_ITEM, "40", points_per_item=5, cap=30)
    assert criterion_points(criterion, 4) == D(20)
    assert criterion_points(criterion, 9) == D(30)


@pytest.mark.parametrize("late, points", [(0, "30"), (2, "20"), (6, "0"), (7, "0")])
def test_negative_points_per_item_deduct_from_the_cap(late, points):
    # Example A 3.5: reporting discipline, 30 points, −5 per late report.
    criterion = spec("3.5", Kind.PER_ITEM, "30", points_per_item=-5)
    assert criterion_points(criterion, late) == D(points)


def test_per_item_counts_whole_items():
    criterion = spec("11", Kind.PER_ITEM, "4", points_per_item=1)
    with pytest.raises(ScoreError) as error:
        criterion_points(criterion, D("1.5"))
    assert error.value.code == "not_a_count"


# --- Bonus, penalty, veto ----------------------------------------------------------


def test_bonus_is_capped_per_criterion():
    # Example A: a commendation by the Prime Minister or the Chairman, +10 each.
    commendation = spec("B.1", Kind.BONUS, "20", points_per_item=10)
    assert criterion_points(commendation, 1) == D(10)
    assert criterion_points(commendation, 3) == D(20)
    claimed = spec("B.2", Kind.BONUS, "10")
    assert criterion_points(claimed, D(7)) == D(7)
    assert criterion_points(claimed, D(12)) == D(10)
    with pytest.raises(ScoreError):
        criterion_points(claimed, D(-1))


def test_penalty_without_a_maximum_is_uncapped():
    # Example A: disciplined leader with a warning, −50.
    assert criterion_points(spec("P.3", Kind.PENALTY, "0"), D(50)) == D(50)
    late = spec("P.1", Kind.PENALTY, "0", points_per_item=5)
    assert criterion_points(late, 11) == D(55)


def test_penalty_with_a_maximum_is_capped():
    assert criterion_points(spec("P.9", Kind.PENALTY, "20"), D(35)) == D(20)


def test_penalty_cannot_be_negative():
    with pytest.raises(ScoreError):
        criterion_points(spec("P.1", Kind.PENALTY, "0"), D(-5))


def test_veto_gives_no_points_and_a_reason():
    veto = CriterionSpec(
        code="V.1",
        kind=Kind.VETO,
        max_points=D(0),
        text="Tổ chức đảng không hoàn thành nhiệm vụ",
    )
    assert criterion_points(veto, True) == D(0)
    assert veto_reason(veto, True) == "V.1 Tổ chức đảng không hoàn thành nhiệm vụ"
    assert veto_reason(veto, "có") == "V.1 Tổ chức đảng không hoàn thành nhiệm vụ"
    assert veto_reason(veto, False) is None
    assert veto_reason(veto, None) is None
    with pytest.raises(ValueError):
        veto_reason(spec(), True)


def test_groups_have_no_points_of_their_own():
    group = spec("I", Kind.GROUP, "500")
    with pytest.raises(ScoreError) as error:
        criterion_points(group, D(1))
    assert error.value.code == "group"
    with pytest.raises(ScoreError):
        check_points(group, D(1))


# --- check_points ------------------------------------------------------------------


def test_check_points_accepts_the_range():
    criterion = spec("1.7", Kind.QUALITATIVE, "12.5")
    check_points(criterion, D(0))
    check_points(criterion, D("12.5"))
    check_points(spec("P", Kind.PENALTY, "0"), D(500))


def test_check_points_says_the_range():
    criterion = spec("1.7", Kind.QUALITATIVE, "12.5")
    with translation.override("en"), pytest.raises(ScoreError) as error:
        check_points(criterion, D("12.51"))
    assert str(error.value) == "The score must be between 0 and 12.5."
    assert error.value.code == "above_max"
    with translation.override("vi"), pytest.raises(ScoreError, match="12,5"):
        check_points(criterion, D(-1))


def test_check_points_refuses_more_than_two_decimals():
    with pytest.raises(ScoreError) as error:
        check_points(spec(), D("1.005"))
    assert error.value.code == "too_precise"


def test_veto_takes_no_points():
    veto = spec("V", Kind.VETO, "0")
    check_points(veto, D(0))
    with pytest.raises(ScoreError):
        check_points(veto, D(1))


# --- Example B: a whole 100-point sheet --------------------------------------------


def _example_b():
    g, q = Kind.GROUP, Kind.QUALITATIVE
    three = [["Hoàn thành xuất sắc", 10], ["Hoàn thành tốt", 8], ["Hoàn thành", 6]]
    return [
        spec("I", g, "50"),
        spec("1", Kind.QUANTITATIVE, "25", "I"),
        spec("2", Kind.PER_ITEM, "10", "I", points_per_item=-1),
        spec("3", Kind.GRADED, "10", "I", grades=three + [["Không hoàn thành", 0]]),
        spec("4", Kind.QUANTITATIVE, "5", "I"),
        spec("II", g, "20"),
        # 8 for the first place in the reform index, −1 per place below: a count of places.
        spec("5", Kind.PER_ITEM, "8", "II", points_per_item=-1),
        spec("6", Kind.QUANTITATIVE, "6", "II"),
        spec("7", Kind.QUANTITATIVE, "3", "II"),
        spec("8", q, "3", "II"),
        spec("III", g, "15"),
        spec("9", q, "4", "III"),
        spec("10", q, "4", "III"),
        spec("11", Kind.PER_ITEM, "4", "III", points_per_item=1),
        spec("12", Kind.PER_ITEM, "3", "III", points_per_item="-0,5"),
        spec("IV", g, "15"),
        spec("13", Kind.GRADED, "6", "IV", grades=[["Xuất sắc", 6], ["Tốt", 4], ["Không", 0]]),
        spec("14", Kind.GRADED, "4", "IV", grades=[["Vững mạnh", 4], ["Khá", 2], ["Yếu", 0]]),
        spec("15", q, "5", "IV"),
        spec("B1", Kind.BONUS, "3", points_per_item=3),
        spec("B2", Kind.BONUS, "10", points_per_item=2),
        spec("B3", Kind.BONUS, "1", points_per_item=1),
        spec("P1", Kind.PENALTY, "0", points_per_item=2),
        spec("P2", Kind.PENALTY, "0", points_per_item=5),
        spec("P3", Kind.PENALTY, "0", points_per_item="0.5"),
        spec("P4", Kind.PENALTY, "0", points_per_item=2),
        spec("P5", Kind.PENALTY, "0", points_per_item=3),
    ]


def _rules_b(**overrides):
    return rules(**({"scale": D(100), "bonus_cap": D(10)} | overrides))


# What a department entered: actual values with targets, counts, grades, yes/no.
ENTERED = {
    "1": (D(92), D(100)),
    "2": 2,
    "3": "Hoàn thành tốt",
    "4": (D("4.5"), D(5)),
    "5": 2,
    "6": (D(97), D(100)),
    "7": (D(100), D(95)),
    "8": True,
    "9": True,
    "10": "đạt",
    "11": 6,
    "12": 1,
    "13": "Xuất sắc",
    "14": "Khá",
    "15": True,
    "B1": 1,
    "B2": 4,
    "B3": 1,
    "P3": 3,
    "P4": 1,
}


def _score(criteria, entered):
    by_code = {c.code: c for c in criteria}
    points, met = {}, True
    for code, value in entered.items():
        target = None
        if isinstance(value, tuple):
            value, target = value
            met = met and target_met(by_code[code], value, target)
        points[code] = criterion_points(by_code[code], value, target=target)
    return points, met


def test_example_b_sheet_adds_up():
    criteria = _example_b()
    points, met = _score(criteria, ENTERED)
    assert points["1"] == D("23.00")
    assert points["6"] == D("5.82")
    assert points["12"] == D("2.50")
    result = unit_result(
        criteria, UnitInput("so-tc", "Sở Tài chính", points, targets_met=met), _rules_b()
    )
    assert result.group_totals == {
        "I": D("43.50"),
        "II": D("17.82"),
        "III": D("14.50"),
        "IV": D("13.00"),
    }
    assert result.base == D("88.82")
    assert result.bonus_claimed == D("12.00")
    assert result.bonus == D("10.00")
    assert result.penalty == D("3.50")
    assert result.final == D("95.32")
    assert result.maximum == D("100.00")
    assert result.percent == D("95.32")
    assert result.band == "Xuất sắc"
    # Target 1 (92 of 100 tasks) was missed, and the rules require every target.
    assert not met
    assert not result.eligible
    relaxed = unit_result(
        criteria,
        UnitInput("so-tc", "Sở Tài chính", points, targets_met=met),
        _rules_b(targets_required=False),
    )
    assert relaxed.eligible


def test_bonus_is_uncapped_at_unit_level_when_the_cap_is_zero():
    criteria = _example_b()
    points, met = _score(criteria, ENTERED)
    result = unit_result(
        criteria, UnitInput(1, "Sở", points, targets_met=met), _rules_b(bonus_cap=D(0))
    )
    assert result.bonus == D("12.00")
    assert result.final == D("97.32")


# --- Example A: the 1,000-point sheet, eligibility and percentages -----------------


def _example_a():
    return [
        spec("I", Kind.GROUP, "500"),
        spec("1.1", Kind.QUALITATIVE, "500", "I", partial=True),
        spec("II", Kind.GROUP, "200"),
        spec("2.1", Kind.QUALITATIVE, "200", "II", partial=True),
        spec("III", Kind.GROUP, "200"),
        spec("3.1", Kind.QUALITATIVE, "200", "III", partial=True),
        spec("IV", Kind.GROUP, "100"),
        spec("4.1", Kind.QUALITATIVE, "100", "IV", partial=True),
        spec("B", Kind.BONUS, "50"),
        spec("P", Kind.PENALTY, "0"),
    ]


def _unit_a(key, name, i, ii=200, iii=200, iv=100, bonus=0, penalty=0, **kw):
    """A commune on Example A, one criterion per group; numbers become Decimal."""
    points = {"1.1": i, "2.1": ii, "3.1": iii, "4.1": iv, "B": bonus, "P": penalty}
    return UnitInput(key, name, {code: D(value) for code, value in points.items()}, **kw)


def test_eligibility_compares_the_exact_percentage():
    # 899.99 of 1,000 is 89.999 %: shown as 89.99 and short of the 90 % minimum.
    short = unit_result(_example_a(), _unit_a(1, "Xã A", D("399.99")), rules())
    assert short.final == D("899.99")
    assert short.percent == D("89.99")
    assert not short.eligible
    assert short.band == "Tốt"
    enough = unit_result(_example_a(), _unit_a(2, "Xã B", D(400)), rules())
    assert enough.percent == D("90.00")
    assert enough.eligible


def test_final_is_never_negative():
    result = unit_result(
        _example_a(), _unit_a(1, "Xã A", D(0), D(0), D(0), D(10), penalty=D(75)), rules()
    )
    assert result.base == D(10)
    assert result.penalty == D(75)
    assert result.final == D(0)
    assert result.percent == D(0)
    assert result.band == ""


def test_excluded_criteria_leave_the_maximum():
    # No target for a 60-point indicator: 900 of the 940 that remain is 95.74 %.
    unit = _unit_a(1, "Xã A", D(400), excluded_max=D(60))
    result = unit_result(_example_a(), unit, rules())
    assert result.maximum == D(940)
    assert result.percent == D("95.74")
    assert result.band == "Xuất sắc"


def test_vetoed_unit_is_not_eligible():
    unit = _unit_a(1, "Xã A", D(500), vetoes=("V.1 Tổ chức đảng không hoàn thành nhiệm vụ",))
    result = unit_result(_example_a(), unit, rules())
    assert result.vetoed
    assert result.veto_reasons == ("V.1 Tổ chức đảng không hoàn thành nhiệm vụ",)
    assert not result.eligible


def test_unit_result_refuses_points_the_sheet_cannot_give():
    with pytest.raises(ScoreError) as error:
        unit_result(_example_a(), _unit_a(1, "Xã A", D(501)), rules())
    assert error.value.code == "above_max"
    with pytest.raises(ScoreError) as error:
        unit_result(_example_a(), UnitInput(1, "Xã A", {"9.9": D(1)}), rules())
    assert error.value.code == "unknown_criterion"
    with pytest.raises(ScoreError) as error:
        unit_result(_example_a(), UnitInput(1, "Xã A", {"I": D(1)}), rules())
    assert error.value.code == "group"
    with pytest.raises(ScoreError):
        unit_result(_example_a(), UnitInput(1, "Xã A", {}, excluded_max=D(1001)), rules())


@pytest.mark.parametrize(
    "criteria",
    [
        [spec("1"), spec("1")],
        [spec("1", group="I")],
        [spec("I", Kind.QUALITATIVE, "10"), spec("1", group="I")],
        [spec("I", Kind.GROUP, "10", "J"), spec("J", Kind.GROUP, "10", "I")],
    ],
)
def test_unit_result_refuses_a_broken_sheet(criteria):
    with pytest.raises(ScoreError) as error:
        unit_result(criteria, UnitInput(1, "Xã A", {}), rules())
    assert error.value.code == "config"


def test_nested_groups_roll_up_and_are_capped():
    criteria = [
        spec("I", Kind.GROUP, "50"),
        spec("I.1", Kind.GROUP, "20", "I"),
        spec("a", Kind.QUALITATIVE, "15", "I.1"),
        spec("b", Kind.QUALITATIVE, "15", "I.1"),
        spec("c", Kind.QUALITATIVE, "40", "I"),
        # A top-level criterion outside any group is its own top-level total.
        spec("d", Kind.QUALITATIVE, "10"),
    ]
    points = {"a": D(15), "b": D(15), "c": D(40), "d": D(10)}
    result = unit_result(criteria, UnitInput(1, "Xã A", points), rules(scale=D(60)))
    # I.1 holds 30 but is worth at most 20; I then holds 60 and is worth at most 50.
    assert result.group_totals == {"I": D(50), "d": D(10)}
    assert result.base == D(60)


def test_rules_refuse_unknown_tie_breaks():
    with pytest.raises(ScoreError):
        rules(tie_breaks=("coin_toss",))
    with pytest.raises(ScoreError):
        rules(bands=[("Tốt", "abc")])
    with pytest.raises(ScoreError):
        rules(core_group="")
    assert rules(core_group="", tie_breaks=("more_votes",)).tie_breaks == ("more_votes",)


# --- Ranking -----------------------------------------------------------------------


def _result(key, final, name=None, **fields) -> UnitResult:
    values = {
        "key": key,
        "name": name or f"Xã {key}",
        "group_totals": {"I": D(0)},
        "base": D(final),
        "bonus": D(0),
        "penalty": D(0),
        "final": D(final),
        "maximum": D(1000),
        "percent": D(final) / 10,
        "band": "",
        "vetoed": False,
        "veto_reasons": (),
        "eligible": True,
    }
    return UnitResult(**(values | fields))


def _ranks(rows):
    return [(row.result.key, row.rank, row.tied) for row in rows]


def test_units_rank_by_final_with_shared_ranks():
    results = [_result("A", 900), _result("B", 950), _result("C", 900), _result("D", 800)]
    rows = rank_units(results, rules(tie_breaks=()))
    assert _ranks(rows) == [("B", 1, False), ("A", 2, True), ("C", 2, True), ("D", 4, False)]
    assert [row.flag_candidate for row in rows] == [True, False, False, False]


def test_vetoed_units_rank_after_all_others():
    results = [
        _result("A", 990, vetoed=True, eligible=False, veto_reasons=("V.1",)),
        _result("B", 700),
        _result("C", 980, vetoed=True, eligible=False),
    ]
    rows = rank_units(results, rules())
    assert _ranks(rows) == [("B", 1, False), ("A", 2, False), ("C", 3, False)]
    assert rows[0].flag_candidate


def test_first_place_is_no_flag_candidate_when_tied_or_ineligible():
    tied = rank_units([_result("A", 950), _result("B", 950)], rules(tie_breaks=()))
    assert not any(row.flag_candidate for row in tied)
    ineligible = rank_units([_result("A", 950, eligible=False), _result("B", 900)], rules())
    assert not any(row.flag_candidate for row in ineligible)


def test_true_ties_are_listed_in_vietnamese_alphabetical_order():
    names = ["Xã Đông", "Xã Dương", "Xã Ân", "Xã An", "Xã Ba"]
    results = [_result(i, 900, name=name) for i, name in enumerate(names)]
    rows = rank_units(results, rules(tie_breaks=()))
    assert [row.result.name for row in rows] == ["Xã An", "Xã Ân", "Xã Ba", "Xã Dương", "Xã Đông"]
    assert {row.rank for row in rows} == {1}


@pytest.mark.parametrize(
    "tie_break, ahead, behind",
    [
        ("core_group", {"group_totals": {"I": D(480)}}, {"group_totals": {"I": D(470)}}),
        ("fewer_penalty", {"penalty": D(5)}, {"penalty": D(10)}),
        ("more_bonus", {"bonus": D(10)}, {"bonus": D(5)}),
        ("women_majority", {"women_majority": True}, {"women_majority": False}),
        ("more_votes", {"votes": 7}, {"votes": 5}),
    ],
)
def test_each_tie_break_separates_equal_finals(tie_break, ahead, behind):
    # Names chosen so that alphabetical order would give the other answer.
    results = [_result("A", 950, "Xã A", **behind), _result("B", 950, "Xã B", **ahead)]
    rows = rank_units(results, rules(tie_breaks=(tie_break,)))
    assert _ranks(rows) == [("B", 1, False), ("A", 2, False)]


def test_unknown_votes_cannot_separate():
    results = [
        _result("A", 950, votes=7),
        _result("B", 950, votes=None),
        _result("C", 950, votes=2),
    ]
    rows = rank_units(results, rules(tie_breaks=("more_votes",)))
    assert _ranks(rows) == [("A", 1, True), ("B", 1, True), ("C", 1, True)]


def test_core_totals_can_be_given_separately():
    results = [_result("A", 950), _result("B", 950)]
    rows = rank_units(results, rules(), core_totals={"A": D(400), "B": D(450)})
    assert _ranks(rows) == [("B", 1, False), ("A", 2, False)]
    rows = rank_units(results, rules(tie_breaks=("core_group",)), core_totals={"A": D(400)})
    assert _ranks(rows) == [("A", 1, True), ("B", 1, True)]


def test_each_unit_appears_once():
    with pytest.raises(ValueError):
        rank_units([_result("A", 950), _result("A", 900)], rules())


def _tie_break_cluster():
    """Five communes at 950 of 1,000 that only the tie-breaks tell apart."""
    criteria = _example_a()
    units = [
        _unit_a("A", "Xã A", 450),
        _unit_a("B", "Xã B", 460, ii=190),
        _unit_a("C", "Xã C", 450, bonus=10, penalty=10),
        _unit_a("D", "Xã D", 450, women_majority=True, votes=5),
        _unit_a("Đ", "Xã Đ", 450, women_majority=True),
    ]
    return [unit_result(criteria, unit, rules()) for unit in units]


def test_full_tie_break_example_is_explained():
    results = _tie_break_cluster()
    assert {r.final for r in results} == {D(950)}
    with translation.override("en"):
        rows = rank_units(results, rules())
    assert _ranks(rows) == [
        ("B", 1, False),
        ("D", 2, True),
        ("Đ", 2, True),
        ("A", 4, False),
        ("C", 5, False),
    ]
    assert [row.flag_candidate for row in rows] == [True, False, False, False, False]
    notes = {row.result.key: row.tie_break_notes for row in rows}
    assert notes["B"] == tuple(
        f"Tied at 950.00 with Xã {other}; ranked ahead on the core group I (460.00 against 450.00)."
        for other in ["A", "C", "D", "Đ"]
    )
    assert notes["A"] == (
        "Tied at 950.00 with Xã B; ranked behind on the core group I (450.00 against 460.00).",
        "Tied at 950.00 with Xã C; ranked ahead on fewer penalty points (0.00 against 10.00).",
        "Tied at 950.00 with Xã D; ranked behind because Xã D has a majority of women.",
        "Tied at 950.00 with Xã Đ; ranked behind because Xã Đ has a majority of women.",
    )
    assert notes["C"] == (
        "Tied at 950.00 with Xã B; ranked behind on the core group I (450.00 against 460.00).",
        "Tied at 950.00 with Xã A; ranked behind on more penalty points (10.00 against 0.00).",
        "Tied at 950.00 with Xã D; ranked behind on more penalty points (10.00 against 0.00).",
        "Tied at 950.00 with Xã Đ; ranked behind on more penalty points (10.00 against 0.00).",
    )
    assert notes["D"] == (
        "Tied at 950.00 with Xã B; ranked behind on the core group I (450.00 against 460.00).",
        "Tied at 950.00 with Xã C; ranked ahead on fewer penalty points (0.00 against 10.00).",
        "Tied at 950.00 with Xã A; ranked ahead as a collective with a majority of women.",
        "Tied at 950.00 with Xã Đ; the votes could not break the tie because they are not "
        "known for every unit.",
        "Tied at 950.00 with Xã Đ; no tie-break separates them, so they share rank 2.",
    )
    assert notes["Đ"][-1] == (
        "Tied at 950.00 with Xã D; no tie-break separates them, so they share rank 2."
    )


def test_votes_break_the_last_tie_when_everyone_has_them():
    results = [dataclasses.replace(r, votes=6) if r.key == "Đ" else r for r in _tie_break_cluster()]
    with translation.override("en"):
        rows = rank_units(results, rules())
    assert _ranks(rows)[1:3] == [("Đ", 2, False), ("D", 3, False)]
    assert rows[1].tie_break_notes[-1] == (
        "Tied at 950.00 with Xã D; ranked ahead on more votes (6 against 5)."
    )


def test_explanations_use_vietnamese_numbers_in_vietnamese():
    with translation.override("vi"):
        rows = rank_units(_tie_break_cluster(), rules())
    assert "950,00" in rows[0].tie_break_notes[0]
    assert "460,00" in rows[0].tie_break_notes[0]


# --- Properties --------------------------------------------------------------------

points_2 = st.decimals(min_value=0, max_value=1000, places=2)
values_4 = st.decimals(min_value=0, max_value=10**6, places=4)


def _within(points: Decimal, maximum: Decimal) -> bool:
    return D(0) <= points <= maximum and points == points.quantize(D("0.01"))


@given(
    points_2,
    st.sampled_from(["proportional", "leader"]),
    st.booleans(),
    st.sampled_from(["full", "zero", "excluded"]),
    st.one_of(st.none(), values_4),
    st.one_of(st.none(), values_4),
    values_4,
)
def test_quantitative_points_stay_within_the_maximum(
    maximum, mode, lower, no_target, actual, target, other
):
    criterion = spec(max_points=maximum, mode=mode, lower_is_better=lower, no_target=no_target)
    leader = leader_value(criterion, [actual, other])
    points = criterion_points(criterion, actual, target=target, leader=leader)
    assert _within(points, criterion.max_points)


@given(
    points_2,
    st.sampled_from(["proportional", "leader"]),
    st.booleans(),
    values_4,
    values_4,
    values_4,
    values_4,
)
def test_a_better_value_never_earns_fewer_points(maximum, mode, lower, a, b, target, other):
    criterion = spec(max_points=maximum, mode=mode, lower_is_better=lower)
    worse, better = sorted([a, b], reverse=lower)
    leader = leader_value(criterion, [a, b, other])
    assert criterion_points(criterion, better, target=target, leader=leader) >= criterion_points(
        criterion, worse, target=target, leader=leader
    )


@given(points_2, st.data())
def test_other_base_kinds_stay_within_the_maximum(maximum, data):
    kind = data.draw(st.sampled_from([Kind.QUALITATIVE, Kind.GRADED, Kind.PER_ITEM]))
    if kind == Kind.QUALITATIVE:
        criterion = spec(kind=kind, max_points=maximum, partial=True)
        value = data.draw(st.one_of(st.booleans(), st.decimals(0, maximum, places=2)))
    elif kind == Kind.GRADED:
        grades = data.draw(st.lists(st.decimals(0, maximum, places=2), min_size=1, max_size=5))
        criterion = spec(
            kind=kind, max_points=maximum, grades=[[f"G{i}", p] for i, p in enumerate(grades)]
        )
        value = data.draw(st.integers(0, len(grades) - 1))
    else:
        per_item = data.draw(
            st.decimals(-50, 50, places=2).filter(lambda d: d != 0), label="points_per_item"
        )
        cap = data.draw(st.decimals(0, maximum, places=2), label="cap")
        criterion = spec(kind=kind, max_points=maximum, points_per_item=per_item, cap=cap)
        value = data.draw(st.integers(0, 10_000))
    assert _within(criterion_points(criterion, value), criterion.max_points)


@given(points_2, st.integers(0, 1000), st.decimals(0, 10**5, places=2))
def test_bonus_and_capped_penalty_stay_within_their_maximum(maximum, count, claimed):
    bonus = spec(kind=Kind.BONUS, max_points=maximum)
    assert _within(criterion_points(bonus, claimed), bonus.max_points)
    per_item = spec(kind=Kind.BONUS, max_points=maximum, points_per_item=5)
    assert _within(criterion_points(per_item, count), per_item.max_points)
    penalty = spec(kind=Kind.PENALTY, max_points=maximum)
    points = criterion_points(penalty, claimed)
    assert points == (min(claimed, maximum) if maximum > 0 else claimed)


# A small sheet whose values are drawn from few levels, so that ties are common.
SHEET = [
    spec("I", Kind.GROUP, "60"),
    spec("1", Kind.QUALITATIVE, "30", "I", partial=True),
    spec("2", Kind.QUALITATIVE, "30", "I", partial=True),
    spec("II", Kind.GROUP, "40"),
    spec("3", Kind.QUALITATIVE, "40", "II", partial=True),
    spec("B", Kind.BONUS, "10"),
    spec("P", Kind.PENALTY, "0"),
]
BASE_CODES = {"1": D(30), "2": D(30), "3": D(40)}

unit_inputs = st.builds(
    lambda points, vetoed, women, votes: (points, vetoed, women, votes),
    st.fixed_dictionaries(
        {
            "1": st.sampled_from([D(0), D(10), D(20), D(30)]),
            "2": st.sampled_from([D(0), D(15), D(30)]),
            "3": st.sampled_from([D(0), D(20), D(40)]),
            "B": st.sampled_from([D(0), D(5), D(10)]),
            "P": st.sampled_from([D(0), D(5), D(90)]),
        }
    ),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 3)),
)
rule_sets = st.builds(
    lambda order, size, cap: Rules(
        scale=D(100),
        bands=(("Xuất sắc", D(95)), ("Tốt", D(80))),
        eligibility_min_percent=D(90),
        tie_breaks=tuple(order[:size]),
        core_group="I",
        bonus_cap=cap,
    ),
    st.permutations(TIE_BREAKS),
    st.integers(0, len(TIE_BREAKS)),
    st.sampled_from([D(0), D(5)]),
)
names = st.sampled_from(["Xã A", "Xã Ă", "Phường 1", "Phường 10", "Xã Đông"])


def _results(drawn, unit_names, rule_set):
    units = [
        UnitInput(
            key=i,
            name=unit_names[i],
            points=points,
            vetoes=("V.1",) if vetoed else (),
            women_majority=women,
            votes=votes,
        )
        for i, (points, vetoed, women, votes) in enumerate(drawn)
    ]
    return [unit_result(SHEET, unit, rule_set) for unit in units]


clusters = st.integers(1, 8).flatmap(
    lambda n: st.tuples(
        st.lists(unit_inputs, min_size=n, max_size=n),
        st.lists(names, min_size=n, max_size=n),
        rule_sets,
    )
)


@given(clusters)
def test_final_stays_within_the_maximum_and_the_bonus_cap(cluster):
    drawn, unit_names, rule_set = cluster
    for result in _results(drawn, unit_names, rule_set):
        assert D(0) <= result.final
        if rule_set.bonus_cap > 0:
            assert result.bonus <= rule_set.bonus_cap
            assert result.final <= result.maximum + rule_set.bonus_cap
        assert result.final == max(result.base + result.bonus - result.penalty, D(0))


@given(clusters, st.randoms(use_true_random=False))
def test_input_order_never_changes_the_ranking(cluster, random):
    drawn, unit_names, rule_set = cluster
    results = _results(drawn, unit_names, rule_set)
    shuffled = results[:]
    random.shuffle(shuffled)
    rows = rank_units(results, rule_set)
    assert _ranks(rank_units(shuffled, rule_set)) == _ranks(rows)
    assert [r.tie_break_notes for r in rank_units(shuffled, rule_set)] == [
        r.tie_break_notes for r in rows
    ]


@given(clusters, st.data())
def test_raising_a_score_never_lowers_the_rank(cluster, data):
    drawn, unit_names, rule_set = cluster
    results = _results(drawn, unit_names, rule_set)
    index = data.draw(st.integers(0, len(drawn) - 1), label="unit")
    code = data.draw(st.sampled_from(sorted(BASE_CODES)), label="criterion")
    points, vetoed, women, votes = drawn[index]
    raised = data.draw(st.decimals(points[code], BASE_CODES[code], places=2), label="raised")
    changed = (
        drawn[:index] + [({**points, code: raised}, vetoed, women, votes)] + drawn[index + 1 :]
    )
    before = {row.result.key: row.rank for row in rank_units(results, rule_set)}
    after = {
        row.result.key: row.rank
        for row in rank_units(_results(changed, unit_names, rule_set), rule_set)
    }
    assert after[index] <= before[index]


@given(clusters)
def test_ranks_are_competition_ranks(cluster):
    drawn, unit_names, rule_set = cluster
    rows = rank_units(_results(drawn, unit_names, rule_set), rule_set)
    ranks = [row.rank for row in rows]
    assert ranks[0] == 1
    assert ranks == sorted(ranks)
    for r in range(1, len(rows) + 1):
        assert sum(rank <= r for rank in ranks) >= r
    for row in rows:
        # A rank is 1 + the number of units strictly ahead.
        assert row.rank == 1 + sum(other.rank < row.rank for other in rows)
        shared = [other for other in rows if other.rank == row.rank]
        assert row.tied == (len(shared) > 1)


@given(clusters)
def test_ties_only_between_equal_finals_of_the_same_kind(cluster):
    drawn, unit_names, rule_set = cluster
    rows = rank_units(_results(drawn, unit_names, rule_set), rule_set)
    for a, b in itertools.combinations(rows, 2):
        if a.rank == b.rank:
            assert a.result.final == b.result.final
            assert a.result.vetoed == b.result.vetoed
        elif a.result.vetoed == b.result.vetoed:
            # Output order is rank order, so a is ahead: never on a lower final.
            assert a.result.final >= b.result.final


@given(clusters)
def test_vetoed_units_always_rank_below_the_others(cluster):
    drawn, unit_names, rule_set = cluster
    rows = rank_units(_results(drawn, unit_names, rule_set), rule_set)
    clean = [row.rank for row in rows if not row.result.vetoed]
    vetoed = [row.rank for row in rows if row.result.vetoed]
    if clean and vetoed:
        assert max(clean) < min(vetoed)
    for row in rows:
        assert row.flag_candidate == (row.rank == 1 and not row.tied and row.result.eligible)
        if row.flag_candidate:
            assert not row.result.vetoed
