import sys

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.models import Proposal, ProposalItem
from clusters.tests.decision_factories import FLAG, MERIT, award_form, make_proposal
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db

Appraisal = ProposalItem.Appraisal


@pytest.fixture
def proposal(term3, tan_hong, hong_ngu):
    return make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)])


def _detail(proposal):
    return reverse("clusters:appraisal_detail", args=[proposal.pk])


def _post_item(client, proposal, item, **data):
    fields = {f"item-{item.pk}-{name}": value for name, value in data.items()}
    return client.post(_detail(proposal), {"item": item.pk, **fields})


def test_anonymous_is_sent_to_login(client, proposal):
    for url in [reverse("clusters:appraisal_list", args=[2022]), _detail(proposal)]:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)


@pytest.mark.parametrize("who", ["charlie", "bob", "dave"])
def test_everyone_but_staff_and_leaders_gets_404(client, proposal, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("clusters:appraisal_list", args=[2022])).status_code == 404
    assert client.get(_detail(proposal)).status_code == 404
    item = proposal.items.first()
    assert _post_item(client, proposal, item, appraisal="accepted").status_code == 404
    item.refresh_from_db()
    assert item.appraisal == Appraisal.PENDING


def test_staff_of_another_province_sees_only_their_own(client, eve, proposal):
    client.force_login(eve)
    response = client.get(reverse("clusters:appraisal_list", args=[2022]))
    assert list(response.context["proposals"]) == []
    assert client.get(_detail(proposal)).status_code == 404
    item = proposal.items.first()
    assert _post_item(client, proposal, item, appraisal="accepted").status_code == 404


def test_staff_lists_the_sent_proposals_of_the_year(client_alice, proposal, term4, tan_hong):
    draft = make_proposal(term4, [], state=Proposal.State.DRAFT)
    response = client_alice.get(reverse("clusters:appraisal_list", args=[2022]))
    assert list(response.context["proposals"]) == [proposal]
    row = response.context["proposals"][0]
    assert (row.item_count, row.pending_count) == (2, 2)
    assertNotContains(response, _detail(draft))
    response = client_alice.get(reverse("clusters:appraisal_list", args=[2023]))
    assert list(response.context["proposals"]) == []


def test_a_draft_is_not_the_provinces_to_see(client_alice, term3, tan_hong):
    draft = make_proposal(term3, [(tan_hong, FLAG)], state=Proposal.State.DRAFT)
    assert client_alice.get(_detail(draft)).status_code == 404


