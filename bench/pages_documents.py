"""Documents (issue 5): the minutes of a review meeting of the measured term from click to
PDF, WeasyPrint alone on the same HTML, our overhead over it, and the download of the
issued PDF (stored, not rendered again). Called by bench/run.py."""

from clusters.models import Meeting, User
from reports import services
from reports.kinds import get_kind
from reports.pdf import render_pdf
from reports.render import render_html

MINUTES_TARGET_MS = 1000.0
DOWNLOAD_TARGET_MS = 50.0
OVERHEAD_TARGET_PERCENT = 15.0


def review_meeting(scene) -> Meeting:
    meeting = (
        Meeting.objects.filter(
            cluster_year=scene.term,
            kind__in=[Meeting.Kind.ANNUAL_REVIEW, Meeting.Kind.SIX_MONTH_REVIEW],
        )
        .order_by("-date")
        .first()
    )
    if meeting is None:
        raise SystemExit(f"{scene.term} has no review meeting: run bench/generate.py first.")
    return meeting


def pages(scene, page_class, measure, client, repeat: int) -> tuple[list, float]:
    """The minutes PDF through its URL, WeasyPrint alone on the same HTML, the issued
    download; and our overhead in percent of WeasyPrint's median."""
    from django.urls import reverse

    kind = get_kind("review_minutes")
    meeting = review_meeting(scene)
    minutes = page_class(
        "review minutes, click to PDF",
        scene.staff,
        reverse("reports:document_pdf", args=[kind.code, meeting.pk]),
        target_ms=MINUTES_TARGET_MS,
    )
    measure(minutes, client, repeat)

    html = render_html(kind, kind.build(meeting))
    alone = page_class("WeasyPrint alone, same HTML", "-", "render_pdf(html)", method="call")

    def weasyprint_alone(_client, _prepared):
        render_pdf(html)

    measure(alone, None, repeat, weasyprint_alone)

    staff = User.objects.get(username=scene.staff)
    document = services.current_version(kind, str(meeting.pk)) or services.issue(
        kind, meeting, user=staff
    )
    download = page_class(
        "issued minutes, download",
        scene.staff,
        reverse("reports:issued_pdf", args=[document.pk]),
        target_ms=DOWNLOAD_TARGET_MS,
    )
    measure(download, client, repeat)
    overhead = (minutes.median_ms - alone.median_ms) / alone.median_ms * 100
    return [minutes, alone, download], overhead


def page_count(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
