"""What the home page shows each user for a year.

- Provincial staff and leaders: every cluster and bloc with the six steps of its year
  (clusters.progress), the deadlines coming and missed, the leading units so far
  (clusters.ranking) and, for staff, what waits for the province.
- A cluster head or secretary: the same for their own terms, and their pending steps.
- A member unit's officer: the unit's totals and rank in each period of its clusters,
  and what the unit still has to hand in.

Deadlines and actions are derived from the progress rows by pure functions; the reads
cost a fixed number of queries whatever the number of clusters and members. The
province's leading units are the expensive part (every agreed score of the year), so
the dashboard loads them in a second request (`views.dashboard.leaders`).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import ranking, scoring
from .models import (
    AwardRecipient,
    ClusterYear,
    CrossAssignment,
    Membership,
    Period,
    Proposal,
    ProposalItem,
    RuleSet,
    Score,
    Submission,
    Unit,
)
from .progress import STEPS, Step, TermProgress
from .score_services import EDITABLE_STATES

# The dashboard lists deadlines up to this many days ahead.
DEADLINE_WINDOW_DAYS = 30
STEP_LABELS = dict(STEPS)
STEP_ORDER = {key: index for index, (key, _label) in enumerate(STEPS)}
# What a cluster does for each of its steps; the award decision is the province's.
CLUSTER_STEPS = {
    "covenant": _("Sign the covenant"),
    "six_month": _("Hold the six-month review"),
    "scores": _("Agree the annual scores"),
    "ballot": _("Hold the award ballot"),
    "proposal": _("Submit the proposal"),
}
FINAL_STATES = {Period.State.AGREED, Period.State.LOCKED}


# --- Deadlines (pure) --------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    row: TermProgress
    step: Step
    missed: bool

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step.key]


@dataclass
class DeadlineGroup:
    """One step and deadline, with the clusters that have not done it."""

    key: str
    label: str
    deadline: datetime.date
    missed: bool
    rows: list[TermProgress] = field(default_factory=list)


def deadlines(
    rows: Iterable[TermProgress], today: datetime.date, within_days: int
) -> list[Deadline]:
    """Steps not done whose deadline passed (missed) or comes within `within_days` of
    `today`, earliest deadline first; a deadline of today is still coming."""
    horizon = today + datetime.timedelta(days=within_days)
    found = []
    for row in rows:
        for step in row.steps:
            if step.done or step.deadline is None:
                continue
            missed = step.deadline < today
            if missed or step.deadline <= horizon:
                found.append(Deadline(row, step, missed))
    # Within a day, steps in the order of the year; the rows keep the progress order.
    return sorted(found, key=lambda d: (d.step.deadline, STEP_ORDER[d.step.key]))


def group_deadlines(items: Iterable[Deadline]) -> list[DeadlineGroup]:
    """The deadlines by step and date, in the order given, each with its clusters."""
    groups: dict[tuple, DeadlineGroup] = {}
    for item in items:
        key = (item.missed, item.step.key, item.step.deadline)
        if key not in groups:
            groups[key] = DeadlineGroup(item.step.key, item.label, item.step.deadline, item.missed)
        groups[key].rows.append(item.row)
    return list(groups.values())


# --- What waits for the user -------------------------------------------------------


@dataclass
class Action:
    """Something a user should do, on one cluster's term."""

    label: str
    term: ClusterYear
    url: str
    deadline: datetime.date | None = None
    # The step of the year it does, for a cluster's pending steps.
    step: str = ""
    # "missed" when its deadline passed, "returned" for a returned proposal, else "".
    status: str = ""
    note: str = ""


@dataclass
class ActionGroup:
    key: str
    label: str
    actions: list[Action] = field(default_factory=list)


