"""The scoring rules of a cluster's score sheet, as pure functions over plain data.

No ORM imports: callers load criteria, targets and scores, turn them into the
dataclasses below and get points, totals and a ranking back, so that every rule can
be tested exhaustively without a database. All arithmetic is Decimal; points are
rounded to 0.01 with ROUND_HALF_UP, as score sheets print them.

1. `parse_decimal` reads what a Vietnamese user types ("12,5", "1.234,5").
2. `criterion_points` turns one raw value into points for one criterion.
3. `unit_result` adds a unit's points into group totals, base, bonus, penalty, final.
4. `rank_units` orders the units, applies the tie-breaks and explains them.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .text import fold, sort_key

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


class Kind(StrEnum):
    # The same values as Criterion.Kind in clusters.models.scoring, which stores them.
    GROUP = "group"
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    GRADED = "graded"
    PER_ITEM = "per_item"
    BONUS = "bonus"
    PENALTY = "penalty"
    VETO = "veto"


# Kinds whose points add up to the base score (and to the group totals).
BASE_KINDS = frozenset(
    {Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.GRADED, Kind.PER_ITEM},
)

PROPORTIONAL = "proportional"
LEADER = "leader"
MODES = (PROPORTIONAL, LEADER)

NO_TARGET_FULL = "full"
NO_TARGET_ZERO = "zero"
NO_TARGET_EXCLUDED = "excluded"
NO_TARGET_MODES = (NO_TARGET_FULL, NO_TARGET_ZERO, NO_TARGET_EXCLUDED)

TIE_BREAKS = ("core_group", "fewer_penalty", "more_bonus", "women_majority", "more_votes")

# Folded words that mean "achieved" / "not achieved" when a flag is typed as text.
YES = frozenset({"1", "x", "co", "dat", "yes", "y", "true"})
NO = frozenset({"", "0", "khong", "khong dat", "chua dat", "no", "n", "false"})


class ScoreError(ValueError):
    """A value, a score or a rule cannot be used; the message is translated and says why.

    `code` is a stable name for the rule that was broken, for tests and for callers
    that want to react to one case (for example "not_a_number" or "above_max").
    """

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- Reading numbers ---------------------------------------------------------------

# Non-breaking and thin spaces are what spreadsheets put between thousands.
_NORMALISE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_GROUPED = {sep: re.compile(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+") for sep in " .,"}
_DIGITS = re.compile(r"[0-9]*")
# Longer inputs are pasted garbage, and would exceed Decimal's default precision.
_MAX_LENGTH = 40


def parse_decimal(text: str) -> Decimal:
    """Read a number as Vietnamese users type it, never through float.

    - "12,5" and "12.5" are both 12.5: a separator that occurs once is the decimal
      separator, whichever it is.
    - A separator that occurs several times, or before the other one, groups
      thousands in threes: "1.234,5", "1 234,5", "1.234.567" and "1,234.5".
    - "1.234" is refused as ambiguous: Vietnamese writes thousands with a dot, so the
      user may mean 1234. A single comma is always decimal ("1,234" is 1.234), as in
      Vietnamese. A leading zero ("0.125") is not ambiguous.
    - Surrounding spaces and a leading sign are allowed; letters, exponents, NaN and
      Infinity are not.
    """
    cleaned = " ".join(str(text).translate(_NORMALISE).split())
    if not cleaned:
        raise ScoreError(_("Enter a number."), code="required")
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:]
    number = _canonical_number(cleaned) if len(cleaned) <= _MAX_LENGTH else None
    if number is None:
        raise ScoreError(_("Enter a number, e.g. 12,5."), code="not_a_number")
    if number == "ambiguous":
        raise ScoreError(
            _("Write thousands without a separator and decimals with a comma, e.g. 1234 or 12,5."),
            code="ambiguous",
        )
    value = Decimal(sign.replace("+", "") + number)
    # "-0" is zero; keep its sign out of the results.
    return value if value else abs(value)


def _canonical_number(body: str) -> str | None:
    """The number in Python's notation ("1234.5"), "ambiguous", or None if it is none."""
    integer, decimals = body, None
    last = max(body.rfind("."), body.rfind(","))
    if last >= 0 and body.count(body[last]) == 1:
        integer, decimals = body[:last], body[last + 1 :]
        if not decimals or not decimals.isascii() or not decimals.isdigit():
            return None
        if body[last] == "." and _GROUPED["."].fullmatch(body) and body[0] != "0":
            return "ambiguous"
    # Otherwise the last separator repeats, so it groups thousands and there are no decimals.
    if any(sep in integer for sep in " .,"):
        if not any(pattern.fullmatch(integer) for pattern in _GROUPED.values()):
            return None
        integer = re.sub("[ .,]", "", integer)
    elif not _DIGITS.fullmatch(integer):
        return None
    if decimals is None:
        return integer or None
    return f"{integer or '0'}.{decimals}"


