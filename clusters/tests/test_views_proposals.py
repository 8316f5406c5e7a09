"""Proposal pages: who may read, edit, override and submit; the checks with their legal
basis on the page; submission refused while a check fails; constant query counts."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import award_rules, proposal_services
from clusters.models import AwardForm, Membership, Proposal, ProposalItem, RuleSet
from clusters.tests.ballot_data import award_form, deliberation, open_ballot, rank_term, tally
from clusters.tests.factories import make_unit

pytestmark = pytest.mark.django_db

Level = AwardForm.Level
State = Proposal.State


@pytest.fixture
def units(term3, province, tan_hong, hong_ngu):
    return rank_term(term3, province, tan_hong, hong_ngu)


@pytest.fixture
def voted(term3, units):
    meeting = deliberation(term3, list(units.values()))
    tally(open_ballot(meeting, Level.PROVINCIAL_FLAG, [units["tan_hong"]]), [4])
    tally(
        open_ballot(
            meeting, Level.MERIT_CERTIFICATE, [units["hong_ngu"], units["thanh_binh"]], quota=2
        ),
        [4, 2],
    )
    return meeting


@pytest.fixture
def proposal(term3, voted):
    return proposal_services.proposal_create(cluster_year=term3)[0]


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Access ------------------------------------------------------------------------

READ = {"alice": 200, "bob": 200, "leo": 200, "dave": 200, "charlie": 404, "eve": 404}
EDIT = {"alice": 200, "bob": 200, "leo": 403, "dave": 403, "charlie": 404, "eve": 404}
OVERRIDE = {"alice": 200, "bob": 403, "leo": 403, "dave": 403, "charlie": 404, "eve": 404}


@pytest.mark.parametrize("user", sorted(READ))
@pytest.mark.parametrize(
    "name, expected",
    [
        ("proposal_detail", READ),
        ("proposal_item_add", EDIT),
        ("proposal_item_override", OVERRIDE),
    ],
)
def test_access_to_the_proposal_pages(request, client, proposal, name, expected, user):
    target = proposal.items.first() if name == "proposal_item_override" else proposal
    response = _as(client, request.getfixturevalue(user)).get(
        reverse(f"clusters:{name}", args=[target.pk])
    )
    assert response.status_code == expected[user]


@pytest.mark.parametrize(
    "name",
    [
        "proposal_detail",
        "proposal_item_add",
        "proposal_item_override",
        "proposal_item_delete",
        "proposal_submit",
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, proposal, name):
    target = proposal.items.first() if "item_" in name and name != "proposal_item_add" else proposal
    response = client.post(reverse(f"clusters:{name}", args=[target.pk]))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.parametrize("user, status", [("leo", 403), ("dave", 403), ("charlie", 404)])
def test_only_those_who_run_the_cluster_change_the_proposal(
    request, client, proposal, user, status
):
    client = _as(client, request.getfixturevalue(user))
    item = proposal.items.first()
    assert client.post(reverse("clusters:proposal_submit", args=[proposal.pk])).status_code == (
        status
    )
    assert (
        client.post(reverse("clusters:proposal_item_delete", args=[item.pk])).status_code == status
    )
    assert Proposal.objects.get().state == State.DRAFT
    assert ProposalItem.objects.count() == 2


def test_proposal_pk_matches_the_absolute_url(proposal):
    assert proposal.get_absolute_url() == reverse("clusters:proposal_detail", args=[proposal.pk])


# --- Creating ----------------------------------------------------------------------


def test_the_cluster_year_page_links_to_the_proposal(client, leo, term3):
    response = _as(client, leo).get(term3.get_absolute_url())
    assertContains(response, reverse("clusters:proposal_create", args=[term3.pk]))


def test_the_secretary_opens_the_proposal_from_the_ballots(client_bob, term3, voted):
    url = reverse("clusters:proposal_create", args=[term3.pk])
    preview = client_bob.get(url)
    assert preview.context["source"] == "ballots"
    assert [row["name"] for row in preview.context["entries"]] == ["Tân Hồng", "Hồng Ngự"]
    assert not Proposal.objects.exists()
    response = client_bob.post(url)
    proposal = Proposal.objects.get()
    assertRedirects(response, proposal.get_absolute_url())
    assert proposal.items.count() == 2
    # Once open, the link leads everyone to it.
    assertRedirects(client_bob.get(url), proposal.get_absolute_url())


@pytest.mark.parametrize("user, get, post", [("leo", 200, 403), ("dave", 200, 403)])
def test_readers_cannot_open_the_proposal(request, client, term3, units, user, get, post):
    client = _as(client, request.getfixturevalue(user))
    url = reverse("clusters:proposal_create", args=[term3.pk])
    response = client.get(url)
    assert response.status_code == get
    assertNotContains(response, 'id="create-button"')
    assert client.post(url).status_code == post
    assert not Proposal.objects.exists()


def test_a_stranger_cannot_see_the_proposal_link(client, charlie, term3):
    url = reverse("clusters:proposal_create", args=[term3.pk])
    assert _as(client, charlie).get(url).status_code == 404


# --- The checks on the page --------------------------------------------------------


def test_the_page_shows_each_problem_with_its_legal_basis(client, leo, term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    proposal_services.proposal_item_add(
        proposal=proposal, unit=units["hong_ngu"], award_form=award_form(Level.PROVINCIAL_FLAG)
    )
    response = _as(client, leo).get(proposal.get_absolute_url())
    [check] = response.context["checks"].items
    assert "flag_not_leader" in {p.code for p in check.problems}
    assertContains(response, award_rules.LAW_ART_26)
    assertContains(response, 'data-code="flag_not_leader"')


def test_the_secretary_sees_what_blocks_the_submission(client_bob, term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    proposal_services.proposal_item_add(
        proposal=proposal, unit=units["tan_hong"], award_form=award_form(Level.PROVINCIAL_FLAG)
    )
    proposal_services.proposal_item_add(
        proposal=proposal, unit=units["tan_hong"], award_form=award_form(Level.MERIT_CERTIFICATE)
    )
    response = client_bob.get(proposal.get_absolute_url())
    blocking = response.context["blocking"]
    assert {problem.code for _name, problem in blocking} == {"double_award"}
    assertContains(response, 'id="blocking"')
    assertContains(response, award_rules.LAW_ART_5)
    assertContains(response, 'id="submit-button" disabled')


def test_submission_is_refused_while_a_check_fails(client_bob, term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    proposal_services.proposal_item_add(
        proposal=proposal, unit=units["hong_ngu"], award_form=award_form(Level.PROVINCIAL_FLAG)
    )
    response = client_bob.post(
        reverse("clusters:proposal_submit", args=[proposal.pk]), {"number": "05/TTr"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.number) == (State.DRAFT, "")


def test_the_secretary_submits_a_proposal_that_passes(client_bob, bob, proposal):
    response = client_bob.post(
        reverse("clusters:proposal_submit", args=[proposal.pk]), {"number": "05/TTr-CTĐ3"}
    )
    assertRedirects(response, proposal.get_absolute_url())
    proposal.refresh_from_db()
    assert (proposal.state, proposal.submitted_by, proposal.number) == (
        State.SUBMITTED,
        bob,
        "05/TTr-CTĐ3",
    )
    # Submitted: no more editing.
    page = client_bob.get(proposal.get_absolute_url())
    assert not page.context["can_edit"]
    response = client_bob.post(reverse("clusters:proposal_item_add", args=[proposal.pk]), {})
    assert response.status_code == 200
    item = proposal.items.first()
    client_bob.post(reverse("clusters:proposal_item_delete", args=[item.pk]))
    assert proposal.items.count() == 2


def test_a_returned_proposal_is_editable_and_shows_why(client_bob, alice, proposal, bob):
    proposal_services.proposal_submit(proposal=proposal, user=bob)
    proposal_services.proposal_return(proposal, alice, "Bổ sung biên bản kiểm phiếu.")
    response = client_bob.get(proposal.get_absolute_url())
    assert response.context["can_edit"]
    assertContains(response, "Bổ sung biên bản kiểm phiếu.")
    client_bob.post(reverse("clusters:proposal_submit", args=[proposal.pk]))
    assert Proposal.objects.get().state == State.SUBMITTED


def test_the_deadline_is_checked(client_bob, term3, proposal):
    RuleSet.objects.filter(year=2022).update(proposal_deadline=datetime.date(2022, 12, 10))
    # Today is after 2022: the deadline has passed.
    response = client_bob.get(proposal.get_absolute_url())
    assert [p.code for p in response.context["checks"].general] == ["deadline_passed"]
    client_bob.post(reverse("clusters:proposal_submit", args=[proposal.pk]))
    assert Proposal.objects.get().state == State.DRAFT


# --- Items and overrides -----------------------------------------------------------


def test_the_secretary_adds_and_removes_an_item(client_bob, proposal, units):
    response = client_bob.post(
        reverse("clusters:proposal_item_add", args=[proposal.pk]),
        {"unit": units["thanh_binh"].pk, "award_form": award_form(Level.MERIT_CERTIFICATE).pk},
    )
    assertRedirects(response, proposal.get_absolute_url())
    item = proposal.items.get(unit=units["thanh_binh"])
    assert item.rank == 3
    client_bob.post(reverse("clusters:proposal_item_delete", args=[item.pk]))
    assert not proposal.items.filter(unit=units["thanh_binh"]).exists()


def test_a_duplicate_or_foreign_item_is_refused_and_the_choice_kept(
    client_bob, proposal, units, province
):
    url = reverse("clusters:proposal_item_add", args=[proposal.pk])
    flag = award_form(Level.PROVINCIAL_FLAG)
    response = client_bob.post(url, {"unit": units["tan_hong"].pk, "award_form": flag.pk})
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["unit"].value() == str(units["tan_hong"].pk)
    stranger = make_unit(province, name="Lai Vung")
    response = client_bob.post(url, {"unit": stranger.pk, "award_form": flag.pk})
    assert "unit" in response.context["form"].errors
    assert proposal.items.count() == 2


def test_staff_override_a_check_with_a_reason_kept_in_the_history(
    client_alice, alice, term3, units
):
    proposal = Proposal.objects.create(cluster_year=term3)
    item = proposal_services.proposal_item_add(
        proposal=proposal, unit=units["hong_ngu"], award_form=award_form(Level.PROVINCIAL_FLAG)
    )
    url = reverse("clusters:proposal_item_override", args=[item.pk])
    # A reason is required.
    response = client_alice.post(url, {"reason": "   "})
    assert "reason" in response.context["form"].errors
    item.refresh_from_db()
    assert item.override_reason == ""
    response = client_alice.post(url, {"reason": "Hội đồng tỉnh đồng ý theo Tờ trình 12/TTr-SNV."})
    assertRedirects(response, proposal.get_absolute_url())
    item.refresh_from_db()
    assert item.override_reason == "Hội đồng tỉnh đồng ý theo Tờ trình 12/TTr-SNV."
    page = client_alice.get(proposal.get_absolute_url())
    assert page.context["blocking"] == []
    changes = [
        (entry.who, change.new)
        for entry in page.context["history"]
        for change in entry.changes
        if change.new.startswith("Hội đồng tỉnh")
    ]
    assert changes == [(alice, "Hội đồng tỉnh đồng ý theo Tờ trình 12/TTr-SNV.")]
    # Withdrawn, the check blocks again.
    client_alice.post(url, {"withdraw": "1"})
    item.refresh_from_db()
    assert item.override_reason == ""


def test_the_secretary_cannot_override(client_bob, term3, units):
    proposal = Proposal.objects.create(cluster_year=term3)
    item = proposal_services.proposal_item_add(
        proposal=proposal, unit=units["hong_ngu"], award_form=award_form(Level.PROVINCIAL_FLAG)
    )
    response = client_bob.post(
        reverse("clusters:proposal_item_override", args=[item.pk]), {"reason": "Tự cho phép."}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.override_reason == ""


# --- Query counts ------------------------------------------------------------------


def test_proposal_detail_queries_do_not_grow(
    client_bob, term3, proposal, units, province, django_assert_num_queries
):
    with django_assert_num_queries(21):
        client_bob.get(proposal.get_absolute_url())
    for level, unit in (
        (Level.MERIT_CERTIFICATE, units["thanh_binh"]),
        (Level.MERIT_CERTIFICATE, units["tam_nong"]),
        (Level.OTHER, units["tan_hong"]),
    ):
        proposal_services.proposal_item_add(
            proposal=proposal, unit=unit, award_form=award_form(level)
        )
    with django_assert_num_queries(21):
        client_bob.get(proposal.get_absolute_url())


def test_proposal_create_queries_do_not_grow(
    client_bob, term3, voted, province, django_assert_num_queries
):
    url = reverse("clusters:proposal_create", args=[term3.pk])
    with django_assert_num_queries(17):
        client_bob.get(url)
    for _ in range(3):
        Membership.objects.create(cluster_year=term3, unit=make_unit(province))
    with django_assert_num_queries(17):
        client_bob.get(url)
