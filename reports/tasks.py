"""Rendering many documents at once, in a background task (django-tasks, database backend).

A request creates a RenderBatch and enqueues `render_batch`; the worker
(`manage.py db_worker`) renders every document, counting `done` after each one so the
batch page can show the progress, and stores one zip (or one PDF for the leaders'
report). A document that has been issued is taken as stored, never rendered again;
the others are rendered live as drafts (marked DỰ THẢO on every page).
"""

import logging
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import F
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from django_tasks import task

from clusters.models import Ballot, Meeting, Province

from .builders.leaders_report import ReportPeriod
from .kinds import get_kind
from .models import Kind, RenderBatch
from .render import pdf_bytes
from .services import current_version

logger = logging.getLogger(__name__)

State = RenderBatch.State


@dataclass(frozen=True)
class Job:
    """One document of a batch: its kind and source key, and the zip folder it goes in."""

    kind: str
    key: str
    folder: str = ""


def minutes_jobs(province: Province, year: int) -> list[Job]:
    """Every review, deliberation and tally minutes of every cluster of the province in
    `year`, cluster by cluster in Vietnamese order, each cluster's meetings by date."""
    meetings = (
        Meeting.objects.filter(cluster_year__cluster__province=province, cluster_year__year=year)
        .exclude(kind=Meeting.Kind.COVENANT_SIGNING)
        .select_related("cluster_year__cluster")
        .order_by("cluster_year__cluster__kind", "cluster_year__cluster__sort_key", "date", "pk")
    )
    ballots: dict[int, list[int]] = {}
    for meeting_id, ballot_id in (
        Ballot.objects.filter(meeting__in=meetings)
        .order_by("award_form__position", "round", "pk")
        .values_list("meeting_id", "pk")
    ):
        ballots.setdefault(meeting_id, []).append(ballot_id)
    jobs = []
    for meeting in meetings:
        folder = meeting.cluster_year.cluster.name
        if meeting.kind == Meeting.Kind.DELIBERATION:
            jobs.append(Job(Kind.DELIBERATION_MINUTES, str(meeting.pk), folder))
            jobs += [Job(Kind.TALLY_MINUTES, str(pk), folder) for pk in ballots.get(meeting.pk, [])]
        else:
            jobs.append(Job(Kind.REVIEW_MINUTES, str(meeting.pk), folder))
    return jobs


def leaders_report_key(province: Province, year: int, period: str) -> str:
    return ReportPeriod(province, year, period).key()


def batch_jobs(batch: RenderBatch) -> list[Job]:
    if batch.what == RenderBatch.What.LEADERS_REPORT:
        return [
            Job(Kind.LEADERS_REPORT, leaders_report_key(batch.province, batch.year, batch.period))
        ]
    return minutes_jobs(batch.province, batch.year)


def entry_name(title: str, number_text: str = "", folder: str = "", *, draft: bool = False) -> str:
    """A zip entry: "Cụm thi đua số 3/02-BB-CTĐ3 Biên bản ….pdf"; a draft says so instead
    of a number. Slashes inside the number or title would make folders."""
    prefix = "DỰ THẢO" if draft else number_text
    name = f"{prefix} {title}".replace("/", "-").replace("\\", "-")[:150].strip()
    return f"{folder.replace('/', '-')}/{name}.pdf" if folder else f"{name}.pdf"


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or "name (2).pdf" when the zip already has an entry of that name."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = name.removesuffix(".pdf") + f" ({n}).pdf"
    taken.add(candidate)
    return candidate


def render_job(job: Job, request) -> tuple[str, bytes]:
    """(entry name, PDF bytes) of one document: the issued version's stored bytes if there
    is one, else a draft rendered now from the live data, with the user's access."""
    kind = get_kind(job.kind)
    issued = current_version(kind, job.key)
    if issued is not None:
        with issued.pdf.open("rb") as file:
            return entry_name(issued.title, issued.number_text, job.folder), file.read()
    snapshot = kind.build(kind.get_source(request, job.key))
    name = entry_name(snapshot["meta"]["title"], folder=job.folder, draft=True)
    return name, pdf_bytes(kind, snapshot)


def run_batch(batch: RenderBatch) -> None:
    """Render the batch's documents into its file, counting each one as it is done.

    A document the user may no longer see, or whose kind is not available, is left out;
    any other error fails the batch with its message.
    """
    jobs = batch_jobs(batch)
    batch.state, batch.total, batch.done = State.RUNNING, len(jobs), 0
    batch.save(update_fields=["state", "total", "done"])
    request = RequestFactory().get("/")
    request.user = batch.requested_by
    try:
        if batch.what == RenderBatch.What.LEADERS_REPORT:
            _name, content = render_job(jobs[0], request)
            RenderBatch.objects.filter(pk=batch.pk).update(done=1)
            batch.file.save(f"batch-{batch.pk}.pdf", ContentFile(content), save=False)
        else:
            _write_zip(batch, jobs, request)
    except Exception as error:
        logger.exception("Render batch %s failed", batch.pk)
        batch.state, batch.error = State.FAILED, str(error) or error.__class__.__name__
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "error", "finished_at"])
        return
    batch.refresh_from_db(fields=["done"])
    batch.state, batch.finished_at = State.DONE, timezone.now()
    batch.save(update_fields=["state", "file", "finished_at"])


def _write_zip(batch: RenderBatch, jobs: list[Job], request) -> None:
    taken: set[str] = set()
    with tempfile.TemporaryFile() as output:
        # PDFs are compressed already: storing them is as small and much faster.
        with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
            for job in jobs:
                try:
                    name, content = render_job(job, request)
                except Http404:
                    logger.info("Batch %s left out %s %s", batch.pk, job.kind, job.key)
                else:
                    archive.writestr(unique_name(name, taken), content)
                # Counted in the database at once: the batch page polls it.
                RenderBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
        output.seek(0)
        batch.file.save(f"batch-{batch.pk}.zip", File(output), save=False)


@task()
def render_batch(batch_id: int) -> None:
    batch = RenderBatch.objects.select_related("province", "requested_by").get(pk=batch_id)
    if batch.state != State.QUEUED:
        return
    run_batch(batch)


def batch_start(*, user, province: Province, year: int, what: str, period: str = "") -> RenderBatch:
    """Record the batch and hand it to the worker; returns at once (with the immediate
    backend of the tests, after the work is done)."""
    batch = RenderBatch.objects.create(
        requested_by=user, province=province, year=year, what=what, period=period
    )
    result = render_batch.enqueue(batch.pk)
    # Only the task id: the immediate backend has already saved the batch's outcome.
    RenderBatch.objects.filter(pk=batch.pk).update(task_id=result.id)
    batch.refresh_from_db()
    return batch
