"""Composing a slate (§1, §5): its composers add and remove nominees; each nominee is asked to accept.

Composing
    The secretariat, or a member holding a current seat on the body entitled to propose the slate
    (``governance.slates.permissions.can_compose_slate``), creates a slate for a target body and
    adds or removes nominees (active members), each with a role and, optionally, a seat of the
    body. Nominees come and go only while the slate is being composed (status draft).
    ``checks.slate_problems`` says, as they do, what keeps the slate from endorsement.

Asking
    The secretariat asks every nominee who has not answered: a mail in the recipient's language,
    through the outbox, with a signed link (purpose ``slates.nominee``: the slate, the member and
    the nominee's nonce). The nominee accepts or declines, with a comment, through the link without
    logging in, or logged in on the portal; the answer may change while the slate is a draft. A
    forged, altered or expired link, or a link opened while logged in as another member, records
    nothing.

Revising
    A slate the network did not endorse is revised as a new round (``previous``): its nominees are
    copied and must accept again. Both rounds stay visible.

Every change is saved with its author and reason (django-simple-history).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history, stamp
from casm.links import absolute_reverse
from casm.outbox.services.queue import messages_queue, notice_get_or_create, render_mail
from casm.signed_links import link_record, link_token, new_nonce
from governance.bodies.models import Body, Seat
from governance.slates import permissions
from governance.slates.models import Nominee, Slate
from governance.slates.notices import notice_of
from governance.slates.services.checks import slate_problems
from network.models import Member, Membership
from network.permissions import link_check_user, member_of, require_secretariat
from network.services.notify import member_language

COMPOSERS_ONLY = gettext_lazy(
    "Only the secretariat, or members of the body entitled to propose this slate, may compose it."
)
STAFF_ONLY = gettext_lazy("Only secretariat staff may ask nominees to accept.")
LINK_PURPOSE = "slates.nominee"
LINK_MAX_AGE = datetime.timedelta(days=90)


def _require_composer(actor, slate: Slate) -> None:
    if not permissions.can_compose_slate(actor, slate):
        raise PermissionDenied(COMPOSERS_ONLY)


def _require_draft(slate: Slate) -> None:
    if slate.status != Slate.Status.DRAFT:
        raise ValidationError(
            _("This slate is no longer being composed (%(status)s): its nominees cannot change.")
            % {"status": slate.get_status_display()},
            code="not_draft",
        )


def _locked(slate: Slate) -> Slate:
    return (
        Slate.objects.select_for_update(of=("self",)).select_related("body", "proposed_by").get(pk=slate.pk)
    )


# ---------------------------------------------------------------- composing


@transaction.atomic
def slate_create(*, actor, body: Body, title: str, proposed_by: Body | None = None, notes: str = "") -> Slate:
    """A new slate (round 1, being composed) for ``body``.

    Rules: the secretariat composes any slate; a member composes only in the name of a body on
    which they hold a seat (``proposed_by``); a body does not propose its own slate.
    """
    if not permissions.can_propose_for(actor, proposed_by):
        raise PermissionDenied(COMPOSERS_ONLY)
    if proposed_by is not None and proposed_by.pk == body.pk:
        raise ValidationError({"proposed_by": _("A body cannot propose its own slate.")})
    slate = Slate(
        body=body, proposed_by=proposed_by, title=title.strip(), notes=notes.strip(), created_by=actor
    )
    return save_with_history(slate, actor=actor, reason="Slate created")


def _check_seat(slate: Slate, seat: Seat | None) -> None:
    if seat is not None and seat.body_id != slate.body_id:
        raise ValidationError({"seat": _("This seat is not on the slate's body.")})


@transaction.atomic
def nominee_add(
    *, actor, slate: Slate, member: Member, role: str = Nominee.Role.MEMBER, seat: Seat | None = None
) -> Nominee:
    """Add ``member`` to a slate being composed, for ``role`` (and optionally a seat of the body).

    Rules: a composer of the slate; the slate is a draft; the member is active and not already on it.
    """
    _require_composer(actor, slate)
    slate = _locked(slate)
    _require_draft(slate)
    status = Membership.objects.filter(member=member).values_list("status", flat=True).first()
    if status != Membership.Status.ACTIVE:
        raise ValidationError({"member": _("Only active members of the network can be nominated.")})
    if slate.nominees.filter(member=member).exists():
        raise ValidationError(
            {"member": _("%(name)s is already on this slate.") % {"name": member.full_name}}
        )
    _check_seat(slate, seat)
    nominee = Nominee(slate=slate, member=member, role=role, seat=seat)
    return save_with_history(nominee, actor=actor, reason="Nominee added")


@transaction.atomic
def nominee_update(*, actor, nominee: Nominee, role: str, seat: Seat | None = None) -> Nominee:
    """Change a nominee's role or seat while the slate is a draft (their answer stands)."""
    _require_composer(actor, nominee.slate)
    slate = _locked(nominee.slate)
    _require_draft(slate)
    nominee = Nominee.objects.select_for_update(of=("self",)).get(pk=nominee.pk)
    _check_seat(slate, seat)
    nominee.role, nominee.seat = role, seat
    return save_with_history(nominee, actor=actor, reason="Nominee's role or seat changed")


