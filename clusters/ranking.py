"""Selectors for the agreed scores of a period: the grid's data, totals and the ranking.

Everything a period's ranking needs is read in a fixed number of queries, however many
members and criteria there are, and then computed in Python by clusters.scoring:

1. `load_periods(periods)` reads the score sheets, rules, members, scores and targets
   of one or more periods into `PeriodData` (one query per kind of row).
2. `PeriodData.unit_input(unit)` turns a member's AGREED scores into a
   `scoring.UnitInput`; `PeriodData.unit_result(unit)` adds them up.
3. `period_ranking(period)` and `province_year_rankings(province, year)` rank.

A locked period's ranking is computed once, when it is locked, and stored
(PeriodResult, written by score_services.period_results_store): from then on
`PeriodData.ranking()`, `unit_result()` and `rules` read the stored result, so that the
official result does not move when the province edits its rules later, and callers
that need only the ranking (`ranking_only=True`) do not read that period's scores.

How the agreed scores become a UnitInput:

- Points of base, bonus and penalty criteria are taken as agreed. A quantitative
  criterion that is excluded for the unit (no target and `no_target: excluded`) counts
  neither its points nor its maximum.
- A veto criterion applies when its agreed score has points above 0 or a value other
  than 0; the reason is the criterion's code and text.
- Covenant targets are met when every quantitative criterion for which the unit has a
  target reached it. The agreed grid records points, not actual values, so a target
  counts as reached when the agreed score's value reaches it (if a value was recorded),
  or else when its points are ones that only a reached target earns: full marks in
  proportional mode, at least half the maximum in leader mode (see
  scoring._quantitative). A target with no agreed score is not reached.
- Without a RuleSet for the province and year the defaults below apply; an empty list
  of bands or tie-breaks in a RuleSet also means the defaults.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from . import scoring, text
from .criteria import depth_first
from .models import (
    ClusterYear,
    Covenant,
    Criterion,
    Membership,
    Period,
    Province,
    RuleSet,
    Score,
    ScoreSheet,
    Target,
    Unit,
)
from .models.scoring import PeriodResult
from .period_results import StoredResult, result_from_json
from .score_services import period_dates

Stage = Score.Stage
Kind = Criterion.Kind

# The labels official documents print, as a province's RuleSet stores them.
DEFAULT_BANDS = (("Xuất sắc", 95), ("Tốt", 85), ("Khá", 70), ("Trung bình", 50))
DEFAULT_ELIGIBILITY_MIN_PERCENT = Decimal(90)
DEFAULT_TIE_BREAKS = ("core_group", "fewer_penalty", "more_bonus", "women_majority")


@dataclass
class PeriodData:
    """What one period's grid and ranking are computed from."""

    period: Period
    sheet: ScoreSheet | None
    # The whole tree, depth first in sheet order: a group, then its criteria.
    criteria: list[Criterion]
    # Members during the period, in Vietnamese order of their name in the period.
    members: list[Unit]
    names: dict[int, str]
    women_majority: set[int]
    # (unit id, criterion id, stage) → score.
    scores: dict[tuple[int, int, str], Score]
    # (unit id, criterion id) → the covenant target (None when the row has none).
    targets: dict[tuple[int, int], Decimal | None]
    ruleset: RuleSet | None = None
    # The top-level criterion (usually a group) above each criterion, by criterion id.
    top_level: dict[int, Criterion] = field(default_factory=dict)
    # The result stored when the period was locked; it overrides the computation.
    stored: StoredResult | None = None

    @property
    def scorable(self) -> list[Criterion]:
        """The criteria that take a score: every one but the groups, in sheet order."""
        return [c for c in self.criteria if c.kind != Kind.GROUP]

    @property
    def top_criteria(self) -> list[Criterion]:
        """The criteria whose totals the ranking shows per unit (scoring's group_totals)."""
        return [
            c
            for c in self.criteria
            if c.parent_id is None and (c.kind == Kind.GROUP or c.kind in scoring.BASE_KINDS)
        ]

    @cached_property
    def specs(self) -> list[scoring.CriterionSpec]:
        """The sheet as scoring reads it; raises ScoreError when a criterion is misconfigured."""
        by_id = {c.pk: c for c in self.criteria}
        return [
            scoring.CriterionSpec(
                code=c.code,
                kind=c.kind,
                max_points=c.max_points,
                group=by_id[c.parent_id].code if c.parent_id else None,
                params=c.params or {},
                text=c.text,
            )
            for c in self.criteria
        ]

    @cached_property
    def rules(self) -> scoring.Rules:
        """The rules the stored result was ranked under, else the province's rules for the
        year, or the defaults; raises ScoreError if invalid."""
        if self.stored is not None:
            return self.stored.rules
        return rules_for(self.ruleset, self.criteria, self.sheet)

    def score(self, unit_id: int, criterion_id: int, stage: str = Stage.AGREED) -> Score | None:
        return self.scores.get((unit_id, criterion_id, stage))

    def unit_input(self, unit: Unit) -> scoring.UnitInput:
        specs = {spec.code: spec for spec in self.specs}
        targets_by_code = {}
        for criterion in self.criteria:
            target = self.targets.get((unit.pk, criterion.pk))
            if target is not None:
                targets_by_code[criterion.code] = target
        points: dict[str, Decimal] = {}
        vetoes = []
        targets_met = True
        for criterion in self.scorable:
            spec = specs[criterion.code]
            score = self.score(unit.pk, criterion.pk)
            target = targets_by_code.get(criterion.code)
            if criterion.kind == Kind.VETO:
                if score and ((score.points or 0) > 0 or (score.value or 0) != 0):
                    vetoes.append(scoring.veto_reason(spec, True))
                continue
            if criterion.kind == Kind.QUANTITATIVE and target is not None:
                targets_met = targets_met and _target_reached(spec, score, target)
            if scoring.criterion_excluded(spec, target=target):
                continue
            if score and score.points is not None:
                points[criterion.code] = score.points
        return scoring.UnitInput(
            key=unit.pk,
            name=self.names[unit.pk],
            points=points,
            vetoes=tuple(vetoes),
            targets_met=targets_met,
            women_majority=unit.pk in self.women_majority,
            excluded_max=scoring.excluded_max(self.specs, targets_by_code),
        )

    def unit_result(self, unit: Unit) -> scoring.UnitResult:
        """The unit's totals (as stored, in a locked period that has them); raises
        ScoreError when a score or the sheet cannot be used."""
        if self.stored is not None and unit.pk in self.stored.results:
            return self.stored.results[unit.pk]
        return scoring.unit_result(self.specs, self.unit_input(unit), self.rules)

    def ranking(self) -> list[scoring.RankedRow]:
        if self.stored is not None:
            return self.stored.ranking()
        if not self.members or not self.scorable:
            return []
        results = [self.unit_result(unit) for unit in self.members]
        return scoring.rank_units(results, self.rules)


