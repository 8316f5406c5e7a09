"""Movements (phong trào thi đua) and the register of exemplary models: their rules,
the writes that keep them consistent, and the count that score sheets read.

A criterion of kind "per item" counts the register when its parameters say
`"counts": "exemplary_models"` (criteria 3.3 of the district sheet and 11 of the bloc
sheet in domain.md §3.3–3.4): the scoring pages then show how many models the register
holds for the unit in that year, as a hint; the unit still enters its own number.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from . import criteria
from .models import Cluster, Criterion, ExemplaryModel, Movement, Province, Unit
from .services import ClusterError

# The value of Criterion.params["counts"] that links a criterion to the register.
COUNTS_EXEMPLARY = criteria.COUNTS_EXEMPLARY


class RecordError(ClusterError):
    """A rule refused the record; `field` names the form field it concerns (or None)."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field


# --- Rules -------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def movement_problems(
    *,
    province_id: int,
    start: datetime.date | None,
    end: datetime.date | None,
    cluster_province_ids: Iterable[int] = (),
) -> list[tuple[str, str]]:
    """What is wrong with a movement, as (field, message) pairs; empty when it may be saved."""
    problems = []
    if start and end and end < start:
        problems.append(("end", _("The end date must not be before the start date.")))
    if any(pid != province_id for pid in cluster_province_ids):
        problems.append(("clusters", _("Choose clusters and blocs of the movement's province.")))
    return problems


def exemplary_problems(
    *,
    province_id: int,
    unit: Unit | None,
    movement: Movement | None,
    recognised_on: datetime.date | None,
) -> list[tuple[str, str]]:
    """What is wrong with an entry of the register, as (field, message) pairs.

    The unit and the movement must belong to the register's province, and a model
    recognised on a day belongs to a unit that existed that day: after a reorganisation,
    models of the old district stay with the district, not with the commune that
    followed it.
    """
    problems = []
    if unit is not None and unit.province_id != province_id:
        problems.append(("unit", _("This unit belongs to another province.")))
    elif unit is not None and recognised_on and not unit.exists_on(recognised_on):
        problems.append(
            (
                "recognised_on",
                _(
                    "%(unit)s did not exist on %(date)s (it existed from %(start)s to %(end)s); "
                    "record the model for the unit that existed on that day."
                )
                % {
                    "unit": unit.name,
                    "date": _day(recognised_on),
                    "start": _day(unit.valid_from) if unit.valid_from else "…",
                    "end": _day(unit.valid_to) if unit.valid_to else "…",
                },
            )
        )
    if movement is not None and movement.province_id != province_id:
        problems.append(("movement", _("This movement belongs to another province.")))
    return problems


def counts_register(criterion) -> bool:
    """Whether a criterion (anything with `kind` and `params`) counts the register."""
    return (
        criterion.kind == Criterion.Kind.PER_ITEM
        and (criterion.params or {}).get("counts") == COUNTS_EXEMPLARY
    )


# --- Writes ------------------------------------------------------------------------


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise RecordError(field, message)


def _sync_clusters(movement: Movement, clusters: Sequence[Cluster]) -> bool:
    """Make the movement's clusters exactly `clusters`; True if anything changed.

    Writes the link table directly, without m2m signals, so that the history gets one
    record per edit (taken by the save that follows) instead of one per add and remove.
    """
    through = Movement.clusters.through
    wanted = {cluster.pk for cluster in clusters}
    current = set(through.objects.filter(movement=movement).values_list("cluster_id", flat=True))
    if wanted == current:
        return False
    through.objects.filter(movement=movement, cluster_id__in=current - wanted).delete()
    through.objects.bulk_create(
        through(movement=movement, cluster_id=pk) for pk in sorted(wanted - current)
    )
    return True


@transaction.atomic
def movement_save(
    *, movement: Movement, province: Province, clusters: Sequence[Cluster]
) -> Movement:
    """Create or update a movement of `province` with its participating clusters.

    1. The rules are checked (RecordError names the field).
    2. A new movement is saved first, to have a key; its history starts there.
    3. The clusters are set, and the movement saved, so the history's record of this
       edit holds both the fields and the clusters.
    """
    _raise_first(
        movement_problems(
            province_id=province.pk,
            start=movement.start,
            end=movement.end,
            cluster_province_ids=[cluster.province_id for cluster in clusters],
        )
    )
    movement.province = province
    created = movement.pk is None
    if created:
        movement.save()
    changed = _sync_clusters(movement, clusters)
    if changed or not created:
        movement.save()
    return movement


@transaction.atomic
def exemplary_model_save(*, model: ExemplaryModel, province: Province) -> ExemplaryModel:
    """Create or update an entry of `province`'s register after checking its rules."""
    _raise_first(
        exemplary_problems(
            province_id=province.pk,
            unit=model.unit,
            movement=model.movement,
            recognised_on=model.recognised_on,
        )
    )
    model.province = province
    model.save()
    return model


# --- Reads -------------------------------------------------------------------------


def exemplary_counts(
    unit_ids: Iterable[int], year: int, kinds: Iterable[str] | None = None
) -> dict[int, int]:
    """How many models the register holds for each unit, recognised in `year`.

    One query; every unit asked for is in the result, with 0 when it has none. Models
    without a recognition date are not counted, since they belong to no year.
    """
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    models = ExemplaryModel.objects.filter(unit_id__in=unit_ids, recognised_on__year=year)
    if kinds is not None:
        models = models.filter(kind__in=list(kinds))
    counts = dict(
        models.order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in unit_ids}
