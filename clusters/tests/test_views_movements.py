import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import covenant_services, demo, demo_movements, exemplary
from clusters.models import (
    Cluster,
    Criterion,
    ExemplaryModel,
    Membership,
    Movement,
    Period,
    RoleAssignment,
    ScoreSheet,
)
from clusters.tests.factories import day, make_cluster, make_unit, make_user

pytestmark = pytest.mark.django_db

Kind = ExemplaryModel.Kind
Role = RoleAssignment.Role


# --- Data --------------------------------------------------------------------------


@pytest.fixture
def movement(province, cluster3):
    return exemplary.movement_save(
        movement=Movement(
            name="Phong trào thi đua năm 2022: “Đồng thuận cao, thi đua giỏi, về đích sớm”",
            kind=Movement.Kind.REGULAR,
            start=day("01/01/2022"),
            end=day("31/12/2022"),
        ),
        province=province,
        clusters=[cluster3],
    )


def _model(province, unit, title, *, kind=Kind.GOOD_DEED, on="15/06/2022", **extra):
    return exemplary.exemplary_model_save(
        model=ExemplaryModel(
            kind=kind,
            title=title,
            unit=unit,
            recognised_on=day(on) if on else None,
            **extra,
        ),
        province=province,
    )


@pytest.fixture
def tan_hong_model(province, tan_hong, movement):
    return _model(province, tan_hong, "Người tốt, việc tốt ở Tân Hồng", movement=movement)


@pytest.fixture
def hong_ngu_model(province, hong_ngu, movement):
    return _model(province, hong_ngu, "Mô hình mới ở Hồng Ngự", kind=Kind.NEW_MODEL)


@pytest.fixture
def lai_vung_model(province, term4):
    unit = term4.memberships.get().unit
    return _model(province, unit, "Gương điển hình ở Lai Vung", kind=Kind.EXEMPLAR)


def _login(client, user):
    client.force_login(user)
    return client


def _form_data(**overrides):
    data = {
        "kind": Kind.GOOD_DEED,
        "title": "Bếp ăn từ thiện",
        "person_name": "Nhóm thiện nguyện",
        "unit": "",
        "movement": "",
        "recognised_on": "20/05/2022",
        "recognised_by": "UBND huyện",
        "description": "",
    }
    data.update(overrides)
    return data


def _movement_data(**overrides):
    data = {
        "name": "Phong trào thi đua xây dựng nông thôn mới",
        "kind": Movement.Kind.THEMATIC,
        "launched_by": "Chủ tịch UBND tỉnh",
        "launched_on": "17/05/2024",
        "start": "17/05/2024",
        "end": "31/12/2024",
        "description": "",
    }
    data.update(overrides)
    return data


