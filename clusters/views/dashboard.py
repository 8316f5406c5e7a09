"""The home page of each user for a year: the province's dashboard for staff and leaders,
their own terms for a cluster's head or secretary, their unit for a member officer.

The province's leading units cost every agreed score of the year, so the dashboard asks
for them in a second request (`leaders`, through htmx) and shows the rest at once.
"""

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .. import dashboard, page_cache, progress, ranking
from ..access import access_for
from ..models import ClusterYear, Membership
from .units import _get_province_for_user


def home(request, year: int | None = None):
    """The dashboard of `year` (by default the current one) for the user's widest role."""
    access = access_for(request.user)
    if access.superuser or access.viewer_provinces:
        return _province_dashboard(request, year)
    if access.cluster_year_ids:
        return _cluster_home(request, year, access.cluster_year_ids)
    if access.unit_ids:
        return _unit_home(request, year, access.unit_ids)
    raise Http404


def _year_nav(year: int) -> dict:
    return {"year": year, "previous_year": year - 1, "next_year": year + 1}


def _summary(rows, items) -> dict:
    return {
        "steps": progress.STEPS,
        "done_steps": sum(row.done_count for row in rows),
        "all_steps": len(rows) * len(progress.STEPS),
        "missed_count": sum(1 for item in items if item.missed),
        "coming_count": sum(1 for item in items if not item.missed),
        "missed_groups": dashboard.group_deadlines(i for i in items if i.missed),
        "coming_groups": dashboard.group_deadlines(i for i in items if not i.missed),
        "window_days": dashboard.DEADLINE_WINDOW_DAYS,
    }


def _province_dashboard(request, year):
    access = access_for(request.user)
    try:
        province = _get_province_for_user(request)
    except Http404:
        # An administrator of an installation without a province yet: set one up.
        if access.superuser:
            return redirect("clusters:cluster_list")
        raise
    today = timezone.localdate()
    if year is None:
        year = _province_year(province, today)

    def build():
        rows = progress.province_progress(province, year, today)
        actions = []
        if access.can_manage_province(province.pk):
            term_ids = [row.term.pk for row in rows]
            actions = dashboard.staff_actions(
                rows, dashboard.agreed_periods(term_ids), dashboard.unawarded_items(term_ids)
            )
        items = dashboard.deadlines(rows, today, dashboard.DEADLINE_WINDOW_DAYS)
        return {
            "scope": "province",
            "province": province,
            "rows": rows,
            "actions": actions,
            "action_count": dashboard.action_count(actions),
            "may_act": access.can_manage_province(province.pk),
            # The leading units come from `leaders`, once the page is shown.
            "leaders_inline": False,
            # Charts of the year go in clusters/_dashboard_charts.html; set when they exist.
            "show_charts": False,
            **_summary(rows, items),
            **_year_nav(year),
        }

    return _render_home(
        request, "dashboard", {"scope": "province", "year": year}, build, vary=(province.pk,)
    )


def _province_year(province, today) -> int:
    """The current year, or the latest with terms while the new year's are not set up."""
    if ClusterYear.objects.filter(cluster__province=province, year=today.year).exists():
        return today.year
    latest = ClusterYear.objects.filter(cluster__province=province).aggregate(Max("year"))
    return latest["year__max"] or today.year


def _render_home(request, name, context, build, vary=()):
    return page_cache.render_page(
        request, f"clusters/{name}.html", context, f"clusters/_{name}_body.html", build, vary
    )


def leaders(request, year: int):
    """The leading unit of every cluster and bloc of the province so far, as cells that
    htmx puts in the dashboard's table (out-of-band swaps by the term's id)."""
    province = _get_province_for_user(request)

    def build():
        rankings = ranking.province_year_rankings(province, year)
        leaders = dashboard.leaders_by_term(rankings)
        return {"cells": [(r.cluster_year.pk, leaders.get(r.cluster_year.pk)) for r in rankings]}

    body = page_cache.cached_body(
        request, "clusters/_dashboard_leaders.html", build, vary=(province.pk,)
    )
    return HttpResponse(body)


def _cluster_home(request, year, term_ids):
    """The head's or secretary's own terms of the year (by default the latest year they
    hold one) with their steps, deadlines, leading units and what they still have to do."""
    today = timezone.localdate()
    terms = ClusterYear.objects.filter(pk__in=term_ids).select_related("cluster__province")
    if year is None:
        year = max(term.year for term in terms)

    def build():
        own = [term for term in terms if term.year == year]
        rows = []
        for province in {term.cluster.province for term in own}:
            rows += [
                row
                for row in progress.province_progress(province, year, today)
                if row.term.pk in term_ids
            ]
        items = dashboard.deadlines(rows, today, dashboard.DEADLINE_WINDOW_DAYS)
        leaders = dashboard.leaders_by_term(dashboard.term_rankings([row.term for row in rows]))
        for row in rows:
            row.leader = leaders.get(row.term.pk)
        actions = dashboard.cluster_actions(
            rows, dashboard.agreed_periods([row.term.pk for row in rows])
        )
        return {
            "scope": "cluster",
            "rows": rows,
            "actions": actions,
            "action_count": dashboard.action_count(actions),
            "may_act": True,
            "leaders_inline": True,
            "show_charts": False,
            **_summary(rows, items),
            **_year_nav(year),
        }

    return _render_home(request, "dashboard", {"scope": "cluster", "year": year}, build)


def _unit_home(request, year, unit_ids):
    """The member unit's totals and rank in each period of the year (by default the
    latest year it is a member of a cluster), and what it still has to hand in."""
    today = timezone.localdate()
    if year is None:
        latest = Membership.objects.filter(unit_id__in=unit_ids).aggregate(
            Max("cluster_year__year")
        )
        year = latest["cluster_year__year__max"] or today.year

    def build():
        return {
            "overviews": dashboard.unit_overview(unit_ids, year, today),
            **_year_nav(year),
        }

    return _render_home(request, "unit_home", {"year": year}, build)
