"""Ballot pages: who may see and change them, the tally refused whole when it does not
add up, re-vote rounds, and constant query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import ballot_services
from clusters.models import AwardForm, Ballot, BallotCandidate, Meeting, Membership, Proposal
from clusters.tests.ballot_data import award_form, deliberation, open_ballot, rank_term, tally
from clusters.tests.factories import make_unit

pytestmark = pytest.mark.django_db

Level = AwardForm.Level


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def meeting(term3, units):
    return deliberation(term3, list(units.values()))


@pytest.fixture
def ballot(meeting, units):
    return open_ballot(
        meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
    )


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Access ------------------------------------------------------------------------

READ = {"alice": 200, "bob": 200, "leo": 200, "dave": 200, "charlie": 404, "eve": 404}
WRITE = {"alice": 200, "bob": 200, "leo": 403, "dave": 403, "charlie": 404, "eve": 404}


@pytest.mark.parametrize("user", sorted(READ))
@pytest.mark.parametrize(
    "name, expected",
    [
        ("ballot_list", READ),
        ("ballot_detail", READ),
        ("ballot_create", WRITE),
        ("ballot_tally", WRITE),
    ],
)
def test_access_to_the_ballot_pages(request, client, ballot, name, expected, user):
    target = ballot.meeting if name in ("ballot_list", "ballot_create") else ballot
    response = _as(client, request.getfixturevalue(user)).get(
        reverse(f"clusters:{name}", args=[target.pk])
    )
    assert response.status_code == expected[user]


@pytest.mark.parametrize(
    "name", ["ballot_list", "ballot_detail", "ballot_create", "ballot_tally", "ballot_delete"]
)
def test_anonymous_is_sent_to_the_login_page(client, ballot, name):
    target = ballot.meeting if name in ("ballot_list", "ballot_create") else ballot
    response = client.get(reverse(f"clusters:{name}", args=[target.pk]))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.parametrize("name", ["ballot_revote", "ballot_delete"])
@pytest.mark.parametrize("user, status", [("leo", 403), ("dave", 403), ("charlie", 404)])
def test_only_those_who_run_the_cluster_revote_or_delete(
    request, client, ballot, name, user, status
):
    response = _as(client, request.getfixturevalue(user)).post(
        reverse(f"clusters:{name}", args=[ballot.pk])
    )
    assert response.status_code == status
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("name", ["ballot_revote", "ballot_delete"])
def test_revote_and_delete_refuse_get(client_bob, ballot, name):
    response = client_bob.get(reverse(f"clusters:{name}", args=[ballot.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("kind", [k for k in Meeting.Kind.values if k != "deliberation"])
def test_only_a_deliberation_meeting_has_ballots(client_bob, term3, units, kind):
    meeting = Meeting.objects.create(cluster_year=term3, kind=kind, date=datetime.date(2022, 7, 26))
    for name in ("ballot_create", "ballot_list"):
        response = client_bob.get(reverse(f"clusters:{name}", args=[meeting.pk]))
        assert response.status_code == 404


# --- Opening a ballot --------------------------------------------------------------


def test_the_new_ballot_page_proposes_the_defaults(client_bob, meeting, units):
    flag = award_form(Level.PROVINCIAL_FLAG)
    response = client_bob.get(
        reverse("clusters:ballot_create", args=[meeting.pk]), {"award_form": flag.pk}
    )
    form = response.context["form"]
    assert form.initial["candidates"] == [units["tan_hong"].pk]
    assert (form.initial["quota"], form.initial["members_total"], form.initial["present"]) == (
        1,
        4,
        4,
    )
    # Every member is listed in ranking order, the vetoed one last.
    assert [entry["name"] for entry in response.context["units"]] == [
        "Tân Hồng",
        "Hồng Ngự",
        "Thanh Bình",
        "Tam Nông",
    ]
    checked = [entry["unit"].pk for entry in response.context["units"] if entry["checked"]]
    assert checked == [units["tan_hong"].pk]


def test_the_secretary_opens_a_ballot_with_candidates_in_ranking_order(client_bob, meeting, units):
    merit = award_form(Level.MERIT_CERTIFICATE)
    response = client_bob.post(
        reverse("clusters:ballot_create", args=[meeting.pk]),
        {
            "award_form": merit.pk,
            "quota": "2",
            "threshold_percent": "50",
            "members_total": "4",
            "present": "4",
            "tally_committee": "Nguyễn Văn A\nTrần Thị B\nLê Văn C",
            # Ticked in another order: the ballot lists them as the ranking does.
            "candidates": [units["thanh_binh"].pk, units["tan_hong"].pk],
        },
    )
    ballot = Ballot.objects.get()
    assertRedirects(response, reverse("clusters:ballot_detail", args=[ballot.pk]))
    assert (ballot.award_form, ballot.round, ballot.quota) == (merit, 1, 2)
    assert list(ballot.candidates.values_list("unit__name", flat=True)) == [
        "Tân Hồng",
        "Thanh Bình",
    ]


def test_a_threshold_with_a_decimal_comma_is_read(client_bob, meeting, units):
    client_bob.post(
        reverse("clusters:ballot_create", args=[meeting.pk]),
        {
            "award_form": award_form(Level.PROVINCIAL_FLAG).pk,
            "quota": "1",
            "threshold_percent": "66,67",
            "members_total": "4",
            "present": "4",
            "candidates": [units["tan_hong"].pk],
        },
    )
    assert str(Ballot.objects.get().threshold_percent) == "66.67"


def test_bad_ballot_input_is_refused_and_kept(client_bob, meeting, units):
    response = client_bob.post(
        reverse("clusters:ballot_create", args=[meeting.pk]),
        {
            "award_form": award_form(Level.PROVINCIAL_FLAG).pk,
            "quota": "3",
            "threshold_percent": "150",
            "members_total": "4",
            "present": "6",
            "tally_committee": "Ban kiểm phiếu gõ dở",
            "candidates": [],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"threshold_percent", "present", "candidates"}
    assert not Ballot.objects.exists()
    assertContains(response, "Ban kiểm phiếu gõ dở")
    assertContains(response, 'value="3"')


def test_a_candidate_from_outside_the_cluster_is_refused(client_bob, meeting, province):
    stranger = make_unit(province, name="Lai Vung")
    response = client_bob.post(
        reverse("clusters:ballot_create", args=[meeting.pk]),
        {
            "award_form": award_form(Level.PROVINCIAL_FLAG).pk,
            "quota": "1",
            "threshold_percent": "50",
            "members_total": "4",
            "present": "4",
            "candidates": [stranger.pk],
        },
    )
    assert "candidates" in response.context["form"].errors
    assert not Ballot.objects.exists()


def test_a_second_ballot_for_the_same_form_is_refused_with_a_message(client_bob, ballot, units):
    response = client_bob.post(
        reverse("clusters:ballot_create", args=[ballot.meeting.pk]),
        {
            "award_form": ballot.award_form.pk,
            "quota": "1",
            "threshold_percent": "50",
            "members_total": "4",
            "present": "4",
            "candidates": [units["hong_ngu"].pk],
        },
    )
    assert response.context["form"].non_field_errors()
    assert Ballot.objects.count() == 1


# --- The tally ---------------------------------------------------------------------


def _tally_data(ballot, votes, **counts):
    data = {
        "tally_committee": "Nguyễn Văn A\nTrần Thị B\nLê Văn C",
        "issued": "4",
        "returned": "4",
        "valid": "4",
        "invalid": "0",
    }
    data.update({k: str(v) for k, v in counts.items()})
    for candidate, value in zip(ballot.candidates.order_by("position"), votes, strict=True):
        data[f"votes-{candidate.pk}"] = str(value)
    return data


def test_the_tally_is_recorded_with_who_is_elected(client_bob, ballot, units):
    response = client_bob.post(
        reverse("clusters:ballot_tally", args=[ballot.pk]), _tally_data(ballot, [4, 2])
    )
    assertRedirects(response, reverse("clusters:ballot_detail", args=[ballot.pk]))
    ballot.refresh_from_db()
    assert (ballot.issued, ballot.returned, ballot.valid, ballot.invalid) == (4, 4, 4, 0)
    assert list(ballot.candidates.values_list("unit__name", "votes", "elected")) == [
        ("Hồng Ngự", 4, True),
        ("Thanh Bình", 2, False),
    ]


def test_a_tally_that_does_not_add_up_is_refused_and_nothing_saved(client_bob, ballot):
    # 3 valid + 0 invalid is not the 4 returned, and 4 votes exceed the 3 valid ballots.
    response = client_bob.post(
        reverse("clusters:ballot_tally", args=[ballot.pk]),
        _tally_data(ballot, [4, 2], valid=3),
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) >= 2
    ballot.refresh_from_db()
    assert ballot.valid is None and ballot.issued is None and ballot.tally_committee != ""
    assert not BallotCandidate.objects.filter(votes__isnull=False).exists()
    # What was typed is still in the form.
    body = response.content.decode()
    assert re.search(r'name="valid"[^>]*value="3"', body)
    assert all(f'value="{v}"' in body for v in (4, 2))


def test_negative_votes_are_refused_by_field(client_bob, ballot):
    response = client_bob.post(
        reverse("clusters:ballot_tally", args=[ballot.pk]), _tally_data(ballot, [-1, 2])
    )
    candidate = ballot.candidates.order_by("position").first()
    assert f"votes-{candidate.pk}" in response.context["form"].errors
    assert not BallotCandidate.objects.filter(votes__isnull=False).exists()


def test_the_ballot_page_shows_shares_threshold_result_and_secrecy(client, leo, ballot):
    tally(ballot, [4, 2])
    response = _as(client, leo).get(reverse("clusters:ballot_detail", args=[ballot.pk]))
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["Hồng Ngự"]["percent_members"] == 100
    assert rows["Thanh Bình"]["percent_members"] == 50
    assert rows["Thanh Bình"]["percent_present"] == 50
    assert rows["Hồng Ngự"]["threshold_met"] and not rows["Thanh Bình"]["threshold_met"]
    assert rows["Hồng Ngự"]["elected"] and not rows["Thanh Bình"]["elected"]
    assertContains(response, 'id="ballot-secrecy"')
    assertContains(response, 'id="shortfall-note"')
    # Leaders read, but see no action.
    assert not response.context["can_edit"]
    assert response.context["history"]


def test_a_revote_round_is_opened_for_the_tied_candidates(client_bob, meeting, units):
    ballot = open_ballot(
        meeting,
        Level.PROVINCIAL_FLAG,
        [units["tan_hong"], units["hong_ngu"], units["thanh_binh"]],
        threshold=20,
    )
    tally(ballot, [2, 2, 0])
    detail = client_bob.get(reverse("clusters:ballot_detail", args=[ballot.pk]))
    assert [row["revote"] for row in detail.context["rows"]] == [True, True, False]
    assertContains(detail, 'id="revote-button"')
    response = client_bob.post(reverse("clusters:ballot_revote", args=[ballot.pk]))
    second = Ballot.objects.get(round=2)
    assertRedirects(response, reverse("clusters:ballot_detail", args=[second.pk]))
    assert list(second.candidates.values_list("unit__name", flat=True)) == [
        "Tân Hồng",
        "Hồng Ngự",
    ]
    # The earlier round is read-only now: its tally page refuses a change.
    response = client_bob.post(
        reverse("clusters:ballot_tally", args=[ballot.pk]), _tally_data(ballot, [3, 1, 0])
    )
    assert response.context["form"].non_field_errors()
    assert Ballot.objects.get(round=1).candidates.filter(elected=True).count() == 0


def test_a_revote_without_a_tie_is_refused_with_a_message(client_bob, ballot):
    tally(ballot, [4, 2])
    response = client_bob.post(reverse("clusters:ballot_revote", args=[ballot.pk]), follow=True)
    assert list(response.context["messages"])
    assert Ballot.objects.count() == 1


def test_the_secretary_deletes_a_round(client_bob, ballot):
    meeting = ballot.meeting
    response = client_bob.post(reverse("clusters:ballot_delete", args=[ballot.pk]))
    assertRedirects(response, reverse("clusters:ballot_list", args=[meeting.pk]))
    assert not Ballot.objects.exists()


def test_the_list_groups_ballots_by_form_and_round(client, dave, meeting, units):
    flag = open_ballot(
        meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"], units["hong_ngu"]], threshold=20
    )
    tally(flag, [2, 2])
    ballot_services.ballot_revote(ballot=flag)
    open_ballot(meeting, Level.MERIT_CERTIFICATE, [units["thanh_binh"]])
    response = _as(client, dave).get(reverse("clusters:ballot_list", args=[meeting.pk]))
    groups = response.context["groups"]
    assert [(g["award_form"].level, [r["ballot"].round for r in g["rounds"]]) for g in groups] == [
        (Level.PROVINCIAL_FLAG, [1, 2]),
        (Level.MERIT_CERTIFICATE, [1]),
    ]
    assertContains(response, 'id="ballot-secrecy"')


def test_once_the_proposal_is_submitted_the_ballots_are_read_only(client_bob, term3, ballot, units):
    Proposal.objects.create(cluster_year=term3, state=Proposal.State.SUBMITTED)
    listing = client_bob.get(reverse("clusters:ballot_list", args=[ballot.meeting.pk]))
    assertContains(listing, 'id="ballots-locked"')
    assertNotContains(listing, 'id="ballot-create"')
    detail = client_bob.get(reverse("clusters:ballot_detail", args=[ballot.pk]))
    assert detail.context["locked"] and not detail.context["can_edit"]
    response = client_bob.post(
        reverse("clusters:ballot_tally", args=[ballot.pk]), _tally_data(ballot, [4, 2])
    )
    assertRedirects(response, reverse("clusters:ballot_detail", args=[ballot.pk]))
    assert not BallotCandidate.objects.filter(votes__isnull=False).exists()


# --- Query counts ------------------------------------------------------------------


def test_ballot_list_queries_do_not_grow(client_bob, meeting, units, django_assert_num_queries):
    tally(open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]]), [4])
    url = reverse("clusters:ballot_list", args=[meeting.pk])
    with django_assert_num_queries(8):
        client_bob.get(url)
    merit = open_ballot(
        meeting,
        Level.MERIT_CERTIFICATE,
        [units["hong_ngu"], units["thanh_binh"], units["tam_nong"]],
        quota=2,
    )
    tally(merit, [4, 3, 1])
    with django_assert_num_queries(8):
        client_bob.get(url)


def test_ballot_detail_queries_do_not_grow(client_bob, meeting, units, django_assert_num_queries):
    small = open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]])
    tally(small, [4])
    with django_assert_num_queries(12):
        client_bob.get(reverse("clusters:ballot_detail", args=[small.pk]))
    large = open_ballot(meeting, Level.MERIT_CERTIFICATE, list(units.values()), quota=2)
    tally(large, [4, 3, 1, 0])
    with django_assert_num_queries(12):
        client_bob.get(reverse("clusters:ballot_detail", args=[large.pk]))


def test_ballot_create_and_tally_queries_do_not_grow(
    client_bob, term3, province, meeting, units, ballot, django_assert_num_queries
):
    create = reverse("clusters:ballot_create", args=[meeting.pk])
    with django_assert_num_queries(18):
        client_bob.get(create)
    for _ in range(3):
        Membership.objects.create(cluster_year=term3, unit=make_unit(province))
    with django_assert_num_queries(18):
        client_bob.get(create)
    with django_assert_num_queries(7):
        client_bob.get(reverse("clusters:ballot_tally", args=[ballot.pk]))
    large = open_ballot(meeting, Level.PROVINCIAL_FLAG, list(units.values()))
    with django_assert_num_queries(7):
        client_bob.get(reverse("clusters:ballot_tally", args=[large.pk]))