@transaction.atomic
def nominee_remove(*, actor, nominee: Nominee) -> None:
    """Take a nominee off a slate being composed (the history keeps that they were on it)."""
    _require_composer(actor, nominee.slate)
    _require_draft(_locked(nominee.slate))
    stamp(nominee, actor=actor, reason="Nominee removed")
    nominee.delete()


def slate_require_ready(slate: Slate) -> None:
    """Refuse, naming every problem, a slate that breaks a rule of its body or whose nominees have not
    all accepted (``checks.slate_problems``): such a slate can never go to endorsement."""
    problems = slate_problems(slate)
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])


# ---------------------------------------------------------------- asking the nominees


def nominee_link_token(nominee: Nominee) -> str:
    return link_token(
        purpose=LINK_PURPOSE, object_id=nominee.slate_id, member_id=nominee.member_id, nonce=nominee.nonce
    )


def nominee_link_url(nominee: Nominee) -> str:
    return absolute_reverse("slates:nominee_answer_link", nominee_link_token(nominee))


@transaction.atomic
def slate_ask_nominees(*, actor, slate: Slate) -> int:
    """Mail every nominee who has not answered, asking them to accept; return how many were asked.

    Rules: secretariat staff; the slate is a draft. Each mail is in the nominee's language, with
    their signed link, written to the outbox with the nominees in this transaction.
    """
    require_secretariat(actor, STAFF_ONLY)
    slate = _locked(slate)
    _require_draft(slate)
    pending = list(
        slate.nominees.select_for_update(of=("self",))
        .filter(status=Nominee.Status.PENDING)
        .select_related("member__user")
        .order_by("id")
    )
    if not pending:
        raise ValidationError(_("Every nominee has already answered: there is no one to ask."))
    now = timezone.now()
    mails = []
    for nominee in pending:
        nominee.nonce = nominee.nonce or new_nonce()
        member = nominee.member
        mails.append(
            render_mail(
                to=member.email,
                template="slates/email/nominee",
                context={
                    "member": member,
                    "slate": slate,
                    "body": slate.body,
                    "nominee": nominee,
                    "answer_url": nominee_link_url(nominee),
                    "portal_url": absolute_reverse("slates:nominee_answer", nominee.pk),
                },
                language=member_language(member),
                recipient=member,
            )
        )
    notice = notice_get_or_create(**notice_of(slate, "slates.nominee"))
    for nominee, queued in zip(pending, messages_queue(notice=notice, mails=mails), strict=True):
        nominee.asked_at, nominee.message = now, queued
        save_with_history(nominee, actor=actor, reason="Asked to accept the nomination")
    return len(pending)


