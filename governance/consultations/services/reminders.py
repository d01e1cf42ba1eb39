"""Reminders before a respondent's deadline: who is due, queueing them in batches, sending each at most once.

Who gets a reminder
    The consultation's audience (``selectors.consultation_audience``) minus those who submitted,
    those who stopped reminders for this consultation (``ReminderOptOut``) and those whose own
    deadline has passed. Offsets (``consultation.reminder_offsets``, days, default 7 and 1) count
    back from the person's PERSONAL deadline: a granted extension moves their reminders with it.

One offset at a time: the nearest one
    A person is due at offset ``o`` when ``deadline − o days <= now < deadline``. When several
    offsets have passed at once (someone who joined the audience late, or a consultation
    published two days before it closes), only the NEAREST passed offset (the smallest) is sent:
    one mail saying "one day left", not two in a row. The earlier offsets need no claim row to
    stay unsent: as time only moves forward the nearest passed offset only gets smaller, so an
    offset that was skipped is never the nearest again — unless the person's deadline moves
    later (an extension), and then a reminder at that offset before the NEW deadline is what we
    want. The log therefore holds only mails that were really claimed for sending; there are no
    placeholder rows to explain to staff.

Once each, also when a worker dies
    ``ReminderSent`` is unique on (consultation, member, offset): it is the claim. A batch writes
    the claims and their outbox messages in one transaction (``casm.outbox.services.claims``). A worker killed
    before the commit leaves nothing: the batch delivered again, or the next beat run, writes them.
    A second claim of the same person and offset (the batch delivered twice, an overlapping beat
    run) meets the unique constraint and that person is skipped. After the commit the outbox
    delivers each message at least once, with a duplicate only when a worker dies between the mail
    server's acceptance and the mark (``casm.outbox.services.delivery``).

Scale
    ``reminders_due`` reads the audience, the personal deadlines, the submitted responses, the
    opt-outs and the claims with a fixed number of queries whatever the audience's size, then
    decides per person in memory. ``reminders_enqueue`` cuts the due list into batches of 500
    and queues one Celery task per batch, so 10,000 invitees are twenty small messages on the
    broker and any number of workers share the sending.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casm.links import absolute_reverse
from casm.outbox.services.claims import claims_queue
from casm.outbox.services.queue import Mail, notice_get_or_create, render_mail
from casm.reminders import nearest_due_offset
from casm.reminders import reminder_offsets_of as shared_offsets_of
from casm.signed_links import LinkExpired, LinkInvalid, link_read, link_token
from governance.consultations.models import (
    Consultation,
    ExtensionRequest,
    ReminderOptOut,
    ReminderSent,
    Response,
)
from governance.consultations.notices import notice_of
from governance.consultations.selectors import audience as selectors
from governance.consultations.tasks import reminder_batch_send_task
from network.models import Member
from network.services.notify import member_language

logger = logging.getLogger(__name__)

OPT_OUT_SALT = "casm.reminder-optout"
# A stop link works for a year after its reminder: long enough for any consultation, not forever.
STOP_LINK_MAX_AGE = datetime.timedelta(days=365)
DEFAULT_BATCH_SIZE = 500


# ---------------------------------------------------------------- offsets and the due list


def reminder_offsets_of(consultation: Consultation) -> list[int]:
    """The consultation's offsets as distinct positive whole days, largest first (bad entries ignored)."""
    return shared_offsets_of(consultation.reminder_offsets)