def step_url(row: TermProgress, key: str) -> str:
    """Where a cluster does the step `key` of its term."""
    term = row.term
    if key == "covenant":
        return reverse("clusters:covenant_detail", args=[term.pk])
    if key == "scores" and row.annual_period_id:
        return reverse("clusters:agreed_grid", args=[row.annual_period_id])
    if key in ("six_month", "ballot", "scores"):
        return reverse("clusters:meeting_list", args=[term.pk])
    if key == "proposal":
        if row.proposal_id:
            return reverse("clusters:proposal_detail", args=[row.proposal_id])
        return reverse("clusters:proposal_create", args=[term.pk])
    return reverse("clusters:decision_list", args=[term.year])


def agreed_periods(term_ids: Sequence[int]) -> dict[int, list[Period]]:
    """Periods whose scores are agreed but not locked yet, by term, in one query."""
    result: dict[int, list[Period]] = {}
    for period in Period.objects.filter(
        cluster_year_id__in=term_ids, state=Period.State.AGREED
    ).order_by("cluster_year_id", "kind"):
        result.setdefault(period.cluster_year_id, []).append(period)
    return result


def unawarded_items(term_ids: Sequence[int]) -> dict[int, int]:
    """Accepted (or reduced) items of processed proposals that no decision awards yet,
    counted by term, in one query."""
    awarded = AwardRecipient.objects.filter(proposal_item=OuterRef("pk"))
    return dict(
        ProposalItem.objects.filter(
            proposal__cluster_year_id__in=term_ids,
            proposal__state=Proposal.State.PROCESSED,
            appraisal__in=[ProposalItem.Appraisal.ACCEPTED, ProposalItem.Appraisal.REDUCED],
        )
        .exclude(Exists(awarded))
        .values_list("proposal__cluster_year_id")
        .annotate(count=Count("pk"))
        .order_by()
    )


def staff_actions(
    rows: Sequence[TermProgress],
    agreed: dict[int, list[Period]],
    unawarded: dict[int, int],
) -> list[ActionGroup]:
    """What waits for provincial staff: proposals to appraise, agreed periods to lock and
    accepted items to award; groups without actions are left out."""
    appraise = ActionGroup("appraise", _("Proposals waiting for appraisal"))
    lock = ActionGroup("lock", _("Agreed scores waiting to be locked"))
    award = ActionGroup("award", _("Accepted items waiting for a decision"))
    for row in rows:
        term = row.term
        if row.proposal_state == Proposal.State.SUBMITTED:
            url = reverse("clusters:appraisal_detail", args=[row.proposal_id])
            appraise.actions.append(Action(str(appraise.label), term, url))
        for period in agreed.get(term.pk, []):
            url = reverse("clusters:period_detail", args=[period.pk])
            lock.actions.append(Action(str(lock.label), term, url, note=period.get_kind_display()))
        if unawarded.get(term.pk):
            url = reverse("clusters:decision_create", args=[term.year])
            count = unawarded[term.pk]
            note = ngettext("%(count)s item", "%(count)s items", count) % {"count": count}
            award.actions.append(Action(str(award.label), term, url, note=note))
    return [group for group in (appraise, lock, award) if group.actions]


def cluster_actions(
    rows: Sequence[TermProgress], agreed: dict[int, list[Period]]
) -> list[ActionGroup]:
    """What waits for a cluster's head or secretary: a returned proposal first, then the
    steps of the year not done yet (decision aside), and agreed periods to lock."""
    returned = ActionGroup("returned", _("Proposal returned for completion"))
    steps = ActionGroup("steps", _("Steps still to do"))
    lock = ActionGroup("lock", _("Agreed scores waiting to be locked"))
    for row in rows:
        if row.proposal_state == Proposal.State.RETURNED:
            returned.actions.append(
                Action(
                    str(_("Complete the proposal and submit it again")),
                    row.term,
                    step_url(row, "proposal"),
                    status="returned",
                )
            )
        for step in row.steps:
            if step.done or step.key not in CLUSTER_STEPS:
                continue
            if step.key == "proposal" and row.proposal_state == Proposal.State.RETURNED:
                continue
            steps.actions.append(
                Action(
                    str(CLUSTER_STEPS[step.key]),
                    row.term,
                    step_url(row, step.key),
                    deadline=step.deadline,
                    step=step.key,
                    status="missed" if step.status == "missed" else "",
                )
            )
        for period in agreed.get(row.term.pk, []):
            lock.actions.append(
                Action(
                    str(lock.label),
                    row.term,
                    reverse("clusters:period_detail", args=[period.pk]),
                    note=period.get_kind_display(),
                )
            )
    return [group for group in (returned, steps, lock) if group.actions]


