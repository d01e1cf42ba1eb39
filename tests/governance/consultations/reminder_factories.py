"""Helpers for the reminder tests: a consultation for named invitees, granted extensions, claims."""

import datetime

from django.utils import timezone

from casm.outbox.models import Message
from casm.outbox.services.claims import claims_queue
from casm.outbox.services.queue import Mail, notice_get_or_create
from governance.consultations.models import Consultation, ExtensionRequest, ReminderOptOut, ReminderSent
from governance.consultations.notices import notice_of
from tests.governance.consultations.factories import ConsultationFactory
from tests.network.factories import MemberFactory, SectorFactory

DAY = datetime.timedelta(days=1)


def invited_consultation(count: int, *, closes_in=datetime.timedelta(days=3), sector=None, **kwargs):
    """A published consultation for ``count`` named invitees (active members), closing in ``closes_in``."""
    now = timezone.now()
    consultation = ConsultationFactory(
        audience=Consultation.Audience.INVITEES,
        opens_at=now - 30 * DAY,
        closes_at=now + closes_in,
        **kwargs,
    )
    sector = sector or SectorFactory(code="reminders-sector", name="Civil society")
    members = [MemberFactory(sector=sector) for _ in range(count)]
    consultation.invitees.add(*members)
    return consultation, members


def grant_extension(consultation, member, until):
    return ExtensionRequest.objects.create(
        consultation=consultation,
        member=member,
        reason="Our board meets later.",
        status=ExtensionRequest.Status.GRANTED,
        granted_until=until,
        decided_at=timezone.now(),
    )


def claim(consultation, member, offset, *, sent=True, failed: str = ""):
    """A reminder claimed at ``offset`` with its outbox message, written together as a batch writes them.

    The message is then marked as delivery would leave it: sent (``sent=True``), refused for good
    with the server's reason (``failed="550 …"``), or still waiting in the outbox (``sent=False``).
    """
    notice = notice_get_or_create(**notice_of(consultation, "consultations.reminder", days=offset))
    mail = Mail(
        to=member.email,
        subject=f"Reminder: {consultation.title}",
        body="Your deadline is near.",
        recipient=member,
    )
    claims_queue(
        model=ReminderSent,
        notice=notice,
        common={"consultation_id": consultation.pk, "offset_days": offset},
        mails={member.pk: mail},
    )
    reminder = ReminderSent.objects.select_related("message").get(
        consultation=consultation, member=member, offset_days=offset
    )
    now = timezone.now()
    if failed:
        values = {"status": Message.Status.FAILED, "failed_at": now, "last_error": failed, "attempts": 1}
    elif sent:
        values = {"status": Message.Status.SENT, "sent_at": now, "attempts": 1}
    else:
        values = {}
    if values:
        Message.objects.filter(pk=reminder.message_id).update(**values)
        reminder.message.refresh_from_db()
    return reminder


def opt_out(consultation, member):
    return ReminderOptOut.objects.create(consultation=consultation, member=member)
