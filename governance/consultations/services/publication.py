"""Telling a consultation's audience it is published: one mail each, in their language, through the queue.

Who is told
    The consultation's audience when it is published (``selectors.consultation_audience``), minus
    everyone already told of it. A consultation unpublished and published again tells nobody
    twice: ``PublicationNoticeSent`` remembers everyone told, whatever happened in between.

At most once, also when a worker dies
    As for reminders (``services.reminders``): ``PublicationNoticeSent`` is unique on
    (consultation, member) and is the claim. A batch claims one person (INSERT, committed on its
    own), sends the mail, then stamps ``sent_at``. A second claim of the same person fails on the
    constraint and that person is skipped; a worker that dies after claiming leaves a claim without
    ``sent_at`` and the person is not told twice. A send the mail server refuses releases its claim,
    so a later run can tell them.

Scale
    ``publication_notices_enqueue`` reads who is left to tell in one query and queues one Celery
    task per batch of 500, which ``publication_notice_batch_send`` re-checks before sending.
"""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from casm.links import absolute_reverse
from governance.consultations.models import Consultation, PublicationNoticeSent
from governance.consultations.selectors import audience as selectors
from governance.consultations.services.claims import claim_once
from governance.consultations.tasks import publication_notice_batch_send_task
from network.models import Member
from network.services.notify import member_language, render_email

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500


def _members_to_tell(consultation: Consultation, *, member_ids=None):
    """Audience members not yet told (claimed) of this consultation's publication (one query)."""
    told = PublicationNoticeSent.objects.filter(consultation=consultation).values("member_id")
    members = selectors.consultation_audience(consultation).exclude(pk__in=told)
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
    return members.order_by("pk")


def _queue_batch(consultation_id: int, member_ids: list[int]) -> None:
    publication_notice_batch_send_task.delay(consultation_id, member_ids)


def publication_notices_enqueue(
    *,
    consultation_id: int,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dispatch: Callable[[int, list[int]], None] | None = None,
) -> int:
    """Queue one Celery task per batch of audience members not yet told; return how many were queued.

    Nothing is queued for a consultation that is not published (it was unpublished meanwhile).
    Queueing the same people twice is harmless: the claims let one mail through.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    consultation = Consultation.objects.filter(pk=consultation_id, is_published=True).first()
    if consultation is None:
        return 0
    dispatch = dispatch or _queue_batch
    member_ids = list(_members_to_tell(consultation).values_list("pk", flat=True))
    for start in range(0, len(member_ids), batch_size):
        dispatch(consultation.pk, member_ids[start : start + batch_size])
    return len(member_ids)


def _notice_message(consultation: Consultation, member: Member, *, connection) -> EmailMessage:
    subject, body = render_email(
        "consultations/email/published",
        {
            "member": member,
            "consultation": consultation,
            "consultation_url": absolute_reverse("consultations:consultation_detail", consultation.slug),
            "respond_url": absolute_reverse("consultations:consultation_respond", consultation.slug),
        },
        member_language(member),
    )
    return EmailMessage(subject, body, None, [member.email], connection=connection)


def publication_notice_batch_send(*, consultation_id: int, member_ids: list[int]) -> int:
    """Tell each of ``member_ids`` still to be told that the consultation is published; return how many.

    Re-checked here (the queue may be late): the consultation is still published, the person is in
    its audience, and nobody claimed them. Claimed (committed), mailed, then stamped: at most once.
    Must run outside a transaction (as Celery runs it), so that each claim commits before its mail.
    """
    consultation = Consultation.objects.filter(pk=consultation_id, is_published=True).first()
    if consultation is None:
        return 0
    members = list(_members_to_tell(consultation, member_ids=member_ids).select_related("user"))
    sent = 0
    with get_connection() as connection:
        for member in members:
            # Rendered before the claim: a template error leaves no claim behind.
            message = _notice_message(consultation, member, connection=connection)
            claim = claim_once(PublicationNoticeSent, consultation_id=consultation.pk, member_id=member.pk)
            if claim is None:
                continue
            try:
                message.send()
            except Exception:
                logger.exception(
                    "Publication notice to member %s (consultation %s) failed", member.pk, consultation.pk
                )
                claim.delete()  # not sent: a later run may tell them
                connection.close()
                continue
            PublicationNoticeSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
            sent += 1
    return sent
