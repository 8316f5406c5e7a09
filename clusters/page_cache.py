"""The bodies of the most-read pages, rendered once and shared by every user with the
same rights until the data changes.

A body is cached under the data version, the user's rights (not the user), the
language, the day (deadlines are counted from it) and the full URL. The version is a
random token in the database, replaced after every request that may write
(`emulation.middleware.data_version`) and by the commands and tasks that write outside
a request, so every process agrees on it and a cache shared by several nodes never
serves a body drawn from older data. The layout around the body (menu, user, the
forms' CSRF tokens) is rendered on every request; a body keeps a placeholder where a
form's token goes and each user gets their own.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .access import access_for
from .models import DataVersion

TIMEOUT_SECONDS = 600
CSRF_PLACEHOLDER = "csrf-token-of-the-request"


def data_version() -> str:
    # The row is made by a migration; a database emptied since (tests) has none yet.
    return DataVersion.objects.values_list("token", flat=True).first() or ""


def bump() -> str:
    """Mark every cached body as drawn from older data."""
    token = uuid.uuid4().hex
    if not DataVersion.objects.update(token=token):
        DataVersion.objects.create(token=token)
    return token


def body_key(request, version: str, vary: tuple = ()) -> str:
    parts = (
        version,
        access_for(request.user).digest(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *map(str, vary),
    )
    return "page-body:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached_body(request, body_template, build, vary: tuple = ()) -> str:
    """The HTML of `body_template` with the context `build()` returns, from the cache
    when the data has not changed. `build` does the page's real work; `vary` names
    what else the body depends on (the province a user with several works in)."""
    key = body_key(request, data_version(), vary)  # before any data is read for the body
    body = cache.get(key)
    if body is None:
        body = render_to_string(body_template, {**build(), "csrf_token": CSRF_PLACEHOLDER}, request)
        cache.set(key, body, TIMEOUT_SECONDS)
    return mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def render_page(request, template_name, context, body_template, build, vary: tuple = ()):
    """`template_name` rendered with `context`, which holds only what the layout needs
    (the title's objects), and `body`, the cached body."""
    body = cached_body(request, body_template, build, vary)
    return render(request, template_name, {**context, "body": body})
