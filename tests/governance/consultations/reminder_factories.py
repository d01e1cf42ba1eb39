"""Helpers for the reminder tests: a consultation for named invitees, granted extensions, claims."""

import datetime

from django.utils import timezone

from governance.consultations.models import Consultation, ExtensionRequest, ReminderOptOut, ReminderSent
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


def claim(consultation, member, offset, *, sent=True):
    return ReminderSent.objects.create(
        consultation=consultation,
        member=member,
        offset_days=offset,
        sent_at=timezone.now() if sent else None,
    )


def opt_out(consultation, member):
    return ReminderOptOut.objects.create(consultation=consultation, member=member)
