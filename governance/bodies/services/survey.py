"""The survey of continued service (§1): a body's current members are asked whether they will go on.

Sending
    Staff send a survey to the current holders of a body's seats (``Seat.holder``), frozen then:
    one ``SurveyInvitation`` each, with a random nonce. The survey, the invitations and each
    member's mail (in their language, with their signed link) are written in one transaction: the
    mail exists exactly when the survey does (``casm.outbox``).

Answering
    "Will you continue to serve?" yes / no / undecided, and comments. A member answers through the
    signed link of their mail, without logging in (``casm.signed_links``: the link binds the survey,
    the member and the invitation's nonce), or logged in, in the portal. An answer may be changed
    until the deadline, enforced here in UTC; after it, or with a forged, altered or expired link,
    or with someone else's link while logged in as another member, nothing is recorded.

Reminders
    Members who have not answered are reminded at the survey's offsets (days before the deadline),
    at the nearest offset that has passed (``casm.reminders``), each claimed once per person and
    offset (``SurveyReminderSent``, written with its mail by ``casm.outbox.services.claims``). Staff
    may also remind them by hand, once each (offset 0).

Every change is in the history of the survey and of the invitations, with who made it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history
from casm.links import absolute_reverse
from casm.outbox.services.claims import claims_queue
from casm.outbox.services.queue import Mail, messages_queue, notice_get_or_create, render_mail
from casm.reminders import clean_reminder_offsets, nearest_due_offset, reminder_offsets_of
from casm.signed_links import link_record, link_token, new_nonce
from casm.timezones import check_zone, local_to_utc
from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, SurveyReminderSent
from governance.bodies.notices import notice_of
from governance.bodies.tasks import survey_reminder_batch_send_task
from network.models import Member
from network.permissions import link_check_user, member_of, require_secretariat
from network.services.notify import member_language

STAFF_ONLY = gettext_lazy("Only secretariat staff may survey a body's members.")
LINK_PURPOSE = "casm.bodies.survey-answer"
# A link works long after any real deadline; the deadline itself is what closes answers.
LINK_MAX_AGE = datetime.timedelta(days=365)
DEFAULT_REMINDER_OFFSETS = (7, 2)
BY_HAND = 0  # the offset of a reminder staff send by hand
DEFAULT_BATCH_SIZE = 500

Answer = SurveyInvitation.Answer


# ---------------------------------------------------------------- sending


def survey_link_token(invitation: SurveyInvitation) -> str:
    return link_token(
        purpose=LINK_PURPOSE,
        object_id=invitation.survey_id,
        member_id=invitation.member_id,
        nonce=invitation.nonce,
    )


def survey_link_url(invitation: SurveyInvitation) -> str:
    return absolute_reverse("bodies:survey_answer_link", survey_link_token(invitation))


def _survey_mail(survey: Survey, invitation: SurveyInvitation, *, template: str, offset=None) -> Mail:
    member = invitation.member
    return render_mail(
        to=member.email,
        template=template,
        context={
            "member": member,
            "survey": survey,
            "body": survey.body,
            "offset": offset,
            "answer_url": survey_link_url(invitation),
            "portal_url": absolute_reverse("bodies:survey_answer", survey.pk),
        },
        language=member_language(member),
        recipient=member,
    )


def current_holders(body: Body) -> list[tuple[Member, Seat]]:
    """The members holding a seat of ``body`` now, each once (with their first seat)."""
    seen: dict[int, tuple[Member, Seat]] = {}
    seats = Seat.objects.filter(body=body, holder__isnull=False).select_related("holder__user").order_by("pk")
    for seat in seats:
        seen.setdefault(seat.holder_id, (seat.holder, seat))
    return list(seen.values())


@transaction.atomic
def survey_send(
    *,
    actor,
    body: Body,
    deadline: datetime.datetime,
    time_zone: str,
    reminder_offsets: Iterable[int] | None = None,
    message: str = "",
    now: datetime.datetime | None = None,
) -> Survey:
    """Ask the current members of ``body`` whether they will continue to serve; mail each of them.

    Rules: secretariat staff only; the deadline (wall-clock in ``time_zone``, or aware) is in the
    future; the body has at least one current member. The invitations and their mail are written
    with the survey, in this transaction.
    """
    require_secretariat(actor, STAFF_ONLY)
    now = now or timezone.now()
    check_zone(time_zone)
    deadline = local_to_utc(deadline, time_zone, field="deadline")
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    holders = current_holders(body)
    if not holders:
        raise ValidationError(_("This body has no current members to survey."))
    survey = Survey(
        body=body,
        message=message.strip(),
        deadline=deadline,
        time_zone=time_zone,
        reminder_offsets=clean_reminder_offsets(reminder_offsets, default=DEFAULT_REMINDER_OFFSETS),
        sent_at=now,
        sent_by=actor,
    )
    save_with_history(survey, actor=actor, reason="Survey sent")
    invitations = [
        SurveyInvitation(survey=survey, member=member, seat=seat, nonce=new_nonce())
        for member, seat in holders
    ]
    mails = [_survey_mail(survey, invitation, template="bodies/email/survey") for invitation in invitations]
    notice = notice_get_or_create(**notice_of(survey, "bodies.survey"))
    for invitation, queued in zip(invitations, messages_queue(notice=notice, mails=mails), strict=True):
        invitation.message = queued
        save_with_history(invitation, actor=actor, reason="Invited to the survey")
    return survey


# ---------------------------------------------------------------- answering


def _record_answer(
    invitation: SurveyInvitation, *, answer: str, comment: str, via: str, user, now: datetime.datetime
) -> SurveyInvitation:
    """Lock the invitation, check the deadline, record the answer with its author (one transaction)."""
    invitation = SurveyInvitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    if not invitation.survey.is_open(now):
        raise ValidationError(
            _("This survey closed on its deadline: answers can no longer be given or changed."), code="closed"
        )
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose one of the answers.")})
    changed = bool(invitation.answer)
    invitation.answer = answer
    invitation.comment = comment.strip()
    invitation.answered_at = now
    invitation.answered_via = via
    invitation.answered_by = user if via == SurveyInvitation.Channel.PORTAL else None
    reason = ("Answer changed" if changed else "Answered") + (
        " through the signed link" if via == SurveyInvitation.Channel.LINK else " in the portal"
    )
    save_with_history(invitation, actor=user, reason=reason)
    return invitation


def survey_link_read(token: str) -> SurveyInvitation:
    """The invitation a signed link names; ValidationError (code ``expired`` or ``invalid``) otherwise
    (``casm.signed_links.link_record``: found by the survey AND the member, with the nonce)."""
    invitations = SurveyInvitation.objects.select_related("survey__body", "member")
    return link_record(
        token, purpose=LINK_PURPOSE, max_age=LINK_MAX_AGE, records=invitations, object_field="survey_id"
    )


def survey_link_check_user(invitation: SurveyInvitation, user) -> None:
    """Refuse a link opened by someone logged in as another member: it is not theirs to answer."""
    link_check_user(invitation.member_id, user)


@transaction.atomic
def survey_answer_by_link(
    *, token: str, answer: str, comment: str = "", actor=None, now: datetime.datetime | None = None
) -> SurveyInvitation:
    """Record the answer of the member the signed ``token`` names (no login needed).

    The token is the authority: forged, altered or expired, it records nothing; so does a link
    opened while logged in as another member (``actor``), and any answer after the deadline. The
    history names the member's own account, when they have one, as the author.
    """
    invitation = survey_link_read(token)
    survey_link_check_user(invitation, actor)
    return _record_answer(
        invitation,
        answer=answer,
        comment=comment,
        via=SurveyInvitation.Channel.LINK,
        user=invitation.member.user if invitation.member.user_id else None,
        now=now or timezone.now(),
    )


@transaction.atomic
def survey_answer(
    *, actor, survey: Survey, answer: str, comment: str = "", now: datetime.datetime | None = None
) -> SurveyInvitation:
    """Record the logged-in member's own answer to ``survey``; only someone invited may answer."""
    member = member_of(actor)
    invitation = (
        SurveyInvitation.objects.filter(survey=survey, member=member).first() if member is not None else None
    )
    if invitation is None:
        raise PermissionDenied(_("You were not asked in this survey."))
    return _record_answer(
        invitation,
        answer=answer,
        comment=comment,
        via=SurveyInvitation.Channel.PORTAL,
        user=actor,
        now=now or timezone.now(),
    )