def _as_number(value: object) -> Decimal:
    """A Decimal from a Decimal, an int or typed text. Floats are refused: they are inexact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"expected a Decimal, an int or a string, got {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ScoreError(_("Enter a number, e.g. 12,5."), code="not_a_number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return parse_decimal(value)
    raise TypeError(f"expected a Decimal, an int or a string, got {value!r}")


def _as_flag(value: object) -> bool:
    """Achieved or not: a bool, 1/0, or a word such as "đạt" / "không"; None is not achieved."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = fold(value)
        if word in YES:
            return True
        if word in NO:
            return False
        raise ScoreError(_("Enter 1 for achieved or 0 for not achieved."), code="not_a_flag")
    number = _as_number(value)
    if number not in (0, 1):
        raise ScoreError(_("Enter 1 for achieved or 0 for not achieved."), code="not_a_flag")
    return number == 1


def _param_decimal(value: object) -> Decimal:
    """A number from a criterion's JSON parameters, where floats do occur ("4.5")."""
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 4.5, not 4.49999….
        value = repr(value)
    try:
        return _as_number(value)
    except (TypeError, InvalidOperation, ScoreError) as error:
        raise _config_error() from error


def _config_error() -> ScoreError:
    return ScoreError(_("The criterion's parameters are invalid."), code="config")


def _label_key(label: str) -> str:
    """Grade labels match whatever the case, spacing or Unicode form the user typed."""
    return " ".join(unicodedata.normalize("NFC", label).casefold().split())


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _format_points(value: Decimal) -> str:
    """Points as the active language writes them: 950,00 in Vietnamese, 950.00 in English."""
    return number_format(value, decimal_pos=2)


def _format_plain(value: Decimal) -> str:
    """A limit without trailing zeros, in the active language: 12,5 rather than 12,50."""
    normal = value.normalize()
    places = max(0, -normal.as_tuple().exponent)
    return number_format(value, decimal_pos=places)