def action_count(groups: Iterable[ActionGroup]) -> int:
    return sum(len(group.actions) for group in groups)


# --- Leading units -----------------------------------------------------------------


@dataclass
class Leader:
    """The first-ranked unit(s) of a term so far, on the period its ranking is taken from."""

    period: Period
    rows: list[scoring.RankedRow]

    @property
    def provisional(self) -> bool:
        return self.period.state not in FINAL_STATES

    @property
    def tied(self) -> bool:
        return len(self.rows) > 1

    @property
    def final(self):
        return self.rows[0].result.final


def leader_of(cluster_ranking: ranking.ClusterRanking) -> Leader | None:
    """Who leads the term's ranking; None when it has no ranking or nobody has an agreed
    point yet (everyone would share the first rank at zero)."""
    leaders = cluster_ranking.leaders
    if cluster_ranking.error or not leaders or not any(r.result.final for r in leaders):
        return None
    return Leader(cluster_ranking.period, leaders)


def term_rankings(terms: Sequence[ClusterYear]) -> list[ranking.ClusterRanking]:
    """The rankings of a few terms (a head's own), each on its annual period or else its
    six-month one as ranking.province_year_rankings chooses, in a fixed number of
    queries. Terms whose sheet or scores cannot be ranked are left out."""
    periods: dict[int, Period] = {}
    by_id = {term.pk: term for term in terms}
    # "annual" sorts before "six_month": the first period of each term is the one kept.
    for period in Period.objects.filter(cluster_year__in=list(by_id)).order_by(
        "cluster_year_id", "kind"
    ):
        period.cluster_year = by_id[period.cluster_year_id]
        periods.setdefault(period.cluster_year_id, period)
    result = []
    for data in ranking.load_periods(list(periods.values())):
        if data.sheet is None:
            continue
        try:
            rows = data.ranking()
        except scoring.ScoreError:
            continue
        result.append(ranking.ClusterRanking(data.period.cluster_year, data.period, data, rows))
    return result


def leaders_by_term(rankings: Iterable[ranking.ClusterRanking]) -> dict[int, Leader]:
    result = {}
    for cluster_ranking in rankings:
        leader = leader_of(cluster_ranking)
        if leader is not None:
            result[cluster_ranking.cluster_year.pk] = leader
    return result


# --- A member unit -----------------------------------------------------------------


@dataclass
class UnitPeriod:
    """One period of a unit's cluster: the unit's totals and rank among the members."""

    period: Period
    unit: Unit
    # The unit's name at the end of the period.
    name: str
    members: int
    data: ranking.PeriodData
    row: scoring.RankedRow | None = None
    error: str = ""
    self_submitted: bool = False
    has_agreed_scores: bool = False

    @property
    def provisional(self) -> bool:
        return self.period.state not in FINAL_STATES

    @property
    def editable(self) -> bool:
        return self.period.state in EDITABLE_STATES

    @property
    def groups(self) -> list[tuple[str, object]]:
        """(code, base points) of each top-level criterion of the sheet, for the unit."""
        totals = self.row.result.group_totals if self.row else {}
        return [(c.code, totals.get(c.code)) for c in self.data.top_criteria]


@dataclass
class UnitDue:
    label: str
    url: str
    deadline: datetime.date | None = None
    missed: bool = False
    note: str = ""


@dataclass
class UnitOverview:
    unit: Unit
    term: ClusterYear
    periods: list[UnitPeriod]
    due: list[UnitDue]


