"""Publishing a consultation tells its audience: once each, in their language, through the outbox.

A batch writes its claims (``PublicationNoticeSent``) and their outbox messages in one transaction
and sends nothing itself; the outbox's sender (``outbox_send_due``) delivers them. The tests call
the sender directly rather than count on its on-commit wake-up (Celery is not eager in CI).
"""

import pytest
from django.db import transaction

from casm.celery import app as celery_app
from casm.outbox.models import Message, Notice
from casm.outbox.services.claims import claims_queue
from casm.outbox.services.delivery import outbox_send_due
from casm.outbox.services.queue import Mail
from governance.consultations.models import Consultation, PublicationNoticeSent
from governance.consultations.services import consultations as builder
from governance.consultations.services import publication
from network.models import Membership
from network.services.mail import mail_retry
from network.services.members import member_save
from tests.governance.consultations.factories import SectionFactory
from tests.governance.consultations.reminder_factories import DAY as DAY_AGO
from tests.governance.consultations.reminder_factories import invited_consultation
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db

SENT, PENDING, FAILED = Message.Status.SENT, Message.Status.PENDING, Message.Status.FAILED


@pytest.fixture
def eager_celery():
    """Tasks run in this process, whatever REDIS_URL says (the worker test covers the real queue)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def _draft_for(count: int):
    consultation, members = invited_consultation(count, title="Revitalising CASM")
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    consultation.refresh_from_db()
    SectionFactory(consultation=consultation, mode="comment")
    return consultation, members


def _publish(consultation, staff_user, capture):
    """Publish and run what the commit runs: the fan-out, whose batches queue the mail.

    Only the publication's own hooks run: the outbox's wake-up, registered by the batches, is left
    to the test's (never committed) transaction, so mail leaves only when the test delivers it.
    """
    with capture() as callbacks:
        builder.consultation_publish(consultation=consultation, actor=staff_user)
    for callback in callbacks:
        callback()


def _deliver():
    report, more = outbox_send_due()
    assert not more
    return report


def _claims_and_their_mail(consultation):
    return sorted(
        PublicationNoticeSent.objects.filter(consultation=consultation).values_list(
            "member__email", "message__to", "message__status"
        )
    )


def test_publishing_queues_one_notice_per_member_of_the_audience_and_the_outbox_sends_it(
    staff_user, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, members = _draft_for(3)
    outsider = MemberFactory()  # an active member, not invited
    suspended = MemberFactory(status=Membership.Status.SUSPENDED)
    consultation.invitees.add(suspended)

    _publish(consultation, staff_user, django_capture_on_commit_callbacks)

    # The batch claimed and queued; it sent nothing itself.
    assert mailoutbox == []
    assert _claims_and_their_mail(consultation) == sorted((m.email, m.email, PENDING) for m in members)

    report = _deliver()

    assert (report.sent, report.failed, report.deferred) == (3, 0, 0)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
    assert outsider.email not in {m.to[0] for m in mailoutbox}
    mail = mailoutbox[0]
    assert mail.subject == "New consultation: “Revitalising CASM”"
    assert f"/consultations/{consultation.slug}/respond/" in mail.body
    assert "(America/New_York)" in mail.body
    assert _claims_and_their_mail(consultation) == sorted((m.email, m.email, SENT) for m in members)
    # The mail carries the Message-ID stored with it: a retry goes out under the same one.
    stored = Message.objects.get(to=mail.to[0])
    assert mail.extra_headers["Message-ID"] == stored.message_id


def test_publishing_again_after_unpublishing_tells_nobody_twice(
    staff_user, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, members = _draft_for(2)
    _publish(consultation, staff_user, django_capture_on_commit_callbacks)
    _deliver()
    builder.consultation_unpublish(consultation=consultation, actor=staff_user)
    newcomer = MemberFactory(sector=members[0].sector)
    consultation.invitees.add(newcomer)

    _publish(consultation, staff_user, django_capture_on_commit_callbacks)
    _deliver()

    recipients = [m.to[0] for m in mailoutbox]
    assert sorted(recipients) == sorted([m.email for m in members] + [newcomer.email])
    assert len(recipients) == len(set(recipients))
    assert Message.objects.count() == 3


def test_no_claim_and_no_mail_when_the_publication_is_rolled_back(staff_user, eager_celery, mailoutbox):
    consultation, _members = _draft_for(2)

    # Without the commit (the test's transaction is never committed), nothing is queued.
    builder.consultation_publish(consultation=consultation, actor=staff_user)
    _deliver()

    assert mailoutbox == []
    assert not PublicationNoticeSent.objects.exists()
    assert not Message.objects.exists()


def test_a_batch_delivered_twice_queues_and_mails_each_person_once(mailoutbox):
    consultation, members = invited_consultation(3)
    ids = [m.pk for m in members]

    first = publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids)
    second = publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids)
    _deliver()
    _deliver()

    assert (first, second) == (3, 0)
    assert Message.objects.count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)


def test_a_claim_always_has_its_message_and_a_rolled_back_batch_leaves_neither(mailoutbox):
    """A worker killed before the batch commits leaves nothing; the batch delivered again writes both."""
    consultation, members = invited_consultation(2)
    ids = [m.pk for m in members]

    with pytest.raises(RuntimeError, match="worker killed"), transaction.atomic():
        assert publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids) == 2
        raise RuntimeError("worker killed before the commit")

    assert not PublicationNoticeSent.objects.exists()
    assert not Message.objects.exists()

    assert publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids) == 2
    assert _claims_and_their_mail(consultation) == sorted((m.email, m.email, PENDING) for m in members)
    notice = Notice.objects.get()
    assert str(notice) == f"“{consultation.title}”: publication notice"
    assert set(Message.objects.values_list("notice", flat=True)) == {notice.pk}
    assert set(Message.objects.values_list("recipient_id", flat=True)) == set(ids)


def test_people_a_concurrent_batch_claimed_first_are_dropped_with_their_mail(mailoutbox):
    """Two overlapping batches: the unique claim lets one through; the loser's mail is not written."""
    consultation, (first, second) = invited_consultation(2)
    publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[first.pk])
    notice = Notice.objects.get()
    mails = {
        m.pk: Mail(to=m.email, subject="New consultation", body="…", recipient=m) for m in (first, second)
    }

    # As the slower batch would: it read both as not told, but the first is claimed by now.
    queued = claims_queue(
        model=PublicationNoticeSent, notice=notice, common={"consultation_id": consultation.pk}, mails=mails
    )

    assert queued == 1
    assert PublicationNoticeSent.objects.count() == 2
    assert sorted(Message.objects.values_list("to", flat=True)) == sorted([first.email, second.email])
    _deliver()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])


