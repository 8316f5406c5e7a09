"""Score-sheet criteria: their parameters, how they read in words, and the tree checks.

Shared by the criterion form, the Excel import and the sheet page. No queries: the
functions take criteria (or anything with the same attributes) and return values.

`Criterion.params` holds, by kind (numbers are stored as strings, "12.5"):

- quantitative: {"mode": "proportional" | "leader", "lower_is_better": bool,
  "no_target": "zero" | "full" | "excluded"}; missing values mean proportional,
  false and zero, as in `clusters.scoring`.
- graded: {"grades": [["Tốt", "6"], ["Khá", "4"], ["Trung bình", "0"]]}
- per_item: {"points_per_item": "5", "cap": "40"}; negative points are deducted
  from the maximum per occurrence ("−1 per late report").
- bonus, penalty: {"points_per_item": "10"} or {}; the criterion's maximum is its
  cap, and 0 means it has no cap of its own.
- group, qualitative, veto: {}; a veto gate has a maximum of 0.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scoring, text
from .models import Criterion

Kind = Criterion.Kind

# Kinds whose maximum makes up the base score; bonus, penalty and veto come on top.
BASE_KINDS = frozenset(
    {Kind.GROUP, Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.GRADED, Kind.PER_ITEM}
)

PROPORTIONAL = "proportional"
LEADER = "leader"
MODES = [
    (PROPORTIONAL, gettext_lazy("In proportion to the target")),
    (LEADER, gettext_lazy("Full points only for the cluster's leader")),
]

FULL, ZERO, EXCLUDED = "full", "zero", "excluded"
NO_TARGET = [
    (ZERO, gettext_lazy("No points")),
    (FULL, gettext_lazy("Full points")),
    (EXCLUDED, gettext_lazy("Criterion left out for that unit")),
]

# Tie-break rules in RuleSet.tie_breaks, applied in the order the province chose.
TIE_BREAKS = [
    ("core_group", gettext_lazy("Higher score in the core group")),
    ("fewer_penalty", gettext_lazy("Fewer penalty points")),
    ("more_bonus", gettext_lazy("More bonus points")),
    ("women_majority", gettext_lazy("Women majority (NĐ 152, Art. 4(6))")),
    ("more_votes", gettext_lazy("More votes")),
]

# The parameters each kind takes; the form drops the others, the import refuses them.
PARAMS_BY_KIND = {
    Kind.QUANTITATIVE: ("mode", "lower_is_better", "no_target"),
    Kind.GRADED: ("grades",),
    Kind.PER_ITEM: ("points_per_item", "cap", "counts_register"),
    Kind.BONUS: ("points_per_item",),
    Kind.PENALTY: ("points_per_item",),
}
PARAM_NAMES = (
    "mode",
    "lower_is_better",
    "no_target",
    "grades",
    "points_per_item",
    "cap",
    "counts_register",
)
# A per-item criterion whose items are the unit's entries in the register of exemplary
# models (clusters.exemplary.COUNTS_EXEMPLARY); the scoring page shows their number.
COUNTS_EXEMPLARY = "exemplary_models"

# Points have at most 2 decimals and 7 digits before the point (DecimalField(9, 2)).
MAX_POINTS = Decimal("9999999.99")


class ParamError(Exception):
    """A parameter is wrong; `field` names it and the message is translated."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


# ---------------------------------------------------------------------------
# Numbers


def parse_decimal(value) -> Decimal:
    """A number from a form, a spreadsheet cell or the JSON parameters.

    Text is read as Vietnamese users type it ("12,5", "1.234,5") by
    `scoring.parse_decimal`, which refuses "1.234" as ambiguous; numbers that Excel
    stored as floats are taken by their shortest form (12.5, not 12.5000001).
    Raises ValueError with a translated message.
    """
    if isinstance(value, bool):
        raise ValueError(_("Enter a number, e.g. 12,5."))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = scoring.parse_decimal(str(value))
        except scoring.ScoreError as e:
            raise ValueError(e.message) from None
    if not number.is_finite():
        raise ValueError(_("Enter a number, e.g. 12,5."))
    return number


def parse_points(value, *, allow_negative: bool = False) -> Decimal:
    """Points: at most two decimals; raises ValueError with a translated message."""
    number = parse_decimal(value)
    if number < 0 and not allow_negative:
        raise ValueError(_("The number must not be negative."))
    if abs(number) > MAX_POINTS:
        raise ValueError(_("The number is too large."))
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("Use at most two decimals."))
    return number.quantize(Decimal("0.01"))


def plain(number: Decimal) -> Decimal:
    """Without trailing zeros: 60.00 becomes 60 and 12.50 becomes 12.5."""
    number = Decimal(number)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def stored(number: Decimal) -> str:
    """How a number is kept in the JSON parameters: "12.5"."""
    return str(plain(number))


def typed(number) -> str:
    """A number as a user types it back into a field: "12,5" and "1234" in Vietnamese."""
    if number is None:
        return ""
    number = plain(Decimal(number))
    places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=False)


