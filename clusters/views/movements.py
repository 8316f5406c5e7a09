"""Movements (phong trào thi đua) and the register of exemplary models and good deeds.

Provincial staff record movements and models; a member unit's officer records the
models of their own unit, and a cluster's head or secretary those of the cluster's
members. Leaders read. Everyone else sees the models of the units they can see, and
the movements their clusters take part in.
"""

import datetime

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exemplary, forms, selectors
from ..access import Access, access_for
from ..models import (
    Cluster,
    ExemplaryModel,
    Membership,
    Movement,
    Province,
    Unit,
    UnitName,
    User,
)
from ..text import fold, sort_key
from .units import _get_province_for_user

PAGE_SIZE = 50
# The models a movement's page lists; the register shows them all.
MOVEMENT_MODELS_SHOWN = 100


# --- Access ------------------------------------------------------------------------


def _visible_movements(access: Access):
    """Movements of the provinces the user oversees, and those their clusters take part in."""
    if access.superuser:
        return Movement.objects.all()
    taking_part = Movement.clusters.through.objects.filter(
        cluster__in=Cluster.objects.filter(access.clusters_q())
    ).values("movement_id")
    return Movement.objects.filter(
        Q(province_id__in=access.viewer_provinces) | Q(pk__in=taking_part)
    )


def _visible_models(access: Access):
    """Models of the units the user can see; models without a unit only to the province."""
    if access.superuser:
        return ExemplaryModel.objects.all()
    return ExemplaryModel.objects.filter(
        Q(unit__in=Unit.objects.filter(access.units_q()))
        | Q(unit__isnull=True, province_id__in=access.viewer_provinces)
    )


def _cluster_units(access: Access):
    """The members of the terms the user heads or keeps the minutes of (any year)."""
    return Membership.objects.filter(cluster_year_id__in=access.cluster_year_ids).values("unit_id")


def _may_record_for(access: Access, province_id: int, unit_id: int | None) -> bool:
    """Whether the user may add, change or remove a model of this unit."""
    if access.can_manage_province(province_id):
        return True
    if unit_id is None:
        return False
    if unit_id in access.unit_ids:
        return True
    return bool(access.cluster_year_ids) and _cluster_units(access).filter(unit_id=unit_id).exists()


def _may_record_somewhere(access: Access) -> bool:
    return access.is_staff or bool(access.unit_ids or access.cluster_year_ids)


def _get_movement_for_user(request, pk: int, *, manage: bool = False) -> Movement:
    access = access_for(request.user)
    movement = get_object_or_404(_visible_movements(access).select_related("province"), pk=pk)
    if manage and not access.can_manage_province(movement.province_id):
        raise PermissionDenied
    return movement


def _get_exemplary_for_user(request, pk: int, *, edit: bool = False) -> ExemplaryModel:
    """The model if the user may see it (404 otherwise); PermissionDenied if `edit` and
    they may not change it."""
    access = access_for(request.user)
    model = get_object_or_404(
        _visible_models(access).select_related("province", "unit", "movement"), pk=pk
    )
    if edit and not _may_record_for(access, model.province_id, model.unit_id):
        raise PermissionDenied
    return model


def _recording_scope(request, province: Province | None = None):
    """Where the user records models: (province, units they may choose, unit required).

    Staff choose among every unit of their province and may leave the unit empty; an
    officer or a cluster's head or secretary among their own units. Leaders get
    PermissionDenied, users who may record nothing anywhere a 404.
    """
    access = access_for(request.user)
    if province is None and access.is_staff:
        province = _get_province_for_user(request, manage=True)
    if province is not None and access.can_manage_province(province.pk):
        return province, Unit.objects.filter(province=province), False
    units = Unit.objects.filter(Q(pk__in=access.unit_ids) | Q(pk__in=_cluster_units(access)))
    if province is None:
        province_ids = sorted(set(units.values_list("province_id", flat=True)))
        if not province_ids:
            if access.viewer_provinces:
                raise PermissionDenied
            raise Http404
        own = request.user.province_id
        province = Province.objects.get(pk=own if own in province_ids else province_ids[0])
    return province, units.filter(province=province), True


