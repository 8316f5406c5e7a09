"""Clusters and blocs, their yearly terms and their members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, page_cache, selectors, services
from ..access import access_for
from ..models import Cluster, ClusterYear, Membership, RoleAssignment
from ..text import fold
from .units import _get_province_for_user


def _get_cluster_for_user(request, pk: int, *, manage: bool = False) -> Cluster:
    access = access_for(request.user)
    cluster = get_object_or_404(
        Cluster.objects.filter(access.clusters_q()).select_related("province"), pk=pk
    )
    if manage and not access.can_manage_province(cluster.province_id):
        raise PermissionDenied
    return cluster


def _get_clusteryear_for_user(request, pk: int, *, edit: bool = False, manage: bool = False):
    """The term if the user may see its cluster; `edit` allows its head and secretary,
    `manage` only provincial staff (memberships come from the province's decision)."""
    access = access_for(request.user)
    term = get_object_or_404(
        ClusterYear.objects.select_related(
            "cluster__province", "head_unit", "deputy_unit"
        ).order_by(),
        pk=pk,
    )
    # Checked here rather than in the query, which PostgreSQL plans in milliseconds.
    if not access.can_view_cluster(term.cluster):
        raise Http404
    if manage and not access.can_manage_province(term.cluster.province_id):
        raise PermissionDenied
    if edit and not access.can_edit_cluster_year(term):
        raise PermissionDenied
    return term


def _get_membership_for_user(request, pk: int) -> Membership:
    access = access_for(request.user)
    membership = get_object_or_404(
        Membership.objects.filter(
            cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("cluster_year__cluster", "unit"),
        pk=pk,
    )
    if not access.can_manage_province(membership.cluster_year.cluster.province_id):
        raise PermissionDenied
    return membership


def cluster_list(request):
    """Every visible cluster and bloc with its latest term: year, head and member count."""
    access = access_for(request.user)

    def build():
        query = request.GET.get("q", "").strip()
        clusters = Cluster.objects.filter(access.clusters_q()).select_related("province")
        if query:
            for word in fold(query).split():
                clusters = clusters.filter(search_text__contains=word)
        kind = request.GET.get("kind", "")
        if kind in Cluster.Kind.values:
            clusters = clusters.filter(kind=kind)
        latest_term = ClusterYear.objects.filter(cluster=OuterRef("pk")).order_by("-year")
        clusters = list(clusters.annotate(latest_term_id=Subquery(latest_term.values("pk")[:1])))
        latest_terms = (
            ClusterYear.objects.filter(
                pk__in=[c.latest_term_id for c in clusters if c.latest_term_id]
            )
            .select_related("head_unit")
            .annotate(member_count=Count("memberships"))
            .in_bulk()
        )
        for cluster in clusters:
            cluster.latest_term = latest_terms.get(cluster.latest_term_id)
        return {
            "clusters": clusters,
            "query": query,
            "kind": kind,
            "kinds": Cluster.Kind.choices,
            "can_create": access.is_staff,
        }

    return page_cache.render_page(
        request, "clusters/cluster_list.html", {}, "clusters/_cluster_list_body.html", build
    )


def cluster_detail(request, pk):
    cluster = _get_cluster_for_user(request, pk)
    access = access_for(request.user)
    years = cluster.years.select_related("head_unit", "deputy_unit").annotate(
        member_count=Count("memberships")
    )
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "years": years,
            "history": selectors.history_entries(cluster.history.all()),
            "can_manage": access.can_manage_province(cluster.province_id),
        },
    )


def cluster_create(request):
    province = _get_province_for_user(request, manage=True)
    form = forms.ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cluster = form.save(commit=False)
        cluster.province = province
        cluster.save()
        messages.success(request, _("%(name)s was created.") % {"name": cluster.name})
        return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": None})


def cluster_update(request, pk):
    cluster = _get_cluster_for_user(request, pk, manage=True)
    form = forms.ClusterForm(request.POST or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": cluster})


def clusteryear_create(request, pk):
    cluster = _get_cluster_for_user(request, pk, manage=True)
    latest = cluster.years.aggregate(latest=Max("year"))["latest"]
    form = forms.ClusterYearCreateForm(
        request.POST or None, initial={"year": (latest + 1) if latest else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            term = services.cluster_year_create(cluster=cluster, **form.cleaned_data)
        except services.ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The term %(year)s was opened.") % {"year": term.year})
            return redirect(term)
    return render(request, "clusters/clusteryear_create.html", {"form": form, "cluster": cluster})


def clusteryear_detail(request, pk):
    term = _get_clusteryear_for_user(request, pk)
    access = access_for(request.user)

    def build():
        memberships = term.memberships.select_related("unit").order_by(
            "unit__sort_key", "valid_from", "pk"
        )
        roles = RoleAssignment.objects.filter(cluster_year=term).select_related("user")
        history = selectors.history_entries(
            term.history.all(),
            Membership.history.filter(cluster_year_id=term.pk).select_related("unit"),
            labels={Membership: lambda record: record.unit.name if record.unit_id else ""},
            hidden=frozenset({"cluster", "cluster_year"}),
        )
        return {
            "term": term,
            "cluster": term.cluster,
            "memberships": memberships,
            "roles": roles,
            "other_years": term.cluster.years.order_by("-year").values_list("pk", "year"),
            "history": history,
            "can_edit": access.can_edit_cluster_year(term),
            "can_manage": access.can_manage_province(term.cluster.province_id),
        }

    return page_cache.render_page(
        request,
        "clusters/clusteryear_detail.html",
        {"term": term, "cluster": term.cluster},
        "clusters/_clusteryear_detail_body.html",
        build,
    )


def clusteryear_update(request, pk):
    term = _get_clusteryear_for_user(request, pk, edit=True)
    form = forms.ClusterYearForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(term)
    return render(request, "clusters/clusteryear_form.html", {"form": form, "term": term})


def membership_create(request, pk):
    term = _get_clusteryear_for_user(request, pk, manage=True)
    form = forms.MembershipForm(request.POST or None, cluster_year=term)
    if request.method == "POST" and form.is_valid():
        membership = form.save(commit=False)
        membership.cluster_year = term
        membership.save()
        messages.success(
            request, _("%(unit)s was added to the members.") % {"unit": membership.unit.name}
        )
        return redirect(term)
    return render(
        request, "clusters/membership_form.html", {"form": form, "term": term, "membership": None}
    )


def membership_update(request, pk):
    membership = _get_membership_for_user(request, pk)
    term = membership.cluster_year
    form = forms.MembershipForm(request.POST or None, instance=membership, cluster_year=term)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(term)
    return render(
        request,
        "clusters/membership_form.html",
        {"form": form, "term": term, "membership": membership},
    )


@require_POST
def membership_delete(request, pk):
    membership = _get_membership_for_user(request, pk)
    term = membership.cluster_year
    if membership.unit_id in (term.head_unit_id, term.deputy_unit_id):
        messages.error(
            request, _("The head or deputy unit cannot be removed; choose another one first.")
        )
        return redirect(term)
    name = membership.unit.name
    membership.delete()
    messages.success(request, _("%(unit)s was removed from the members.") % {"unit": name})
    return redirect(term)
