"""The home page of each role: the province's dashboard, a cluster's own terms, a member
unit's scores and what it owes; and the deadlines they list, as pure functions."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import dashboard
from clusters.models import (
    Covenant,
    Criterion,
    CrossAssignment,
    Period,
    Proposal,
    RoleAssignment,
    RuleSet,
    Score,
    ScoreSheet,
    Submission,
)
from clusters.progress import STEPS, Step, TermProgress
from clusters.tests.decision_factories import MERIT, accept_all, make_decision, make_proposal
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit, make_user

Role = RoleAssignment.Role
Kind = Criterion.Kind
TODAY = datetime.date(2026, 6, 10)
STEP_KEYS = [key for key, _label in STEPS]


# --- Deadlines, as pure functions ---------------------------------------------------


def _row(name: str, **steps) -> TermProgress:
    """A progress row of a stand-in term; steps as key=(done, deadline)."""
    term = SimpleNamespace(pk=hash(name), cluster=SimpleNamespace(name=name), year=2026)
    row = TermProgress(term)
    for key in STEP_KEYS:
        done, deadline = steps.get(key, (False, None))
        row.steps.append(Step(key, done, TODAY if done else None, deadline, today=TODAY))
    return row


def test_deadlines_lists_missed_and_coming_steps_earliest_first():
    rows = [
        _row(
            "A",
            six_month=(False, datetime.date(2026, 5, 31)),
            scores=(False, datetime.date(2026, 7, 1)),
            proposal=(False, datetime.date(2026, 8, 30)),
        ),
        _row("B", six_month=(True, datetime.date(2026, 5, 31))),
    ]
    items = dashboard.deadlines(rows, TODAY, 30)
    assert [(i.row.term.cluster.name, i.step.key, i.missed) for i in items] == [
        ("A", "six_month", True),
        ("A", "scores", False),
    ]


def test_a_deadline_today_is_coming_not_missed():
    items = dashboard.deadlines([_row("A", scores=(False, TODAY))], TODAY, 0)
    assert [(i.step.key, i.missed) for i in items] == [("scores", False)]


def test_group_deadlines_gathers_the_clusters_of_one_step_and_day():
    day = datetime.date(2026, 6, 20)
    rows = [_row(name, scores=(False, day)) for name in ("A", "B")]
    rows.append(_row("C", proposal=(False, day)))
    groups = dashboard.group_deadlines(dashboard.deadlines(rows, TODAY, 30))
    assert [(g.key, [r.term.cluster.name for r in g.rows]) for g in groups] == [
        ("scores", ["A", "B"]),
        ("proposal", ["C"]),
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from(STEP_KEYS), st.booleans(), st.integers(-60, 90)),
        max_size=12,
    ),
    st.integers(0, 45),
)
def test_deadlines_are_exactly_the_steps_not_done_due_before_the_horizon(steps, window):
    rows = [
        _row(str(n), **{key: (done, TODAY + datetime.timedelta(days=offset))})
        for n, (key, done, offset) in enumerate(steps)
    ]
    items = dashboard.deadlines(rows, TODAY, window)
    expected = {
        (str(n), key)
        for n, (key, done, offset) in enumerate(steps)
        if not done and offset <= window
    }
    assert {(i.row.term.cluster.name, i.step.key) for i in items} == expected
    assert all(i.missed == (i.step.deadline < TODAY) for i in items)
    assert [i.step.deadline for i in items] == sorted(i.step.deadline for i in items)


# --- Data -------------------------------------------------------------------------


def _sheet(province, year):
    """Group I (100): 1.1 (60) and 1.2 (40), both qualitative; scale 100."""
    sheet = ScoreSheet.objects.create(province=province, year=year, name="Cụm", scale=100)
    group = Criterion.objects.create(
        sheet=sheet, code="I", text="Nhóm I", kind=Kind.GROUP, max_points=100, position=1
    )
    for position, (code, points) in enumerate([("1.1", 60), ("1.2", 40)], start=2):
        Criterion.objects.create(
            sheet=sheet,
            parent=group,
            code=code,
            text=f"Tiêu chí {code}",
            kind=Kind.QUALITATIVE,
            max_points=points,
            position=position,
        )
    return sheet


def _scored(term, sheet, points: dict, state=Period.State.SCORING) -> Period:
    """The term's annual period with agreed points per unit: {unit: (1.1, 1.2)}."""
    Covenant.objects.get_or_create(cluster_year=term, defaults={"sheet": sheet})
    period = Period.objects.create(cluster_year=term, kind=Period.Kind.ANNUAL, state=state)
    criteria = list(sheet.criteria.exclude(kind=Kind.GROUP).order_by("position"))
    for unit, values in points.items():
        for criterion, value in zip(criteria, values, strict=True):
            Score.objects.create(
                period=period,
                unit=unit,
                criterion=criterion,
                stage=Score.Stage.AGREED,
                points=value,
            )
    return period