def _movement_choices(access: Access, province: Province):
    """Movements a model may be linked to: staff choose any of the province's; others
    those their clusters take part in and those of the whole province."""
    movements = Movement.objects.filter(province=province)
    if access.can_manage_province(province.pk):
        return movements
    return movements.filter(
        Q(clusters__isnull=True) | Q(clusters__in=Cluster.objects.filter(access.clusters_q()))
    ).distinct()


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Movements ---------------------------------------------------------------------


def _begin(movement: Movement) -> datetime.date | None:
    return movement.start or movement.launched_on


def _years(movement: Movement, this_year: int) -> range:
    """The calendar years a movement runs in; open-ended ones run until this year."""
    begin, end = _begin(movement), movement.end
    if begin is None and end is None:
        return range(0)
    first = (begin or end).year
    last = end.year if end else max(first, this_year)
    return range(first, min(last, first + 30) + 1)


def movement_list(request):
    """The movements the user can see, newest first; filters by kind and year, and a
    search that ignores accents. A province has few movements, so they are filtered and
    ordered here rather than in the database."""
    access = access_for(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    year = _int(request.GET.get("year"))
    movements = _visible_movements(access).annotate(
        cluster_count=Count("clusters", distinct=True),
        model_count=Count("exemplary_models", distinct=True),
    )
    if kind in Movement.Kind.values:
        movements = movements.filter(kind=kind)
    rows = list(movements)
    this_year = datetime.date.today().year
    years = sorted({y for m in rows for y in _years(m, this_year)}, reverse=True)
    if year:
        rows = [m for m in rows if year in _years(m, this_year)]
    words = fold(query).split()
    if words:
        rows = [m for m in rows if all(word in fold(m.name) for word in words)]
    rows.sort(key=lambda m: (sort_key(m.name), m.pk))
    rows.sort(key=lambda m: _begin(m) or datetime.date.min, reverse=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "clusters/movement_list.html",
        {
            "page_obj": page,
            "query": query,
            "kind": kind,
            "kinds": Movement.Kind.choices,
            "year": year,
            "years": years,
            "querystring_without_page": params.urlencode() + "&" if params else "",
            "can_create": access.is_staff,
        },
    )


def _movement_history(movement: Movement) -> list[selectors.HistoryEntry]:
    """The movement's history, with the changes of its participating clusters.

    Every historical record keeps a snapshot of the clusters; a change is shown where
    the snapshot differs from the one before. Two queries besides history_entries,
    and a third for the users of cluster changes that history_entries did not list.
    """
    entries = selectors.history_entries(movement.history.all(), hidden=frozenset({"province"}))
    snapshots = apps.get_model("clusters", "HistoricalMovement_clusters").objects.filter(
        history__id=movement.pk
    )
    members: dict[int, list[str]] = {}
    for row in snapshots.select_related("cluster").order_by("cluster__sort_key"):
        members.setdefault(row.history_id, []).append(
            row.cluster.name if row.cluster else str(row.cluster_id)
        )
    by_when = {entry.when: entry for entry in entries}
    label = str(Movement._meta.get_field("clusters").verbose_name).capitalize()
    previous: list[str] = []
    records = movement.history.order_by("history_date", "history_id").values_list(
        "history_id", "history_date", "history_user", "history_type"
    )
    added = []
    for history_id, when, user_id, history_type in records:
        current = members.get(history_id, [])
        if history_type != "-" and current != previous:
            change = selectors.Change(field=label, old=", ".join(previous), new=", ".join(current))
            entry = by_when.get(when)
            if entry is None:
                entry = selectors.HistoryEntry(
                    when=when, who=user_id, action=_("Changed"), label="", changes=[]
                )
                by_when[when] = entry
                added.append(entry)
            entry.changes.append(change)
        previous = current
    if added:
        ids = {entry.who for entry in added if entry.who}
        users = User.objects.in_bulk(ids) if ids else {}
        for entry in added:
            entry.who = users.get(entry.who)
    return sorted([*entries, *added], key=lambda e: e.when, reverse=True)


def movement_detail(request, pk):
    movement = _get_movement_for_user(request, pk)
    access = access_for(request.user)
    clusters = list(movement.clusters.all())
    visible_clusters = set(
        movement.clusters.filter(access.clusters_q()).values_list("pk", flat=True)
    )
    models = list(
        _visible_models(access)
        .filter(movement=movement)
        .select_related("unit")
        .order_by("-recognised_on", "title")[: MOVEMENT_MODELS_SHOWN + 1]
    )
    more = len(models) > MOVEMENT_MODELS_SHOWN
    models = models[:MOVEMENT_MODELS_SHOWN]
    # Vietnamese order among the models of the same day.
    models.sort(key=lambda m: sort_key(m.title))
    models.sort(key=lambda m: m.recognised_on or datetime.date.min, reverse=True)
    return render(
        request,
        "clusters/movement_detail.html",
        {
            "movement": movement,
            "clusters": clusters,
            "visible_clusters": visible_clusters,
            "models": models,
            "more_models": more,
            "history": _movement_history(movement),
            "can_manage": access.can_manage_province(movement.province_id),
            "can_record": _may_record_somewhere(access),
        },
    )


def _movement_form_page(request, form, movement, province):
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            instance = exemplary.movement_save(
                movement=instance, province=province, clusters=list(form.cleaned_data["clusters"])
            )
        except exemplary.RecordError as e:
            form.add_error(e.field if e.field in form.fields else None, str(e))
        else:
            messages.success(request, _("The movement was saved."))
            return redirect(instance)
    return render(request, "clusters/movement_form.html", {"form": form, "movement": movement})


def movement_create(request):
    province = _get_province_for_user(request, manage=True)
    form = forms.MovementForm(request.POST or None, province=province)
    return _movement_form_page(request, form, None, province)


def movement_update(request, pk):
    movement = _get_movement_for_user(request, pk, manage=True)
    form = forms.MovementForm(request.POST or None, instance=movement, province=movement.province)
    return _movement_form_page(request, form, movement, movement.province)


# --- The register of exemplary models ----------------------------------------------

ORDERS = ("date", "title")


def exemplary_list(request):
    """The register: filters by kind, year, unit and movement, a search of titles and
    people that ignores accents, newest first or in Vietnamese order of titles.

    The filtered rows are ordered on a few columns here (the database knows no Vietnamese
    order), then only the page's models are fetched with their units and movements.
    """
    access = access_for(request.user)
    visible = _visible_models(access)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    year = _int(request.GET.get("year"))
    unit_id = _int(request.GET.get("unit"))
    movement_id = _int(request.GET.get("movement"))
    order = request.GET.get("order", "date")
    if order not in ORDERS:
        order = "date"
    models = visible
    if kind in ExemplaryModel.Kind.values:
        models = models.filter(kind=kind)
    if year:
        models = models.filter(recognised_on__year=year)
    if unit_id:
        models = models.filter(unit_id=unit_id)
    if movement_id:
        models = models.filter(movement_id=movement_id)
    rows = list(models.values_list("pk", "title", "person_name", "recognised_on"))
    words = fold(query).split()
    if words:
        rows = [r for r in rows if all(w in fold(f"{r[1]} {r[2]}") for w in words)]
    by_date = lambda r: r[3] or datetime.date.min  # noqa: E731
    if order == "title":
        rows.sort(key=by_date, reverse=True)
        rows.sort(key=lambda r: sort_key(r[1]))
    else:
        rows.sort(key=lambda r: (sort_key(r[1]), r[0]))
        rows.sort(key=by_date, reverse=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = UnitName.objects.order_by("valid_from")
    fetched = (
        ExemplaryModel.objects.filter(pk__in=[r[0] for r in page.object_list])
        .select_related("unit", "movement")
        .prefetch_related(Prefetch("unit__names", queryset=names))
        .in_bulk()
    )
    items = [fetched[r[0]] for r in page.object_list if r[0] in fetched]
    cluster_units = (
        set(_cluster_units(access).values_list("unit_id", flat=True))
        if access.cluster_year_ids and not access.superuser
        else set()
    )
    for item in items:
        unit = item.unit
        # The unit under the name it bore when the model was recognised.
        item.unit_name = (
            unit.name_on(item.recognised_on)
            if unit and item.recognised_on
            else getattr(unit, "name", "")
        )
        item.can_edit = (
            access.can_manage_province(item.province_id)
            or item.unit_id in access.unit_ids
            or item.unit_id in cluster_units
        )
    # Links to the movements the user may open; a query only for users outside the province.
    linked = {i.movement_id for i in items if i.movement_id}
    if any(not access.can_view_province(i.province_id) for i in items if i.movement_id):
        linked = set(_visible_movements(access).filter(pk__in=linked).values_list("pk", flat=True))
    for item in items:
        item.movement_link = item.movement_id in linked
    page.object_list = items
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "clusters/exemplary_list.html",
        {
            "page_obj": page,
            "query": query,
            "kind": kind,
            "kinds": ExemplaryModel.Kind.choices,
            "year": year,
            "years": [d.year for d in visible.dates("recognised_on", "year", order="DESC")],
            "unit_id": unit_id,
            "units": Unit.objects.filter(pk__in=visible.values("unit_id")),
            "movement_id": movement_id,
            "movements": Movement.objects.filter(pk__in=visible.values("movement_id")),
            "order": order,
            "querystring_without_page": params.urlencode() + "&" if params else "",
            "can_create": _may_record_somewhere(access),
        },
    )


def _exemplary_form_page(request, form, model, province):
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            instance = exemplary.exemplary_model_save(model=instance, province=province)
        except exemplary.RecordError as e:
            form.add_error(e.field if e.field in form.fields else None, str(e))
        else:
            messages.success(request, _("The exemplary model was saved."))
            return redirect("clusters:exemplary_list")
    history = (
        selectors.history_entries(model.history.all(), hidden=frozenset({"province"}))
        if model
        else []
    )
    return render(
        request,
        "clusters/exemplary_form.html",
        {"form": form, "model": model, "history": history},
    )


def exemplary_create(request):
    """A new entry; `?unit=` and `?movement=` preselect them (from a movement's page)."""
    province, units, unit_required = _recording_scope(request)
    access = access_for(request.user)
    initial = {
        name: value for name in ("unit", "movement") if (value := _int(request.GET.get(name)))
    }
    form = forms.ExemplaryModelForm(
        request.POST or None,
        initial=initial,
        units=units,
        movements=_movement_choices(access, province),
        unit_required=unit_required,
    )
    return _exemplary_form_page(request, form, None, province)


def exemplary_update(request, pk):
    model = _get_exemplary_for_user(request, pk, edit=True)
    province, units, unit_required = _recording_scope(request, model.province)
    form = forms.ExemplaryModelForm(
        request.POST or None,
        instance=model,
        units=units,
        movements=_movement_choices(access_for(request.user), province),
        unit_required=unit_required,
    )
    return _exemplary_form_page(request, form, model, province)


@require_POST
def exemplary_delete(request, pk):
    model = _get_exemplary_for_user(request, pk, edit=True)
    title = model.title
    # The history keeps the deleted entry, with who removed it.
    model.delete()
    messages.success(request, _("%(title)s was removed from the register.") % {"title": title})
    return redirect("clusters:exemplary_list")