# --- Criteria ----------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a score sheet, with its parameters checked and normalised.

    `params` by kind (JSON as stored on Criterion.params; numbers may be text or int):

    - QUANTITATIVE: `mode` "proportional" (default) or "leader"; `lower_is_better`
      (default false); `no_target` "zero" (default), "full" or "excluded".
    - QUALITATIVE: `partial` (default false): a number entered is then points.
    - GRADED: `grades`, a list of [label, points], each 0 ≤ points ≤ max_points.
    - PER_ITEM: `points_per_item`; `cap` (default max_points, at most max_points).
      A negative `points_per_item` deducts from the cap per item instead (reporting
      discipline: 30 points, −5 per late report).
    - BONUS, PENALTY: optional `points_per_item`: the value is then a count.

    A construction with invalid parameters raises ScoreError(code="config").
    """

    code: str
    kind: Kind
    max_points: Decimal
    group: str | None = None
    params: Mapping = field(default_factory=dict, hash=False)
    text: str = ""

    def __post_init__(self):
        try:
            kind = Kind(self.kind)
        except ValueError as error:
            raise _config_error() from error
        max_points = _param_decimal(self.max_points)
        if max_points < 0 or max_points != max_points.quantize(CENT):
            raise _config_error()
        # Frozen dataclasses set their normalised fields through object.__setattr__.
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "max_points", max_points)
        object.__setattr__(self, "group", self.group or None)
        params = _normalise_params(kind, max_points, dict(self.params or {}))
        object.__setattr__(self, "params", MappingProxyType(params))


def _normalise_params(kind: Kind, max_points: Decimal, params: dict) -> dict:
    """Defaults filled in, numbers as Decimal, flags as bool; anything else raises."""
    try:
        if kind == Kind.QUANTITATIVE:
            params["mode"] = params.get("mode") or PROPORTIONAL
            params["no_target"] = params.get("no_target") or NO_TARGET_ZERO
            params["lower_is_better"] = _as_flag(params.get("lower_is_better", False))
            if params["mode"] not in MODES or params["no_target"] not in NO_TARGET_MODES:
                raise _config_error()
        elif kind == Kind.QUALITATIVE:
            params["partial"] = _as_flag(params.get("partial", False))
        elif kind == Kind.GRADED:
            grades = tuple((str(label), _param_decimal(pts)) for label, pts in params["grades"])
            labels = {_label_key(label) for label, _points in grades}
            if not grades or len(labels) != len(grades) or "" in labels:
                raise _config_error()
            if any(not 0 <= points <= max_points for _label, points in grades):
                raise _config_error()
            params["grades"] = grades
        elif kind == Kind.PER_ITEM:
            params["points_per_item"] = _param_decimal(params["points_per_item"])
            params["cap"] = _param_decimal(params.get("cap", max_points))
            if params["points_per_item"] == 0 or not 0 <= params["cap"] <= max_points:
                raise _config_error()
        elif kind in (Kind.BONUS, Kind.PENALTY) and "points_per_item" in params:
            params["points_per_item"] = _param_decimal(params["points_per_item"])
            if params["points_per_item"] <= 0:
                raise _config_error()
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ScoreError) and error.code == "config":
            raise
        raise _config_error() from error
    return params


def criterion_excluded(spec: CriterionSpec, *, target: Decimal | None) -> bool:
    """Whether the criterion does not count for a unit: a target-less quantitative
    criterion whose no_target is "excluded". Its max_points then leave the unit's maximum."""
    return (
        spec.kind == Kind.QUANTITATIVE
        and target is None
        and spec.params["no_target"] == NO_TARGET_EXCLUDED
    )


def excluded_max(
    criteria: Iterable[CriterionSpec], targets: Mapping[str, Decimal | None]
) -> Decimal:
    """The maximum points of the criteria excluded for one unit (for UnitInput.excluded_max).

    `targets` maps criterion codes to the unit's targets; a missing code has no target.
    """
    return sum(
        (c.max_points for c in criteria if criterion_excluded(c, target=targets.get(c.code))),
        ZERO,
    )


def _better_or_equal(a: Decimal, b: Decimal, lower_is_better: bool) -> bool:
    return a <= b if lower_is_better else a >= b


def _lower_is_better(spec: CriterionSpec) -> bool:
    return spec.params.get("lower_is_better", False)


def target_met(spec: CriterionSpec, actual: object, target: Decimal | None) -> bool | None:
    """Whether the actual value reaches the target; None when there is no target to reach.

    With lower_is_better (crime, poverty, accident rates) the target is a ceiling.
    An unreported value misses its target.
    """
    if target is None:
        return None
    if actual is None:
        return False
    return _better_or_equal(_as_number(actual), target, _lower_is_better(spec))


def leader_value(spec: CriterionSpec, actuals: Iterable[object]) -> Decimal | None:
    """The best actual value among the cluster's units (the highest, or the lowest when
    lower_is_better); units that did not report are left out."""
    values = [_as_number(v) for v in actuals if v is not None]
    if not values:
        return None
    return min(values) if _lower_is_better(spec) else max(values)


def veto_reason(spec: CriterionSpec, value: object) -> str | None:
    """The reason to record in UnitInput.vetoes when a veto criterion is met, else None."""
    if spec.kind != Kind.VETO:
        raise ValueError(f"{spec.code} is not a veto criterion")
    if not _as_flag(value):
        return None
    return " ".join(f"{spec.code} {spec.text}".split())


def _non_negative(value: object) -> Decimal:
    number = _as_number(value)
    if number < 0:
        raise ScoreError(_("The value cannot be negative."), code="negative")
    return number


def _count(value: object) -> Decimal:
    number = _non_negative(value)
    if number != number.to_integral_value():
        raise ScoreError(_("Enter a whole number of items."), code="not_a_count")
    return number


