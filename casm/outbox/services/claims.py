"""Claims and their mail, written together: a claim row under a unique constraint, and its outbox message.

Reminders and notices (consultations, bodies' surveys) use it so that a person gets each mail
once: the claim (unique per person and notice) and the message commit in one transaction, so a
claim never exists without a message waiting in the outbox, and a message never exists without
its claim. A batch delivered
twice, or two overlapping runs, find the claims and skip those people.
"""

from django.db import IntegrityError, models, transaction

from casm.outbox.models import Notice
from casm.outbox.services.queue import Mail, messages_queue

ATTEMPTS = 3


def claims_queue(*, model: type[models.Model], notice: Notice, common: dict, mails: dict[int, Mail]) -> int:
    """Claim each member of ``mails`` (member id → mail) and queue their mail, in one transaction.

    ``common`` holds the claim's other fields (the consultation, the offset). When a concurrent
    batch claimed some of the same people first (the unique constraint), those are dropped and
    the rest written again. Returns how many were claimed and queued.
    """
    for _attempt in range(ATTEMPTS):
        if not mails:
            return 0
        try:
            with transaction.atomic():
                member_ids = list(mails)
                messages = messages_queue(notice=notice, mails=[mails[pk] for pk in member_ids])
                model.objects.bulk_create(
                    model(member_id=pk, message=message, **common)
                    for pk, message in zip(member_ids, messages, strict=True)
                )
            return len(messages)
        except IntegrityError:
            claimed = set(
                model.objects.filter(member_id__in=list(mails), **common).values_list("member_id", flat=True)
            )
            mails = {pk: mail for pk, mail in mails.items() if pk not in claimed}
    raise RuntimeError("claims kept conflicting; the batch will be delivered again")
