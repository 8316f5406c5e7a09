"""Units, their names over time and their reorganisation."""

import datetime

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import charts, forms, page_cache, selectors, services
from ..access import access_for
from ..models import Cluster, Membership, Province, Unit, UnitName, UnitSuccession
from ..text import sort_key

PAGE_SIZE = 50


def _get_unit_for_user(request, pk: int, *, contact: bool = False, manage: bool = False) -> Unit:
    """The unit if the user may see it (404 otherwise); PermissionDenied if they may
    not make the requested change."""
    access = access_for(request.user)
    unit = get_object_or_404(
        Unit.objects.filter(access.units_q()).select_related("province"), pk=pk
    )
    if manage and not access.can_manage_province(unit.province_id):
        raise PermissionDenied
    if contact and not access.can_edit_unit_contact(unit):
        raise PermissionDenied
    return unit


def _get_province_for_user(request, *, manage: bool = False) -> Province:
    """The province the user works in: their own if they may see it (or manage it),
    else the first one they may.

    A 404 for users who see no province as a whole; PermissionDenied when they may read
    it but `manage` is asked.
    """
    access = access_for(request.user)
    if not (access.superuser or access.viewer_provinces):
        raise Http404
    if manage and not access.is_staff:
        raise PermissionDenied
    allowed = access.staff_provinces if manage else access.viewer_provinces
    own = request.user.province_id
    if own is not None and (access.superuser or own in allowed):
        return request.user.province
    provinces = Province.objects.order_by("pk")
    if not access.superuser:
        provinces = provinces.filter(pk__in=allowed)
    province = provinces.first()
    if province is None:
        raise Http404
    return province


def _parse_day(value: str | None) -> datetime.date | None:
    field = django_forms.DateField(required=False, localize=True)
    try:
        return field.clean(value) if value else None
    except django_forms.ValidationError:
        return None


def unit_list(request):
    """Units in Vietnamese order, searchable without accents; `as_of` lists the units
    that existed on a day, under the names they had then."""
    access = access_for(request.user)

    def build():
        query = request.GET.get("q", "").strip()
        kind = request.GET.get("kind", "")
        as_of_text = request.GET.get("as_of", "").strip()
        as_of = _parse_day(as_of_text)
        units = Unit.objects.filter(access.units_q()).select_related("province").search(query)
        if kind in Unit.Kind.values:
            units = units.filter(kind=kind)
        if as_of:
            names_then = UnitName.objects.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=as_of),
                Q(valid_to__isnull=True) | Q(valid_to__gte=as_of),
            )
            rows = list(
                units.existing_on(as_of).prefetch_related(
                    Prefetch("names", queryset=names_then, to_attr="names_then")
                )
            )
            for unit in rows:
                unit.display_name = unit.names_then[0].name if unit.names_then else unit.name
            # Names differ by date, so the order is computed on the names of that day.
            rows.sort(key=lambda u: (sort_key(u.display_name), u.pk))
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        else:
            page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
            for unit in page:
                unit.display_name = unit.name
        params = request.GET.copy()
        params.pop("page", None)
        return {
            "page_obj": page,
            "query": query,
            "kind": kind,
            "kinds": Unit.Kind.choices,
            "as_of": as_of,
            "as_of_text": as_of_text,
            "as_of_invalid": bool(as_of_text) and as_of is None,
            "querystring_without_page": params.urlencode() + "&" if params else "",
            "can_create": access.is_staff,
        }

    return page_cache.render_page(
        request, "clusters/unit_list.html", {}, "clusters/_unit_list_body.html", build
    )


def unit_detail(request, pk):
    unit = _get_unit_for_user(request, pk)
    access = access_for(request.user)

    def build():
        before, after = selectors.unit_lineage(unit)
        memberships = (
            Membership.objects.filter(unit=unit)
            .filter(cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q()))
            .select_related("cluster_year__cluster")
            .order_by("-cluster_year__year", "cluster_year__cluster__sort_key")
        )
        history = selectors.history_entries(
            unit.history.all(),
            UnitName.history.filter(unit_id=unit.pk),
            labels={UnitName: lambda record: record.name},
            hidden=frozenset({"unit"}),
        )
        return {
            "unit": unit,
            "names": unit.names.all(),
            "predecessors": before,
            "successors": after,
            "memberships": memberships,
            "awards": selectors.unit_awards(unit, before),
            "can_view_decisions": access.can_view_province(unit.province_id),
            "history": history,
            "can_manage": access.can_manage_province(unit.province_id),
            "can_edit_contact": access.can_edit_unit_contact(unit),
        }

    return page_cache.render_page(
        request,
        "clusters/unit_detail.html",
        {"unit": unit},
        "clusters/_unit_detail_body.html",
        build,
    )


