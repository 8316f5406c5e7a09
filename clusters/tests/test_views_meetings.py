import pytest
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import demo, demo_meetings, meeting_services
from clusters.models import (
    Attendance,
    AwardForm,
    Ballot,
    ClusterYear,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
    Province,
    RoleAssignment,
    RuleSet,
)
from clusters.tests.factories import day, make_unit, make_user

pytestmark = pytest.mark.django_db

Kind = Meeting.Kind
Role = RoleAssignment.Role


# --- Data --------------------------------------------------------------------------


@pytest.fixture
def meeting(term3, alice):
    """The six-month review of cluster 3 on 26/07/2022, both members present."""
    return meeting_services.meeting_save(
        meeting=Meeting(
            cluster_year=term3,
            kind=Kind.SIX_MONTH_REVIEW,
            date=day("26/07/2022"),
            venue="Hội trường UBND huyện Tân Hồng",
        ),
        user=alice,
    )


@pytest.fixture
def section(meeting, alice):
    return meeting_services.section_save(
        section=MeetingSection(meeting=meeting, kind=MeetingSection.Kind.RESULTS, title="Kết quả"),
        user=alice,
    )


@pytest.fixture
def commendation(meeting, alice):
    return meeting_services.commendation_save(
        commendation=MeetingCommendation(
            meeting=meeting,
            recipient_name="Nguyễn Văn An",
            form="Giấy khen",
            issuer="Chủ tịch UBND huyện Tân Hồng",
        ),
        user=alice,
    )


def _form_data(**overrides) -> dict:
    data = {
        "kind": Kind.SIX_MONTH_REVIEW,
        "date": "26/07/2022",
        "start_time": "14:00",
        "end_time": "16:30",
        "venue": "Hội trường UBND huyện Tân Hồng",
        "host_unit": "",
        "chair_name": "",
        "chair_position": "",
        "secretary_name": "",
        "secretary_position": "",
        "guests": "",
        "next_head_unit": "",
        "next_deputy_unit": "",
        "next_host_unit": "",
        "approval_percent": "",
    }
    data.update(overrides)
    return data


def _attendance_data(meeting, **rows) -> dict:
    """rows: unit pk as 'u<pk>' → (present, delegates)."""
    data = {}
    for key, (present, delegates) in rows.items():
        pk = key[1:]
        if present:
            data[f"present-{pk}"] = "on"
        data[f"delegates-{pk}"] = delegates
    return data


def _pages(term, meeting, section, commendation):
    """(method, url) of every meeting URL."""
    return [
        ("get", reverse("clusters:meeting_list", args=[term.pk])),
        ("get", reverse("clusters:meeting_create", args=[term.pk])),
        ("get", reverse("clusters:meeting_detail", args=[meeting.pk])),
        ("get", reverse("clusters:meeting_update", args=[meeting.pk])),
        ("post", reverse("clusters:meeting_delete", args=[meeting.pk])),
        ("get", reverse("clusters:attendance_edit", args=[meeting.pk])),
        ("get", reverse("clusters:section_create", args=[meeting.pk])),
        ("get", reverse("clusters:section_update", args=[section.pk])),
        ("post", reverse("clusters:section_delete", args=[section.pk])),
        ("post", reverse("clusters:section_move", args=[section.pk])),
        ("get", reverse("clusters:commendation_create", args=[meeting.pk])),
        ("get", reverse("clusters:commendation_update", args=[commendation.pk])),
        ("post", reverse("clusters:commendation_delete", args=[commendation.pk])),
    ]


# --- Access ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, term3, meeting, section, commendation):
    for method, url in _pages(term3, meeting, section, commendation):
        response = getattr(client, method)(url)
        assertRedirects(response, reverse("login") + "?next=" + url, fetch_redirect_response=False)


