"""Reads of slates that cross relations: each returns what its page needs, already joined.

The endorsement windows' pages: staff see turnout by chamber while a window is open, never who
said what: nothing here returns an answer's choice or comment for one member;
``window_figures_open`` counts answered and invited per chamber only.
"""

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from casm.history import HistorySource, history_entries
from casm.outbox.selectors import notice_failed_count
from governance.slates.models import (
    EndorsementAnswer,
    EndorsementInvitation,
    EndorsementReminder,
    EndorsementWindow,
    Nominee,
    Slate,
    TaskGroup,
)
from governance.slates.notices_endorsement import notice_of
from governance.slates.permissions import PUBLIC_STATUSES
from network.models import Chamber, Member


def _with_counts(slates):
    return slates.select_related("body", "proposed_by").annotate(
        nominee_count=Count("nominees", distinct=True),
        accepted_count=Count("nominees", filter=Q(nominees__status=Nominee.Status.ACCEPTED), distinct=True),
    )


def slate_list_for_staff():
    """Every slate, newest first, with its body, proposer and counts of nominees (one query)."""
    return _with_counts(Slate.objects.all())


def slate_list_for_composer(body_ids):
    """The slates proposed by the bodies ``body_ids`` (one query)."""
    return _with_counts(Slate.objects.filter(proposed_by_id__in=body_ids))


def slate_list_public():
    """Slates that went to endorsement, whatever came of it (one query)."""
    return _with_counts(Slate.objects.filter(status__in=PUBLIC_STATUSES))


def nominations_open_for(member):
    """The member's nominations on slates still being composed (one query)."""
    return (
        Nominee.objects.filter(member=member, slate__status=Slate.Status.DRAFT)
        .select_related("slate__body")
        .order_by("-slate__created_at")
    )


def task_group_list_for(committee):
    """The task groups ``committee`` appointed, with their consultation (one query)."""
    return TaskGroup.objects.filter(body__parent=committee).select_related("body", "consultation")


def slate_history(slate: Slate) -> list[dict]:
    """Who changed the slate and its nominees, newest first; removed nominees keep their rows (3 queries)."""
    nominee_rows = list(
        Nominee.history.filter(slate_id=slate.pk).select_related("history_user").order_by("history_date")
    )
    names = dict(
        Member.objects.filter(pk__in={row.member_id for row in nominee_rows}).values_list("pk", "full_name")
    )
    return history_entries(
        HistorySource(
            model=Slate, rows=slate.history.select_related("history_user").order_by("history_date")
        ),
        HistorySource(model=Nominee, rows=nominee_rows, describe=lambda row: names.get(row.member_id, "")),
    )


def window_for_staff(pk: int) -> EndorsementWindow | None:
    """The window with its slate, body and who opened it, and its chambers (two queries)."""
    return (
        EndorsementWindow.objects.select_related("slate__body", "opened_by")
        .prefetch_related("chambers")
        .filter(pk=pk)
        .first()
    )


def _chamber_names(ids) -> dict:
    """{chamber id: its name in the reader's language} (one query)."""
    return {chamber.pk: chamber.localized_name() for chamber in Chamber.objects.filter(pk__in=set(ids))}


def window_outcome_rows(window: EndorsementWindow) -> list[dict]:
    """The recorded figures per chamber, each named in the reader's language (one query): the
    recorded name is kept for a chamber deleted since."""
    rows = window.outcome_figures.get("chambers", []) if window.outcome_figures else []
    names = _chamber_names(row.get("chamber_id") for row in rows)
    return [{**row, "chamber": names.get(row.get("chamber_id"), row.get("chamber", ""))} for row in rows]


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
    rows = list(
        EndorsementInvitation.objects.filter(window_id=window.pk)
        .values("chamber_id")
        .annotate(invited=Count("pk"))
        .order_by()
    )
    names = _chamber_names(r["chamber_id"] for r in rows)
    turnout = [
        {
            "chamber": names.get(r["chamber_id"], ""),
            "invited": r["invited"],
            "answered": answered.get(r["chamber_id"], 0),
        }
        for r in rows
    ]
    return sorted(turnout, key=lambda row: row["chamber"])


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
