"""Reminders: who is due at which offset, once each, the mail, the stop link, the staff log.

A batch writes its claims (``ReminderSent``) and their outbox messages in one transaction and
sends nothing itself; the outbox's sender (``outbox_send_due``) delivers them. The tests call the
sender directly rather than count on its on-commit wake-up (Celery is not eager in CI).
"""

import datetime
import re

import pytest
from django.core import signing
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casm.celery import app as celery_app
from casm.outbox.models import Message, Notice
from casm.outbox.services.delivery import outbox_send_due
from governance.consultations.models import Consultation, ReminderOptOut, ReminderSent
from governance.consultations.services import reminders
from governance.consultations.tasks import reminders_run_due_task
from governance.consultations.templatetags.consultation_times import format_in_zone
from network.models import Membership
from network.services.mail import mail_retry
from network.services.members import member_save
from tests.governance.consultations.factories import ConsultationFactory, submitted_response
from tests.governance.consultations.reminder_factories import (
    DAY,
    claim,
    grant_extension,
    invited_consultation,
    opt_out,
)
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
SENT, PENDING, FAILED = Message.Status.SENT, Message.Status.PENDING, Message.Status.FAILED


@pytest.fixture
def eager_celery():
    """Tasks run in this process, whatever REDIS_URL says (the worker test covers the real queue)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def due(consultation, now):
    return reminders.reminders_due(consultation=consultation, now=now)


def deliver():
    """What the outbox's sender does: hand every waiting message to the mail server, mark each."""
    report, more = outbox_send_due()
    assert not more
    return report


def send_due(consultation, now):
    """What a batch would do for everyone due at ``now`` (synchronously, no queue)."""
    return reminders.reminders_enqueue(
        consultation=consultation,
        now=now,
        dispatch=lambda cid, offset, ids: reminders.reminder_batch_send(
            consultation_id=cid, offset=offset, member_ids=ids, now=now
        ),
    )


# ---------------------------------------------------------------- who is due


def test_reminders_due_at_seven_days_then_at_one_day_before_the_deadline():
    consultation, (ama, kofi) = invited_consultation(2, closes_in=20 * DAY)
    deadline = consultation.closes_at

    assert due(consultation, deadline - 7 * DAY - SECOND) == []
    assert due(consultation, deadline - 7 * DAY) == [(ama.pk, 7), (kofi.pk, 7)]
    assert send_due(consultation, deadline - 7 * DAY) == 2
    assert due(consultation, deadline - 2 * DAY) == []  # 7 already sent, 1 not yet come
    assert due(consultation, deadline - 1 * DAY) == [(ama.pk, 1), (kofi.pk, 1)]
    assert send_due(consultation, deadline - DAY) == 2
    assert due(consultation, deadline - SECOND) == []


def test_reminders_due_never_at_or_after_the_deadline():
    consultation, _members = invited_consultation(2, closes_in=20 * DAY)

    assert due(consultation, consultation.closes_at - SECOND) != []
    assert due(consultation, consultation.closes_at) == []
    assert due(consultation, consultation.closes_at + DAY) == []


def test_someone_past_both_offsets_gets_only_the_nearest_and_never_the_earlier_one():
    """Joined late (or the consultation was published late): one reminder, the one-day one."""
    consultation, (late,) = invited_consultation(1, closes_in=20 * DAY)
    now = consultation.closes_at - 12 * datetime.timedelta(hours=1)

    assert due(consultation, now) == [(late.pk, 1)]
    send_due(consultation, now)

    assert due(consultation, now + datetime.timedelta(hours=6)) == []
    assert list(ReminderSent.objects.values_list("offset_days", flat=True)) == [1]


def test_a_granted_extension_moves_the_reminders_with_the_personal_deadline():
    consultation, (regular, extended) = invited_consultation(2, closes_in=20 * DAY)
    personal = consultation.closes_at + 10 * DAY
    grant_extension(consultation, extended, personal)

    assert due(consultation, consultation.closes_at - 7 * DAY) == [(regular.pk, 7)]
    assert due(consultation, consultation.closes_at - DAY) == [(regular.pk, 1)]
    # After the general deadline, only the person with more time is reminded, from their own deadline.
    assert due(consultation, personal - 7 * DAY) == [(extended.pk, 7)]
    assert due(consultation, personal - DAY) == [(extended.pk, 1)]
    assert due(consultation, personal) == []


