import io
import zipfile
from decimal import Decimal

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import covenant_services, score_services
from clusters.models import (
    Covenant,
    Criterion,
    CrossAssignment,
    Evidence,
    Membership,
    Period,
    RoleAssignment,
    Score,
    ScoreSheet,
    Submission,
    Target,
)
from clusters.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db

Kind = Criterion.Kind
Stage = Score.Stage
State = Period.State
Role = RoleAssignment.Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# --- Data --------------------------------------------------------------------------


def _criterion(sheet, code, kind, max_points, parent=None, **extra):
    return Criterion.objects.create(
        sheet=sheet,
        parent=parent,
        code=code,
        text=f"Tiêu chí {code}",
        kind=kind,
        max_points=max_points,
        position=extra.pop("position", 0),
        **extra,
    )


@pytest.fixture
def sheet(province):
    """One criterion of every kind: I (1.1–1.4), then bonus, penalty and veto."""
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Cụm huyện", scale=100)
    group = _criterion(sheet, "I", Kind.GROUP, 90, position=1)
    _criterion(sheet, "1.1", Kind.QUANTITATIVE, 40, group, position=1, unit_of_measure="tỷ đồng")
    _criterion(sheet, "1.2", Kind.QUALITATIVE, 20, group, position=2)
    _criterion(
        sheet,
        "1.3",
        Kind.GRADED,
        20,
        group,
        position=3,
        params={"grades": [["Tốt", 20], ["Khá", 15], ["Trung bình", 10]]},
    )
    _criterion(sheet, "1.4", Kind.PER_ITEM, 10, group, position=4, params={"points_per_item": 2})
    _criterion(sheet, "B", Kind.BONUS, 5, position=2)
    _criterion(sheet, "P", Kind.PENALTY, 10, position=3)
    _criterion(sheet, "V", Kind.VETO, 0, position=4)
    return sheet


@pytest.fixture
def covenant(term3, sheet, alice):
    return covenant_services.covenant_save(
        cluster_year=term3, sheet=sheet, signed_on=None, signatories="", user=alice
    )


@pytest.fixture
def period(covenant, term3):
    return Period.objects.get(cluster_year=term3, kind=Period.Kind.ANNUAL)


@pytest.fixture
def thanh_binh(province, term3):
    unit = make_unit(province, name="Thanh Bình", code="871")
    Membership.objects.create(cluster_year=term3, unit=unit)
    return unit


@pytest.fixture
def hana(province, hong_ngu, term3):
    """The officer of Hồng Ngự, the other member of cluster 3."""
    return make_user("hana", {"role": Role.MEMBER_OFFICER, "province": province, "unit": hong_ngu})


@pytest.fixture
def ring(period, thanh_binh, bob):
    """Hồng Ngự scores Tân Hồng, Tân Hồng scores Thanh Bình, Thanh Bình scores Hồng Ngự."""
    covenant_services.cross_assign_ring(period=period, user=bob)
    return period


def _code(period, code):
    return Criterion.objects.get(sheet=period.cluster_year.covenant.sheet, code=code)


def _self_url(period, unit):
    return reverse("clusters:self_score", args=[period.pk, unit.pk])


def _cross_url(period, unit):
    return reverse("clusters:cross_score", args=[period.pk, unit.pk])