def test_a_refused_notice_stays_claimed_with_its_failed_mail_which_staff_send_again(smtp_sink, staff_user):
    """A 5xx (unknown mailbox) fails the message with the server's reason; nobody is claimed twice;
    staff correct the address and send it again."""
    consultation, (bouncing, fine) = invited_consultation(2)
    smtp_sink.refuse_recipients.add(bouncing.email)
    ids = [bouncing.pk, fine.pk]

    assert publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids) == 2
    report = _deliver()

    assert (report.sent, report.failed, report.deferred) == (1, 1, 0)
    claim = PublicationNoticeSent.objects.select_related("message").get(member=bouncing)
    assert claim.message.status == FAILED
    assert "550" in claim.message.last_error and "mailbox unavailable" in claim.message.last_error
    smtp_sink.wait_for(fine.email, "New consultation")
    # The claim holds: no later batch or fan-out tells the person again.
    assert publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids) == 0
    assert publication.publication_notices_enqueue(consultation_id=consultation.pk, dispatch=print) == 0
    assert PublicationNoticeSent.objects.count() == 2

    bouncing.email = "corrected@example.org"
    member_save(member=bouncing, actor=staff_user, reason="Address corrected")
    assert mail_retry(notice=claim.message.notice, actor=staff_user) == 1
    _deliver()

    arrived = smtp_sink.wait_for("corrected@example.org", "New consultation")
    assert arrived["Message-ID"] == claim.message.message_id
    claim.message.refresh_from_db()
    assert (claim.message.status, claim.message.to) == (SENT, "corrected@example.org")
    assert len(smtp_sink.messages) == 2


def test_enqueue_cuts_the_audience_into_batches_and_skips_whoever_was_told():
    consultation, members = invited_consultation(5)
    publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[members[0].pk])
    batches = []

    queued = publication.publication_notices_enqueue(
        consultation_id=consultation.pk, batch_size=2, dispatch=lambda cid, ids: batches.append(ids)
    )

    assert queued == 4
    assert [len(batch) for batch in batches] == [2, 2]
    assert members[0].pk not in {pk for batch in batches for pk in batch}
    assert Message.objects.count() == 1  # enqueueing writes nothing: the batches do


def test_an_unpublished_consultation_queues_and_sends_nothing(mailoutbox):
    consultation, members = invited_consultation(2, is_published=False)

    assert publication.publication_notices_enqueue(consultation_id=consultation.pk, dispatch=print) == 0
    assert (
        publication.publication_notice_batch_send(
            consultation_id=consultation.pk, member_ids=[m.pk for m in members]
        )
        == 0
    )
    _deliver()
    assert mailoutbox == []
    assert not Message.objects.exists()
    assert not Notice.objects.exists()


def test_the_notice_is_written_in_the_members_language(mailoutbox):
    consultation, (member,) = invited_consultation(1, title="Revitalising CASM")
    member.user.preferred_language = "fr"
    member.user.save()

    publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[member.pk])
    assert Message.objects.get().language == "fr"
    _deliver()

    (mail,) = mailoutbox
    # French dates; the words are French once locale/ has the new strings.
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre")
    months += ("octobre", "novembre", "décembre")
    assert any(month in mail.body for month in months)


def test_the_catch_up_run_tells_who_joined_the_audience_later_and_nobody_twice(eager_celery, sector):
    consultation, members = invited_consultation(2, title="Revitalising CASM")
    assert publication.publication_notices_run_due() == 2  # nobody was told yet
    latecomer = MemberFactory(sector=members[0].sector)
    consultation.invitees.add(latecomer)

    queued = publication.publication_notices_run_due()

    assert queued == 1
    told = PublicationNoticeSent.objects.filter(consultation=consultation)
    expected = sorted([m.pk for m in members] + [latecomer.pk])
    assert sorted(told.values_list("member_id", flat=True)) == expected
    assert Message.objects.filter(notice__kind="consultations.published").count() == 3


def test_the_catch_up_run_tells_nobody_of_a_closed_or_unpublished_consultation(eager_celery, sector):
    closed, _members = invited_consultation(2, closes_in=-DAY_AGO)
    draft, _others = invited_consultation(2)
    Consultation.objects.filter(pk=draft.pk).update(is_published=False)

    assert publication.publication_notices_run_due() == 0
    assert not PublicationNoticeSent.objects.exists()