def criterion_points(
    spec: CriterionSpec,
    value: object,
    *,
    target: Decimal | None = None,
    leader: Decimal | None = None,
) -> Decimal:
    """The points one raw value is worth on one criterion, rounded to 0.01.

    `value` is what the kind needs: an actual value or a count (Decimal, int or typed
    text), achieved or not (bool, 1/0, "đạt"), a grade label or its 0-based index, or
    claimed points. None means nothing was reported and is worth nothing.

    Base kinds give points within [0, max_points]. BONUS gives the claimed points,
    capped at max_points. PENALTY gives the points to deduct (positive), capped at
    max_points only when max_points > 0. VETO gives no points: see veto_reason.
    Impossible input (negative values, unknown grades, points above the maximum)
    raises ScoreError.

    QUANTITATIVE needs `target` (the unit's covenant target) and, in "leader" mode for
    a unit that met its target, `leader` (see leader_value).
    """
    kind = spec.kind
    if kind == Kind.GROUP:
        raise ScoreError(_("A group's points are the sum of its criteria."), code="group")
    if kind == Kind.VETO:
        _as_flag(value)
        return ZERO.quantize(CENT)
    if value is None:
        return ZERO.quantize(CENT)
    if kind == Kind.QUANTITATIVE:
        points = _quantitative(spec, _non_negative(value), target, leader)
    elif kind == Kind.QUALITATIVE:
        points = _qualitative(spec, value)
    elif kind == Kind.GRADED:
        points = _graded(spec, value)
    elif kind == Kind.PER_ITEM:
        count = _count(value)
        per_item, cap = spec.params["points_per_item"], spec.params["cap"]
        if per_item > 0:
            points = min(count * per_item, cap)
        else:
            points = max(cap + count * per_item, ZERO)
    else:
        points = _bonus_or_penalty(spec, value)
    return _quantize(points)


def _quantitative(
    spec: CriterionSpec, actual: Decimal, target: Decimal | None, leader: Decimal | None
) -> Decimal:
    """Points against the target; clusters/tests/test_scoring.py has worked examples.

    With lower_is_better every comparison is turned round: meeting the target means
    staying at or under it, a miss earns target/actual instead of actual/target, and
    the leader is the lowest value. The interpolation (actual − target)/(leader −
    target) reads the same both ways, since both differences change sign.
    """
    full = spec.max_points
    if target is None:
        no_target = spec.params["no_target"]
        return full if no_target == NO_TARGET_FULL else ZERO
    if target < 0:
        raise ScoreError(_("The target cannot be negative."), code="negative")
    lower = spec.params["lower_is_better"]
    met = _better_or_equal(actual, target, lower)
    # The share of the target reached, for a unit that missed it (so never above 1).
    if met:
        share = Decimal(1)
    elif lower:
        share = target / actual
    else:
        share = actual / target
    if spec.params["mode"] == PROPORTIONAL:
        return min(full * share, full)
    if not met:
        # Leading the cluster while missing one's own target earns only the missed share.
        return min(full * share / 2, full / 2)
    if leader is None:
        raise ValueError(f"{spec.code}: the leader's value is needed in leader mode")
    if _better_or_equal(actual, leader, lower):
        return full
    # Here target ≤ actual < leader (or the reverse when lower is better), so leader ≠ target.
    return min(full * (leader - target + actual - target) / (2 * (leader - target)), full)


def _qualitative(spec: CriterionSpec, value: object) -> Decimal:
    if spec.params["partial"] and not isinstance(value, bool):
        # With partial points allowed a number is points; only words mean achieved or not.
        try:
            points = _as_number(value)
        except ScoreError:
            points = None
        if points is not None:
            check_points(spec, points)
            return points
    return spec.max_points if _as_flag(value) else ZERO


def _graded(spec: CriterionSpec, value: object) -> Decimal:
    grades = spec.params["grades"]
    if isinstance(value, str):
        wanted = _label_key(value)
        for label, points in grades:
            if _label_key(label) == wanted:
                return points
        raise ScoreError(
            _("Choose one of the grades: %(grades)s.")
            % {"grades": ", ".join(label for label, _points in grades)},
            code="unknown_grade",
        )
    index = _count(value)
    if index >= len(grades):
        raise ScoreError(
            _("Choose one of the grades: %(grades)s.")
            % {"grades": ", ".join(label for label, _points in grades)},
            code="unknown_grade",
        )
    return grades[int(index)][1]


