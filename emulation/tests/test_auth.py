import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from clusters.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_good_password_logs_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice"})
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


def test_wrong_password_keeps_the_username_and_says_why(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assertContains(response, 'value="alice"')
    assert response.context["form"].non_field_errors()


def test_repeated_guessing_locks_the_account(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "guess"})
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_home_is_each_role_s_own_page(client, alice, bob, dave, term3, tan_hong):
    client.force_login(alice)
    response = client.get("/")
    assert "clusters/dashboard.html" in [t.name for t in response.templates]
    assert response.context["scope"] == "province"
    client.force_login(bob)
    response = client.get("/")
    assert "clusters/dashboard.html" in [t.name for t in response.templates]
    assert response.context["scope"] == "cluster"
    client.force_login(dave)
    response = client.get("/")
    assert "clusters/unit_home.html" in [t.name for t in response.templates]
    assertContains(response, tan_hong.name)


def test_user_without_role_is_told_to_ask_for_one(client, db):
    client.force_login(make_user("nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert "home_no_role.html" in [t.name for t in response.templates]


def test_anonymous_home_goes_to_login(client, db):
    assertRedirects(client.get("/"), reverse("login") + "?next=/", fetch_redirect_response=False)


def test_browser_language_does_not_switch_the_interface(client, alice):
    client.force_login(alice)
    response = client.get(reverse("clusters:cluster_list"), HTTP_ACCEPT_LANGUAGE="en")
    assertContains(response, 'lang="vi"')
