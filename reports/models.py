"""Issued documents: frozen snapshot, stored PDF and its hash, never changed or deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Province


class Kind(models.TextChoices):
    REVIEW_MINUTES = "review_minutes", _("Review conference minutes")
    DELIBERATION_MINUTES = "deliberation_minutes", _("Deliberation and acclamation minutes")
    TALLY_MINUTES = "tally_minutes", _("Tally minutes")
    SCORE_SUMMARY = "score_summary", _("Score summary table")
    PROPOSAL_LETTER = "proposal_letter", _("Proposal letter")
    CLUSTER_REPORT = "cluster_report", _("Cluster report")
    AWARD_DECISION = "award_decision", _("Award decision")
    LEADERS_REPORT = "leaders_report", _("Review report for leaders")


def _pdf_path(document, filename):
    return f"documents/{document.year}/{document.code}.pdf"


class Document(models.Model):
    """One issued version of a document. Drafts are not stored: they render from live data."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="documents"
    )
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    # Which object of its kind the document was built from (a meeting's id, "2022-annual"…).
    source_key = models.CharField(max_length=100)
    period = models.CharField(_("period"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    # The issuer's number series: one per cluster or province and calendar year (NĐ 30).
    series = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_text = models.CharField(_("number and symbol"), max_length=60, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField(_("data snapshot"))
    pdf = models.FileField(_("PDF"), upload_to=_pdf_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    code = models.CharField(_("verification code"), max_length=12, unique=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_in_series",
            ),
        ]
        indexes = [models.Index(fields=["kind", "source_key"])]

    def __str__(self):
        return f"{self.number_text or self.get_kind_display()} – {self.title}"

    def get_absolute_url(self):
        return reverse("reports:issued_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "replaced_by")


def _batch_path(batch, filename):
    return f"batches/{batch.year}/{filename}"


class RenderBatch(models.Model):
    """Many documents rendered at once by a background task, into one zip (or one PDF for
    the leaders' report). The page polls `done` out of `total` while the task runs."""

    class What(models.TextChoices):
        CLUSTER_MINUTES = "cluster_minutes", _("Minutes of every cluster in the year")
        LEADERS_REPORT = "leaders_report", _("Review report for leaders")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="batches"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    what = models.CharField(_("what"), max_length=30, choices=What.choices)
    # six_month or annual for the leaders' report; empty for the minutes of the year.
    period = models.CharField(_("period"), max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("documents done"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=_batch_path, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("render batch")
        verbose_name_plural = _("render batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_what_display()} {self.year} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reports:batch_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        """Progress as a whole percentage; a finished batch is at 100."""
        if self.state == self.State.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
