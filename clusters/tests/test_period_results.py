"""The ranking stored when a period is locked (PeriodResult): written by the lock, deleted
by a reopening, equal to the computed ranking, unmoved by later rule changes, and read by
the ranking, history and dashboard pages instead of the scores."""

import io
import json
import random
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import period_results, ranking, score_services, scoring, services
from clusters.models import Criterion, Membership, Period, RuleSet, Score, Target
from clusters.models.scoring import PeriodResult
from clusters.tests.factories import make_unit
from clusters.tests.test_ranking import _period, _score, _sheet
from clusters.tests.test_unit_history import _summary, _track, lineage  # noqa: F401

pytestmark = pytest.mark.django_db

State = Period.State
Kind = scoring.Kind


def _lock(period, user):
    for state in (State.SCORING, State.AGREED, State.LOCKED):
        if period.state != state and score_services.FORWARD.get(period.state) == state:
            period = score_services.period_move(
                period=period, to_state=state, user=user, staff=True
            )
    assert period.state == State.LOCKED
    return period


def _live(period):
    """The ranking computed from the scores, whatever is stored."""
    return ranking.load_period(period, stored=False).ranking()


def _rows(period):
    return [(r.result.name, r.rank, r.tied, r.result.final) for r in _live(period)]


@pytest.fixture
def period(term3, province, tan_hong, hong_ngu):
    """Cụm 3, 2022, being scored: Tân Hồng and Hồng Ngự tied at 80 (Tân Hồng ahead on the
    core group I), Tam Nông vetoed, Thanh Bình with bonus and penalty."""
    period = _period(term3, _sheet(province))
    others = [make_unit(province, name=name) for name in ("Tam Nông", "Thanh Bình")]
    for unit in others:
        Membership.objects.create(cluster_year=term3, unit=unit)
    tam_nong, thanh_binh = others
    _score(period, tan_hong, **{"1_1": 50, "1_2": 10, "2_1": 20})
    _score(period, hong_ngu, **{"1_1": 40, "1_2": 10, "2_1": 30})
    _score(period, tam_nong, **{"1_1": 60, "1_2": 10, "2_1": 30, "V1": True})
    _score(period, thanh_binh, **{"1_1": 55, "1_2": 10, "2_1": 25, "B1": 4, "P1": 2})
    return period


# --- Storing and deleting ----------------------------------------------------------


def test_locking_stores_the_ranking_and_reopening_deletes_it(period, alice):
    computed = _live(period)
    assert not PeriodResult.objects.exists()
    period = _lock(period, alice)
    stored = PeriodResult.objects.get(period=period)
    assert [row["rank"] for row in stored.rows] == [row.rank for row in computed]
    assert [row["unit"] for row in stored.rows] == [row.result.key for row in computed]
    assert ranking.period_ranking(period) == computed

    score_services.period_move(
        period=period, to_state=State.AGREED, user=alice, staff=True, reason="Sai điểm"
    )
    assert not PeriodResult.objects.exists()
    # Locked again: stored again, once.
    score_services.period_move(period=period, to_state=State.LOCKED, user=alice, staff=True)
    assert PeriodResult.objects.filter(period=period).count() == 1


def test_the_stored_row_carries_what_the_pages_show(period, alice):
    period = _lock(period, alice)
    rows = {row["name"]: row for row in PeriodResult.objects.get(period=period).rows}
    assert [(name, row["rank"], row["final"]) for name, row in rows.items()] == [
        ("Thanh Bình", 1, "92.00"),
        ("Tân Hồng", 2, "80.00"),
        ("Hồng Ngự", 3, "80.00"),
        ("Tam Nông", 4, "100.00"),
    ]
    first, tan_hong = rows["Thanh Bình"], rows["Tân Hồng"]
    assert (first["percent"], first["band"], first["eligible"]) == ("92.00", "Tốt", True)
    assert first["flag_candidate"] and not tan_hong["flag_candidate"]
    assert (first["bonus"], first["penalty"], first["base"]) == ("4.00", "2.00", "90.00")
    assert tan_hong["group_totals"] == {"I": "60.00", "II": "20.00"}
    assert (tan_hong["band"], tan_hong["eligible"], tan_hong["tied"]) == ("Khá", False, False)
    assert rows["Tam Nông"]["vetoed"] and rows["Tam Nông"]["veto_reasons"] == ["V1 Tiêu chí V1"]
    assert all(row["scored"] for row in rows.values())


def test_a_period_that_cannot_be_ranked_is_locked_without_a_stored_result(period, alice):
    Criterion.objects.filter(code="2.1").update(params={"partial": "maybe"})
    with pytest.raises(scoring.ScoreError):
        _live(period)
    period = _lock(period, alice)
    assert not PeriodResult.objects.exists()
    # Its pages go on explaining why there is no ranking.
    with pytest.raises(scoring.ScoreError):
        ranking.period_ranking(period)


