"""Writes of scores and period states. Every rule a browser could bypass is checked here.

- A period accepts scores only while it is open or being scored; an agreed or locked
  period refuses every score, whatever the page sent.
- A score is for a member of the cluster during the period, on a criterion of the
  sheet the cluster's covenant adopted (not a group), within the criterion's range.
- Each stage (self, cross, appraisal, agreed) is its own row: one never overwrites
  another. `version` makes a stale write fail instead of silently replacing a
  colleague's value.
- Reopening a locked or agreed period needs provincial staff and a reason, which the
  period's history keeps.
- Locking a period stores its ranking (PeriodResult), which the pages read from then on;
  reopening it deletes the stored ranking.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Criterion, Membership, Period, Score, Unit
from .models.scoring import PeriodResult
from .period_results import result_to_json
from .scoring import ScoreError
from .services import ClusterError

State = Period.State
Stage = Score.Stage

EDITABLE_STATES = {State.OPEN, State.SCORING}
# Forward moves anyone who runs the cluster may make; backward moves are reopenings.
FORWARD = {
    State.OPEN: State.SCORING,
    State.SCORING: State.AGREED,
    State.AGREED: State.LOCKED,
}


class ScoreConflict(ClusterError):
    """Someone saved this cell since the editor loaded it; `current` is their score."""

    def __init__(self, current: Score):
        super().__init__(
            _("Someone else changed this score meanwhile; the current value is shown.")
        )
        self.current = current


def period_dates(period: Period) -> tuple[datetime.date, datetime.date]:
    """First and last day a period covers: January–June for six months, else the year."""
    year = period.cluster_year.year
    last = datetime.date(year, 6, 30) if period.kind == Period.Kind.SIX_MONTH else None
    return datetime.date(year, 1, 1), last or datetime.date(year, 12, 31)


def members_during(period: Period):
    """Units that are members of the period's cluster year on at least one of its days."""
    first, last = period_dates(period)
    memberships = Membership.objects.filter(cluster_year_id=period.cluster_year_id).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=last),
        Q(valid_to__isnull=True) | Q(valid_to__gte=first),
    )
    return Unit.objects.filter(pk__in=memberships.values("unit_id")).order_by("sort_key", "pk")


def check_period_editable(period: Period) -> None:
    if period.state not in EDITABLE_STATES:
        raise ClusterError(
            _("The period is %(state)s: scores can no longer be changed.")
            % {"state": period.get_state_display().lower()}
        )


def check_points_in_range(criterion: Criterion, points: Decimal) -> None:
    if points < 0 or (criterion.max_points and points > criterion.max_points):
        raise ClusterError(
            _("The score must be between 0 and %(max)s.")
            % {"max": f"{criterion.max_points.normalize():f}".replace(".", ",")}
        )


@transaction.atomic
def score_save(
    *,
    period: Period,
    unit: Unit,
    criterion: Criterion,
    stage: str,
    points: Decimal | None,
    user,
    value: Decimal | None = None,
    note: str = "",
    expected_version: int = 0,
) -> Score:
    """Save one stage of one unit's score on one criterion.

    `expected_version` is the version the editor saw (0 for an empty cell); if the row
    changed since, ScoreConflict carries the current row and nothing is written.
    `points=None` clears the cell.
    """
    period = Period.objects.select_for_update().select_related("cluster_year").get(pk=period.pk)
    check_period_editable(period)
    if criterion.kind == Criterion.Kind.GROUP:
        raise ClusterError(_("Groups are not scored; score their criteria."))
    covenant_sheet_id = (
        period.cluster_year.covenant.sheet_id if hasattr(period.cluster_year, "covenant") else None
    )
    if criterion.sheet_id != covenant_sheet_id:
        raise ClusterError(_("This criterion is not in the score sheet of the covenant."))
    if not members_during(period).filter(pk=unit.pk).exists():
        raise ClusterError(_("%(unit)s is not a member during this period.") % {"unit": unit})
    if points is not None:
        check_points_in_range(criterion, points)

    score = (
        Score.objects.select_for_update()
        .filter(period=period, unit=unit, criterion=criterion, stage=stage)
        .first()
    )
    current_version = score.version if score else 0
    if current_version != expected_version:
        raise ScoreConflict(score)
    if score is None:
        score = Score(period=period, unit=unit, criterion=criterion, stage=stage, version=0)
    score.points = points
    score.value = value
    score.note = note
    score.version += 1
    score.updated_by = user
    score._history_user = user
    score.save()
    return score