def unit_overview(unit_ids: Iterable[int], year: int, today: datetime.date) -> list[UnitOverview]:
    """For each unit and each of its clusters in `year`: its totals and rank in every
    period (ranked among all members, as the ranking page does), and the self-scoring
    and cross-scoring it has not handed in while a period is open. A dozen queries,
    whatever the size of the clusters."""
    unit_ids = set(unit_ids)
    memberships = list(
        Membership.objects.filter(cluster_year__year=year, unit_id__in=unit_ids)
        .select_related("unit", "cluster_year__cluster", "cluster_year__covenant__sheet")
        .order_by("cluster_year__cluster__kind", "cluster_year__cluster__sort_key", "unit_id", "pk")
    )
    terms = {m.cluster_year_id: m.cluster_year for m in memberships}
    periods = list(
        Period.objects.filter(cluster_year__in=list(terms)).order_by("cluster_year_id", "kind")
    )
    for period in periods:
        period.cluster_year = terms[period.cluster_year_id]
    data_by_period = {data.period.pk: data for data in ranking.load_periods(periods)}
    self_submitted = set(
        Submission.objects.filter(
            period__in=periods, unit_id__in=unit_ids, stage=Score.Stage.SELF
        ).values_list("period_id", "unit_id")
    )
    # The cross-scoring the units owe their peers, with whether it was handed in.
    cross = list(
        CrossAssignment.objects.filter(period__in=periods, scorer_id__in=unit_ids)
        .annotate(
            handed_in=Exists(
                Submission.objects.filter(
                    period=OuterRef("period"), unit=OuterRef("scored"), stage=Score.Stage.CROSS
                )
            )
        )
        .order_by("pk")
    )
    deadlines = dict(
        RuleSet.objects.filter(
            year=year, province_id__in={t.cluster.province_id for t in terms.values()}
        ).values_list("province_id", "self_score_deadline")
    )

    overviews, seen = [], set()
    for membership in memberships:
        # A unit that left and rejoined within the year has two memberships.
        if (membership.cluster_year_id, membership.unit_id) in seen:
            continue
        seen.add((membership.cluster_year_id, membership.unit_id))
        term, unit = membership.cluster_year, membership.unit_id
        self_deadline = deadlines.get(term.cluster.province_id)
        overview = UnitOverview(membership.unit, term, [], [])
        for period in sorted(
            (p for p in periods if p.cluster_year_id == term.pk),
            key=lambda p: Period.Kind.values.index(p.kind),
        ):
            item = _unit_period(data_by_period[period.pk], unit)
            if item is None:
                continue
            item.self_submitted = (period.pk, unit) in self_submitted
            overview.periods.append(item)
            if not item.editable or item.data.sheet is None:
                continue
            if not item.self_submitted:
                overview.due.append(
                    UnitDue(
                        str(_("Self-scoring")),
                        reverse("clusters:self_score", args=[period.pk, unit]),
                        self_deadline,
                        bool(self_deadline and self_deadline < today),
                        note=period.get_kind_display(),
                    )
                )
            for assignment in cross:
                if assignment.period_id == period.pk and assignment.scorer_id == unit:
                    if assignment.handed_in:
                        continue
                    scored = item.data.names.get(assignment.scored_id, "")
                    overview.due.append(
                        UnitDue(
                            str(_("Cross-scoring of %(unit)s") % {"unit": scored}),
                            reverse("clusters:cross_score", args=[period.pk, assignment.scored_id]),
                            note=period.get_kind_display(),
                        )
                    )
        overviews.append(overview)
    return overviews


def _unit_period(data: ranking.PeriodData, unit_id: int) -> "UnitPeriod | None":
    """The unit's totals and rank in one period; None if it was no member during it."""
    unit = next((u for u in data.members if u.pk == unit_id), None)
    if unit is None:
        return None
    item = UnitPeriod(data.period, unit, data.names[unit_id], len(data.members), data)
    item.has_agreed_scores = any(key[0] == unit_id for key in data.scores)
    if data.sheet is None:
        item.error = str(_("The covenant has no score sheet yet."))
        return item
    try:
        rows = data.ranking()
    except scoring.ScoreError as e:
        item.error = e.message
    else:
        item.row = next((r for r in rows if r.result.key == unit_id), None)
    return item
