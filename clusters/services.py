"""Writes that touch several models. Each runs in its own transaction and raises
ClusterError with a translated message when a rule forbids it."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Cluster, ClusterYear, Membership, Province, Unit, UnitName, UnitSuccession


class ClusterError(Exception):
    pass


@transaction.atomic
def unit_create(*, province: Province, unit: Unit) -> Unit:
    """Save a new unit and open its name history with the name it starts with."""
    unit.province = province
    unit.save()
    UnitName.objects.create(
        unit=unit, name=unit.name, valid_from=unit.valid_from, valid_to=unit.valid_to
    )
    return unit


@transaction.atomic
def unit_rename(
    *, unit: Unit, new_name: str, effective_date: datetime.date, legal_basis: str
) -> Unit:
    """Rename a unit in place from `effective_date`, keeping the old name in its history.

    1. The name in force on the day before is closed on that day.
    2. A new name starts on `effective_date`, with its legal basis.
    3. The unit's current name becomes the new one.
    """
    new_name = " ".join(new_name.split())
    if new_name == unit.name:
        raise ClusterError(_("The new name is the same as the current one."))
    if not unit.exists_on(effective_date):
        raise ClusterError(_("The unit does not exist on the effective date."))
    later = unit.names.filter(valid_from__gte=effective_date)
    if later.exists():
        raise ClusterError(_("The unit already has a name starting on or after this date."))
    current = unit.names.filter(valid_to__isnull=True).first()
    if current is None:
        # Units created outside the service have no history yet: record their first name.
        current = UnitName.objects.create(unit=unit, name=unit.name, valid_from=unit.valid_from)
    current.valid_to = effective_date - datetime.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    UnitName.objects.create(
        unit=unit, name=new_name, valid_from=effective_date, legal_basis=legal_basis
    )
    unit.name = new_name
    unit.save(update_fields=["name"])
    return unit


@transaction.atomic
def reorganisation_record(
    *,
    kind: str,
    predecessors: list[Unit],
    successors: list[Unit],
    effective_date: datetime.date,
    legal_basis: str,
    note: str = "",
    close_predecessors: bool = True,
) -> list[UnitSuccession]:
    """Record a merger, split, absorption, renaming, transfer or dissolution.

    Every unit before is linked to every unit after. When `close_predecessors` is set,
    the units before end on the day before the effective date (a unit that also
    continues, as in an absorption where the absorbing unit is listed after, is not
    among the units before). Units after that have no start date start on it.
    """
    if not predecessors:
        raise ClusterError(_("Choose at least one unit before the change."))
    provinces = {u.province_id for u in [*predecessors, *successors]}
    if len(provinces) > 1:
        raise ClusterError(_("All units of a reorganisation must belong to one province."))
    day_before = effective_date - datetime.timedelta(days=1)
    for unit in predecessors:
        if unit.valid_from and unit.valid_from > day_before:
            raise ClusterError(
                _("%(unit)s did not exist before %(date)s.")
                % {"unit": unit.name, "date": effective_date.strftime("%d/%m/%Y")}
            )
    for unit in successors:
        if unit.valid_to and unit.valid_to < effective_date:
            raise ClusterError(
                _("%(unit)s no longer exists on %(date)s.")
                % {"unit": unit.name, "date": effective_date.strftime("%d/%m/%Y")}
            )
    links = []
    for before in predecessors:
        for after in successors or [None]:
            link, created = UnitSuccession.objects.get_or_create(
                predecessor=before,
                successor=after,
                effective_date=effective_date,
                defaults={"kind": kind, "legal_basis": legal_basis, "note": note},
            )
            if not created:
                raise ClusterError(
                    _("This reorganisation of %(unit)s is already recorded.") % {"unit": before}
                )
            links.append(link)
        if close_predecessors and (before.valid_to is None or before.valid_to > day_before):
            before.valid_to = day_before
            before.save(update_fields=["valid_to"])
            before.names.filter(valid_to__isnull=True).update(valid_to=day_before)
    for after in successors:
        if after.valid_from is None:
            after.valid_from = effective_date
            after.save(update_fields=["valid_from"])
            after.names.filter(valid_from__isnull=True).update(valid_from=effective_date)
    return links


@transaction.atomic
def cluster_year_create(*, cluster: Cluster, year: int, copy_previous: bool) -> ClusterYear:
    """Open a cluster's term for `year`, optionally carrying over last term's members.

    Members are copied only if they still exist on 1 January of the new year, and
    the head and deputy are left for the new term to set.
    """
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        raise ClusterError(_("This cluster already has a term for %(year)s.") % {"year": year})
    if cluster.valid_to and cluster.valid_to.year < year:
        raise ClusterError(_("The cluster no longer exists in %(year)s.") % {"year": year})
    term = ClusterYear(cluster=cluster, year=year)
    previous = ClusterYear.objects.filter(cluster=cluster, year__lt=year).order_by("-year").first()
    if copy_previous and previous:
        for field in (
            "secretary_name",
            "secretary_position",
            "supervisor_name",
            "supervisor_position",
            "header_parent",
            "header_name",
        ):
            setattr(term, field, getattr(previous, field))
    term.save()
    if copy_previous and previous:
        first_day = datetime.date(year, 1, 1)
        for membership in previous.memberships.select_related("unit"):
            if (
                membership.unit.exists_on(first_day)
                and not term.memberships.filter(unit=membership.unit).exists()
            ):
                Membership.objects.create(cluster_year=term, unit=membership.unit)
    return term