def _add_clusters(province, year, count, members=3):
    for _ in range(count):
        units = [make_unit(province) for _ in range(members)]
        make_cluster_year(make_cluster(province), year, members=units)


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def current(province, cluster3, tan_hong, hong_ngu, year):
    """Cluster 3's term of this year, with bob as its secretary too."""
    return make_cluster_year(cluster3, year, members=[tan_hong, hong_ngu], head_unit=tan_hong)


def _url(year):
    return reverse("clusters:dashboard", args=[year])


# --- Who sees what ----------------------------------------------------------------


def test_staff_home_is_the_province_dashboard_of_the_latest_year_with_terms(
    client_alice, cluster3, cluster4
):
    response = client_alice.get("/")
    assert response.status_code == 200
    assert "clusters/dashboard.html" in [t.name for t in response.templates]
    # The fixtures' terms are of 2022: the current year has none, so 2022 is shown.
    assert response.context["year"] == 2022
    assert [row.term.cluster for row in response.context["rows"]] == [cluster3, cluster4]
    assertContains(response, reverse("clusters:dashboard_leaders", args=[2022]))
    assertContains(response, 'id="actions"')


def test_leader_sees_the_dashboard_without_actions(client, leo, cluster3):
    client.force_login(leo)
    response = client.get(_url(2022))
    assertContains(response, "Cụm thi đua số 3")
    assert not response.context["may_act"]
    assertNotContains(response, 'id="actions"')


def test_staff_of_another_province_sees_only_their_own(client, eve, cluster3):
    client.force_login(eve)
    response = client.get(_url(2022))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assertNotContains(response, "Cụm thi đua số 3")
    leaders = client.get(reverse("clusters:dashboard_leaders", args=[2022]))
    assertNotContains(leaders, f'id="leader-{cluster3.years.get().pk}"')


def test_secretary_home_shows_only_their_own_term(client_bob, term3, cluster4):
    response = client_bob.get("/")
    assert response.context["scope"] == "cluster"
    assert response.context["year"] == 2022
    assert [row.term for row in response.context["rows"]] == [term3]
    assertNotContains(response, "Cụm thi đua số 4")


def test_member_officer_home_is_their_unit(client, dave, tan_hong, term3):
    client.force_login(dave)
    response = client.get("/")
    assert "clusters/unit_home.html" in [t.name for t in response.templates]
    assert [(o.unit, o.term) for o in response.context["overviews"]] == [(tan_hong, term3)]


@pytest.mark.parametrize("name", ["bob", "dave"])
def test_only_the_province_gets_its_leading_units(client, request, name):
    client.force_login(request.getfixturevalue(name))
    response = client.get(reverse("clusters:dashboard_leaders", args=[2022]))
    assert response.status_code == 404


def test_user_without_role_gets_404_on_the_dashboard(client, db):
    client.force_login(make_user("nobody"))
    assert client.get(_url(2022)).status_code == 404


@pytest.mark.parametrize("name", ["dashboard", "dashboard_leaders"])
def test_anonymous_is_sent_to_login(client, db, name):
    url = reverse(f"clusters:{name}", args=[2022])
    assertRedirects(
        client.get(url), f"{reverse('login')}?next={url}", fetch_redirect_response=False
    )