def shown(number) -> str:
    """A number for people, in the language of the page: "12,5" and "1.000" in Vietnamese."""
    if number is None or number == "":
        return ""
    return formats.number_format(plain(Decimal(number)), use_l10n=True, force_grouping=True)


# ---------------------------------------------------------------------------
# "Label = number" lines: grades of a criterion and the bands of a rule set


def parse_pairs(value: str) -> list[tuple[str, Decimal]]:
    """Lines (or ";"-separated items) of "Tốt = 6"; raises ValueError with a message."""
    pairs = []
    seen = set()
    for line in re.split(r"[\n;]+", value or ""):
        line = line.strip()
        if not line:
            continue
        label, separator, number = line.rpartition("=")
        if not separator:
            label, separator, number = line.rpartition(":")
        label = " ".join(label.split())
        if not separator or not label:
            raise ValueError(
                _("Write each level on its own line as “name = points”, e.g. “Tốt = 6”.")
            )
        try:
            points = parse_points(number)
        except ValueError as e:
            raise ValueError(f"{label}: {e}") from None
        key = text.fold(label)
        if key in seen:
            raise ValueError(_("The level “%(label)s” appears twice.") % {"label": label})
        seen.add(key)
        pairs.append((label, points))
    return pairs


def pairs_text(pairs) -> str:
    """Stored pairs as the lines a user edits: "Tốt = 6"."""
    return "\n".join(f"{label} = {shown(number)}" for label, number in pairs or [])


# ---------------------------------------------------------------------------
# Parameters


def build_params(kind: str, values: dict, *, max_points: Decimal) -> dict:
    """The `params` of a criterion of `kind` from parsed values, or ParamError.

    `values` holds Python values by parameter name (Decimal numbers, bools, a list of
    (label, Decimal) grades); names the kind does not take are ignored.
    """
    if kind == Kind.QUANTITATIVE:
        mode = values.get("mode") or PROPORTIONAL
        no_target = values.get("no_target") or ZERO
        return {
            "mode": mode,
            "lower_is_better": bool(values.get("lower_is_better")),
            "no_target": no_target,
        }
    if kind == Kind.GRADED:
        grades = values.get("grades") or []
        if len(grades) < 2:
            raise ParamError("grades", _("Give at least two levels, e.g. “Tốt = 6” and “Khá = 4”."))
        for label, points in grades:
            if points > max_points:
                raise ParamError(
                    "grades",
                    _("The level “%(label)s” gives more than the maximum of %(max)s points.")
                    % {"label": label, "max": shown(max_points)},
                )
        return {"grades": [[label, stored(points)] for label, points in grades]}
    if kind == Kind.PER_ITEM:
        points = values.get("points_per_item")
        if points is None or points == 0:
            raise ParamError("points_per_item", _("Give the points per item."))
        if abs(points) > max_points:
            raise ParamError(
                "points_per_item", _("One item cannot be worth more than the maximum.")
            )
        cap = values.get("cap")
        if cap is None:
            cap = max_points
        if cap > max_points:
            raise ParamError("cap", _("The cap cannot be more than the maximum points."))
        params = {"points_per_item": stored(points), "cap": stored(cap)}
        if values.get("counts_register"):
            params["counts"] = COUNTS_EXEMPLARY
        return params
    if kind in (Kind.BONUS, Kind.PENALTY):
        points = values.get("points_per_item")
        if points is None:
            return {}
        if points == 0:
            raise ParamError("points_per_item", _("Give the points per item, or leave it empty."))
        # A penalty is written either way ("5" or "−5"); it is kept as the points deducted.
        if kind == Kind.BONUS and points < 0:
            raise ParamError("points_per_item", _("Bonus points must be positive."))
        return {"points_per_item": stored(abs(points))}
    return {}


def describe(criterion) -> str:
    """The parameters of a criterion in words, for the sheet page; a criterion saved with
    broken parameters (through the admin, say) says so instead of breaking the page."""
    try:
        return _describe(criterion)
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError):
        return _("The parameters of this criterion are invalid.")


