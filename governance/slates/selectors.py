"""Reads of the slates app that cross relations or need tuning (the endorsement windows' pages).

Staff see turnout by chamber while a window is open, never who said what: nothing here returns
an answer's choice or comment for one member; ``window_figures_open`` counts answered and
invited per chamber only.
"""

from django.db.models import Count, Exists, Max, Min, OuterRef
from django.utils import timezone

from casm.outbox.selectors import notice_failed_count
from governance.slates.models import (
    EndorsementAnswer,
    EndorsementInvitation,
    EndorsementReminder,
    EndorsementWindow,
)
from governance.slates.notices_endorsement import notice_of


def window_for_staff(pk: int) -> EndorsementWindow | None:
    """The window with its slate, body and who opened it, and its chambers (two queries)."""
    return (
        EndorsementWindow.objects.select_related("slate__body", "opened_by")
        .prefetch_related("chambers")
        .filter(pk=pk)
        .first()
    )


def window_public(pk: int) -> EndorsementWindow | None:
    """The window with its slate and body (one query): for the outcome page."""
    return EndorsementWindow.objects.select_related("slate__body").filter(pk=pk).first()


def window_turnout(window: EndorsementWindow) -> list[dict]:
    """Per chamber of the audience: invited, answered (counts only, never the split), by name.

    Two grouped queries, whatever the audience: the invitations by chamber, and the answers by
    the chamber each answer carries (on the window's counting index).
    """
    answered = dict(
        EndorsementAnswer.objects.filter(window_id=window.pk)
        .values("chamber_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("chamber_id", "n")
    )
    rows = (
        EndorsementInvitation.objects.filter(window_id=window.pk)
        .values("chamber_id", "chamber__name")
        .annotate(invited=Count("pk"))
        .order_by("chamber__name")
    )
    return [
        {"chamber": r["chamber__name"], "invited": r["invited"], "answered": answered.get(r["chamber_id"], 0)}
        for r in rows
    ]


def window_mail_failures(window: EndorsementWindow) -> int:
    """Invitation messages of the window the mail server refused for good (one query)."""
    notice = notice_of(window, "slates.endorsement")
    return notice_failed_count(f"{notice['kind']}:{notice['scope']}")


def window_reminders_log(window: EndorsementWindow) -> list[dict]:
    """Reminders sent, by offset: how many, first and last queued (one query)."""
    return list(
        EndorsementReminder.objects.filter(window=window)
        .values("offset_days")
        .annotate(count=Count("pk"), first=Min("claimed_at"), last=Max("claimed_at"))
        .order_by("-offset_days")
    )


def own_invitation(window: EndorsementWindow, member) -> EndorsementInvitation | None:
    """The member's invitation in ``window`` (None if not in its audience), and answer (two queries)."""
    if member is None:
        return None
    invitation = EndorsementInvitation.objects.filter(window=window, member=member).first()
    if invitation is not None:
        invitation.answer = EndorsementAnswer.objects.filter(window=window, member=member).first()
    return invitation


def open_windows_for(member) -> list[EndorsementInvitation]:
    """The member's invitations to windows still open, with their slate and whether answered (one query)."""
    answered = EndorsementAnswer.objects.filter(window_id=OuterRef("window_id"), member_id=member.pk)
    return list(
        EndorsementInvitation.objects.filter(
            member=member, window__outcome_computed_at__isnull=True, window__closes_at__gt=timezone.now()
        )
        .annotate(answered=Exists(answered))
        .select_related("window__slate__body")
        .order_by("window__closes_at")
    )
