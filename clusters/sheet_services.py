"""Writes on score sheets that touch several rows: copying, importing, adding and
deleting criteria. Each runs in its own transaction and raises ClusterError with a
translated message when a rule forbids it."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import Criterion, Province, Score, ScoreSheet, Target
from .services import ClusterError
from .sheet_imports import ParsedSheet


def _check_name_free(*, province: Province, year: int, name: str) -> None:
    if ScoreSheet.objects.filter(province=province, year=year, name=name).exists():
        raise ClusterError(
            _("The province already has a score sheet “%(name)s” for %(year)s.")
            % {"name": name, "year": year}
        )


def _parents_first(criteria: list[Criterion]) -> list[Criterion]:
    """The criteria in sheet order, each after its group, so that parents exist first."""
    by_parent: dict[int | None, list[Criterion]] = {}
    ids = {c.pk for c in criteria}
    for criterion in criteria:
        parent = criterion.parent_id if criterion.parent_id in ids else None
        by_parent.setdefault(parent, []).append(criterion)
    ordered = []
    pending = list(by_parent.get(None, []))
    while pending:
        criterion = pending.pop(0)
        ordered.append(criterion)
        pending.extend(by_parent.get(criterion.pk, []))
    return ordered


@transaction.atomic
def sheet_copy(*, sheet: ScoreSheet, year: int, name: str) -> ScoreSheet:
    """Copy a sheet with all its criteria to `year` (usually the next one).

    1. The province must not have a sheet of that name for that year.
    2. The new sheet records where it was copied from.
    3. Criteria keep their codes, texts, kinds, points, parameters and order, and each
       goes under the copy of its group.
    """
    name = " ".join(name.split())
    _check_name_free(province=sheet.province, year=year, name=name)
    copy = ScoreSheet.objects.create(
        province=sheet.province, year=year, name=name, scale=sheet.scale, copied_from=sheet
    )
    new_ids: dict[int, int] = {}
    for criterion in _parents_first(list(sheet.criteria.all())):
        old_id = criterion.pk
        criterion.pk = None
        criterion.id = None
        criterion.sheet = copy
        criterion.parent_id = new_ids.get(criterion.parent_id)
        criterion._state.adding = True
        criterion.save()
        new_ids[old_id] = criterion.pk
    return copy


@transaction.atomic
def sheet_import(*, province: Province, year: int, name: str, parsed: ParsedSheet) -> ScoreSheet:
    """Create a sheet and its criteria from a workbook that `sheet_imports.validate`
    accepted; the rows keep the order of the file."""
    name = " ".join(name.split())
    _check_name_free(province=province, year=year, name=name)
    sheet = ScoreSheet.objects.create(province=province, year=year, name=name, scale=parsed.scale)
    by_row: dict[int, Criterion] = {}
    for position, item in enumerate(parsed.criteria, start=1):
        by_row[item.row] = Criterion.objects.create(
            sheet=sheet,
            parent=by_row.get(item.parent_row),
            code=item.code,
            text=item.text,
            kind=item.kind,
            max_points=item.max_points,
            params=item.params,
            unit_of_measure=item.unit_of_measure,
            note=item.note,
            position=position,
        )
    return sheet


@transaction.atomic
def criterion_create(*, sheet: ScoreSheet, criterion: Criterion) -> Criterion:
    """Add a criterion at the end of the sheet (and so at the end of its group)."""
    last = sheet.criteria.aggregate(last=Max("position"))["last"] or 0
    criterion.sheet = sheet
    criterion.position = last + 1
    criterion.save()
    return criterion


def _subtree_ids(criterion: Criterion) -> list[int]:
    pairs = list(criterion.sheet.criteria.values_list("pk", "parent_id"))
    ids = [criterion.pk]
    for pk in ids:
        ids.extend(child for child, parent in pairs if parent == pk and child not in ids)
    return ids


def criterion_subtree_size(criterion: Criterion) -> int:
    """How many criteria a deletion removes: the criterion and everything under it."""
    return len(_subtree_ids(criterion))


@transaction.atomic
def criterion_delete(*, criterion: Criterion) -> int:
    """Delete a criterion and, for a group, its criteria; returns how many.

    Refused once a covenant has targets or a unit has scores on any of them, as those
    would be deleted with it.
    """
    ids = _subtree_ids(criterion)
    if (
        Target.objects.filter(criterion_id__in=ids).exists()
        or Score.objects.filter(criterion_id__in=ids).exists()
    ):
        raise ClusterError(
            _("Targets or scores were already entered for this criterion; it cannot be deleted.")
        )
    # The criteria of a group go with it, each recorded in the history.
    criterion.delete()
    return len(ids)
