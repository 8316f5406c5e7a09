"""The page where provincial staff and leaders make, replace and revoke their API token."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

URL = "/api/v1/token/"


def _token_client(key: str) -> Client:
    return Client(headers={"authorization": f"Token {key}"})


def test_the_page_has_its_url_name():
    assert reverse("api:token") == URL


def test_anonymous_is_sent_to_login(client):
    assertRedirects(client.get(URL), f"{reverse('login')}?next={URL}")


def test_staff_without_a_token_is_offered_one(client_alice):
    response = client_alice.get(URL)
    assertContains(response, 'id="token-state"')
    assertContains(response, 'value="regenerate"')
    assertNotContains(response, 'value="revoke"')
    assertContains(response, reverse("api:schema"))


def test_staff_creates_a_token_shown_once_that_opens_the_api(client_alice, alice):
    response = client_alice.post(URL, {"action": "regenerate"})
    key = Token.objects.get(user=alice).key
    assertContains(response, f'value="{key}"')
    assert _token_client(key).get(reverse("api:unit-list")).status_code == 200
    # Later visits show only the start of the key.
    later = client_alice.get(URL)
    assertNotContains(later, key)
    assertContains(later, key[:6])
    assertContains(later, 'value="revoke"')


def test_replacing_the_token_ends_the_old_key(client_alice, alice):
    client_alice.post(URL, {"action": "regenerate"})
    old = Token.objects.get(user=alice).key
    client_alice.post(URL, {"action": "regenerate"})
    new = Token.objects.get(user=alice).key
    assert new != old
    assert _token_client(old).get(reverse("api:unit-list")).status_code == 401
    assert _token_client(new).get(reverse("api:unit-list")).status_code == 200


def test_revoking_the_token_ends_it(client_alice, alice):
    client_alice.post(URL, {"action": "regenerate"})
    key = Token.objects.get(user=alice).key
    response = client_alice.post(URL, {"action": "revoke"}, follow=True)
    assertRedirects(response, URL)
    assert not Token.objects.filter(user=alice).exists()
    assert _token_client(key).get(reverse("api:unit-list")).status_code == 401
    assertContains(response, 'value="regenerate"')


def test_a_leader_manages_their_own_token(client, leo, alice):
    Token.objects.create(user=alice)
    client.force_login(leo)
    client.post(URL, {"action": "regenerate"})
    client.post(URL, {"action": "revoke"})
    assert not Token.objects.filter(user=leo).exists()
    # Another user's token is not theirs to touch.
    assert Token.objects.filter(user=alice).exists()


@pytest.mark.parametrize("user", ["bob", "dave"])
def test_cluster_and_unit_users_may_not_have_a_token(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "regenerate"}).status_code == 403
    assert not Token.objects.exists()


def test_an_unknown_action_is_refused(client_alice, alice):
    assert client_alice.post(URL, {"action": "steal"}).status_code == 400
    assert not Token.objects.filter(user=alice).exists()
