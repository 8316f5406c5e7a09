"""The API's clients and a province with one of everything the API lists.

The cast comes from the root conftest: alice (staff) and leo (leader) of Đồng Tháp, bob
the secretary of cluster 3, charlie of cluster 4, dave the officer of Tân Hồng (a member
of cluster 3), eve the staff of Tây Ninh.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from clusters.models import AwardDecision, Meeting, Period, Unit
from reports.models import Document

from . import data


@pytest.fixture
def api():
    """A function that gives a client sending the user's API token with every request."""

    def client_for(user) -> Client:
        token, _ = Token.objects.get_or_create(user=user)
        return Client(headers={"authorization": f"Token {token.key}"})

    return client_for


@dataclass
class World:
    merged: Unit
    period: Period
    meeting: Meeting
    decision: AwardDecision
    cluster_document: Document
    province_document: Document
    # The same kinds of rows in Tây Ninh, which Đồng Tháp's users must never see.
    foreign_unit: Unit
    foreign_period: Period
    foreign_meeting: Meeting
    foreign_decision: AwardDecision
    foreign_document: Document


@pytest.fixture
def world(province, other_province, term3, term4, tan_hong, hong_ngu, alice, eve):
    foreign = data.add_cluster(other_province)
    foreign_term = foreign.years.get(year=2022)
    foreign_units = [m.unit for m in foreign_term.memberships.all()]
    return World(
        merged=data.add_merger(province),
        period=data.add_ranked_period(term3, {tan_hong: 90, hong_ngu: 70}),
        meeting=data.add_meeting(term3, [tan_hong, hong_ngu]),
        decision=data.add_decision(province, [tan_hong, hong_ngu]),
        cluster_document=data.add_document(province, alice, term=term3),
        province_document=data.add_document(province, alice),
        foreign_unit=foreign_units[0],
        foreign_period=data.add_ranked_period(foreign_term, {foreign_units[0]: 50}),
        foreign_meeting=data.add_meeting(foreign_term, foreign_units),
        foreign_decision=data.add_decision(other_province, foreign_units[:1]),
        foreign_document=data.add_document(other_province, eve, term=foreign_term),
    )
