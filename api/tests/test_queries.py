"""Each list and detail reads a fixed number of queries, however many rows it shows.

Every count includes two queries before the view's own: the token with its user, and the
user's role assignments (clusters.access).
"""

import datetime

import pytest
from django.urls import reverse

from clusters import services
from clusters.models import Attendance, AwardRecipient, Membership, Score
from clusters.tests.factories import make_unit

from . import data

pytestmark = pytest.mark.django_db

# (URL name, queries): the page count, the page, and one per prefetched relation.
LISTS = [
    ("unit-list", 7),  # + names, reorganisations in, reorganisations out
    ("cluster-list", 6),  # + years with head, deputy and members count, their periods
    ("period-list", 4),
    ("meeting-list", 4),
    ("decision-list", 6),  # + recipients with their units, the units' names
    ("document-list", 4),
]


def _grow(province, alice, tan_hong, hong_ngu):
    """More of every row the lists show, with their related rows."""
    for n in range(3):
        merged = data.add_merger(
            province, names=(f"Xã Tân {n}", f"Xã Phú {n}"), merged=f"Xã Hòa {n}"
        )
        cluster = data.add_cluster(province, members=3, years=(2020, 2021, 2022))
        term = cluster.years.get(year=2022)
        units = [m.unit for m in term.memberships.all()]
        data.add_ranked_period(term, {unit: 50 + n for unit in units})
        data.add_meeting(term, units)
        data.add_decision(province, [*units, merged], year=2022)
        data.add_document(province, alice, term=term)
        data.add_document(province, alice)


@pytest.mark.parametrize(("name", "queries"), LISTS)
def test_a_list_reads_a_fixed_number_of_queries(
    api, alice, world, province, tan_hong, hong_ngu, django_assert_num_queries, name, queries
):
    client = api(alice)
    url = reverse(f"api:{name}")
    with django_assert_num_queries(queries):
        few = client.get(url)
    _grow(province, alice, tan_hong, hong_ngu)
    with django_assert_num_queries(queries):
        many = client.get(url)
    assert len(many.json()["results"]) > len(few.json()["results"]) >= 1


def _grow_cluster_3(world, province, term3):
    """Five more members of cluster 3, each at the meeting, scored and awarded; the
    merged commune merged again."""
    criterion = world.period.cluster_year.covenant.sheet.criteria.get(code="1.1")
    for n in range(5):
        unit = make_unit(province, name=f"Xã Mỹ {n}")
        Membership.objects.create(cluster_year=term3, unit=unit)
        Attendance.objects.create(meeting=world.meeting, unit=unit)
        Score.objects.create(
            period=world.period, unit=unit, criterion=criterion, stage=Score.Stage.AGREED, points=60
        )
        AwardRecipient.objects.create(decision=world.decision, unit=unit, year=2022, amount=1)
    services.reorganisation_record(
        kind="merge",
        predecessors=[world.merged, make_unit(province, name="Xã Long Hòa")],
        successors=[make_unit(province, name="Xã Long Phú")],
        effective_date=datetime.date(2026, 1, 1),
        legal_basis="Nghị quyết 2/NQ-UBTVQH",
    )


def test_details_read_a_fixed_number_of_queries(
    api, alice, world, province, term3, django_assert_num_queries
):
    client = api(alice)
    details = [
        # + names, reorganisations in and out, the province's reorganisation graph
        (reverse("api:unit-detail", args=[world.merged.pk]), 7),
        # + years, their periods and members
        (reverse("api:cluster-detail", args=[term3.cluster_id]), 6),
        # + attendance, sections, commendations
        (reverse("api:meeting-detail", args=[world.meeting.pk]), 6),
        # + recipients with their units, the units' names
        (reverse("api:decision-detail", args=[world.decision.pk]), 5),
        # + the sheet's criteria, rules, members with their names, scores, targets
        (reverse("api:period-ranking", args=[world.period.pk]), 9),
    ]
    sizes = []
    for grown in (False, True):
        if grown:
            _grow_cluster_3(world, province, term3)
        for url, queries in details:
            with django_assert_num_queries(queries):
                response = client.get(url)
            sizes.append(len(response.content))
    # Every answer grew with the data; the number of queries did not.
    assert all(after > before for before, after in zip(sizes[:5], sizes[5:], strict=True))