def _bonus_or_penalty(spec: CriterionSpec, value: object) -> Decimal:
    per_item = spec.params.get("points_per_item")
    points = _count(value) * per_item if per_item else _non_negative(value)
    if spec.kind == Kind.BONUS or spec.max_points > 0:
        return min(points, spec.max_points)
    return points


def check_points(spec: CriterionSpec, points: Decimal) -> None:
    """Refuse points typed straight into the agreed grid that the criterion cannot give.

    The range is [0, max_points], or [0, ∞) for a penalty with no maximum; points have
    at most two decimals. Groups and vetoes take no points of their own.
    """
    if spec.kind == Kind.GROUP:
        raise ScoreError(_("A group's points are the sum of its criteria."), code="group")
    if spec.kind == Kind.VETO:
        if points != 0:
            raise ScoreError(_("A veto criterion takes no points."), code="veto")
        return
    points = _as_number(points)
    uncapped = spec.kind == Kind.PENALTY and spec.max_points == 0
    if points < 0 or (not uncapped and points > spec.max_points):
        raise ScoreError(
            _("The score must be between 0 and %(max)s.") % {"max": _format_plain(spec.max_points)},
            code="above_max" if points > 0 else "negative",
        )
    if points != points.quantize(CENT):
        raise ScoreError(_("Use at most two decimal places."), code="too_precise")


# --- Units -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """A province's scoring rules for a year (RuleSet), as the computation needs them.

    `bands` are (label, minimum percentage of the unit's maximum), in any order.
    `bonus_cap` 0 means the unit's total bonus is not capped (each bonus criterion
    still is). `tie_breaks` are names from TIE_BREAKS, applied in order.
    """

    scale: Decimal
    bands: tuple[tuple[str, Decimal], ...]
    eligibility_min_percent: Decimal
    tie_breaks: tuple[str, ...]
    core_group: str = ""
    bonus_cap: Decimal = ZERO
    targets_required: bool = True

    def __post_init__(self):
        try:
            scale = _param_decimal(self.scale)
            bonus_cap = _param_decimal(self.bonus_cap)
            minimum_percent = _param_decimal(self.eligibility_min_percent)
            bands = tuple(
                sorted(
                    ((str(label), _param_decimal(minimum)) for label, minimum in self.bands),
                    key=lambda band: band[1],
                    reverse=True,
                )
            )
        except (TypeError, ValueError) as error:
            raise ScoreError(_("The scoring rules are invalid."), code="config") from error
        tie_breaks = tuple(self.tie_breaks)
        if scale <= 0 or bonus_cap < 0 or any(minimum < 0 for _label, minimum in bands):
            raise ScoreError(_("The scoring rules are invalid."), code="config")
        if len(set(tie_breaks)) != len(tie_breaks) or not set(tie_breaks) <= set(TIE_BREAKS):
            raise ScoreError(_("The scoring rules are invalid."), code="config")
        if "core_group" in tie_breaks and not self.core_group:
            raise ScoreError(_("Choose the core group used to break ties."), code="config")
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "bonus_cap", bonus_cap)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "tie_breaks", tie_breaks)
        object.__setattr__(self, "eligibility_min_percent", minimum_percent)


@dataclass(frozen=True)
class UnitInput:
    """One unit's agreed points per criterion code, with what ranking needs besides.

    Points of criteria excluded for the unit (see criterion_excluded) must be absent or
    zero; their maximum goes in `excluded_max`.
    """

    key: Hashable
    name: str
    points: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    vetoes: tuple[str, ...] = ()
    targets_met: bool = True
    women_majority: bool = False
    votes: int | None = None
    excluded_max: Decimal = ZERO


@dataclass(frozen=True)
class UnitResult:
    key: Hashable
    name: str
    # Base points per top-level criterion (usually the groups I, II, …), in sheet order.
    group_totals: dict[str, Decimal] = field(hash=False)
    base: Decimal
    # After the unit-level cap; bonus_claimed is before it.
    bonus: Decimal
    penalty: Decimal
    # base + bonus − penalty, but never below 0.
    final: Decimal
    maximum: Decimal
    percent: Decimal
    band: str
    vetoed: bool
    veto_reasons: tuple[str, ...]
    eligible: bool
    bonus_claimed: Decimal = ZERO
    women_majority: bool = False
    votes: int | None = None


def _check_tree(criteria: Sequence[CriterionSpec]) -> None:
    """Codes are unique and every criterion's group chain ends at the top level."""
    by_code = {c.code: c for c in criteria}
    if len(by_code) != len(criteria):
        raise ScoreError(_("Two criteria have the same code."), code="config")
    for criterion in criteria:
        current, seen = criterion, {criterion.code}
        while current.group is not None:
            parent = by_code.get(current.group)
            if parent is None or parent.kind != Kind.GROUP or parent.code in seen:
                raise ScoreError(
                    _("A criterion's group is not a group of the sheet."), code="config"
                )
            seen.add(parent.code)
            current = parent


