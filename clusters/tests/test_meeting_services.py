import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusters import meeting_services
from clusters.meeting_services import (
    MeetingError,
    chair_problem,
    date_allowed,
    is_delegate,
    issuer_problem,
    membership_day,
)
from clusters.models import (
    Attendance,
    AwardForm,
    Ballot,
    Meeting,
    MeetingSection,
    Membership,
    RuleSet,
)
from clusters.tests.factories import day, make_unit

Kind = Meeting.Kind


# --- Pure rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, text, allowed",
    [
        (Kind.SIX_MONTH_REVIEW, "01/01/2022", True),
        (Kind.SIX_MONTH_REVIEW, "31/12/2022", True),
        (Kind.SIX_MONTH_REVIEW, "01/01/2023", False),
        (Kind.DELIBERATION, "15/01/2023", False),
        (Kind.ANNUAL_REVIEW, "31/03/2023", True),
        (Kind.ANNUAL_REVIEW, "01/04/2023", False),
        (Kind.COVENANT_SIGNING, "31/03/2023", True),
        (Kind.COVENANT_SIGNING, "31/12/2021", False),
        (Kind.ANNUAL_REVIEW, "15/01/2024", False),
    ],
)
def test_date_allowed(kind, text, allowed):
    assert date_allowed(kind, day(text), 2022) is allowed


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_kind_may_meet_on_any_day_of_its_year(when):
    assert all(date_allowed(kind, when, when.year) for kind in Kind.values)


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.integers(min_value=0, max_value=2),
)
def test_membership_day_is_the_day_or_the_last_day_of_the_year(when, years_before):
    year = when.year - years_before
    counted = membership_day(when, year)
    assert counted == (when if years_before == 0 else datetime.date(year, 12, 31))


@pytest.mark.parametrize(
    "name, delegates, found",
    [
        ("Nguyễn Văn An", ["Ông Nguyễn Văn An, Chủ tịch UBND huyện"], True),
        ("nguyen  van an", ["Nguyễn Văn An - Chủ tịch"], True),
        ("NGUYỄN VĂN AN", ["Trần Thị Bình, Phó Chủ tịch\nNguyễn Văn An, Chủ tịch"], True),
        ("Nguyễn Văn An", ["Nguyễn Văn Anh, Chủ tịch"], False),
        ("Nguyễn Văn An", ["Trần Thị Bình, Phó Chủ tịch"], False),
        ("Đỗ Đức", ["do duc, Chánh Văn phòng"], True),
    ],
)
def test_is_delegate_compares_folded_whole_words(name, delegates, found):
    assert is_delegate(name, delegates) is found


def test_chair_is_checked_only_once_delegates_exist():
    assert chair_problem("Nguyễn Văn An", []) is None
    assert chair_problem("Nguyễn Văn An", ["", "  "]) is None
    assert chair_problem("", ["Trần Thị Bình"]) is None
    assert chair_problem("Nguyễn Văn An", ["Trần Thị Bình"])


@pytest.mark.parametrize(
    "issuer, refused",
    [
        ("Cụm thi đua số 3", True),
        ("CỤM THI ĐUA SỐ 3 - TỈNH ĐỒNG THÁP", True),
        ("  cum   thi dua so 3", True),
        ("Khối thi đua Văn hóa - Xã hội", True),
        ("Chủ tịch UBND huyện Tân Hồng", False),
        ("Chủ tịch UBND tỉnh (theo đề nghị của Cụm thi đua số 3)", False),
    ],
)
def test_a_cluster_or_bloc_cannot_issue_a_commendation(issuer, refused):
    assert bool(issuer_problem(issuer)) is refused


# --- With the database -------------------------------------------------------------


def _meeting(term, **fields) -> Meeting:
    data = {"kind": Kind.SIX_MONTH_REVIEW, "date": day("26/07/2022")}
    data.update(fields)
    return meeting_services.meeting_save(meeting=Meeting(cluster_year=term, **data), user=None)


@pytest.mark.django_db
def test_a_new_meeting_records_every_member_on_the_date_as_present(term3, province):
    left = make_unit(province, name="Tam Nông")
    Membership.objects.create(cluster_year=term3, unit=left, valid_to=day("30/06/2022"))
    meeting = _meeting(term3)
    rows = Attendance.objects.filter(meeting=meeting)
    assert {row.unit.name for row in rows} == {"Tân Hồng", "Hồng Ngự"}
    assert all(row.present for row in rows)


@pytest.mark.django_db
def test_a_late_annual_review_counts_the_members_at_the_end_of_the_year(term3, province):
    left = make_unit(province, name="Tam Nông")
    Membership.objects.create(cluster_year=term3, unit=left, valid_to=day("30/11/2022"))
    meeting = _meeting(term3, kind=Kind.ANNUAL_REVIEW, date=day("20/01/2023"))
    assert meeting.attendance.count() == 2