def test_who_submitted_stopped_reminders_or_left_the_audience_is_not_reminded():
    consultation, (waiting, submitted, stopped, suspended) = invited_consultation(4, closes_in=20 * DAY)
    submitted_response(consultation, submitted)
    opt_out(consultation, stopped)
    Membership.objects.filter(member=suspended).update(status=Membership.Status.SUSPENDED)
    outsider = MemberFactory()  # active, but not invited

    assert due(consultation, consultation.closes_at - DAY) == [(waiting.pk, 1)]
    assert outsider.pk not in {pk for pk, _offset in due(consultation, consultation.closes_at - DAY)}


def test_a_draft_is_not_a_submission():
    consultation, (drafting,) = invited_consultation(1, closes_in=20 * DAY)
    response = submitted_response(consultation, drafting)
    response.status = response.Status.DRAFT
    response.save()

    assert due(consultation, consultation.closes_at - DAY) == [(drafting.pk, 1)]


def test_offsets_are_the_ones_staff_set():
    consultation, (member,) = invited_consultation(1, closes_in=20 * DAY, reminder_offsets=[3])

    assert due(consultation, consultation.closes_at - 7 * DAY) == []
    assert due(consultation, consultation.closes_at - 3 * DAY) == [(member.pk, 3)]
    Consultation.objects.filter(pk=consultation.pk).update(reminder_offsets=[])
    consultation.refresh_from_db()
    assert due(consultation, consultation.closes_at - DAY) == []


def test_unpublished_consultation_sends_no_reminders():
    consultation, _members = invited_consultation(1, closes_in=20 * DAY, is_published=False)

    assert due(consultation, consultation.closes_at - DAY) == []


def test_reminders_due_uses_a_fixed_number_of_queries(django_assert_num_queries):
    """Queries: personal deadlines, the audience minus submitted and opted out, the claims."""
    one, _members = invited_consultation(1, closes_in=20 * DAY)
    many, members = invited_consultation(30, closes_in=20 * DAY)
    claim(many, members[0], 1)

    with django_assert_num_queries(3):
        assert len(due(one, one.closes_at - DAY)) == 1
    with django_assert_num_queries(3):
        assert len(due(many, many.closes_at - DAY)) == 29
    with django_assert_num_queries(0):  # no offset can have come yet
        assert due(many, many.closes_at - 8 * DAY) == []


# ---------------------------------------------------------------- at most once


def test_enqueueing_twice_sends_one_mail_per_person(eager_celery, mailoutbox):
    consultation, members = invited_consultation(5, closes_in=DAY - datetime.timedelta(hours=1))

    first = reminders.reminders_enqueue(consultation=consultation, batch_size=2)
    second = reminders.reminders_enqueue(consultation=consultation, batch_size=2)

    assert (first, second) == (5, 0)
    assert mailoutbox == []  # the batches queue the mail; the outbox sends it
    assert ReminderSent.objects.filter(message__status=PENDING, offset_days=1).count() == 5
    deliver()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
    assert ReminderSent.objects.filter(message__status=SENT, offset_days=1).count() == 5


def test_a_batch_delivered_twice_queues_one_mail_per_person(mailoutbox):
    """A worker killed after its commit: the broker delivers the same batch again (acks_late)."""
    consultation, members = invited_consultation(3, closes_in=DAY - datetime.timedelta(hours=1))
    ids = [m.pk for m in members]

    queued_first = reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=ids)
    deliver()
    queued_again = reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=ids)
    deliver()

    assert (queued_first, queued_again) == (3, 0)
    assert Message.objects.count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)


def test_a_rolled_back_batch_leaves_neither_claims_nor_mail_and_its_next_delivery_writes_both(mailoutbox):
    """A worker killed before its batch commits: no claim without its mail, nobody wrongly marked reminded."""
    consultation, members = invited_consultation(2, closes_in=DAY - datetime.timedelta(hours=1))
    ids = [m.pk for m in members]

    with pytest.raises(RuntimeError, match="worker killed"), transaction.atomic():
        assert reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=ids) == 2
        raise RuntimeError("worker killed before the commit")

    assert not ReminderSent.objects.exists()
    assert not Message.objects.exists()
    assert due(consultation, timezone.now()) == [(m.pk, 1) for m in members]

    assert reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=ids) == 2
    claims = ReminderSent.objects.select_related("member", "message")
    assert sorted((c.member.email, c.message.to, c.message.status) for c in claims) == sorted(
        (m.email, m.email, PENDING) for m in members
    )
    assert due(consultation, timezone.now()) == []


