from django.shortcuts import render

from clusters.access import access_for
from clusters.views import dashboard


def home(request):
    """The dashboard of the current year for the user's role (clusters.views.dashboard):
    the province's for staff and leaders, their terms' for a cluster's head or secretary,
    their unit's for a member officer."""
    access = access_for(request.user)
    if access.superuser or access.viewer_provinces or access.cluster_year_ids or access.unit_ids:
        return dashboard.home(request)
    return render(request, "home_no_role.html")
