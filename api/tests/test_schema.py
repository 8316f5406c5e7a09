"""The OpenAPI description the application serves, and tests generated from it.

Schemathesis reads /api/v1/schema/ through the WSGI application and sends, for every
operation, requests built from the description (valid and invalid parameters alike) with
alice's token; each answer must be documented, match its schema and never be a 500.
"""

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from clusters.models import Membership
from clusters.tests.factories import make_unit

from . import data

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/"


def test_the_description_is_served_without_a_login(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/units/",
        "/api/v1/units/{id}/",
        "/api/v1/clusters/",
        "/api/v1/clusters/{id}/",
        "/api/v1/periods/",
        "/api/v1/periods/{id}/",
        "/api/v1/periods/{id}/ranking/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/decisions/",
        "/api/v1/decisions/{id}/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_description_is_in_english_unless_asked(client):
    english = client.get(SCHEMA_URL, {"format": "json"}).json()
    kinds = english["paths"]["/api/v1/units/"]["get"]["parameters"]
    kind = next(p for p in kinds if p["name"] == "kind")
    assert "`commune` - Commune" in kind["description"]
    vietnamese = client.get(SCHEMA_URL, {"format": "json", "lang": "vi"}).json()
    kinds = vietnamese["paths"]["/api/v1/units/"]["get"]["parameters"]
    kind = next(p for p in kinds if p["name"] == "kind")
    assert "`commune` - Xã" in kind["description"]


def test_the_description_is_generated_without_warnings(tmp_path):
    # Raises CommandError on any warning or error of drf-spectacular, or an invalid schema.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/periods/{id}/ranking/" in (tmp_path / "schema.yml").read_text()


# Loaded when the module is collected (schemathesis' lazy loading from a fixture does not
# run under pytest 9), through the WSGI application as a client would read it. No test
# set-up has run yet, so the host and the plain-HTTP request are allowed here.
with override_settings(ALLOWED_HOSTS=["localhost"], SECURE_SSL_REDIRECT=False):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI application closes the database connection after each request, which on
    PostgreSQL would end the test's transaction; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(world, province, term3, alice, settings):
    """Alice's token, with data behind every operation: a second page of units, lineage,
    a ranking, a meeting, a decision and documents."""
    settings.ALLOWED_HOSTS = ["localhost"]
    for n in range(55):
        unit = make_unit(province, name=f"Xã Mỹ {n}")
        Membership.objects.create(cluster_year=term3, unit=unit)
    data.add_merger(province, names=("Xã Long Hòa", "Xã Long Thạnh"), merged="Xã Long Phú")
    token, _ = Token.objects.get_or_create(user=alice)
    return {"Authorization": f"Token {token.key}"}


# The data is made once per operation and only read: the API cannot change it, so the
# generated requests may share it.
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_as_its_description_says(case, token_header):
    case.call_and_validate(headers=token_header)


def test_a_detail_has_the_fields_its_description_lists(client, api, alice, world):
    # The generated requests mostly ask for ids that do not exist: check a real row.
    described = client.get(SCHEMA_URL, {"format": "json"}).json()["components"]["schemas"]
    response = api(alice).get(reverse("api:unit-detail", args=[world.merged.pk]))
    assert set(response.json()) == set(described["UnitDetail"]["properties"])
    assert set(response.json()["lineage"]) == set(described["Lineage"]["properties"])


def _real_rows(world) -> dict[str, int]:
    return {
        "/api/v1/units/{id}/": world.merged.pk,
        "/api/v1/clusters/{id}/": world.period.cluster_year.cluster_id,
        "/api/v1/periods/{id}/": world.period.pk,
        "/api/v1/periods/{id}/ranking/": world.period.pk,
        "/api/v1/meetings/{id}/": world.meeting.pk,
        "/api/v1/decisions/{id}/": world.decision.pk,
        "/api/v1/documents/{id}/": world.cluster_document.pk,
    }


def test_every_detail_of_a_real_row_matches_its_description(world, token_header):
    # The generated requests rarely hit an id that exists; these do, with every field full.
    for path, pk in _real_rows(world).items():
        case = schema[path]["GET"].Case(path_parameters={"id": pk})
        response = case.call_and_validate(headers=token_header)
        assert response.status_code == 200, path


def test_every_list_with_rows_matches_its_description(world, token_header):
    for path in ("/api/v1/units/", "/api/v1/clusters/", "/api/v1/periods/", "/api/v1/meetings/"):
        response = schema[path]["GET"].Case().call_and_validate(headers=token_header)
        assert response.json()["results"], path
    for path in ("/api/v1/decisions/", "/api/v1/documents/"):
        case = schema[path]["GET"].Case(query={"year": 2022})
        assert case.call_and_validate(headers=token_header).json()["results"], path
