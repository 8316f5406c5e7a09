"""The cached bodies of the most-read pages (clusters.page_cache), with the cache on."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clusters import page_cache
from clusters.access import Access
from clusters.models import Membership, RoleAssignment

from .factories import make_unit, make_user

Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The version rolls back with each test's data, the cache does not.
    cache.clear()


@pytest.fixture
def alice2(province):
    """Another officer of alice's province: the same rights."""
    return make_user("alice2", {"role": Role.PROVINCIAL_STAFF, "province": province})


def _client(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def _queries(client, url, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_body_is_drawn_once_and_served_until_a_write(
    tan_hong, dave, alice, django_assert_num_queries
):
    url = tan_hong.get_absolute_url()
    staff = _client(alice)
    # Session, user, roles, the unit, the version; then the unit's lineage, memberships,
    # names, history and awards.
    _queries(staff, url, django_assert_num_queries, 12)
    # Drawn from the cache: session, user, roles, the unit and the version only.
    cached = _queries(staff, url, django_assert_num_queries, 5)
    assert "0277 3 851 234" not in cached.content.decode()

    officer = _client(dave)
    response = officer.post(
        reverse("clusters:unit_update", args=[tan_hong.pk]),
        {"address": "Thị trấn Sa Rài", "phone": "0277 3 851 234", "email": "", "head_name": ""}
        | {"head_position": ""},
    )
    assert response.status_code == 302
    fresh = _queries(staff, url, django_assert_num_queries, 12)
    assert "0277 3 851 234" in fresh.content.decode()


def test_users_with_the_same_rights_share_a_body_others_get_their_own(
    tan_hong, alice, alice2, leo, eve, django_assert_num_queries
):
    url = tan_hong.get_absolute_url()
    first = _queries(_client(alice), url, django_assert_num_queries, 12)
    shared = _queries(_client(alice2), url, django_assert_num_queries, 5)
    body = re.compile(r"<main.*</main>", re.S)
    assert body.search(shared.content.decode())[0] == body.search(first.content.decode())[0]
    assert "alice2" in shared.content.decode()  # the layout is the user's own
    # A leader sees the page without the staff's buttons: drawn for the leader.
    leader = _queries(_client(leo), url, django_assert_num_queries, 12)
    assert reverse("clusters:unit_update", args=[tan_hong.pk]) not in leader.content.decode()
    assert reverse("clusters:unit_update", args=[tan_hong.pk]) in first.content.decode()
    # Access is checked before the cache: another province's staff get nothing.
    assert _client(eve).get(url).status_code == 404


def test_each_user_posts_the_forms_of_a_shared_body_with_their_own_token(
    province, term3, alice, alice2
):
    unit = make_unit(province)
    membership = Membership.objects.create(cluster_year=term3, unit=unit)
    url = term3.get_absolute_url()
    _client(alice).get(url)
    client = _client(alice2, enforce_csrf_checks=True)
    page = client.get(url).content.decode()
    assert page_cache.CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        reverse("clusters:membership_delete", args=[membership.pk]),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    delete_url = reverse("clusters:membership_delete", args=[membership.pk])
    assert delete_url in page
    assert delete_url not in client.get(url).content.decode()


def test_staff_of_two_provinces_see_the_dashboard_of_their_own(province, other_province):
    roles = [
        {"role": Role.PROVINCIAL_STAFF, "province": province},
        {"role": Role.PROVINCIAL_STAFF, "province": other_province},
    ]
    here = make_user("here", *roles)
    there = make_user("there", *roles, province=other_province)
    assert _client(here).get("/").context["province"] == province
    # The same rights, another province of their own: not the first user's body.
    assert _client(there).get("/").context["province"] == other_province


def test_the_language_is_part_of_the_key(tan_hong, alice):
    client = _client(alice)
    url = tan_hong.get_absolute_url()
    assert "Điện thoại" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Phone" in client.get(url).content.decode()


def test_commands_that_write_outside_a_request_change_the_version(db):
    before = page_cache.data_version()
    call_command("store_period_results", stdout=io.StringIO())
    assert page_cache.data_version() not in ("", before)


def test_only_requests_that_may_write_change_the_version(client_alice, tan_hong):
    before = page_cache.data_version()
    client_alice.get(tan_hong.get_absolute_url())
    client_alice.head(tan_hong.get_absolute_url())
    assert page_cache.data_version() == before
    client_alice.post(reverse("clusters:unit_update", args=[tan_hong.pk]), {})
    assert page_cache.data_version() != before


ids = st.frozensets(st.integers(min_value=1, max_value=50), max_size=4)
accesses = st.builds(
    Access,
    superuser=st.booleans(),
    staff_provinces=ids,
    leader_provinces=ids,
    cluster_year_ids=ids,
    cluster_ids=ids,
    head_cluster_year_ids=ids,
    unit_ids=ids,
    member_cluster_ids=ids,
)


@given(accesses, accesses)
def test_two_users_share_a_digest_exactly_when_their_rights_are_the_same(first, second):
    assert (first.digest() == second.digest()) == (first == second)