def test_a_claim_committed_before_its_worker_died_is_not_queued_again_and_its_mail_still_goes(mailoutbox):
    """Claimed and committed, the worker died before the outbox sent the mail: the outbox sends it, once."""
    consultation, (crashed, other) = invited_consultation(2, closes_in=DAY - datetime.timedelta(hours=1))
    left = claim(consultation, crashed, 1, sent=False)
    assert left.message.status == PENDING and left.message.to == crashed.email

    queued = reminders.reminder_batch_send(
        consultation_id=consultation.pk, offset=1, member_ids=[crashed.pk, other.pk]
    )
    deliver()

    assert queued == 1
    assert ReminderSent.objects.filter(member=crashed).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([crashed.email, other.email])
    assert set(Message.objects.values_list("status", flat=True)) == {SENT}
    assert due(consultation, timezone.now()) == []


def test_the_batch_checks_again_right_before_queueing(mailoutbox):
    """Between enqueueing and the batch, one person submitted, one stopped reminders, the deadline passed."""
    consultation, members = invited_consultation(4, closes_in=DAY - datetime.timedelta(hours=1))
    waiting, submitted, stopped, _ = members
    submitted_response(consultation, submitted)
    opt_out(consultation, stopped)
    ids = [m.pk for m in members]

    late = reminders.reminder_batch_send(
        consultation_id=consultation.pk, offset=1, member_ids=ids, now=consultation.closes_at
    )

    assert late == 0
    assert not ReminderSent.objects.exists()
    assert not Message.objects.exists()
    assert not Notice.objects.exists()  # no empty notice on the staff mail page

    on_time = reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=ids)
    deliver()

    assert on_time == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([waiting.email, members[3].email])


def test_a_reminder_the_server_refuses_stays_claimed_with_its_failed_mail_for_staff_to_send_again(
    smtp_sink, staff_user
):
    """A 5xx (unknown mailbox) fails the message with the server's reason; the person is not claimed
    twice; once staff correct the address, the same reminder goes to the new one."""
    consultation, (member,) = invited_consultation(1, closes_in=DAY - datetime.timedelta(hours=1))
    smtp_sink.refuse_recipients.add(member.email)

    queued = reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=[member.pk])
    report = deliver()

    assert queued == 1
    assert (report.sent, report.failed, report.deferred) == (0, 1, 0)
    reminder = ReminderSent.objects.select_related("message").get()
    assert reminder.message.status == FAILED
    assert reminder.message.last_error == f"550 5.1.1 mailbox unavailable ({member.email})"
    assert reminder.message.attempts == 1
    assert smtp_sink.messages == []
    # Claimed: neither the due list nor a batch delivered again takes the person a second time.
    assert due(consultation, timezone.now()) == []
    assert (
        reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=[member.pk]) == 0
    )
    assert deliver().failed == 0  # a failed message is not tried again on its own
    assert ReminderSent.objects.count() == 1 and Message.objects.count() == 1

    member.email = "corrected@example.org"
    member_save(member=member, actor=staff_user, reason="Address corrected")
    assert mail_retry(notice=reminder.message.notice, actor=staff_user) == 1
    assert deliver().sent == 1

    arrived = smtp_sink.wait_for("corrected@example.org", "Reminder")
    assert arrived["Message-ID"] == reminder.message.message_id
    assert "/reminders/stop/" in smtp_sink.body(arrived)
    reminder.message.refresh_from_db()
    assert (reminder.message.status, reminder.message.to, reminder.message.last_error) == (
        SENT,
        "corrected@example.org",
        "",
    )


