import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.models import Unit, UnitSuccession
from clusters.tests.factories import day, make_unit

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, tan_hong):
    for url in [
        reverse("clusters:unit_list"),
        reverse("clusters:unit_create"),
        reverse("clusters:unit_detail", args=[tan_hong.pk]),
        reverse("clusters:unit_update", args=[tan_hong.pk]),
        reverse("clusters:unit_rename", args=[tan_hong.pk]),
        reverse("clusters:reorganisation_list"),
        reverse("clusters:reorganisation_create"),
    ]:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assertContains(response, 'lang="vi"')
    assertContains(response, "Tên đăng nhập")


def test_staff_sees_units_in_vietnamese_order(client_alice, province):
    for name in ["Đồng Tháp", "Dương", "Ân", "An", "Zê"]:
        make_unit(province, name=name)
    response = client_alice.get(reverse("clusters:unit_list"))
    names = [u.display_name for u in response.context["page_obj"]]
    assert names == ["An", "Ân", "Dương", "Đồng Tháp", "Zê"]


@pytest.mark.parametrize("query", ["tan hong", "Tân Hồng", "TAN  HONG", "tân"])
def test_search_ignores_accents(client_alice, tan_hong, hong_ngu, query):
    response = client_alice.get(reverse("clusters:unit_list"), {"q": query})
    assert [u.pk for u in response.context["page_obj"]] == [tan_hong.pk]


def test_as_of_list_shows_units_of_that_day_under_their_names_then(client_alice, province):
    town = make_unit(province, name="Thị xã Hồng Ngự", kind=Unit.Kind.TOWN)
    from clusters import services

    services.unit_rename(
        unit=town, new_name="Thành phố Hồng Ngự", effective_date=day("01/01/2020"), legal_basis="x"
    )
    gone = make_unit(province, name="Huyện Cũ", valid_to=day("30/06/2019"))
    later = make_unit(province, name="Xã Mới", valid_from=day("01/07/2025"))
    response = client_alice.get(reverse("clusters:unit_list"), {"as_of": "15/03/2019"})
    shown = {u.pk: u.display_name for u in response.context["page_obj"]}
    assert shown[town.pk] == "Thị xã Hồng Ngự"
    assert gone.pk in shown and later.pk not in shown
    response = client_alice.get(reverse("clusters:unit_list"), {"as_of": "25/03/2025"})
    shown = {u.pk: u.display_name for u in response.context["page_obj"]}
    assert shown[town.pk] == "Thành phố Hồng Ngự"
    assert gone.pk not in shown


def test_as_of_with_a_bad_date_says_so_and_lists_everything(client_alice, tan_hong):
    response = client_alice.get(reverse("clusters:unit_list"), {"as_of": "31/02/2025"})
    assert response.context["as_of_invalid"]
    assert list(response.context["page_obj"]) == [tan_hong]


def test_unit_list_queries_do_not_grow_with_rows(client_alice, province, django_assert_num_queries):
    for _ in range(3):
        make_unit(province)
    with django_assert_num_queries(6) as three:
        client_alice.get(reverse("clusters:unit_list"))
    for _ in range(20):
        make_unit(province)
    with django_assert_num_queries(len(three.captured_queries)):
        client_alice.get(reverse("clusters:unit_list"))
    # The list as of a day trades the count query for one that fetches the names then.
    with django_assert_num_queries(len(three.captured_queries)):
        client_alice.get(reverse("clusters:unit_list"), {"as_of": "01/01/2024"})


def test_stranger_gets_404_on_a_unit_outside_their_cluster(client, charlie, tan_hong):
    client.force_login(charlie)
    assert client.get(reverse("clusters:unit_detail", args=[tan_hong.pk])).status_code == 404
    assert client.get(reverse("clusters:unit_update", args=[tan_hong.pk])).status_code == 404


def test_staff_of_another_province_gets_404(client, eve, tan_hong):
    client.force_login(eve)
    assert client.get(reverse("clusters:unit_detail", args=[tan_hong.pk])).status_code == 404
    response = client.get(reverse("clusters:unit_list"))
    assert list(response.context["page_obj"]) == []


def test_secretary_sees_member_units_but_cannot_edit_them(client_bob, tan_hong):
    assert client_bob.get(reverse("clusters:unit_detail", args=[tan_hong.pk])).status_code == 200
    assert client_bob.get(reverse("clusters:unit_update", args=[tan_hong.pk])).status_code == 403
    response = client_bob.post(reverse("clusters:unit_update", args=[tan_hong.pk]), {"phone": "1"})
    assert response.status_code == 403


def test_member_officer_edits_only_contact_details_of_own_unit(client, dave, tan_hong, hong_ngu):
    client.force_login(dave)
    url = reverse("clusters:unit_update", args=[tan_hong.pk])
    response = client.post(url, {"phone": "0277 123", "name": "Hacked", "code": "X"})
    assertRedirects(response, tan_hong.get_absolute_url())
    tan_hong.refresh_from_db()
    assert tan_hong.phone == "0277 123"
    assert tan_hong.name == "Tân Hồng"
    # Hồng Ngự is in the same cluster: visible, but not editable.
    assert client.get(reverse("clusters:unit_update", args=[hong_ngu.pk])).status_code == 403