def unit_create(request):
    province = _get_province_for_user(request, manage=True)
    form = forms.UnitForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        unit = services.unit_create(province=province, unit=form.save(commit=False))
        messages.success(request, _("Unit %(name)s was created.") % {"name": unit.name})
        return redirect(unit)
    return render(request, "clusters/unit_form.html", {"form": form, "unit": None})


def unit_update(request, pk):
    """Staff edit every field; a member unit's officer edits only its contact details."""
    unit = _get_unit_for_user(request, pk, contact=True)
    access = access_for(request.user)
    if access.can_manage_province(unit.province_id):
        form = forms.UnitForm(request.POST or None, instance=unit, province=unit.province)
    else:
        form = forms.UnitContactForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(unit)
    return render(request, "clusters/unit_form.html", {"form": form, "unit": unit})


def unit_rename(request, pk):
    unit = _get_unit_for_user(request, pk, manage=True)
    form = forms.UnitRenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_rename(unit=unit, **form.cleaned_data)
        except services.ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The unit was renamed."))
            return redirect(unit)
    return render(request, "clusters/unit_rename.html", {"form": form, "unit": unit})


def reorganisation_list(request):
    access = access_for(request.user)
    links = (
        UnitSuccession.objects.filter(
            Q(predecessor__in=Unit.objects.filter(access.units_q()))
            | Q(successor__in=Unit.objects.filter(access.units_q()))
        )
        .select_related("predecessor", "successor")
        .order_by("-effective_date", "successor__sort_key", "predecessor__sort_key", "id")
    )
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clusters/reorganisation_list.html",
        {"page_obj": page, "querystring_without_page": "", "can_create": access.is_staff},
    )


def reorganisation_create(request):
    province = _get_province_for_user(request, manage=True)
    units = Unit.objects.filter(province=province)
    form = forms.ReorganisationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            links = services.reorganisation_record(
                kind=data["kind"],
                predecessors=list(data["predecessors"]),
                successors=list(data["successors"]),
                effective_date=data["effective_date"],
                legal_basis=data["legal_basis"],
                note=data["note"],
                close_predecessors=data["close_predecessors"],
            )
        except services.ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("The reorganisation was recorded (%(count)d links).") % {"count": len(links)},
            )
            return redirect("clusters:reorganisation_list")
    return render(request, "clusters/reorganisation_form.html", {"form": form})


def unit_history(request, pk):
    """The unit's results, awards and documents year by year, with those of the units it
    descends from, each under the name it had then; in the clusters the user may see."""
    unit = _get_unit_for_user(request, pk)
    access = access_for(request.user)
    before, after = selectors.unit_lineage(unit)
    track = selectors.unit_track_record(unit, predecessors=before, clusters_q=access.clusters_q())
    return render(
        request,
        "clusters/unit_history.html",
        {
            "unit": unit,
            "predecessors": before,
            "successors": after,
            "records": track.records,
            "latest": track.latest,
            "documents": track.documents,
            "awards": selectors.unit_awards(unit, before),
            "can_view_decisions": access.can_view_province(unit.province_id),
            "history_chart": _history_chart(unit, track),
            "groups_chart": _groups_chart(unit, track),
        },
    )


def _history_chart(unit: Unit, track: selectors.TrackRecord) -> charts.Chart | None:
    """Chart (c): score and rank per year, one line per unit of the lineage."""
    points = [
        charts.HistoryPoint(
            label=str(record.term.year),
            name=record.name,
            percent=record.row.result.percent,
            rank=record.row.rank,
            count=record.ranked,
            series=str(record.unit.pk),
        )
        for record in track.yearly()
        if record.row is not None
    ]
    if not points:
        return None
    return charts.rank_history(
        points, title=_("Score and rank over the years: %(name)s") % {"name": unit.name}
    )


def _groups_chart(unit: Unit, track: selectors.TrackRecord) -> charts.Chart | None:
    """Chart (b): the latest ranked period's points by criteria group against the average."""
    latest = track.latest
    if latest is None or not track.groups:
        return None
    rows = [
        (
            f"{group.criterion.code}. {group.criterion.text}",
            group.points,
            group.average,
            group.criterion.max_points or None,
        )
        for group in track.groups
    ]
    title = _("Points by criteria group, %(period)s %(year)s, %(cluster)s") % {
        "period": latest.period.get_kind_display().lower(),
        "year": latest.term.year,
        "cluster": latest.term.cluster.name,
    }
    return charts.group_comparison(
        rows,
        title=title,
        unit_label=latest.name,
    )
