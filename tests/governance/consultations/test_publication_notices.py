"""Publishing a consultation tells its audience: once each, in their language, through the queue."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from casm.celery import app as celery_app
from governance.consultations.models import Consultation, PublicationNoticeSent
from governance.consultations.services import consultations as builder
from governance.consultations.services import publication
from network.models import Membership
from tests.governance.consultations.factories import SectionFactory
from tests.governance.consultations.reminder_factories import invited_consultation
from tests.network.factories import MemberFactory

pytestmark = pytest.mark.django_db


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
    with capture(execute=True):
        builder.consultation_publish(consultation=consultation, actor=staff_user)


def test_publishing_tells_each_member_of_the_audience_once_through_the_queue(
    staff_user, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, members = _draft_for(3)
    outsider = MemberFactory()  # an active member, not invited
    suspended = MemberFactory(status=Membership.Status.SUSPENDED)
    consultation.invitees.add(suspended)

    _publish(consultation, staff_user, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
    assert outsider.email not in {m.to[0] for m in mailoutbox}
    mail = mailoutbox[0]
    assert mail.subject == "New consultation: “Revitalising CASM”"
    assert f"/consultations/{consultation.slug}/respond/" in mail.body
    assert "(America/New_York)" in mail.body
    assert PublicationNoticeSent.objects.filter(sent_at__isnull=False).count() == 3


def test_publishing_again_after_unpublishing_tells_nobody_twice(
    staff_user, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    consultation, members = _draft_for(2)
    _publish(consultation, staff_user, django_capture_on_commit_callbacks)
    builder.consultation_unpublish(consultation=consultation, actor=staff_user)
    newcomer = MemberFactory(sector=members[0].sector)
    consultation.invitees.add(newcomer)

    _publish(consultation, staff_user, django_capture_on_commit_callbacks)

    recipients = [m.to[0] for m in mailoutbox]
    assert sorted(recipients) == sorted([m.email for m in members] + [newcomer.email])
    assert len(recipients) == len(set(recipients))


def test_no_mail_is_sent_when_the_publication_is_rolled_back(staff_user, eager_celery, mailoutbox):
    consultation, _members = _draft_for(2)

    # Without the commit (the test's transaction is never committed), nothing is queued.
    builder.consultation_publish(consultation=consultation, actor=staff_user)

    assert mailoutbox == []
    assert not PublicationNoticeSent.objects.exists()


def test_a_batch_delivered_twice_mails_each_person_once(mailoutbox):
    consultation, members = invited_consultation(3)
    ids = [m.pk for m in members]

    first = publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids)
    second = publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=ids)

    assert (first, second) == (3, 0)
    assert len(mailoutbox) == 3


def test_a_claim_left_by_a_dead_worker_is_not_sent_again(mailoutbox):
    consultation, (crashed, other) = invited_consultation(2)
    PublicationNoticeSent.objects.create(consultation=consultation, member=crashed)  # never stamped

    sent = publication.publication_notice_batch_send(
        consultation_id=consultation.pk, member_ids=[crashed.pk, other.pk]
    )

    assert sent == 1
    assert [m.to[0] for m in mailoutbox] == [other.email]


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({})


def test_a_refused_send_releases_its_claim_for_a_later_run(settings, mailoutbox):
    consultation, (member,) = invited_consultation(1)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    assert (
        publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[member.pk])
        == 0
    )
    assert not PublicationNoticeSent.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert (
        publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[member.pk])
        == 1
    )


def test_enqueue_cuts_the_audience_into_batches_and_skips_whoever_was_told():
    consultation, members = invited_consultation(5)
    PublicationNoticeSent.objects.create(consultation=consultation, member=members[0])
    batches = []

    queued = publication.publication_notices_enqueue(
        consultation_id=consultation.pk, batch_size=2, dispatch=lambda cid, ids: batches.append(ids)
    )

    assert queued == 4
    assert [len(batch) for batch in batches] == [2, 2]
    assert members[0].pk not in {pk for batch in batches for pk in batch}


def test_an_unpublished_consultation_queues_and_sends_nothing(mailoutbox):
    consultation, members = invited_consultation(2, is_published=False)

    assert publication.publication_notices_enqueue(consultation_id=consultation.pk, dispatch=print) == 0
    assert (
        publication.publication_notice_batch_send(
            consultation_id=consultation.pk, member_ids=[m.pk for m in members]
        )
        == 0
    )
    assert mailoutbox == []


def test_the_notice_is_written_in_the_members_language(mailoutbox):
    consultation, (member,) = invited_consultation(1, title="Revitalising CASM")
    member.user.preferred_language = "fr"
    member.user.save()

    publication.publication_notice_batch_send(consultation_id=consultation.pk, member_ids=[member.pk])

    (mail,) = mailoutbox
    # French dates; the words are French once locale/ has the new strings.
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre")
    months += ("octobre", "novembre", "décembre")
    assert any(month in mail.body for month in months)
