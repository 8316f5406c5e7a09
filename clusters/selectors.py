"""Reads shared by several views: change history, the reorganisation lineage, and what a
unit and its predecessors did across it."""

import datetime
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.apps import apps
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from . import lineage, ranking, scoring, text
from .models import (
    Cluster,
    ClusterYear,
    Criterion,
    Membership,
    Period,
    RuleSet,
    Score,
    Unit,
    UnitSuccession,
)
from .score_services import period_dates


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


# --- A unit's record across the reorganisation ---------------------------------------


@dataclass
class PeriodRecord:
    """A unit of the lineage in one period of a cluster it belonged to: the name it had
    then, its ranked row (None when it has no agreed score there) among `ranked` units.
    `period` is None for a term that has no scoring period."""

    term: ClusterYear
    period: Period | None
    unit: Unit
    name: str
    inherited: bool
    row: scoring.RankedRow | None = None
    ranked: int = 0
    error: str = ""


@dataclass
class GroupScore:
    """A top-level criterion of the sheet (a group): the unit's points and the mean of
    the ranked members' points."""

    criterion: Criterion
    points: Decimal
    average: Decimal


@dataclass
class TrackRecord:
    # Newest first: year, then the annual period before the six-month one.
    records: list[PeriodRecord]
    # Current versions of the documents issued by those cluster years, newest year first.
    documents: list
    # The newest record with a ranked row, and its points by group against the average.
    latest: PeriodRecord | None
    groups: list[GroupScore]

    def yearly(self) -> list[PeriodRecord]:
        """One record per year and unit, oldest first: the annual period where the unit
        was ranked in it, else the six-month one, else the first of the year."""
        chosen: dict[tuple[int, int], PeriodRecord] = {}
        for record in reversed(self.records):
            key = (record.term.year, record.unit.pk)
            current = chosen.get(key)
            if current is None or (current.row is None and record.row is not None):
                chosen[key] = record
            elif record.row is not None and record.period.kind == Period.Kind.ANNUAL:
                chosen[key] = record
        return sorted(chosen.values(), key=lambda r: (r.term.year, text.sort_key(r.name)))


class _AgreedScore(NamedTuple):
    """The two fields of an agreed Score that clusters.ranking reads."""

    points: Decimal | None
    value: Decimal | None


def _record_order(record: PeriodRecord) -> tuple:
    kind_order = {Period.Kind.ANNUAL: 0, Period.Kind.SIX_MONTH: 1}
    kind = kind_order.get(record.period.kind, 2) if record.period else 3
    rank = record.row.rank if record.row else math.inf
    return (
        -record.term.year,
        kind,
        record.inherited,
        record.term.cluster.sort_key,
        rank,
        text.sort_key(record.name),
    )


