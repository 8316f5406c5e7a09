"""The covenant of a cluster year, its periods, cross-scoring assignments, and the pages
where members self-score and cross-score their peers before the agreed grid.

Scores are drafts until the cluster agrees them: a unit's scores are read by staff,
leaders, the term's head and secretary and the unit's own officer, and its cross-scores
also by the officer of the unit assigned to score it. Writing needs the right to act
for the unit (its officer, or staff) and an open period.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import covenant_services, forms, ranking, score_services, scoring, selectors
from ..access import access_for
from ..criteria import depth_first, typed
from ..models import (
    Cluster,
    Covenant,
    Criterion,
    Evidence,
    Period,
    Score,
    Submission,
    Target,
    Unit,
)
from ..services import ClusterError
from .clusters import _get_clusteryear_for_user

Stage = Score.Stage
State = Period.State
Kind = Criterion.Kind

STATE_BADGES = {
    State.OPEN: "text-bg-secondary",
    State.SCORING: "text-bg-primary",
    State.AGREED: "text-bg-success",
    State.LOCKED: "text-bg-dark",
}


# --- Access ------------------------------------------------------------------------


def _get_period_for_user(request, pk: int, *, edit: bool = False) -> Period:
    """The period if the user may see its cluster; `edit` allows provincial staff and
    the term's head and secretary. The covenant and its sheet come with it."""
    access = access_for(request.user)
    period = get_object_or_404(
        Period.objects.select_related(
            "cluster_year__cluster__province", "cluster_year__covenant__sheet"
        ).order_by(),
        pk=pk,
    )
    # Checked here rather than in the query, which PostgreSQL plans in milliseconds.
    if not access.can_view_cluster(period.cluster_year.cluster):
        raise Http404
    if edit and not access.can_edit_cluster_year(period.cluster_year):
        raise PermissionDenied
    return period


