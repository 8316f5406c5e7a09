"""Notifications: the service that creates and e-mails them, deadline reminders sent
once, the notice of a proposal returned for completion, and the user's own list."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import notification_services
from clusters.models import Notification, Proposal, RoleAssignment, RuleSet
from clusters.tests.decision_factories import FLAG, make_proposal
from clusters.tests.factories import make_user

Kind = Notification.Kind
Role = RoleAssignment.Role

pytestmark = pytest.mark.django_db


def _remind(today: str, *args) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", today, *args, stdout=out)
    return out.getvalue()


def _notices(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", "key"))


@pytest.fixture
def head(province, term3):
    return make_user(
        "hana",
        {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3},
        email="hana@example.vn",
    )


@pytest.fixture
def rules(province):
    # On 10/12/2022 the six-month review (31/07) and the agreed scores are late, and the
    # proposal is due in five days.
    return RuleSet.objects.create(
        province=province,
        year=2022,
        agreed_score_deadline=datetime.date(2022, 12, 1),
        proposal_deadline=datetime.date(2022, 12, 15),
    )


# --- The service ------------------------------------------------------------------


def test_notify_gives_a_keyed_notice_once_per_user(alice, leo):
    first = notification_services.notify(
        users=[alice, leo], kind=Kind.DEADLINE_SOON, title="Hạn", key="k1"
    )
    again = notification_services.notify(
        users=[alice, leo], kind=Kind.DEADLINE_SOON, title="Hạn", key="k1"
    )
    assert len(first) == 2
    assert again == []
    assert Notification.objects.filter(key="k1").count() == 2


def test_notify_without_key_repeats_and_skips_inactive_users(alice, leo):
    leo.is_active = False
    leo.save(update_fields=["is_active"])
    for _ in range(2):
        notification_services.notify(users=[alice, leo], kind=Kind.RETURNED, title="Trả lại")
    assert Notification.objects.filter(user=alice).count() == 2
    assert not Notification.objects.filter(user=leo).exists()


def test_notify_emails_users_with_an_address_after_commit(
    alice, leo, django_capture_on_commit_callbacks
):
    alice.email = "alice@example.vn"
    alice.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.notify(
            users=[alice, leo], kind=Kind.RETURNED, title="Tiêu đề", message="Nội dung", url="/x/"
        )
    (email,) = mail.outbox
    assert email.to == ["alice@example.vn"]
    assert email.subject == "Tiêu đề"
    assert email.body.startswith("Nội dung\n\n") and email.body.endswith("/x/")


def test_a_failing_mail_server_does_not_lose_the_notice(
    alice, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens there
    alice.email = "alice@example.vn"
    alice.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.notify(users=[alice], kind=Kind.RETURNED, title="Tiêu đề")
    assert Notification.objects.filter(user=alice).count() == 1
    assert "Could not e-mail" in caplog.text


# --- Deadline reminders -------------------------------------------------------------


def test_reminders_reach_the_head_and_secretary_once(
    bob, head, charlie, rules, term3, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = _remind("10/12/2022")
    expected = [
        (Kind.DEADLINE_MISSED, f"deadline:{term3.pk}:scores:2022-12-01:deadline_missed"),
        (Kind.DEADLINE_MISSED, f"deadline:{term3.pk}:six_month:2022-07-31:deadline_missed"),
        (Kind.DEADLINE_SOON, f"deadline:{term3.pk}:proposal:2022-12-15:deadline_soon"),
    ]
    assert _notices(bob) == _notices(head) == sorted(expected)
    # Charlie's cluster 4 has the same deadlines, and only its own reminders.
    assert {key.split(":")[1] for _kind, key in _notices(charlie)} == {
        str(charlie.roles.get().cluster_year_id)
    }
    # The head has an address: three e-mails, one per notice.
    assert [m.to for m in mail.outbox] == [["hana@example.vn"]] * 3
    assert output.startswith("9 notification(s)")

    # Run again the same day, or the next: nothing new.
    assert _remind("10/12/2022").startswith("0 ")
    assert _remind("11/12/2022").startswith("0 ")
    assert Notification.objects.filter(user=bob).count() == 3


def test_reminders_wait_until_the_deadline_is_near(bob, rules, term3):
    _remind("01/12/2022", "--days", "7")
    keys = [key for _kind, key in _notices(bob)]
    assert not any(":proposal:" in key for key in keys)
    _remind("08/12/2022", "--days", "7")
    assert any(":proposal:" in key for _kind, key in _notices(bob))


def test_a_changed_deadline_is_reminded_again(bob, rules, term3):
    _remind("10/12/2022")
    rules.proposal_deadline = datetime.date(2022, 12, 20)
    rules.save(update_fields=["proposal_deadline"])
    _remind("15/12/2022")
    keys = [key for _kind, key in _notices(bob) if ":proposal:" in key]
    assert keys == [
        f"deadline:{term3.pk}:proposal:2022-12-15:deadline_soon",
        f"deadline:{term3.pk}:proposal:2022-12-20:deadline_soon",
    ]


def test_staff_are_reminded_of_proposals_to_appraise(alice, eve, bob, term3, tan_hong):
    proposal = make_proposal(term3, [(tan_hong, FLAG)])
    _remind("10/12/2022")
    _remind("11/12/2022")
    (notice,) = Notification.objects.filter(user=alice)
    assert notice.kind == Kind.TO_APPRAISE
    assert notice.url == reverse("clusters:appraisal_detail", args=[proposal.pk])
    assert "Cụm thi đua số 3" in notice.title
    # Staff of another province and the cluster's secretary get no such reminder.
    assert not Notification.objects.filter(user=eve).exists()
    assert not Notification.objects.filter(user=bob, kind=Kind.TO_APPRAISE).exists()


def test_done_steps_are_not_reminded(bob, rules, term3, tan_hong):
    make_proposal(term3, [(tan_hong, FLAG)], submitted_on=datetime.date(2022, 12, 9))
    _remind("10/12/2022")
    assert not any(":proposal:" in key for _kind, key in _notices(bob))


def test_reminder_command_refuses_a_bad_day(db):
    with pytest.raises(Exception, match="dd/mm/yyyy"):
        _remind("2022-12-10")


# --- Returned for completion --------------------------------------------------------


def test_returning_a_proposal_tells_the_head_and_secretary_by_notice_and_email(
    client_alice, bob, head, charlie, term3, tan_hong, django_capture_on_commit_callbacks
):
    proposal = make_proposal(term3, [(tan_hong, FLAG)])
    url = reverse("clusters:appraisal_detail", args=[proposal.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_alice.post(
            url, {"return": "1", "return-reason": "Bổ sung biên bản kiểm phiếu"}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.RETURNED
    for user in (bob, head):
        (notice,) = Notification.objects.filter(user=user)
        assert notice.kind == Kind.RETURNED
        assert notice.url == proposal.get_absolute_url()
        assert "Bổ sung biên bản kiểm phiếu" in notice.message
    assert not Notification.objects.filter(user=charlie).exists()
    (email,) = mail.outbox
    assert email.to == ["hana@example.vn"]
    assert "Bổ sung biên bản kiểm phiếu" in email.body
    assert email.body.endswith(proposal.get_absolute_url())


# --- The user's list ------------------------------------------------------------------


def _notice(user, **fields) -> Notification:
    data = {"kind": Kind.DEADLINE_SOON, "title": "Sắp đến hạn", "url": "/progress/2022/"}
    data.update(fields)
    return Notification.objects.create(user=user, **data)


def test_list_shows_only_the_users_own_notices(client_bob, bob, charlie):
    _notice(bob, title="Của Bob")
    _notice(charlie, title="Của Charlie")
    response = client_bob.get(reverse("clusters:notification_list"))
    assertContains(response, "Của Bob")
    assertNotContains(response, "Của Charlie")
    assert response.context["unread"] == 1


def test_opening_a_notice_marks_it_read_and_follows_its_link(client_bob, bob):
    notice = _notice(bob)
    response = client_bob.get(reverse("clusters:notification_open", args=[notice.pk]))
    assertRedirects(response, "/progress/2022/", fetch_redirect_response=False)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_link_to_another_site_is_not_followed(client_bob, bob):
    notice = _notice(bob, url="https://example.com/")
    response = client_bob.get(reverse("clusters:notification_open", args=[notice.pk]))
    assertRedirects(response, reverse("clusters:notification_list"))


def test_stranger_gets_404_on_someone_elses_notice(client, charlie, bob):
    notice = _notice(bob)
    client.force_login(charlie)
    for name in ("notification_open", "notification_read"):
        url = reverse(f"clusters:{name}", args=[notice.pk])
        assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_one_and_all_as_read(client_bob, bob):
    first, second, third = (_notice(bob) for _ in range(3))
    client_bob.post(reverse("clusters:notification_read", args=[first.pk]))
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 2
    response = client_bob.post(reverse("clusters:notification_read_all"))
    assertRedirects(response, reverse("clusters:notification_list"))
    assert not Notification.objects.filter(user=bob, read_at__isnull=True).exists()


def test_marking_read_needs_post(client_bob, bob):
    notice = _notice(bob)
    assert (
        client_bob.get(reverse("clusters:notification_read", args=[notice.pk])).status_code == 405
    )
    assert client_bob.get(reverse("clusters:notification_read_all")).status_code == 405


def test_anonymous_is_sent_to_login_and_gets_an_empty_badge(client, db):
    url = reverse("clusters:notification_list")
    assertRedirects(
        client.get(url), f"{reverse('login')}?next={url}", fetch_redirect_response=False
    )
    badge = client.get(reverse("clusters:notification_badge"))
    assert badge.status_code == 200
    assert badge.content.strip() == b""


def test_badge_counts_unread_notices_in_one_query(client_bob, bob, django_assert_num_queries):
    _notice(bob)
    _notice(bob, read_at="2022-12-10T09:00:00+07:00")
    _notice(bob)
    # The session, the user and the count.
    with django_assert_num_queries(3):
        response = client_bob.get(reverse("clusters:notification_badge"))
    assertContains(response, ">2<")


def test_pages_load_the_badge_without_a_query_of_their_own(client_bob, bob):
    response = client_bob.get(reverse("clusters:cluster_list"))
    assertContains(response, f'hx-get="{reverse("clusters:notification_badge")}"')


def test_list_queries_do_not_grow_with_notices(client_bob, bob, django_assert_num_queries):
    _notice(bob)
    url = reverse("clusters:notification_list")
    with django_assert_num_queries(6) as few:
        client_bob.get(url)
    for _ in range(40):
        _notice(bob)
    with django_assert_num_queries(len(few.captured_queries)):
        client_bob.get(url)
