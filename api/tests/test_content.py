"""What each endpoint says: lineage, years, rankings, meetings, decisions, documents, and
the filters of the lists."""

import pytest
from django.urls import reverse

from clusters.models import Period

from . import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, alice, world):
    """Alice's token client: provincial staff of Đồng Tháp."""
    return api(alice)


def _get(client, name, *args, **params):
    response = client.get(reverse(f"api:{name}", args=args), params)
    assert response.status_code == 200, response.content
    return response.json()


def _names(rows):
    return [row["name"] for row in rows]


# --- Units --------------------------------------------------------------------------


def test_a_merged_unit_lists_its_predecessors_with_the_merger(client, world):
    unit = _get(client, "unit-detail", world.merged.pk)
    assert unit["name"] == "Xã An Phú"
    assert unit["valid_from"] == "2025-07-01"
    assert [(p["unit"]["name"], p["kind"]) for p in unit["predecessors"]] == [
        ("Xã An Bình Mới", "merge"),
        ("Xã An Lạc", "merge"),
    ]
    link = unit["predecessors"][0]
    assert link["effective_date"] == "2025-07-01"
    assert link["legal_basis"] == "Nghị quyết 1666/NQ-UBTVQH15"
    assert unit["successors"] == []
    assert [step["steps"] for step in unit["lineage"]["predecessors"]] == [1, 1]
    assert unit["lineage"]["successors"] == []


def test_a_predecessor_lists_its_names_over_time_and_its_successor(client, world):
    [renamed] = _get(client, "unit-list", q="an binh")["results"]
    assert [(n["name"], n["valid_from"], n["valid_to"]) for n in renamed["names"]] == [
        ("Xã An Bình", "2000-01-01", "2019-12-31"),
        ("Xã An Bình Mới", "2020-01-01", "2025-06-30"),
    ]
    assert renamed["names"][1]["legal_basis"] == "Nghị quyết 1/NQ-UBTVQH"
    [successor] = renamed["successors"]
    assert successor["unit"] == {
        "id": world.merged.pk,
        "code": world.merged.code,
        "name": "Xã An Phú",
    }
    assert successor["kind"] == "merge"


def test_units_are_in_vietnamese_order_and_searched_without_accents(client, world):
    units = _get(client, "unit-list")["results"]
    assert _names(units) == [
        "Hồng Ngự",
        "Lai Vung",
        "Tân Hồng",
        "Xã An Bình Mới",
        "Xã An Lạc",
        "Xã An Phú",
    ]
    assert _names(_get(client, "unit-list", q="TAN hong")["results"]) == ["Tân Hồng"]


def test_units_filter_by_kind_and_by_the_day_they_existed(client, world):
    communes = _names(_get(client, "unit-list", kind="commune")["results"])
    assert communes == ["Xã An Bình Mới", "Xã An Lạc", "Xã An Phú"]
    before = _names(_get(client, "unit-list", kind="commune", existing_on="2024-12-31")["results"])
    assert before == ["Xã An Bình Mới", "Xã An Lạc"]