def test_enqueue_cuts_the_due_list_into_batches():
    consultation, members = invited_consultation(5, closes_in=DAY - datetime.timedelta(hours=1))
    batches = []

    queued = reminders.reminders_enqueue(
        consultation=consultation, batch_size=2, dispatch=lambda *batch: batches.append(batch)
    )

    assert queued == 5
    assert [len(ids) for _cid, _offset, ids in batches] == [2, 2, 1]
    assert {offset for _cid, offset, _ids in batches} == {1}
    assert sorted(pk for *_rest, ids in batches for pk in ids) == sorted(m.pk for m in members)
    assert not ReminderSent.objects.exists()  # queueing claims nothing: the batches do


def test_the_beat_task_reminds_for_open_consultations_only(eager_celery, mailoutbox):
    now = timezone.now()
    open_one, (waiting,) = invited_consultation(1, closes_in=DAY - datetime.timedelta(hours=1))
    closed, (closed_member,) = invited_consultation(1, closes_in=DAY)
    Consultation.objects.filter(pk=closed.pk).update(closes_at=now - DAY)
    extended, (with_more_time,) = invited_consultation(1, closes_in=DAY)
    Consultation.objects.filter(pk=extended.pk).update(closes_at=now - DAY)
    grant_extension(extended, with_more_time, now + 12 * datetime.timedelta(hours=1))
    unpublished, _ = invited_consultation(1, closes_in=DAY - datetime.timedelta(hours=1), is_published=False)
    ConsultationFactory(opens_at=now + DAY, closes_at=now + 2 * DAY)  # not open yet

    queued = reminders_run_due_task.delay().get()
    deliver()

    assert queued == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([waiting.email, with_more_time.email])


# ---------------------------------------------------------------- the mail


def test_the_reminder_names_the_consultation_the_personal_deadline_and_both_links(mailoutbox, settings):
    settings.SITE_URL = "https://portal.example.org"
    consultation, (member,) = invited_consultation(
        1, closes_in=DAY - datetime.timedelta(hours=1), title="CASM options <paper>"
    )
    personal = consultation.closes_at + 3 * DAY
    grant_extension(consultation, member, personal)

    reminders.reminder_batch_send(consultation_id=consultation.pk, offset=7, member_ids=[member.pk])
    deliver()

    (mail,) = mailoutbox
    body = mail.body
    assert "CASM options <paper>" in mail.subject
    assert "CASM options <paper>" in body  # plain text: not HTML-escaped
    assert f"Your deadline is {format_in_zone(personal, 'America/New_York')}." in body
    assert "(America/New_York)" in body
    assert f"https://portal.example.org/consultations/{consultation.slug}/respond/" in body
    # The stop link's token is signed with the time, so it is read back rather than rebuilt.
    (stop_url,) = re.findall(r"https://portal\.example\.org/reminders/stop/[^/\s]+/", body)
    token = stop_url.removeprefix("https://portal.example.org/reminders/stop/").rstrip("/")
    assert reminders.reminder_token_read(token) == (consultation, member)
    assert mail.extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["Message-ID"] == Message.objects.get().message_id


def test_the_reminder_is_written_in_the_members_language(mailoutbox):
    consultation, (member,) = invited_consultation(1)
    deadline = datetime.datetime(2030, 12, 10, 23, 59, tzinfo=datetime.UTC)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=deadline, time_zone="UTC")
    member.user.preferred_language = "fr"
    member.user.save()

    reminders.reminder_batch_send(
        consultation_id=consultation.pk, offset=1, member_ids=[member.pk], now=deadline - DAY / 2
    )

    assert Message.objects.get().language == "fr"
    deliver()
    (mail,) = mailoutbox
    assert "10 décembre 2030 23:59 (UTC)" in mail.body  # French DATETIME_FORMAT, under French


def test_a_member_without_an_account_gets_the_reminder_in_their_first_language(mailoutbox):
    consultation, (member,) = invited_consultation(1, closes_in=DAY - datetime.timedelta(hours=1))
    user = member.user
    member.user = None
    member.languages = ["pt", "en"]
    member.save()
    user.delete()

    reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=[member.pk])

    assert Message.objects.get().language == "pt"
    deliver()
    assert [m.to for m in mailoutbox] == [[member.email]]


# ---------------------------------------------------------------- the stop link


def stop_url_for(consultation, member):
    token = reminders.reminder_stop_token(consultation_id=consultation.pk, member_id=member.pk)
    return reverse("consultations:reminder_stop", args=[token])


