"""Reads shared by several views: change history and the reorganisation lineage."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from . import lineage
from .models import ClusterYear, RuleSet, Unit, UnitSuccession


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    action: str
    label: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field: models.Field, value, related: dict) -> str:
    if value in (None, "", {}, []):
        return ""
    if model_field.is_relation:
        return str(related.get((model_field.related_model, value), value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def history_entries(
    *record_querysets,
    labels: dict[type, Callable[[object], str]] | None = None,
    hidden: frozenset[str] = frozenset(),
) -> list[HistoryEntry]:
    """Who changed what and when, newest first, with before/after values per field.

    Takes querysets of historical records (of one or several objects and models) and
    costs one query per queryset plus one per related model that a change points to.
    `labels` names the object of each record, per model, where a page mixes objects;
    `hidden` fields are left out (the page's own object, which every record points to).
    """
    actions = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    pending = []
    related_ids: dict[type, set] = defaultdict(set)
    for records in record_querysets:
        model = records.model.instance_type
        # Fields the history keeps (a model may exclude some, as User excludes password).
        kept = {f.attname for f in records.model._meta.concrete_fields}
        tracked = [
            f
            for f in model._meta.concrete_fields
            if f.editable
            and f.attname in kept
            and f.name not in {"id", "sort_key", "search_text", *hidden}
        ]
        previous_by_object = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            changed = []
            for model_field in tracked:
                new = getattr(record, model_field.attname)
                old = getattr(previous, model_field.attname) if previous else None
                if record.history_type == "-" or old == new:
                    continue
                if previous is None and new in (None, "", False, {}, []):
                    continue
                changed.append((model_field, old, new))
                if model_field.is_relation:
                    related_ids[model_field.related_model].update(
                        v for v in (old, new) if v is not None
                    )
            if record.history_type == "~" and not changed:
                continue  # e.g. a password change: nothing the history shows
            label = (labels or {}).get(model)
            pending.append((record, changed, label(record) if label else ""))
    related = {}
    for related_model, ids in related_ids.items():
        for pk, obj in related_model._default_manager.in_bulk(ids).items():
            related[(related_model, pk)] = obj
    entries = []
    for record, changed, label in pending:
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=actions[record.history_type],
                label=label,
                changes=[
                    Change(
                        field=str(f.verbose_name).capitalize(),
                        old=_display(f, old, related),
                        new=_display(f, new, related),
                    )
                    for f, old, new in changed
                ],
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


@dataclass
class LineageStep:
    unit: Unit
    steps: int
    links: list[UnitSuccession]


def unit_lineage(unit: Unit) -> tuple[list[LineageStep], list[LineageStep]]:
    """The units this one descends from and those that carry it on, nearest first.

    Loads the province's succession edges in one query and walks them in Python.
    """
    links = list(
        UnitSuccession.objects.filter(predecessor__province_id=unit.province_id).select_related(
            "predecessor", "successor"
        )
    )
    edges = [(link.predecessor_id, link.successor_id) for link in links]
    units = {}
    links_by_unit = defaultdict(list)
    for link in links:
        units[link.predecessor_id] = link.predecessor
        if link.successor_id:
            units[link.successor_id] = link.successor
        links_by_unit[link.predecessor_id].append(link)
        if link.successor_id:
            links_by_unit[link.successor_id].append(link)

    def steps(distances: dict[int, int]) -> list[LineageStep]:
        # Show only the links that lead along this lineage, not a split's other branches.
        chain = {unit.pk, *distances}
        found = [
            LineageStep(
                units[pk],
                distance,
                [
                    link
                    for link in links_by_unit[pk]
                    if link.predecessor_id in chain and link.successor_id in chain
                ],
            )
            for pk, distance in distances.items()
        ]
        return sorted(found, key=lambda s: (s.steps, s.unit.sort_key, s.unit.pk))

    before = steps(lineage.predecessors(edges, unit.pk))
    after = steps(lineage.successors(edges, unit.pk))
    return before, after


@dataclass
class AwardEntry:
    """An award in a unit's history: the recipient row with its decision, and whether a
    predecessor received it (under the name it bore on the decision date)."""

    recipient: object
    received_as: str
    inherited: bool


def unit_awards(unit: Unit, predecessors: list[LineageStep] | None = None) -> list[AwardEntry]:
    """The awards of `unit` and of the units it descends from, newest year first.

    Two queries (the awards, then the recipients' names over time), plus one for the
    lineage unless the caller already has it from `unit_lineage`.
    """
    # Imported here: the award models are read by this function alone in this module.
    from .models import AwardRecipient

    if predecessors is None:
        predecessors, _after = unit_lineage(unit)
    unit_ids = [unit.pk, *(step.unit.pk for step in predecessors)]
    recipients = (
        AwardRecipient.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "decision__award_form")
        .prefetch_related("unit__names")
        .order_by("-year", "-decision__date", "decision__number", "pk")
    )
    return [
        AwardEntry(
            recipient=recipient,
            received_as=recipient.unit.name_on(recipient.decision.date),
            inherited=recipient.unit_id != unit.pk,
        )
        for recipient in recipients
    ]


def ruleset_for(term: ClusterYear) -> RuleSet | None:
    """The province's rules for the term's year, if it has set them."""
    return RuleSet.objects.filter(province_id=term.cluster.province_id, year=term.year).first()
