"""The user's own notifications: the list, opening one, marking them read, and the
unread count the navbar loads (through htmx, so that pages pay no query for it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Notification

PAGE_SIZE = 30


def _get_notification_for_user(request, pk: int) -> Notification:
    """One of the user's own notifications; a 404 for anyone else's."""
    return get_object_or_404(Notification, pk=pk, user=request.user)


def notification_list(request):
    notices = Notification.objects.filter(user=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clusters/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "unread": notices.filter(read_at__isnull=True).count(),
        },
    )


def notification_open(request, pk):
    """Mark the notification read and follow its link (back to the list if it has none)."""
    notice = _get_notification_for_user(request, pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notice.url if notice.url and safe else "clusters:notification_list")


@require_POST
def notification_read(request, pk):
    notice = _get_notification_for_user(request, pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return redirect("clusters:notification_list")


@require_POST
def notification_read_all(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, _("Every notification is marked as read."))
    return redirect("clusters:notification_list")


# The navbar asks for it on every page, and again once a session has expired: it answers
# empty instead of redirecting to the login page, which htmx would put in the navbar.
@login_not_required
def notification_badge(request):
    unread = 0
    if request.user.is_authenticated:
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "clusters/_notification_count.html", {"unread": unread})