def _target_reached(spec: scoring.CriterionSpec, score: Score | None, target: Decimal) -> bool:
    if score is None:
        return False
    if score.value is not None:
        return bool(scoring.target_met(spec, score.value, target))
    if score.points is None:
        return False
    if spec.params["mode"] == scoring.LEADER:
        return score.points * 2 >= spec.max_points
    return score.points >= spec.max_points


def rules_for(
    ruleset: RuleSet | None, criteria: Sequence[Criterion], sheet: ScoreSheet | None
) -> scoring.Rules:
    groups = [c.code for c in criteria if c.parent_id is None and c.kind == Kind.GROUP]
    scale = sheet.scale if sheet is not None else Decimal(0)
    if scale <= 0:
        # A sheet saved without its scale is measured against its own maxima.
        scale = sum(
            (
                c.max_points
                for c in criteria
                if c.parent_id is None and (c.kind == Kind.GROUP or c.kind in scoring.BASE_KINDS)
            ),
            Decimal(0),
        ) or Decimal(1)
    bands = (ruleset.bands if ruleset else None) or DEFAULT_BANDS
    tie_breaks = (ruleset.tie_breaks if ruleset else None) or DEFAULT_TIE_BREAKS
    core_group = (ruleset.core_group if ruleset else "") or (groups[0] if groups else "")
    if not core_group:
        # A sheet without groups has no core group to compare.
        tie_breaks = [t for t in tie_breaks if t != "core_group"]
    return scoring.Rules(
        scale=scale,
        bands=tuple((label, minimum) for label, minimum in bands),
        eligibility_min_percent=(
            ruleset.eligibility_min_percent if ruleset else DEFAULT_ELIGIBILITY_MIN_PERCENT
        ),
        tie_breaks=tuple(tie_breaks),
        core_group=core_group,
        bonus_cap=ruleset.bonus_cap if ruleset else Decimal(0),
    )


