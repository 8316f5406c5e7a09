"""Lists come in pages of 50 rows; a client may ask for 1 to 200."""

import pytest
from django.urls import reverse

from clusters.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(province):
    """120 units, created in bulk: the list needs rows, not their history."""
    rows = [Unit(province=province, kind=Unit.Kind.COMMUNE, name=f"Xã {n:03d}") for n in range(120)]
    for unit in rows:
        unit.refresh_name_keys()
    return Unit.objects.bulk_create(rows)


def _page(client, **params):
    response = client.get(reverse("api:unit-list"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_first_page_has_50_rows_and_links_to_the_next(api, alice, units):
    page = _page(api(alice))
    assert page["count"] == 120
    assert len(page["results"]) == 50
    assert page["results"][0]["name"] == "Xã 000"
    assert page["previous"] is None
    assert page["next"] == "http://testserver/api/v1/units/?page=2"


def test_the_last_page_has_the_rest(api, alice, units):
    page = _page(api(alice), page=3)
    assert [u["name"] for u in page["results"]] == [f"Xã {n:03d}" for n in range(100, 120)]
    assert page["next"] is None
    assert page["previous"] == "http://testserver/api/v1/units/?page=2"


def test_a_client_may_ask_for_up_to_200_rows(api, alice, units):
    client = api(alice)
    assert len(_page(client, page_size=200)["results"]) == 120
    page = _page(client, page_size=7, page=2)
    assert [u["name"] for u in page["results"]] == [f"Xã {n:03d}" for n in range(7, 14)]
    assert page["next"] == "http://testserver/api/v1/units/?page=3&page_size=7"


@pytest.mark.parametrize("size", ["0", "201", "abc", "-5", "²"])
def test_a_page_size_out_of_range_is_refused(api, alice, units, size):
    response = api(alice).get(reverse("api:unit-list"), {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_page_beyond_the_last_is_a_404(api, alice, units):
    response = api(alice).get(reverse("api:unit-list"), {"page": "4"})
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["0", "x", "", "-1"])
def test_a_page_that_is_not_a_number_from_one_is_refused(api, alice, units, number):
    response = api(alice).get(reverse("api:unit-list"), {"page": number})
    assert response.status_code == 400
    assert "page" in response.json()