def test_member_officer_cannot_create_units(client, dave):
    client.force_login(dave)
    assert client.get(reverse("clusters:unit_create")).status_code == 404


def test_staff_creates_a_unit_with_a_day_first_date(client_alice, province):
    response = client_alice.post(
        reverse("clusters:unit_create"),
        {"kind": "commune", "code": "30001", "name": "Xã Tân Hồng", "valid_from": "25/03/2025"},
    )
    unit = Unit.objects.get(code="30001")
    assertRedirects(response, unit.get_absolute_url())
    assert unit.valid_from == day("25/03/2025")
    assert unit.names.get().name == "Xã Tân Hồng"


def test_a_form_error_keeps_what_was_typed(client_alice, tan_hong):
    response = client_alice.post(
        reverse("clusters:unit_create"),
        {
            "kind": "commune",
            "code": tan_hong.code,
            "name": "Xã Thường Phước",
            "valid_from": "01/07/2025",
            "valid_to": "30/06/2025",
        },
    )
    assert response.status_code == 200
    assertContains(response, "Xã Thường Phước")
    assertContains(response, "01/07/2025")
    assertContains(response, "Ngày kết thúc không được trước ngày bắt đầu.")
    assertContains(response, "Một đơn vị khác của tỉnh đã dùng mã này.")
    assert not Unit.objects.filter(name="Xã Thường Phước").exists()


def test_unit_page_shows_lineage_and_history(client_alice, province, tan_hong, alice):
    commune = make_unit(province, name="Xã Tân Hồng", kind=Unit.Kind.COMMUNE)
    response = client_alice.post(
        reverse("clusters:reorganisation_create"),
        {
            "kind": "merge",
            "predecessors": [tan_hong.pk],
            "successors": [commune.pk],
            "effective_date": "01/07/2025",
            "legal_basis": "Nghị quyết 1663/NQ-UBTVQH15",
            "close_predecessors": "on",
        },
    )
    assertRedirects(response, reverse("clusters:reorganisation_list"))
    response = client_alice.get(reverse("clusters:unit_detail", args=[commune.pk]))
    assert [s.unit for s in response.context["predecessors"]] == [tan_hong]
    response = client_alice.get(reverse("clusters:unit_detail", args=[tan_hong.pk]))
    assert [s.unit for s in response.context["successors"]] == [commune]
    change = response.context["history"][0]
    assert change.who == alice
    assert [(c.old, c.new) for c in change.changes] == [("", "30/06/2025")]
    assertContains(response, "Nghị quyết 1663/NQ-UBTVQH15")


def test_reorganisation_form_refuses_a_unit_succeeding_itself(client_alice, tan_hong):
    response = client_alice.post(
        reverse("clusters:reorganisation_create"),
        {
            "kind": "merge",
            "predecessors": [tan_hong.pk],
            "successors": [tan_hong.pk],
            "effective_date": "01/07/2025",
            "legal_basis": "x",
        },
    )
    assert response.status_code == 200
    assert not UnitSuccession.objects.exists()


def test_reorganisation_refuses_a_unit_of_another_province(client_alice, tan_hong, other_province):
    foreign = make_unit(other_province)
    response = client_alice.post(
        reverse("clusters:reorganisation_create"),
        {
            "kind": "merge",
            "predecessors": [tan_hong.pk],
            "successors": [foreign.pk],
            "effective_date": "01/07/2025",
            "legal_basis": "x",
        },
    )
    assert response.status_code == 200
    assert "successors" in response.context["form"].errors
    assert not UnitSuccession.objects.exists()


def test_rename_through_the_page(client_alice, tan_hong):
    response = client_alice.post(
        reverse("clusters:unit_rename", args=[tan_hong.pk]),
        {"new_name": "Huyện Tân Hồng mới", "effective_date": "01/01/2024", "legal_basis": "QĐ 1"},
    )
    assertRedirects(response, tan_hong.get_absolute_url())
    response = client_alice.get(tan_hong.get_absolute_url())
    assertContains(response, "Huyện Tân Hồng mới")
    assertContains(response, "31/12/2023")


def test_secretary_cannot_rename(client_bob, tan_hong):
    url = reverse("clusters:unit_rename", args=[tan_hong.pk])
    assert client_bob.post(url, {"new_name": "X"}).status_code == 403


def test_language_switch_to_english(client_alice):
    response = client_alice.post(
        reverse("set_language"), {"language": "en", "next": reverse("clusters:unit_list")}
    )
    assertRedirects(response, reverse("clusters:unit_list"), fetch_redirect_response=False)
    response = client_alice.get(reverse("clusters:unit_list"))
    assertContains(response, 'lang="en"')
    assertNotContains(response, "Đơn vị</h1>")
