"""Writes of a cluster year's covenant and of the members' work before the agreed grid.

- The covenant adopts a score sheet of the cluster's province; saving it opens the
  year's two periods (six months, year) if they do not exist yet.
- Targets are per member and quantitative criterion of that sheet.
- Cross-scoring assignments say which member scores which peer: never itself, each
  scored unit once, only members during the period.
- Self- and cross-scores are saved a page at a time through score_services.score_save,
  all or nothing, with the evidence files and the submission that closes the stage.

Rules that depend on who the user is (the unit's officer, the assigned scorer) are
checked by the views' access helpers; every rule about the data is checked here.
"""

import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    ClusterYear,
    Covenant,
    Criterion,
    CrossAssignment,
    Evidence,
    Membership,
    Period,
    Score,
    ScoreSheet,
    Submission,
    Target,
    Unit,
)
from .score_services import check_period_editable, members_during, score_save
from .services import ClusterError

Stage = Score.Stage


@transaction.atomic
def covenant_save(
    *,
    cluster_year: ClusterYear,
    sheet: ScoreSheet,
    signed_on,
    signatories: str,
    user,
) -> Covenant:
    """Adopt or change the covenant of a cluster year, and open the year's two periods.

    1. The score sheet must be one of the cluster's province.
    2. The sheet can change only while nothing was scored or attached on the old one;
       the old sheet's targets are then removed, as their criteria no longer apply.
    3. The six-month and annual periods are created, open, if they are missing.
    """
    term = ClusterYear.objects.select_for_update().select_related("cluster").get(pk=cluster_year.pk)
    if sheet.province_id != term.cluster.province_id:
        raise ClusterError(_("The score sheet must be one of the cluster's province."))
    covenant = Covenant.objects.filter(cluster_year=term).first()
    if covenant is None:
        covenant = Covenant(cluster_year=term, sheet=sheet)
    elif covenant.sheet_id != sheet.pk:
        used = (
            Score.objects.filter(period__cluster_year=term).exists()
            or Evidence.objects.filter(period__cluster_year=term).exists()
        )
        if used:
            raise ClusterError(
                _("Scores were already entered on the covenant's sheet; it can no longer change.")
            )
        covenant.targets.all().delete()
    covenant.sheet = sheet
    covenant.signed_on = signed_on
    covenant.signatories = signatories.strip()
    covenant._history_user = user
    covenant.save()
    for kind in Period.Kind.values:
        if not Period.objects.filter(cluster_year=term, kind=kind).exists():
            period = Period(cluster_year=term, kind=kind)
            period._history_user = user
            period.save()
    return covenant


@transaction.atomic
def targets_save(
    *,
    covenant: Covenant,
    cells: Mapping[tuple[int, int], tuple[Decimal | None, Decimal | None]],
    user,
) -> int:
    """Save members' targets and registered values; returns how many rows changed.

    `cells` maps (unit id, criterion id) to (target, registered value). A cell with
    neither removes its row; unchanged cells are not written, so the history shows
    only real changes. The unit of measure is copied from the criterion.
    """
    quantitative = Criterion.Kind.QUANTITATIVE
    criteria = Criterion.objects.filter(sheet_id=covenant.sheet_id, kind=quantitative)
    criteria = {c.pk: c for c in criteria}
    member_ids = set(
        Membership.objects.filter(cluster_year_id=covenant.cluster_year_id).values_list(
            "unit_id", flat=True
        )
    )
    existing = {(t.unit_id, t.criterion_id): t for t in covenant.targets.all()}
    changed = 0
    for (unit_id, criterion_id), (target, registered) in cells.items():
        if unit_id not in member_ids:
            raise ClusterError(_("Targets are set only for members of the cluster year."))
        if criterion_id not in criteria:
            raise ClusterError(
                _("Targets are set only for quantitative criteria of the covenant's sheet.")
            )
        if (target is not None and target < 0) or (registered is not None and registered < 0):
            raise ClusterError(_("The target cannot be negative."))
        row = existing.get((unit_id, criterion_id))
        if target is None and registered is None:
            if row is not None:
                row._history_user = user
                row.delete()
                changed += 1
            continue
        measure = criteria[criterion_id].unit_of_measure
        if row is None:
            row = Target(covenant=covenant, unit_id=unit_id, criterion_id=criterion_id)
        elif (row.target, row.registered, row.unit_of_measure) == (target, registered, measure):
            continue
        row.target, row.registered, row.unit_of_measure = target, registered, measure
        row._history_user = user
        row.save()
        changed += 1
    return changed


def ring_pairs(unit_ids: Sequence[int]) -> dict[int, int]:
    """Each unit scores the next one and the last scores the first: scored id → scorer id."""
    count = len(unit_ids)
    return {unit_ids[(i + 1) % count]: unit_ids[i] for i in range(count)} if count > 1 else {}


