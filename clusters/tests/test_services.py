import datetime

import pytest

from clusters import selectors, services
from clusters.models import Membership, Unit, UnitSuccession
from clusters.tests.factories import day, make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db


def test_rename_keeps_the_old_name_for_dates_before(province):
    unit = make_unit(province, name="Thị xã Hồng Ngự", kind=Unit.Kind.TOWN)
    services.unit_rename(
        unit=unit,
        new_name="Thành phố Hồng Ngự",
        effective_date=day("01/01/2020"),
        legal_basis="Nghị quyết 855/NQ-UBTVQH14",
    )
    unit = Unit.objects.prefetch_related("names").get(pk=unit.pk)
    assert unit.name == "Thành phố Hồng Ngự"
    assert unit.name_on(day("31/12/2019")) == "Thị xã Hồng Ngự"
    assert unit.name_on(day("01/01/2020")) == "Thành phố Hồng Ngự"
    assert unit.search_text.startswith("thanh pho hong ngu")
    assert Unit.objects.search("thanh pho").get() == unit


def test_rename_refuses_the_same_name(province):
    unit = make_unit(province, name="Tam Nông")
    with pytest.raises(services.ClusterError):
        services.unit_rename(
            unit=unit, new_name=" Tam  Nông ", effective_date=day("01/01/2020"), legal_basis="x"
        )


def test_rename_refuses_a_date_when_the_unit_did_not_exist(province):
    unit = make_unit(province, name="Tam Nông", valid_to=day("30/06/2025"))
    with pytest.raises(services.ClusterError):
        services.unit_rename(
            unit=unit, new_name="Xã Tam Nông", effective_date=day("01/07/2025"), legal_basis="x"
        )


def test_merger_links_every_predecessor_and_closes_them(province):
    a = make_unit(province, name="Huyện Tân Hồng")
    b = make_unit(province, name="Huyện Hồng Ngự")
    commune = make_unit(province, name="Xã Tân Hồng", kind=Unit.Kind.COMMUNE)
    links = services.reorganisation_record(
        kind=UnitSuccession.Kind.MERGE,
        predecessors=[a, b],
        successors=[commune],
        effective_date=day("01/07/2025"),
        legal_basis="Nghị quyết 1663/NQ-UBTVQH15",
    )
    assert len(links) == 2
    a.refresh_from_db()
    commune.refresh_from_db()
    assert a.valid_to == day("30/06/2025")
    assert a.names.get().valid_to == day("30/06/2025")
    assert commune.valid_from == day("01/07/2025")
    before, after = selectors.unit_lineage(commune)
    # Nearest first, then in Vietnamese order: "Huyện Hồng Ngự" before "Huyện Tân Hồng".
    assert [step.unit for step in before] == [b, a]
    assert after == []
    assert selectors.unit_lineage(a)[1][0].unit == commune


def test_the_same_reorganisation_cannot_be_recorded_twice(province):
    a = make_unit(province)
    b = make_unit(province)
    kwargs = {
        "kind": UnitSuccession.Kind.MERGE,
        "predecessors": [a],
        "successors": [b],
        "effective_date": day("01/07/2025"),
        "legal_basis": "x",
        "close_predecessors": False,
    }
    services.reorganisation_record(**kwargs)
    with pytest.raises(services.ClusterError):
        services.reorganisation_record(**kwargs)
    assert UnitSuccession.objects.count() == 1


def test_reorganisation_refuses_units_of_two_provinces(province, other_province):
    with pytest.raises(services.ClusterError):
        services.reorganisation_record(
            kind=UnitSuccession.Kind.MERGE,
            predecessors=[make_unit(province)],
            successors=[make_unit(other_province)],
            effective_date=day("01/07/2025"),
            legal_basis="x",
        )
    assert not UnitSuccession.objects.exists()


def test_dissolution_has_no_successor(province):
    unit = make_unit(province)
    services.reorganisation_record(
        kind=UnitSuccession.Kind.DISSOLVE,
        predecessors=[unit],
        successors=[],
        effective_date=day("01/07/2025"),
        legal_basis="x",
    )
    assert UnitSuccession.objects.get().successor is None
    assert selectors.unit_lineage(unit) == ([], [])


def test_units_existing_on_a_day(province):
    old = make_unit(province, valid_to=day("30/06/2025"))
    new = make_unit(province, valid_from=day("01/07/2025"))
    always = make_unit(province)
    assert set(Unit.objects.existing_on(day("30/06/2025"))) == {old, always}
    assert set(Unit.objects.existing_on(day("01/07/2025"))) == {new, always}


def test_new_year_copies_members_that_still_exist(province):
    cluster = make_cluster(province)
    stays = make_unit(province)
    ends = make_unit(province, valid_to=day("30/06/2025"))
    make_cluster_year(cluster, 2025, members=[stays, ends], header_name="CỤM THI ĐUA SỐ 9")
    term = services.cluster_year_create(cluster=cluster, year=2026, copy_previous=True)
    assert [m.unit for m in term.memberships.all()] == [stays]
    assert term.header_name == "CỤM THI ĐUA SỐ 9"
    assert term.head_unit is None


def test_new_year_without_copy_is_empty(province):
    cluster = make_cluster(province)
    make_cluster_year(cluster, 2025, members=[make_unit(province)])
    term = services.cluster_year_create(cluster=cluster, year=2026, copy_previous=False)
    assert not Membership.objects.filter(cluster_year=term).exists()


def test_a_year_cannot_be_opened_twice(province):
    cluster = make_cluster(province)
    make_cluster_year(cluster, 2025)
    with pytest.raises(services.ClusterError):
        services.cluster_year_create(cluster=cluster, year=2025, copy_previous=True)


def test_a_year_after_the_cluster_ended_is_refused(province):
    cluster = make_cluster(province, valid_to=datetime.date(2025, 6, 30))
    with pytest.raises(services.ClusterError):
        services.cluster_year_create(cluster=cluster, year=2026, copy_previous=False)


def test_history_shows_before_and_after(province, alice):
    unit = make_unit(province, name="Tam Nông")
    unit._history_user = alice
    unit.phone = "0277 3827 123"
    unit.save()
    entries = selectors.history_entries(unit.history.all())
    assert entries[0].who == alice
    assert [(c.old, c.new) for c in entries[0].changes] == [("", "0277 3827 123")]
    assert ("Tên", "", "Tam Nông") in [(c.field, c.old, c.new) for c in entries[-1].changes]