def test_opening_the_stop_link_asks_and_changes_nothing(client):
    consultation, (member,) = invited_consultation(1, title="Options <b>paper</b>")

    response = client.get(stop_url_for(consultation, member))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop reminders for this consultation" in page
    assert "Options &lt;b&gt;paper&lt;/b&gt;" in page
    assert 'method="post"' in page
    assert not ReminderOptOut.objects.exists()


def test_the_stop_button_stops_reminders_for_that_consultation_only(client):
    consultation, (member,) = invited_consultation(1, closes_in=DAY - datetime.timedelta(hours=1))
    other = ConsultationFactory(closes_at=consultation.closes_at)
    url = stop_url_for(consultation, member)

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert f"You will get no more reminders for “{consultation.title}”." in response.content.decode()
    assert ReminderOptOut.objects.filter(consultation=consultation, member=member).count() == 1
    assert due(consultation, timezone.now()) == []
    assert (member.pk, 1) in due(other, timezone.now())


def test_stopping_twice_is_harmless(client):
    consultation, (member,) = invited_consultation(1)
    url = stop_url_for(consultation, member)

    client.post(url)
    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert ReminderOptOut.objects.count() == 1


def test_a_mail_clients_one_click_unsubscribe_works_without_a_csrf_token(client):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie nor CSRF token."""
    from django.test import Client

    consultation, (member,) = invited_consultation(1)
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(stop_url_for(consultation, member), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 302
    assert ReminderOptOut.objects.filter(member=member).exists()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps([1, 2], salt="another-salt"),
        "WzEsIDJd:forged-signature",
    ],
)
def test_a_forged_stop_link_is_refused_and_changes_nothing(client, token):
    invited_consultation(1)

    for response in (
        client.get(reverse("consultations:reminder_stop", args=[token])),
        client.post(reverse("consultations:reminder_stop", args=[token])),
    ):
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert not ReminderOptOut.objects.exists()


def test_a_tampered_stop_link_is_refused(client):
    consultation, (member, someone_else) = invited_consultation(2)
    token = reminders.reminder_stop_token(consultation_id=consultation.pk, member_id=member.pk)
    payload, signature = token.rsplit(":", 1)
    other_payload = signing.dumps([consultation.pk, someone_else.pk], salt=reminders.OPT_OUT_SALT).rsplit(
        ":", 1
    )[0]

    response = client.post(reverse("consultations:reminder_stop", args=[f"{other_payload}:{signature}"]))

    assert response.status_code == 404
    assert not ReminderOptOut.objects.exists()


def test_reminder_opt_out_service_refuses_a_token_for_a_member_who_no_longer_exists():
    consultation, (member,) = invited_consultation(1)
    token = reminders.reminder_stop_token(consultation_id=consultation.pk, member_id=member.pk + 999)

    with pytest.raises(Exception, match="not valid"):
        reminders.reminder_opt_out(token=token)
    assert not ReminderOptOut.objects.exists()


def test_reminder_opt_out_service_records_the_opt_out_once():
    consultation, (member,) = invited_consultation(1)
    token = reminders.reminder_stop_token(consultation_id=consultation.pk, member_id=member.pk)

    first = reminders.reminder_opt_out(token=token)
    second = reminders.reminder_opt_out(token=token)

    assert first.pk == second.pk
    assert (first.consultation, first.member) == (consultation, member)
    assert first.created_at is not None


# ---------------------------------------------------------------- the staff page


def staff_reminders_url(consultation):
    return reverse("consultations:staff_consultation_reminders", args=[consultation.slug])


def _row(page: str, text: str) -> str:
    """The table row of ``page`` that contains ``text``."""
    (row,) = [row for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S) if text in row]
    return row


def test_staff_see_who_was_reminded_when_and_who_stopped(staff_client, smtp_sink):
    consultation, (ama, kofi, bounced, stopper, waiting) = invited_consultation(5, closes_in=3 * DAY)
    ama.full_name = "Ama <script>alert(1)</script>"
    ama.save()
    smtp_sink.refuse_recipients.add(bounced.email)
    reminders.reminder_batch_send(consultation_id=consultation.pk, offset=7, member_ids=[ama.pk, bounced.pk])
    deliver()  # the mail server takes Ama's reminder and refuses the other for good
    # Kofi's reminder is queued after that delivery: it waits in the outbox.
    reminders.reminder_batch_send(consultation_id=consultation.pk, offset=7, member_ids=[kofi.pk])
    opt_out(consultation, stopper)
    sent_at = ReminderSent.objects.get(member=ama).message.sent_at

    response = staff_client.get(staff_reminders_url(consultation))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    ama_row = _row(page, "Ama &lt;script&gt;alert(1)&lt;/script&gt;")
    assert format_in_zone(sent_at, consultation.time_zone) in ama_row
    assert "(America/New_York)" in ama_row
    assert "Waiting in the outbox" in _row(page, escape(kofi.full_name))
    bounced_row = _row(page, escape(bounced.full_name))
    assert "Failed" in bounced_row
    assert f"550 5.1.1 mailbox unavailable ({bounced.email})" in bounced_row
    assert "1 sent, 1 waiting in the outbox, 1 failed." in page
    assert escape(stopper.full_name) in page
    # Due now at 7 days: three are claimed, stopper stopped: only the one still waiting.
    assert response.context["schedule"][0] == {
        "offset": 7,
        "at": consultation.closes_at - 7 * DAY,
        "due_now": 1,
    }
    assert escape(waiting.full_name) not in page  # not reminded yet, so not in the log


def test_staff_reminders_page_is_for_staff_only(role_clients):
    from tests.network.staff_factories import assert_staff_only

    consultation, _members = invited_consultation(1)

    assert_staff_only(role_clients, "get", staff_reminders_url(consultation))


def test_staff_reminders_page_of_an_unknown_consultation_is_404(staff_client):
    assert staff_client.get("/staff/consultations/nope/reminders/").status_code == 404


def test_staff_reminders_page_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    """Queries: session, user, groups, MFA; the consultation; totals; the due list (3); the log's
    count and page, each reminder with its member and its mail; the opt-outs' count and page — the
    same with 1 row as with 49, whatever their mail's status."""
    consultation, members = invited_consultation(50, closes_in=3 * DAY)
    claim(consultation, members[0], 7)
    opt_out(consultation, members[1])
    url = staff_reminders_url(consultation)
    staff_client.get(url)  # warm the session

    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for index, member in enumerate(members[2:]):
        failed = "550 5.1.1 mailbox unavailable" if index % 3 == 1 else ""
        claim(consultation, member, 7, sent=index % 3 == 0, failed=failed)
        opt_out(consultation, member)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(response.context["log"].object_list) == 49
    assert response.context["totals"] == {"sent": 17, "pending": 16, "failed": 16}
    page = response.content.decode()
    assert page.count("mailbox unavailable") == 16
    assert page.count("Waiting in the outbox") == 16


