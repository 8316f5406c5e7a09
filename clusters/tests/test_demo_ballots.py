"""The demo deliberation of Cụm thi đua số 3 in 2022: its ballots and the submitted
proposal, loaded once however often load() runs."""

import pytest
from django.urls import reverse

from clusters import demo, demo_ballots
from clusters.models import (
    AwardForm,
    Ballot,
    BallotCandidate,
    Meeting,
    Proposal,
    ProposalItem,
    User,
)

pytestmark = pytest.mark.django_db

Level = AwardForm.Level


@pytest.fixture
def loaded():
    demo.load()
    demo_ballots.load()
    demo_ballots.load()


def test_the_demo_holds_a_deliberation_with_both_ballots(loaded):
    meeting = Meeting.objects.get(
        kind=Meeting.Kind.DELIBERATION,
        cluster_year__cluster__name="Cụm thi đua số 3",
        cluster_year__year=2022,
    )
    assert meeting.illustrative and meeting.date.month == 12
    assert meeting.attendance.filter(present=True).count() == 4
    ballots = {b.award_form.level: b for b in Ballot.objects.filter(meeting=meeting)}
    assert set(ballots) == {Level.PROVINCIAL_FLAG, Level.MERIT_CERTIFICATE}
    flag = ballots[Level.PROVINCIAL_FLAG]
    assert (flag.present, flag.valid) == (4, 4)
    assert len(flag.tally_committee.splitlines()) == 3
    assert list(flag.candidates.values_list("unit__name", "votes", "elected")) == [
        ("Huyện Tân Hồng", 4, True)
    ]
    merit = ballots[Level.MERIT_CERTIFICATE]
    assert list(merit.candidates.values_list("unit__name", "elected")) == [
        ("Huyện Hồng Ngự", True),
        ("Huyện Thanh Bình", False),
    ]
    assert BallotCandidate.objects.count() == 3


def test_the_demo_proposal_is_submitted_with_the_two_elected(loaded):
    proposal = Proposal.objects.get(cluster_year__cluster__name="Cụm thi đua số 3")
    # Submitted by the cluster, then processed by the province (demo_decisions).
    assert proposal.state == Proposal.State.PROCESSED
    assert proposal.submitted_by.username == "thuky"
    assert proposal.submitted_at.year == 2022
    items = ProposalItem.objects.filter(proposal=proposal).order_by("award_form__position")
    assert [(i.unit.name, i.award_form.level, i.rank) for i in items] == [
        ("Huyện Tân Hồng", Level.PROVINCIAL_FLAG, 1),
        ("Huyện Hồng Ngự", Level.MERIT_CERTIFICATE, 2),
    ]


def test_the_demo_pages_open(loaded, client):
    client.force_login(User.objects.get(username="thuky"))
    proposal = Proposal.objects.get()
    assert client.get(proposal.get_absolute_url()).status_code == 200
    for ballot in Ballot.objects.all():
        assert client.get(reverse("clusters:ballot_detail", args=[ballot.pk])).status_code == 200
    meeting = Meeting.objects.get(kind=Meeting.Kind.DELIBERATION)
    assert client.get(reverse("clusters:ballot_list", args=[meeting.pk])).status_code == 200