@pytest.mark.parametrize(
    "params",
    [{"kind": "village"}, {"existing_on": "31/12/2024"}, {"q": "x" * 101}, {"q": "a\x00b"}],
)
def test_a_bad_filter_is_a_400_that_names_the_parameter(client, params):
    response = client.get(reverse("api:unit-list"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


# --- Clusters and periods ---------------------------------------------------------------


def test_a_cluster_lists_its_years_with_head_members_and_periods(client, world, term3, tan_hong):
    clusters = _get(client, "cluster-list")["results"]
    cluster = next(c for c in clusters if c["id"] == term3.cluster_id)
    [year] = cluster["years"]
    assert year["year"] == 2022
    assert year["head_unit"] == {"id": tan_hong.pk, "code": tan_hong.code, "name": "Tân Hồng"}
    assert year["members_count"] == 2
    assert year["periods"] == [{"id": world.period.pk, "kind": "annual", "state": "scoring"}]
    assert "members" not in year
    detail = _get(client, "cluster-detail", term3.cluster_id)
    assert sorted(m["unit"]["name"] for m in detail["years"][0]["members"]) == [
        "Hồng Ngự",
        "Tân Hồng",
    ]


def test_a_clusters_years_are_latest_first(client, province):
    cluster = data.add_cluster(province, years=(2020, 2022, 2021))
    detail = _get(client, "cluster-detail", cluster.pk)
    assert [y["year"] for y in detail["years"]] == [2022, 2021, 2020]


def test_periods_filter_by_year_and_cluster(client, world, term3, term4):
    ids = [p["id"] for p in _get(client, "period-list", year=2022)["results"]]
    assert ids == [world.period.pk]
    assert _get(client, "period-list", cluster=term4.cluster_id)["results"] == []
    assert _get(client, "period-list", year=2021)["results"] == []


def test_the_ranking_of_a_period(client, world, tan_hong, hong_ngu):
    ranking = _get(client, "period-ranking", world.period.pk)
    assert ranking["error"] == ""
    assert ranking["period"]["id"] == world.period.pk
    assert ranking["period"]["cluster"]["name"] == "Cụm thi đua số 3"
    first, second = ranking["rows"]
    assert (first["unit_id"], first["rank"], first["final"]) == (tan_hong.pk, 1, "90.00")
    assert (second["unit_id"], second["rank"], second["final"]) == (hong_ngu.pk, 2, "70.00")
    assert first["group_totals"] == {"I": "90.00"}
    assert first["percent"] == "90.00"
    assert first["eligible"] is True and first["flag_candidate"] is True
    assert second["tied"] is False and second["vetoed"] is False


def test_a_period_without_a_score_sheet_has_an_error_and_no_rows(client, term4):
    period = Period.objects.create(cluster_year=term4, kind=Period.Kind.SIX_MONTH)
    ranking = _get(client, "period-ranking", period.pk)
    assert ranking["rows"] == []
    assert ranking["error"]


# --- Meetings, decisions, documents -----------------------------------------------------


def test_a_meeting_lists_attendance_sections_and_commendations(client, world, tan_hong):
    [meeting] = _get(client, "meeting-list", year=2022, kind="annual_review")["results"]
    assert meeting["id"] == world.meeting.pk
    assert meeting["date"] == "2022-12-01"
    assert meeting["host_unit"]["id"] == tan_hong.pk
    assert "attendance" not in meeting
    detail = _get(client, "meeting-detail", world.meeting.pk)
    assert [a["unit"]["name"] for a in detail["attendance"]] == ["Hồng Ngự", "Tân Hồng"]
    assert all(a["present"] for a in detail["attendance"])
    assert detail["sections"] == [
        {"kind": "conclusions", "position": 0, "title": "Kết luận", "body": "Thống nhất."}
    ]
    assert detail["commendations"][0]["form"] == "Giấy khen"


def test_a_decision_lists_its_recipients_and_amounts(client, world, tan_hong):
    [decision] = _get(client, "decision-list", year=2022)["results"]
    assert decision["number"] == world.decision.number
    assert decision["award_form"]["code"] == "co-thi-dua-tinh"
    assert decision["recipients_count"] == 2
    assert decision["total_amount"] == "37440000"
    recipient = next(r for r in decision["recipients"] if r["unit"]["id"] == tan_hong.pk)
    assert recipient["amount"] == "18720000"
    assert recipient["year"] == 2022
    assert recipient["name_at_decision"] == "Tân Hồng"
    assert _get(client, "decision-list", year=2021)["results"] == []
    assert _get(client, "decision-list", award_form="bang-khen-tinh")["results"] == []


def test_a_recipient_is_named_as_it_was_on_the_decision_date(client, province, alice):
    merged = data.add_merger(province, names=("Xã Bình Thành", "Xã Bình Tấn"), merged="Xã Bình")
    predecessor = merged.successions_in.get(predecessor__name="Xã Bình Thành Mới").predecessor
    decision = data.add_decision(province, [predecessor], year=2020)
    [recipient] = _get(client, "decision-detail", decision.pk)["recipients"]
    # Renamed on 01/01/2020, before the decision of 15/02/2021.
    assert recipient["name_at_decision"] == "Xã Bình Thành Mới"


def test_an_issued_document_has_its_hash_code_and_versions(client, world, province, alice):
    first = world.province_document
    correction = data.add_document(province, alice, replaces=first)
    old = _get(client, "document-detail", first.pk)
    new = _get(client, "document-detail", correction.pk)
    assert old["sha256"] == first.sha256 and len(old["sha256"]) == 64
    assert old["code"] == first.code
    assert old["number_text"] == first.number_text
    assert (old["replaces"], old["replaced_by"]) == (None, correction.pk)
    assert (new["replaces"], new["replaced_by"], new["version"]) == (first.pk, None, 2)
    assert old["pdf_url"] == f"http://testserver/issued/{first.pk}/pdf/"
    assert old["verify_url"] == f"http://testserver/verify/{first.code}/"


def test_documents_filter_by_kind_and_cluster_year(client, world, term3):
    rows = _get(client, "document-list", cluster_year=term3.pk)["results"]
    assert [r["id"] for r in rows] == [world.cluster_document.pk]
    rows = _get(client, "document-list", kind="leaders_report")["results"]
    assert [r["id"] for r in rows] == [world.province_document.pk]