# ---------------------------------------------------------------- reminders


def _unanswered(survey: Survey, *, member_ids=None):
    invitations = SurveyInvitation.objects.filter(survey=survey, answer="")
    if member_ids is not None:
        invitations = invitations.filter(member_id__in=member_ids)
    return invitations


def survey_reminders_due(*, survey: Survey, now: datetime.datetime) -> list[tuple[int, int]]:
    """(member id, offset) of everyone to remind now: unanswered, at the nearest passed offset, unclaimed.

    Queries: none before the first offset or after the deadline; else two (unanswered, claims).
    """
    offset = nearest_due_offset(reminder_offsets_of(survey.reminder_offsets), survey.deadline, now)
    if offset is None:
        return []
    claims = SurveyReminderSent.objects.filter(survey=survey, offset_days=offset)
    claimed = set(claims.values_list("member_id", flat=True))
    pending = _unanswered(survey).order_by("member_id").values_list("member_id", flat=True)
    return [(member_id, offset) for member_id in pending if member_id not in claimed]


def _queue_batch(survey_id: int, offset: int, member_ids: list[int]) -> None:
    survey_reminder_batch_send_task.delay(survey_id, offset, member_ids)


def survey_reminders_enqueue(
    *,
    survey: Survey,
    now: datetime.datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dispatch: Callable[[int, int, list[int]], None] | None = None,
) -> int:
    """Queue one Celery task per batch of due reminders; return how many people were queued.

    Queueing the same people twice is harmless: the claims let one reminder through.
    """
    now = now or timezone.now()
    dispatch = dispatch or _queue_batch
    by_offset = defaultdict(list)
    for member_id, offset in survey_reminders_due(survey=survey, now=now):
        by_offset[offset].append(member_id)
    queued = 0
    for offset, member_ids in by_offset.items():
        for start in range(0, len(member_ids), batch_size):
            dispatch(survey.pk, offset, member_ids[start : start + batch_size])
            queued += len(member_ids[start : start + batch_size])
    return queued