def _group_total(code: str, children: dict[str, list[CriterionSpec]], points) -> Decimal:
    """A group's points: its criteria's, capped at its own maximum when it has one."""
    total = ZERO
    for child in children.get(code, ()):
        if child.kind == Kind.GROUP:
            sub = _group_total(child.code, children, points)
            total += min(sub, child.max_points) if child.max_points > 0 else sub
        elif child.kind in BASE_KINDS:
            total += points.get(child.code, ZERO)
    return total


def unit_result(criteria: Sequence[CriterionSpec], unit: UnitInput, rules: Rules) -> UnitResult:
    """Add up one unit's points under the rules.

    1. Every point is checked against its criterion (check_points); unknown codes raise.
    2. Base points are summed per top-level criterion; a group with a maximum caps the
       sum of its criteria at it (a sheet whose criteria add up to more than their group).
    3. Bonus is summed, then capped at rules.bonus_cap when that is above 0; penalties
       are summed uncapped.
    4. final = base + bonus − penalty, clamped at 0: a negative total means nothing on a
       score sheet, and the fewer_penalty tie-break can still separate clamped units.
    5. percent = final / maximum × 100, rounded down to 0.01, where maximum = scale −
       excluded_max. Bands and eligibility compare the exact ratio, so 899.99 of 1,000
       is 89.99 % and misses a 90 % minimum (half-up rounding would show 90.00).
    """
    if isinstance(unit.vetoes, str):
        raise TypeError("UnitInput.vetoes is a tuple of reasons, not one string")
    by_code = {c.code: c for c in criteria}
    _check_tree(criteria)
    points: dict[str, Decimal] = {}
    for code, value in unit.points.items():
        spec = by_code.get(code)
        if spec is None:
            raise ScoreError(
                _("There is no criterion %(code)s on the score sheet.") % {"code": code},
                code="unknown_criterion",
            )
        check_points(spec, value)
        points[code] = _as_number(value)

    children: dict[str, list[CriterionSpec]] = {}
    for criterion in criteria:
        children.setdefault(criterion.group, []).append(criterion)
    group_totals = {}
    for criterion in children.get(None, ()):
        if criterion.kind == Kind.GROUP:
            total = _group_total(criterion.code, children, points)
            if criterion.max_points > 0:
                total = min(total, criterion.max_points)
            group_totals[criterion.code] = total
        elif criterion.kind in BASE_KINDS:
            group_totals[criterion.code] = points.get(criterion.code, ZERO)
    base = sum(group_totals.values(), ZERO)

    bonus_claimed = sum((v for code, v in points.items() if by_code[code].kind == Kind.BONUS), ZERO)
    bonus = min(bonus_claimed, rules.bonus_cap) if rules.bonus_cap > 0 else bonus_claimed
    penalty = sum((v for code, v in points.items() if by_code[code].kind == Kind.PENALTY), ZERO)
    final = max(base + bonus - penalty, ZERO)

    excluded = _as_number(unit.excluded_max)
    if not 0 <= excluded <= rules.scale:
        raise ScoreError(_("The excluded maximum must be between 0 and the scale."), code="config")
    maximum = rules.scale - excluded
    band, reaches_minimum = "", False
    if maximum > 0:
        # Rounded down, so that the percentage shown never reaches a threshold the unit missed.
        percent = (final * HUNDRED / maximum).quantize(CENT, rounding=ROUND_DOWN)
        band = next((label for label, low in rules.bands if final * HUNDRED >= low * maximum), "")
        reaches_minimum = final * HUNDRED >= rules.eligibility_min_percent * maximum
    else:
        # Every criterion was excluded: there is nothing to measure the unit against.
        percent = ZERO.quantize(CENT)
    vetoed = bool(unit.vetoes)
    eligible = not vetoed and reaches_minimum and (unit.targets_met or not rules.targets_required)
    return UnitResult(
        key=unit.key,
        name=unit.name,
        group_totals={code: _quantize(total) for code, total in group_totals.items()},
        base=_quantize(base),
        bonus=_quantize(bonus),
        penalty=_quantize(penalty),
        final=_quantize(final),
        maximum=_quantize(maximum),
        percent=percent,
        band=band,
        vetoed=vetoed,
        veto_reasons=tuple(unit.vetoes),
        eligible=eligible,
        bonus_claimed=_quantize(bonus_claimed),
        women_majority=unit.women_majority,
        votes=unit.votes,
    )