# --- What the dashboard says ------------------------------------------------------


def test_dashboard_lists_missed_and_coming_deadlines(client_alice, province, current, year):
    today = timezone.localdate()
    RuleSet.objects.create(
        province=province,
        year=year,
        agreed_score_deadline=today - datetime.timedelta(days=1),
        proposal_deadline=today + datetime.timedelta(days=10),
    )
    response = client_alice.get(_url(year))
    missed = [(g.key, g.rows[0].term) for g in response.context["missed_groups"]]
    coming = [(g.key, g.rows[0].term) for g in response.context["coming_groups"]]
    assert ("scores", current) in missed
    assert ("proposal", current) in coming
    assert ("proposal", current) not in missed


def test_staff_actions_list_proposals_to_appraise_and_periods_to_lock(
    client_alice, province, current, cluster4, year, tan_hong
):
    proposal = make_proposal(current, [(tan_hong, "co-thi-dua-tinh")])
    other = make_cluster_year(cluster4, year, members=[make_unit(province)])
    period = Period.objects.create(
        cluster_year=other, kind=Period.Kind.SIX_MONTH, state=Period.State.AGREED
    )
    # Accepted by the appraisal, not yet in a decision: waiting for one.
    accepted = accept_all(make_proposal(other, [(other.memberships.get().unit, MERIT)]))
    response = client_alice.get(_url(year))
    groups = {g.key: [a.url for a in g.actions] for g in response.context["actions"]}
    assert groups == {
        "appraise": [reverse("clusters:appraisal_detail", args=[proposal.pk])],
        "lock": [reverse("clusters:period_detail", args=[period.pk])],
        "award": [reverse("clusters:decision_create", args=[year])],
    }
    assert response.context["action_count"] == 3

    # Once a decision awards the item, nothing waits for one.
    make_decision(
        province, date=timezone.localdate(), code=MERIT, year=year, items=[accepted.items.get()]
    )
    response = client_alice.get(_url(year))
    assert [g.key for g in response.context["actions"]] == ["appraise", "lock"]


def test_secretary_sees_the_returned_proposal_and_their_steps(client_bob, bob, current, tan_hong):
    RoleAssignment.objects.create(
        user=bob, role=Role.CLUSTER_SECRETARY, province=current.cluster.province,
        cluster_year=current,
    )  # fmt: skip
    proposal = make_proposal(current, [(tan_hong, "co-thi-dua-tinh")])
    proposal.state = Proposal.State.RETURNED
    proposal.save(update_fields=["state"])
    response = client_bob.get("/")
    groups = {g.key: g.actions for g in response.context["actions"]}
    assert [a.url for a in groups["returned"]] == [proposal.get_absolute_url()]
    # Every step of the cluster not done yet, the proposal (returned) and decision aside.
    assert [a.step for a in groups["steps"]] == ["covenant", "six_month", "scores", "ballot"]


def test_leading_units_come_from_the_ranking(client_alice, province, current, tan_hong, hong_ngu):
    _scored(current, _sheet(province, current.year), {tan_hong: (50, 30), hong_ngu: (60, 35)})
    response = client_alice.get(reverse("clusters:dashboard_leaders", args=[current.year]))
    leader = dict(response.context["cells"])[current.pk]
    assert [row.result.name for row in leader.rows] == ["Hồng Ngự"]
    assert leader.provisional
    assertContains(response, f'<div id="leader-{current.pk}" hx-swap-oob="true">')
    assertContains(response, "Hồng Ngự")


def test_nobody_leads_before_any_agreed_point(client_alice, province, current):
    _scored(current, _sheet(province, current.year), {})
    response = client_alice.get(reverse("clusters:dashboard_leaders", args=[current.year]))
    assert dict(response.context["cells"])[current.pk] is None


def test_cluster_home_shows_its_leader_in_the_page(
    client_bob, bob, province, current, tan_hong, hong_ngu
):
    RoleAssignment.objects.create(
        user=bob, role=Role.CLUSTER_SECRETARY, province=province, cluster_year=current
    )
    _scored(current, _sheet(province, current.year), {tan_hong: (60, 40), hong_ngu: (10, 10)})
    response = client_bob.get(_url(current.year))
    (row,) = response.context["rows"]
    assert [r.result.name for r in row.leader.rows] == ["Tân Hồng"]
    assertNotContains(response, "leaders-loader")


