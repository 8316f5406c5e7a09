"""Documents rendered in the background (issue 5): the leaders' review report of the bench
province, built and rendered as the batch task does it, and the pages around batches.

    measure(scene, repeat) -> list of bench/run.py's Page

1. "leaders' report, build": the snapshot of every cluster (direct call).
2. "leaders' report, build + PDF": build and render, as the task does; its name carries
   the page count and the time a page (for information).
3. "leaders' report, … cluster pages": the same report with its clusters repeated until it
   passes 100 pages, built and rendered: the issue's target, a 100-page report under 10 s
   (100 ms a page).
4. "render batch task (leaders' report)": tasks.run_batch on a batch, file stored included
   (100 ms a page).
5. The batch start view (it only queues: under a second), the progress fragment the batch
   page polls every second, and the downloads page.

Run on its own against the bench database:

    SQLITE_PATH=/tmp/bench.sqlite3 .venv/bin/python bench/pages_documents_batch.py
"""

import copy
import io
import logging
import math
import os
import sys
import tempfile
import time
from pathlib import Path

BATCH_TARGET_MS_PER_PAGE = 100.0
START_TARGET_MS = 1000.0
PAGE_TARGET_MS = 100.0


def page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def call(function):
    """A request for run.measure that calls `function` and answers nothing to check."""

    def request(_client, _prepared):
        function()

    return request


def measure(scene, repeat: int) -> list:
    # Imported here: bench/run.py imports this module and may be running as __main__.
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult
    from run import Page
    from run import measure as measure_page

    from reports import tasks
    from reports.builders.leaders_report import ReportPeriod
    from reports.kinds import get_kind
    from reports.models import RenderBatch
    from reports.render import pdf_bytes

    kind = get_kind("leaders_report")
    year = scene.term.year
    source = ReportPeriod(scene.province, year, "annual")
    clusters = len(kind.build(source)["clusters"])
    heavy = max(1, min(repeat, 3))
    results = []

    build = Page(f"leaders' report, build ({clusters} clusters)", "-", "build()", method="call")
    measure_page(build, None, repeat, call(lambda: kind.build(source)))
    results.append(build)

    pages = page_count(pdf_bytes(kind, kind.build(source)))
    full = Page(
        f"leaders' report, build + PDF ({pages} pages)",
        "-",
        "pdf_bytes(build())",
        method="call",
    )
    measure_page(full, None, heavy, call(lambda: pdf_bytes(kind, kind.build(source))))
    full.name += f", {full.median_ms / pages:.0f} ms a page"
    results.append(full)

    # The same report with its clusters repeated until it passes 100 pages.
    snapshot = kind.build(source)
    times = math.ceil(110 / pages) if pages else 1
    bigger = copy.deepcopy(snapshot)
    bigger["clusters"] = [
        {**section, "number": n} for n, section in enumerate(snapshot["clusters"] * times, start=1)
    ]
    # The repeated charts repeat their SVG ids, which WeasyPrint reports; harmless here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    big_pages = page_count(pdf_bytes(kind, bigger))
    big = Page(
        f"leaders' report, {len(bigger['clusters'])} cluster pages ({big_pages} pages), "
        "build + PDF",
        "-",
        "build(); pdf_bytes(snapshot)",
        target_ms=BATCH_TARGET_MS_PER_PAGE * big_pages,
        method="call",
    )

    def build_and_render_bigger():
        kind.build(source)
        pdf_bytes(kind, bigger)

    measure_page(big, None, heavy, call(build_and_render_bigger))
    logging.getLogger("weasyprint").setLevel(logging.NOTSET)
    big.name += f", {big.median_ms / big_pages:.0f} ms a page"
    results.append(big)

    staff = scene.users[scene.staff]
    before = set(RenderBatch.objects.values_list("pk", flat=True))
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):

        def new_batch():
            return RenderBatch.objects.create(
                requested_by=staff,
                province=scene.province,
                year=year,
                what=RenderBatch.What.LEADERS_REPORT,
                period="annual",
            )

        task = Page(
            f"render batch task (leaders' report, {pages} pages)",
            "-",
            "tasks.run_batch(batch)",
            target_ms=BATCH_TARGET_MS_PER_PAGE * pages,
            method="call",
        )

        def run(_client, batch):
            tasks.run_batch(batch)
            if batch.state != RenderBatch.State.DONE:
                raise SystemExit(f"The batch failed: {batch.error}")

        measure_page(task, None, heavy, run, new_batch)
        results.append(task)

        client = Client()
        client.force_login(staff)
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        db_backend = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, TASKS=db_backend):
            start = Page(
                "batch start (queues the task)",
                scene.staff,
                reverse("reports:batch_start"),
                target_ms=START_TARGET_MS,
                method="POST",
            )

            def post(client, _prepared):
                response = client.post(
                    start.url, {"what": "leaders_report", "year": year, "period": "annual"}
                )
                if response.status_code != 302:
                    raise SystemExit(f"batch start answered {response.status_code}")
                return response

            measure_page(start, client, repeat, post)
            results.append(start)
            batch = RenderBatch.objects.exclude(pk__in=before).order_by("-pk").first()
            for name, url in (
                ("batch progress fragment", reverse("reports:batch_progress", args=[batch.pk])),
                ("batch page", batch.get_absolute_url()),
                ("downloads page", reverse("reports:downloads") + f"?year={year}"),
            ):
                page = Page(name, scene.staff, url, target_ms=PAGE_TARGET_MS)
                measure_page(page, client, repeat)
                results.append(page)
        # The queued batches would otherwise wait for a worker.
        created = RenderBatch.objects.exclude(pk__in=before)
        queued = [pk for pk in created.values_list("task_id", flat=True) if pk]
        DBTaskResult.objects.filter(id__in=queued).delete()
        created.delete()
    return results


def main() -> None:
    bench = Path(__file__).resolve().parent
    sys.path.insert(0, str(bench))
    os.environ.setdefault("DEBUG", "1")
    import run  # noqa: F401  (sets Django up)
    from run import print_table, scene_for

    from clusters.models import Province

    province = Province.objects.filter(name="Tỉnh Benchmark").first()
    if province is None:
        sys.exit("No province 'Tỉnh Benchmark': run bench/generate.py first.")
    from django.test.utils import override_settings

    started = time.perf_counter()
    # As bench/run.py measures: DEBUG off (no query log).
    with override_settings(DEBUG=False):
        pages = measure(scene_for(province), int(os.environ.get("REPEAT", "5")))
    print_table(pages)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
