"""Messages are written in the caller's transaction: they exist exactly when the event does."""

import pytest
from django.db import transaction

from casm.outbox.models import Message, Notice
from casm.outbox.services.delivery import outbox_send_due
from casm.outbox.services.queue import mail_queue
from network.models import Membership
from network.services.membership import membership_approve


class RequestFailed(Exception):
    """Something after the event went wrong, so its transaction rolls back."""


def _signup_attempt_mail(to: str) -> Message:
    return mail_queue(
        to=to,
        template="network/email/signup_attempt",
        context={"email": to, "has_account": True, "login_url": "/login/", "password_reset_url": "/reset/"},
        kind="accounts",
        scope=to,
    )


@pytest.mark.django_db
def test_no_mail_is_sent_for_an_event_whose_transaction_rolled_back(
    smtp_sink, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RequestFailed),
        transaction.atomic(),
    ):
        message = _signup_attempt_mail("ama@example.org")
        assert Message.objects.filter(pk=message.pk).exists()  # written, inside the transaction
        raise RequestFailed

    assert callbacks == []  # no sender woken either
    assert not Message.objects.exists()
    assert not Notice.objects.exists()
    report, more = outbox_send_due()
    assert (report.sent, report.batches, more) == (0, 0, False)
    assert smtp_sink.messages == [] and smtp_sink.connections == 0


@pytest.mark.django_db
def test_no_mail_is_sent_for_an_approval_rolled_back_after_the_service_returned(
    smtp_sink, applicant, staff_user
):
    with pytest.raises(RequestFailed), transaction.atomic():
        membership_approve(membership=applicant.membership, actor=staff_user)
        assert Message.objects.filter(to=applicant.email).exists()
        raise RequestFailed

    applicant.membership.refresh_from_db()
    assert applicant.membership.status == Membership.Status.APPLIED
    assert not Message.objects.exists()
    outbox_send_due()
    assert smtp_sink.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_events_mail_is_written_and_the_sender_woken_at_commit(smtp_sink, applicant, staff_user):
    # CELERY_TASK_ALWAYS_EAGER (no Redis): the wake-up runs the sender right after the commit.
    membership_approve(membership=applicant.membership, actor=staff_user)

    message = Message.objects.get(to=applicant.email)
    assert message.status == Message.Status.SENT
    assert message.notice.key == "network.membership"
    assert (message.recipient_id, message.recipient) == (applicant.pk, applicant)
    received = smtp_sink.wait_for(applicant.email, "membership is approved", timeout=5)
    assert received["Message-ID"] == message.message_id


@pytest.mark.django_db
def test_one_wake_up_per_queueing_call_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks, smtp_sink
):
    with django_capture_on_commit_callbacks() as callbacks:
        _signup_attempt_mail("kofi@example.org")
        assert smtp_sink.messages == []

    assert len(callbacks) == 1
    callbacks[0]()
    smtp_sink.wait_for("kofi@example.org", timeout=5)
    assert Message.objects.get().status == Message.Status.SENT
