"""Background rendering of many documents: start a batch, watch its progress, download it."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusters.access import access_for
from clusters.models import Period
from clusters.views.units import _get_province_for_user

from . import forms, tasks
from .models import RenderBatch


def _get_batch_for_user(request, pk: int) -> RenderBatch:
    """A batch is seen by the staff and leaders of its province."""
    batch = get_object_or_404(RenderBatch.objects.select_related("requested_by"), pk=pk)
    if not access_for(request.user).can_view_province(batch.province_id):
        raise Http404
    return batch


@require_POST
def batch_start(request):
    """Queue a batch for the user's province and go to its page; the work is the task's."""
    province = _get_province_for_user(request)
    form = forms.BatchForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:downloads")
    batch = tasks.batch_start(user=request.user, province=province, **form.cleaned_data)
    return redirect(batch)


def batch_detail(request, pk: int):
    batch = _get_batch_for_user(request, pk)
    return render(
        request,
        "reports/batch_detail.html",
        {"batch": batch, "downloads_url": reverse("reports:downloads") + f"?year={batch.year}"},
    )


def batch_progress(request, pk: int):
    """The progress bar alone, polled every second by the batch page until it finishes."""
    return render(
        request, "reports/_batch_progress.html", {"batch": _get_batch_for_user(request, pk)}
    )


def batch_download(request, pk: int):
    batch = _get_batch_for_user(request, pk)
    if batch.state != RenderBatch.State.DONE or not batch.file:
        raise Http404
    extension = "pdf" if batch.what == RenderBatch.What.LEADERS_REPORT else "zip"
    name = f"{batch.get_what_display()} {batch.year}"
    if batch.period:
        name += f" {Period.Kind(batch.period).label}"
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=f"{name}.{extension}")