def _describe(criterion) -> str:
    params = criterion.params or {}
    kind = criterion.kind
    maximum = shown(criterion.max_points)
    parts = []
    if kind == Kind.QUANTITATIVE:
        if params.get("mode") == LEADER:
            parts.append(
                _("full points only for the cluster's leader; meeting the target gives half")
            )
        else:
            parts.append(_("in proportion to the result against the target"))
        if params.get("lower_is_better"):
            parts.append(_("lower is better"))
        no_target = params.get("no_target") or ZERO
        parts.append(
            {
                FULL: _("without a target: full points"),
                ZERO: _("without a target: no points"),
                EXCLUDED: _("without a target: criterion left out"),
            }.get(no_target, "")
        )
    elif kind == Kind.QUALITATIVE:
        parts.append(_("full points if achieved, none otherwise"))
    elif kind == Kind.GRADED:
        parts.append(" · ".join(f"{label}: {shown(points)}" for label, points in params["grades"]))
    elif kind == Kind.PER_ITEM:
        points = Decimal(params.get("points_per_item", "0"))
        if points < 0:
            parts.append(
                _("%(points)s points deducted per item from %(max)s")
                % {"points": shown(-points), "max": maximum}
            )
        else:
            parts.append(
                _("%(points)s points per item, at most %(cap)s")
                % {"points": shown(points), "cap": shown(params.get("cap", criterion.max_points))}
            )
        if params.get("counts") == COUNTS_EXEMPLARY:
            parts.append(_("items counted in the register of exemplary models"))
    elif kind in (Kind.BONUS, Kind.PENALTY):
        if "points_per_item" in params:
            template = (
                _("+%(points)s per item") if kind == Kind.BONUS else _("−%(points)s per item")
            )
            parts.append(template % {"points": shown(params["points_per_item"])})
        if criterion.max_points:
            parts.append(_("at most %(max)s points") % {"max": maximum})
        else:
            parts.append(_("no cap of its own"))
    elif kind == Kind.VETO:
        parts.append(_("not considered for the flag if this applies"))
    if criterion.unit_of_measure and kind != Kind.GROUP:
        parts.append(_("unit: %(unit)s") % {"unit": criterion.unit_of_measure})
    return "; ".join(part for part in parts if part)


# ---------------------------------------------------------------------------
# The tree


@dataclass
class Node:
    item: object
    depth: int
    children: list["Node"] = field(default_factory=list)
    # Whether the item counts towards the base score (see BASE_KINDS).
    in_base: bool = True
    # For groups in the base: what their base criteria add up to.
    child_sum: Decimal | None = None

    @property
    def sum_mismatch(self) -> bool:
        return self.child_sum is not None and self.child_sum != self.item.max_points


def depth_first(criteria) -> list[tuple[Criterion, int, Criterion]]:
    """Criteria depth first in sheet order (each group followed by its criteria), each
    with its depth (0 at the top) and its top-level criterion."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    ordered, seen = [], set()

    def walk(parent_id, depth, top):
        for criterion in children.get(parent_id, ()):
            if criterion.pk not in seen:
                seen.add(criterion.pk)
                ordered.append((criterion, depth, top or criterion))
                walk(criterion.pk, depth + 1, top or criterion)

    walk(None, 0, None)
    return ordered


@dataclass
class Tree:
    # Depth-first, in the order of the sheet: what the page lists.
    nodes: list[Node]
    base_total: Decimal


def build_tree(items, *, key=lambda item: item.pk, parent_key=lambda item: item.parent_id) -> Tree:
    """Arrange criteria by parent, keeping their order, and add up the groups.

    Items whose parent is missing (or which sit in a loop) are shown at the top level
    rather than lost.
    """
    items = list(items)
    keys = {key(item) for item in items}
    children: dict[object, list] = {}
    for item in items:
        parent = parent_key(item)
        children.setdefault(parent if parent in keys else None, []).append(item)
    placed = set()

    def walk(item, depth: int) -> Node:
        placed.add(key(item))
        node = Node(item, depth)
        for child in children.get(key(item), []):
            if key(child) not in placed:
                node.children.append(walk(child, depth + 1))
        if item.kind == Kind.GROUP:
            base_children = [c for c in node.children if c.in_base]
            # A group of bonus, penalty or veto rows only is outside the base.
            node.in_base = bool(base_children) or not node.children
            if node.in_base:
                node.child_sum = sum((c.item.max_points for c in base_children), Decimal(0))
        else:
            node.in_base = item.kind in BASE_KINDS
        return node

    roots = [walk(item, 0) for item in children.get(None, [])]
    # Items caught in a parent loop are not reachable from the top; show them there.
    roots += [walk(item, 0) for item in items if key(item) not in placed]
    nodes = []

    def flatten(node: Node) -> None:
        nodes.append(node)
        for child in node.children:
            flatten(child)

    for root in roots:
        flatten(root)
    base_total = sum((root.item.max_points for root in roots if root.in_base), Decimal(0))
    return Tree(nodes, base_total)


def tree_warnings(tree: Tree, scale: Decimal) -> list[str]:
    """What does not add up, in words: groups, empty groups and the base against the scale."""
    warnings = []
    for node in tree.nodes:
        item = node.item
        if item.kind == Kind.GROUP and not node.children:
            warnings.append(_("Group %(code)s has no criteria.") % {"code": item.code})
        elif node.sum_mismatch:
            warnings.append(
                _("The criteria of group %(code)s add up to %(sum)s points, not %(max)s.")
                % {"code": item.code, "sum": shown(node.child_sum), "max": shown(item.max_points)}
            )
    if tree.base_total != scale:
        warnings.append(
            _("The base criteria add up to %(sum)s points, not the scale of %(scale)s.")
            % {"sum": shown(tree.base_total), "scale": shown(scale)}
        )
    return warnings
