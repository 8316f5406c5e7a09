"""The covenant of a cluster year, its periods, cross-scoring assignments, and the pages
where members self-score and cross-score their peers before the agreed grid.

Scores are drafts until the cluster agrees them: a unit's scores are read by staff,
leaders, the term's head and secretary and the unit's own officer, and its cross-scores
also by the officer of the unit assigned to score it. Writing needs the right to act
for the unit (its officer, or staff) and an open period.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import covenant_services, forms, score_services, scoring, selectors
from ..access import access_for
from ..models import (
    Cluster,
    Covenant,
    Criterion,
    Evidence,
    Period,
    RuleSet,
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
        Period.objects.filter(
            cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("cluster_year__cluster__province", "cluster_year__covenant__sheet"),
        pk=pk,
    )
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
    children = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    ordered, seen = [], set()

    def walk(parent_id, depth):
        for criterion in children.get(parent_id, ()):
            if criterion.pk not in seen:
                seen.add(criterion.pk)
                ordered.append((criterion, depth))
                walk(criterion.pk, depth + 1)

    walk(None, 0)
    return ordered


def _rules(term, covenant: Covenant) -> scoring.Rules | None:
    """Enough of the province's rules to add up a provisional total."""
    ruleset = RuleSet.objects.filter(province_id=term.cluster.province_id, year=term.year).first()
    try:
        return scoring.Rules(
            scale=covenant.sheet.scale,
            bands=(),
            eligibility_min_percent=0,
            tie_breaks=(),
            bonus_cap=ruleset.bonus_cap if ruleset else 0,
        )
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
        return forms.plain_number(value)
    if spec.kind == scoring.Kind.VETO:
        return _("Applies") if value == 1 else _("Does not apply")
    if spec.kind == scoring.Kind.QUALITATIVE and not spec.params["partial"]:
        return _("Achieved") if value == 1 else _("Not achieved")
    if spec.kind == scoring.Kind.GRADED:
        grades = spec.params["grades"]
        index = int(value)
        return grades[index][0] if 0 <= index < len(grades) else forms.plain_number(value)
    return forms.plain_number(value)


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
    return forms.plain_number(target.target), forms.plain_number(target.registered)


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
        rules = _rules(term, covenant)
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


# --- Self- and cross-scoring -------------------------------------------------------


@dataclass
class ScoreRow:
    criterion: Criterion
    depth: int
    spec: object = None
    value: BoundField | None = None
    note: BoundField | None = None
    version: BoundField | None = None
    file: BoundField | None = None
    hint: str = ""
    target: Target | None = None
    target_shown: str = ""
    score: Score | None = None
    shown: str = "–"
    self_score: Score | None = None
    self_shown: str = ""
    evidence: list = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.criterion.kind == Kind.GROUP


def self_score(request, pk, unit_pk):
    """A unit's self-scoring for a period: its officer (or staff) enters a value per
    criterion with notes and evidence, then submits."""
    period = _get_period_for_user(request, pk)
    unit = _get_period_member(period, unit_pk)
    access = access_for(request.user)
    if not _may_read_scores(access, period, unit.pk):
        raise PermissionDenied
    can_act = access.can_act_for_unit(unit)
    cannot_act = None if can_act else _("You can read these scores but not change them.")
    return _scoring_page(
        request, period, unit, stage=Stage.SELF, cannot_act=cannot_act, assignment=None
    )


def cross_score(request, pk, unit_pk):
    """The cross-scoring of a unit by the member assigned to score it, beside its
    self-scores and evidence."""
    period = _get_period_for_user(request, pk)
    unit = _get_period_member(period, unit_pk)
    access = access_for(request.user)
    assignment = period.cross_assignments.filter(scored=unit).select_related("scorer").first()
    scorer_id = assignment.scorer_id if assignment else None
    if not (_may_read_scores(access, period, unit.pk) or scorer_id in access.unit_ids):
        raise PermissionDenied
    if assignment is None:
        cannot_act = _("No unit is assigned to cross-score %(unit)s yet.") % {"unit": unit}
    elif not access.can_act_for_unit(assignment.scorer):
        cannot_act = _("Only %(unit)s, the assigned scorer, enters these scores.") % {
            "unit": assignment.scorer
        }
    else:
        cannot_act = None
    return _scoring_page(
        request, period, unit, stage=Stage.CROSS, cannot_act=cannot_act, assignment=assignment
    )


def _read_only_reason(period, covenant, submission, cannot_act) -> str | None:
    if covenant is None:
        return _("The cluster year has no covenant yet: adopt a score sheet first.")
    if cannot_act:
        return cannot_act
    try:
        score_services.check_period_editable(period)
    except ClusterError as e:
        return str(e)
    if submission is not None:
        message = _("Submitted on %(date)s by %(user)s; these scores can no longer change.")
        return message % {
            "date": formats.date_format(
                timezone.localtime(submission.submitted_at), "SHORT_DATE_FORMAT"
            ),
            "user": submission.submitted_by or _("system"),
        }
    return None