def survey_reminders_run_due(*, now: datetime.datetime | None = None) -> int:
    """For Celery beat: queue the due reminders of every survey still open; return how many were queued."""
    now = now or timezone.now()
    return sum(
        survey_reminders_enqueue(survey=survey, now=now) for survey in Survey.objects.filter(deadline__gt=now)
    )


def _claim_and_queue(survey: Survey, offset: int, invitations: list[SurveyInvitation]) -> int:
    # Rendered before anything is written: a template error leaves no claim behind.
    mails = {
        invitation.member_id: _survey_mail(
            survey, invitation, template="bodies/email/survey_reminder", offset=offset
        )
        for invitation in invitations
    }
    if not mails:
        return 0
    notice = notice_get_or_create(**notice_of(survey, "bodies.survey_reminder", days=offset))
    return claims_queue(
        model=SurveyReminderSent,
        notice=notice,
        common={"survey_id": survey.pk, "offset_days": offset},
        mails=mails,
    )


def _still_due(survey: Survey, offset: int, member_ids=None) -> list[SurveyInvitation]:
    claimed = SurveyReminderSent.objects.filter(survey=survey, offset_days=offset).values("member_id")
    return list(
        _unanswered(survey, member_ids=member_ids)
        .exclude(member_id__in=claimed)
        .select_related("member__user")
        .order_by("member_id")
    )


def survey_reminder_batch_send(
    *, survey_id: int, offset: int, member_ids: list[int], now: datetime.datetime | None = None
) -> int:
    """Queue the reminder at ``offset`` for each of ``member_ids`` still due; return how many.

    Re-checked here (the queue may be late): the survey is open, the member has not answered, and
    nobody claimed them for this offset. The claims and their mail commit together.
    """
    survey = Survey.objects.select_related("body").filter(pk=survey_id).first()
    if survey is None or not survey.is_open(now):
        return 0
    return _claim_and_queue(survey, offset, _still_due(survey, offset, member_ids))


def survey_remind_now(*, actor, survey: Survey, now: datetime.datetime | None = None) -> int:
    """Staff remind, by hand, the members who have not answered: once each; return how many were queued."""
    require_secretariat(actor, STAFF_ONLY)
    if not survey.is_open(now):
        raise ValidationError(_("This survey is closed: there is no one left to remind."))
    return _claim_and_queue(survey, BY_HAND, _still_due(survey, BY_HAND))
