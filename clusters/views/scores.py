"""The pages where members self-score their unit and cross-score a peer, with evidence.

Scores are drafts until the cluster agrees them; see views/periods.py for who reads
whose scores. Writing needs the right to act for the unit (its officer, or staff), the
assigned scorer for cross-scores, and an open period.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import covenant_services, exemplary, forms, score_services, scoring
from ..access import access_for
from ..criteria import typed
from ..models import (
    Criterion,
    Evidence,
    Period,
    Score,
    Submission,
    Target,
)
from ..services import ClusterError
from .periods import (
    STATE_BADGES,
    _display,
    _get_evidence_for_user,
    _get_period_for_user,
    _get_period_member,
    _may_read_scores,
    _rules,
    _specs,
    _total,
    _tree,
    _value_hint,
)

Stage = Score.Stage
State = Period.State
Kind = Criterion.Kind


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
    # For criteria that count the register of exemplary models: what it holds this year.
    register_count: int | None = None

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

    # One query, and only when the sheet has a criterion that counts the register.
    register = (
        exemplary.exemplary_counts([unit.pk], term.year)[unit.pk]
        if any(exemplary.counts_register(c) for c in scored)
        else None
    )
    rows = []
    for criterion, depth in _tree(criteria):
        row = ScoreRow(criterion=criterion, depth=depth)
        if criterion.kind != Kind.GROUP:
            prefix = f"c{criterion.pk}"
            spec = specs[criterion.pk]
            row.spec = spec
            row.hint = _value_hint(spec)
            row.target = targets.get(criterion.pk)
            row.target_shown = typed(row.target.target) if row.target else ""
            row.score = scores[stage].get(criterion.pk)
            row.shown = _display(spec, row.score)
            row.evidence = evidence.get(criterion.pk, [])
            if exemplary.counts_register(criterion):
                row.register_count = register
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

    rules = _rules(term, covenant, criteria) if covenant else None
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