def _get_evidence_for_user(request, pk: int) -> Evidence:
    """An evidence file, for anyone who may see the cluster it was attached in."""
    access = access_for(request.user)
    return get_object_or_404(
        Evidence.objects.filter(
            period__cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("unit"),
        pk=pk,
    )


def _get_period_member(period: Period, unit_pk: int) -> Unit:
    """A unit that is a member during the period; any other unit has no page here."""
    return get_object_or_404(score_services.members_during(period), pk=unit_pk)


def _may_read_scores(access, period: Period, unit_id: int) -> bool:
    term = period.cluster_year
    return (
        access.can_view_province(term.cluster.province_id)
        or term.pk in access.cluster_year_ids
        or unit_id in access.unit_ids
    )


def _url_or_none(name: str, *args) -> str | None:
    """The URL of a page another part of the app may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- Helpers -----------------------------------------------------------------------


def _covenant_of(term) -> Covenant | None:
    return Covenant.objects.filter(cluster_year=term).select_related("sheet").first()


def _term_members(term) -> list[Unit]:
    """Every unit that is a member at some time in the year, in Vietnamese order."""
    units = Unit.objects.filter(memberships__cluster_year=term).distinct()
    return list(units.order_by("sort_key", "pk"))


def _specs(criteria: list[Criterion]) -> dict[int, scoring.CriterionSpec | None]:
    """Each criterion as clusters.scoring computes with it; None if its parameters are invalid."""
    codes = {c.pk: c.code for c in criteria}
    specs = {}
    for criterion in criteria:
        try:
            specs[criterion.pk] = scoring.CriterionSpec(
                code=criterion.code,
                kind=criterion.kind,
                max_points=criterion.max_points,
                group=codes.get(criterion.parent_id),
                params=criterion.params or {},
                text=criterion.text,
            )
        except scoring.ScoreError:
            specs[criterion.pk] = None
    return specs


def _tree(criteria: list[Criterion]) -> list[tuple[Criterion, int]]:
    """The criteria depth-first in sheet order, each with its depth (0 at the top)."""
    return [(criterion, depth) for criterion, depth, _top in depth_first(criteria)]


def _rules(term, covenant: Covenant, criteria: list[Criterion]) -> scoring.Rules | None:
    """The province's rules as the ranking applies them, for a provisional total."""
    try:
        return ranking.rules_for(selectors.ruleset_for(term), criteria, covenant.sheet)
    except scoring.ScoreError:
        return None


def _total(criteria, specs, points_by_criterion: dict, rules) -> Decimal | None:
    """Base + bonus − penalty as the sheet adds them up (group maxima, the bonus cap).

    Provisional: the agreed grid is where the cluster settles the totals it ranks by.
    """
    if rules is None or not points_by_criterion or any(s is None for s in specs.values()):
        return None
    codes = {c.pk: c.code for c in criteria}
    unit = scoring.UnitInput(
        key=0,
        name="",
        points={codes[cid]: points for cid, points in points_by_criterion.items() if cid in codes},
    )
    try:
        return scoring.unit_result(list(specs.values()), unit, rules).final
    except scoring.ScoreError:
        return None


def _display(spec, score) -> str:
    """A stored value as the page shows it when it cannot be edited."""
    if score is None or score.value is None:
        return "–"
    value = score.value
    if spec is None:
        return typed(value)
    if spec.kind == scoring.Kind.VETO:
        return _("Applies") if value == 1 else _("Does not apply")
    if spec.kind == scoring.Kind.QUALITATIVE and not spec.params["partial"]:
        return _("Achieved") if value == 1 else _("Not achieved")
    if spec.kind == scoring.Kind.GRADED:
        grades = spec.params["grades"]
        index = int(value)
        return grades[index][0] if 0 <= index < len(grades) else typed(value)
    return typed(value)


def _value_hint(spec) -> str:
    """What the input of a criterion asks for."""
    if spec is None:
        return _("The criterion's parameters are invalid; ask the provincial staff.")
    hints = {
        scoring.Kind.QUANTITATIVE: _("Actual value"),
        scoring.Kind.QUALITATIVE: _("Achieved or not"),
        scoring.Kind.GRADED: _("Grade"),
        scoring.Kind.PER_ITEM: _("Number of items"),
        scoring.Kind.BONUS: _("Bonus points"),
        scoring.Kind.PENALTY: _("Penalty points"),
        scoring.Kind.VETO: _("Applies"),
    }
    if spec.kind == scoring.Kind.QUALITATIVE and spec.params["partial"]:
        return _("Points")
    if spec.kind in (scoring.Kind.BONUS, scoring.Kind.PENALTY) and spec.params.get(
        "points_per_item"
    ):
        return _("Number of items")
    return hints.get(spec.kind, "")


# --- Covenant ----------------------------------------------------------------------


def _target_cells(target: Target | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return typed(target.target), typed(target.registered)


def covenant_detail(request, pk):
    """The covenant of a cluster year: signing, signatories, score sheet, targets, periods."""
    term = _get_clusteryear_for_user(request, pk)
    access = access_for(request.user)
    covenant = _covenant_of(term)
    periods = sorted(term.periods.all(), key=lambda p: Period.Kind.values.index(p.kind))
    for period in periods:
        period.badge = STATE_BADGES[period.state]
    units, criteria, rows, history = [], [], [], []
    if covenant:
        units = _term_members(term)
        criteria = list(
            Criterion.objects.filter(sheet_id=covenant.sheet_id, kind=Kind.QUANTITATIVE)
        )
        targets = {(t.unit_id, t.criterion_id): t for t in covenant.targets.all()}
        rows = [
            (unit, [_target_cells(targets.get((unit.pk, c.pk))) for c in criteria])
            for unit in units
        ]
        history = selectors.history_entries(
            covenant.history.all(), hidden=frozenset({"cluster_year"})
        )
    return render(
        request,
        "clusters/covenant_detail.html",
        {
            "term": term,
            "cluster": term.cluster,
            "covenant": covenant,
            "sheet_url": covenant and _url_or_none("clusters:sheet_detail", covenant.sheet_id),
            "periods": periods,
            "criteria": criteria,
            "rows": rows,
            "history": history,
            "can_edit": access.can_edit_cluster_year(term),
        },
    )


def covenant_update(request, pk):
    term = _get_clusteryear_for_user(request, pk, edit=True)
    covenant = _covenant_of(term)
    form = forms.CovenantForm(request.POST or None, instance=covenant, cluster_year=term)
    if request.method == "POST" and form.is_valid():
        try:
            covenant_services.covenant_save(
                cluster_year=term,
                sheet=form.cleaned_data["sheet"],
                signed_on=form.cleaned_data["signed_on"],
                signatories=form.cleaned_data["signatories"],
                user=request.user,
            )
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The covenant was saved."))
            return redirect("clusters:covenant_detail", term.pk)
    return render(
        request,
        "clusters/covenant_form.html",
        {"form": form, "term": term, "cluster": term.cluster, "covenant": covenant},
    )


def covenant_targets(request, pk):
    """One table of members × quantitative criteria, saved in one transaction."""
    term = _get_clusteryear_for_user(request, pk, edit=True)
    covenant = _covenant_of(term)
    if covenant is None:
        messages.error(request, _("Adopt a score sheet in the covenant first."))
        return redirect("clusters:covenant_update", term.pk)
    units = _term_members(term)
    criteria = list(Criterion.objects.filter(sheet_id=covenant.sheet_id, kind=Kind.QUANTITATIVE))
    targets = {(t.unit_id, t.criterion_id): t for t in covenant.targets.all()}
    form = forms.TargetTableForm(
        request.POST or None, units=units, criteria=criteria, targets=targets
    )
    if request.method == "POST" and form.is_valid():
        try:
            covenant_services.targets_save(covenant=covenant, cells=form.cells(), user=request.user)
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The targets were saved."))
            return redirect("clusters:covenant_detail", term.pk)
    return render(
        request,
        "clusters/covenant_targets.html",
        {
            "form": form,
            "term": term,
            "cluster": term.cluster,
            "covenant": covenant,
            "criteria": criteria,
        },
    )


# --- Periods -----------------------------------------------------------------------


@dataclass
class MemberRow:
    unit: Unit
    self_submission: Submission | None
    cross_submission: Submission | None
    assignment: object
    may_read: bool
    may_read_cross: bool
    self_total: object = None
    cross_total: object = None


MOVE_LABELS = {
    State.SCORING: gettext_lazy("Start scoring"),
    State.AGREED: gettext_lazy("Mark the scores as agreed"),
    State.LOCKED: gettext_lazy("Lock the period"),
}


def period_detail(request, pk):
    """The period's state and history, each member's submissions and totals, the
    cross-scoring assignments and the actions the user may take."""
    period = _get_period_for_user(request, pk)
    access = access_for(request.user)
    term = period.cluster_year
    covenant = getattr(term, "covenant", None)
    members = list(score_services.members_during(period))
    submissions = {
        (s.unit_id, s.stage): s for s in period.submissions.select_related("submitted_by")
    }
    assignments = {a.scored_id: a for a in period.cross_assignments.select_related("scorer")}

    totals = {}
    if covenant is not None:
        criteria = list(Criterion.objects.filter(sheet_id=covenant.sheet_id))
        specs = _specs(criteria)
        rules = _rules(term, covenant, criteria)
        points = defaultdict(dict)
        scores = Score.objects.filter(
            period=period, stage__in=[Stage.SELF, Stage.CROSS], points__isnull=False
        ).values_list("unit_id", "stage", "criterion_id", "points")
        for unit_id, stage, criterion_id, value in scores:
            points[(unit_id, stage)][criterion_id] = value
        totals = {key: _total(criteria, specs, values, rules) for key, values in points.items()}

    rows = []
    for unit in members:
        assignment = assignments.get(unit.pk)
        may_read = _may_read_scores(access, period, unit.pk)
        may_read_cross = may_read or (
            assignment is not None and assignment.scorer_id in access.unit_ids
        )
        rows.append(
            MemberRow(
                unit=unit,
                self_submission=submissions.get((unit.pk, Stage.SELF)),
                cross_submission=submissions.get((unit.pk, Stage.CROSS)),
                assignment=assignment,
                may_read=may_read,
                may_read_cross=may_read_cross,
                self_total=totals.get((unit.pk, Stage.SELF)) if may_read else None,
                cross_total=totals.get((unit.pk, Stage.CROSS)) if may_read_cross else None,
            )
        )

    can_edit = access.can_edit_cluster_year(term)
    is_staff = access.can_manage_province(term.cluster.province_id)
    next_state = score_services.FORWARD.get(period.state)
    states = list(State.values)
    earlier = [
        (value, label)
        for value, label in State.choices
        if states.index(value) < states.index(period.state)
    ]
    history = period.history.select_related("history_user").order_by("-history_date", "-history_id")
    state_labels = dict(State.choices)
    return render(
        request,
        "clusters/period_detail.html",
        {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "covenant": covenant,
            "badge": STATE_BADGES[period.state],
            "rows": rows,
            "editable": period.state in score_services.EDITABLE_STATES,
            "can_edit": can_edit,
            "can_move": can_edit and next_state is not None,
            "next_state": next_state,
            "next_label": MOVE_LABELS.get(next_state, ""),
            "can_reopen": is_staff and bool(earlier),
            "earlier_states": earlier,
            "history": [
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "state": state_labels.get(record.state, record.state),
                    "badge": STATE_BADGES.get(record.state, "text-bg-light"),
                    "reason": record.history_change_reason or "",
                    "created": record.history_type == "+",
                }
                for record in history
            ],
            "grid_url": _url_or_none("clusters:agreed_grid", period.pk),
            "ranking_url": _url_or_none("clusters:ranking", period.pk),
        },
    )


@require_POST
def period_move(request, pk):
    """Move the period one step forward (head, secretary, staff) or reopen it (staff,
    with a reason kept in its history)."""
    period = _get_period_for_user(request, pk, edit=True)
    access = access_for(request.user)
    form = forms.PeriodMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new state of the period."))
        return redirect("clusters:period_detail", period.pk)
    try:
        moved = score_services.period_move(
            period=period,
            to_state=form.cleaned_data["to_state"],
            user=request.user,
            staff=access.can_manage_province(period.cluster_year.cluster.province_id),
            reason=form.cleaned_data["reason"],
        )
    except ClusterError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("The period is now: %(state)s.") % {"state": moved.get_state_display()}
        )
    return redirect("clusters:period_detail", period.pk)


