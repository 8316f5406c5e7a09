"""Background batches: every cluster's minutes of a year into one zip, with progress.

The tests run the task with the immediate backend (emulation/testing.py), so a batch is
finished when the start view answers; one test uses the database backend and the worker
command, as `make run` does. The minutes kinds are stood in for by a small fake kind, so
that these tests depend only on the batch machinery.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.models import AwardForm, Ballot, Meeting
from clusters.views.meetings import _get_meeting_for_user
from reports import (
    builders,  # noqa: F401  (the real kinds register first)
    tasks,
)
from reports.kinds import KINDS, DocumentKind, cluster_issuer
from reports.models import Document, Kind, RenderBatch

pytestmark = pytest.mark.django_db

START = reverse("reports:batch_start")
State = RenderBatch.State


class FakeMinutes(DocumentKind):
    """Minutes whose source is a meeting (or a ballot, for tally minutes)."""

    abbreviation = "BB"
    template = "reports/document.html"

    def __init__(self, code, fail=False):
        self.code = code
        self.fail = fail

    def get_source(self, request, key):
        if self.code == Kind.TALLY_MINUTES:
            ballot = Ballot.objects.get(pk=int(key))
            _get_meeting_for_user(request, ballot.meeting_id)
            return ballot.meeting
        return _get_meeting_for_user(request, int(key))

    def issuer(self, meeting):
        return cluster_issuer(meeting.cluster_year)

    def build(self, meeting):
        if self.fail:
            raise ValueError("Thiếu thư ký")
        issuer = self.issuer(meeting)
        name = {
            Kind.REVIEW_MINUTES: "Biên bản hội nghị",
            Kind.DELIBERATION_MINUTES: "Biên bản họp bình xét",
            Kind.TALLY_MINUTES: "Biên bản kiểm phiếu",
        }[self.code]
        title = f"{name} ngày {meeting.date:%d/%m/%Y}"
        return {
            "meta": {"title": title, "author": issuer.header_name},
            "header": {"parent": issuer.header_parent, "name": issuer.header_name},
            "symbol": f"BB-{issuer.symbol}",
            "number": None,
            "place": issuer.place,
            "date": None,
            "title": "BIÊN BẢN",
            "summary": title,
            "signatures": [],
            "recipients": [],
        }


@pytest.fixture
def fake_kinds(monkeypatch):
    for code in (Kind.REVIEW_MINUTES, Kind.DELIBERATION_MINUTES, Kind.TALLY_MINUTES):
        monkeypatch.setitem(KINDS, code, FakeMinutes(code))


@pytest.fixture
def fast_pdf(monkeypatch):
    """Drafts "rendered" as their title: the machinery is under test, not WeasyPrint."""
    monkeypatch.setattr(
        tasks, "pdf_bytes", lambda kind, snapshot: f"%PDF {snapshot['meta']['title']}".encode()
    )


@pytest.fixture
def meetings(term3, term4, tan_hong, hong_ngu):
    """Cluster 3: an annual review and a deliberation with two ballots; cluster 4: a
    six-month review. A covenant signing has no minutes in the batch."""

    def meeting(term, kind, day):
        return Meeting.objects.create(cluster_year=term, kind=kind, date=day)

    annual = meeting(term3, Meeting.Kind.ANNUAL_REVIEW, datetime.date(2022, 12, 20))
    deliberation = meeting(term3, Meeting.Kind.DELIBERATION, datetime.date(2022, 12, 21))
    signing = meeting(term3, Meeting.Kind.COVENANT_SIGNING, datetime.date(2022, 2, 10))
    six_month = meeting(term4, Meeting.Kind.SIX_MONTH_REVIEW, datetime.date(2022, 7, 15))
    forms = AwardForm.objects.order_by("position")[:2]
    ballots = [
        Ballot.objects.create(
            meeting=deliberation,
            award_form=form,
            quota=1,
            threshold_percent=Decimal(50),
            members_total=2,
            present=2,
        )
        for form in forms
    ]
    return {
        "annual": annual,
        "deliberation": deliberation,
        "signing": signing,
        "six_month": six_month,
        "ballots": ballots,
    }


def zip_entries(batch: RenderBatch) -> dict[str, bytes]:
    with batch.file.open("rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_minutes_jobs_list_every_clusters_minutes_in_order(province, meetings):
    jobs = tasks.minutes_jobs(province, 2022)
    first, second = meetings["ballots"]
    assert [(job.kind, job.key, job.folder) for job in jobs] == [
        (Kind.REVIEW_MINUTES, str(meetings["annual"].pk), "Cụm thi đua số 3"),
        (Kind.DELIBERATION_MINUTES, str(meetings["deliberation"].pk), "Cụm thi đua số 3"),
        (Kind.TALLY_MINUTES, str(first.pk), "Cụm thi đua số 3"),
        (Kind.TALLY_MINUTES, str(second.pk), "Cụm thi đua số 3"),
        (Kind.REVIEW_MINUTES, str(meetings["six_month"].pk), "Cụm thi đua số 4"),
    ]
    assert tasks.minutes_jobs(province, 2021) == []


def test_starting_a_batch_renders_every_minutes_into_a_zip(
    client_alice, alice, meetings, fake_kinds, fast_pdf
):
    response = client_alice.post(START, {"what": "cluster_minutes", "year": 2022})
    batch = RenderBatch.objects.get()
    assertRedirects(response, batch.get_absolute_url())
    assert (batch.state, batch.total, batch.done) == (State.DONE, 5, 5)
    assert batch.requested_by == alice and batch.task_id
    assert batch.finished_at is not None
    assert zip_entries(batch) == {
        "Cụm thi đua số 3/DỰ THẢO Biên bản hội nghị ngày 20-12-2022.pdf": (
            "%PDF Biên bản hội nghị ngày 20/12/2022".encode()
        ),
        "Cụm thi đua số 3/DỰ THẢO Biên bản họp bình xét ngày 21-12-2022.pdf": (
            "%PDF Biên bản họp bình xét ngày 21/12/2022".encode()
        ),
        "Cụm thi đua số 3/DỰ THẢO Biên bản kiểm phiếu ngày 21-12-2022.pdf": (
            "%PDF Biên bản kiểm phiếu ngày 21/12/2022".encode()
        ),
        "Cụm thi đua số 3/DỰ THẢO Biên bản kiểm phiếu ngày 21-12-2022 (2).pdf": (
            "%PDF Biên bản kiểm phiếu ngày 21/12/2022".encode()
        ),
        "Cụm thi đua số 4/DỰ THẢO Biên bản hội nghị ngày 15-07-2022.pdf": (
            "%PDF Biên bản hội nghị ngày 15/07/2022".encode()
        ),
    }


def test_an_issued_document_goes_in_as_stored(
    alice, province, term3, meetings, fake_kinds, fast_pdf
):
    annual = meetings["annual"]
    document = Document(
        kind=Kind.REVIEW_MINUTES,
        province=province,
        cluster_year=term3,
        source_key=str(annual.pk),
        period="annual",
        title="Biên bản hội nghị tổng kết năm 2022",
        series=f"cluster-{term3.cluster_id}",
        year=2022,
        number=2,
        number_text="02/BB-CTĐ3",
        issued_at=timezone.now(),
        issued_by=alice,
        snapshot={},
        sha256="0" * 64,
        code="ABCD-EFGH",
    )
    document.pdf.save("x.pdf", ContentFile(b"%PDF-1.7 stored bytes"), save=False)
    document.save()
    batch = tasks.batch_start(user=alice, province=province, year=2022, what="cluster_minutes")
    entries = zip_entries(batch)
    assert entries["Cụm thi đua số 3/02-BB-CTĐ3 Biên bản hội nghị tổng kết năm 2022.pdf"] == (
        b"%PDF-1.7 stored bytes"
    )
    assert not any("20-12-2022" in name for name in entries)
    assert len(entries) == 5


@pytest.mark.pdf
def test_drafts_are_real_pdfs_marked_as_drafts(alice, province, meetings, fake_kinds):
    batch = tasks.batch_start(user=alice, province=province, year=2022, what="cluster_minutes")
    assert batch.state == State.DONE
    content = zip_entries(batch)["Cụm thi đua số 4/DỰ THẢO Biên bản hội nghị ngày 15-07-2022.pdf"]
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "DỰ THẢO" in text and "Biên bản hội nghị ngày 15/07/2022" in text


def test_a_document_that_fails_fails_the_batch_with_its_reason(
    alice, province, meetings, fake_kinds, fast_pdf, monkeypatch
):
    monkeypatch.setitem(KINDS, Kind.TALLY_MINUTES, FakeMinutes(Kind.TALLY_MINUTES, fail=True))
    batch = tasks.batch_start(user=alice, province=province, year=2022, what="cluster_minutes")
    assert batch.state == State.FAILED
    assert batch.error == "Thiếu thư ký"
    # The two documents before the failing one were done.
    assert batch.done == 2
    assert not batch.file


def test_a_kind_not_available_is_left_out(alice, province, meetings, fast_pdf, monkeypatch):
    monkeypatch.setitem(KINDS, Kind.REVIEW_MINUTES, FakeMinutes(Kind.REVIEW_MINUTES))
    for code in (Kind.DELIBERATION_MINUTES, Kind.TALLY_MINUTES):
        monkeypatch.delitem(KINDS, code, raising=False)
    batch = tasks.batch_start(user=alice, province=province, year=2022, what="cluster_minutes")
    assert (batch.state, batch.done, batch.total) == (State.DONE, 5, 5)
    assert len(zip_entries(batch)) == 2


# Outside a test transaction: the worker closes a connection that is inside one, as it
# should between tasks, which would end the test's transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_start_view_only_queues_the_work_for_the_worker(
    client_alice, meetings, fake_kinds, fast_pdf
):
    db_backend = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    with override_settings(TASKS=db_backend):
        response = client_alice.post(START, {"what": "cluster_minutes", "year": 2022})
        batch = RenderBatch.objects.get()
        assertRedirects(response, batch.get_absolute_url(), fetch_redirect_response=False)
        assert (batch.state, batch.done) == (State.QUEUED, 0)
        assert batch.task_id
        # What `manage.py db_worker` does beside `make run`.
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (State.DONE, 5, 5)


def progress(client, batch):
    return client.get(reverse("reports:batch_progress", args=[batch.pk]))


def make_batch(user, province, **fields) -> RenderBatch:
    return RenderBatch.objects.create(
        requested_by=user, province=province, year=2022, what="cluster_minutes", **fields
    )


def test_the_progress_fragment_polls_itself_while_the_batch_runs(client_alice, alice, province):
    batch = make_batch(alice, province, state=State.RUNNING, total=8, done=2)
    response = progress(client_alice, batch)
    assertContains(response, 'hx-trigger="every 1s"')
    assertContains(response, f'hx-get="{reverse("reports:batch_progress", args=[batch.pk])}"')
    assertContains(response, 'aria-valuenow="25"')
    assertNotContains(response, "<html")
    assertNotContains(response, reverse("reports:batch_download", args=[batch.pk]))


def test_a_finished_batch_stops_polling_and_offers_its_file(client_alice, alice, province):
    batch = make_batch(alice, province, state=State.DONE, total=8, done=8)
    batch.file.save("batch.zip", ContentFile(b"PK zip"), save=True)
    response = progress(client_alice, batch)
    assertNotContains(response, "hx-trigger")
    assertContains(response, 'aria-valuenow="100"')
    download = reverse("reports:batch_download", args=[batch.pk])
    assertContains(response, download)
    file = client_alice.get(download)
    assert b"".join(file.streaming_content) == b"PK zip"
    assert "attachment" in file["Content-Disposition"] and ".zip" in file["Content-Disposition"]


def test_a_failed_batch_shows_its_error_and_stops_polling(client_alice, alice, province):
    batch = make_batch(alice, province, state=State.FAILED, total=8, done=3, error="Hết dung lượng")
    response = progress(client_alice, batch)
    assertNotContains(response, "hx-trigger")
    assertContains(response, "Hết dung lượng")
    assert client_alice.get(reverse("reports:batch_download", args=[batch.pk])).status_code == 404


def test_the_batch_page_holds_the_progress_fragment(client, leo, alice, province):
    batch = make_batch(alice, province, state=State.QUEUED)
    client.force_login(leo)
    response = client.get(batch.get_absolute_url())
    assertContains(response, 'id="batch-progress"')
    assertContains(response, 'hx-trigger="every 1s"')
    assertContains(response, "htmx.min.js")


def test_a_leader_may_start_a_batch(client, leo, meetings, fake_kinds, fast_pdf):
    client.force_login(leo)
    client.post(START, {"what": "cluster_minutes", "year": 2022})
    assert RenderBatch.objects.get().state == State.DONE


def test_the_leaders_report_needs_a_period(client_alice):
    response = client_alice.post(START, {"what": "leaders_report", "year": 2022})
    assertRedirects(response, reverse("reports:downloads"))
    assert not RenderBatch.objects.exists()


def test_strangers_see_no_batch_and_start_none(client, alice, eve, bob, dave, province):
    batch = make_batch(alice, province, state=State.DONE)
    urls = [
        batch.get_absolute_url(),
        reverse("reports:batch_progress", args=[batch.pk]),
        reverse("reports:batch_download", args=[batch.pk]),
    ]
    for user in (eve, bob, dave):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    # A cluster secretary and a member officer cannot render the province's documents.
    for user in (bob, dave):
        client.force_login(user)
        assert client.post(START, {"what": "cluster_minutes", "year": 2022}).status_code == 404
    assert RenderBatch.objects.count() == 1


def test_anonymous_is_sent_to_login_and_get_is_refused(client, alice, province):
    batch = make_batch(alice, province)
    url = batch.get_absolute_url()
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")
    client.force_login(alice)
    assert client.get(START).status_code == 405