# --- Ranking -----------------------------------------------------------------------


@dataclass(frozen=True)
class RankedRow:
    result: UnitResult
    rank: int
    # Shares its rank with another unit that no tie-break could separate.
    tied: bool
    tie_break_notes: tuple[str, ...]
    # Rank 1 alone and eligible: the unit the cluster may propose for the flag.
    flag_candidate: bool


def _display_order(result: UnitResult) -> tuple:
    # Vietnamese alphabetical order; the key only settles two units of the same name.
    return (sort_key(result.name), result.name, str(result.key))


def _tie_value(tie_break: str, result: UnitResult, rules: Rules, core_totals) -> tuple | None:
    """(comparable value, larger is better; value to show), or None when it is not known."""
    if tie_break == "core_group":
        if core_totals is not None:
            total = core_totals.get(result.key)
        else:
            total = result.group_totals.get(rules.core_group)
        return None if total is None else (total, total)
    if tie_break == "fewer_penalty":
        return (-result.penalty, result.penalty)
    if tie_break == "more_bonus":
        return (result.bonus, result.bonus)
    if tie_break == "women_majority":
        return (int(result.women_majority), result.women_majority)
    if result.votes is None:
        return None
    return (result.votes, result.votes)


def _separated_note(
    tie_break: str, ahead: bool, total: str, other: str, own, theirs, rules: Rules
) -> str:
    """One sentence per tie-break and direction, so translators get whole sentences."""
    if tie_break in ("core_group", "fewer_penalty", "more_bonus"):
        own, theirs = _format_points(own), _format_points(theirs)
    values = {"total": total, "other": other, "own": own, "theirs": theirs}
    if tie_break == "core_group":
        values["group"] = rules.core_group
        if ahead:
            message = _(
                "Tied at %(total)s with %(other)s; ranked ahead on the core group %(group)s "
                "(%(own)s against %(theirs)s)."
            )
        else:
            message = _(
                "Tied at %(total)s with %(other)s; ranked behind on the core group %(group)s "
                "(%(own)s against %(theirs)s)."
            )
    elif tie_break == "fewer_penalty":
        if ahead:
            message = _(
                "Tied at %(total)s with %(other)s; ranked ahead on fewer penalty points "
                "(%(own)s against %(theirs)s)."
            )
        else:
            message = _(
                "Tied at %(total)s with %(other)s; ranked behind on more penalty points "
                "(%(own)s against %(theirs)s)."
            )
    elif tie_break == "more_bonus":
        if ahead:
            message = _(
                "Tied at %(total)s with %(other)s; ranked ahead on more bonus points "
                "(%(own)s against %(theirs)s)."
            )
        else:
            message = _(
                "Tied at %(total)s with %(other)s; ranked behind on fewer bonus points "
                "(%(own)s against %(theirs)s)."
            )
    elif tie_break == "women_majority":
        if ahead:
            message = _(
                "Tied at %(total)s with %(other)s; ranked ahead as a collective with a "
                "majority of women."
            )
        else:
            message = _(
                "Tied at %(total)s with %(other)s; ranked behind because %(other)s has a "
                "majority of women."
            )
    elif ahead:
        message = _(
            "Tied at %(total)s with %(other)s; ranked ahead on more votes "
            "(%(own)s against %(theirs)s)."
        )
    else:
        message = _(
            "Tied at %(total)s with %(other)s; ranked behind on fewer votes "
            "(%(own)s against %(theirs)s)."
        )
    return message % values