def _form_data(client, url, **values):
    """What the browser would send back: the page's current inputs, with `values` typed
    over them (by criterion code, or by field name)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, django_forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field, django_forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    by_code = {c.code: c.pk for c in form.criteria}
    for key, value in values.items():
        name = f"c{by_code[key]}-value" if key in by_code else key
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _points(period, unit, stage=Stage.SELF):
    return dict(
        Score.objects.filter(period=period, unit=unit, stage=stage).values_list(
            "criterion__code", "points"
        )
    )


def _evidence_data(client, period, unit, upload, code="1.2"):
    data = _form_data(client, _self_url(period, unit))
    criterion = _code(period, code)
    data[f"c{criterion.pk}-file"] = upload
    return data


# --- Access ------------------------------------------------------------------------


def _get_urls(term, period, unit):
    return [
        reverse("clusters:covenant_detail", args=[term.pk]),
        reverse("clusters:covenant_update", args=[term.pk]),
        reverse("clusters:covenant_targets", args=[term.pk]),
        reverse("clusters:period_detail", args=[period.pk]),
        reverse("clusters:cross_assignments", args=[period.pk]),
        _self_url(period, unit),
        _cross_url(period, unit),
    ]


def _post_urls(period, unit):
    return [
        reverse("clusters:period_move", args=[period.pk]),
        reverse("clusters:cross_assign_ring", args=[period.pk]),
        _self_url(period, unit),
        _cross_url(period, unit),
    ]


@pytest.fixture
def evidence(period, tan_hong, alice):
    upload = SimpleUploadedFile("Biên bản.pdf", PDF)
    return covenant_services.evidence_add(
        period=period, unit=tan_hong, criterion=_code(period, "1.2"), upload=upload, user=alice
    )


def test_anonymous_is_sent_to_login(client, term3, period, tan_hong, evidence):
    evidence_urls = [
        reverse("clusters:evidence_download", args=[evidence.pk]),
        reverse("clusters:evidence_delete", args=[evidence.pk]),
    ]
    for url in [*_get_urls(term3, period, tan_hong), *evidence_urls]:
        response = client.get(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)
    for url in [*_post_urls(period, tan_hong), *evidence_urls]:
        response = client.post(url, {"to_state": State.SCORING})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Period.objects.get(pk=period.pk).state == State.OPEN
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("stranger", ["charlie", "eve"])
def test_strangers_get_404_everywhere(client, request, term3, period, tan_hong, evidence, stranger):
    client.force_login(request.getfixturevalue(stranger))
    for url in _get_urls(term3, period, tan_hong):
        assert client.get(url).status_code == 404, url
    for url in _post_urls(period, tan_hong):
        assert client.post(url, {"to_state": State.SCORING}).status_code == 404, url
    assert client.get(reverse("clusters:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("clusters:evidence_delete", args=[evidence.pk])).status_code == 404
    assert Period.objects.get(pk=period.pk).state == State.OPEN
    assert not CrossAssignment.objects.exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_leader_reads_everything_and_changes_nothing(client, leo, term3, ring, tan_hong, evidence):
    period = ring
    client.force_login(leo)
    readable = [
        reverse("clusters:covenant_detail", args=[term3.pk]),
        reverse("clusters:period_detail", args=[period.pk]),
        _self_url(period, tan_hong),
        _cross_url(period, tan_hong),
    ]
    for url in readable:
        response = client.get(url)
        assert response.status_code == 200, url
        assertNotContains(response, 'id="score-form"')
        assertNotContains(response, 'id="move-forward"')
    download = client.get(reverse("clusters:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    for url in [
        reverse("clusters:covenant_update", args=[term3.pk]),
        reverse("clusters:covenant_targets", args=[term3.pk]),
        reverse("clusters:cross_assignments", args=[period.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    criterion = _code(period, "1.2")
    for url in _post_urls(period, tan_hong):
        response = client.post(url, {"to_state": State.SCORING, f"c{criterion.pk}-value": "1"})
        assert response.status_code == 403, url
    assert client.post(reverse("clusters:evidence_delete", args=[evidence.pk])).status_code == 403
    assert not Score.objects.exists()
    assert Period.objects.get(pk=period.pk).state == State.OPEN


def test_member_officer_gets_403_on_another_units_self_scoring(client, dave, period, hong_ngu):
    client.force_login(dave)
    url = _self_url(period, hong_ngu)
    assert client.get(url).status_code == 403
    criterion = _code(period, "1.2")
    assert client.post(url, {f"c{criterion.pk}-value": "1"}).status_code == 403
    assert not Score.objects.exists()


def test_a_unit_that_is_not_a_member_has_no_scoring_page(client_alice, period, province):
    stranger = make_unit(province, name="Lấp Vò")
    assert client_alice.get(_self_url(period, stranger)).status_code == 404
    assert client_alice.get(_cross_url(period, stranger)).status_code == 404


def test_member_officer_cannot_change_the_period_or_the_covenant(client, dave, term3, period):
    client.force_login(dave)
    assert client.get(reverse("clusters:period_detail", args=[period.pk])).status_code == 200
    assert client.get(reverse("clusters:covenant_update", args=[term3.pk])).status_code == 403
    response = client.post(
        reverse("clusters:period_move", args=[period.pk]), {"to_state": State.SCORING}
    )
    assert response.status_code == 403
    assert Period.objects.get(pk=period.pk).state == State.OPEN


# --- Covenant and targets ----------------------------------------------------------


def test_secretary_adopts_the_covenant_and_the_periods_open(client_bob, term3, sheet):
    url = reverse("clusters:covenant_update", args=[term3.pk])
    response = client_bob.get(url)
    assert response.context["form"]["sheet"].value() == sheet.pk
    response = client_bob.post(
        url,
        {"signed_on": "05/03/2022", "signatories": "Nguyễn Văn A, Chủ tịch", "sheet": sheet.pk},
    )
    assertRedirects(response, reverse("clusters:covenant_detail", args=[term3.pk]))
    covenant = Covenant.objects.get(cluster_year=term3)
    assert covenant.signed_on.isoformat() == "2022-03-05"
    assert covenant.sheet == sheet
    assert sorted(term3.periods.values_list("kind", "state")) == [
        (Period.Kind.ANNUAL, State.OPEN),
        (Period.Kind.SIX_MONTH, State.OPEN),
    ]
    # Saving again changes the covenant and opens no third period.
    client_bob.post(url, {"signed_on": "06/03/2022", "signatories": "", "sheet": sheet.pk})
    assert term3.periods.count() == 2


def test_covenant_refuses_a_sheet_of_another_province(client_alice, term3, other_province):
    foreign = ScoreSheet.objects.create(
        province=other_province, year=2022, name="Tây Ninh", scale=100
    )
    response = client_alice.post(
        reverse("clusters:covenant_update", args=[term3.pk]),
        {"signed_on": "", "signatories": "", "sheet": foreign.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sheet"]
    assert not Covenant.objects.exists()


def test_cluster_year_page_links_to_the_covenant(client_bob, term3):
    response = client_bob.get(reverse("clusters:clusteryear_detail", args=[term3.pk]))
    assertContains(response, reverse("clusters:covenant_detail", args=[term3.pk]))


def test_covenant_page_lists_both_periods(client, dave, term3, covenant):
    client.force_login(dave)
    response = client.get(reverse("clusters:covenant_detail", args=[term3.pk]))
    for period in term3.periods.all():
        assertContains(response, reverse("clusters:period_detail", args=[period.pk]))
    assertNotContains(response, reverse("clusters:covenant_update", args=[term3.pk]))


def test_targets_are_saved_in_one_table(client_bob, term3, covenant, tan_hong, hong_ngu):
    url = reverse("clusters:covenant_targets", args=[term3.pk])
    criterion = Criterion.objects.get(sheet=covenant.sheet, code="1.1")
    response = client_bob.post(
        url,
        {
            f"t-{tan_hong.pk}-{criterion.pk}": "1.234,5",
            f"r-{tan_hong.pk}-{criterion.pk}": "1300",
            f"t-{hong_ngu.pk}-{criterion.pk}": "12,5",
        },
    )
    assertRedirects(response, reverse("clusters:covenant_detail", args=[term3.pk]))
    targets = {t.unit_id: t for t in Target.objects.all()}
    assert targets[tan_hong.pk].target == Decimal("1234.5")
    assert targets[tan_hong.pk].registered == Decimal("1300")
    assert targets[hong_ngu.pk].target == Decimal("12.5")
    assert targets[hong_ngu.pk].unit_of_measure == "tỷ đồng"
    page = client_bob.get(reverse("clusters:covenant_detail", args=[term3.pk]))
    assertContains(page, "1234,5")


def test_target_errors_keep_every_input_and_save_nothing(
    client_bob, term3, covenant, tan_hong, hong_ngu
):
    url = reverse("clusters:covenant_targets", args=[term3.pk])
    criterion = Criterion.objects.get(sheet=covenant.sheet, code="1.1")
    response = client_bob.post(
        url,
        {f"t-{tan_hong.pk}-{criterion.pk}": "mười", f"t-{hong_ngu.pk}-{criterion.pk}": "12,5"},
    )
    assert response.status_code == 200
    assertContains(response, 'value="mười"')
    assertContains(response, 'value="12,5"')
    assert not Target.objects.exists()


# --- The period page ---------------------------------------------------------------


def test_secretary_moves_the_period_forward(client_bob, period):
    url = reverse("clusters:period_move", args=[period.pk])
    client_bob.post(url, {"to_state": State.SCORING})
    assert Period.objects.get(pk=period.pk).state == State.SCORING
    # Only staff reopen.
    client_bob.post(url, {"to_state": State.OPEN, "reason": "Sai sót"})
    assert Period.objects.get(pk=period.pk).state == State.SCORING


def test_staff_reopens_with_a_reason_shown_in_the_history(client_alice, period):
    Period.objects.filter(pk=period.pk).update(state=State.LOCKED)
    url = reverse("clusters:period_move", args=[period.pk])
    client_alice.post(url, {"to_state": State.SCORING, "reason": ""})
    assert Period.objects.get(pk=period.pk).state == State.LOCKED
    client_alice.post(url, {"to_state": State.SCORING, "reason": "Đơn vị khiếu nại điểm 1.1"})
    assert Period.objects.get(pk=period.pk).state == State.SCORING
    record = period.history.order_by("-history_date", "-history_id").first()
    assert record.history_change_reason == "Đơn vị khiếu nại điểm 1.1"
    response = client_alice.get(reverse("clusters:period_detail", args=[period.pk]))
    assertContains(response, "Đơn vị khiếu nại điểm 1.1")


def test_period_page_shows_submissions_totals_and_links(client_bob, ring, tan_hong, dave):
    period = ring
    Score.objects.create(
        period=period, unit=tan_hong, criterion=_code(period, "1.2"), stage=Stage.SELF, points=20
    )
    Score.objects.create(
        period=period, unit=tan_hong, criterion=_code(period, "P"), stage=Stage.SELF, points=5
    )
    Submission.objects.create(period=period, unit=tan_hong, stage=Stage.SELF, submitted_by=dave)
    response = client_bob.get(reverse("clusters:period_detail", args=[period.pk]))
    row = next(r for r in response.context["rows"] if r.unit == tan_hong)
    assert row.self_submission is not None and row.cross_submission is None
    assert row.self_total == Decimal("15.00")
    assert row.assignment.scorer.name == "Hồng Ngự"
    assertContains(response, reverse("clusters:agreed_grid", args=[period.pk]))
    assertContains(response, reverse("clusters:ranking", args=[period.pk]))
    assertContains(response, 'id="move-forward"')


def test_member_officer_sees_only_his_own_totals(client, dave, ring, tan_hong, hong_ngu):
    period = ring
    for unit in (tan_hong, hong_ngu):
        Score.objects.create(
            period=period, unit=unit, criterion=_code(period, "1.2"), stage=Stage.SELF, points=20
        )
    client.force_login(dave)
    response = client.get(reverse("clusters:period_detail", args=[period.pk]))
    totals = {r.unit.pk: r.self_total for r in response.context["rows"]}
    assert totals[tan_hong.pk] == Decimal("20.00")
    assert totals[hong_ngu.pk] is None
    assertNotContains(response, _self_url(period, hong_ngu))
    assertNotContains(response, 'id="assign-ring"')


# --- Cross-scoring assignments -----------------------------------------------------


def test_ring_pairs_each_member_with_the_next_in_vietnamese_order(
    client_bob, period, tan_hong, hong_ngu, thanh_binh
):
    client_bob.post(reverse("clusters:cross_assign_ring", args=[period.pk]))
    pairs = dict(CrossAssignment.objects.values_list("scorer__name", "scored__name"))
    assert pairs == {
        "Hồng Ngự": "Tân Hồng",
        "Tân Hồng": "Thanh Bình",
        "Thanh Bình": "Hồng Ngự",
    }


def test_secretary_assigns_one_scorer_per_member(client_bob, period, tan_hong, hong_ngu):
    url = reverse("clusters:cross_assignments", args=[period.pk])
    response = client_bob.post(
        url, {f"scorer-{tan_hong.pk}": hong_ngu.pk, f"scorer-{hong_ngu.pk}": ""}
    )
    assertRedirects(response, reverse("clusters:period_detail", args=[period.pk]))
    assert list(CrossAssignment.objects.values_list("scorer", "scored")) == [
        (hong_ngu.pk, tan_hong.pk)
    ]


def test_a_unit_cannot_be_assigned_to_score_itself(client_bob, period, tan_hong):
    url = reverse("clusters:cross_assignments", args=[period.pk])
    response = client_bob.post(url, {f"scorer-{tan_hong.pk}": tan_hong.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CrossAssignment.objects.exists()


def test_a_non_member_cannot_be_assigned(client_bob, period, tan_hong, province):
    stranger = make_unit(province, name="Lấp Vò")
    url = reverse("clusters:cross_assignments", args=[period.pk])
    response = client_bob.post(url, {f"scorer-{tan_hong.pk}": stranger.pk})
    assert response.status_code == 200
    assert not CrossAssignment.objects.exists()


# --- Self-scoring ------------------------------------------------------------------


def test_member_officer_self_scores_every_kind(client, dave, period, covenant, tan_hong):
    Target.objects.create(
        covenant=covenant, unit=tan_hong, criterion=_code(period, "1.1"), target=25
    )
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    data = _form_data(
        client,
        url,
        **{"1.1": "12,5", "1.2": "1", "1.3": "1", "1.4": "3", "B": "2,5", "P": "4", "V": "on"},
    )
    data[f"c{_code(period, '1.1').pk}-note"] = "Theo báo cáo quý IV"
    response = client.post(url, data)
    assertRedirects(response, url)
    assert _points(period, tan_hong) == {
        "1.1": Decimal("20.00"),
        "1.2": Decimal("20.00"),
        "1.3": Decimal("15.00"),
        "1.4": Decimal("6.00"),
        "B": Decimal("2.50"),
        "P": Decimal("4.00"),
        "V": Decimal("0.00"),
    }
    actual = Score.objects.get(criterion__code="1.1")
    assert (actual.stage, actual.value, actual.note) == (
        Stage.SELF,
        Decimal("12.5"),
        "Theo báo cáo quý IV",
    )
    assert Score.objects.get(criterion__code="V").value == 1
    page = client.get(url)
    assert page.context["total"] == Decimal("59.50")
    assertContains(page, 'value="12,5"')


def test_leader_mode_uses_the_best_self_scored_value(
    client_alice, period, covenant, tan_hong, hong_ngu
):
    criterion = _code(period, "1.1")
    Criterion.objects.filter(pk=criterion.pk).update(params={"mode": "leader"})
    for unit in (tan_hong, hong_ngu):
        Target.objects.create(covenant=covenant, unit=unit, criterion=criterion, target=10)
    Score.objects.create(
        period=period, unit=hong_ngu, criterion=criterion, stage=Stage.SELF, value=30, points=40
    )
    url = _self_url(period, tan_hong)
    client_alice.post(url, _form_data(client_alice, url, **{"1.1": "20"}))
    # Target 10, leader 30: half the points for meeting the target, half of the rest.
    assert _points(period, tan_hong)["1.1"] == Decimal("30.00")


def test_form_errors_keep_every_typed_value_and_save_nothing(client, dave, period, tan_hong):
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    response = client.post(
        url, _form_data(client, url, **{"1.1": "mười hai", "1.4": "2,5", "B": "3", "1.3": "2"})
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {
        f"c{_code(period, '1.1').pk}-value",
        f"c{_code(period, '1.4').pk}-value",
    }
    assertContains(response, 'value="mười hai"')
    assertContains(response, 'value="2,5"')
    assertContains(response, 'value="3"')
    assertContains(response, '<option value="2" selected>')
    assert not Score.objects.exists()


def test_points_above_the_maximum_are_refused(client, dave, period, tan_hong):
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    response = client.post(url, _form_data(client, url, **{"1.4": "-1"}))
    assert response.status_code == 200
    assert not Score.objects.exists()


def test_submission_makes_self_scores_read_only(client, dave, period, tan_hong):
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    data = _form_data(client, url, **{"1.2": "1"})
    data["submit"] = "1"
    assertRedirects(client.post(url, data), url)
    submission = Submission.objects.get()
    assert (submission.unit, submission.stage, submission.submitted_by) == (
        tan_hong,
        Stage.SELF,
        dave,
    )
    page = client.get(url)
    assertNotContains(page, 'id="score-form"')
    assertContains(page, 'id="read-only"')
    data[f"c{_code(period, '1.2').pk}-value"] = "0"
    response = client.post(url, data)
    assertRedirects(response, url)
    assert _points(period, tan_hong) == {"1.2": Decimal("20.00")}


def test_stale_page_is_told_and_shown_the_current_value(client, dave, alice, period, tan_hong):
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    stale = _form_data(client, url, **{"1.4": "2"})
    score_services.score_save(
        period=period,
        unit=tan_hong,
        criterion=_code(period, "1.4"),
        stage=Stage.SELF,
        value=Decimal(4),
        points=Decimal(8),
        user=alice,
    )
    response = client.post(url, stale)
    assert response.status_code == 200
    assertContains(response, 'value="4"')
    assert _points(period, tan_hong) == {"1.4": Decimal("8.00")}
    # Saving again replaces the colleague's value knowingly.
    again = {k: v for k, v in response.context["form"].data.items()}
    again[f"c{_code(period, '1.4').pk}-value"] = "2"
    assertRedirects(client.post(url, again), url)
    assert _points(period, tan_hong) == {"1.4": Decimal("4.00")}


@pytest.mark.parametrize("state", [State.AGREED, State.LOCKED])
def test_closed_period_refuses_every_write(client_alice, period, tan_hong, hong_ngu, state):
    url = _self_url(period, tan_hong)
    data = _form_data(client_alice, url, **{"1.2": "1"})
    CrossAssignment.objects.create(period=period, scorer=hong_ngu, scored=tan_hong)
    Period.objects.filter(pk=period.pk).update(state=state)
    page = client_alice.get(url)
    assertNotContains(page, 'id="score-form"')
    assertContains(page, 'id="read-only"')
    data["submit"] = "1"
    assertRedirects(client_alice.post(url, data), url)
    cross = _cross_url(period, tan_hong)
    assertRedirects(client_alice.post(cross, data), cross)
    client_alice.post(
        reverse("clusters:cross_assignments", args=[period.pk]),
        {f"scorer-{hong_ngu.pk}": tan_hong.pk},
    )
    client_alice.post(reverse("clusters:cross_assign_ring", args=[period.pk]))
    assert not Score.objects.exists()
    assert not Submission.objects.exists()
    assert CrossAssignment.objects.count() == 1


def test_without_covenant_the_page_says_so(client_alice, term3, tan_hong):
    period = Period.objects.create(cluster_year=term3, kind=Period.Kind.ANNUAL)
    response = client_alice.get(_self_url(period, tan_hong))
    assertContains(response, 'id="read-only"')
    assertNotContains(response, 'id="score-form"')


# --- Cross-scoring -----------------------------------------------------------------


def test_self_and_cross_scores_never_overwrite_each_other(
    client, dave, hana, ring, tan_hong, thanh_binh
):
    period = ring
    client.force_login(dave)
    self_url = _self_url(period, tan_hong)
    assertRedirects(client.post(self_url, _form_data(client, self_url, **{"1.4": "5"})), self_url)
    # Hồng Ngự is assigned to score Tân Hồng; its officer sees the self-scores beside.
    client.force_login(hana)
    cross_url = _cross_url(period, tan_hong)
    page = client.get(cross_url)
    row = next(r for r in page.context["rows"] if r.criterion.code == "1.4")
    assert row.self_shown == "5"
    assertRedirects(
        client.post(cross_url, _form_data(client, cross_url, **{"1.4": "3"})), cross_url
    )
    assert _points(period, tan_hong, Stage.SELF) == {"1.4": Decimal("10.00")}
    assert _points(period, tan_hong, Stage.CROSS) == {"1.4": Decimal("6.00")}
    # Saving the self-scores again leaves the cross-score alone.
    client.force_login(dave)
    client.post(self_url, _form_data(client, self_url, **{"1.4": "4"}))
    assert _points(period, tan_hong, Stage.SELF) == {"1.4": Decimal("8.00")}
    assert _points(period, tan_hong, Stage.CROSS) == {"1.4": Decimal("6.00")}


def test_only_the_assigned_scorer_cross_scores(client, dave, ring, tan_hong, hong_ngu, thanh_binh):
    period = ring
    client.force_login(dave)
    criterion = _code(period, "1.2")
    # Tân Hồng scores Thanh Bình, not Hồng Ngự.
    assert client.get(_cross_url(period, hong_ngu)).status_code == 403
    response = client.post(_cross_url(period, hong_ngu), {f"c{criterion.pk}-value": "1"})
    assert response.status_code == 403
    # Its own cross-scores it may read, not write.
    own = client.get(_cross_url(period, tan_hong))
    assert own.status_code == 200
    assertNotContains(own, 'id="score-form"')
    response = client.post(_cross_url(period, tan_hong), {f"c{criterion.pk}-value": "1"})
    assert response.status_code == 403
    assert not Score.objects.exists()
    url = _cross_url(period, thanh_binh)
    data = _form_data(client, url, **{"1.2": "0"})
    data["submit"] = "1"
    assertRedirects(client.post(url, data), url)
    assert _points(period, thanh_binh, Stage.CROSS) == {"1.2": Decimal("0.00")}
    assert Submission.objects.get().stage == Stage.CROSS
    assertNotContains(client.get(url), 'id="score-form"')


def test_cross_scoring_without_an_assignment_is_read_only(client_alice, period, tan_hong):
    response = client_alice.get(_cross_url(period, tan_hong))
    assertContains(response, 'id="read-only"')
    assertNotContains(response, 'id="score-form"')


# --- Evidence ----------------------------------------------------------------------


def _docx(*parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Biên bản kiểm tra.pdf", PDF),
        ("anh.PNG", PNG),
        ("bao-cao.docx", _docx("[Content_Types].xml", "word/document.xml")),
        ("so-lieu.xlsx", _docx("[Content_Types].xml", "xl/workbook.xml")),
    ],
)
def test_evidence_is_stored_with_its_name_and_size(client, dave, period, tan_hong, name, content):
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    upload = SimpleUploadedFile(name, content)
    assertRedirects(client.post(url, _evidence_data(client, period, tan_hong, upload)), url)
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.size, evidence.unit) == (name, len(content), tan_hong)
    assert evidence.criterion.code == "1.2"
    assert name not in evidence.file.name
    page = client.get(url)
    assertContains(page, reverse("clusters:evidence_download", args=[evidence.pk]))
    download = client.get(reverse("clusters:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("gia-mao.pdf", b"<html>not a pdf</html>"),
        ("anh.jpg", PNG),
        ("bao-cao.docx", _docx("[Content_Types].xml", "xl/workbook.xml")),
        ("so-lieu.xlsx", b"PK\x03\x04 not really a zip"),
        ("trong.pdf", b""),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(client, dave, period, tan_hong, name, content):
    client.force_login(dave)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        _self_url(period, tan_hong), _evidence_data(client, period, tan_hong, upload)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Evidence.objects.exists()


def test_evidence_above_10_mb_is_refused(client, dave, period, tan_hong):
    client.force_login(dave)
    content = PDF + b"0" * (10 * 1024 * 1024)
    upload = SimpleUploadedFile("lon.pdf", content)
    response = client.post(
        _self_url(period, tan_hong), _evidence_data(client, period, tan_hong, upload)
    )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_evidence_errors_keep_the_typed_values(client, dave, period, tan_hong):
    client.force_login(dave)
    data = _evidence_data(client, period, tan_hong, SimpleUploadedFile("x.pdf", b"no"))
    data[f"c{_code(period, '1.4').pk}-value"] = "4"
    response = client.post(_self_url(period, tan_hong), data)
    assertContains(response, 'value="4"')
    assert not Score.objects.exists()


def test_member_officer_removes_evidence_until_submission(client, dave, period, tan_hong, evidence):
    client.force_login(dave)
    url = reverse("clusters:evidence_delete", args=[evidence.pk])
    Submission.objects.create(period=period, unit=tan_hong, stage=Stage.SELF)
    client.post(url)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    Submission.objects.all().delete()
    assertRedirects(client.post(url), _self_url(period, tan_hong))
    assert not Evidence.objects.exists()


def test_officer_of_another_unit_cannot_remove_evidence(client, hana, evidence):
    client.force_login(hana)
    url = reverse("clusters:evidence_delete", args=[evidence.pk])
    assert client.post(url).status_code == 403
    assert Evidence.objects.exists()


# --- Query counts ------------------------------------------------------------------


@pytest.fixture
def big_sheet(province, term3, alice):
    """60 criteria in 6 groups, of every kind, adopted by cluster 3."""
    sheet = ScoreSheet.objects.create(province=province, year=2022, name="Lớn", scale=1000)
    kinds = [
        (Kind.QUANTITATIVE, {}),
        (Kind.QUANTITATIVE, {"mode": "leader"}),
        (Kind.QUALITATIVE, {}),
        (Kind.GRADED, {"grades": [["Tốt", 10], ["Khá", 5]]}),
        (Kind.PER_ITEM, {"points_per_item": 1}),
        (Kind.BONUS, {}),
        (Kind.PENALTY, {}),
        (Kind.VETO, {}),
        (Kind.QUALITATIVE, {"partial": True}),
    ]
    for g in range(6):
        group = _criterion(sheet, f"G{g}", Kind.GROUP, 150, position=g)
        for i in range(9):
            kind, params = kinds[i]
            _criterion(
                sheet, f"{g}.{i}", kind, 0 if kind == Kind.VETO else 10, group, params=params
            )
    assert sheet.criteria.count() == 60
    covenant_services.covenant_save(
        cluster_year=term3, sheet=sheet, signed_on=None, signatories="", user=alice
    )
    return sheet


def _fill(period, sheet, unit, covenant):
    for criterion in sheet.criteria.exclude(kind=Kind.GROUP):
        Score.objects.create(
            period=period, unit=unit, criterion=criterion, stage=Stage.SELF, value=1, points=0
        )
        Score.objects.create(
            period=period, unit=unit, criterion=criterion, stage=Stage.CROSS, value=1, points=0
        )
        if criterion.kind == Kind.QUANTITATIVE:
            Target.objects.create(covenant=covenant, unit=unit, criterion=criterion, target=1)
    Evidence.objects.create(
        period=period,
        unit=unit,
        criterion=sheet.criteria.exclude(kind=Kind.GROUP).first(),
        file="evidence/x.pdf",
        original_name="x.pdf",
        size=3,
    )


def test_scoring_pages_queries_do_not_grow_with_criteria_or_members(
    client, dave, term3, big_sheet, tan_hong, hong_ngu, province, django_assert_num_queries
):
    period = Period.objects.get(cluster_year=term3, kind=Period.Kind.ANNUAL)
    covenant = term3.covenant
    for unit in (tan_hong, hong_ngu):
        _fill(period, big_sheet, unit, covenant)
    CrossAssignment.objects.create(period=period, scorer=hong_ngu, scored=tan_hong)
    Submission.objects.create(period=period, unit=hong_ngu, stage=Stage.SELF)
    client.force_login(dave)
    self_url, period_url = (
        _self_url(period, tan_hong),
        reverse("clusters:period_detail", args=[period.pk]),
    )
    # Session, user, roles, member clusters; period, member check, submission, criteria,
    # targets, scores, leader values, evidence, rule set.
    with django_assert_num_queries(13):
        assert client.get(self_url).status_code == 200
    # Session, user, roles, member clusters; period, members, submissions, assignments,
    # criteria, rule set, scores, history.
    with django_assert_num_queries(12):
        assert client.get(period_url).status_code == 200
    for n in range(4):
        unit = make_unit(province, name=f"Xã {n}")
        Membership.objects.create(cluster_year=term3, unit=unit)
        _fill(period, big_sheet, unit, covenant)
    with django_assert_num_queries(13):
        assert client.get(self_url).status_code == 200
    with django_assert_num_queries(12):
        response = client.get(period_url)
    assert len(response.context["rows"]) == 6


def test_points_entered_without_a_value_are_not_cleared(client, dave, period, tan_hong):
    criterion = _code(period, "1.2")
    Score.objects.create(
        period=period, unit=tan_hong, criterion=criterion, stage=Stage.SELF, points=15
    )
    client.force_login(dave)
    url = _self_url(period, tan_hong)
    assertRedirects(client.post(url, _form_data(client, url, **{"1.4": "1"})), url)
    assert _points(period, tan_hong) == {"1.2": Decimal("15.00"), "1.4": Decimal("2.00")}
