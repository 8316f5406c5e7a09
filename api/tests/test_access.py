"""Who reads what through the API: the user's own scope, 404 for anything else, 401
without credentials."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (endpoint, the World attribute of a Đồng Tháp row, of a Tây Ninh row)
ENDPOINTS = [
    ("unit", "merged", "foreign_unit"),
    ("cluster", "cluster", "foreign_cluster"),
    ("period", "period", "foreign_period"),
    ("meeting", "meeting", "foreign_meeting"),
    ("decision", "decision", "foreign_decision"),
    ("document", "cluster_document", "foreign_document"),
]


def _row(world, attribute):
    if attribute == "cluster":
        return world.period.cluster_year.cluster
    if attribute == "foreign_cluster":
        return world.foreign_period.cluster_year.cluster
    return getattr(world, attribute)


def _list(name):
    return reverse(f"api:{name}-list")


def _detail(name, pk):
    return reverse(f"api:{name}-detail", args=[pk])


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(("name", "own", "foreign"), ENDPOINTS)
def test_anonymous_gets_401(client, world, name, own, foreign):
    for url in (_list(name), _detail(name, _row(world, own).pk)):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_anonymous_gets_401_for_a_ranking(client, world):
    response = client.get(reverse("api:period-ranking", args=[world.period.pk]))
    assert response.status_code == 401


def test_an_unknown_token_gets_401(world):
    client = Client(headers={"authorization": "Token " + "0" * 40})
    assert client.get(_list("unit")).status_code == 401


def test_a_deactivated_users_token_stops_working(api, alice, world):
    client = api(alice)
    assert client.get(_list("unit")).status_code == 200
    alice.is_active = False
    alice.save()
    assert client.get(_list("unit")).status_code == 401


@pytest.mark.parametrize(("name", "own", "foreign"), ENDPOINTS)
def test_staff_reads_their_province_only(api, alice, world, name, own, foreign):
    client = api(alice)
    own_row, foreign_row = _row(world, own), _row(world, foreign)
    ids = _ids(client.get(_list(name)))
    assert own_row.pk in ids
    assert foreign_row.pk not in ids
    assert client.get(_detail(name, own_row.pk)).json()["id"] == own_row.pk
    assert client.get(_detail(name, foreign_row.pk)).status_code == 404


@pytest.mark.parametrize(("name", "own", "foreign"), ENDPOINTS)
def test_stranger_sees_nothing_of_another_province(api, eve, world, name, own, foreign):
    client = api(eve)
    own_row, foreign_row = _row(world, own), _row(world, foreign)
    ids = _ids(client.get(_list(name)))
    assert own_row.pk not in ids
    assert foreign_row.pk in ids
    assert client.get(_detail(name, own_row.pk)).status_code == 404


def test_stranger_gets_404_for_a_ranking_of_another_province(api, eve, world):
    url = reverse("api:period-ranking", args=[world.period.pk])
    assert api(eve).get(url).status_code == 404


def test_leader_reads_decisions_and_province_documents(api, leo, world):
    client = api(leo)
    assert world.decision.pk in _ids(client.get(_list("decision")))
    documents = _ids(client.get(_list("document")))
    assert {world.cluster_document.pk, world.province_document.pk} <= documents


def test_superuser_reads_every_province(api, django_user_model, world):
    root = django_user_model.objects.create_superuser("root", password="pw-root")
    ids = _ids(api(root).get(_list("decision")))
    assert {world.decision.pk, world.foreign_decision.pk} <= ids


def test_secretary_reads_their_cluster_but_not_the_province(api, bob, world, term3, term4):
    client = api(bob)
    assert _ids(client.get(_list("cluster"))) == {term3.cluster_id}
    assert client.get(_detail("cluster", term4.cluster_id)).status_code == 404
    assert _ids(client.get(_list("meeting"))) == {world.meeting.pk}
    assert client.get(reverse("api:period-ranking", args=[world.period.pk])).status_code == 200
    # Decisions are for the province's staff and leaders, as on the decision pages.
    assert _ids(client.get(_list("decision"))) == set()
    assert client.get(_detail("decision", world.decision.pk)).status_code == 404
    # The cluster's own documents, not the province's.
    assert _ids(client.get(_list("document"))) == {world.cluster_document.pk}


def test_secretary_of_another_cluster_gets_404_for_cluster_3(api, charlie, world):
    client = api(charlie)
    assert client.get(reverse("api:period-ranking", args=[world.period.pk])).status_code == 404
    assert client.get(_detail("meeting", world.meeting.pk)).status_code == 404
    assert client.get(_detail("document", world.cluster_document.pk)).status_code == 404


def test_member_officer_reads_their_clusters_units_only(api, dave, world, tan_hong, hong_ngu):
    client = api(dave)
    assert _ids(client.get(_list("unit"))) == {tan_hong.pk, hong_ngu.pk}
    assert client.get(_detail("unit", world.merged.pk)).status_code == 404


def test_a_logged_in_browser_reads_the_api_with_its_session(client_alice, world):
    response = client_alice.get(_list("unit"), headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert world.merged.name in response.content.decode()


def test_the_api_is_read_only(api, alice, world):
    client = api(alice)
    response = client.post(_list("unit"), {"name": "Xã mới"})
    assert response.status_code == 405
    response = client.delete(_detail("unit", world.merged.pk))
    assert response.status_code == 405
    assert client.get(_detail("unit", world.merged.pk)).json()["name"] == "Xã An Phú"
