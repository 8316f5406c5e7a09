"""A unit's history across the reorganisation: the selector, its page, and the charts
of the ranking pages."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import demo, ranking, selectors, services
from clusters.models import (
    Covenant,
    Criterion,
    Period,
    Score,
    ScoreSheet,
    Unit,
    UnitSuccession,
)
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind
MERGER_DAY = datetime.date(2025, 7, 1)


def _sheet(province, year):
    """I (max 60): 1.1 qualitative 60; II (max 40): 2.1 qualitative 40. Scale 100."""
    sheet = ScoreSheet.objects.create(province=province, year=year, name="Bảng điểm", scale=100)
    first = Criterion.objects.create(
        sheet=sheet, code="I", text="Kinh tế", kind=Kind.GROUP, max_points=60, position=0
    )
    Criterion.objects.create(
        sheet=sheet, parent=first, code="1.1", text="a", kind=Kind.QUALITATIVE, max_points=60
    )
    second = Criterion.objects.create(
        sheet=sheet, code="II", text="Chính quyền", kind=Kind.GROUP, max_points=40, position=2
    )
    Criterion.objects.create(
        sheet=sheet, parent=second, code="2.1", text="b", kind=Kind.QUALITATIVE, max_points=40
    )
    return sheet


def _scored_term(cluster, year, points: dict, kinds=(Period.Kind.ANNUAL,), member_from=None):
    """A term of `cluster` whose members are the keys of `points`, each agreed
    (I points, II points) in every period of `kinds`."""
    term = make_cluster_year(cluster, year)
    for unit in points:
        term.memberships.create(unit=unit, valid_from=member_from)
    sheet = _sheet(cluster.province, year)
    Covenant.objects.create(cluster_year=term, sheet=sheet)
    criteria = {c.code: c for c in sheet.criteria.all()}
    for kind in kinds:
        period = Period.objects.create(cluster_year=term, kind=kind, state=Period.State.LOCKED)
        for unit, (first, second) in points.items():
            for code, value in (("1.1", first), ("2.1", second)):
                Score.objects.create(
                    period=period,
                    unit=unit,
                    criterion=criteria[code],
                    stage=Score.Stage.AGREED,
                    points=value,
                )
    return term


@pytest.fixture
def lineage(province):
    """District Tân Hồng (renamed from "Huyện Tân Hồng cũ" on 01/01/2024) in cluster 3 for
    2023 and 2024, merged with Hồng Ngự into the commune Tân Hồng on 01/07/2025, which is
    in the commune cluster for 2025 and 2026."""
    district = make_unit(province, name="Huyện Tân Hồng cũ")
    services.unit_rename(
        unit=district,
        new_name="Huyện Tân Hồng",
        effective_date=datetime.date(2024, 1, 1),
        legal_basis="NQ đổi tên",
    )
    neighbour = make_unit(province, name="Huyện Hồng Ngự")
    other = make_unit(province, name="Huyện Tam Nông")
    commune = make_unit(province, name="Xã Tân Hồng", kind=Unit.Kind.COMMUNE)
    rival = make_unit(province, name="Xã Thường Phước", kind=Unit.Kind.COMMUNE)
    districts = make_cluster(province, name="Cụm thi đua số 3")
    communes = make_cluster(province, name="Cụm xã số 3")
    both = (Period.Kind.SIX_MONTH, Period.Kind.ANNUAL)
    _scored_term(districts, 2023, {district: (50, 30), neighbour: (55, 35), other: (40, 20)})
    _scored_term(districts, 2024, {district: (60, 38), neighbour: (50, 30)}, kinds=both)
    services.reorganisation_record(
        kind=UnitSuccession.Kind.MERGE,
        predecessors=[district, neighbour],
        successors=[commune],
        effective_date=MERGER_DAY,
        legal_basis="NQ sắp xếp",
    )
    _scored_term(communes, 2025, {commune: (58, 40), rival: (50, 30)}, member_from=MERGER_DAY)
    _scored_term(communes, 2026, {commune: (45, 30), rival: (50, 35)})
    district.refresh_from_db()
    return {"district": district, "neighbour": neighbour, "commune": commune, "other": other}


def _track(unit, **kwargs):
    before, _after = selectors.unit_lineage(unit)
    return selectors.unit_track_record(unit, predecessors=before, **kwargs)


def _summary(track):
    return [
        (
            r.term.year,
            r.period.kind if r.period else None,
            r.name,
            r.inherited,
            r.row.rank if r.row else None,
            r.ranked,
        )
        for r in track.records
    ]


# --- The selector ------------------------------------------------------------------


def test_track_record_follows_predecessors_under_the_names_they_had(lineage):
    track = _track(lineage["commune"])
    annual, six = Period.Kind.ANNUAL, Period.Kind.SIX_MONTH
    assert _summary(track) == [
        (2026, annual, "Xã Tân Hồng", False, 2, 2),
        (2025, annual, "Xã Tân Hồng", False, 1, 2),
        (2024, annual, "Huyện Tân Hồng", True, 1, 2),
        (2024, annual, "Huyện Hồng Ngự", True, 2, 2),
        (2024, six, "Huyện Tân Hồng", True, 1, 2),
        (2024, six, "Huyện Hồng Ngự", True, 2, 2),
        (2023, annual, "Huyện Hồng Ngự", True, 1, 3),
        (2023, annual, "Huyện Tân Hồng cũ", True, 2, 3),
    ]


def test_track_record_ranks_as_the_ranking_page_does(lineage):
    for record in _track(lineage["commune"]).records:
        rows = {row.result.key: row for row in ranking.period_ranking(record.period)}
        expected = rows[record.unit.pk]
        assert (record.row.rank, record.row.result.final, record.row.result.percent) == (
            expected.rank,
            expected.result.final,
            expected.result.percent,
        )


def test_a_predecessor_does_not_inherit_its_successors_results(lineage):
    track = _track(lineage["district"])
    assert {r.term.year for r in track.records} == {2023, 2024}
    assert not any(r.inherited for r in track.records)


def test_yearly_takes_the_annual_period_of_each_unit_and_year(lineage):
    yearly = _track(lineage["commune"]).yearly()
    assert [(r.term.year, r.name, r.period.kind) for r in yearly] == [
        (2023, "Huyện Hồng Ngự", Period.Kind.ANNUAL),
        (2023, "Huyện Tân Hồng cũ", Period.Kind.ANNUAL),
        (2024, "Huyện Hồng Ngự", Period.Kind.ANNUAL),
        (2024, "Huyện Tân Hồng", Period.Kind.ANNUAL),
        (2025, "Xã Tân Hồng", Period.Kind.ANNUAL),
        (2026, "Xã Tân Hồng", Period.Kind.ANNUAL),
    ]


def test_latest_period_compares_each_group_with_the_members_average(lineage):
    track = _track(lineage["commune"])
    assert track.latest.term.year == 2026
    assert [(g.criterion.code, g.points, g.average) for g in track.groups] == [
        ("I", Decimal("45.00"), Decimal("47.50")),
        ("II", Decimal("30.00"), Decimal("32.50")),
    ]


def test_clusters_outside_the_filter_are_left_out(lineage):
    track = _track(lineage["commune"], clusters_q=Q(name="Cụm xã số 3"))
    assert {r.term.cluster.name for r in track.records} == {"Cụm xã số 3"}


def test_a_term_without_period_and_a_period_without_scores_are_listed(lineage, province):
    cluster = make_cluster(province, name="Cụm cũ")
    make_cluster_year(cluster, 2021, members=[lineage["district"]])
    unscored = _scored_term(cluster, 2022, {lineage["other"]: (10, 10)})
    unscored.memberships.create(unit=lineage["district"])
    records = {r.term.year: r for r in _track(lineage["district"]).records}
    assert records[2021].period is None and records[2021].row is None
    assert records[2022].period is not None and records[2022].row is None


def test_query_count_does_not_grow_with_the_years(lineage, django_assert_num_queries):
    commune = lineage["commune"]
    before, _after = selectors.unit_lineage(commune)
    # Memberships, names, periods, scores; criteria, rule sets, members, their names,
    # targets (clusters.ranking.load_periods); documents.
    with django_assert_num_queries(10):
        short = selectors.unit_track_record(commune, predecessors=before)
    cluster = lineage["commune"].memberships.first().cluster_year.cluster
    for year in (2027, 2028, 2029):
        _scored_term(cluster, year, {commune: (40, 40)})
    with django_assert_num_queries(10):
        longer = selectors.unit_track_record(commune, predecessors=before)
    assert len(longer.records) == len(short.records) + 3


def test_issued_documents_of_the_terms_are_listed_current_versions_only(lineage, alice):
    from reports.models import Document

    term = lineage["commune"].memberships.get(cluster_year__year=2025).cluster_year

    def issue(number, replaces=None):
        return Document.objects.create(
            kind="review_minutes",
            province=term.cluster.province,
            cluster_year=term,
            source_key="1",
            title="Biên bản hội nghị tổng kết",
            series="CX3",
            year=2025,
            number=number,
            number_text=f"{number}/BB-CX3",
            version=number,
            replaces=replaces,
            issued_at=timezone.now(),
            issued_by=alice,
            snapshot={},
            pdf="documents/x.pdf",
            sha256="0" * 64,
            code=f"code{number}",
        )

    first = issue(1)
    second = issue(2, replaces=first)
    assert _track(lineage["commune"]).documents == [second]


# --- The page ----------------------------------------------------------------------


def _url(unit):
    return reverse("clusters:unit_history", args=[unit.pk])


def test_staff_see_the_history_with_names_charts_and_ranks(client_alice, lineage):
    response = client_alice.get(_url(lineage["commune"]))
    assert response.status_code == 200
    assertContains(response, "Huyện Tân Hồng cũ")
    assertContains(response, 'id="history-chart"')
    assertContains(response, 'id="groups-chart"')
    assertContains(response, "1 / 3")
    chart = response.context["history_chart"]
    ET.fromstring(chart)
    assert "Huyện Tân Hồng cũ (2023) → Huyện Tân Hồng (2024)" in chart
    assert "Xã Tân Hồng (2025–2026)" in chart


def test_history_page_queries_do_not_grow_with_the_years(
    client_alice, lineage, django_assert_num_queries
):
    url = _url(lineage["commune"])
    client_alice.get(url)
    # Session, user, roles, unit, lineage, the track record (10), awards (1: no award).
    with django_assert_num_queries(16):
        client_alice.get(url)
    cluster = lineage["commune"].memberships.first().cluster_year.cluster
    for year in (2027, 2028):
        _scored_term(cluster, year, {lineage["commune"]: (40, 40)})
    with django_assert_num_queries(16):
        response = client_alice.get(url)
    assertContains(response, "2028")


def test_secretary_sees_only_the_years_of_clusters_they_may_see(client, lineage, province):
    from clusters.models import RoleAssignment
    from clusters.tests.factories import make_user

    commune_term = lineage["commune"].memberships.get(cluster_year__year=2026).cluster_year
    secretary = make_user(
        "sam",
        {
            "role": RoleAssignment.Role.CLUSTER_SECRETARY,
            "province": province,
            "cluster_year": commune_term,
        },
    )
    client.force_login(secretary)
    response = client.get(_url(lineage["commune"]))
    assert response.status_code == 200
    assert {r.term.cluster.name for r in response.context["records"]} == {"Cụm xã số 3"}
    assertNotContains(response, "Huyện Tân Hồng cũ</td>")


def test_stranger_gets_404(client, eve, lineage):
    client.force_login(eve)
    assert client.get(_url(lineage["commune"])).status_code == 404


def test_anonymous_is_sent_to_login(client, lineage):
    url = _url(lineage["commune"])
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_unit_page_links_to_its_history(client_alice, lineage):
    response = client_alice.get(lineage["commune"].get_absolute_url())
    assertContains(response, f'href="{_url(lineage["commune"])}"')


# --- The ranking pages' charts -----------------------------------------------------


def test_ranking_page_shows_the_distribution_of_final_scores(client_alice, lineage):
    period = Period.objects.get(cluster_year__year=2023)
    response = client_alice.get(reverse("clusters:ranking", args=[period.pk]))
    chart = response.context["distribution_chart"]
    assertContains(response, 'id="distribution-chart"')
    assert "3 kết quả; thấp nhất 60, cao nhất 90, trung bình 76,67." in chart.text
    assert "Điểm tối đa 100" in chart


def test_year_ranking_compares_the_clusters(client_alice, lineage):
    response = client_alice.get(reverse("clusters:ranking_year", args=[2024]))
    chart = response.context["comparison_chart"]
    assertContains(response, 'id="comparison-chart"')
    assert "Cụm thi đua số 3: trung bình 89, từ 80 đến 98." in chart.text


# --- The demo ----------------------------------------------------------------------


def test_demo_commune_has_results_on_both_sides_of_the_reorganisation():
    demo.load()
    commune = Unit.objects.get(name="Xã Tân Hồng")
    ranked = [r for r in _track(commune).records if r.row is not None]
    years = {(r.term.year, r.name) for r in ranked}
    assert {(year, "Huyện Tân Hồng") for year in (2022, 2023, 2024, 2025)} <= years
    assert {(2025, "Xã Tân Hồng"), (2026, "Xã Tân Hồng")} <= years
    assert all(r.ranked >= 4 for r in ranked)