@pytest.mark.parametrize("stranger", ["charlie", "eve"])
def test_strangers_get_404_everywhere(
    client, request, term3, meeting, section, commendation, stranger
):
    client.force_login(request.getfixturevalue(stranger))
    for method, url in _pages(term3, meeting, section, commendation):
        assert getattr(client, method)(url).status_code == 404, url
        if method == "get":
            assert client.post(url).status_code == 404, url
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("reader", ["leo", "dave"])
def test_readers_see_the_meeting_and_change_nothing(
    client, request, term3, meeting, section, commendation, reader
):
    client.force_login(request.getfixturevalue(reader))
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assertNotContains(response, reverse("clusters:meeting_update", args=[meeting.pk]))
    list_url = reverse("clusters:meeting_list", args=[term3.pk])
    response = client.get(list_url)
    assert response.status_code == 200
    assertNotContains(response, reverse("clusters:meeting_create", args=[term3.pk]))
    for method, url in _pages(term3, meeting, section, commendation):
        if url in (list_url, meeting.get_absolute_url()):
            continue
        assert getattr(client, method)(url).status_code == 403, url
        if method == "get":
            assert client.post(url, _form_data()).status_code == 403, url
    assert Meeting.objects.count() == 1
    assert MeetingSection.objects.count() == 1
    assert MeetingCommendation.objects.count() == 1


def test_a_member_officer_of_another_cluster_gets_404(client, province, meeting, term4):
    lai_vung = term4.memberships.get().unit
    officer = make_user(
        "lan", {"role": Role.MEMBER_OFFICER, "province": province, "unit": lai_vung}
    )
    client.force_login(officer)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_the_head_of_the_term_edits(client, province, term3, meeting):
    head = make_user(
        "hung", {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3}
    )
    client.force_login(head)
    assert client.get(reverse("clusters:meeting_update", args=[meeting.pk])).status_code == 200


# --- Creating and changing a meeting ------------------------------------------------


def test_cluster_year_page_links_to_its_meetings(client_bob, term3):
    response = client_bob.get(term3.get_absolute_url())
    assertContains(response, reverse("clusters:meeting_list", args=[term3.pk]))


def test_kind_is_preselected_and_the_secretary_proposed(client_bob, term3):
    term3.secretary_name = "Lê Thị Thu"
    term3.save()
    url = reverse("clusters:meeting_create", args=[term3.pk]) + "?kind=annual_review"
    form = client_bob.get(url).context["form"]
    assert form["kind"].value() == Kind.ANNUAL_REVIEW
    assert form["secretary_name"].value() == "Lê Thị Thu"
    assert form["host_unit"].value() == term3.head_unit_id


def test_secretary_creates_a_meeting_and_every_member_is_present(
    client_bob, term3, tan_hong, hong_ngu
):
    data = _form_data(
        host_unit=tan_hong.pk,
        guests="Đại diện Sở Nội vụ\n\n  Thành viên Hội đồng phụ trách  \n",
        next_head_unit=hong_ngu.pk,
        next_deputy_unit=tan_hong.pk,
        approval_percent="87,5",
    )
    response = client_bob.post(reverse("clusters:meeting_create", args=[term3.pk]), data)
    meeting = Meeting.objects.get()
    assertRedirects(response, reverse("clusters:attendance_edit", args=[meeting.pk]))
    assert meeting.cluster_year == term3
    assert str(meeting.approval_percent) == "87.50"
    assert meeting.guests == "Đại diện Sở Nội vụ\nThành viên Hội đồng phụ trách"
    assert meeting.start_time.strftime("%H:%M") == "14:00"
    rows = Attendance.objects.filter(meeting=meeting)
    assert {r.unit_id for r in rows} == {tan_hong.pk, hong_ngu.pk}
    assert all(r.present for r in rows)