def test_a_locked_period_refuses_scores(period, alice, tan_hong):
    period = _lock(period, alice)
    criterion = Criterion.objects.get(code="1.1")
    with pytest.raises(services.ClusterError):
        score_services.score_save(
            period=period,
            unit=tan_hong,
            criterion=criterion,
            stage=Score.Stage.AGREED,
            points=Decimal(1),
            user=alice,
            expected_version=1,
        )
    with pytest.raises(services.ClusterError):
        score_services.agreed_scores_apply(
            period=period, changes=[(tan_hong, criterion, Decimal(1), None, 1)], user=alice
        )


def test_the_command_stores_the_periods_locked_without_the_services(period, alice, term3):
    Period.objects.filter(pk=period.pk).update(state=State.LOCKED)
    period.refresh_from_db()
    unlocked = Period.objects.create(cluster_year=term3, kind=Period.Kind.SIX_MONTH)
    call_command("store_period_results", stdout=io.StringIO())
    assert list(PeriodResult.objects.values_list("period", flat=True)) == [period.pk]
    assert ranking.period_ranking(period) == _live(period)
    assert unlocked.state == State.OPEN

    # Already stored: kept as it is unless --replace.
    RuleSet.objects.create(province=term3.cluster.province, year=2022, bonus_cap=1)
    call_command("store_period_results", stdout=io.StringIO())
    assert ranking.period_ranking(period) != _live(period)
    call_command("store_period_results", "--replace", stdout=io.StringIO())
    assert ranking.period_ranking(period) == _live(period)


# --- The official result does not move -----------------------------------------------


def test_a_rule_change_after_the_lock_does_not_change_the_locked_ranking(
    period, alice, province, tan_hong, hong_ngu
):
    period = _lock(period, alice)
    locked = ranking.period_ranking(period)
    # The province reorders its tie-breaks, caps the bonus and raises the bands; a member
    # is recorded as a women-majority collective, and a target is added.
    RuleSet.objects.create(
        province=province,
        year=2022,
        tie_breaks=["more_bonus", "core_group"],
        core_group="II",
        bonus_cap=1,
        bands=[["Xuất sắc", "99"]],
    )
    Membership.objects.filter(unit=hong_ngu).update(women_majority=True)
    Target.objects.create(
        covenant=period.cluster_year.covenant,
        unit=tan_hong,
        criterion=Criterion.objects.get(code="1.1"),
        target=100,
    )
    assert _rows(period) != [(r.result.name, r.rank, r.tied, r.result.final) for r in locked]
    assert ranking.period_ranking(period) == locked
    data = ranking.load_period(period)
    assert data.rules.tie_breaks == ("core_group", "fewer_penalty", "more_bonus", "women_majority")
    assert data.unit_result(tan_hong) == next(
        r.result for r in locked if r.result.key == tan_hong.pk
    )
    [cluster] = ranking.province_year_rankings(province, 2022)
    assert cluster.rows == locked

    # Reopened and locked again, it is ranked under the rules of the day.
    period = score_services.period_move(
        period=period, to_state=State.AGREED, user=alice, staff=True, reason="Sửa quy định"
    )
    period = _lock(period, alice)
    assert ranking.period_ranking(period) == _live(period) != locked


def test_tie_break_notes_are_written_in_the_readers_language(period, alice):
    with translation.override("vi"):
        period = _lock(period, alice)
    with translation.override("en"):
        tan_hong = ranking.period_ranking(period)[1]
        assert tan_hong.tie_break_notes == _live(period)[1].tie_break_notes
        assert "ranked ahead on the core group I" in tan_hong.tie_break_notes[0]


# --- Stored equals computed ----------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_the_stored_ranking_equals_the_computed_one_for_random_scores(
    seed, term3, province, tan_hong, hong_ngu, alice
):
    rng = random.Random(seed)
    period = _period(term3, _sheet(province))
    units = [tan_hong, hong_ngu] + [make_unit(province, name=f"Xã {seed}-{n}") for n in range(5)]
    for unit in units[2:]:
        Membership.objects.create(cluster_year=term3, unit=unit, women_majority=rng.random() < 0.3)
    if rng.random() < 0.5:
        RuleSet.objects.create(
            province=province,
            year=2022,
            tie_breaks=rng.sample(["core_group", "fewer_penalty", "more_bonus"], 2),
            bonus_cap=rng.choice([0, 2]),
        )
    for unit in units[: rng.randint(3, len(units))]:
        # Few values, so that ties are frequent.
        points = {
            "1_1": rng.choice([40, 50, 60]),
            "1_2": rng.choice([0, 10]),
            "2_1": rng.choice([20, 30]),
            "B1": rng.choice([0, 0, 1, 3]),
            "P1": rng.choice([0, 0, 1]),
        }
        if rng.random() < 0.15:
            points["V1"] = True
        _score(period, unit, **points)
    computed = _live(period)
    period = _lock(period, alice)
    assert ranking.period_ranking(period) == computed
    assert ranking.load_periods([period], ranking_only=True)[0].ranking() == computed