def cross_assignments(request, pk):
    """Who cross-scores whom: one select per member, among the other members."""
    period = _get_period_for_user(request, pk, edit=True)
    members = list(score_services.members_during(period))
    current = dict(period.cross_assignments.values_list("scored_id", "scorer_id"))
    editable = period.state in score_services.EDITABLE_STATES
    form = forms.CrossAssignmentForm(request.POST or None, units=members, current=current)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The period is closed: assignments can no longer change."))
            return redirect("clusters:period_detail", period.pk)
        if form.is_valid():
            try:
                covenant_services.cross_assignments_save(
                    period=period, scorers=form.scorers(), user=request.user
                )
            except ClusterError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("The cross-scoring assignments were saved."))
                return redirect("clusters:period_detail", period.pk)
    return render(
        request,
        "clusters/cross_assignments.html",
        {
            "period": period,
            "term": period.cluster_year,
            "cluster": period.cluster_year.cluster,
            "form": form,
            "rows": [(unit, form[f"scorer-{unit.pk}"]) for unit in members],
            "editable": editable,
        },
    )


@require_POST
def cross_assign_ring(request, pk):
    """Each member scores the next one in Vietnamese order; the last scores the first."""
    period = _get_period_for_user(request, pk, edit=True)
    try:
        covenant_services.cross_assign_ring(period=period, user=request.user)
    except ClusterError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Each member now scores the next one in the list."))
    return redirect("clusters:period_detail", period.pk)
