"""Notifications: a notice in the application and the same notice by e-mail.

`notify` is the one way to create them. A notice with a key reaches each user once, so
reminders can be sent again and again (`manage.py send_reminders`, daily) without
repeating themselves. Users with an e-mail address also get the notice by e-mail, sent
once the transaction that created it commits, through Django's EMAIL_BACKEND (the
console by default; SMTP when configured).

Notices are written in the site's language (settings.LANGUAGE_CODE), as e-mails are:
they are a record of what was sent.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import dashboard, progress
from .models import Notification, Proposal, Province, RoleAssignment, User

Kind = Notification.Kind
Role = RoleAssignment.Role

logger = logging.getLogger(__name__)

# Deadline reminders start this many days before the deadline.
REMINDER_DAYS = 7


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    message: str = "",
    url: str = "",
    key: str = "",
) -> list[Notification]:
    """Give each user the notice, unless they already have one with the same `key`, and
    e-mail it to those who have an address. Returns the notices created."""
    recipients = {user.pk: user for user in users if user.is_active}
    if key:
        already = Notification.objects.filter(user__in=list(recipients), key=key)
        for user_id in already.values_list("user_id", flat=True):
            recipients.pop(user_id)
    if not recipients:
        return []
    now = timezone.now()
    notices = [
        Notification(
            user=user, kind=kind, title=title, message=message, url=url, key=key, created_at=now
        )
        for user in recipients.values()
    ]
    # A reminder sent at the same moment by a second process is not a second notice.
    Notification.objects.bulk_create(notices, ignore_conflicts=bool(key))
    addresses = [user.email for user in recipients.values() if user.email]
    if addresses:
        transaction.on_commit(lambda: _email(addresses, title, message, url))
    return notices


def _email(addresses: list[str], title: str, message: str, url: str) -> None:
    """One e-mail per address, so that no recipient sees the others. A mail server that
    fails is logged, not raised: the notice is in the application anyway."""
    body = message
    if url:
        body = f"{body}\n\n{settings.SITE_URL}{url}".strip()
    for address in addresses:
        try:
            send_mail(title, body, None, [address])
        except Exception:
            logger.exception("Could not e-mail the notice %r to %s", title, address)


def _cluster_users(term_ids: Iterable[int]) -> dict[int, list[User]]:
    """The heads and secretaries of each term, in one query."""
    result: dict[int, list[User]] = {}
    roles = RoleAssignment.objects.filter(
        cluster_year_id__in=list(term_ids), role__in=RoleAssignment.CLUSTER_ROLES
    ).select_related("user")
    for role in roles.order_by("pk"):
        result.setdefault(role.cluster_year_id, []).append(role.user)
    return result


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def proposal_returned_notify(*, proposal: Proposal) -> list[Notification]:
    """Tell the head and secretary of the proposal's term that the province returned it
    for completion, and why."""
    term = proposal.cluster_year
    users = _cluster_users([term.pk]).get(term.pk, [])
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The proposal of %(cluster)s for %(year)s was returned for completion") % {
            "cluster": term.cluster.name,
            "year": term.year,
        }
        message = _("What to complete: %(reason)s") % {"reason": proposal.return_reason}
    return notify(
        users=users,
        kind=Kind.RETURNED,
        title=title,
        message=message,
        url=proposal.get_absolute_url(),
    )


def deadline_reminders_send(
    *, today: datetime.date | None = None, days: int = REMINDER_DAYS, year: int | None = None
) -> int:
    """Remind every province's cluster heads and secretaries of the steps of the year
    whose deadline comes within `days` or has passed, and its staff of the proposals
    waiting for appraisal. Each reminder reaches a user once (its key names the term,
    step, deadline and whether it was missed). Returns the number of notices created."""
    today = today or timezone.localdate()
    year = year or today.year
    created = 0
    for province in Province.objects.order_by("pk"):
        rows = progress.province_progress(province, year, today)
        if not rows:
            continue
        users_of = _cluster_users(row.term.pk for row in rows)
        staff = [
            role.user
            for role in RoleAssignment.objects.filter(
                province=province, role=Role.PROVINCIAL_STAFF
            ).select_related("user")
        ]
        with translation.override(settings.LANGUAGE_CODE):
            for item in dashboard.deadlines(rows, today, days):
                created += len(_remind(item, users_of.get(item.row.term.pk, [])))
            for row in rows:
                if row.proposal_state == Proposal.State.SUBMITTED:
                    created += len(_remind_appraisal(row, staff))
    return created


def _remind(item: dashboard.Deadline, users: list[User]) -> list[Notification]:
    term, step = item.row.term, item.step
    values = {"cluster": term.cluster.name, "step": item.label, "date": _day(step.deadline)}
    if item.missed:
        kind = Kind.DEADLINE_MISSED
        title = _("%(cluster)s: the step “%(step)s” was due by %(date)s") % values
        message = _("The deadline has passed and the step is not done yet.")
    else:
        kind = Kind.DEADLINE_SOON
        title = _("%(cluster)s: the step “%(step)s” is due by %(date)s") % values
        message = _("The step is not done yet.")
    return notify(
        users=users,
        kind=kind,
        title=title,
        message=message,
        url=dashboard.step_url(item.row, step.key),
        key=f"deadline:{term.pk}:{step.key}:{step.deadline.isoformat()}:{kind}",
    )


def _remind_appraisal(row: progress.TermProgress, staff: list[User]) -> list[Notification]:
    term = row.term
    submitted = next(step.done_on for step in row.steps if step.key == "proposal")
    title = _("The proposal of %(cluster)s for %(year)s waits for appraisal") % {
        "cluster": term.cluster.name,
        "year": term.year,
    }
    return notify(
        users=staff,
        kind=Kind.TO_APPRAISE,
        title=title,
        url=reverse("clusters:appraisal_detail", args=[row.proposal_id]),
        # Submitted again after a return, it is a new reminder.
        key=f"appraisal:{row.proposal_id}:{submitted.isoformat() if submitted else ''}",
    )