def _tree_order(criteria: Iterable[Criterion]) -> tuple[list[Criterion], dict[int, Criterion]]:
    """Criteria depth first (each group followed by its criteria) and their top-level one."""
    walked = depth_first(criteria)
    return [c for c, _depth, _top in walked], {c.pk: top for c, _depth, top in walked}


def _member_during(membership: Membership, first: datetime.date, last: datetime.date) -> bool:
    # The same rule as score_services.members_during, applied to rows already read.
    return (membership.valid_from is None or membership.valid_from <= last) and (
        membership.valid_to is None or membership.valid_to >= first
    )


def covenant_of(period: Period) -> Covenant | None:
    term = period.cluster_year
    return term.covenant if hasattr(term, "covenant") else None


def load_periods(
    periods: Sequence[Period],
    *,
    stages: Iterable[str] = (Stage.AGREED,),
    unit_ids: Iterable[int] | None = None,
    stored: bool = True,
    ranking_only: bool = False,
) -> list[PeriodData]:
    """The data of each period, in the same order, in seven queries for any number
    (eight when a period is locked and its result was not select_related).

    Pass periods fetched with `select_related("cluster_year__cluster",
    "cluster_year__covenant__sheet")`, or each period costs two more queries, and with
    `select_related("result")`, or the stored results take one more.
    `unit_ids` limits the members, scores and targets read (the totals of one unit).
    A locked period with a stored result is ranked from it, unless `stored` is False;
    with `ranking_only` its members, scores and targets are not even read (`members`,
    `names`, `scores` and `targets` may then be empty: for pages that show the ranking
    only, whose rows carry the units' names).
    """
    results = stored_results(periods) if stored else {}
    # The periods whose scores and targets are read.
    read = [p for p in periods if not (ranking_only and p.pk in results)]
    covenants = {p.pk: covenant_of(p) for p in periods}
    sheet_ids = {c.sheet_id for c in covenants.values() if c is not None}
    criteria_by_sheet: dict[int, list[Criterion]] = {}
    if sheet_ids:
        for criterion in Criterion.objects.filter(sheet_id__in=sheet_ids).order_by(
            "position", "pk"
        ):
            criteria_by_sheet.setdefault(criterion.sheet_id, []).append(criterion)

    province_ids = {p.cluster_year.cluster.province_id for p in periods}
    years = {p.cluster_year.year for p in periods}
    rulesets = {
        (r.province_id, r.year): r
        for r in RuleSet.objects.filter(province_id__in=province_ids, year__in=years)
    }

    term_ids = {p.cluster_year_id for p in read}
    memberships = Membership.objects.filter(cluster_year_id__in=term_ids).select_related("unit")
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=list(unit_ids))
    # Units are listed under the name they bore in the period.
    memberships = list(memberships.prefetch_related("unit__names"))
    memberships_by_term: dict[int, list[Membership]] = {}
    for membership in memberships:
        memberships_by_term.setdefault(membership.cluster_year_id, []).append(membership)

    scores_by_period: dict[int, dict] = {p.pk: {} for p in periods}
    scores = Score.objects.filter(period__in=[p.pk for p in read], stage__in=list(stages))
    if unit_ids is not None:
        scores = scores.filter(unit_id__in=list(unit_ids))
    for score in scores:
        scores_by_period[score.period_id][(score.unit_id, score.criterion_id, score.stage)] = score

    targets_by_covenant: dict[int, dict] = {}
    covenant_ids = list({covenants[p.pk].pk for p in read if covenants[p.pk] is not None})
    if covenant_ids:
        targets = Target.objects.filter(covenant_id__in=covenant_ids)
        if unit_ids is not None:
            targets = targets.filter(unit_id__in=list(unit_ids))
        for covenant_id, unit_id, criterion_id, target in targets.values_list(
            "covenant_id", "unit_id", "criterion_id", "target"
        ):
            targets_by_covenant.setdefault(covenant_id, {})[(unit_id, criterion_id)] = target

    result = []
    for period in periods:
        covenant = covenants[period.pk]
        criteria, top_level = _tree_order(
            criteria_by_sheet.get(covenant.sheet_id, []) if covenant else []
        )
        first, last = period_dates(period)
        units: dict[int, Unit] = {}
        women_majority = set()
        for membership in memberships_by_term.get(period.cluster_year_id, []):
            if _member_during(membership, first, last):
                units[membership.unit_id] = membership.unit
                if membership.women_majority:
                    women_majority.add(membership.unit_id)
        names = {pk: unit.name_on(last) for pk, unit in units.items()}
        members = sorted(units.values(), key=lambda u: (text.sort_key(names[u.pk]), u.pk))
        result.append(
            PeriodData(
                period=period,
                sheet=covenant.sheet if covenant else None,
                criteria=criteria,
                members=members,
                names=names,
                women_majority=women_majority,
                scores=scores_by_period[period.pk],
                targets=targets_by_covenant.get(covenant.pk, {}) if covenant else {},
                ruleset=rulesets.get(
                    (period.cluster_year.cluster.province_id, period.cluster_year.year)
                ),
                top_level=top_level,
                stored=results.get(period.pk),
            )
        )
    return result


