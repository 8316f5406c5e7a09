"""The home pages (issue 6): the province's dashboard for staff and leaders, the leading
units it loads afterwards through htmx, a secretary's and a member officer's home, and
the notification list and navbar badge. Called by bench/run.py, which measures every
Page it returns with the client of its user (`scene.users`).

The bench has no member officer: `pages` makes `bench_officer` the officer of the
measured term's first member (once; reused on later runs) and adds it to scene.users.
"""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from clusters.models import Notification, RoleAssignment, User

DASHBOARD_TARGET_MS = 150.0
# The leading units rank every cluster of the province (all the agreed scores of the
# year): the same work and target as the province's ranking page (run.py's
# PROVINCE_RANKING_TARGET_MS). The dashboard is shown without waiting for them.
LEADERS_TARGET_MS = 2000.0
OFFICER = "bench_officer"
# Notices in the staff member's list: a page and more of them.
NOTICES = 40


def _user(scene, username: str) -> User:
    user = scene.users.get(username) or User.objects.get(username=username)
    scene.users[username] = user
    return user


def _officer(scene) -> User:
    """The officer of the measured term's first member, created on the first run."""
    unit = scene.members[0]
    user, _created = User.objects.get_or_create(
        username=OFFICER,
        defaults={"password": make_password("bench12345"), "province": scene.province},
    )
    RoleAssignment.objects.get_or_create(
        user=user, role=RoleAssignment.Role.MEMBER_OFFICER, province=scene.province, unit=unit
    )
    scene.users[OFFICER] = user
    return user


def _notices(user: User) -> None:
    missing = NOTICES - Notification.objects.filter(user=user, key__startswith="bench:").count()
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=Notification.Kind.DEADLINE_SOON,
            title=f"Nhắc hạn {n}",
            url="/",
            key=f"bench:{n}",
        )
        for n in range(missing)
    )


def pages(scene, target_ms: float, page_class=None) -> list:
    """The home pages to time, each with its user. `page_class` is bench/run.py's Page
    (imported from it when not given)."""
    if page_class is None:
        from run import Page as page_class

    year = scene.term.year
    staff = _user(scene, scene.staff)
    leader = next(
        (r.user for r in RoleAssignment.objects.filter(
            province=scene.province, role=RoleAssignment.Role.LEADER
        ).select_related("user")),
        None,
    )  # fmt: skip
    officer = _officer(scene)
    _notices(staff)
    dashboard = reverse("clusters:dashboard", args=[year])
    result = [
        page_class("home: dashboard of the year", staff.username, "/", DASHBOARD_TARGET_MS),
        page_class("dashboard, year", staff.username, dashboard, DASHBOARD_TARGET_MS),
        page_class(
            "dashboard: leading units (htmx)",
            staff.username,
            reverse("clusters:dashboard_leaders", args=[year]),
            LEADERS_TARGET_MS,
        ),
        page_class("home: unit of a member officer", officer.username, "/", DASHBOARD_TARGET_MS),
        page_class(
            "notification list", staff.username, reverse("clusters:notification_list"), target_ms
        ),
        page_class(
            "notification badge (htmx)",
            staff.username,
            reverse("clusters:notification_badge"),
            target_ms,
        ),
    ]
    if scene.secretary != scene.staff:
        result.append(
            page_class("home: secretary's cluster", scene.secretary, "/", DASHBOARD_TARGET_MS)
        )
    if leader is not None:
        _user(scene, leader.username)
        result.append(
            page_class("dashboard, year", leader.username, dashboard, DASHBOARD_TARGET_MS)
        )
    return result
