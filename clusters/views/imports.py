"""Import of units and memberships from .xlsx or .csv. (Filled in by the import task.)"""

from django.http import Http404


def import_upload(request):
    raise Http404


def import_template(request, kind, fmt):
    raise Http404
