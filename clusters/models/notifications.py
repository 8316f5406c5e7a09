"""Notices to one user: deadline reminders, proposals returned for completion or waiting
for appraisal. Created only through clusters.notification_services, which also e-mails
them; the navbar shows how many are unread."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("Deadline coming")
        DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
        RETURNED = "returned", _("Returned for completion")
        TO_APPRAISE = "to_appraise", _("Proposal to appraise")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Written in the site's language when the notice is created, as the e-mail was.
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the notice is about, e.g. "deadline:12:scores:2026-12-15:missed": a user gets
    # one notice per key, so a reminder sent again is not a second notice. Empty for
    # notices of events that may recur (a proposal returned twice).
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_key_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None
