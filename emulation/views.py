from django.shortcuts import redirect, render

from clusters.access import access_for


def home(request):
    """Send each user to the page they work from; the dashboard comes in a later issue."""
    access = access_for(request.user)
    if access.superuser or access.viewer_provinces:
        return redirect("clusters:cluster_list")
    if access.cluster_year_ids:
        return redirect("clusters:clusteryear_detail", pk=min(access.cluster_year_ids))
    if access.unit_ids:
        return redirect("clusters:unit_detail", pk=min(access.unit_ids))
    return render(request, "home_no_role.html")
