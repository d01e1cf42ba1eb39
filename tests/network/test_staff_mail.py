"""The secretariat's mail page: every notice with its waiting, sent and failed mail, and retries.

Mail is queued through the portal's own services (``notify_member``, ``send_email``) and delivered
by the outbox's sender (``outbox_send_due``) to a real SMTP server (``smtp_sink``), which refuses
the addresses a test names with "550 5.1.1 mailbox unavailable" (an unknown mailbox).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casm.outbox.models import Message, Notice
from casm.outbox.services.delivery import outbox_send_due
from casm.testing import free_port
from network.services.members import member_save
from network.services.notify import notify_member, send_email
from tests.network.factories import MemberFactory
from tests.network.staff_factories import assert_staff_only

pytestmark = pytest.mark.django_db

SENT, PENDING, FAILED = Message.Status.SENT, Message.Status.PENDING, Message.Status.FAILED
MEMBERSHIP_MAIL = "Membership decisions and questions to applicants"
INVITATIONS = "Invitations to join the network"


def _tell(members, *, scope: str = "") -> None:
    """Queue the "a question about your application" mail to each member, under one notice."""
    for member in members:
        notify_member(
            member,
            template="network/email/information_requested",
            context={"membership": member.membership},
            kind="network.membership",
            scope=scope,
        )


def _invite(addresses) -> None:
    for address in addresses:
        send_email(
            to=address,
            template="network/email/invitation",
            context={
                "member": {"full_name": "A. Person"},
                "link": "https://portal.example.org/invite/x/",
                "expires_at": timezone.now(),
            },
            kind="network.invitation",
        )


def _deliver():
    report, more = outbox_send_due()
    assert not more
    return report


def _notice(kind: str) -> Notice:
    return Notice.objects.get(kind=kind)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _row(page: str, text: str) -> str:
    """The table row of ``page`` that contains ``text``."""
    (row,) = [row for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S) if text in row]
    return row


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def _statuses(notice) -> dict[str, str]:
    return dict(Message.objects.filter(notice=notice).values_list("to", "status"))


@pytest.fixture
def bounced(smtp_sink):
    """A notice to three members, one of whose mailbox does not exist: 2 sent, 1 failed."""
    bouncing, *fine = [MemberFactory() for _ in range(3)]
    smtp_sink.refuse_recipients.add(bouncing.email)
    _tell([bouncing, *fine])
    _deliver()
    return bouncing, fine, _notice("network.membership")


# ---------------------------------------------------------------- the list of notices


def test_the_list_shows_each_notice_with_its_waiting_sent_and_failed_mail(staff_client, bounced):
    _invite(["new.one@example.org", "new.two@example.org"])  # queued, not delivered yet

    response = staff_client.get(reverse("network:staff_mail"))

    assert response.status_code == 200
    page = response.content.decode()
    counts = {str(n): (n.pending, n.sent, n.failed) for n in response.context["page"]}
    assert counts == {MEMBERSHIP_MAIL: (0, 2, 1), INVITATIONS: (2, 0, 0)}
    membership = _cells(_row(page, MEMBERSHIP_MAIL))
    assert membership[0] == MEMBERSHIP_MAIL and membership[2:5] == ["0", "2", "1"]
    assert membership[5] != "—"  # last sent
    invitations = _cells(_row(page, INVITATIONS))
    assert invitations[2:5] == ["2", "0", "0"] and invitations[5] == "—"
    notice = bounced[2]
    assert reverse("network:staff_mail_notice", args=[notice.pk]) in page
    assert reverse("network:staff_mail") in page  # in the staff menu


def test_the_list_says_when_no_mail_was_sent_yet(staff_client):
    response = staff_client.get(reverse("network:staff_mail"))

    assert "No mail has been sent yet." in response.content.decode()


def test_the_list_queries_are_the_same_for_1_and_30_notices(
    staff_client, smtp_sink, django_assert_max_num_queries
):
    """Three: the user (with their groups and second factor, the session being cached); the
    paginator's count and one page of notices with their counts aggregated by the database —
    whatever the number of notices and of their messages."""
    members = [MemberFactory() for _ in range(3)]
    smtp_sink.refuse_recipients.add(members[0].email)
    _tell(members, scope="0")
    _deliver()
    url = reverse("network:staff_mail")
    staff_client.get(url)  # warm the session

    with django_assert_max_num_queries(3) as one:
        assert staff_client.get(url).status_code == 200
    for scope in range(1, 15):
        _tell(members, scope=str(scope))
    _deliver()  # fifteen notices delivered (two sent, one failed each); fifteen more waiting
    for scope in range(15, 30):
        _tell(members, scope=str(scope))
    with django_assert_max_num_queries(len(one)) as thirty:
        response = staff_client.get(url)

    assert len(response.context["page"]) == 30
    assert len(thirty) == len(one)
    assert {(n.pending, n.sent, n.failed) for n in response.context["page"]} == {(0, 2, 1), (3, 0, 0)}


# ---------------------------------------------------------------- one notice


def test_the_notice_page_lists_the_failed_addresses_with_the_servers_reason(staff_client, bounced):
    bouncing, fine, notice = bounced

    response = staff_client.get(reverse("network:staff_mail_notice", args=[notice.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{MEMBERSHIP_MAIL}</h1>" in page
    row = _row(page, bouncing.email)
    assert f"550 5.1.1 mailbox unavailable ({escape(bouncing.email)})" in row
    failed = Message.objects.get(notice=notice, status=FAILED)
    assert f'name="message" value="{failed.pk}"' in row
    for member in fine:
        assert member.email not in page  # sent: not among the failed
    assert "Send the chosen mail again" in page and "Send all failed mail again" in page
    assert (response.context["notice"].pending, response.context["notice"].sent) == (0, 2)


def test_the_notice_page_shows_mail_waiting_after_a_transient_failure(staff_client, settings):
    """The mail server could not be reached: the mail waits for another attempt, with the reason."""
    member = MemberFactory()
    _tell([member])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there

    report = _deliver()

    assert (report.sent, report.failed, report.deferred) == (0, 0, 1)
    notice = _notice("network.membership")
    page = staff_client.get(reverse("network:staff_mail_notice", args=[notice.pk])).content.decode()
    assert "Waiting for another attempt" in page
    assert "ConnectionRefusedError" in _row(page, escape(member.email))
    assert "No mail of this notice has failed." in page


def test_the_notice_page_queries_do_not_grow_with_failed_mail(
    staff_client, smtp_sink, django_assert_max_num_queries
):
    """Five: the user; the notice with its counts; the failed mail's count and page; the mail
    waiting for another attempt — with 1 failed message as with 20."""
    members = [MemberFactory() for _ in range(21)]
    smtp_sink.refuse_recipients.add(members[0].email)
    _tell(members[:2])
    _deliver()
    url = reverse("network:staff_mail_notice", args=[_notice("network.membership").pk])
    staff_client.get(url)

    with django_assert_max_num_queries(5) as one:
        assert staff_client.get(url).status_code == 200
    smtp_sink.refuse_recipients.update(m.email for m in members[2:])
    _tell(members[2:])
    _deliver()
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(url)

    assert response.context["failed"].paginator.count == 20


def test_an_unknown_notice_is_404(staff_client):
    assert staff_client.get(reverse("network:staff_mail_notice", args=[999999])).status_code == 404
    assert (
        staff_client.post(reverse("network:staff_mail_retry", args=[999999]), {"scope": "all"}).status_code
        == 404
    )


# ---------------------------------------------------------------- sending failed mail again


def test_send_all_failed_mail_again_goes_to_the_corrected_address(staff_client, staff_user, smtp_sink):
    members = [MemberFactory() for _ in range(3)]
    corrected, still_wrong, fine = members
    smtp_sink.refuse_recipients.update([corrected.email, still_wrong.email])
    old_address = corrected.email
    _tell(members)
    _deliver()
    notice = _notice("network.membership")
    failed_ids = sorted(Message.objects.filter(notice=notice, status=FAILED).values_list("pk", flat=True))
    # Staff correct one address on the member's record.
    corrected.email = "corrected@example.org"
    member_save(member=corrected, actor=staff_user, reason="Address corrected")

    response = staff_client.post(
        reverse("network:staff_mail_retry", args=[notice.pk]), {"scope": "all"}, follow=True
    )

    assert response.redirect_chain == [(reverse("network:staff_mail_notice", args=[notice.pk]), 302)]
    assert "2 messages are back in the outbox and will be sent again." in _messages(response)
    assert _statuses(notice) == {
        "corrected@example.org": PENDING,
        still_wrong.email: PENDING,
        fine.email: SENT,
    }
    assert old_address not in _statuses(notice)
    # The same messages go again (same Message-ID), not new ones.
    assert (
        sorted(Message.objects.filter(notice=notice, status=PENDING).values_list("pk", flat=True))
        == failed_ids
    )

    report = _deliver()

    assert (report.sent, report.failed) == (1, 1)
    smtp_sink.wait_for("corrected@example.org", "question about your application")
    assert _statuses(notice) == {"corrected@example.org": SENT, still_wrong.email: FAILED, fine.email: SENT}
    page = staff_client.get(reverse("network:staff_mail_notice", args=[notice.pk])).content.decode()
    assert still_wrong.email in page and "corrected@example.org" not in page


def test_send_the_chosen_mail_again_sends_only_the_ticked_messages(staff_client, smtp_sink):
    chosen, other = [MemberFactory() for _ in range(2)]
    smtp_sink.refuse_recipients.update([chosen.email, other.email])
    _tell([chosen, other])
    _deliver()
    notice = _notice("network.membership")
    ticked = Message.objects.get(notice=notice, to=chosen.email)
    smtp_sink.refuse_recipients.discard(chosen.email)  # the mailbox exists again

    response = staff_client.post(
        reverse("network:staff_mail_retry", args=[notice.pk]),
        {"scope": "chosen", "message": [ticked.pk]},
        follow=True,
    )

    assert "1 message is back in the outbox and will be sent again." in _messages(response)
    assert _statuses(notice) == {chosen.email: PENDING, other.email: FAILED}
    assert _deliver().sent == 1
    smtp_sink.wait_for(chosen.email)
    assert _statuses(notice) == {chosen.email: SENT, other.email: FAILED}


def test_choosing_the_chosen_mail_with_nothing_ticked_says_so_and_changes_nothing(staff_client, bounced):
    _bouncing, _fine, notice = bounced
    before = list(Message.objects.order_by("pk").values())

    response = staff_client.post(
        reverse("network:staff_mail_retry", args=[notice.pk]), {"scope": "chosen"}, follow=True
    )

    assert response.status_code == 200
    assert _messages(response) == [
        "Nothing was changed: Tick the messages to send again, or choose “Send all failed mail again”."
    ]
    assert list(Message.objects.order_by("pk").values()) == before


def test_a_message_of_another_notice_posted_is_ignored(staff_client, smtp_sink):
    smtp_sink.refuse_recipients.update(["gone@example.org", "away@example.org"])
    _invite(["gone@example.org"])
    member = MemberFactory(email="away@example.org")
    _tell([member])
    _deliver()
    invitations, membership = _notice("network.invitation"), _notice("network.membership")
    foreign = Message.objects.get(notice=invitations)
    own = Message.objects.get(notice=membership)
    url = reverse("network:staff_mail_retry", args=[membership.pk])

    response = staff_client.post(url, {"scope": "chosen", "message": [foreign.pk]}, follow=True)

    assert _messages(response) == ["No failed message was chosen: nothing was sent again."]
    assert (_statuses(invitations), _statuses(membership)) == (
        {"gone@example.org": FAILED},
        {"away@example.org": FAILED},
    )

    response = staff_client.post(url, {"scope": "chosen", "message": [foreign.pk, own.pk]}, follow=True)

    assert "1 message is back in the outbox and will be sent again." in _messages(response)
    assert (_statuses(invitations), _statuses(membership)) == (
        {"gone@example.org": FAILED},
        {"away@example.org": PENDING},
    )


def test_a_malformed_choice_changes_nothing(staff_client, bounced):
    _bouncing, _fine, notice = bounced
    before = list(Message.objects.order_by("pk").values())

    response = staff_client.post(
        reverse("network:staff_mail_retry", args=[notice.pk]),
        {"scope": "chosen", "message": ["1; DROP TABLE"]},
        follow=True,
    )

    assert response.status_code == 200
    assert _messages(response)[0].startswith("Nothing was changed:")
    assert list(Message.objects.order_by("pk").values()) == before


# ---------------------------------------------------------------- who may


def test_the_mail_pages_are_for_staff_with_mfa_and_refused_retries_change_nothing(role_clients, bounced):
    _bouncing, _fine, notice = bounced
    before = list(Message.objects.order_by("pk").values())

    assert_staff_only(role_clients, "get", reverse("network:staff_mail"))
    assert_staff_only(role_clients, "get", reverse("network:staff_mail_notice", args=[notice.pk]))
    assert_staff_only(
        role_clients, "post", reverse("network:staff_mail_retry", args=[notice.pk]), {"scope": "all"}
    )

    assert list(Message.objects.order_by("pk").values()) == before


def test_the_retry_is_a_post(staff_client, bounced):
    notice = bounced[2]

    assert staff_client.get(reverse("network:staff_mail_retry", args=[notice.pk])).status_code == 405
    assert Message.objects.filter(notice=notice, status=FAILED).count() == 1


# ---------------------------------------------------------------- the member's record


def _member_page(client, member) -> str:
    response = client.get(reverse("network:staff_member_detail", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_member_record_flags_an_address_that_bounces_with_the_reason(staff_client, bounced):
    bouncing, fine, notice = bounced

    page = _member_page(staff_client, bouncing)

    assert "Mail bounces" in page
    assert f"550 5.1.1 mailbox unavailable ({escape(bouncing.email)})" in page
    assert reverse("network:staff_mail_notice", args=[notice.pk]) in page
    assert "Mail bounces" not in _member_page(staff_client, fine[0])


def test_the_flag_goes_once_staff_correct_the_address(staff_client, staff_user, bounced):
    bouncing, _fine, _notice_ = bounced

    bouncing.email = "corrected@example.org"
    member_save(member=bouncing, actor=staff_user, reason="Address corrected")

    assert "Mail bounces" not in _member_page(staff_client, bouncing)


def test_the_flag_goes_once_a_later_mail_to_the_address_is_accepted(staff_client, smtp_sink, bounced):
    bouncing, _fine, _notice_ = bounced
    smtp_sink.refuse_recipients.discard(bouncing.email)  # the mailbox was set up again

    notify_member(
        bouncing,
        template="network/email/membership_approved",
        context={"membership": bouncing.membership},
        kind="network.membership",
        scope="later",
    )
    assert "Mail bounces" in _member_page(staff_client, bouncing)  # queued is not accepted
    _deliver()

    assert "Mail bounces" not in _member_page(staff_client, bouncing)


def test_the_flag_comes_back_when_the_address_bounces_after_a_mail_was_accepted(
    staff_client, staff_user, smtp_sink, bounced
):
    """The address's LAST outcome decides, not the order the messages were written in."""
    bouncing, _fine, notice = bounced
    smtp_sink.refuse_recipients.discard(bouncing.email)
    notify_member(
        bouncing,
        template="network/email/membership_approved",
        context={"membership": bouncing.membership},
        kind="network.membership",
        scope="later",
    )
    _deliver()  # the later mail is accepted: no flag
    assert "Mail bounces" not in _member_page(staff_client, bouncing)

    smtp_sink.refuse_recipients.add(bouncing.email)  # the mailbox is gone again
    response = staff_client.post(reverse("network:staff_mail_retry", args=[notice.pk]), {"scope": "all"})
    assert response.status_code == 302
    _deliver()  # the first notice's mail, sent again, is refused again

    page = _member_page(staff_client, bouncing)
    assert "Mail bounces" in page
    assert reverse("network:staff_mail_notice", args=[notice.pk]) in page