def _separate(
    group: list[UnitResult],
    tie_breaks: tuple[str, ...],
    rules: Rules,
    core_totals,
    notes: dict[Hashable, list[str]],
) -> list[list[UnitResult]]:
    """Split units of equal final into ordered blocks, best first, noting each decision.

    Each tie-break is applied to the whole tied block at once: it splits the block by
    its value, and the next tie-break applies within each part. A tie-break whose value
    is unknown for any unit of the block (votes not yet counted) is skipped for that
    block, since comparing only some units would make the order depend on who is asked
    first. Units left in one block at the end are tied.
    """
    if len(group) < 2 or not tie_breaks:
        return [group]
    tie_break, rest = tie_breaks[0], tie_breaks[1:]
    group = sorted(group, key=_display_order)
    total = _format_points(group[0].final)
    values = {r.key: _tie_value(tie_break, r, rules, core_totals) for r in group}
    if any(value is None for value in values.values()):
        for result in group:
            others = ", ".join(r.name for r in group if r is not result)
            if tie_break == "core_group":
                message = _(
                    "Tied at %(total)s with %(others)s; the core group could not break the tie "
                    "because its total is not known for every unit."
                )
            else:
                message = _(
                    "Tied at %(total)s with %(others)s; the votes could not break the tie "
                    "because they are not known for every unit."
                )
            notes[result.key].append(message % {"total": total, "others": others})
        return _separate(group, rest, rules, core_totals, notes)
    for result in group:
        own = values[result.key]
        for other in group:
            theirs = values[other.key]
            if other is not result and own[0] != theirs[0]:
                note = _separated_note(
                    tie_break, own[0] > theirs[0], total, other.name, own[1], theirs[1], rules
                )
                notes[result.key].append(note)
    blocks = []
    for level in sorted({value[0] for value in values.values()}, reverse=True):
        part = [r for r in group if values[r.key][0] == level]
        blocks += _separate(part, rest, rules, core_totals, notes)
    return blocks


def rank_units(
    results: Sequence[UnitResult],
    rules: Rules,
    *,
    core_totals: Mapping[Hashable, Decimal] | None = None,
) -> list[RankedRow]:
    """Rank units by final score, highest first, and explain every tie-break.

    1. Vetoed units come after every unit that is not vetoed, ranked among themselves
       by the same rules.
    2. Units of equal final are separated by rules.tie_breaks in order: core_group
       (higher total of rules.core_group, or of `core_totals[key]` when given),
       fewer_penalty, more_bonus, women_majority (a women-majority collective first),
       more_votes (unknown votes cannot separate; see _separate).
    3. Units still equal share a rank (competition ranking: 1, 2, 2, 4) and are tied;
       the cluster settles them with a re-vote.

    The ranking depends only on the results, never on their input order. Within a
    tie the rows are listed in Vietnamese alphabetical order of name (clusters.text.
    sort_key, then the key for two units of the same name), only so that the output is
    stable: their ranks are equal whatever the listed order.
    """
    keys = [r.key for r in results]
    if len(set(keys)) != len(keys):
        raise ValueError("each unit must appear once in the ranking")
    notes: dict[Hashable, list[str]] = {key: [] for key in keys}
    blocks: list[list[UnitResult]] = []
    for vetoed in (False, True):
        finals = sorted({r.final for r in results if r.vetoed == vetoed}, reverse=True)
        for final in finals:
            group = [r for r in results if r.vetoed == vetoed and r.final == final]
            blocks += _separate(group, rules.tie_breaks, rules, core_totals, notes)

    rows = []
    for block in blocks:
        rank = len(rows) + 1
        tied = len(block) > 1
        ordered = sorted(block, key=_display_order)
        for result in ordered:
            if tied:
                others = ", ".join(r.name for r in ordered if r is not result)
                notes[result.key].append(
                    _(
                        "Tied at %(total)s with %(others)s; no tie-break separates them, so "
                        "they share rank %(rank)s."
                    )
                    % {"total": _format_points(result.final), "others": others, "rank": rank}
                )
            rows.append(
                RankedRow(
                    result=result,
                    rank=rank,
                    tied=tied,
                    tie_break_notes=tuple(notes[result.key]),
                    flag_candidate=rank == 1 and not tied and result.eligible,
                )
            )
    return rows