def _refused(client, url, data, field):
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    # Nothing typed is lost.
    for name, value in data.items():
        assert str(form[name].value() or "") == str(value), name
    return form


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"date": "15/01/2023"}, "date"),
        ({"date": "31/12/2021"}, "date"),
        ({"kind": Kind.ANNUAL_REVIEW, "date": "01/04/2023"}, "date"),
        ({"date": "32/07/2022"}, "date"),
        ({"start_time": "16:00", "end_time": "15:59"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"approval_percent": "100,5"}, "approval_percent"),
        ({"approval_percent": "-1"}, "approval_percent"),
    ],
)
def test_bad_meeting_input_is_refused_and_kept(client_bob, term3, overrides, field):
    url = reverse("clusters:meeting_create", args=[term3.pk])
    _refused(client_bob, url, _form_data(chair_name="Nguyễn Văn An", **overrides), field)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("kind", [Kind.ANNUAL_REVIEW, Kind.COVENANT_SIGNING])
def test_annual_review_and_covenant_signing_may_be_held_until_31_march(client_bob, term3, kind):
    url = reverse("clusters:meeting_create", args=[term3.pk])
    response = client_bob.post(url, _form_data(kind=kind, date="31/03/2023"))
    assert response.status_code == 302
    assert Meeting.objects.get().date == day("31/03/2023")


def test_host_must_be_a_member_on_the_date(client_bob, term3, province):
    left = make_unit(province, name="Tam Nông")
    Membership.objects.create(cluster_year=term3, unit=left, valid_to=day("30/06/2022"))
    url = reverse("clusters:meeting_create", args=[term3.pk])
    form = _refused(client_bob, url, _form_data(host_unit=left.pk), "host_unit")
    assert form.errors["host_unit"]
    response = client_bob.post(url, _form_data(host_unit=left.pk, date="20/06/2022"))
    assert response.status_code == 302


def test_next_head_and_deputy_are_other_members_of_the_cluster(client_bob, term3, term4, tan_hong):
    url = reverse("clusters:meeting_create", args=[term3.pk])
    data = _form_data(next_head_unit=tan_hong.pk, next_deputy_unit=tan_hong.pk)
    _refused(client_bob, url, data, "next_deputy_unit")
    stranger = term4.memberships.get().unit
    _refused(client_bob, url, _form_data(next_host_unit=stranger.pk), "next_host_unit")
    assert not Meeting.objects.exists()


def test_next_head_may_be_a_member_of_next_year(client_bob, term3, province):
    newcomer = make_unit(province, name="Tam Nông")
    next_term = ClusterYear.objects.create(cluster=term3.cluster, year=2023)
    Membership.objects.create(cluster_year=next_term, unit=newcomer)
    url = reverse("clusters:meeting_create", args=[term3.pk])
    data = _form_data(kind=Kind.ANNUAL_REVIEW, date="20/12/2022", next_head_unit=newcomer.pk)
    assert client_bob.post(url, data).status_code == 302


def test_illustrative_flag_is_for_staff_only(client, bob, alice, term3):
    url = reverse("clusters:meeting_create", args=[term3.pk])
    client.force_login(bob)
    assert "illustrative" not in client.get(url).context["form"].fields
    client.post(url, _form_data(illustrative="on"))
    assert Meeting.objects.get().illustrative is False
    client.force_login(alice)
    assert "illustrative" in client.get(url).context["form"].fields
    client.post(url, _form_data(illustrative="on", date="27/07/2022"))
    assert Meeting.objects.get(date=day("27/07/2022")).illustrative is True


def test_secretary_changes_the_meeting_and_it_shows_in_the_history(client_bob, meeting):
    url = reverse("clusters:meeting_update", args=[meeting.pk])
    response = client_bob.post(url, _form_data(venue="Nhà văn hóa huyện"))
    assertRedirects(response, meeting.get_absolute_url())
    meeting.refresh_from_db()
    assert meeting.venue == "Nhà văn hóa huyện"
    history = client_bob.get(meeting.get_absolute_url()).context["history"]
    assert any(c.new == "Nhà văn hóa huyện" for entry in history for c in entry.changes)