@pytest.mark.django_db
def test_moving_the_date_follows_the_membership(term3, province):
    joined = make_unit(province, name="Thanh Bình")
    Membership.objects.create(cluster_year=term3, unit=joined, valid_from=day("01/07/2022"))
    meeting = _meeting(term3, date=day("20/06/2022"))
    assert meeting.attendance.count() == 2
    meeting.date = day("26/07/2022")
    meeting_services.meeting_save(meeting=meeting, user=None)
    assert meeting.attendance.count() == 3
    meeting.date = day("20/06/2022")
    meeting_services.meeting_save(meeting=meeting, user=None)
    assert not meeting.attendance.filter(unit=joined).exists()


@pytest.mark.django_db
def test_meeting_save_refuses_what_the_form_would(term3, term4):
    stranger = term4.memberships.get().unit
    with pytest.raises(MeetingError) as error:
        _meeting(term3, host_unit=stranger)
    assert error.value.field == "host_unit"
    with pytest.raises(MeetingError) as error:
        _meeting(term3, date=day("01/01/2023"))
    assert error.value.field == "date"
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_attendance_refuses_a_unit_that_is_not_a_member(term3, term4, tan_hong):
    meeting = _meeting(term3)
    stranger = term4.memberships.get().unit
    with pytest.raises(MeetingError):
        meeting_services.attendance_save(
            meeting=meeting, rows={tan_hong.pk: (True, "A"), stranger.pk: (True, "B")}, user=None
        )
    assert not Attendance.objects.filter(unit=stranger).exists()
    assert meeting.attendance.get(unit=tan_hong).delegates == ""


@pytest.mark.django_db
def test_attendance_keeps_the_rows_it_was_not_given(term3, tan_hong, hong_ngu):
    meeting = _meeting(term3)
    meeting_services.attendance_save(meeting=meeting, rows={hong_ngu.pk: (False, "")}, user=None)
    meeting_services.attendance_save(meeting=meeting, rows={tan_hong.pk: (True, "A")}, user=None)
    assert meeting.attendance.get(unit=hong_ngu).present is False


@pytest.mark.django_db
def test_the_chair_of_an_absent_unit_is_not_a_delegate(term3, tan_hong, hong_ngu):
    meeting = _meeting(term3, chair_name="Nguyễn Văn An")
    with pytest.raises(MeetingError):
        meeting_services.attendance_save(
            meeting=meeting,
            rows={tan_hong.pk: (False, "Nguyễn Văn An"), hong_ngu.pk: (True, "Trần Thị Bình")},
            user=None,
        )


@pytest.mark.django_db
def test_quorum_comes_from_the_rules_of_the_year(term3, province, tan_hong, hong_ngu):
    meeting = _meeting(term3)
    meeting_services.attendance_save(meeting=meeting, rows={hong_ngu.pk: (False, "")}, user=None)
    quorum = meeting_services.meeting_quorum(meeting)
    assert (quorum.present, quorum.total, quorum.percent) == (1, 2, Decimal("66.67"))
    assert not quorum.reached
    RuleSet.objects.create(province=province, year=2022, quorum_percent=50)
    assert meeting_services.meeting_quorum(meeting).reached


@pytest.mark.django_db
def test_sections_are_appended_and_moved_one_step(term3):
    meeting = _meeting(term3)
    sections = [
        meeting_services.section_save(
            section=MeetingSection(meeting=meeting, kind=MeetingSection.Kind.OTHER, title=t),
            user=None,
        )
        for t in "ABC"
    ]
    assert [s.position for s in sections] == [0, 1, 2]
    assert meeting_services.section_move(section=sections[2], up=True, user=None)
    assert [s.title for s in meeting.sections.all()] == ["A", "C", "B"]
    assert not meeting_services.section_move(section=sections[0], up=True, user=None)
    assert meeting_services.section_move(section=sections[0], up=False, user=None)
    assert [s.title for s in meeting.sections.all()] == ["C", "A", "B"]


@pytest.mark.django_db
def test_a_meeting_with_ballots_cannot_be_deleted(term3):
    meeting = _meeting(term3, kind=Kind.DELIBERATION, date=day("10/12/2022"))
    Ballot.objects.create(
        meeting=meeting,
        award_form=AwardForm.objects.get(code="co-thi-dua-tinh"),
        quota=1,
        threshold_percent=50,
        members_total=2,
        present=2,
    )
    with pytest.raises(MeetingError):
        meeting_services.meeting_delete(meeting=meeting, user=None)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
