"""Endorsement of a slate by the network (§1): a window opens, members answer, the outcome is counted once.

Opening
    Secretariat staff open a window for a DRAFT slate that ``slate_problems`` finds nothing wrong
    with, whatever is posted. The audience (all active members, or those of chosen chambers:
    ``network.selectors.active_members``, the consultations' audience too) is frozen then, one
    ``EndorsementInvitation`` each with the member's chamber and a random nonce. A small audience's
    mail is written in the same transaction; a large one is fanned out after the commit, one
    Celery task per batch, each invitation claimed once (its ``message``, under a row lock).

Answering
    Endorse, object (with a comment) or abstain: through the signed link of the mail, without
    logging in (``casm.signed_links``: the window, the member and the invitation's nonce), or in
    the portal. One answer per member per window (a database constraint). A second answer
    replaces the first only while the window is open and allows changes: otherwise a link that
    answered once cannot answer again (single use) and the portal refuses too.

Reminders
    Members who have not answered are reminded at the window's offsets (days before the close),
    at the nearest passed offset (``casm.reminders``), claimed once per member and offset
    (``EndorsementReminder``, written with its mail by ``casm.outbox.services.claims``).

Closing
    Beat runs ``windows_close_due``: each window past its close is counted once (a row lock and
    ``outcome_computed_at``) by ``outcome_compute`` on the figures per chamber (one aggregate
    query); the outcome, its reason and figures are recorded, the slate becomes ENDORSED or
    NOT_ENDORSED, and the audience is told the outcome by mail (batches, claimed on the invitation).
    A window can be extended before its close, never after.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
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
from governance.slates.models import (
    EndorsementAnswer,
    EndorsementInvitation,
    EndorsementReminder,
    EndorsementWindow,
    Slate,
)
from governance.slates.notices_endorsement import notice_of
from governance.slates.outcome import ChamberFigures, outcome_compute
from governance.slates.services.checks import slate_problems
from governance.slates.tasks import window_mail_batch_send_task, window_reminder_batch_send_task
from network.permissions import link_check_user, member_of, require_secretariat
from network.selectors import active_members
from network.services.notify import member_language

STAFF_ONLY = gettext_lazy("Only secretariat staff may open or extend an endorsement window.")
LINK_PURPOSE = "slates.endorsement"
# Links expire: long after any real window (the close itself is what stops answers), never forever.
LINK_MAX_AGE = datetime.timedelta(days=180)
DEFAULT_REMINDER_OFFSETS = (7, 2)
DEFAULT_BATCH_SIZE = 500
INVITATION, OUTCOME = "invitation", "outcome"  # the two mails claimed on the invitation's row
# Outcome notices still missing are looked for this long after a close (a batch lost with its worker).
CATCH_UP = datetime.timedelta(days=7)

Window = EndorsementWindow
Choice = EndorsementAnswer.Choice


def window_is_open(window: EndorsementWindow, now: datetime.datetime | None = None) -> bool:
    """Whether answers are taken: not counted yet, and before the close (UTC, on the server)."""
    return window.outcome_computed_at is None and (now or timezone.now()) < window.closes_at


def window_audience(*, audience: str, chambers: Iterable = ()):
    """The members a window with this audience would invite now (the network's shared audience)."""
    if audience == Window.Audience.CHAMBERS:
        return active_members(chambers=list(chambers))
    return active_members()


# ---------------------------------------------------------------- links and mail


def window_link_token(invitation: EndorsementInvitation) -> str:
    return link_token(
        purpose=LINK_PURPOSE,
        object_id=invitation.window_id,
        member_id=invitation.member_id,
        nonce=invitation.nonce,
    )


def window_link_url(invitation: EndorsementInvitation) -> str:
    return absolute_reverse("slates:endorsement_link", window_link_token(invitation))


def _mail(window: EndorsementWindow, invitation: EndorsementInvitation, *, kind: str, offset=None) -> Mail:
    member = invitation.member
    template = {
        INVITATION: "slates/endorsement/email/invitation",
        OUTCOME: "slates/endorsement/email/outcome",
        "reminder": "slates/endorsement/email/reminder",
    }[kind]
    return render_mail(
        to=member.email,
        template=template,
        context={
            "member": member,
            "window": window,
            "slate": window.slate,
            "body": window.slate.body,
            "offset": offset,
            "answer_url": window_link_url(invitation) if kind != OUTCOME else "",
            "portal_url": absolute_reverse("slates:endorsement_answer", window.pk),
            "outcome_url": absolute_reverse("slates:endorsement_outcome", window.pk),
        },
        language=member_language(member),
        recipient=member,
    )


_CLAIM_FIELD = {INVITATION: "message", OUTCOME: "outcome_message"}
_NOTICE_KIND = {INVITATION: "slates.endorsement", OUTCOME: "slates.endorsement_outcome"}


def _queue_batch(window_id: int, kind: str, member_ids: list[int]) -> None:
    window_mail_batch_send_task.delay(window_id, kind, member_ids)


def window_mail_enqueue(
    *,
    window_id: int,
    kind: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dispatch: Callable[[int, str, list[int]], None] | None = None,
) -> int:
    """Queue one Celery task per batch of invited members whose ``kind`` mail is not written yet.

    Queueing the same people twice is harmless: each invitation is claimed once. One query.
    """
    dispatch = dispatch or _queue_batch
    member_ids = list(
        EndorsementInvitation.objects.filter(window_id=window_id, **{f"{_CLAIM_FIELD[kind]}__isnull": True})
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    for start in range(0, len(member_ids), batch_size):
        dispatch(window_id, kind, member_ids[start : start + batch_size])
    return len(member_ids)


def window_mail_batch_send(*, window_id: int, kind: str, member_ids: list[int]) -> int:
    """Write the ``kind`` mail (invitation or outcome) of each of ``member_ids`` not yet written.

    Re-checked here (the queue may be late): no invitation is mailed once the window is counted,
    no outcome before. Each invitation is locked (others' batches skip it) and its mail and claim
    commit together, so a batch delivered twice writes nothing twice. Returns how many were written.
    """
    if kind not in _CLAIM_FIELD:
        raise ValueError(f"unknown mail {kind!r}")
    field = _CLAIM_FIELD[kind]
    window = EndorsementWindow.objects.select_related("slate__body").filter(pk=window_id).first()
    if window is None or (window.outcome_computed_at is None) != (kind == INVITATION):
        return 0
    with transaction.atomic():
        invitations = list(
            EndorsementInvitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(window=window, member_id__in=member_ids, **{f"{field}__isnull": True})
            .select_related("member__user")
            .order_by("member_id")
        )
        if not invitations:
            return 0
        # Rendered before anything is written: a template error leaves no claim behind.
        mails = [_mail(window, invitation, kind=kind) for invitation in invitations]
        notice = notice_get_or_create(**notice_of(window, _NOTICE_KIND[kind]))
        for invitation, message in zip(invitations, messages_queue(notice=notice, mails=mails), strict=True):
            setattr(invitation, field, message)
        EndorsementInvitation.objects.bulk_update(invitations, [field], batch_size=DEFAULT_BATCH_SIZE)
    return len(invitations)


# ---------------------------------------------------------------- opening and extending


@transaction.atomic
def window_open(
    *,
    actor,
    slate: Slate,
    closes_at: datetime.datetime,
    time_zone: str,
    audience: str = Window.Audience.ALL_ACTIVE,
    chambers: Iterable = (),
    reminder_offsets: Iterable[int] | None = None,
    rule: str = Window.Rule.OBJECTION_THRESHOLD,
    objection_share: Fraction | str = Fraction(1, 3),
    min_turnout_percent: int = 0,
    answers_can_change: bool = True,
    now: datetime.datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> EndorsementWindow:
    """Open ``slate``'s endorsement by the network and invite its audience by mail.

    Rules: secretariat staff only; the slate is being composed (DRAFT) and ``slate_problems``
    finds nothing (checked here, under a lock on the slate, whatever a form posted); the close
    (wall-clock in ``time_zone``, or aware) is in the future; the audience is not empty. The
    invitations are frozen in this transaction; an audience of up to ``batch_size`` gets its mail
    here too, a larger one through Celery batches once the window is committed.
    """
    require_secretariat(actor, STAFF_ONLY)
    now = now or timezone.now()
    slate = Slate.objects.select_for_update().select_related("body").get(pk=slate.pk)
    if slate.status != Slate.Status.DRAFT:
        raise ValidationError(
            _("Only a slate being composed can go to endorsement; this one is “%(status)s”.")
            % {"status": slate.get_status_display()},
            code="status",
        )
    problems = slate_problems(slate)
    if problems:
        raise ValidationError([ValidationError(str(p), code=p.code) for p in problems])
    check_zone(time_zone)
    closes_at = local_to_utc(closes_at, time_zone, field="closes_at")
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The close must be in the future.")})
    chambers = list(chambers)
    if audience == Window.Audience.CHAMBERS and not chambers:
        raise ValidationError({"chambers": _("Choose at least one chamber, or all active members.")})
    share = Fraction(objection_share)
    if not 0 < share <= 1 or share.denominator > 1000:
        raise ValidationError(
            {"objection_share": _("The share of objections is a fraction between 0 and 1.")}
        )
    window = EndorsementWindow(
        slate=slate,
        audience=audience,
        time_zone=time_zone,
        opens_at=now,
        closes_at=closes_at,
        reminder_offsets=clean_reminder_offsets(reminder_offsets, default=DEFAULT_REMINDER_OFFSETS),
        rule=rule,
        objection_numerator=share.numerator,
        objection_denominator=share.denominator,
        min_turnout_percent=min_turnout_percent,
        answers_can_change=answers_can_change,
        opened_by=actor,
    )
    save_with_history(window, actor=actor, reason="Endorsement window opened")
    if audience == Window.Audience.CHAMBERS:
        window.chambers.set(chambers)
    members = (
        window_audience(audience=audience, chambers=chambers)
        .filter(sector__chamber__isnull=False)
        .order_by("pk")
        .values_list("pk", "sector__chamber_id")
    )
    invitations = EndorsementInvitation.objects.bulk_create(
        [
            EndorsementInvitation(
                window=window, member_id=member_id, chamber_id=chamber_id, nonce=new_nonce()
            )
            for member_id, chamber_id in members
        ],
        batch_size=2000,
    )
    if not invitations:
        raise ValidationError(_("No active member is in this audience: nobody could endorse the slate."))
    slate.status = Slate.Status.ENDORSEMENT
    save_with_history(slate, actor=actor, reason="Sent to endorsement by the network")
    member_ids = [invitation.member_id for invitation in invitations]
    if len(member_ids) <= batch_size:
        window_mail_batch_send(window_id=window.pk, kind=INVITATION, member_ids=member_ids)
    else:
        transaction.on_commit(
            lambda: window_mail_enqueue(window_id=window.pk, kind=INVITATION, batch_size=batch_size)
        )
    return window


@transaction.atomic
def window_extend(
    *,
    actor,
    window: EndorsementWindow,
    closes_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> EndorsementWindow:
    """Move the close of an open window later (wall-clock in the window's zone, or aware).

    Rules: secretariat staff only; the window is still open (never after its close, nor once
    counted); the new close is later than the current one.
    """
    require_secretariat(actor, STAFF_ONLY)
    now = now or timezone.now()
    window = EndorsementWindow.objects.select_for_update().get(pk=window.pk)
    if not window_is_open(window, now):
        raise ValidationError(_("This window has closed: it can no longer be extended."), code="closed")
    closes_at = local_to_utc(closes_at, window.time_zone, field="closes_at")
    if closes_at <= window.closes_at:
        raise ValidationError({"closes_at": _("The new close must be later than the current one.")})
    window.closes_at = closes_at
    save_with_history(window, actor=actor, reason="Close extended")
    return window


# ---------------------------------------------------------------- answering


def window_link_read(token: str, *, invitations=None) -> EndorsementInvitation:
    """The invitation a signed link names; ValidationError (code ``expired`` or ``invalid``) otherwise
    (``casm.signed_links.link_record``: found by the window AND the member, with the nonce).

    ``invitations`` narrows what is loaded (default: with the window, its slate and body, and the
    member, for the pages).
    """
    if invitations is None:
        invitations = EndorsementInvitation.objects.select_related("window__slate__body", "member")
    return link_record(
        token, purpose=LINK_PURPOSE, max_age=LINK_MAX_AGE, records=invitations, object_field="window_id"
    )


def window_link_check_user(invitation: EndorsementInvitation, user) -> None:
    """Refuse a link opened by someone logged in as another member: it is not theirs to answer."""
    link_check_user(invitation.member_id, user)


def window_closed_error() -> ValidationError:
    return ValidationError(
        _("This endorsement window is closed: answers can no longer be given or changed."), code="closed"
    )


def _record_answer(
    invitation: EndorsementInvitation, *, choice: str, comment: str, now: datetime.datetime
) -> EndorsementAnswer:
    """Lock the invitation, check the close, record or replace the answer (in the caller's transaction)."""
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Choose one of the answers.")})
    # The lock serialises one member's answers; the unique constraint is the last word.
    invitation = (
        EndorsementInvitation.objects.select_for_update(of=("self",))
        .select_related("window")
        .get(pk=invitation.pk)
    )
    window = invitation.window
    if not window_is_open(window, now):
        raise window_closed_error()
    comment = comment.strip()
    answer = EndorsementAnswer.objects.filter(window_id=window.pk, member_id=invitation.member_id).first()
    if answer is not None:
        if not window.answers_can_change:
            raise ValidationError(
                _("You have already answered, and answers in this window cannot be changed."), code="used"
            )
        answer.choice, answer.comment, answer.changed_at = choice, comment, now
        answer.full_clean(validate_unique=False, validate_constraints=False)
        answer.save(update_fields=["choice", "comment", "changed_at"])
        return answer
    answer = EndorsementAnswer(
        window_id=window.pk,
        member_id=invitation.member_id,
        chamber_id=invitation.chamber_id,
        choice=choice,
        comment=comment,
        answered_at=now,
    )
    # The database checks "once per member" (below): not a second query here.
    answer.full_clean(
        exclude=["window", "member", "chamber"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            answer.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("You have already answered in this window."), code="used") from None
    return answer


@transaction.atomic
def window_answer_by_link(
    *, token: str, choice: str, comment: str = "", actor=None, now: datetime.datetime | None = None
) -> EndorsementAnswer:
    """Record the answer of the member the signed ``token`` names (no login needed).

    The token is the authority: forged, altered or expired, it records nothing; so does a link
    opened while logged in as another member (``actor``), a second use when answers cannot
    change, and any answer after the close. Answers have no history (staff must not see who said
    what); the answer row itself records when.
    """
    # Only what the answer needs: ``_record_answer`` locks the row and reads the window itself.
    invitation = window_link_read(token, invitations=EndorsementInvitation.objects.only("pk", "nonce"))
    window_link_check_user(invitation, actor)
    return _record_answer(invitation, choice=choice, comment=comment, now=now or timezone.now())


@transaction.atomic
def window_answer(
    *, actor, window: EndorsementWindow, choice: str, comment: str = "", now: datetime.datetime | None = None
) -> EndorsementAnswer:
    """Record the logged-in member's own answer in ``window``; only a member invited may answer."""
    member = member_of(actor)
    invitation = (
        EndorsementInvitation.objects.filter(window=window, member=member).first()
        if member is not None
        else None
    )
    if invitation is None:
        raise PermissionDenied(_("You are not in the audience of this endorsement."))
    return _record_answer(invitation, choice=choice, comment=comment, now=now or timezone.now())


# ---------------------------------------------------------------- reminders


def _unanswered(window: EndorsementWindow):
    answered = EndorsementAnswer.objects.filter(window=window).values("member_id")
    return EndorsementInvitation.objects.filter(window=window).exclude(member_id__in=answered)


def window_reminders_due(*, window: EndorsementWindow, now: datetime.datetime) -> list[tuple[int, int]]:
    """(member id, offset) of everyone to remind now: unanswered, at the nearest passed offset, unclaimed."""
    if window.outcome_computed_at is not None:
        return []
    offset = nearest_due_offset(reminder_offsets_of(window.reminder_offsets), window.closes_at, now)
    if offset is None:
        return []
    claimed = EndorsementReminder.objects.filter(window=window, offset_days=offset).values("member_id")
    pending = _unanswered(window).exclude(member_id__in=claimed).order_by("member_id")
    return [(member_id, offset) for member_id in pending.values_list("member_id", flat=True)]


def _queue_reminders(window_id: int, offset: int, member_ids: list[int]) -> None:
    window_reminder_batch_send_task.delay(window_id, offset, member_ids)


def window_reminders_run_due(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dispatch: Callable[[int, int, list[int]], None] | None = None,
) -> int:
    """For Celery beat: queue the due reminders of every open window, one task per batch; how many."""
    now = now or timezone.now()
    dispatch = dispatch or _queue_reminders
    queued = 0
    for window in EndorsementWindow.objects.filter(outcome_computed_at__isnull=True, closes_at__gt=now):
        by_offset = defaultdict(list)
        for member_id, offset in window_reminders_due(window=window, now=now):
            by_offset[offset].append(member_id)
        for offset, member_ids in by_offset.items():
            for start in range(0, len(member_ids), batch_size):
                dispatch(window.pk, offset, member_ids[start : start + batch_size])
            queued += len(member_ids)
    return queued


def window_reminder_batch_send(
    *, window_id: int, offset: int, member_ids: list[int], now: datetime.datetime | None = None
) -> int:
    """Queue the reminder at ``offset`` for each of ``member_ids`` still due; return how many.

    Re-checked here (the queue may be late): the window is open, the member has not answered, and
    nobody claimed them for this offset. The claims and their mail commit together.
    """
    window = EndorsementWindow.objects.select_related("slate__body").filter(pk=window_id).first()
    if window is None or not window_is_open(window, now):
        return 0
    claimed = EndorsementReminder.objects.filter(window=window, offset_days=offset).values("member_id")
    invitations = list(
        _unanswered(window)
        .filter(member_id__in=member_ids)
        .exclude(member_id__in=claimed)
        .select_related("member__user")
        .order_by("member_id")
    )
    if not invitations:
        return 0
    mails = {inv.member_id: _mail(window, inv, kind="reminder", offset=offset) for inv in invitations}
    notice = notice_get_or_create(**notice_of(window, "slates.endorsement_reminder", days=offset))
    return claims_queue(
        model=EndorsementReminder,
        notice=notice,
        common={"window_id": window.pk, "offset_days": offset},
        mails=mails,
    )


# ---------------------------------------------------------------- closing


def window_figures(window: EndorsementWindow) -> list[tuple[int, ChamberFigures]]:
    """(chamber id, figures) for each chamber of the audience, from the invitations (one query).

    Each invitation carries its answer's choice (a subquery on the unique (window, member)
    index); the rows are grouped by chamber and choice, so members who did not answer count as
    eligible only.
    """
    choice = EndorsementAnswer.objects.filter(window_id=window.pk, member_id=OuterRef("member_id")).values(
        "choice"
    )[:1]
    rows = (
        EndorsementInvitation.objects.filter(window_id=window.pk)
        .annotate(answer_choice=Subquery(choice))
        .values("chamber_id", "chamber__name", "answer_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[(row["chamber_id"], row["chamber__name"])][row["answer_choice"] or ""] += row["n"]
    return [
        (
            chamber_id,
            ChamberFigures(
                chamber=name,
                eligible=sum(by_choice.values()),
                endorsements=by_choice[Choice.ENDORSE],
                objections=by_choice[Choice.OBJECT],
                abstentions=by_choice[Choice.ABSTAIN],
            ),
        )
        for (chamber_id, name), by_choice in sorted(counts.items(), key=lambda item: item[0][1])
    ]


def _figures_json(figures: ChamberFigures, chamber_id=None) -> dict:
    return {
        "chamber_id": chamber_id,
        "chamber": figures.chamber,
        "eligible": figures.eligible,
        "answers": figures.answers,
        "endorsements": figures.endorsements,
        "objections": figures.objections,
        "abstentions": figures.abstentions,
    }


def window_close(*, window_id: int, now: datetime.datetime | None = None) -> bool:
    """Count a window past its close, once; return whether this call counted it.

    Under a row lock, a window already counted (``outcome_computed_at``) or not yet due is left
    alone, so the task running twice records one outcome. The slate becomes ENDORSED or
    NOT_ENDORSED; once committed, the audience is told the outcome by mail (batches).
    """
    now = now or timezone.now()
    with transaction.atomic():
        window = EndorsementWindow.objects.select_for_update().filter(pk=window_id).first()
        if window is None or window.outcome_computed_at is not None or now < window.closes_at:
            return False
        by_chamber = window_figures(window)
        outcome = outcome_compute(
            rule=window.rule,
            chambers=[figures for _id, figures in by_chamber],
            objection_share=Fraction(window.objection_numerator, window.objection_denominator),
            min_turnout=Fraction(window.min_turnout_percent, 100),
        )
        window.outcome = Window.Outcome.ENDORSED if outcome.endorsed else Window.Outcome.NOT_ENDORSED
        window.outcome_reason = outcome.reason
        window.outcome_figures = {
            "chambers": [_figures_json(figures, chamber_id) for chamber_id, figures in by_chamber],
            "totals": _figures_json(outcome.totals),
            "failing_chambers": list(outcome.failing_chambers),
        }
        window.outcome_computed_at = now
        save_with_history(window, actor=None, reason="Outcome counted at the close")
        slate = Slate.objects.select_for_update().get(pk=window.slate_id)
        slate.status = Slate.Status.ENDORSED if outcome.endorsed else Slate.Status.NOT_ENDORSED
        save_with_history(slate, actor=None, reason="Endorsement window closed")
        transaction.on_commit(lambda: window_mail_enqueue(window_id=window_id, kind=OUTCOME))
    return True


def windows_close_due(*, now: datetime.datetime | None = None) -> int:
    """For Celery beat: count every window past its close; catch up on mail a lost batch left unwritten.

    Returns how many windows this run counted.
    """
    now = now or timezone.now()
    due = EndorsementWindow.objects.filter(outcome_computed_at__isnull=True, closes_at__lte=now)
    closed = sum(window_close(window_id=pk, now=now) for pk in due.values_list("pk", flat=True))
    for pk in EndorsementWindow.objects.filter(outcome_computed_at__isnull=True).values_list("pk", flat=True):
        window_mail_enqueue(window_id=pk, kind=INVITATION)
    recent = EndorsementWindow.objects.filter(outcome_computed_at__gte=now - CATCH_UP)
    for pk in recent.values_list("pk", flat=True):
        window_mail_enqueue(window_id=pk, kind=OUTCOME)
    return closed