def _scoring_page(request, period, unit, *, stage, cannot_act, assignment):
    """The page shared by self- and cross-scoring; its queries do not grow with criteria."""
    term = period.cluster_year
    covenant = getattr(term, "covenant", None)
    submission = (
        Submission.objects.filter(period=period, unit=unit, stage=stage)
        .select_related("submitted_by")
        .first()
    )
    reason = _read_only_reason(period, covenant, submission, cannot_act)
    if request.method == "POST" and reason is not None:
        # A user who may not act is refused; one whose page went stale is told why.
        if cannot_act:
            raise PermissionDenied
        messages.error(request, reason)
        return redirect(request.path)

    criteria = list(Criterion.objects.filter(sheet_id=covenant.sheet_id)) if covenant else []
    specs = _specs(criteria)
    scored = [c for c in criteria if c.kind != Kind.GROUP]
    targets = (
        {t.criterion_id: t for t in Target.objects.filter(covenant=covenant, unit=unit)}
        if covenant
        else {}
    )
    scores = {Stage.SELF: {}, Stage.CROSS: {}}
    for score in Score.objects.filter(period=period, unit=unit, stage__in=list(scores)):
        scores[score.stage][score.criterion_id] = score
    leader_ids = [
        c.pk
        for c in scored
        if specs[c.pk] is not None
        and specs[c.pk].kind == scoring.Kind.QUANTITATIVE
        and specs[c.pk].params["mode"] == scoring.LEADER
    ]
    others = defaultdict(list)
    if leader_ids:
        values = (
            Score.objects.filter(
                period=period, stage=Stage.SELF, criterion_id__in=leader_ids, value__isnull=False
            )
            .exclude(unit=unit)
            .values_list("criterion_id", "value")
        )
        for criterion_id, value in values:
            others[criterion_id].append(value)
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(period=period, unit=unit).order_by("uploaded_at", "pk"):
        evidence[item.criterion_id].append(item)

    editable = reason is None
    form = forms.ScoreEntryForm(
        request.POST or None,
        request.FILES or None,
        criteria=scored,
        specs=specs,
        targets={cid: t.target for cid, t in targets.items()},
        others=others,
        scores=scores[stage],
        evidence=editable and stage == Stage.SELF,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            covenant_services.scores_save(
                period=period,
                unit=unit,
                stage=stage,
                entries=[covenant_services.ScoreEntry(**entry) for entry in form.entries],
                uploads=form.uploads,
                user=request.user,
                submit=submit,
            )
        except score_services.ScoreConflict as conflict:
            current = conflict.current
            by_id = {c.pk: c for c in scored}
            if current is not None and current.criterion_id in by_id:
                form.show_current(by_id[current.criterion_id], current, str(conflict))
            else:
                form.add_error(None, str(conflict))
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            if submit:
                messages.success(request, _("The scores were saved and submitted."))
            else:
                messages.success(request, _("The scores were saved."))
            return redirect(request.path)

    rows = []
    for criterion, depth in _tree(criteria):
        row = ScoreRow(criterion=criterion, depth=depth)
        if criterion.kind != Kind.GROUP:
            prefix = f"c{criterion.pk}"
            spec = specs[criterion.pk]
            row.spec = spec
            row.hint = _value_hint(spec)
            row.target = targets.get(criterion.pk)
            row.target_shown = forms.plain_number(row.target.target) if row.target else ""
            row.score = scores[stage].get(criterion.pk)
            row.shown = _display(spec, row.score)
            row.evidence = evidence.get(criterion.pk, [])
            if stage == Stage.CROSS:
                row.self_score = scores[Stage.SELF].get(criterion.pk)
                row.self_shown = _display(spec, row.self_score)
            if editable:
                row.value = form[f"{prefix}-value"]
                row.note = form[f"{prefix}-note"]
                row.version = form[f"{prefix}-version"]
                if stage == Stage.SELF:
                    row.file = form[f"{prefix}-file"]
        rows.append(row)

    rules = _rules(term, covenant) if covenant else None
    totals = {
        key: _total(
            criteria,
            specs,
            {cid: score.points for cid, score in by_id.items() if score.points is not None},
            rules,
        )
        for key, by_id in scores.items()
    }
    template = "clusters/self_score.html" if stage == Stage.SELF else "clusters/cross_score.html"
    return render(
        request,
        template,
        {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "unit": unit,
            "covenant": covenant,
            "stage": stage,
            "form": form,
            "rows": rows,
            "editable": editable,
            "read_only_reason": reason,
            "submission": submission,
            "assignment": assignment,
            "total": totals[stage],
            "self_total": totals[Stage.SELF],
            "badge": STATE_BADGES[period.state],
        },
    )


# --- Evidence ----------------------------------------------------------------------


def evidence_download(request, pk):
    evidence = _get_evidence_for_user(request, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@require_POST
def evidence_delete(request, pk):
    evidence = _get_evidence_for_user(request, pk)
    if not access_for(request.user).can_act_for_unit(evidence.unit):
        raise PermissionDenied
    try:
        covenant_services.evidence_delete(evidence=evidence, user=request.user)
    except ClusterError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("The file %(name)s was removed.") % {"name": evidence.original_name}
        )
    return redirect("clusters:self_score", evidence.period_id, evidence.unit_id)