def unit_track_record(
    unit: Unit, *, predecessors: list[LineageStep], clusters_q: models.Q | None = None
) -> TrackRecord:
    """What `unit` and the units it descends from (`predecessors`, from unit_lineage) did
    in every period of the clusters matched by `clusters_q` (a filter on Cluster: the
    user's), each under the name it had then and ranked as the ranking page ranks it;
    with the documents those cluster years issued.

    Ten queries however many years, periods and members: memberships and their units'
    names (2), periods with their stored results (1), the agreed scores (1),
    clusters.ranking.load_periods without its scores (5) and the documents (1). A locked
    period is read from the result stored when it was locked; the scores of the other
    periods are read as plain values and handed to load_periods' data, because ten years
    of a cluster are tens of thousands of rows. Only periods where a unit of the lineage
    has an agreed score are ranked.
    """
    lineage_units = {unit.pk, *(step.unit.pk for step in predecessors)}
    memberships = (
        Membership.objects.filter(unit_id__in=lineage_units)
        .select_related("unit", "cluster_year__cluster", "cluster_year__covenant__sheet")
        .prefetch_related("unit__names")
    )
    if clusters_q is not None:
        memberships = memberships.filter(
            cluster_year__cluster__in=Cluster.objects.filter(clusters_q)
        )
    memberships = list(memberships)
    terms = {m.cluster_year_id: m.cluster_year for m in memberships}
    periods_by_term: dict[int, list[Period]] = defaultdict(list)
    for period in (
        Period.objects.filter(cluster_year_id__in=list(terms))
        .select_related("result")
        .order_by("pk")
    ):
        # Reuse the terms already read, with their cluster and covenant.
        period.cluster_year = terms[period.cluster_year_id]
        periods_by_term[period.cluster_year_id].append(period)
    periods = {p.pk: p for term_periods in periods_by_term.values() for p in term_periods}
    stored = ranking.stored_results(periods.values())
    scored = {pk for pk, result in stored.items() if result.scored & lineage_units}

    scores = Score.objects.filter(
        period_id__in=[pk for pk in periods if pk not in stored], stage=Score.Stage.AGREED
    ).values_list("period_id", "unit_id", "criterion_id", "points", "value")
    scores_by_period: dict[int, dict] = defaultdict(dict)
    for period_id, unit_id, criterion_id, points, value in scores:
        key = (unit_id, criterion_id, Score.Stage.AGREED)
        scores_by_period[period_id][key] = _AgreedScore(points, value)
        if unit_id in lineage_units:
            scored.add(period_id)

    rows: dict[int, dict[int, scoring.RankedRow]] = {}
    ranked: dict[int, int] = {}
    errors: dict[int, str] = {}
    data_by_period = {}
    to_rank = [periods[pk] for pk in sorted(scored)]
    for data in ranking.load_periods(to_rank, stages=(), ranking_only=True):
        pk = data.period.pk
        data.scores = scores_by_period[pk]
        data_by_period[pk] = data
        try:
            ranked_rows = data.ranking() if data.sheet is not None else []
        except scoring.ScoreError as e:
            ranked_rows, errors[pk] = [], e.message
        rows[pk] = {row.result.key: row for row in ranked_rows}
        ranked[pk] = len(ranked_rows)

    records: dict[tuple, PeriodRecord] = {}
    for membership in memberships:
        term, member = membership.cluster_year, membership.unit
        for period in periods_by_term.get(term.pk) or [None]:
            first, last = period_dates(period) if period else (term.first_day, term.last_day)
            joined, left = membership.valid_from or first, membership.valid_to or last
            if joined > last or left < first:
                continue
            # The name on the last day the unit was in the period (a district closed on
            # 30/06/2025 keeps its own name in that year's annual period).
            day = min(last, left, member.valid_to or last)
            key = (period.pk if period else None, term.pk, member.pk)
            records[key] = PeriodRecord(
                term=term,
                period=period,
                unit=member,
                name=member.name_on(day),
                inherited=member.pk != unit.pk,
                row=rows.get(period.pk, {}).get(member.pk) if period else None,
                ranked=ranked.get(period.pk, 0) if period else 0,
                error=errors.get(period.pk, "") if period else "",
            )
    ordered = sorted(records.values(), key=_record_order)

    latest = next((r for r in ordered if r.row is not None), None)
    groups = []
    if latest is not None:
        data = data_by_period[latest.period.pk]
        members = list(rows[latest.period.pk].values())
        for criterion in data.top_criteria:
            totals = [row.result.group_totals.get(criterion.code, Decimal(0)) for row in members]
            groups.append(
                GroupScore(
                    criterion=criterion,
                    points=latest.row.result.group_totals.get(criterion.code, Decimal(0)),
                    average=(sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")),
                )
            )
    return TrackRecord(
        records=ordered,
        documents=_issued_documents(terms),
        latest=latest,
        groups=groups,
    )


def _issued_documents(term_ids) -> list:
    """The current versions of the documents the cluster years issued, newest year first.

    The documents live in the reports app, which depends on this one (never the other
    way round), so the model is looked up by name and is absent when reports is not
    installed."""
    if not term_ids or not apps.is_installed("reports"):
        return []
    try:
        document_model = apps.get_model("reports", "Document")
    except LookupError:
        return []
    return list(
        document_model.objects.filter(cluster_year_id__in=list(term_ids), replaced_by__isnull=True)
        .select_related("cluster_year__cluster")
        .order_by("-cluster_year__year", "-issued_at", "-pk")
    )