_results = st.lists(
    st.tuples(
        st.sampled_from([Decimal(n) for n in (0, 40, 50, 60)]),
        st.sampled_from([Decimal(n) for n in (0, 20, 30)]),
        st.sampled_from([Decimal(0), Decimal("1.5"), Decimal(5)]),
        st.sampled_from([Decimal(0), Decimal(2)]),
        st.booleans(),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    min_size=0,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    _results,
    st.permutations(["core_group", "fewer_penalty", "more_bonus", "women_majority", "more_votes"]),
    st.sampled_from([Decimal(0), Decimal(3)]),
)
def test_to_json_and_back_gives_the_same_ranking(results, tie_breaks, bonus_cap):
    specs = [
        scoring.CriterionSpec("I", Kind.GROUP, Decimal(60)),
        scoring.CriterionSpec(
            "1.1", Kind.QUALITATIVE, Decimal(60), group="I", params={"partial": 1}
        ),
        scoring.CriterionSpec("II", Kind.GROUP, Decimal(40)),
        scoring.CriterionSpec(
            "2.1", Kind.QUALITATIVE, Decimal(40), group="II", params={"partial": 1}
        ),
        scoring.CriterionSpec("B", Kind.BONUS, Decimal(5)),
        scoring.CriterionSpec("P", Kind.PENALTY, Decimal(0)),
    ]
    rules = scoring.Rules(
        scale=Decimal(100),
        bands=(("Xuất sắc", Decimal(95)), ("Khá", Decimal("70.5"))),
        eligibility_min_percent=Decimal(90),
        tie_breaks=tuple(tie_breaks[:4]),
        core_group="I",
        bonus_cap=bonus_cap,
    )
    units = [
        scoring.UnitInput(
            key=n,
            name=f"Xã {n % 3}",
            points={"1.1": first, "2.1": second, "B": bonus, "P": penalty},
            vetoes=("V Vi phạm",) if vetoed else (),
            women_majority=women,
            votes=votes,
        )
        for n, (first, second, bonus, penalty, vetoed, women, votes) in enumerate(results)
    ]
    results = [scoring.unit_result(specs, u, rules) for u in units]
    with translation.override("vi"):
        rows = scoring.rank_units(results, rules)
        # Through the database's JSON and back.
        stored = json.loads(json.dumps(period_results.result_to_json(rows, rules, scored={0, 2})))
        read = period_results.result_from_json(stored)
        assert read.ranking() == rows
    assert read.rules == rules
    assert read.scored == {0, 2} & {u.key for u in units}
    # Read in another language, the notes are written in it.
    with translation.override("en"):
        assert read.ranking() == scoring.rank_units(results, rules)


# --- The pages read the stored result ------------------------------------------------


def _queries(client, url):
    """The page without its (per-request) CSRF tokens, its query count and its queries
    that read scores."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    scores = [q["sql"] for q in captured.captured_queries if '"clusters_score"' in q["sql"]]
    page = re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*', "", response.content.decode()
    )
    return page, len(captured.captured_queries), scores


def test_the_history_reads_stored_results_and_shows_the_same_ranks(
    lineage,  # noqa: F811
    client_alice,
):
    commune = lineage["commune"]
    computed = _summary(_track(commune))
    url = reverse("clusters:unit_history", args=[commune.pk])
    before, count_before, scores_before = _queries(client_alice, url)
    assert scores_before

    call_command("store_period_results", stdout=io.StringIO())
    assert PeriodResult.objects.count() == Period.objects.count()
    assert _summary(_track(commune)) == computed
    after, count_after, scores_after = _queries(client_alice, url)
    # Every period is locked and stored: no score is read at all.
    assert scores_after == []
    assert count_after <= count_before
    assert after == before


def test_a_period_whose_units_had_no_score_stays_unranked_in_the_history(
    lineage,  # noqa: F811
    province,
):
    from clusters.tests.test_unit_history import _scored_term

    district = lineage["district"]
    term = _scored_term(
        lineage["commune"].memberships.first().cluster_year.cluster,
        2022,
        {lineage["other"]: (10, 10)},
    )
    term.memberships.create(unit=district)
    call_command("store_period_results", stdout=io.StringIO())
    records = {r.term.year: r for r in _track(district).records}
    assert records[2022].period is not None and records[2022].row is None


def test_ranking_pages_and_dashboard_read_the_stored_result(period, alice, client_alice):
    period = _lock(period, alice)
    pages = [
        reverse("clusters:ranking", args=[period.pk]),
        reverse("clusters:ranking_year", args=[2022]),
        reverse("clusters:dashboard_leaders", args=[2022]),
    ]
    shown = {url: _queries(client_alice, url) for url in pages}
    for url in pages[1:]:
        # The year's pages read no score of a stored period.
        assert shown[url][2] == []
    PeriodResult.objects.all().delete()
    for url in pages:
        response, count, _scores = _queries(client_alice, url)
        assert shown[url][1] <= count
        assert shown[url][0] == response


def test_the_demos_locked_periods_have_their_results_stored():
    from clusters import demo

    demo.load()
    locked = Period.objects.filter(state=State.LOCKED).select_related("cluster_year")
    assert locked.count() > 5
    assert set(PeriodResult.objects.values_list("period", flat=True)) == {p.pk for p in locked}
    for period in locked[:4]:
        assert ranking.period_ranking(period) == _live(period)