def test_a_chair_who_is_not_a_delegate_is_refused_on_the_meeting(client_bob, meeting, tan_hong):
    meeting_services.attendance_save(
        meeting=meeting, rows={tan_hong.pk: (True, "Ông Nguyễn Văn An, Chủ tịch")}, user=None
    )
    url = reverse("clusters:meeting_update", args=[meeting.pk])
    _refused(client_bob, url, _form_data(chair_name="Trần Văn Bảy"), "chair_name")
    meeting.refresh_from_db()
    assert meeting.chair_name == ""
    response = client_bob.post(url, _form_data(chair_name="nguyen van an"))
    assert response.status_code == 302


# --- Attendance --------------------------------------------------------------------


def test_attendance_has_one_row_per_member_on_the_date(client_bob, meeting, tan_hong, hong_ngu):
    response = client_bob.get(reverse("clusters:attendance_edit", args=[meeting.pk]))
    assert [unit.pk for unit, _p, _d in response.context["rows"]] == [hong_ngu.pk, tan_hong.pk]


def test_secretary_records_presence_and_delegates(client_bob, meeting, tan_hong, hong_ngu):
    data = _attendance_data(
        meeting,
        **{
            f"u{tan_hong.pk}": (True, "Nguyễn Văn An, Chủ tịch\nLê Thị Thu, chuyên viên"),
            f"u{hong_ngu.pk}": (False, ""),
        },
    )
    response = client_bob.post(reverse("clusters:attendance_edit", args=[meeting.pk]), data)
    assertRedirects(response, meeting.get_absolute_url())
    rows = {row.unit_id: row for row in meeting.attendance.all()}
    assert rows[tan_hong.pk].present and not rows[hong_ngu.pk].present
    assert rows[tan_hong.pk].delegates == "Nguyễn Văn An, Chủ tịch\nLê Thị Thu, chuyên viên"
    page = client_bob.get(meeting.get_absolute_url())
    assert (page.context["quorum"].present, page.context["quorum"].total) == (1, 2)
    assert page.context["quorum"].reached is False
    assertContains(page, "Lê Thị Thu, chuyên viên")


