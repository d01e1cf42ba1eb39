"""Reads for the reminders: the log of who was reminded when, the opt-outs, what is due next."""

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from casm.outbox.models import Message
from governance.consultations.models import Consultation, ReminderOptOut, ReminderSent
from governance.consultations.services.reminders import reminder_offsets_of, reminders_due


def reminder_log_for(consultation: Consultation):
    """Reminders of a consultation, newest first, with the member (one query a page)."""
    return (
        ReminderSent.objects.filter(consultation=consultation)
        .select_related("member", "message")
        .order_by("-claimed_at", "-id")
    )


def reminder_opt_outs_for(consultation: Consultation):
    """Who stopped reminders for a consultation, newest first, with the member (one query a page)."""
    return (
        ReminderOptOut.objects.filter(consultation=consultation)
        .select_related("member")
        .order_by("-created_at", "-id")
    )


def reminder_totals(consultation: Consultation) -> dict:
    """Reminders sent, waiting in the outbox and failed, by their mail's status (one query)."""
    status = "message__status"
    return ReminderSent.objects.filter(consultation=consultation).aggregate(
        sent=Count("id", filter=Q(**{status: Message.Status.SENT})),
        pending=Count("id", filter=Q(**{status: Message.Status.PENDING})),
        failed=Count("id", filter=Q(**{status: Message.Status.FAILED})),
    )


def reminder_schedule(consultation: Consultation, *, now: datetime.datetime | None = None) -> list[dict]:
    """Per offset: when it comes for the general deadline and how many people are due at it now.

    Queries: those of ``reminders_due`` (at most four), whatever the audience's size.
    """
    now = now or timezone.now()
    due = Counter(offset for _member, offset in reminders_due(consultation=consultation, now=now))
    return [
        {
            "offset": offset,
            "at": consultation.closes_at - datetime.timedelta(days=offset),
            "due_now": due.get(offset, 0),
        }
        for offset in reminder_offsets_of(consultation)
    ]