# --- Access ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, movement, tan_hong_model):
    urls = [
        reverse("clusters:movement_list"),
        reverse("clusters:movement_create"),
        reverse("clusters:movement_detail", args=[movement.pk]),
        reverse("clusters:movement_update", args=[movement.pk]),
        reverse("clusters:exemplary_list"),
        reverse("clusters:exemplary_create"),
        reverse("clusters:exemplary_update", args=[tan_hong_model.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    url = reverse("clusters:exemplary_delete", args=[tan_hong_model.pk])
    response = client.post(url)
    assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    assert ExemplaryModel.objects.filter(pk=tan_hong_model.pk).exists()


@pytest.mark.parametrize("stranger", ["charlie", "eve"])
def test_strangers_get_404(client, request, stranger, movement, tan_hong_model):
    _login(client, request.getfixturevalue(stranger))
    for name in ["movement_detail", "movement_update"]:
        assert client.get(reverse(f"clusters:{name}", args=[movement.pk])).status_code == 404
    url = reverse("clusters:exemplary_update", args=[tan_hong_model.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form_data(title="x")).status_code == 404
    url = reverse("clusters:exemplary_delete", args=[tan_hong_model.pk])
    assert client.post(url).status_code == 404
    tan_hong_model.refresh_from_db()
    assert tan_hong_model.title == "Người tốt, việc tốt ở Tân Hồng"


def test_strangers_lists_do_not_show_what_they_may_not_see(
    client, charlie, eve, movement, tan_hong_model, lai_vung_model
):
    _login(client, charlie)
    response = client.get(reverse("clusters:exemplary_list"))
    assert [m.pk for m in response.context["page_obj"]] == [lai_vung_model.pk]
    response = client.get(reverse("clusters:movement_list"))
    assert list(response.context["page_obj"]) == []
    _login(client, eve)
    response = client.get(reverse("clusters:exemplary_list"))
    assert list(response.context["page_obj"]) == []
    assert not response.context["units"].exists()


def test_leader_reads_but_may_not_change(client, leo, movement, tan_hong_model):
    _login(client, leo)
    response = client.get(reverse("clusters:movement_list"))
    assert [m.pk for m in response.context["page_obj"]] == [movement.pk]
    assert not response.context["can_create"]
    response = client.get(reverse("clusters:movement_detail", args=[movement.pk]))
    assert response.status_code == 200
    assert not response.context["can_manage"] and not response.context["can_record"]
    response = client.get(reverse("clusters:exemplary_list"))
    assert [m.pk for m in response.context["page_obj"]] == [tan_hong_model.pk]
    assert not response.context["can_create"]
    assert not response.context["page_obj"][0].can_edit
    assert client.get(reverse("clusters:movement_create")).status_code == 403
    assert client.get(reverse("clusters:movement_update", args=[movement.pk])).status_code == 403
    assert client.get(reverse("clusters:exemplary_create")).status_code == 403
    url = reverse("clusters:exemplary_update", args=[tan_hong_model.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("clusters:exemplary_delete", args=[tan_hong_model.pk])).status_code
        == 403
    )
    assert ExemplaryModel.objects.filter(pk=tan_hong_model.pk).exists()


def test_delete_needs_post(client_alice, tan_hong_model):
    url = reverse("clusters:exemplary_delete", args=[tan_hong_model.pk])
    assert client_alice.get(url).status_code == 405


# --- Movements ---------------------------------------------------------------------


def test_staff_creates_a_movement_with_its_clusters(client_alice, province, cluster3, cluster4):
    data = _movement_data(clusters=[cluster3.pk, cluster4.pk])
    response = client_alice.post(reverse("clusters:movement_create"), data)
    movement = Movement.objects.get()
    assertRedirects(response, movement.get_absolute_url())
    assert movement.province == province
    assert movement.launched_on == datetime.date(2024, 5, 17)
    assert set(movement.clusters.all()) == {cluster3, cluster4}
    response = client_alice.get(movement.get_absolute_url())
    assert [c.pk for c in response.context["clusters"]] == [cluster3.pk, cluster4.pk]
    changes = [c.new for e in response.context["history"] for c in e.changes]
    assert "Cụm thi đua số 3, Cụm thi đua số 4" in changes


def test_editing_the_clusters_is_one_entry_of_the_history(client_alice, movement, cluster4):
    url = reverse("clusters:movement_update", args=[movement.pk])
    before = movement.history.count()
    data = _movement_data(name=movement.name, clusters=[cluster4.pk])
    assertRedirects(client_alice.post(url, data), movement.get_absolute_url())
    assert movement.history.count() == before + 1
    assert list(movement.clusters.all()) == [cluster4]
    history = client_alice.get(movement.get_absolute_url()).context["history"]
    latest = {c.field: (c.old, c.new) for c in history[0].changes}
    label = str(Movement._meta.get_field("clusters").verbose_name).capitalize()
    assert latest[label] == ("Cụm thi đua số 3", "Cụm thi đua số 4")


def test_a_movement_ending_before_it_starts_is_refused(client_alice):
    data = _movement_data(start="01/06/2024", end="31/05/2024")
    response = client_alice.post(reverse("clusters:movement_create"), data)
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert response.context["form"]["name"].value() == data["name"]
    assert not Movement.objects.exists()


def test_a_cluster_of_another_province_is_refused(client_alice, other_province):
    foreign = make_cluster(other_province, name="Khối thi đua Doanh nghiệp")
    response = client_alice.post(
        reverse("clusters:movement_create"), _movement_data(clusters=[foreign.pk])
    )
    assert "clusters" in response.context["form"].errors
    assert not Movement.objects.exists()


def test_movement_service_refuses_inconsistent_movements(province, other_province):
    movement = Movement(name="x", kind="regular", start=day("02/01/2024"), end=day("01/01/2024"))
    with pytest.raises(exemplary.RecordError) as error:
        exemplary.movement_save(movement=movement, province=province, clusters=[])
    assert error.value.field == "end"
    foreign = make_cluster(other_province)
    movement = Movement(name="x", kind="regular")
    with pytest.raises(exemplary.RecordError) as error:
        exemplary.movement_save(movement=movement, province=province, clusters=[foreign])
    assert error.value.field == "clusters"
    assert not Movement.objects.exists()


def test_movement_list_filters_and_searches_without_accents(client_alice, province, movement):
    rural = exemplary.movement_save(
        movement=Movement(
            name="Phong trào thi đua xây dựng nông thôn mới",
            kind=Movement.Kind.THEMATIC,
            launched_on=day("17/05/2024"),
        ),
        province=province,
        clusters=[],
    )
    url = reverse("clusters:movement_list")

    def shown(**params):
        return [m.pk for m in client_alice.get(url, params).context["page_obj"]]

    assert shown() == [rural.pk, movement.pk]
    assert shown(kind="thematic") == [rural.pk]
    assert shown(year="2022") == [movement.pk]
    # Open-ended: from its launch on.
    assert shown(year="2025") == [rural.pk]
    assert shown(q="nong thon MOI") == [rural.pk]
    assert shown(q="dong thuan") == [movement.pk]
    assert 2022 in client_alice.get(url).context["years"]


def test_movement_list_queries_do_not_grow(client_alice, province, django_assert_num_queries):
    def add(n):
        for i in range(n):
            exemplary.movement_save(
                movement=Movement(name=f"Phong trào {i}", kind="regular"),
                province=province,
                clusters=list(Cluster.objects.filter(province=province)),
            )

    make_cluster(province)
    add(3)
    # Session, user, roles; movements with their counts.
    with django_assert_num_queries(4):
        client_alice.get(reverse("clusters:movement_list"))
    add(10)
    with django_assert_num_queries(4):
        client_alice.get(reverse("clusters:movement_list"))


def test_movement_detail_shows_its_models_and_queries_do_not_grow(
    client_alice, province, movement, tan_hong, django_assert_num_queries
):
    for n in range(3):
        _model(province, tan_hong, f"Mô hình {n}", movement=movement)
    url = movement.get_absolute_url()
    # Session, user, roles; movement, clusters, visible clusters, models; history: records,
    # cluster snapshots, record dates.
    with django_assert_num_queries(10):
        response = client_alice.get(url)
    assert len(response.context["models"]) == 3
    for n in range(10):
        _model(province, tan_hong, f"Mô hình thêm {n}", movement=movement)
    with django_assert_num_queries(10):
        response = client_alice.get(url)
    assert len(response.context["models"]) == 13
    assertContains(response, reverse("clusters:exemplary_create") + f"?movement={movement.pk}")


def test_member_sees_the_movement_of_their_cluster(client, dave, bob, movement):
    for user in (dave, bob):
        _login(client, user)
        assert client.get(movement.get_absolute_url()).status_code == 200
        response = client.get(reverse("clusters:movement_list"))
        assert [m.pk for m in response.context["page_obj"]] == [movement.pk]
        assert client.get(reverse("clusters:movement_create")).status_code == 404
        url = reverse("clusters:movement_update", args=[movement.pk])
        assert client.get(url).status_code == 403


# --- The register ------------------------------------------------------------------


def test_staff_records_a_model(client_alice, province, tan_hong, movement):
    data = _form_data(unit=tan_hong.pk, movement=movement.pk)
    response = client_alice.post(reverse("clusters:exemplary_create"), data)
    assertRedirects(response, reverse("clusters:exemplary_list"))
    model = ExemplaryModel.objects.get()
    assert (model.province, model.unit, model.movement) == (province, tan_hong, movement)
    assert model.recognised_on == datetime.date(2022, 5, 20)


def test_staff_may_record_a_model_without_a_unit(client_alice, province):
    response = client_alice.post(reverse("clusters:exemplary_create"), _form_data())
    assertRedirects(response, reverse("clusters:exemplary_list"))
    model = ExemplaryModel.objects.get()
    assert model.unit is None and model.province == province


def test_a_model_needs_its_recognition_date(client_alice, tan_hong):
    data = _form_data(unit=tan_hong.pk, recognised_on="")
    response = client_alice.post(reverse("clusters:exemplary_create"), data)
    assert list(response.context["form"].errors) == ["recognised_on"]
    response = client_alice.post(
        reverse("clusters:exemplary_create"), _form_data(recognised_on="31/02/2022")
    )
    assert list(response.context["form"].errors) == ["recognised_on"]
    assert not ExemplaryModel.objects.exists()


def test_a_model_of_a_unit_that_did_not_exist_then_is_refused(client_alice, province):
    gone = make_unit(province, name="Huyện Cũ", valid_to=day("30/06/2019"))
    data = _form_data(unit=gone.pk, recognised_on="15/03/2020")
    response = client_alice.post(reverse("clusters:exemplary_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["recognised_on"]
    assert form["title"].value() == data["title"]
    assert form["recognised_on"].value() == "15/03/2020"
    assertContains(response, "Huyện Cũ")
    assert not ExemplaryModel.objects.exists()


def test_a_unit_of_another_province_is_refused(client_alice, other_province, province):
    foreign = make_unit(other_province, name="Sở Nội vụ")
    response = client_alice.post(reverse("clusters:exemplary_create"), _form_data(unit=foreign.pk))
    assert list(response.context["form"].errors) == ["unit"]
    assert not ExemplaryModel.objects.exists()
    # The service refuses it too, for callers without the form (an import, the shell).
    with pytest.raises(exemplary.RecordError) as error:
        _model(province, foreign, "x")
    assert error.value.field == "unit"


def test_a_movement_of_another_province_is_refused(province, other_province, tan_hong):
    foreign = exemplary.movement_save(
        movement=Movement(name="x", kind="regular"), province=other_province, clusters=[]
    )
    with pytest.raises(exemplary.RecordError) as error:
        _model(province, tan_hong, "x", movement=foreign)
    assert error.value.field == "movement"


def test_member_officer_records_models_of_their_own_unit_only(
    client, dave, tan_hong, hong_ngu, hong_ngu_model, movement
):
    _login(client, dave)
    url = reverse("clusters:exemplary_create")
    response = client.get(url, {"movement": movement.pk})
    assert list(response.context["form"].fields["unit"].queryset) == [tan_hong]
    assert response.context["form"]["movement"].value() == movement.pk
    # The unit is required for them.
    response = client.post(url, _form_data())
    assert list(response.context["form"].errors) == ["unit"]
    response = client.post(url, _form_data(unit=hong_ngu.pk))
    assert list(response.context["form"].errors) == ["unit"]
    assertRedirects(
        client.post(url, _form_data(unit=tan_hong.pk)), reverse("clusters:exemplary_list")
    )
    own = ExemplaryModel.objects.get(unit=tan_hong)
    # Another member's model: visible, but not theirs to change.
    assert (
        client.get(reverse("clusters:exemplary_update", args=[hong_ngu_model.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("clusters:exemplary_delete", args=[hong_ngu_model.pk])).status_code
        == 403
    )
    url = reverse("clusters:exemplary_update", args=[own.pk])
    response = client.post(url, _form_data(unit=tan_hong.pk, title="Bếp ăn 0 đồng"))
    assertRedirects(response, reverse("clusters:exemplary_list"))
    own.refresh_from_db()
    assert own.title == "Bếp ăn 0 đồng"
    response = client.get(url)
    assert response.context["history"]
    assertRedirects(
        client.post(reverse("clusters:exemplary_delete", args=[own.pk])),
        reverse("clusters:exemplary_list"),
    )
    assert not ExemplaryModel.objects.filter(pk=own.pk).exists()


def test_cluster_secretary_records_models_for_the_cluster_members(
    client_bob, tan_hong, hong_ngu, lai_vung_model
):
    url = reverse("clusters:exemplary_create")
    units = client_bob.get(url).context["form"].fields["unit"].queryset
    assert set(units) == {tan_hong, hong_ngu}
    response = client_bob.post(url, _form_data(unit=hong_ngu.pk))
    assertRedirects(response, reverse("clusters:exemplary_list"))
    assert ExemplaryModel.objects.filter(unit=hong_ngu).exists()
    url = reverse("clusters:exemplary_update", args=[lai_vung_model.pk])
    assert client_bob.get(url).status_code == 404


def test_register_filters_searches_and_orders(client_alice, province, tan_hong, hong_ngu, movement):
    a = _model(province, tan_hong, "Ân tình biên giới", kind=Kind.GOOD_DEED, on="01/03/2022")
    b = _model(province, hong_ngu, "An cư lạc nghiệp", kind=Kind.NEW_MODEL, on="01/05/2022")
    c = _model(
        province,
        tan_hong,
        "Đồng hành cùng nông dân",
        kind=Kind.EXEMPLAR,
        on="01/04/2023",
        person_name="Ông Nguyễn Văn Tâm",
        movement=movement,
    )
    d = _model(province, tan_hong, "Dòng sông xanh", kind=Kind.NEW_MODEL, on="01/05/2022")
    url = reverse("clusters:exemplary_list")

    def shown(**params):
        return [m.pk for m in client_alice.get(url, params).context["page_obj"]]

    # Newest first; the same day in Vietnamese order of titles.
    assert shown() == [c.pk, b.pk, d.pk, a.pk]
    assert shown(order="title") == [b.pk, a.pk, d.pk, c.pk]
    assert shown(kind="new_model") == [b.pk, d.pk]
    assert shown(year="2022") == [b.pk, d.pk, a.pk]
    assert shown(unit=hong_ngu.pk) == [b.pk]
    assert shown(movement=movement.pk) == [c.pk]
    assert shown(q="an tinh") == [a.pk]
    assert shown(q="van tam") == [c.pk]
    assert shown(q="DONG", order="title") == [d.pk, c.pk]
    assert shown(year="abc", unit="x") == [c.pk, b.pk, d.pk, a.pk]
    response = client_alice.get(url)
    assert response.context["years"] == [2023, 2022]
    assert set(response.context["units"]) == {tan_hong, hong_ngu}


def test_register_shows_the_unit_under_its_name_of_the_day(client_alice, province):
    from clusters import services

    town = make_unit(province, name="Thị xã Hồng Ngự")
    services.unit_rename(
        unit=town, new_name="Thành phố Hồng Ngự", effective_date=day("01/01/2020"), legal_basis="x"
    )
    _model(province, town, "Mô hình cũ", on="01/06/2019")
    response = client_alice.get(reverse("clusters:exemplary_list"))
    assert response.context["page_obj"][0].unit_name == "Thị xã Hồng Ngự"


def test_register_queries_do_not_grow_with_rows(
    client_alice, province, tan_hong, movement, django_assert_num_queries
):
    for n in range(3):
        _model(province, tan_hong, f"Mô hình {n}", movement=movement)
    url = reverse("clusters:exemplary_list")
    # Session, user, roles; rows, page models, their unit names; years, units, movements.
    with django_assert_num_queries(9):
        client_alice.get(url)
    for n in range(60):
        _model(province, tan_hong, f"Mô hình thêm {n}", movement=movement)
    with django_assert_num_queries(9):
        response = client_alice.get(url, {"q": "mo hinh"})
    assert response.context["page_obj"].paginator.count == 63


def test_member_register_links_the_movements_they_may_open(
    client, dave, tan_hong_model, django_assert_num_queries
):
    _login(client, dave)
    response = client.get(reverse("clusters:exemplary_list"))
    assert response.context["page_obj"][0].movement_link
    assert response.context["page_obj"][0].can_edit


# --- Counting the register for score sheets ----------------------------------------


def test_exemplary_counts_is_one_query_per_call(
    province, tan_hong, hong_ngu, django_assert_num_queries
):
    _model(province, tan_hong, "a", on="01/02/2022")
    _model(province, tan_hong, "b", kind=Kind.NEW_MODEL, on="01/03/2022")
    _model(province, tan_hong, "c", on="01/03/2023")
    _model(province, tan_hong, "d", on=None)
    with django_assert_num_queries(1):
        counts = exemplary.exemplary_counts([tan_hong.pk, hong_ngu.pk], 2022)
    assert counts == {tan_hong.pk: 2, hong_ngu.pk: 0}
    assert exemplary.exemplary_counts([tan_hong.pk], 2022, kinds=[Kind.NEW_MODEL]) == {
        tan_hong.pk: 1
    }
    assert exemplary.exemplary_counts([], 2022) == {}


@pytest.fixture
def counting_period(term3, alice):
    sheet = ScoreSheet.objects.create(
        province=term3.cluster.province, year=2022, name="x", scale=50
    )
    common = {"sheet": sheet, "kind": Criterion.Kind.PER_ITEM, "max_points": 20}
    Criterion.objects.create(
        code="3.3",
        text="Gương điển hình",
        position=1,
        params={"points_per_item": "5", "cap": "20", "counts": "exemplary_models"},
        **common,
    )
    Criterion.objects.create(
        code="3.6",
        text="Tham gia hoạt động cụm",
        position=2,
        params={"points_per_item": "5"},
        **common,
    )
    covenant_services.covenant_save(
        cluster_year=term3, sheet=sheet, signed_on=None, signatories="", user=alice
    )
    return Period.objects.get(cluster_year=term3, kind=Period.Kind.ANNUAL)


def test_self_scoring_shows_the_register_count_where_the_criterion_asks(
    client, dave, province, tan_hong, counting_period, django_assert_num_queries
):
    _model(province, tan_hong, "a", on="01/02/2022")
    _model(province, tan_hong, "b", on="01/08/2022")
    _model(province, tan_hong, "c", on="01/08/2021")
    _login(client, dave)
    url = reverse("clusters:self_score", args=[counting_period.pk, tan_hong.pk])
    # The scoring page's queries (12 on this sheet, which has no leader-mode criterion; see
    # test_views_periods) and one for the register's count.
    with django_assert_num_queries(13):
        response = client.get(url)
    rows = {row.criterion.code: row for row in response.context["rows"]}
    assert rows["3.3"].register_count == 2
    assert rows["3.6"].register_count is None
    link = reverse("clusters:exemplary_list") + f"?unit={tan_hong.pk}&amp;year=2022"
    assertContains(response, link, count=1)


def test_without_a_counting_criterion_the_page_makes_no_extra_query(
    client, dave, tan_hong, counting_period, django_assert_num_queries
):
    Criterion.objects.filter(code="3.3").update(params={"points_per_item": "5"})
    _login(client, dave)
    url = reverse("clusters:self_score", args=[counting_period.pk, tan_hong.pk])
    with django_assert_num_queries(12):
        response = client.get(url)
    assertNotContains(response, reverse("clusters:exemplary_list"))


# --- Demo --------------------------------------------------------------------------


def test_demo_movements_load_twice_and_mark_the_counting_criteria():
    demo.load()
    dong_thap = demo.Province.objects.get(name="Đồng Tháp")
    tay_ninh = demo.Province.objects.get(name="Tây Ninh")
    demo_movements.load(dong_thap, tay_ninh)
    counts = (Movement.objects.count(), ExemplaryModel.objects.count())
    histories = Movement.history.count()
    demo_movements.load(dong_thap, tay_ninh)
    assert (Movement.objects.count(), ExemplaryModel.objects.count()) == counts
    assert Movement.history.count() == histories
    assert counts[0] == 3
    cluster3_movement = Movement.objects.get(province=dong_thap)
    assert "Đồng thuận cao, thi đua giỏi, về đích sớm" in cluster3_movement.name
    assert [c.name for c in cluster3_movement.clusters.all()] == ["Cụm thi đua số 3"]
    launched = Movement.objects.get(launched_on=datetime.date(2024, 5, 17))
    assert launched.launched_by == "Chủ tịch UBND tỉnh" and not launched.illustrative
    assert Movement.objects.get(kind=Movement.Kind.THEMATIC).province == tay_ninh
    assert not ExemplaryModel.objects.filter(illustrative=False).exists()
    members = Membership.objects.filter(
        cluster_year__cluster__name="Cụm thi đua số 3", cluster_year__year=2022
    ).values("unit_id")
    assert set(
        ExemplaryModel.objects.filter(province=dong_thap).values_list("unit_id", flat=True)
    ) == set(members.values_list("unit_id", flat=True))
    counting = Criterion.objects.filter(params__counts="exemplary_models")
    assert {c.code for c in counting} == {"3.3", "11"}
    tan_hong = demo.Unit.objects.get(province=dong_thap, code="869")
    assert exemplary.exemplary_counts([tan_hong.pk], 2022)[tan_hong.pk] == 3


def test_officer_of_a_unit_outside_any_cluster_sees_only_their_unit(
    client, province, tan_hong_model
):
    lone = make_unit(province, name="Xã lẻ")
    user = make_user("lone", {"role": Role.MEMBER_OFFICER, "province": province, "unit": lone})
    _login(client, user)
    own = _model(province, lone, "Mô hình của xã")
    response = client.get(reverse("clusters:exemplary_list"))
    assert [m.pk for m in response.context["page_obj"]] == [own.pk]
    url = reverse("clusters:exemplary_update", args=[tan_hong_model.pk])
    assert client.get(url).status_code == 404
    form = client.get(reverse("clusters:exemplary_create")).context["form"]
    assert list(form.fields["unit"].queryset) == [lone]


def test_user_without_a_role_may_record_nothing(client, province):
    _login(client, make_user("nobody", province=province))
    assert client.get(reverse("clusters:exemplary_create")).status_code == 404
    assert list(client.get(reverse("clusters:exemplary_list")).context["page_obj"]) == []