def test_member_home_shows_scores_rank_and_what_is_due(
    client, dave, province, current, tan_hong, hong_ngu
):
    period = _scored(
        current, _sheet(province, current.year), {tan_hong: (50, 30), hong_ngu: (60, 35)}
    )
    CrossAssignment.objects.create(period=period, scorer=tan_hong, scored=hong_ngu)
    RuleSet.objects.create(
        province=province,
        year=current.year,
        self_score_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(dave)
    response = client.get(_url(current.year))
    (overview,) = response.context["overviews"]
    (item,) = overview.periods
    assert (item.row.rank, item.members, item.row.result.final) == (2, 2, 80)
    assert item.groups == [("I", 80)]
    assert [(d.url, d.missed) for d in overview.due] == [
        (reverse("clusters:self_score", args=[period.pk, tan_hong.pk]), True),
        (reverse("clusters:cross_score", args=[period.pk, hong_ngu.pk]), False),
    ]
    assertContains(response, f'data-period="{period.pk}"')

    # Handed in, both leave the list; an agreed period asks for nothing more.
    Submission.objects.create(period=period, unit=tan_hong, stage=Score.Stage.SELF)
    Submission.objects.create(period=period, unit=hong_ngu, stage=Score.Stage.CROSS)
    assert client.get(_url(current.year)).context["overviews"][0].due == []


# --- Queries that do not grow with the data ---------------------------------------


def test_dashboard_queries_do_not_grow_with_clusters(
    client_alice, province, current, year, django_assert_num_queries
):
    _add_clusters(province, year, 2)
    # Without any period the progress table skips a query: start with one.
    Period.objects.create(cluster_year=current, kind=Period.Kind.ANNUAL, state="agreed")
    with django_assert_num_queries(16) as few:
        client_alice.get(_url(year))
    _add_clusters(province, year, 6, members=5)
    with django_assert_num_queries(len(few.captured_queries)):
        client_alice.get(_url(year))


def test_leaders_queries_do_not_grow_with_clusters(
    client_alice, province, current, year, tan_hong, hong_ngu, django_assert_num_queries
):
    sheet = _sheet(province, year)
    _scored(current, sheet, {tan_hong: (50, 30), hong_ngu: (60, 35)})
    url = reverse("clusters:dashboard_leaders", args=[year])
    with django_assert_num_queries(13) as few:
        client_alice.get(url)
    for _ in range(4):
        units = [make_unit(province) for _ in range(4)]
        term = make_cluster_year(make_cluster(province), year, members=units)
        _scored(term, sheet, {unit: (40, 20) for unit in units})
    with django_assert_num_queries(len(few.captured_queries)):
        client_alice.get(url)


def test_cluster_and_unit_homes_do_not_grow_with_members(
    client, bob, dave, province, current, tan_hong, hong_ngu, django_assert_num_queries
):
    RoleAssignment.objects.create(
        user=bob, role=Role.CLUSTER_SECRETARY, province=province, cluster_year=current
    )
    sheet = _sheet(province, current.year)
    period = _scored(current, sheet, {tan_hong: (50, 30), hong_ngu: (60, 35)})
    counts = {}
    for user in (bob, dave):
        client.force_login(user)
        with django_assert_num_queries(23 if user == bob else 16) as captured:
            client.get(_url(current.year))
        counts[user.pk] = len(captured.captured_queries)
    for _ in range(6):
        unit = make_unit(province)
        current.memberships.create(unit=unit)
        for criterion in sheet.criteria.exclude(kind=Kind.GROUP):
            Score.objects.create(
                period=period, unit=unit, criterion=criterion, stage="agreed", points=5
            )
    _add_clusters(province, current.year, 3)
    for user in (bob, dave):
        client.force_login(user)
        with django_assert_num_queries(counts[user.pk]):
            client.get(_url(current.year))