def test_leader_reads_but_cannot_appraise(client, leo, proposal):
    client.force_login(leo)
    response = client.get(_detail(proposal))
    assert response.status_code == 200
    assert not response.context["can_appraise"]
    assert all(item.form is None for item in response.context["items"])
    assertNotContains(response, 'name="item"')
    item = proposal.items.first()
    assert _post_item(client, proposal, item, appraisal="accepted").status_code == 403
    response = client.post(_detail(proposal), {"return": "1", "return-reason": "Thiếu"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.appraisal == Appraisal.PENDING


def test_staff_sees_every_item_with_score_rank_and_votes(client_alice, proposal):
    response = client_alice.get(_detail(proposal))
    items = response.context["items"]
    assert [(i.unit.name, i.rank) for i in items] == [("Tân Hồng", 1), ("Hồng Ngự", 2)]
    assert all(item.form is not None for item in items)
    assertContains(response, "990")
    assertContains(response, "75")


def test_staff_accepts_then_rejects_and_the_proposal_is_processed(
    client_alice, proposal, tan_hong, hong_ngu
):
    first = proposal.items.get(unit=tan_hong)
    second = proposal.items.get(unit=hong_ngu)
    response = _post_item(client_alice, proposal, first, appraisal="accepted")
    assertRedirects(response, _detail(proposal))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED
    response = _post_item(
        client_alice, proposal, second, appraisal="rejected", reason="Không đủ phiếu bầu"
    )
    assertRedirects(response, _detail(proposal))
    proposal.refresh_from_db()
    second.refresh_from_db()
    assert proposal.state == Proposal.State.PROCESSED
    assert (second.appraisal, second.appraisal_reason) == (Appraisal.REJECTED, "Không đủ phiếu bầu")
    # The history shows who appraised.
    response = client_alice.get(_detail(proposal))
    assert any(entry.who and entry.who.username == "alice" for entry in response.context["history"])


def test_a_reduction_without_a_form_is_refused_and_keeps_the_reason(
    client_alice, proposal, tan_hong
):
    item = proposal.items.get(unit=tan_hong)
    response = _post_item(client_alice, proposal, item, appraisal="reduced", reason="Điểm chưa đạt")
    assert response.status_code == 200
    form = next(i.form for i in response.context["items"] if i.pk == item.pk)
    assert "reduced_to" in form.errors
    assertContains(response, "Điểm chưa đạt")
    item.refresh_from_db()
    assert item.appraisal == Appraisal.PENDING


def test_a_rejection_without_a_reason_is_refused(client_alice, proposal, hong_ngu):
    item = proposal.items.get(unit=hong_ngu)
    response = _post_item(client_alice, proposal, item, appraisal="rejected", reason="  ")
    form = next(i.form for i in response.context["items"] if i.pk == item.pk)
    assert "reason" in form.errors
    item.refresh_from_db()
    assert item.appraisal == Appraisal.PENDING


def test_a_reduction_to_a_higher_form_is_not_offered(client_alice, proposal, hong_ngu):
    item = proposal.items.get(unit=hong_ngu)
    response = _post_item(
        client_alice,
        proposal,
        item,
        appraisal="reduced",
        reduced_to=award_form(FLAG).pk,
        reason="x",
    )
    form = next(i.form for i in response.context["items"] if i.pk == item.pk)
    assert "reduced_to" in form.errors
    item.refresh_from_db()
    assert item.appraisal == Appraisal.PENDING


def test_staff_reduces_the_flag_to_a_certificate(client_alice, proposal, tan_hong):
    item = proposal.items.get(unit=tan_hong)
    response = _post_item(
        client_alice,
        proposal,
        item,
        appraisal="reduced",
        reduced_to=award_form(MERIT).pk,
        reason="Chưa đạt 90 % điểm tối đa",
    )
    assertRedirects(response, _detail(proposal))
    item.refresh_from_db()
    assert (item.appraisal, item.reduced_to.code) == (Appraisal.REDUCED, MERIT)


def test_an_item_of_another_proposal_is_404(client_alice, proposal, term4):
    other = make_proposal(term4, [(term4.memberships.get().unit, FLAG)])
    item = other.items.get()
    assert _post_item(client_alice, proposal, item, appraisal="accepted").status_code == 404


def test_return_for_completion_needs_a_reason(client_alice, proposal):
    response = client_alice.post(_detail(proposal), {"return": "1", "return-reason": " "})
    assert response.status_code == 200
    assert "reason" in response.context["return_form"].errors
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED


def test_staff_returns_the_proposal_for_completion(client_alice, proposal):
    response = client_alice.post(
        _detail(proposal), {"return": "1", "return-reason": "Bổ sung biên bản kiểm phiếu"}
    )
    assertRedirects(response, reverse("clusters:appraisal_list", args=[2022]))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.RETURNED
    assert proposal.return_reason == "Bổ sung biên bản kiểm phiếu"
    # A returned proposal is shown, but not appraised.
    response = client_alice.get(_detail(proposal))
    assert not response.context["can_appraise"]
    assertContains(response, "Bổ sung biên bản kiểm phiếu")


def test_return_says_so_when_the_proposal_services_are_missing(client_alice, proposal, monkeypatch):
    # None in sys.modules makes the import fail, as if the module did not exist.
    monkeypatch.setitem(sys.modules, "clusters.proposal_services", None)
    response = client_alice.post(_detail(proposal), {"return": "1", "return-reason": "Thiếu"})
    assert response.status_code == 200
    assert response.context["return_form"].non_field_errors()
    assertContains(response, "Thiếu")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED


def test_a_processed_proposal_cannot_be_returned(client_alice, proposal):
    proposal.state = Proposal.State.PROCESSED
    proposal.save()
    response = client_alice.post(_detail(proposal), {"return": "1", "return-reason": "x"})
    assertRedirects(response, _detail(proposal))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROCESSED


# --- Query counts ------------------------------------------------------------------

APPRAISAL_LIST_QUERIES = 5
APPRAISAL_DETAIL_QUERIES = 11


def test_appraisal_list_queries_do_not_grow(client_alice, province, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            cluster = make_cluster(province)
            units = [make_unit(province) for _ in range(3)]
            term = make_cluster_year(cluster, 2022, members=units)
            make_proposal(term, [(units[0], FLAG), (units[1], MERIT), (units[2], MERIT)])

    add(3)
    url = reverse("clusters:appraisal_list", args=[2022])
    with django_assert_num_queries(APPRAISAL_LIST_QUERIES):
        client_alice.get(url)
    add(10)
    with django_assert_num_queries(APPRAISAL_LIST_QUERIES):
        response = client_alice.get(url)
    assert len(response.context["proposals"]) == 13


def test_appraisal_detail_queries_do_not_grow(
    client_alice, province, term3, tan_hong, hong_ngu, django_assert_num_queries
):
    proposal = make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)])
    with django_assert_num_queries(APPRAISAL_DETAIL_QUERIES):
        client_alice.get(_detail(proposal))
    for _ in range(6):
        ProposalItem.objects.create(
            proposal=proposal, unit=make_unit(province), award_form=award_form(MERIT)
        )
    # Each appraisal writes history, which the page also reads in the same queries.
    _post_item(client_alice, proposal, proposal.items.first(), appraisal="accepted")
    with django_assert_num_queries(APPRAISAL_DETAIL_QUERIES):
        response = client_alice.get(_detail(proposal))
    assert len(response.context["items"]) == 8