@transaction.atomic
def period_move(*, period: Period, to_state: str, user, staff: bool, reason: str = "") -> Period:
    """Move a period one step forward, or back (reopen) with a reason, staff only."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if FORWARD.get(period.state) == to_state:
        pass
    elif list(State.values).index(to_state) < list(State.values).index(period.state):
        if not staff:
            raise ClusterError(_("Only provincial staff may reopen a period."))
        if not reason.strip():
            raise ClusterError(_("Give the reason for reopening the period."))
    else:
        raise ClusterError(
            _("A period cannot go from %(from)s to %(to)s.")
            % {"from": period.get_state_display(), "to": State(to_state).label}
        )
    was_locked = period.state == State.LOCKED
    period.state = to_state
    period._change_reason = reason.strip()
    period._history_user = user
    period.save(update_fields=["state"])
    if to_state == State.LOCKED:
        period_results_store([period])
    elif was_locked:
        PeriodResult.objects.filter(period=period).delete()
    return period


def period_results_store(periods) -> int:
    """Compute the ranking of each locked period among `periods` from its agreed scores
    and the rules in force, and store it, replacing what was stored; returns how many
    were stored. A period without a score sheet, or whose sheet, rules or scores cannot
    be ranked, gets no stored result: its pages keep computing (and explaining) it."""
    # clusters.ranking reads period_dates from this module, so it is imported here.
    from .ranking import load_periods

    periods = [p for p in periods if p.state == State.LOCKED]
    results = []
    for data in load_periods(periods, stored=False):
        if data.sheet is None:
            continue
        # The tie-break notes are kept in the site's language, the one most pages read.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                stored = result_to_json(
                    data.ranking(), data.rules, {unit_id for unit_id, _c, _s in data.scores}
                )
            except ScoreError:
                continue
        results.append(PeriodResult(period=data.period, **stored))
    PeriodResult.objects.filter(period__in=periods).delete()
    PeriodResult.objects.bulk_create(results)
    return len(results)


@transaction.atomic
def agreed_scores_apply(*, period: Period, changes, user) -> int:
    """Save the changed cells of an uploaded agreed grid, all of them or none.

    `changes` are (unit, criterion, points, value, version) with the version of the
    score the file was checked against. The rules of score_save apply to every cell,
    checked once for the whole upload rather than once per cell (a full 15 × 60 file
    would otherwise take seconds); a colleague's save in between raises ScoreConflict
    and rolls back the whole upload instead of being overwritten.
    """
    changes = list(changes)
    period = Period.objects.select_for_update().select_related("cluster_year").get(pk=period.pk)
    check_period_editable(period)
    covenant = getattr(period.cluster_year, "covenant", None)
    members = set(members_during(period).values_list("pk", flat=True))
    for unit, criterion, points, _value, _version in changes:
        if criterion.kind == Criterion.Kind.GROUP:
            raise ClusterError(_("Groups are not scored; score their criteria."))
        if covenant is None or criterion.sheet_id != covenant.sheet_id:
            raise ClusterError(_("This criterion is not in the score sheet of the covenant."))
        if unit.pk not in members:
            raise ClusterError(_("%(unit)s is not a member during this period.") % {"unit": unit})
        if points is not None:
            check_points_in_range(criterion, points)

    existing = {
        (score.unit_id, score.criterion_id): score
        for score in Score.objects.select_for_update().filter(
            period=period,
            stage=Stage.AGREED,
            unit_id__in={unit.pk for unit, *_rest in changes},
            criterion_id__in={criterion.pk for _unit, criterion, *_rest in changes},
        )
    }
    created, updated = [], []
    for unit, criterion, points, value, version in changes:
        score = existing.get((unit.pk, criterion.pk))
        if (score.version if score else 0) != version:
            raise ScoreConflict(score)
        if score is None:
            score = Score(period=period, unit=unit, criterion=criterion, stage=Stage.AGREED)
            score.version = 0
            created.append(score)
        else:
            updated.append(score)
        score.points, score.value, score.note = points, value, ""
        score.version += 1
        score.updated_by = user
    fields = ["points", "value", "note", "version", "updated_by", "updated_at"]
    now = timezone.now()
    for score in created + updated:
        score.updated_at = now
    bulk_create_with_history(created, Score, default_user=user)
    bulk_update_with_history(updated, Score, fields, default_user=user)
    return len(changes)
