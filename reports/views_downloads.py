"""The leaders' downloads page: the issued documents of a year, filtered, and one zip of them."""

import tempfile
import zipfile

from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.access import access_for
from clusters.models import Cluster, Period
from clusters.views.units import _get_province_for_user

from . import forms, tasks
from .models import Document, RenderBatch

PAGE_SIZE = 50
# Zips bigger than this go to a temporary file on disk instead of memory.
ZIP_IN_MEMORY_BYTES = 20 * 1024 * 1024
PERIOD_LABELS = dict(Period.Kind.choices)


def _visible(request):
    """(province, documents, clusters) the user may download from: the whole province for
    its staff and leaders, their own clusters' documents for cluster heads and secretaries."""
    access = access_for(request.user)
    if access.superuser or access.viewer_provinces:
        province = _get_province_for_user(request)
        return (
            province,
            Document.objects.filter(province=province),
            Cluster.objects.filter(province=province),
        )
    if access.cluster_ids:
        return (
            None,
            Document.objects.filter(cluster_year__cluster_id__in=access.cluster_ids),
            Cluster.objects.filter(pk__in=access.cluster_ids),
        )
    raise Http404


def _filtered(request):
    """(province, form, documents): the current versions the filters select, province
    documents first, then cluster by cluster, each in the order of issue."""
    province, documents, clusters = _visible(request)
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = forms.DocumentFilterForm(data, clusters=clusters.order_by("kind", "sort_key", "pk"))
    documents = form.filter(documents) if form.is_valid() else documents.none()
    documents = (
        documents.filter(replaced_by__isnull=True)
        .select_related("cluster_year__cluster")
        # A snapshot can be large (the leaders' report) and neither page nor zip needs it.
        .defer("snapshot")
        .order_by(
            F("cluster_year__cluster__kind").asc(nulls_first=True),
            "cluster_year__cluster__sort_key",
            "issued_at",
            "pk",
        )
    )
    return province, form, documents


def _folder(document: Document) -> str:
    return document.cluster_year.cluster.name if document.cluster_year else ""


def _report_key(province, year: int, period: str) -> str:
    return tasks.leaders_report_key(province, year, period) if province else ""


def downloads(request):
    province, form, documents = _filtered(request)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    batches = []
    if province is not None:
        batches = list(
            RenderBatch.objects.filter(province=province).select_related("requested_by")[:5]
        )
    return render(
        request,
        "reports/downloads.html",
        {
            "province": province,
            "form": form,
            "year": year,
            "page_obj": page,
            "rows": [(d, PERIOD_LABELS.get(d.period, "")) for d in page],
            "querystring": params.urlencode(),
            "querystring_without_page": params.urlencode() + "&" if params else "",
            "batches": batches,
            "batch_form": forms.BatchForm(initial={"year": year}, auto_id="batch_%s"),
            "six_month_key": _report_key(province, year, "six_month"),
            "annual_key": _report_key(province, year, "annual"),
        },
    )


def downloads_zip(request):
    """The stored PDFs of every filtered document, zipped now: they are stored, not
    rendered, so this is fast. Entries are named by number and title, in cluster folders."""
    _province, form, documents = _filtered(request)
    if not form.is_valid():
        raise Http404
    output = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY_BYTES)
    taken: set[str] = set()
    # PDFs are compressed already: storing them is as small and much faster.
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
        for document in documents:
            name = tasks.entry_name(document.title, document.number_text, _folder(document))
            with document.pdf.open("rb") as file:
                archive.writestr(tasks.unique_name(name, taken), file.read())
    output.seek(0)
    name = _("Documents %(year)s") % {"year": form.cleaned_data["year"]}
    return FileResponse(output, as_attachment=True, filename=f"{name}.zip")