def test_tasks_and_services_import_in_one_direction():
    """The service imports its task to enqueue it; the task imports its service only when it runs."""
    import ast
    import inspect

    from governance.consultations import tasks
    from governance.consultations.services import reminders as reminders_module

    def top_level_imports(module) -> set[str]:
        tree = ast.parse(inspect.getsource(module))
        return {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }

    assert not any(name.startswith("governance.consultations.services") for name in top_level_imports(tasks))
    assert "governance.consultations.tasks" in top_level_imports(reminders_module)


def test_a_stop_link_works_for_a_year_then_says_it_expired_and_changes_nothing(client):
    consultation, (member,) = invited_consultation(1)
    sent = timezone.now() - reminders.STOP_LINK_MAX_AGE + datetime.timedelta(hours=1)
    with freeze(sent):
        fresh = stop_url_for(consultation, member)
    with freeze(sent - datetime.timedelta(days=2)):
        stale = stop_url_for(consultation, member)

    assert client.get(fresh).status_code == 200
    for response in (client.get(stale), client.post(stale)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired" in page
        assert "work for a year" in page
        assert "more recent reminder" in page
    assert not ReminderOptOut.objects.exists()


def freeze(moment):
    """Sign tokens as if at ``moment`` (TimestampSigner reads time.time)."""
    from unittest import mock

    return mock.patch("django.core.signing.time.time", return_value=moment.timestamp())