def test_attendance_naming_a_non_member_is_refused_and_kept(
    client_bob, meeting, tan_hong, hong_ngu, term4
):
    stranger = term4.memberships.get().unit
    data = _attendance_data(
        meeting,
        **{
            f"u{tan_hong.pk}": (True, "Nguyễn Văn An"),
            f"u{hong_ngu.pk}": (True, ""),
            f"u{stranger.pk}": (True, "Người lạ"),
        },
    )
    response = client_bob.post(reverse("clusters:attendance_edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form[f"delegates-{tan_hong.pk}"].value() == "Nguyễn Văn An"
    assert not Attendance.objects.filter(unit=stranger).exists()
    assert meeting.attendance.get(unit=tan_hong).delegates == ""


def test_a_chair_who_is_not_a_delegate_is_refused_on_the_attendance(
    client_bob, meeting, tan_hong, hong_ngu
):
    meeting.chair_name = "Nguyễn Văn An"
    meeting.save()
    url = reverse("clusters:attendance_edit", args=[meeting.pk])
    data = _attendance_data(
        meeting,
        **{f"u{tan_hong.pk}": (True, "Trần Văn Bảy, Phó Chủ tịch"), f"u{hong_ngu.pk}": (True, "")},
    )
    response = client_bob.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"][f"delegates-{tan_hong.pk}"].value().startswith("Trần Văn Bảy")
    assert meeting.attendance.get(unit=tan_hong).delegates == ""
    data[f"delegates-{hong_ngu.pk}"] = "ông NGUYEN VAN AN - Chủ tịch UBND huyện Hồng Ngự"
    assertRedirects(client_bob.post(url, data), meeting.get_absolute_url())


# --- The meeting page --------------------------------------------------------------


def test_meeting_page_shows_the_quorum_of_the_rules(client_bob, province, meeting, hong_ngu):
    page = client_bob.get(meeting.get_absolute_url())
    assert page.context["quorum"].reached is True
    assert str(page.context["quorum"].percent) == "66.67"
    meeting_services.attendance_save(meeting=meeting, rows={hong_ngu.pk: (False, "")}, user=None)
    assert client_bob.get(meeting.get_absolute_url()).context["quorum"].reached is False
    RuleSet.objects.create(province=province, year=2022, quorum_percent=50)
    assert client_bob.get(meeting.get_absolute_url()).context["quorum"].reached is True


def test_meeting_page_shows_sections_in_order_with_line_breaks(client_bob, meeting, alice):
    for title, body in [("Một", "dòng 1\ndòng 2"), ("Hai", "x"), ("Ba", "y")]:
        meeting_services.section_save(
            section=MeetingSection(
                meeting=meeting, kind=MeetingSection.Kind.OTHER, title=title, body=body
            ),
            user=alice,
        )
    page = client_bob.get(meeting.get_absolute_url())
    assert [s.title for s in page.context["sections"]] == ["Một", "Hai", "Ba"]
    assertContains(page, "dòng 1<br>dòng 2")


def test_ballots_link_only_on_a_deliberation_meeting(client_bob, term3, meeting):
    assert client_bob.get(meeting.get_absolute_url()).context["ballots_url"] is None
    deliberation = meeting_services.meeting_save(
        meeting=Meeting(cluster_year=term3, kind=Kind.DELIBERATION, date=day("10/12/2022")),
        user=None,
    )
    try:
        expected = reverse("clusters:ballot_list", args=[deliberation.pk])
    except NoReverseMatch:
        expected = None
    response = client_bob.get(deliberation.get_absolute_url())
    assert response.context["ballots_url"] == expected
    if expected:
        assertContains(response, expected)


def test_history_labels_attendance_sections_and_commendations(
    client_bob, meeting, section, commendation, tan_hong
):
    meeting_services.attendance_save(
        meeting=meeting, rows={tan_hong.pk: (True, "Nguyễn Văn An")}, user=None
    )
    labels = {e.label for e in client_bob.get(meeting.get_absolute_url()).context["history"]}
    assert {"Tân Hồng", "Hồng Ngự", "Kết quả", "Nguyễn Văn An"} <= labels


def test_meeting_list_shows_each_meeting_with_its_attendance(client_bob, term3, meeting, hong_ngu):
    meeting_services.attendance_save(meeting=meeting, rows={hong_ngu.pk: (False, "")}, user=None)
    response = client_bob.get(reverse("clusters:meeting_list", args=[term3.pk]))
    [listed] = response.context["meetings"]
    assert (listed.quorum.present, listed.quorum.total, listed.quorum.reached) == (1, 2, False)
    assertContains(response, meeting.get_absolute_url())


# --- Sections and commendations ----------------------------------------------------


def test_secretary_adds_moves_edits_and_deletes_sections(client_bob, meeting, section):
    url = reverse("clusters:section_create", args=[meeting.pk]) + "?kind=conclusions"
    assert client_bob.get(url).context["form"]["kind"].value() == "conclusions"
    client_bob.post(url, {"kind": "conclusions", "title": "Kết luận", "body": "Thống nhất."})
    last = MeetingSection.objects.get(title="Kết luận")
    assert last.position == section.position + 1
    client_bob.post(reverse("clusters:section_move", args=[last.pk]), {"direction": "up"})
    assert [s.title for s in meeting.sections.all()] == ["Kết luận", "Kết quả"]
    client_bob.post(reverse("clusters:section_move", args=[last.pk]), {"direction": "sideways"})
    assert [s.title for s in meeting.sections.all()] == ["Kết luận", "Kết quả"]
    client_bob.post(
        reverse("clusters:section_update", args=[section.pk]),
        {"kind": "results", "title": "Kết quả đạt được", "body": ""},
    )
    section.refresh_from_db()
    assert section.title == "Kết quả đạt được"
    response = client_bob.post(reverse("clusters:section_delete", args=[section.pk]))
    assert response.status_code == 302
    assert list(meeting.sections.values_list("title", flat=True)) == ["Kết luận"]


def test_section_delete_and_move_refuse_get(client_bob, section):
    for name in ("section_delete", "section_move"):
        assert client_bob.get(reverse(f"clusters:{name}", args=[section.pk])).status_code == 405


def test_secretary_records_a_commendation(client_bob, meeting, tan_hong):
    url = reverse("clusters:commendation_create", args=[meeting.pk])
    data = {
        "recipient_name": "Nguyễn Văn An",
        "recipient_unit": tan_hong.pk,
        "form": "Giấy khen",
        "issuer": "Chủ tịch  UBND huyện Tân Hồng",
        "decision_ref": "Quyết định số 12/QĐ-UBND ngày 20/7/2022",
    }
    response = client_bob.post(url, data)
    assertRedirects(response, meeting.get_absolute_url() + "#commendations")
    commendation = MeetingCommendation.objects.get()
    assert commendation.issuer == "Chủ tịch UBND huyện Tân Hồng"
    page = client_bob.get(meeting.get_absolute_url())
    assertContains(page, "Quyết định số 12/QĐ-UBND ngày 20/7/2022")
    assertContains(page, 'id="award-power-note"')


@pytest.mark.parametrize("issuer", ["Cụm thi đua số 3", "KHỐI THI ĐUA Văn hóa - Xã hội"])
def test_a_cluster_as_issuer_is_refused_and_input_kept(client_bob, meeting, issuer):
    url = reverse("clusters:commendation_create", args=[meeting.pk])
    data = {"recipient_name": "Nguyễn Văn An", "form": "Giấy khen", "issuer": issuer}
    response = client_bob.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "issuer" in form.errors
    assert form["recipient_name"].value() == "Nguyễn Văn An"
    assert form["issuer"].value() == issuer
    assert not MeetingCommendation.objects.exists()


def test_secretary_edits_and_deletes_a_commendation(client_bob, commendation):
    url = reverse("clusters:commendation_update", args=[commendation.pk])
    data = {"recipient_name": "Nguyễn Văn An", "form": "Bằng khen", "issuer": "Chủ tịch UBND tỉnh"}
    assert client_bob.post(url, data).status_code == 302
    commendation.refresh_from_db()
    assert commendation.form == "Bằng khen"
    client_bob.post(reverse("clusters:commendation_delete", args=[commendation.pk]))
    assert not MeetingCommendation.objects.exists()


# --- Deleting ----------------------------------------------------------------------


def test_secretary_deletes_a_meeting_with_its_rows(client_bob, term3, meeting, section):
    response = client_bob.post(reverse("clusters:meeting_delete", args=[meeting.pk]))
    assertRedirects(response, reverse("clusters:meeting_list", args=[term3.pk]))
    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists() and not MeetingSection.objects.exists()


def test_a_meeting_with_ballots_is_not_deleted(client_bob, meeting):
    Ballot.objects.create(
        meeting=meeting,
        award_form=AwardForm.objects.get(code="co-thi-dua-tinh"),
        quota=1,
        threshold_percent=50,
        members_total=2,
        present=2,
    )
    response = client_bob.post(reverse("clusters:meeting_delete", args=[meeting.pk]))
    assertRedirects(response, meeting.get_absolute_url())
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_meeting_delete_refuses_get(client_bob, meeting):
    assert client_bob.get(reverse("clusters:meeting_delete", args=[meeting.pk])).status_code == 405


# --- Query counts ------------------------------------------------------------------


def _grow(meeting, term, province, count):
    units = [make_unit(province) for _ in range(count)]
    for unit in units:
        Membership.objects.create(cluster_year=term, unit=unit)
    meeting_services.meeting_save(meeting=meeting, user=None)
    meeting_services.attendance_save(
        meeting=meeting, rows={u.pk: (True, f"Đại biểu {u.name}") for u in units}, user=None
    )
    for n in range(count):
        meeting_services.section_save(
            section=MeetingSection(meeting=meeting, kind="other", title=f"Mục {n}"), user=None
        )
        meeting_services.commendation_save(
            commendation=MeetingCommendation(
                meeting=meeting,
                recipient_name=f"Cá nhân {n}",
                recipient_unit=units[n],
                form="Giấy khen",
                issuer="Chủ tịch UBND huyện",
            ),
            user=None,
        )


def test_meeting_page_queries_do_not_grow(
    client_bob, term3, province, meeting, django_assert_num_queries
):
    _grow(meeting, term3, province, 3)
    with django_assert_num_queries(14) as few:
        client_bob.get(meeting.get_absolute_url())
    _grow(meeting, term3, province, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        client_bob.get(meeting.get_absolute_url())


def test_meeting_list_queries_do_not_grow(
    client_bob, term3, province, meeting, django_assert_num_queries
):
    def add_meetings(count):
        for n in range(count):
            meeting_services.meeting_save(
                meeting=Meeting(
                    cluster_year=term3,
                    kind=Kind.DELIBERATION,
                    date=day(f"{n + 1:02d}/11/2022"),
                    host_unit=term3.head_unit,
                ),
                user=None,
            )

    add_meetings(3)
    with django_assert_num_queries(8) as few:
        client_bob.get(reverse("clusters:meeting_list", args=[term3.pk]))
    add_meetings(10)
    with django_assert_num_queries(len(few.captured_queries)):
        client_bob.get(reverse("clusters:meeting_list", args=[term3.pk]))


def test_attendance_page_queries_do_not_grow(
    client_bob, term3, province, meeting, django_assert_num_queries
):
    url = reverse("clusters:attendance_edit", args=[meeting.pk])
    with django_assert_num_queries(6) as few:
        client_bob.get(url)
    _grow(meeting, term3, province, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        client_bob.get(url)


# --- Demo --------------------------------------------------------------------------


def test_demo_records_the_six_month_review_of_the_source():
    demo.load()
    dong_thap = Province.objects.get(name="Đồng Tháp")
    demo_meetings.load(dong_thap)
    counts = [m.objects.count() for m in (Meeting, Attendance, MeetingSection, MeetingCommendation)]
    demo_meetings.load(dong_thap)
    assert [
        m.objects.count() for m in (Meeting, Attendance, MeetingSection, MeetingCommendation)
    ] == counts

    review = Meeting.objects.get(kind=Kind.SIX_MONTH_REVIEW, date=day("26/07/2022"))
    assert review.cluster_year.cluster.name == "Cụm thi đua số 3"
    assert not review.illustrative
    assert review.host_unit.name == "Huyện Tân Hồng"
    rows = list(review.attendance.select_related("unit"))
    assert {r.unit.name for r in rows} == {
        "Huyện Tân Hồng",
        "Huyện Hồng Ngự",
        "Huyện Tam Nông",
        "Huyện Thanh Bình",
    }
    assert all(r.present and "minh họa" in r.delegates for r in rows)
    kinds = list(review.sections.values_list("kind", flat=True))
    assert kinds.index("results") < kinds.index("limitations") < kinds.index("conclusions")
    assert "Chiều ngày 26/7/2022" in review.sections.first().body
    commended = list(review.commendations.all())
    assert len(commended) == 4
    assert all("minh họa" in c.recipient_name and "minh họa" in c.issuer for c in commended)
    assert all(meeting_services.issuer_problem(c.issuer) is None for c in commended)
    assert meeting_services.meeting_quorum(review).reached

    others = Meeting.objects.exclude(pk=review.pk)
    # The deliberation meeting comes from the ballots' demo.
    assert {m.kind for m in others} == {
        Kind.COVENANT_SIGNING,
        Kind.ANNUAL_REVIEW,
        Kind.DELIBERATION,
    }
    assert all(m.illustrative for m in others)