def load_period(period: Period, **kwargs) -> PeriodData:
    return load_periods([period], **kwargs)[0]


def period_ranking(period: Period) -> list[scoring.RankedRow]:
    """The members ranked on their agreed scores; raises ScoreError when the sheet, the
    rules or a stored score cannot be used."""
    return load_period(period, ranking_only=True).ranking()


# --- The results stored when a period is locked -------------------------------------


def stored_results(periods: Iterable[Period]) -> dict[int, StoredResult]:
    """The stored results of the locked periods among `periods`, by period id: from
    `period.result` where the periods were fetched with select_related("result"), else
    in one query (none when no period is locked)."""
    found: dict[int, StoredResult] = {}
    missing = []
    for period in periods:
        if period.state != Period.State.LOCKED:
            continue
        if not Period.result.is_cached(period):
            missing.append(period.pk)
        elif (result := getattr(period, "result", None)) is not None:
            found[period.pk] = _read(result)
    if missing:
        for result in PeriodResult.objects.filter(period_id__in=missing):
            found[result.period_id] = _read(result)
    return found


def _read(result: PeriodResult) -> StoredResult:
    # Kept on the instance: a page may hand the same periods to load_periods again.
    if not hasattr(result, "_stored"):
        data = {"rules": result.rules, "rows": result.rows, "language": result.language}
        result._stored = result_from_json(data)
    return result._stored


@dataclass
class ClusterRanking:
    """One cluster's ranking in a year: of its annual period, or else its six-month one."""

    cluster_year: ClusterYear
    period: Period | None
    data: PeriodData | None
    rows: list[scoring.RankedRow]
    # Why there is no ranking (translated), when there is none.
    error: str = ""

    @property
    def leaders(self) -> list[scoring.RankedRow]:
        return [row for row in self.rows if row.rank == 1]


def province_year_rankings(province: Province, year: int) -> list[ClusterRanking]:
    """Every cluster and bloc of the province with a term in `year`, each ranked, in ten
    queries whatever the number of clusters, members and criteria."""
    terms = list(
        ClusterYear.objects.filter(cluster__province=province, year=year)
        .select_related("cluster", "covenant__sheet")
        .order_by("cluster__sort_key", "cluster__pk")
    )
    periods_by_term: dict[int, Period] = {}
    # "annual" sorts before "six_month", so a term's annual period is the one kept.
    periods = (
        Period.objects.filter(cluster_year__in=terms)
        .select_related("result")
        .order_by("cluster_year_id", "kind")
    )
    terms_by_id = {term.pk: term for term in terms}
    for period in periods:
        # Reuse the terms already read, with their cluster and covenant.
        period.cluster_year = terms_by_id[period.cluster_year_id]
        periods_by_term.setdefault(period.cluster_year_id, period)
    chosen = list(periods_by_term.values())
    data_by_period = {data.period.pk: data for data in load_periods(chosen, ranking_only=True)}

    rankings = []
    for term in terms:
        period = periods_by_term.get(term.pk)
        if period is None:
            rankings.append(
                ClusterRanking(term, None, None, [], _("No scoring period has been opened."))
            )
            continue
        data = data_by_period[period.pk]
        if data.sheet is None:
            rankings.append(
                ClusterRanking(term, period, data, [], _("The covenant has no score sheet yet."))
            )
            continue
        try:
            rows = data.ranking()
        except scoring.ScoreError as e:
            rankings.append(ClusterRanking(term, period, data, [], e.message))
            continue
        rankings.append(ClusterRanking(term, period, data, rows))
    return rankings