@transaction.atomic
def cross_assignments_save(*, period: Period, scorers: Mapping[int, int | None], user) -> int:
    """Set who cross-scores whom; returns how many assignments changed.

    `scorers` maps a scored unit's id to its scorer's id, or None for nobody; units
    left out keep their assignment. Both must be members during the period and differ.
    A unit whose cross-scores were submitted keeps its scorer.
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    check_period_editable(period)
    members = {unit.pk: unit for unit in members_during(period)}
    submitted = set(period.submissions.filter(stage=Stage.CROSS).values_list("unit_id", flat=True))
    existing = {a.scored_id: a for a in period.cross_assignments.all()}
    changed = 0
    for scored_id, scorer_id in scorers.items():
        if scored_id not in members or (scorer_id is not None and scorer_id not in members):
            raise ClusterError(_("Only members during the period can score or be scored."))
        if scorer_id == scored_id:
            raise ClusterError(_("A unit cannot cross-score itself."))
        row = existing.get(scored_id)
        if (row.scorer_id if row else None) == scorer_id:
            continue
        if scored_id in submitted:
            raise ClusterError(
                _("The cross-scores of %(unit)s were submitted; its scorer can no longer change.")
                % {"unit": members[scored_id]}
            )
        if row is None:
            row = CrossAssignment(period=period, scored_id=scored_id)
        row._history_user = user
        if scorer_id is None:
            row.delete()
        else:
            row.scorer_id = scorer_id
            row.save()
        changed += 1
    return changed


def cross_assign_ring(*, period: Period, user) -> int:
    """Assign cross-scoring in a ring: each member scores the next in Vietnamese order."""
    unit_ids = list(members_during(period).values_list("pk", flat=True))
    if len(unit_ids) < 2:
        raise ClusterError(_("Cross-scoring needs at least two members."))
    return cross_assignments_save(period=period, scorers=ring_pairs(unit_ids), user=user)


@dataclass(frozen=True)
class ScoreEntry:
    """One criterion's input on a scoring page, with the points it is worth."""

    criterion: Criterion
    value: Decimal | None
    points: Decimal | None
    note: str = ""
    # The score's version when the page was loaded; 0 for an empty cell.
    expected_version: int = 0


def _check_open_for_unit(period: Period, unit: Unit, stage: str) -> None:
    check_period_editable(period)
    submission = Submission.objects.filter(period=period, unit=unit, stage=stage).first()
    if submission is not None:
        raise ClusterError(_("These scores were submitted and can no longer be changed."))


@transaction.atomic
def scores_save(
    *,
    period: Period,
    unit: Unit,
    stage: str,
    entries: Iterable[ScoreEntry],
    uploads: Iterable[tuple[Criterion, UploadedFile]] = (),
    user,
    submit: bool = False,
) -> int:
    """Save one unit's self- or cross-scores from one page, all or nothing.

    1. Refused when the period is closed or the unit's scores of this stage were
       submitted.
    2. Each entry goes through score_save, which checks the sheet, the membership and
       the range, and raises ScoreConflict for a cell someone changed meanwhile.
    3. Evidence files (self-scoring only) are attached after the scores.
    4. With `submit`, a Submission closes the stage for the unit.

    Returns the number of scores written.
    """
    if stage not in (Stage.SELF, Stage.CROSS):
        raise ValueError(f"scores_save writes self- or cross-scores, not {stage}")
    period = Period.objects.select_for_update().select_related("cluster_year").get(pk=period.pk)
    _check_open_for_unit(period, unit, stage)
    written = 0
    for entry in entries:
        score_save(
            period=period,
            unit=unit,
            criterion=entry.criterion,
            stage=stage,
            points=entry.points,
            value=entry.value,
            note=entry.note,
            user=user,
            expected_version=entry.expected_version,
        )
        written += 1
    uploads = list(uploads)
    if uploads and stage != Stage.SELF:
        raise ClusterError(_("Evidence is attached to self-scores only."))
    for criterion, upload in uploads:
        evidence_add(period=period, unit=unit, criterion=criterion, upload=upload, user=user)
    if submit:
        submission_create(period=period, unit=unit, stage=stage, user=user)
    return written


@transaction.atomic
def evidence_add(
    *, period: Period, unit: Unit, criterion: Criterion, upload: UploadedFile, user
) -> Evidence:
    """Attach a file, already checked by forms.validate_evidence_file, to a self-score.

    The file is stored under a random name, so that no user-chosen name reaches the
    file system; the original name is kept for the download.
    """
    period = Period.objects.select_for_update().select_related("cluster_year").get(pk=period.pk)
    _check_open_for_unit(period, unit, Stage.SELF)
    covenant = getattr(period.cluster_year, "covenant", None)
    if (
        covenant is None
        or criterion.sheet_id != covenant.sheet_id
        or criterion.kind == Criterion.Kind.GROUP
    ):
        raise ClusterError(_("This criterion is not in the score sheet of the covenant."))
    if not members_during(period).filter(pk=unit.pk).exists():
        raise ClusterError(_("%(unit)s is not a member during this period.") % {"unit": unit})
    original_name = os.path.basename(upload.name)[:255]
    extension = os.path.splitext(original_name)[1].lower()
    upload.name = f"{uuid.uuid4().hex}{extension}"
    evidence = Evidence(
        period=period,
        unit=unit,
        criterion=criterion,
        file=upload,
        original_name=original_name,
        size=upload.size,
        uploaded_by=user,
    )
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    """Remove an evidence file from a self-score that is still being edited.

    The stored file is kept, so that the history still points to what was attached.
    """
    period = Period.objects.select_for_update().get(pk=evidence.period_id)
    _check_open_for_unit(period, evidence.unit, Stage.SELF)
    evidence._history_user = user
    evidence.delete()


@transaction.atomic
def submission_create(*, period: Period, unit: Unit, stage: str, user) -> Submission:
    """Hand in a unit's self-scores, or the cross-scores its assigned scorer gave it.

    The submission is keyed by the scored unit in both cases; it closes that stage
    for the unit (see scores_save).
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check_open_for_unit(period, unit, stage)
    if not members_during(period).filter(pk=unit.pk).exists():
        raise ClusterError(_("%(unit)s is not a member during this period.") % {"unit": unit})
    if stage == Stage.CROSS and not period.cross_assignments.filter(scored=unit).exists():
        raise ClusterError(_("No unit is assigned to cross-score %(unit)s.") % {"unit": unit})
    submission = Submission(period=period, unit=unit, stage=stage, submitted_by=user)
    submission._history_user = user
    submission.save()
    return submission
