import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from clusters.models import Cluster, ClusterYear, Membership
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db


def _urls(cluster, term, membership):
    return [
        reverse("clusters:cluster_detail", args=[cluster.pk]),
        reverse("clusters:cluster_update", args=[cluster.pk]),
        reverse("clusters:clusteryear_create", args=[cluster.pk]),
        reverse("clusters:clusteryear_detail", args=[term.pk]),
        reverse("clusters:clusteryear_update", args=[term.pk]),
        reverse("clusters:membership_create", args=[term.pk]),
        reverse("clusters:membership_update", args=[membership.pk]),
    ]


def test_anonymous_is_sent_to_login(client, cluster3, term3):
    membership = term3.memberships.first()
    for url in [reverse("clusters:cluster_list"), *_urls(cluster3, term3, membership)]:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    response = client.post(reverse("clusters:membership_delete", args=[membership.pk]))
    assert response.status_code == 302
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_secretary_of_another_cluster_gets_404_everywhere(client, charlie, cluster3, term3):
    client.force_login(charlie)
    membership = term3.memberships.first()
    for url in _urls(cluster3, term3, membership):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("clusters:membership_delete", args=[membership.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("clusters:clusteryear_update", args=[term3.pk]), {"header_name": "X"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_staff_of_another_province_gets_404(client, eve, cluster3, term3):
    client.force_login(eve)
    for url in _urls(cluster3, term3, term3.memberships.first()):
        assert client.get(url).status_code == 404, url


def test_cluster_list_shows_only_visible_clusters(client, charlie, cluster3, cluster4):
    client.force_login(charlie)
    response = client.get(reverse("clusters:cluster_list"))
    assert [c.pk for c in response.context["clusters"]] == [cluster4.pk]


def test_leader_reads_everything_and_changes_nothing(client, leo, cluster3, term3):
    client.force_login(leo)
    membership = term3.memberships.first()
    urls = _urls(cluster3, term3, membership)
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[3]).status_code == 200
    for url in urls[1:3] + urls[4:]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("clusters:cluster_create")).status_code == 403


def test_secretary_edits_own_term_header_but_not_members(client_bob, term3):
    url = reverse("clusters:clusteryear_update", args=[term3.pk])
    response = client_bob.post(
        url,
        {
            "head_unit": term3.head_unit_id,
            "header_parent": "UBND TỈNH ĐỒNG THÁP",
            "header_name": "CỤM THI ĐUA SỐ 3",
            "secretary_name": "Nguyễn Thị Thu",
        },
    )
    assertRedirects(response, term3.get_absolute_url())
    term3.refresh_from_db()
    assert term3.header_name == "CỤM THI ĐUA SỐ 3"
    assert client_bob.get(reverse("clusters:membership_create", args=[term3.pk])).status_code == 403
    membership = term3.memberships.first()
    response = client_bob.post(reverse("clusters:membership_delete", args=[membership.pk]))
    assert response.status_code == 403


def test_member_officer_sees_own_cluster_read_only(client, dave, cluster3, term3, cluster4):
    client.force_login(dave)
    assert client.get(term3.get_absolute_url()).status_code == 200
    assert client.get(cluster4.get_absolute_url()).status_code == 404
    assert client.get(reverse("clusters:clusteryear_update", args=[term3.pk])).status_code == 403


def test_staff_creates_a_cluster_and_opens_a_year(client_alice, province):
    response = client_alice.post(
        reverse("clusters:cluster_create"),
        {"kind": "bloc", "name": "Khối thi đua Văn hóa - Xã hội", "valid_from": "01/01/2024"},
    )
    cluster = Cluster.objects.get(name="Khối thi đua Văn hóa - Xã hội")
    assertRedirects(response, cluster.get_absolute_url())
    assert cluster.province == province
    response = client_alice.post(
        reverse("clusters:clusteryear_create", args=[cluster.pk]), {"year": 2024}
    )
    term = ClusterYear.objects.get(cluster=cluster, year=2024)
    assertRedirects(response, term.get_absolute_url())
    response = client_alice.post(
        reverse("clusters:clusteryear_create", args=[cluster.pk]), {"year": 2024}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_staff_adds_and_removes_a_member_and_sees_the_history(client_alice, alice, term3, province):
    unit = make_unit(province, name="Huyện Tam Nông")
    response = client_alice.post(
        reverse("clusters:membership_create", args=[term3.pk]),
        {"unit": unit.pk, "valid_from": "01/03/2022", "note": "Theo QĐ 12/QĐ-UBND"},
    )
    assertRedirects(response, term3.get_absolute_url())
    membership = term3.memberships.get(unit=unit)
    assert membership.valid_from.month == 3
    response = client_alice.post(reverse("clusters:membership_delete", args=[membership.pk]))
    assertRedirects(response, term3.get_absolute_url())
    response = client_alice.get(term3.get_absolute_url())
    history = response.context["history"]
    assert [(h.label, h.who) for h in history[:2]] == [
        ("Huyện Tam Nông", alice),
        ("Huyện Tam Nông", alice),
    ]
    assertContains(response, "Huyện Tam Nông")


def test_membership_dates_must_fall_in_the_year_and_not_overlap(client_alice, term3, tan_hong):
    url = reverse("clusters:membership_create", args=[term3.pk])
    response = client_alice.post(url, {"unit": tan_hong.pk, "valid_from": "01/01/2023"})
    assert response.status_code == 200
    assert "valid_from" in response.context["form"].errors
    response = client_alice.post(url, {"unit": tan_hong.pk, "valid_from": "01/03/2022"})
    assert "unit" in response.context["form"].errors
    assert term3.memberships.filter(unit=tan_hong).count() == 1


def test_a_unit_that_ended_cannot_join_after(client_alice, province, cluster3):
    term = make_cluster_year(cluster3, 2025)
    gone = make_unit(
        province,
        valid_to=cluster3.years.get(year=2022).last_day.replace(year=2025, month=6, day=30),
    )
    url = reverse("clusters:membership_create", args=[term.pk])
    response = client_alice.post(url, {"unit": gone.pk})
    assert "unit" in response.context["form"].errors
    response = client_alice.post(url, {"unit": gone.pk, "valid_to": "30/06/2025"})
    assertRedirects(response, term.get_absolute_url())


def test_a_member_of_another_province_is_refused(client_alice, term3, other_province):
    foreign = make_unit(other_province)
    response = client_alice.post(
        reverse("clusters:membership_create", args=[term3.pk]), {"unit": foreign.pk}
    )
    assert "unit" in response.context["form"].errors
    assert not term3.memberships.filter(unit=foreign).exists()


def test_head_unit_cannot_be_removed(client_alice, term3):
    membership = term3.memberships.get(unit=term3.head_unit)
    client_alice.post(reverse("clusters:membership_delete", args=[membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_delete_rejects_get(client_alice, term3):
    membership = term3.memberships.first()
    response = client_alice.get(reverse("clusters:membership_delete", args=[membership.pk]))
    assert response.status_code == 405


def test_head_must_be_a_member(client_alice, term3, province):
    outsider = make_unit(province)
    response = client_alice.post(
        reverse("clusters:clusteryear_update", args=[term3.pk]), {"head_unit": outsider.pk}
    )
    assert "head_unit" in response.context["form"].errors


def test_cluster_list_queries_do_not_grow(client_alice, province, django_assert_num_queries):
    def add_cluster():
        cluster = make_cluster(province)
        make_cluster_year(cluster, 2023, members=[make_unit(province)])
        make_cluster_year(cluster, 2024, members=[make_unit(province), make_unit(province)])

    for _ in range(3):
        add_cluster()
    with django_assert_num_queries(6) as three:
        response = client_alice.get(reverse("clusters:cluster_list"))
    assert [c.latest_term.member_count for c in response.context["clusters"]] == [2, 2, 2]
    for _ in range(7):
        add_cluster()
    with django_assert_num_queries(len(three.captured_queries)):
        client_alice.get(reverse("clusters:cluster_list"))


def test_cluster_year_page_queries_do_not_grow(
    client_alice, province, term3, django_assert_num_queries
):
    with django_assert_num_queries(11) as few:
        client_alice.get(term3.get_absolute_url())
    for _ in range(15):
        Membership.objects.create(cluster_year=term3, unit=make_unit(province))
    with django_assert_num_queries(len(few.captured_queries)):
        client_alice.get(term3.get_absolute_url())


def test_clusters_sort_in_vietnamese_order_with_numbers_by_value(client_alice, province):
    for number in (10, 2, 1):
        make_cluster(province, number=number, name=f"Cụm thi đua số {number}")
    response = client_alice.get(reverse("clusters:cluster_list"))
    assert [c.number for c in response.context["clusters"]] == [1, 2, 10]
