import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.models import RoleAssignment, User
from clusters.tests.factories import make_user

pytestmark = pytest.mark.django_db

Role = RoleAssignment.Role


def _urls(account, role):
    return [
        reverse("clusters:user_list"),
        reverse("clusters:user_create"),
        reverse("clusters:user_detail", args=[account.pk]),
        reverse("clusters:user_update", args=[account.pk]),
        reverse("clusters:user_password", args=[account.pk]),
    ]


def test_anonymous_is_sent_to_login(client, bob):
    role = bob.roles.get()
    for url in _urls(bob, role):
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    client.post(reverse("clusters:role_delete", args=[role.pk]))
    assert bob.roles.exists()


@pytest.mark.parametrize("intruder", ["bob", "leo", "dave", "eve"])
def test_only_staff_of_the_province_manage_its_users(client, request, alice, bob, intruder):
    """Secretaries, leaders and member officers manage no accounts; staff of another
    province do not see this province's."""
    client.force_login(request.getfixturevalue(intruder))
    target = alice if intruder == "bob" else bob
    role = target.roles.get()
    for url in _urls(target, role)[2:]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("clusters:role_delete", args=[role.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("clusters:role_create", args=[target.pk]), {"role": Role.PROVINCIAL_STAFF}
    )
    assert response.status_code == 404
    assert list(target.roles.all()) == [role]


def test_user_list_is_in_vietnamese_order_and_searchable_without_accents(client_alice, province):
    for username, full_name in [("a", "Đặng Văn Em"), ("b", "Dương Thị Hoa"), ("c", "Zô Ân")]:
        make_user(username, full_name=full_name, province=province)
    response = client_alice.get(reverse("clusters:user_list"))
    names = [str(u) for u in response.context["page_obj"]]
    assert names.index("Dương Thị Hoa") < names.index("Đặng Văn Em") < names.index("Zô Ân")

    response = client_alice.get(reverse("clusters:user_list"), {"q": "dang van"})
    assert [u.username for u in response.context["page_obj"]] == ["a"]


def test_user_list_hides_other_provinces(client_alice, eve, bob):
    response = client_alice.get(reverse("clusters:user_list"))
    usernames = {u.username for u in response.context["page_obj"]}
    assert {"alice", "bob"} <= usernames
    assert "eve" not in usernames


def test_user_list_query_count_does_not_grow_with_users(
    client_alice, province, term3, django_assert_num_queries
):
    for n in range(30):
        make_user(
            f"user{n}",
            {"role": Role.CLUSTER_SECRETARY, "province": province, "cluster_year": term3},
            province=province,
        )
    # session, user, access roles, users, their roles with scopes
    with django_assert_num_queries(5):
        client_alice.get(reverse("clusters:user_list"))


def test_staff_create_an_account_in_their_province(client_alice, province):
    response = client_alice.post(
        reverse("clusters:user_create"),
        {
            "username": "thuky5",
            "full_name": "Nguyễn Văn Năm",
            "position": "Chuyên viên",
            "phone": "",
            "email": "",
            "password1": "Mat-khau-dai-2026",
            "password2": "Mat-khau-dai-2026",
        },
    )
    user = User.objects.get(username="thuky5")
    assertRedirects(response, user.get_absolute_url())
    assert user.province == province
    assert user.check_password("Mat-khau-dai-2026")
    assert not user.roles.exists()


def test_account_form_errors_keep_the_input(client_alice):
    response = client_alice.post(
        reverse("clusters:user_create"),
        {
            "username": "thuky5",
            "full_name": "Nguyễn Văn Năm",
            "password1": "Mat-khau-dai-2026",
            "password2": "khac",
        },
    )
    assert response.status_code == 200
    assertContains(response, 'value="Nguyễn Văn Năm"')
    assert not User.objects.filter(username="thuky5").exists()


def test_staff_add_a_secretary_role_and_it_shows_in_the_history(
    client_alice, alice, term3, province
):
    user = make_user("nam", province=province)
    url = reverse("clusters:role_create", args=[user.pk])
    response = client_alice.post(url, {"role": Role.CLUSTER_SECRETARY, "cluster_year": term3.pk})
    assertRedirects(response, user.get_absolute_url())
    role = user.roles.get()
    assert (role.role, role.cluster_year, role.province) == (
        Role.CLUSTER_SECRETARY,
        term3,
        province,
    )
    response = client_alice.get(user.get_absolute_url())
    history = response.context["history"]
    assert history[0].who == alice
    assert history[0].label.startswith(str(Role.CLUSTER_SECRETARY.label))


def test_role_scope_must_match_the_role(client_alice, province, term3, tan_hong):
    user = make_user("nam", province=province)
    url = reverse("clusters:role_create", args=[user.pk])
    cases = [
        {"role": Role.CLUSTER_SECRETARY},
        {"role": Role.MEMBER_OFFICER},
        {"role": Role.PROVINCIAL_STAFF, "unit": tan_hong.pk},
        {"role": Role.LEADER, "cluster_year": term3.pk},
    ]
    for data in cases:
        response = client_alice.post(url, data)
        assert response.status_code == 400, data
    assert not user.roles.exists()


def test_role_cannot_point_to_another_province(client_alice, province, other_province):
    from clusters.tests.factories import make_unit

    foreign = make_unit(other_province, name="Trảng Bàng")
    user = make_user("nam", province=province)
    response = client_alice.post(
        reverse("clusters:role_create", args=[user.pk]),
        {"role": Role.MEMBER_OFFICER, "unit": foreign.pk},
    )
    assert response.status_code == 400
    assert not user.roles.exists()


def test_duplicate_role_is_refused(client_alice, bob, term3):
    response = client_alice.post(
        reverse("clusters:role_create", args=[bob.pk]),
        {"role": Role.CLUSTER_SECRETARY, "cluster_year": term3.pk},
    )
    assert response.status_code == 400
    assert response.context["role_form"].non_field_errors()
    assert bob.roles.count() == 1


def test_staff_remove_a_role(client_alice, bob):
    role = bob.roles.get()
    response = client_alice.post(reverse("clusters:role_delete", args=[role.pk]))
    assertRedirects(response, bob.get_absolute_url())
    assert not bob.roles.exists()
    history = client_alice.get(bob.get_absolute_url()).context["history"]
    assert history[0].action == "Xóa"


def test_staff_cannot_remove_their_own_staff_role(client_alice, alice):
    role = alice.roles.get()
    client_alice.post(reverse("clusters:role_delete", args=[role.pk]))
    assert alice.roles.filter(pk=role.pk).exists()


def test_role_delete_needs_post(client_alice, bob):
    role = bob.roles.get()
    assert client_alice.get(reverse("clusters:role_delete", args=[role.pk])).status_code == 405
    assert bob.roles.exists()


def test_staff_deactivate_an_account_but_not_their_own(client_alice, alice, bob):
    data = {"full_name": "Bob", "position": "", "phone": "", "email": "", "is_active": ""}
    response = client_alice.post(reverse("clusters:user_update", args=[bob.pk]), data)
    assertRedirects(response, bob.get_absolute_url())
    bob.refresh_from_db()
    assert not bob.is_active

    response = client_alice.post(reverse("clusters:user_update", args=[alice.pk]), data)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.is_active


def test_staff_set_a_new_password(client_alice, bob):
    response = client_alice.post(
        reverse("clusters:user_password", args=[bob.pk]),
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assertRedirects(response, bob.get_absolute_url())
    bob.refresh_from_db()
    assert bob.check_password("Mat-khau-moi-2026")


def test_history_never_shows_the_password(client_alice, bob):
    client_alice.post(
        reverse("clusters:user_password", args=[bob.pk]),
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    response = client_alice.get(bob.get_absolute_url())
    assertNotContains(response, "md5$")
    assertNotContains(response, "pbkdf2")


def test_superuser_is_not_managed_by_staff(client_alice, province):
    root = User.objects.create_superuser("root", password="x", province=province)
    assert client_alice.get(reverse("clusters:user_detail", args=[root.pk])).status_code == 404