def nominee_link_read(token: str) -> Nominee:
    """The nominee a signed link names; ValidationError (code ``expired`` or ``invalid``) otherwise
    (``casm.signed_links.link_record``: found by the slate AND the member, with the nonce)."""
    nominees = Nominee.objects.select_related("slate__body", "member__user")
    return link_record(
        token, purpose=LINK_PURPOSE, max_age=LINK_MAX_AGE, records=nominees, object_field="slate_id"
    )


def nominee_link_check_user(nominee: Nominee, user) -> None:
    """Refuse a link opened by someone logged in as another member: it is not theirs to answer."""
    link_check_user(nominee.member_id, user)


def _record_answer(nominee: Nominee, *, accept: bool, comment: str, user, via: str) -> Nominee:
    nominee = Nominee.objects.select_for_update(of=("self",)).select_related("slate").get(pk=nominee.pk)
    if nominee.slate.status != Slate.Status.DRAFT:
        raise ValidationError(
            _("This slate is no longer being composed: answers can no longer be given or changed."),
            code="closed",
        )
    nominee.status = Nominee.Status.ACCEPTED if accept else Nominee.Status.DECLINED
    nominee.comment = comment.strip()
    nominee.answered_at = timezone.now()
    reason = ("Accepted" if accept else "Declined") + f" the nomination {via}"
    return save_with_history(nominee, actor=user, reason=reason)


@transaction.atomic
def nominee_answer_by_link(*, token: str, accept: bool, comment: str = "", actor=None) -> Nominee:
    """Record the answer of the nominee the signed ``token`` names (no login needed).

    Forged, altered or expired, or opened while logged in as another member (``actor``), it
    records nothing. The history names the nominee's own account as the author.
    """
    nominee = nominee_link_read(token)
    nominee_link_check_user(nominee, actor)
    user = nominee.member.user if nominee.member.user_id else None
    return _record_answer(nominee, accept=accept, comment=comment, user=user, via="through the signed link")


@transaction.atomic
def nominee_answer(*, actor, nominee: Nominee, accept: bool, comment: str = "") -> Nominee:
    """The logged-in member accepts or declines their own nomination."""
    member = member_of(actor)
    if member is None or member.pk != nominee.member_id:
        raise PermissionDenied(_("Only the nominee may answer this nomination."))
    return _record_answer(nominee, accept=accept, comment=comment, user=actor, via="in the portal")


# ---------------------------------------------------------------- revising


@transaction.atomic
def slate_revise(*, actor, slate: Slate) -> Slate:
    """A new round of a slate the network did not endorse: the same nominees, to accept again.

    Rules: a composer of the slate; its status is "not endorsed"; it was not revised already.
    """
    _require_composer(actor, slate)
    slate = _locked(slate)
    if slate.status != Slate.Status.NOT_ENDORSED:
        raise ValidationError(_("Only a slate the network did not endorse can be revised."))
    if Slate.objects.filter(previous=slate).exists():
        raise ValidationError(_("This slate was already revised: compose the newer round."))
    revision = Slate(
        body=slate.body,
        proposed_by=slate.proposed_by,
        title=slate.title,
        notes=slate.notes,
        round=slate.round + 1,
        previous=slate,
        created_by=actor,
    )
    save_with_history(
        revision, actor=actor, reason=f"Round {revision.round}: revision of a slate not endorsed"
    )
    for old in slate.nominees.order_by("id"):
        save_with_history(
            Nominee(slate=revision, member_id=old.member_id, role=old.role, seat_id=old.seat_id),
            actor=actor,
            reason="Nominee carried over to the revised slate",
        )
    return revision


def slate_rounds(slate: Slate) -> list[Slate]:
    """Every round of ``slate``, first to last (a few queries: one per round)."""
    first = slate
    while first.previous_id:
        first = Slate.objects.select_related("body").get(pk=first.previous_id)
    rounds = [first]
    while True:
        following = Slate.objects.filter(previous=rounds[-1]).first()
        if following is None:
            return rounds
        rounds.append(following)