def _pending_member_ids(consultation: Consultation, *, member_ids=None) -> list[int]:
    """Audience members who have not submitted and have not stopped reminders (one query)."""
    submitted = Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED).values(
        "member_id"
    )
    opted_out = ReminderOptOut.objects.filter(consultation=consultation).values("member_id")
    members = selectors.consultation_audience(consultation)
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
    return list(
        members.exclude(pk__in=submitted)
        .exclude(pk__in=opted_out)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reminders_due(*, consultation: Consultation, now: datetime.datetime) -> list[tuple[int, int]]:
    """(member id, offset) of everyone who should get a reminder now, ordered by offset then member.

    Queries: none when no offset can have come yet; otherwise four (personal deadlines, the
    audience minus submitted and opted out, the claims), whatever the audience's size.
    """
    offsets = reminder_offsets_of(consultation)
    if not offsets or consultation.state_at(now) in (Consultation.State.DRAFT, Consultation.State.SCHEDULED):
        return []
    # Personal deadlines are never earlier than the consultation's: nobody is due before this.
    if now < consultation.closes_at - datetime.timedelta(days=max(offsets)):
        return []
    personal = selectors.personal_deadlines(consultation)
    if now >= max([consultation.closes_at, *personal.values()]):
        return []
    claimed = set(
        ReminderSent.objects.filter(consultation=consultation).values_list("member_id", "offset_days")
    )
    due = []
    for member_id in _pending_member_ids(consultation):
        offset = nearest_due_offset(offsets, personal.get(member_id, consultation.closes_at), now)
        if offset is not None and (member_id, offset) not in claimed:
            due.append((offset, member_id))
    due.sort()
    return [(member_id, offset) for offset, member_id in due]


# ---------------------------------------------------------------- queueing


def _queue_batch(consultation_id: int, offset: int, member_ids: list[int]) -> None:
    reminder_batch_send_task.delay(consultation_id, offset, member_ids)


def reminders_enqueue(
    *,
    consultation: Consultation,
    now: datetime.datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dispatch: Callable[[int, int, list[int]], None] | None = None,
) -> int:
    """Queue one Celery task per batch of due reminders; return how many people were queued.

    The tasks are sent at once rather than on commit: this function writes nothing, and the
    batch re-reads everything it needs. Queueing the same people twice (two overlapping beat
    runs) is harmless: the claims in ``reminder_batch_send`` let one of them through.
    With ``CELERY_TASK_ALWAYS_EAGER`` (no Redis) each batch runs here, in this process.
    ``dispatch`` replaces the Celery call (benchmarks, tests).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    now = now or timezone.now()
    dispatch = dispatch or _queue_batch
    by_offset = defaultdict(list)
    for member_id, offset in reminders_due(consultation=consultation, now=now):
        by_offset[offset].append(member_id)
    queued = 0
    for offset, member_ids in sorted(by_offset.items(), reverse=True):
        for start in range(0, len(member_ids), batch_size):
            batch = member_ids[start : start + batch_size]
            dispatch(consultation.pk, offset, batch)
            queued += len(batch)
    return queued


def consultations_with_reminders_open(now: datetime.datetime):
    """Published consultations that someone may still answer now (the general or a personal deadline)."""
    extended = ExtensionRequest.objects.filter(
        status=ExtensionRequest.Status.GRANTED, granted_until__gt=now
    ).values("consultation_id")
    opened = Consultation.objects.in_state(Consultation.State.OPEN, Consultation.State.CLOSED, now=now)
    return opened.filter(Q(closes_at__gt=now) | Q(pk__in=extended))


def reminders_run_due(*, now: datetime.datetime | None = None) -> int:
    """For Celery beat: queue the due reminders of every open consultation; return how many were queued."""
    now = now or timezone.now()
    return sum(
        reminders_enqueue(consultation=consultation, now=now)
        for consultation in consultations_with_reminders_open(now)
    )


# ---------------------------------------------------------------- sending one batch


def _respond_url(consultation: Consultation) -> str:
    return absolute_reverse("consultations:consultation_respond", consultation.slug)


def reminder_stop_token(*, consultation_id: int, member_id: int) -> str:
    """The signed token of the one-click stop link; it is signed with its time and lasts STOP_LINK_MAX_AGE.

    Without a nonce (``casm.signed_links``): stopping reminders twice does no harm, and the links
    already sent keep working.
    """
    return link_token(purpose=OPT_OUT_SALT, object_id=consultation_id, member_id=member_id, nonce=None)


def reminder_stop_url(*, consultation_id: int, member_id: int) -> str:
    token = reminder_stop_token(consultation_id=consultation_id, member_id=member_id)
    return absolute_reverse("consultations:reminder_stop", token)


def _reminder_mail(consultation, member, *, offset: int, deadline) -> Mail:
    stop_url = reminder_stop_url(consultation_id=consultation.pk, member_id=member.pk)
    # RFC 8058: mail clients offer their own one-click "unsubscribe", which POSTs to the link.
    headers = {"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return render_mail(
        to=member.email,
        template="consultations/email/reminder",
        context={
            "member": member,
            "consultation": consultation,
            "deadline": deadline,
            "offset": offset,
            "respond_url": _respond_url(consultation),
            "stop_url": stop_url,
        },
        language=member_language(member),
        recipient=member,
        headers=headers,
    )


def reminder_batch_send(
    *, consultation_id: int, offset: int, member_ids: list[int], now: datetime.datetime | None = None
) -> int:
    """Queue the reminder at ``offset`` for each of ``member_ids`` still due; return how many were queued.

    Re-checked here, right before queueing (the queue may be late): the person is still in the
    audience, has not submitted, has not stopped reminders, their own deadline has not passed,
    and nobody claimed them for this offset. The claims and their mail commit together.
    """
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not consultation.is_published:
        return 0
    pending = _pending_member_ids(consultation, member_ids=member_ids)
    claimed = set(
        ReminderSent.objects.filter(
            consultation=consultation, offset_days=offset, member_id__in=pending
        ).values_list("member_id", flat=True)
    )
    members = list(
        Member.objects.filter(pk__in=[pk for pk in pending if pk not in claimed])
        .select_related("user")
        .order_by("pk")
    )
    if not members:
        return 0
    personal = selectors.personal_deadlines(consultation)
    now = now or timezone.now()
    # Rendered before anything is written: a template error leaves no claim behind.
    mails = {}
    for member in members:
        deadline = personal.get(member.pk, consultation.closes_at)
        if now < deadline:
            mails[member.pk] = _reminder_mail(consultation, member, offset=offset, deadline=deadline)
    if not mails:  # everyone's deadline passed: no notice without mail on the staff mail page
        return 0
    notice = notice_get_or_create(**notice_of(consultation, "consultations.reminder", days=offset))
    return claims_queue(
        model=ReminderSent,
        notice=notice,
        common={"consultation_id": consultation.pk, "offset_days": offset},
        mails=mails,
    )


# ---------------------------------------------------------------- stopping reminders


def reminder_token_read(token: str) -> tuple[Consultation, Member]:
    """The consultation and member a stop token names; ValidationError when forged, tampered or stale.

    An expired link (older than STOP_LINK_MAX_AGE) raises it with the code ``expired``.
    """
    try:
        link = link_read(token, purpose=OPT_OUT_SALT, max_age=STOP_LINK_MAX_AGE)
    except LinkExpired:
        message = _(
            "This link has expired: links to stop reminders work for a year after the reminder was sent. "
            "Use the link in a more recent reminder, or write to the secretariat."
        )
        raise ValidationError(message, code="expired") from None
    except LinkInvalid:
        link = None
    try:
        if link is None or link.nonce is not None:
            raise ValueError("not a stop link")
        consultation = Consultation.objects.get(pk=link.object_id)
        member = Member.objects.get(pk=link.member_id)
    except (ValueError, Consultation.DoesNotExist, Member.DoesNotExist):
        message = _("This link is not valid. Copy the whole link from the reminder email.")
        raise ValidationError(message) from None
    return consultation, member


def reminder_opt_out(*, token: str) -> ReminderOptOut:
    """Stop reminders of one consultation for the person the signed ``token`` names (idempotent).

    The token is the authority, so no login is needed; a forged or altered one changes nothing.
    The opt-out row is its own record (who, which consultation, when).
    """
    consultation, member = reminder_token_read(token)
    with transaction.atomic():
        opt_out, _created = ReminderOptOut.objects.get_or_create(consultation=consultation, member=member)
    return opt_out


def reminder_is_stopped(*, consultation: Consultation, member: Member) -> bool:
    return ReminderOptOut.objects.filter(consultation=consultation, member=member).exists()
