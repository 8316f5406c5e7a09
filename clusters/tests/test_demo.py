import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusters import demo, ranking
from clusters.models import (
    Cluster,
    ClusterYear,
    Membership,
    Period,
    Score,
    Unit,
    UnitSuccession,
    User,
)

pytestmark = pytest.mark.django_db

COUNTED = [Unit, Cluster, ClusterYear, Membership, UnitSuccession, User]


def _counts():
    return [model.objects.count() for model in COUNTED]


def test_load_demo_is_idempotent_and_prints_the_accounts(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    for username in ["canbo", "lanhdao", "cumtruong", "thuky", "donvi", "tayninh", "admin"]:
        assert username in out
        assert User.objects.get(username=username).check_password(demo.PASSWORD)


def test_cluster3_of_2022_is_the_one_of_the_source():
    demo.load()
    term = ClusterYear.objects.get(cluster__name="Cụm thi đua số 3", year=2022)
    members = set(term.memberships.values_list("unit__name", flat=True))
    assert members == {"Huyện Hồng Ngự", "Huyện Tam Nông", "Huyện Tân Hồng", "Huyện Thanh Bình"}
    assert term.head_unit.name == "Huyện Tân Hồng"
    assert not term.cluster.illustrative


def test_hong_ngu_is_both_a_district_and_a_city():
    demo.load()
    kinds = set(
        Unit.objects.filter(name__endswith="Hồng Ngự", valid_to__isnull=False).values_list(
            "name", "kind"
        )
    )
    assert kinds == {
        ("Huyện Hồng Ngự", Unit.Kind.DISTRICT),
        ("Thành phố Hồng Ngự", Unit.Kind.PROVINCIAL_CITY),
    }


def test_districts_end_on_30_june_2025_and_communes_follow():
    demo.load()
    tan_hong = Unit.objects.get(name="Huyện Tân Hồng")
    assert tan_hong.valid_to == datetime.date(2025, 6, 30)
    assert tan_hong.name_on(datetime.date(2025, 6, 30)) == "Huyện Tân Hồng"
    successors = Unit.objects.filter(successions_in__predecessor=tan_hong)
    assert successors.count() == 3
    assert all(u.illustrative and u.valid_from == datetime.date(2025, 7, 1) for u in successors)
    commune_term = ClusterYear.objects.get(cluster__name="Cụm thi đua xã, phường số 3", year=2025)
    assert commune_term.memberships.filter(unit__in=successors).exists()
    assert set(commune_term.memberships.values_list("valid_from", flat=True)) == {
        datetime.date(2025, 7, 1)
    }


def test_tay_ninh_has_five_blocs_in_2024():
    demo.load()
    blocs = Cluster.objects.filter(province__name="Tây Ninh", kind=Cluster.Kind.BLOC)
    assert blocs.count() == 5
    assert all(b.years.get(year=2024).memberships.count() >= 4 for b in blocs)


def test_demo_accounts_see_what_their_role_allows(client):
    demo.load()
    cluster4 = Cluster.objects.get(name="Cụm thi đua số 4")
    client.force_login(User.objects.get(username="thuky"))
    assert client.get(cluster4.get_absolute_url()).status_code == 404
    client.force_login(User.objects.get(username="tayninh"))
    response = client.get(reverse("clusters:cluster_list"))
    assert {c.province.name for c in response.context["clusters"]} == {"Tây Ninh"}


def test_demo_ranking_shows_a_tie_broken_by_a_rule_and_a_veto():
    demo.load()
    period = Period.objects.get(
        cluster_year__cluster__name="Cụm thi đua số 3",
        cluster_year__year=2022,
        kind=Period.Kind.ANNUAL,
    )
    rows = {row.result.name: row for row in ranking.period_ranking(period)}
    assert rows["Huyện Tân Hồng"].rank == 1 and rows["Huyện Tân Hồng"].flag_candidate
    hong_ngu, thanh_binh = rows["Huyện Hồng Ngự"], rows["Huyện Thanh Bình"]
    assert hong_ngu.result.final == thanh_binh.result.final
    assert (hong_ngu.rank, thanh_binh.rank) == (2, 3)
    assert not hong_ngu.tied and hong_ngu.tie_break_notes
    assert rows["Huyện Tam Nông"].result.vetoed and rows["Huyện Tam Nông"].rank == 4


def test_every_demo_term_has_a_covenant_and_scored_periods():
    demo.load()
    for term in ClusterYear.objects.all():
        assert term.covenant.sheet.criteria.exists()
        assert term.periods.count() == 2
    assert (
        Score.objects.filter(stage=Score.Stage.SELF).count()
        == Score.objects.filter(stage=Score.Stage.AGREED).count()
    )
