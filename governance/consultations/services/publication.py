"""Telling a consultation's audience it is published: one mail each, in their language, through the queue.

Who is told
    The consultation's audience when it is published (``selectors.consultation_audience``), minus
    everyone already told of it. A consultation unpublished and published again tells nobody
    twice: ``PublicationNoticeSent`` remembers everyone told, whatever happened in between.

Once each, also when a worker dies
    ``PublicationNoticeSent`` is unique on (consultation, member) and is the claim. A batch writes
    the claims and their outbox messages in one transaction (``casm.outbox.services.claims``): a worker killed
    before the commit leaves nothing, and the batch (delivered again) or the next run writes them;
    after the commit, the outbox delivers each message at least once (``casm.outbox``).

The catch-up run
    Celery beat runs ``publication_notices_run_due`` every ``PUBLICATION_CHECK_SECONDS``: for every
    published consultation not yet closed, it queues whoever of the audience has not been told.
    That tells people who joined the audience after publication, and anyone whose batch was lost
    with a killed worker before the broker recorded it.

Scale
    ``publication_notices_enqueue`` reads who is left to tell in one query and queues one Celery
    task per batch of 500, which ``publication_notice_batch_send`` re-checks before queueing mail.
"""

import logging
from collections.abc import Callable

from django.utils import timezone

from casm.links import absolute_reverse
from casm.outbox.services.claims import claims_queue
from casm.outbox.services.queue import Mail, notice_get_or_create, render_mail
from governance.consultations.models import Consultation, PublicationNoticeSent
from governance.consultations.notices import notice_of
from governance.consultations.selectors import audience as selectors
from governance.consultations.tasks import publication_notice_batch_send_task
from network.models import Member
from network.services.notify import member_language

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


def publication_notices_run_due(*, now=None) -> int:
    """For Celery beat: queue the publication notice for everyone not yet told of a consultation
    that is published and not closed; return how many were queued (one query per consultation)."""
    now = now or timezone.now()
    open_or_coming = Consultation.objects.in_state(
        Consultation.State.SCHEDULED, Consultation.State.OPEN, now=now
    ).values_list("pk", flat=True)
    return sum(publication_notices_enqueue(consultation_id=pk) for pk in open_or_coming)


def _notice_mail(consultation: Consultation, member: Member) -> Mail:
    return render_mail(
        to=member.email,
        template="consultations/email/published",
        context={
            "member": member,
            "consultation": consultation,
            "consultation_url": absolute_reverse("consultations:consultation_detail", consultation.slug),
            "respond_url": absolute_reverse("consultations:consultation_respond", consultation.slug),
        },
        language=member_language(member),
        recipient=member,
    )


def publication_notice_batch_send(*, consultation_id: int, member_ids: list[int]) -> int:
    """Queue the publication notice for each of ``member_ids`` still to be told; return how many.

    Re-checked here (the queue may be late): the consultation is still published, the person is in
    its audience, and nobody claimed them. The claims and the mail commit together.
    """
    consultation = Consultation.objects.filter(pk=consultation_id, is_published=True).first()
    if consultation is None:
        return 0
    members = list(_members_to_tell(consultation, member_ids=member_ids).select_related("user"))
    if not members:
        return 0
    # Rendered before anything is written: a template error leaves no claim behind.
    mails = {member.pk: _notice_mail(consultation, member) for member in members}
    notice = notice_get_or_create(**notice_of(consultation, "consultations.published"))
    return claims_queue(
        model=PublicationNoticeSent, notice=notice, common={"consultation_id": consultation.pk}, mails=mails
    )
